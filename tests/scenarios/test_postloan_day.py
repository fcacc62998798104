"""Issue 9's acceptance scenario: moving the business date through the end-of-day produces the
right inspections, notices, classes, warnings, cases and write-off, shown by the API.

王大山 borrows 12,000.00 元 at 3.6 % 等额本金 over 12 months on 2026-11-02, paid to a third
party, with one guarantor; his repayment account stays empty, so nothing is ever collected.
Worked by hand (policy defaults, shared/RULES.md):

- first follow-up inspection: 2026-11-02 + 15 days = 2026-11-17;
- the first installment (1,000.00 principal + 36.00 interest) is due 2026-12-02: reminder 7
  days before (2026-11-25); unpaid → overdue since 2026-12-02, 1 day past due on 2026-12-03 →
  an overdue notice and an overdue warning; still 正常 (a technical overdue of ≤ 7 days is
  exempt), 关注 on 2026-12-10 (8 days);
- more than 30 days past due on 2027-01-02 (31) → 催收通知书 to the borrower and the guarantor;
- more than 60 days on 2027-02-01 (December 30 + January 31 = 61) → a collection case;
- more than 90 days on 2027-03-03 (February 2027 has 28 days: 61 + 28 + 2 = 91) → 次级: a
  downgrade warning and a triggered inspection;
- then a manual classification to 可疑 (two levels), a write-off request and its approval:
  the loan leaves the books (核销) and its case stays tracked (账销案存).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.notices.scenario import D, overdue_loan, until
from xindai.classification import services as classes
from xindai.classification.models import ClassChange
from xindai.collection.models import CollectionCase, WriteOff
from xindai.earlywarning.models import Warning
from xindai.notices.models import Notice
from xindai.org.roles import Role
from xindai.postloan.models import InspectionTask

pytestmark = pytest.mark.django_db


def notices(account: Any) -> list[tuple[str, dt.date, str]]:
    return sorted(
        (n.kind, n.issued_on, n.recipient_role) for n in Notice.objects.filter(loan=account)
    )


def warning_kinds(account: Any) -> set[str]:
    return set(Warning.objects.filter(loan=account).values_list("kind", flat=True))


def test_a_loan_left_unpaid_from_disbursement_to_write_off(
    farmer: Any, tree: Any, make_user: Any, branch_head: Any, risk_officer: Any, login: Any
) -> None:
    officer = make_user("huang", tree["B1"], Role.COLLECTION, full_name="黄清收")
    account = overdue_loan(farmer, guarantors=1)

    until(D(2026, 11, 16))  # business date 2026-11-17
    first = InspectionTask.objects.get(loan=account, kind="first")
    assert first.due_date == D(2026, 11, 17)
    assert first.assignee == farmer.manager
    assert notices(account) == []

    until(D(2026, 11, 24))  # business date 2026-11-25
    assert notices(account) == [("reminder", D(2026, 11, 25), "borrower")]

    until(D(2026, 12, 2))  # business date 2026-12-03: 1 day past due
    assert classes.current_class(account) == "normal"
    assert ("overdue", D(2026, 12, 3), "borrower") in notices(account)
    assert "overdue" in warning_kinds(account)
    until(D(2026, 12, 9))  # business date 2026-12-10: 8 days past due → 关注
    assert classes.current_class(account) == "special_mention"
    change = ClassChange.objects.get(loan=account)
    assert (change.business_date, change.old, change.new) == (
        D(2026, 12, 10),
        "normal",
        "special_mention",
    )
    assert not CollectionCase.objects.filter(loan=account).exists()

    until(D(2027, 1, 1))  # business date 2027-01-02: 31 days past due
    collection = [n for n in notices(account) if n[0] == "collection"]
    assert collection == [
        ("collection", D(2027, 1, 2), "borrower"),
        ("collection", D(2027, 1, 2), "guarantor"),
    ]

    until(D(2027, 1, 30))  # business date 2027-01-31: 60 days, not more than 60
    assert not CollectionCase.objects.filter(loan=account).exists()
    until(D(2027, 1, 31))  # business date 2027-02-01: 61 days
    case = CollectionCase.objects.get(loan=account)
    assert case.opened_on == D(2027, 2, 1)
    assert case.officer == officer

    until(D(2027, 3, 1))  # business date 2027-03-02: 90 days, still 关注
    assert classes.current_class(account) == "special_mention"
    until(D(2027, 3, 2))  # business date 2027-03-03: 91 days → 次级
    assert classes.current_class(account) == "substandard"
    assert [d.loan_id for d in classes.downgraded_on(D(2027, 3, 3))] == [account.pk]
    assert "downgrade" in warning_kinds(account)
    triggered = InspectionTask.objects.filter(loan=account, kind="triggered")
    assert triggered.filter(created_on=D(2027, 3, 3)).exists()

    # --- the API shows the same, to each role ----------------------------------------------
    manager = login(farmer.manager)
    tasks = manager.get(f"/api/v1/inspections?loan={account.pk}").json()["items"]
    assert {t["kind"] for t in tasks} >= {"first", "triggered"}
    shown = manager.get(f"/api/v1/notices?loan={account.pk}").json()["items"]
    assert {n["kind"] for n in shown} >= {"reminder", "overdue", "collection"}
    collector = login(officer)
    cases = collector.get("/api/v1/collection/cases").json()["items"]
    assert [c["id"] for c in cases] == [case.pk]
    risk = login(risk_officer)
    warned = risk.get("/api/v1/warnings").json()["items"]
    assert {w["kind"] for w in warned if w["loan_id"] == account.pk} >= {"overdue", "downgrade"}
    # 12,000.00 元 owed, nothing paid: the whole balance is 次级 → 不良率 100 %.
    quality = risk.get("/api/v1/classification/quality").json()
    assert quality["by_class"]["substandard"]["count"] == 1
    assert quality["npl"] == quality["total"] == "12000.00"
    assert float(quality["npl_ratio"]) == 1.0

    # --- 可疑 by a manual classification, approved at two levels ------------------------------
    proposed = collector.post(
        f"/api/v1/classification/loans/{account.pk}/proposals",
        {"proposed": "doubtful", "reason": "借款人外出失联，保证人无代偿能力"},
        content_type="application/json",
    )
    assert proposed.status_code == 201, proposed.content
    proposal = proposed.json()["id"]
    url = f"/api/v1/classification/proposals/{proposal}"
    assert risk.post(f"{url}/approve-final", {}, content_type="application/json").status_code == 409
    first = login(branch_head).post(f"{url}/approve-first", {}, content_type="application/json")
    assert first.status_code == 200, first.content
    assert classes.current_class(account) == "substandard"  # not before the second level
    final = risk.post(f"{url}/approve-final", {}, content_type="application/json")
    assert final.status_code == 200, final.content
    assert classes.current_class(account) == "doubtful"

    # --- write-off: requested by the officer, approved by 风险合规 once ------------------------
    requested = collector.post(
        f"/api/v1/collection/cases/{case.pk}/writeoffs",
        {"reason": "借款人失联，保证人无财产可供执行", "evidence": "法院终结本次执行裁定书"},
        content_type="application/json",
    )
    assert requested.status_code == 201, requested.content
    writeoff = requested.json()["id"]
    approve = f"/api/v1/collection/writeoffs/{writeoff}/approve"
    assert collector.post(approve, {}, content_type="application/json").status_code == 403
    assert risk.post(approve, {}, content_type="application/json").status_code == 200
    assert risk.post(approve, {}, content_type="application/json").status_code in (200, 409)
    account.refresh_from_db()
    assert account.status == "written_off"
    case.refresh_from_db()
    assert case.written_off_on == D(2027, 3, 3)
    # 账销案存: still listed, still tracked; the books balance.
    listed = collector.get("/api/v1/collection/cases?status=written_off").json()["items"]
    assert [c["id"] for c in listed] == [case.pk]
    from xindai.ledger import reconciliation

    assert reconciliation.reconcile().ok
    dashboard = risk.get("/api/v1/collection/dashboard").json()
    assert dashboard["open"] == 0
    assert dashboard["written_off_cases"] == 1
    assert dashboard["recovered_fen"] == 0
    approved = WriteOff.objects.get(pk=writeoff)
    assert dashboard["written_off_fen"] == approved.claim_fen >= 1_200_000
