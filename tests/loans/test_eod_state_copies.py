"""The loan's facts copied onto its servicing state for the end-of-day (in account, 按期付息,
start date, the current schedule row) follow the loan whoever changes it: a status change in
or out of account, a schedule row changed or deleted (the accrual looks the row up again),
and ``loans.accounts.refresh_period`` at once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from tests.credit.factories import set_today
from tests.loans.factories_eod import loan
from xindai.loans import eod
from xindai.loans.accounts import refresh_period
from xindai.loans.models import LoanAccount, LoanState, ScheduleRow

D = dt.date
pytestmark = pytest.mark.django_db


def ten_thousand(farmer: Any, method: str = "equal_installment") -> LoanAccount:
    # 10,000.00 at 6 %, 12 months from 11-05: the first row is due 12-05, 30 days, its
    # interest 10,000 × 0.06 / 12 = 50.00 元.
    return loan(
        farmer,
        principal=Decimal(10_000),
        rate=Decimal("0.06"),
        months=12,
        method=method,
        start=D(2026, 11, 5),
        into_account=False,
    )


def state(account: LoanAccount) -> LoanState:
    return LoanState.objects.get(loan=account)


def test_a_new_loan_carries_its_facts_and_first_period(farmer: Any) -> None:
    set_today(D(2026, 11, 5))
    account = ten_thousand(farmer)
    s = state(account)
    assert (s.active, s.interest_only, s.start_date) == (True, False, D(2026, 11, 5))
    assert (s.next_due_date, s.period_interest_fen, s.period_days) == (D(2026, 12, 5), 5_000, 30)
    assert state(ten_thousand(farmer, "interest_only")).interest_only is True


def test_a_changed_schedule_row_is_looked_up_again_by_the_accrual(farmer: Any) -> None:
    set_today(D(2026, 11, 5))
    account = ten_thousand(farmer)
    # The first row's interest changed outside the end-of-day: 60.00 元 over its 30 days.
    ScheduleRow.objects.filter(loan=account, period=1).update(interest_fen=6_000)
    assert state(account).next_due_date is None  # to be looked up again
    eod.run_date(D(2026, 11, 5))
    s = state(account)
    # One day of 30: 6,000 × 1 / 30 = 200 fen.
    assert (s.interest_accrued_fen, s.last_accrual_fen) == (200, 200)
    assert (s.next_due_date, s.period_interest_fen, s.period_days) == (D(2026, 12, 5), 6_000, 30)


def test_refresh_period_copies_the_current_row_at_once(farmer: Any) -> None:
    set_today(D(2026, 12, 10))
    account = ten_thousand(farmer)
    assert refresh_period(account.pk) == 1
    s = state(account)
    # After 12-10 the current row is the second: due 2027-01-05, 31 days.
    second = ScheduleRow.objects.get(loan=account, period=2)
    assert (second.due_date, second.days) == (D(2027, 1, 5), 31)
    assert (s.next_due_date, s.period_interest_fen, s.period_days) == (
        D(2027, 1, 5),
        second.interest_fen,
        31,
    )
    assert refresh_period([]) == 0


def test_a_loan_taken_out_of_account_is_left_alone_by_the_end_of_day(farmer: Any) -> None:
    set_today(D(2026, 11, 5))
    account = ten_thousand(farmer)
    LoanAccount.objects.filter(pk=account.pk).update(status="written_off")
    assert state(account).active is False
    before = LoanState.objects.filter(loan=account).values().get()
    eod.run_date(D(2026, 11, 5))
    assert LoanState.objects.filter(loan=account).values().get() == before
    LoanAccount.objects.filter(pk=account.pk).update(status="normal")
    assert state(account).active is True
