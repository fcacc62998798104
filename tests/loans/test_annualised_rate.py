"""年化利率: the IRR of the cash flows on actual dates (Act/365 exponent)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from tests.loans.factories import d, terms
from xindai.loans import irr
from xindai.loans.schedule import Method, annualised_rate, build


def npv(schedule_rows: tuple, start: dt.date, rate: Decimal) -> Decimal:
    total = Decimal(0)
    for row in schedule_rows:
        years = Decimal((row.due_date - start).days) / 365
        total += row.payment / (1 + rate) ** years
    return total


def test_a_one_year_bullet_has_the_contract_rate_as_its_annualised_rate() -> None:
    # 104,350 paid 365 days after 100,000: (1 + r)^1 = 1.0435
    assert annualised_rate(build(terms(method=Method.BULLET))) == d("0.043500")


def test_the_annualised_rate_reproduces_the_cash_flows() -> None:
    schedule = build(terms(interest_basis="daily", due_day_rule="fixed_day", first_due_day=21))
    start = schedule.terms.start
    flows = [(float(r.payment), (r.due_date - start).days / 365) for r in schedule.rows]
    solved = Decimal(repr(irr.annual_rate(100000.0, flows)))
    assert abs(npv(schedule.rows, start, solved) - Decimal(100000)) < d("0.01")
    # the published rate is that root rounded to 6 places
    assert annualised_rate(schedule) == solved.quantize(d("0.000001"), ROUND_HALF_UP)


def test_a_monthly_equal_installment_loan_is_close_to_the_compounded_monthly_rate() -> None:
    # (1 + 0.0435/12)^12 − 1 = 0.0443778…; with actual dates the payments of 2026 come a little
    # earlier on average than k/12 years (February is short), which lifts the IRR by ≈ 1.9 bp:
    # Σ (t_actual − k/12) ≈ −0.028 y, × 8,531 × 0.0435 ≈ 10.4 yuan of value, / (100,000 × 0.54 y).
    by_hand = (1 + Decimal("0.0435") / 12) ** 12 - 1
    assert abs(by_hand - d("0.0443778")) < d("0.0000001")
    rate = annualised_rate(build(terms()))
    assert rate == d("0.044562")
    assert abs(rate - by_hand) < d("0.0003")


def test_a_zero_rate_loan_has_a_zero_annualised_rate() -> None:
    assert annualised_rate(build(terms(annual_rate=d("0")))) == d("0.000000")


def test_flat_rate_loans_cost_almost_twice_their_quoted_rate() -> None:
    # the point of showing 年化利率: 4.35% flat over 12 months is ≈ 7.9% a year
    rate = annualised_rate(build(terms(method=Method.FLAT)))
    assert d("0.078") < rate < d("0.085")
