"""Due-date rules, interest bases, day counts, grace periods, frequency and rounding."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy_financial as npf
import pytest

from tests.loans.factories import d, terms
from xindai.loans.daycount import days_30e_360
from xindai.loans.schedule import DueDayRule, Frequency, Method, build

D = dt.date


def test_daily_basis_charges_the_actual_days_of_each_month() -> None:
    rows = build(terms(interest_basis="daily")).rows
    assert [row.days for row in rows[:3]] == [31, 28, 31]  # 1-15→2-15→3-15→4-15 (2026)
    # 100,000 × 0.0435 × 31 / 360 = 374.5833… → 374.58; principal 8,530.99 − 374.58 = 8,156.41
    # 91,843.59 × 0.0435 × 28 / 360 = 310.7374… → 310.74; principal 8,220.25
    # 83,623.34 × 0.0435 × 31 / 360 = 313.2390… → 313.24; principal 8,217.75
    assert [(row.interest, row.principal) for row in rows[:3]] == [
        (d("374.58"), d("8156.41")),
        (d("310.74"), d("8220.25")),
        (d("313.24"), d("8217.75")),
    ]
    assert rows[2].balance == d("75405.59")
    assert all(row.payment == d("8530.99") for row in rows[:-1])


def test_actual_365_divides_by_365_even_in_a_leap_year() -> None:
    rows = build(terms(start=D(2024, 1, 15), interest_basis="daily", day_count="actual_365")).rows
    # 2024-01-15 → 2024-02-15: 31 days; 100,000 × 0.0435 × 31 / 365 = 369.452… → 369.45
    assert rows[0].interest == d("369.45")
    assert rows[1].days == 29  # February 2024


@pytest.mark.parametrize(
    ("first", "last", "days"),
    [
        (D(2026, 1, 15), D(2026, 2, 15), 30),
        (D(2026, 1, 31), D(2026, 2, 28), 30),  # month ends count as the 30th
        (D(2026, 2, 28), D(2026, 3, 31), 30),
        (D(2026, 1, 15), D(2026, 1, 21), 6),
        (D(2024, 2, 28), D(2024, 3, 28), 30),  # 2024-02-28 is not a month end
        (D(2024, 2, 29), D(2024, 3, 29), 29),
        (D(2026, 1, 15), D(2027, 1, 15), 360),
    ],
)
def test_30_360_counts_days_by_the_30e_360_rule(first: dt.date, last: dt.date, days: int) -> None:
    assert days_30e_360(first, last) == days


def test_30_360_daily_basis_equals_the_period_basis_for_whole_months() -> None:
    daily = build(terms(interest_basis="daily", day_count="30_360", start=D(2026, 1, 31)))
    period = build(terms(start=D(2026, 1, 31)))
    assert [row.days for row in daily.rows] == [30] * 12
    assert [(r.principal, r.interest) for r in daily.rows] == [
        (r.principal, r.interest) for r in period.rows
    ]


def test_fixed_due_day_21_has_a_broken_first_period_of_actual_days() -> None:
    rows = build(terms(due_day_rule=DueDayRule.FIXED_DAY, first_due_day=21)).rows
    assert [row.due_date for row in rows[:3]] == [D(2026, 1, 21), D(2026, 2, 21), D(2026, 3, 21)]
    assert rows[-1].due_date == D(2026, 12, 21)
    # 1-15 → 1-21 is 6 days: 100,000 × 0.0435 × 6 / 360 = 72.50; principal 8,458.49
    assert (rows[0].days, rows[0].interest, rows[0].principal) == (6, d("72.50"), d("8458.49"))
    # then whole months on the period basis: 91,541.51 × 0.003625 = 331.837… → 331.84
    assert rows[1].interest == d("331.84")


def test_a_start_on_the_fixed_day_has_no_broken_period() -> None:
    rows = build(terms(start=D(2026, 1, 21), due_day_rule="fixed_day", first_due_day=21)).rows
    assert (rows[0].due_date, rows[0].interest) == (D(2026, 2, 21), d("362.50"))


def test_month_end_due_dates_follow_the_last_day_of_each_month() -> None:
    rows = build(terms(start=D(2026, 1, 31), due_day_rule=DueDayRule.MONTH_END)).rows
    assert [row.due_date for row in rows[:4]] == [
        D(2026, 2, 28),
        D(2026, 3, 31),
        D(2026, 4, 30),
        D(2026, 5, 31),
    ]
    assert rows[0].interest == d("362.50")  # a whole month from one month end to the next


def test_month_end_from_mid_month_starts_with_a_broken_period() -> None:
    rows = build(terms(due_day_rule=DueDayRule.MONTH_END)).rows
    # 1-15 → 1-31: 16 days × 100,000 × 0.0435 / 360 = 193.333… → 193.33
    assert (rows[0].due_date, rows[0].days, rows[0].interest) == (D(2026, 1, 31), 16, d("193.33"))


def test_disbursement_day_is_clamped_to_short_months_and_measured_from_the_start() -> None:
    rows = build(terms(start=D(2026, 1, 31))).rows
    assert [row.due_date for row in rows[:3]] == [D(2026, 2, 28), D(2026, 3, 31), D(2026, 4, 30)]


def test_quarterly_equal_principal_rounds_interest_half_up() -> None:
    rows = build(
        terms(method=Method.EQUAL_PRINCIPAL, periods=4, frequency=Frequency.QUARTERLY)
    ).rows
    assert [row.due_date for row in rows] == [
        D(2026, 4, 15),
        D(2026, 7, 15),
        D(2026, 10, 15),
        D(2027, 1, 15),
    ]
    # balance × 0.0435 / 4: 1,087.50; 75,000 × 0.010875 = 815.625 → 815.63; 543.75;
    # 25,000 × 0.010875 = 271.875 → 271.88
    assert [row.interest for row in rows] == [d("1087.50"), d("815.63"), d("543.75"), d("271.88")]
    assert {row.principal for row in rows} == {d("25000.00")}


def test_quarterly_equal_installment_matches_numpy_financial() -> None:
    rows = build(terms(periods=4, frequency="quarterly")).rows
    assert rows[0].payment == d("25683.36")  # −pmt(0.0435/4, 4, 100000) = 25,683.3632…
    assert abs(-npf.pmt(0.0435 / 4, 4, 100000) - 25683.3632) < 1e-4


def test_quarterly_fixed_day_falls_in_the_quarter_end_months() -> None:
    rows = build(
        terms(periods=4, frequency="quarterly", due_day_rule="fixed_day", first_due_day=20)
    ).rows
    assert [row.due_date for row in rows] == [
        D(2026, 3, 20),
        D(2026, 6, 20),
        D(2026, 9, 20),
        D(2026, 12, 20),
    ]
    # broken first period 1-15 → 3-20: 16 + 28 + 20 = 64 days × 100,000 × 0.0435 / 360 = 773.33
    assert (rows[0].days, rows[0].interest) == (64, d("773.33"))


def test_grace_periods_pay_interest_only_then_amortise() -> None:
    rows = build(
        terms(
            principal=d("12000"),
            annual_rate=d("0.12"),
            method=Method.EQUAL_PRINCIPAL,
            grace_periods=2,
        )
    ).rows
    assert [row.principal for row in rows[:3]] == [d("0.00"), d("0.00"), d("1200.00")]
    assert [row.interest for row in rows[:4]] == [
        d("120.00"),
        d("120.00"),
        d("120.00"),
        d("108.00"),
    ]
    assert rows[-1].principal == d("1200.00")


def test_equal_installment_after_grace_is_computed_on_the_amortising_periods() -> None:
    rows = build(terms(grace_periods=2)).rows
    assert [row.payment for row in rows[:2]] == [d("362.50"), d("362.50")]
    # −pmt(0.003625, 10, 100000) = 10,200.457… → 10,200.46
    assert rows[2].payment == d("10200.46")
    assert abs(-npf.pmt(0.0435 / 12, 10, 100000) - 10200.4571) < 1e-4


def test_rounding_to_one_yuan_leaves_the_remainder_to_the_last_row() -> None:
    rows = build(terms(rounding_multiple=Decimal(1))).rows
    # 8,530.99 rounded half-up to the yuan: 8,531; row 1 principal 8,531 − 362.50 = 8,168.50
    assert [row.payment for row in rows[:-1]] == [d("8531.00")] * 11
    assert rows[0].principal == d("8168.50")
    assert rows[-1].payment < d("8531.00")
    assert sum(row.principal for row in rows) == d("100000.00")


def test_rounding_half_a_yuan_goes_up() -> None:
    # 1,000 / 2 at 0% = 500.00 per row; 1,001 / 2 = 500.50 → 501 with 1-yuan rounding
    rows = build(
        terms(principal=d("1001"), annual_rate=d("0"), periods=2, rounding_multiple=d("1"))
    ).rows
    assert [row.payment for row in rows] == [d("501.00"), d("500.00")]


def test_a_zero_day_month_end_stub_rolls_into_the_next_month() -> None:
    # Start 2000-01-30, due at month end: 01-31 would be 0 days under 30E/360 (both count as
    # the 30th), so the first due date is 02-29 (2000 is a leap year): 30 actual days.
    from xindai.loans.daycount import due_dates_on_fixed_day

    dates, broken = due_dates_on_fixed_day(dt.date(2000, 1, 30), 2, 1, 31)
    assert dates == [dt.date(2000, 2, 29), dt.date(2000, 3, 31)] and broken
