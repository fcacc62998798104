"""Restructuring (重组) by business date: the 12,000.00 元 loan of the case scenario (6%, 12
months 等额本息 from 2026-11-04), 61 days past due on 2027-02-03 with a case open. The
borrower pays the interest owed (arrears of interest, penalty, compound) first; the whole
principal — none of it was ever repaid, so 12,000.00 元, part of it overdue — is restructured
at 5% over 12 months 等额本息 from 2027-02-03."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import numpy_financial as npf
import pytest
from django.core.exceptions import PermissionDenied

from tests.collection.factories import guaranteed_loan
from tests.credit.factories import set_today
from xindai.collection import services
from xindai.collection.models import CaseStatus, CloseReason, CollectionCase
from xindai.collection.services import CollectionRefused
from xindai.ledger import services as ledger
from xindai.loans import eod, reconcile
from xindai.loans.models import LoanAccount, LoanState, ScheduleRow

D = dt.date


@pytest.fixture
def observation(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    """The classification's interface, recorded (another app implements it)."""
    calls: list[tuple[Any, ...]] = []

    def start_observation(loan: Any, day: Any, *, actor: Any, reason: str) -> None:
        calls.append((loan.pk, day, actor, reason))

    from xindai.classification import services as classification

    monkeypatch.setattr(classification, "start_observation", start_observation)
    return calls


def test_restructuring_rebuilds_the_schedule_and_keeps_the_books(
    farmer: Any,
    guarantor: Any,
    manager: Any,
    officer: Any,
    branch_head: Any,
    observation: list[tuple[Any, ...]],
) -> None:
    set_today(D(2026, 11, 4))
    loan = guaranteed_loan(manager, farmer, guarantor, start=D(2026, 11, 4))
    eod.run_until(D(2027, 2, 2))  # business date 2027-02-03: 61 days past due, case open
    case = CollectionCase.objects.get(loan=loan)
    state = LoanState.objects.get(loan=loan)
    # two installments (12-04, 01-04) overdue: principal overdue, none repaid
    assert state.overdue_principal_fen > 0
    assert state.principal_fen + state.principal_due_fen + state.overdue_principal_fen == 1_200_000
    # interest owed must be paid first: a request now is refused
    data = {
        "term_months": "12",
        "annual_rate": "0.05",
        "repayment_method": "equal_installment",
        "reason": "养殖受灾，收入下降，有还款意愿",
    }
    with pytest.raises(CollectionRefused):
        services.request_restructuring(officer, case, data)
    owed = (
        state.penalty_due_fen
        + state.compound_due_fen
        + state.overdue_interest_fen
        + state.interest_due_fen
    )
    services.log_action(
        officer,
        case,
        {"kind": "negotiation", "outcome": "先还清欠息", "amount": str(Decimal(owed) / 100)},
    )
    made = services.request_restructuring(officer, case, data)
    with pytest.raises(PermissionDenied):  # the requester holds no approval right
        services.approve_restructuring(officer, made)
    services.approve_restructuring(branch_head, made, "同意")
    made.refresh_from_db()
    assert made.principal_fen == 1_200_000 and made.status == "approved"
    loan.refresh_from_db()
    state.refresh_from_db()
    assert (loan.annual_rate, loan.term_months, loan.status) == (Decimal("0.05"), 12, "normal")
    assert state.overdue_principal_fen == 0 and state.principal_due_fen == 0
    assert state.principal_fen == 1_200_000
    # the new rows: 12 from 2027-03-03 to 2028-02-03, level installment = the annuity of
    # 12,000 at 5%/12 over 12 periods, computed independently by numpy-financial
    rows = list(
        ScheduleRow.objects.filter(loan=loan, due_date__gt=D(2027, 2, 3)).order_by("period")
    )
    assert [r.due_date for r in (rows[0], rows[-1])] == [D(2027, 3, 3), D(2028, 2, 3)]
    assert len(rows) == 12 and loan.maturity_date == D(2028, 2, 3)
    level = Decimal(str(round(float(npf.pmt(0.05 / 12, 12, -12_000)), 2)))
    assert level == Decimal("1027.29")
    assert all(r.payment == level for r in rows[:-1])
    assert sum(r.principal for r in rows) == Decimal("12000.00")
    assert rows[0].interest == Decimal("50.00")  # 12,000 × 5% / 12
    # the case is closed as restructured, the observation period started
    case.refresh_from_db()
    assert (case.status, case.close_reason) == (CaseStatus.CLOSED, CloseReason.RESTRUCTURED)
    assert observation == [(loan.pk, D(2027, 2, 3), branch_head, data["reason"])]
    # the books: subledger = general ledger, trial balance balanced — today and after a day
    assert reconcile.differences() == {}
    assert ledger.trial_balance()[1]
    eod.run_date(D(2027, 2, 3))
    assert reconcile.differences() == {}
    assert ledger.trial_balance()[1]
    assert LoanAccount.objects.get(pk=loan.pk).status in ("normal", "overdue")
