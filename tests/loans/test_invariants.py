"""Hypothesis: the schedule invariants hold for random loans under every method and convention."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from xindai.loans.schedule import (
    DayCount,
    DueDayRule,
    Frequency,
    Installment,
    InterestBasis,
    LoanTerms,
    Method,
    annualised_rate,
    build,
)


@st.composite
def loans(draw: st.DrawFn) -> LoanTerms:
    method = draw(st.sampled_from(Method))
    periods = draw(st.integers(1, 360))
    rule = draw(st.sampled_from(DueDayRule))
    grace = 0 if method == Method.BULLET else draw(st.integers(0, min(periods - 1, 24)))
    return LoanTerms(
        principal=Decimal(draw(st.integers(1_000_00, 5_000_000_00))) / 100,
        annual_rate=Decimal(draw(st.integers(0, 240_000))) / 1_000_000,
        periods=periods,
        method=method,
        start=draw(st.dates(dt.date(2000, 1, 1), dt.date(2060, 12, 31))),
        frequency=draw(st.sampled_from(Frequency)),
        due_day_rule=rule,
        first_due_day=draw(st.integers(1, 31)) if rule == DueDayRule.FIXED_DAY else None,
        interest_basis=draw(st.sampled_from(InterestBasis)),
        day_count=draw(st.sampled_from(DayCount)),
        rounding_multiple=draw(st.sampled_from([Decimal("0.01"), Decimal(1)])),
        grace_periods=grace,
    )


FEN_EXPONENT = -2


@settings(max_examples=300, deadline=None)
@given(loans())
def test_every_schedule_keeps_the_invariants(terms: LoanTerms) -> None:
    rows = build(terms).rows
    assert len(rows) == (1 if terms.method == Method.BULLET else terms.periods)
    assert sum(row.principal for row in rows) == terms.principal
    balance = terms.principal
    previous = terms.start
    for row in rows:
        assert row.principal >= 0 and row.interest >= 0
        assert row.payment == row.principal + row.interest
        balance -= row.principal
        assert row.balance == balance >= 0
        for amount in (row.principal, row.interest, row.payment, row.balance):
            assert amount.as_tuple().exponent == FEN_EXPONENT
        assert row.due_date > previous and row.days > 0
        previous = row.due_date
    assert rows[-1].balance == 0


@settings(max_examples=50, deadline=None)
@given(loans())
def test_the_annualised_rate_discounts_the_payments_back_to_the_principal(terms: LoanTerms) -> None:
    schedule = build(terms)
    rate = float(annualised_rate(schedule))
    assert rate >= 0
    if terms.annual_rate == 0:
        assert rate == 0
    # at the 6-place rounded rate the NPV is within the rounding: |dNPV/dr| × 0.5e-6
    npv = _npv(schedule.rows, terms.start, rate) - float(terms.principal)
    duration = sum(float(r.payment) * (r.due_date - terms.start).days / 365 for r in schedule.rows)
    assert abs(npv) <= duration * 0.6e-6 + 0.01


def _npv(rows: tuple[Installment, ...], start: dt.date, rate: float) -> float:
    return sum(float(r.payment) / (1 + rate) ** ((r.due_date - start).days / 365) for r in rows)
