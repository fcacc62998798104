"""Write-off (核销) and recovery after it (账销案存), by business date.

6,000.00 元 at 6% for 6 months 等额本息 from 2026-11-04, never paid: overdue since 2026-12-04,
so 61 days past due on 2027-02-03 (case opened), 92 on 2027-03-06 (次级: more than 90 — a
write-off is refused), 271 on 2027-09-01 (可疑: more than 270 — it may be written off)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from tests.concurrency import POSTGRES_ONLY, at_once
from tests.credit.factories import set_today
from tests.loans.factories_eod import loan
from xindai.collection import services
from xindai.collection.models import CaseStatus, CollectionCase, RecoveryKind, WriteOff
from xindai.collection.services import CollectionRefused
from xindai.ledger import services as ledger
from xindai.ledger.models import JournalEntry
from xindai.loans import eod, reconcile
from xindai.loans.models import LoanState
from xindai.org.roles import Role

D = dt.date


def small(farmer: Any) -> Any:
    set_today(D(2026, 11, 4))
    return loan(
        farmer,
        principal=Decimal(6_000),
        rate=Decimal("0.06"),
        months=6,
        method="equal_installment",
        start=D(2026, 11, 4),
        into_account=False,
    )


def balance(account: str) -> int:
    debit, credit = ledger.totals().get(account, (0, 0))
    return debit - credit


@pytest.mark.django_db
def test_write_off_refusals_exactly_once_and_recovery_after(
    farmer: Any, officer: Any, risk_officer: Any, tree: Any, make_user: Any
) -> None:
    account = small(farmer)
    eod.run_until(D(2027, 3, 5))  # business date 2027-03-06: 92 days, 次级
    case = CollectionCase.objects.get(loan=account)
    assert LoanState.objects.get(loan=account).class_floor == "substandard"
    with pytest.raises(CollectionRefused):  # wrong class
        services.request_writeoff(officer, case, "无力偿还", "法院终结执行裁定")
    eod.run_until(D(2027, 8, 31))  # business date 2027-09-01: 271 days, 可疑
    assert LoanState.objects.get(loan=account).class_floor == "doubtful"
    made = services.request_writeoff(
        officer, case, "借款人死亡，无遗产", "死亡证明、法院终结执行裁定"
    )
    with pytest.raises(CollectionRefused):  # one request at a time
        services.request_writeoff(officer, case, "重复", "重复")
    with pytest.raises(PermissionDenied):  # the officer may not approve
        services.approve_writeoff(officer, made)
    # someone holding both roles may not approve his own request
    both = make_user("both", tree["HQ"], Role.COLLECTION, Role.RISK, full_name="兼岗")
    own = WriteOff.objects.create(
        case=case,
        reason="x",
        evidence="y",
        requested_on=D(2027, 9, 1),
        requested_by=both,
        status="rejected",
    )
    with pytest.raises(CollectionRefused):
        services.approve_writeoff(both, own)
    state = LoanState.objects.get(loan=account)
    claim = (
        state.principal_fen
        + state.principal_due_fen
        + state.overdue_principal_fen
        + state.interest_accrued_fen
        + state.interest_due_fen
        + state.overdue_interest_fen
        + state.penalty_due_fen
        + state.compound_due_fen
    )
    services.approve_writeoff(risk_officer, made, "同意核销")
    services.approve_writeoff(risk_officer, made, "重复点击")  # a retry: nothing again
    assert JournalEntry.objects.filter(key=f"writeoff:{account.pk}").count() == 1
    made.refresh_from_db()
    assert made.status == "approved" and made.claim_fen == claim
    account.refresh_from_db()
    case.refresh_from_db()
    assert account.status == "written_off" and case.status == CaseStatus.WRITTEN_OFF
    # off balance: the whole claim in 701201; on balance nothing of the loan is left
    assert balance("701201") == claim
    assert balance("130101") == 0 and balance("130102") == 0
    assert reconcile.differences() == {}
    assert ledger.trial_balance()[1]
    # 账销案存: the case stays in the list, actions and recoveries go on
    assert services.visible_cases(risk_officer).filter(pk=case.pk).exists()
    services.log_action(
        officer,
        case,
        {"kind": "visit", "outcome": "家属代还 1,000 元", "amount": "1000.00", "acknowledged": "1"},
    )
    recovery = case.recoveries.get()
    assert recovery.kind == RecoveryKind.AFTER_WRITEOFF and recovery.amount_fen == 100_000
    # principal first: 1,000.00 元 all to principal → Cr 130401 restores the provision
    assert sum(v for k, v in recovery.parts.items() if "principal" in k) == 100_000
    assert balance("701201") == claim - 100_000
    assert balance("300101") == -600_000 + 100_000  # paid out 6,000 at disbursement, 1,000 in
    assert -balance("130401") == 100_000
    assert reconcile.differences() == {}
    assert ledger.trial_balance()[1]
    with pytest.raises(CollectionRefused):  # more than is still owed off balance
        services.log_action(
            officer, case, {"kind": "call", "outcome": "x", "amount": str(Decimal(claim) / 100)}
        )


@POSTGRES_ONLY
@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_write_off_once(
    migration_data: None, farmer: Any, officer: Any, risk_officer: Any, tree: Any, make_user: Any
) -> None:
    account = small(farmer)
    eod.run_until(D(2027, 8, 31))
    case = CollectionCase.objects.get(loan=account)
    made = services.request_writeoff(officer, case, "破产", "破产终结裁定")
    risk2 = make_user("risk2", tree["HQ"], Role.RISK, full_name="吴合规")
    people = [risk_officer, risk2, risk_officer, risk2]
    done, refused = at_once(
        4, lambda n: services.approve_writeoff(people[n], made), (CollectionRefused,)
    )
    assert JournalEntry.objects.filter(key=f"writeoff:{account.pk}").count() == 1
    assert JournalEntry.objects.filter(key=f"writeoff:{account.pk}:off").count() == 1
    assert WriteOff.objects.get(pk=made.pk).status == "approved"
    assert len(done) + len(refused) == 4
    assert reconcile.differences() == {}
