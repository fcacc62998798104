"""Each repayment method against figures worked by hand (period basis, disbursement day)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import numpy_financial as npf
import pytest

from tests.loans.factories import d, terms
from xindai.loans.schedule import Installment, Method, build


def amounts(rows: tuple[Installment, ...], field: str) -> list[Decimal]:
    return [getattr(row, field) for row in rows]


def test_equal_principal_schedule_sums_exactly_to_the_principal() -> None:
    # 12,000 at 12% over 12 months: 1,000 principal a month; interest = balance × 1%:
    # 120, 110, ..., 10 → total 780 (= 1% × (12,000 + 11,000 + ... + 1,000) = 1% × 78,000).
    schedule = build(
        terms(principal=d("12000"), annual_rate=d("0.12"), method=Method.EQUAL_PRINCIPAL)
    )
    assert amounts(schedule.rows, "principal") == [d("1000.00")] * 12
    assert amounts(schedule.rows, "interest") == [Decimal(10 * k) for k in range(12, 0, -1)]
    assert amounts(schedule.rows, "payment")[:2] == [d("1120.00"), d("1110.00")]
    assert [row.balance for row in schedule.rows][-2:] == [d("1000.00"), d("0.00")]
    assert schedule.total_interest == d("780.00")
    assert schedule.total_principal == d("12000.00")


def test_equal_installment_matches_numpy_financial_and_the_bank_formula() -> None:
    # i = 0.0435 / 12 = 0.003625; A = P·i·(1+i)^n / ((1+i)^n − 1) = 8,530.990036… → 8,530.99
    pmt = -npf.pmt(0.0435 / 12, 12, 100000)
    assert abs(pmt - 8530.990036) < 1e-6
    i = Decimal("0.003625")
    bank = Decimal(100000) * i * (1 + i) ** 12 / ((1 + i) ** 12 - 1)
    assert bank.quantize(Decimal("0.01"), ROUND_HALF_UP) == d("8530.99")

    rows = build(terms()).rows
    assert amounts(rows, "payment")[:11] == [d("8530.99")] * 11
    # row 1: interest 100,000 × 0.003625 = 362.50, principal 8,530.99 − 362.50 = 8,168.49
    assert rows[0] == Installment(
        1, dt.date(2026, 2, 15), 31, d("8168.49"), d("362.50"), d("8530.99"), d("91831.51")
    )
    # row 2: interest 91,831.51 × 0.003625 = 332.889… → 332.89, principal 8,198.10
    assert (rows[1].interest, rows[1].principal, rows[1].balance) == (
        d("332.89"),
        d("8198.10"),
        d("83633.41"),
    )
    # last row: the remaining 8,500.20 plus 8,500.20 × 0.003625 = 30.813… → 30.81
    assert (rows[-1].principal, rows[-1].interest, rows[-1].payment) == (
        d("8500.20"),
        d("30.81"),
        d("8531.01"),
    )
    # total interest = 11 × 8,530.99 + 8,531.01 − 100,000
    assert sum(amounts(rows, "interest")) == d("2371.90")


def test_interest_only_pays_the_principal_with_the_last_period() -> None:
    rows = build(terms(method=Method.INTEREST_ONLY)).rows
    assert amounts(rows, "interest") == [d("362.50")] * 12  # 100,000 × 4.35% / 12
    assert amounts(rows, "principal") == [d("0.00")] * 11 + [d("100000.00")]
    assert rows[-1].payment == d("100362.50")


def test_bullet_is_one_payment_at_maturity() -> None:
    (row,) = build(terms(method=Method.BULLET)).rows
    # 12 months on the period basis: 100,000 × 4.35% = 4,350.00; 2026-01-15 → 2027-01-15
    assert row == Installment(
        1, dt.date(2027, 1, 15), 365, d("100000.00"), d("4350.00"), d("104350.00"), d("0.00")
    )


def test_bullet_on_the_daily_basis_counts_the_actual_days() -> None:
    (row,) = build(terms(method=Method.BULLET, interest_basis="daily")).rows
    # 100,000 × 0.0435 × 365 / 360 = 4,410.4166… → 4,410.42
    assert row.interest == d("4410.42")
    (row,) = build(terms(method=Method.BULLET, interest_basis="daily", day_count="actual_365")).rows
    assert row.interest == d("4350.00")


def test_flat_spreads_the_whole_term_interest_equally() -> None:
    rows = build(terms(method=Method.FLAT)).rows
    # 100,000 × 4.35% × 12 / 12 = 4,350.00 → 362.50 a month; principal 8,333.33 × 11 + 8,333.37
    assert amounts(rows, "interest") == [d("362.50")] * 12
    assert amounts(rows, "principal") == [d("8333.33")] * 11 + [d("8333.37")]
    assert rows[-1].payment == d("8695.87")


def test_a_zero_rate_equal_installment_repays_principal_only() -> None:
    rows = build(terms(principal=d("1000"), annual_rate=d("0"), periods=3)).rows
    # 1,000 / 3 = 333.33…; the last row absorbs: 333.34
    assert amounts(rows, "payment") == [d("333.33"), d("333.33"), d("333.34")]
    assert sum(amounts(rows, "interest")) == 0


def test_rows_are_ordinary_immutable_installments() -> None:
    # the engine makes rows with tuple.__new__ (see schedule._amortise): the same row as the
    # constructor's, field for field
    row = build(terms()).rows[0]
    same = Installment(**row._asdict())
    assert (row, hash(row), repr(row)) == (same, hash(same), repr(same))
    assert type(row) is Installment and row.principal == same[3]
    with pytest.raises(AttributeError):
        row.principal = d("0")  # type: ignore[misc]
