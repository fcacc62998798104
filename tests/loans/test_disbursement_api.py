"""放款 and the loan accounts over REST: gate, disburse (201, retry 200, again 409), refusals as
JSON, lists, schedule, use-of-funds reports, and scope."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.credit.factories import pdf
from tests.loans.factories_disbursement import SELF, entrusted, expire, ready
from xindai.loans.models import LoanAccount

JSON = "application/json"


@pytest.fixture
def application(manager, farmer, co_investigator, approver):
    return ready(manager, farmer, co_investigator, approver)


def post(client, application, data, key="k-1"):
    url = f"/api/v1/loans/applications/{application.pk}/disbursement"
    return client.post(url, data, content_type=JSON, headers={"Idempotency-Key": key})


def test_the_gate_lists_every_line_and_the_payment_mode(application, clerk, login) -> None:
    expire(application)
    body = login(clerk).get(f"/api/v1/loans/applications/{application.pk}/gate").json()
    assert body["ok"] is False
    assert [(i["key"], i["ok"]) for i in body["items"]] == [
        ("stage", True),
        ("approval", False),
        ("contracts", True),
        ("collateral", True),
        ("actor", True),
    ]
    assert body["items"][1]["problems"] == ["批复已于 2026-11-26 过期：须重新审批"]
    assert body["terms"]["amount"] == "100000.00"
    assert body["payment"]["mode"] == "self"
    assert body["payment"]["line"] == "500000.00"
    assert body["loan_id"] is None


def test_disburse_then_retry_then_again(application, clerk, login) -> None:
    client = login(clerk)
    first = post(
        client, application, entrusted(("多福农资有限公司", "6217001234567890123", "100000"))
    )
    assert first.status_code == 201, first.json()
    body = first.json()
    assert body["payment_mode"] == "entrusted"
    assert body["payments"][0]["account"] == "6217 **** 0123"
    retry = post(
        client, application, entrusted(("多福农资有限公司", "6217001234567890123", "100000"))
    )
    assert (retry.status_code, retry.json()["loan_id"]) == (200, body["loan_id"])
    again = post(client, application, SELF, key="k-2")
    assert again.status_code == 409
    assert again.json()["code"] == "already_disbursed"
    assert LoanAccount.objects.count() == 1


def test_the_key_may_come_in_the_body(application, clerk, login) -> None:
    url = f"/api/v1/loans/applications/{application.pk}/disbursement"
    response = login(clerk).post(url, SELF | {"idempotency_key": "body-key"}, content_type=JSON)
    assert response.status_code == 201


def test_without_a_key_it_is_400(application, clerk, login) -> None:
    url = f"/api/v1/loans/applications/{application.pk}/disbursement"
    response = login(clerk).post(url, SELF, content_type=JSON)
    assert (response.status_code, response.json()["code"]) == (400, "idempotency_key")
    assert not LoanAccount.objects.exists()


def test_a_gate_refusal_is_409_with_reasons(application, clerk, login) -> None:
    expire(application)
    response = post(login(clerk), application, SELF)
    assert response.status_code == 409
    assert response.json()["code"] == "disbursement_refused"
    assert response.json()["details"] == {"approval": ["批复已于 2026-11-26 过期：须重新审批"]}
    assert not LoanAccount.objects.exists()


def test_bad_input_is_422(application, clerk, login) -> None:
    response = post(login(clerk), application, {"amount": "abc", "payment_mode": "self"})
    assert response.status_code == 422
    assert "amount" in response.json()["details"]


def test_a_manager_may_not_disburse_by_api(application, manager, login) -> None:
    assert post(login(manager), application, SELF).status_code == 403
    assert not LoanAccount.objects.exists()


def test_another_branch_gets_404(application, tree, make_user, login) -> None:
    from xindai.org.roles import Role

    other = login(make_user("gao", tree["B2"], Role.DISBURSEMENT))
    assert other.get(f"/api/v1/loans/applications/{application.pk}/gate").status_code == 404
    assert post(other, application, SELF).status_code == 404


def test_lists_detail_schedule_and_queue(application, clerk, manager, colleague, login) -> None:
    client = login(clerk)
    assert [q["number"] for q in client.get("/api/v1/loans/queue").json()] == [application.number]
    loan_id = post(client, application, SELF).json()["loan_id"]
    assert client.get("/api/v1/loans/queue").json() == []
    rows = login(manager).get("/api/v1/loans?source=disbursed").json()
    assert rows["count"] == 1
    assert rows["items"][0]["customer_id_number"].count("*") == 8
    assert login(colleague).get("/api/v1/loans").json()["count"] == 0
    assert login(colleague).get(f"/api/v1/loans/{loan_id}").status_code == 404
    detail = client.get(f"/api/v1/loans/{loan_id}").json()
    assert detail["disbursement"]["amount"] == "100000.00"
    assert [r["due_on"] for r in detail["use_reports"]] == ["2026-12-27"]
    schedule = client.get(f"/api/v1/loans/{loan_id}/schedule").json()
    assert len(schedule) == 12
    assert schedule[0]["payment"] == "8530.99"


def test_use_of_funds_report_by_the_manager(application, clerk, manager, login) -> None:
    loan_id = post(login(clerk), application, SELF).json()["loan_id"]
    url = f"/api/v1/loans/{loan_id}/use-of-funds"
    data = {"amount_used": "60000", "description": "购买化肥 6 万元", "evidence": pdf("发票.pdf")}
    response = login(manager).post(url, data)
    assert response.status_code == 201, response.json()
    assert response.json()["reported_on"] == "2026-11-27"
    assert response.json()["has_evidence"] is True
    loan = LoanAccount.objects.get()
    # 40,000 元 not yet reported: the next report is due 30 days after the first one's due date
    assert [(str(r.due_on), r.reported_on is not None) for r in loan.use_reports.all()] == [
        ("2026-12-27", True),
        ("2027-01-26", False),
    ]
    too_much = login(manager).post(url, {"amount_used": "40000.01", "description": "x"})
    assert too_much.status_code == 422
    assert too_much.json()["details"]["amount_used"] == [
        "累计使用金额 100,000.01 元超过贷款金额 100,000.00 元"
    ]
    assert loan.use_reports.filter(reported_on__isnull=False).count() == 1
    assert sum(r.amount_used for r in loan.use_reports.all()) == Decimal("60000.00")


def test_an_entrusted_loan_needs_no_use_of_funds_report(application, clerk, manager, login) -> None:
    data = entrusted(("多福农资有限公司", "6217001234567890123", "100000"))
    loan_id = post(login(clerk), application, data).json()["loan_id"]
    response = login(manager).post(
        f"/api/v1/loans/{loan_id}/use-of-funds", {"amount_used": "1", "description": "x"}
    )
    assert (response.status_code, response.json()["code"]) == (409, "not_self_payment")
