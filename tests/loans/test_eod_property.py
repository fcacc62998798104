"""A property of the whole servicing engine: whatever the portfolio, the repayment accounts'
money and the days run, every end-of-day leaves a balanced ledger that agrees with the loan
and deposit subledgers, and money is neither created nor lost (the borrowers' deposits, the
loans and the bank's income move only into one another)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.credit.factories import set_today
from tests.loans.factories_eod import cash_in, deposit_account, loan
from xindai.core import business_date
from xindai.ledger import services as ledger
from xindai.loans import eod, reconcile

START = dt.date(2026, 11, 10)
METHODS = ("equal_installment", "equal_principal", "interest_only", "bullet")

loans = st.lists(
    st.tuples(
        st.integers(1_000, 200_000),  # principal in yuan
        st.sampled_from((3, 6, 12)),  # months
        st.sampled_from(METHODS),
        st.integers(0, 20),  # disbursed this many days after START
        st.sampled_from((Decimal("0.0435"), Decimal("0.06"), Decimal("0.0785"))),
        st.booleans(),  # into the borrower's account (else paid to a third party)
    ),
    min_size=1,
    max_size=4,
)
cash = st.lists(st.tuples(st.integers(0, 69), st.integers(0, 1_500_000)), max_size=6)


class _Rollback(Exception):
    pass


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(portfolio=loans, deposits=cash, days=st.integers(30, 70))
def test_every_end_of_day_leaves_the_books_balanced_and_reconciled(
    farmer: Any, portfolio: list[Any], deposits: list[tuple[int, int]], days: int
) -> None:
    try:
        with transaction.atomic():
            _scenario(farmer, portfolio, deposits, days)
            raise _Rollback  # the next example starts from the same empty books
    except _Rollback:
        pass


def _scenario(farmer: Any, portfolio: list[Any], deposits: list[Any], days: int) -> None:
    set_today(START)
    opened: list[tuple[int, Any]] = []
    account = deposit_account(farmer, START)
    for principal, months, method, offset, rate, into in portfolio:
        opened.append((offset, (principal, months, method, rate, into)))
    for day_number in range(days):
        today = START + dt.timedelta(days=day_number)
        for offset, (principal, months, method, rate, into) in opened:
            if offset == day_number:
                loan(
                    farmer,
                    principal=Decimal(principal),
                    rate=rate,
                    months=months,
                    method=method,
                    start=today,
                    account=account,
                    into_account=into,
                )
        for when, amount in deposits:
            if when == day_number and amount:
                cash_in(account, amount, today)
        eod.run_date(today)
        assert business_date.current() == today + dt.timedelta(days=1)
        assert reconcile.differences() == {}, today
        _lines, balanced = ledger.trial_balance()
        assert balanced, today
    account.refresh_from_db()
    assert account.balance_fen >= 0
