"""Warnings over the API and the pages: the list with counts, handling and closing, the
collateral revaluation, and who may see and do what."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.credit.factories import set_today, submitted
from tests.earlywarning.test_signals import funded_loan
from tests.notices.scenario import D
from xindai.credit.models import ApplicationCollateral
from xindai.earlywarning import services
from xindai.earlywarning.models import Warning
from xindai.loans.models import LoanAccount

pytestmark = pytest.mark.django_db
API = "/api/v1/warnings"
TODAY = D(2026, 12, 10)


@pytest.fixture
def warnings(farmer: Any) -> list[Warning]:
    """One of each severity on 王大山's loan: medium (overdue), low (outflow), high (downgrade
    — it also triggers an inspection)."""
    account = funded_loan(farmer)
    set_today(TODAY)
    made = [
        services.raise_signal(account, TODAY, kind=kind, detail=detail, source=kind)
        for kind, detail in (
            ("overdue", "自 2026-12-09 起逾期"),
            ("deposit_outflow", "近 7 日存款支取 300,000.00 元"),
            ("downgrade", "五级分类由“正常”下调为“关注”"),
        )
    ]
    assert all(w is not None for w in made)
    return [w for w in made if w is not None]


def test_list_counts_by_severity_and_orders_high_first(
    warnings: list[Warning], manager: Any, login: Any
) -> None:
    body = login(manager).get(API).json()
    assert body["counts"] == {"low": 1, "medium": 1, "high": 1}
    assert [w["severity"] for w in body["items"]] == ["high", "medium", "low"]
    assert body["items"][0]["action"] == "触发贷后检查，重新评估风险并制定化解措施"
    only = login(manager).get(API, {"severity": "medium"}).json()
    assert [w["kind"] for w in only["items"]] == ["overdue"]
    assert login(manager).get(API, {"q": "300,000"}).json()["count"] == 1
    assert login(manager).get(API, {"manager": manager.pk}).json()["count"] == 3


def test_take_note_and_close(warnings: list[Warning], manager: Any, login: Any) -> None:
    client = login(manager)
    url = f"{API}/{warnings[0].pk}"
    taken = client.post(f"{url}/handle", {"action": "take"}, content_type="application/json")
    assert (taken.json()["status"], taken.json()["handler"]) == ("handling", "张三")
    noted = client.post(
        f"{url}/handle",
        {"action": "note", "note": "已电话联系借款人"},
        content_type="application/json",
    )
    assert [n["text"] for n in noted.json()["notes"]] == ["已电话联系借款人"]
    empty = client.post(f"{url}/close", {"resolution": " "}, content_type="application/json")
    assert empty.status_code == 422
    closed = client.post(
        f"{url}/close", {"resolution": "借款人已归还逾期款项"}, content_type="application/json"
    )
    assert (closed.json()["status"], closed.json()["closed_on"]) == ("closed", "2026-12-10")
    again = client.post(
        f"{url}/handle", {"action": "note", "note": "x"}, content_type="application/json"
    )
    assert (again.status_code, again.json()["code"]) == (409, "warning_refused")
    assert client.get(API).json()["counts"] == {"low": 1, "medium": 0, "high": 1}
    assert client.get(API, {"status": "closed"}).json()["count"] == 1


def test_scopes_and_permissions(
    warnings: list[Warning], colleague: Any, outsider: Any, branch_head: Any, login: Any
) -> None:
    assert login(colleague).get(API).json()["count"] == 0
    assert login(colleague).get(f"{API}/{warnings[0].pk}").status_code == 404
    assert login(outsider).get(API).status_code == 403
    # 支行行长 sees his branch's warnings but does not handle them.
    assert login(branch_head).get(API).json()["count"] == 3
    response = login(branch_head).post(
        f"{API}/{warnings[0].pk}/handle", {"action": "take"}, content_type="application/json"
    )
    assert response.status_code == 403


def test_revaluation_over_the_api(farmer: Any, manager: Any, risk_officer: Any, login: Any) -> None:
    account = funded_loan(farmer)
    application = submitted(manager, farmer)
    LoanAccount.objects.filter(pk=account.pk).update(application=application)
    house = ApplicationCollateral.objects.create(
        application=application,
        kind="mortgage",
        description="临街商铺",
        owner_name="王大山",
        estimated_value=Decimal(500_000),
    )
    url = f"{API}/loans/{account.pk}/revaluations"
    assert (
        login(manager)
        .post(url, {"collateral_id": house.pk, "value": "1"}, content_type="application/json")
        .status_code
        == 403
    )
    bad = login(risk_officer).post(
        url, {"collateral_id": house.pk, "value": "-5"}, content_type="application/json"
    )
    assert bad.status_code == 422
    made = login(risk_officer).post(
        url, {"collateral_id": house.pk, "value": "390000.00"}, content_type="application/json"
    )
    assert made.status_code == 201
    assert made.json()["estimated_value"] == "500000.00"
    warning = Warning.objects.get(pk=made.json()["warning_id"])
    assert warning.kind == "collateral_drop"


def test_pages(warnings: list[Warning], manager: Any, login: Any) -> None:
    client = login(manager)
    page = client.get("/warnings/").content.decode()
    assert "触发贷后检查" in page
    warning = warnings[1]
    assert client.post(f"/warnings/{warning.pk}/take/").status_code == 302
    assert (
        client.post(f"/warnings/{warning.pk}/note/", {"note": "核实为购置农机"}).status_code == 302
    )
    response = client.post(f"/warnings/{warning.pk}/close/", {"resolution": ""})
    assert response.status_code == 422
    assert (
        client.post(f"/warnings/{warning.pk}/close/", {"resolution": "用途正常"}).status_code == 302
    )
    warning.refresh_from_db()
    assert (warning.status, warning.resolution) == ("closed", "用途正常")
    detail = client.get(f"/warnings/{warning.pk}/").content.decode()
    assert "核实为购置农机" in detail
