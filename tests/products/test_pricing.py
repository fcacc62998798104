"""A product's rate on a date: the fixed rate, or the LPR quoted on that date plus the spread,
kept within the floor and ceiling. Expectations worked from the seeded quotations:
2024-10-21 1Y 3.10% / 5Y+ 3.60%, 2025-05-20 1Y 3.00% / 5Y+ 3.50%."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from xindai.products.lpr import NoLprQuotation

ON_THE_DAY = dt.date(2025, 5, 20)  # 1Y LPR 3.00% from this day
THE_DAY_BEFORE = dt.date(2025, 5, 19)  # still 3.10%


def test_lpr_1y_plus_spread_on_the_day_of_the_quotation(make_product) -> None:
    product = make_product(spread_bp=85)
    assert product.effective_rate(ON_THE_DAY) == Decimal("0.0385")  # 3.00% + 0.85%
    assert product.effective_rate(THE_DAY_BEFORE) == Decimal("0.0395")  # 3.10% + 0.85%


def test_lpr_5y_plus_a_negative_spread(make_product) -> None:
    product = make_product(pricing="lpr_5y", spread_bp=-20)
    assert product.effective_rate(ON_THE_DAY) == Decimal("0.0330")  # 3.50% − 0.20%


def test_a_rate_below_the_floor_is_raised_to_it(make_product) -> None:
    product = make_product(spread_bp=30, floor_rate=Decimal("0.0345"))
    assert product.effective_rate(ON_THE_DAY) == Decimal("0.0345")  # 3.30% < 3.45%


def test_a_rate_above_the_ceiling_is_cut_to_it(make_product) -> None:
    product = make_product(spread_bp=300, ceiling_rate=Decimal("0.0550"))
    assert product.effective_rate(ON_THE_DAY) == Decimal("0.0550")  # 6.00% > 5.50%


def test_within_the_band_the_rate_is_lpr_plus_spread(make_product) -> None:
    product = make_product(
        spread_bp=100, floor_rate=Decimal("0.0350"), ceiling_rate=Decimal("0.0600")
    )
    assert product.effective_rate(ON_THE_DAY) == Decimal("0.0400")


def test_a_fixed_rate_ignores_the_lpr(make_product) -> None:
    product = make_product(pricing="fixed", fixed_rate=Decimal("0.0435"), spread_bp=None)
    assert product.effective_rate(ON_THE_DAY) == Decimal("0.0435")


def test_before_the_first_quotation_there_is_no_lpr_rate(make_product) -> None:
    with pytest.raises(NoLprQuotation):
        make_product().effective_rate(dt.date(2019, 8, 19))
