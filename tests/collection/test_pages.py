"""The pages and the API on a case opened by hand on business date 2026-11-04 (the loan just
disbursed: 6,000.00 元 owed at opening, nothing due)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest

from tests.credit.factories import set_today
from tests.loans.factories_eod import loan
from xindai.collection import services
from xindai.collection.models import CollectionAction, LimitationParty

D = dt.date


@pytest.fixture
def case(farmer: Any, officer: Any) -> Any:
    set_today(D(2026, 11, 4))
    made = loan(
        farmer,
        principal=Decimal(6_000),
        rate=Decimal("0.06"),
        months=6,
        method="equal_installment",
        start=D(2026, 11, 4),
        into_account=False,
    )
    return services.open_case(made, D(2026, 11, 4), "测试立案")


def test_the_list_masks_the_id_number_and_searches(login: Any, officer: Any, case: Any) -> None:
    client = login(officer)
    page = client.get("/collection/", {"q": case.loan.customer.name}).content.decode()
    assert case.loan.number in page
    assert case.loan.customer.id_number not in page  # masked
    assert case.loan.customer.id_number[-4:] in page
    assert case.officer == officer
    assert "6,000.00" in page  # owed at opening, in 元
    empty = client.get("/collection/", {"q": "没有这个人"}).content.decode()
    assert case.loan.number not in empty
    assert case.loan.number in client.get("/collection/mine/").content.decode()


def test_another_branch_does_not_see_the_case(login: Any, colleague: Any, case: Any) -> None:
    client = login(colleague)
    assert client.get(f"/collection/cases/{case.pk}/").status_code == 404
    assert client.get(f"/api/v1/collection/cases/{case.pk}").status_code == 404


def test_an_action_from_the_page_and_the_api(login: Any, officer: Any, case: Any) -> None:
    client = login(officer)
    response = client.post(
        f"/collection/cases/{case.pk}/",
        {
            "kind": "call",
            "outcome": "电话接通，承认欠款",
            "acknowledged": "1",
            "idempotency_key": "k1",
        },
    )
    assert response.status_code == 302
    debtor = LimitationParty.objects.get(loan=case.loan, role="debtor")
    assert debtor.last_interruption == D(2026, 11, 4)
    bad = client.post(f"/collection/cases/{case.pk}/", {"kind": "call", "outcome": ""})
    assert bad.status_code == 422
    api = client.post(
        f"/api/v1/collection/cases/{case.pk}/actions",
        json.dumps({"kind": "visit", "outcome": "未见到人", "follow_up_on": "2026-11-10"}),
        content_type="application/json",
    )
    assert api.status_code == 201 and api.json()["kind"] == "visit"
    assert CollectionAction.objects.filter(case=case).count() == 2
    detail = client.get(f"/api/v1/collection/cases/{case.pk}").json()
    assert detail["owed"]["principal"] == "6,000.00" or detail["owed"]["principal"] == "6000.00"
    assert [p["role"] for p in detail["parties"]] == ["debtor"]
    assert "*" in detail["id_number"]


def test_only_a_branch_head_reassigns(
    login: Any, officer: Any, officer2: Any, far_officer: Any, branch_head: Any, case: Any
) -> None:
    assert (
        login(officer)
        .post(f"/collection/cases/{case.pk}/assign/", {"officer": officer2.pk})
        .status_code
        == 403
    )
    head = login(branch_head)
    head.post(f"/collection/cases/{case.pk}/assign/", {"officer": far_officer.pk})
    case.refresh_from_db()
    assert case.officer == officer  # B2's officer is not of this branch
    head.post(f"/collection/cases/{case.pk}/assign/", {"officer": officer2.pk})
    case.refresh_from_db()
    assert case.officer == officer2


def test_queues_alerts_and_dashboard_render(login: Any, risk_officer: Any, case: Any) -> None:
    client = login(risk_officer)
    for url in ("/collection/approvals/", "/collection/alerts/", "/collection/dashboard/"):
        assert client.get(url).status_code == 200
    data = client.get("/api/v1/collection/dashboard").json()
    assert data["open"] == 1 and data["owed_fen"] == 600_000 and data["rate"] == 0.0
    assert client.get("/api/v1/collection/cases").json()["items"][0]["id"] == case.pk


def test_a_double_submission_records_one_action(login: Any, officer: Any, case: Any) -> None:
    client = login(officer)
    form = {"kind": "visit", "outcome": "上门未遇", "idempotency_key": "same-form"}
    client.post(f"/collection/cases/{case.pk}/", form)
    client.post(f"/collection/cases/{case.pk}/", form)
    assert CollectionAction.objects.filter(case=case).count() == 1


def test_the_contract_may_set_another_guarantee_period(
    login: Any, officer: Any, case: Any, guarantor: Any
) -> None:
    from tests.credit.factories import submitted
    from xindai.credit.models import ApplicationGuarantor
    from xindai.loans.models import LoanAccount

    application = submitted(case.loan.manager, case.loan.customer)
    ApplicationGuarantor.objects.create(application=application, guarantor=guarantor)
    LoanAccount.objects.filter(pk=case.loan_id).update(application=application)
    case.loan.refresh_from_db()
    services.ensure_parties(case.loan)
    g = LimitationParty.objects.get(loan=case.loan, customer=guarantor)
    # maturity 2027-05-04 (6 months from 2026-11-04) + 6 months → 2027-11-04
    assert g.guarantee_ends_on == D(2027, 11, 4)
    response = login(officer).post(
        f"/api/v1/collection/cases/{case.pk}/guarantors/{guarantor.pk}/guarantee-period",
        json.dumps({"ends_on": "2029-05-04", "reason": "保证合同第 6 条：两年"}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["expires_on"] == "2029-05-04"
