"""Flags against the default and industry bounds; loan-to-value rates by collateral."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.analysis.examples import year_2022, year_2023
from xindai.analysis import ratios
from xindai.analysis import thresholds as th

D = Decimal


def test_the_defaults_of_issue_6() -> None:
    assert th.DEFAULT.max_asset_liability_ratio == D(70)
    assert th.DEFAULT.min_current_ratio == D("1.5")
    assert th.DEFAULT.min_quick_ratio == D("1.0")


def flags_of(statements, bounds=th.DEFAULT) -> dict[str, tuple[str, str]]:
    found = th.flags(ratios.all_ratios(statements, year_2022()), bounds)
    return {flag.ratio: (flag.status.value, flag.message.text()) for flag in found}


def test_each_flagged_ratio_is_compared_with_its_bound() -> None:
    assert flags_of(year_2023()) == {
        "asset_liability_ratio": ("ok", "资产负债率 60.00%，不高于上限 70%"),
        "current_ratio": ("warn", "流动比率 1.25倍，低于下限 1.5倍"),
        "quick_ratio": ("warn", "速动比率 0.63倍，低于下限 1.0倍"),
    }


def test_a_ratio_above_its_ceiling_warns_and_one_on_it_does_not() -> None:
    above = year_2023(balance={"total_liabilities": "700100", "total_assets": "1000000"})
    assert flags_of(above)["asset_liability_ratio"] == (
        "warn",
        "资产负债率 70.01%，高于上限 70%",
    )
    on = year_2023(balance={"total_liabilities": "700000"})
    assert flags_of(on)["asset_liability_ratio"][0] == "ok"


def test_a_ratio_that_cannot_be_computed_is_flagged_unknown_with_its_reason() -> None:
    found = flags_of(year_2023(balance={"total_current_liabilities": "0"}))
    assert found["current_ratio"] == ("unknown", "流动负债合计为 0，无法计算")


def test_the_longest_industry_prefix_overrides_the_defaults() -> None:
    overrides = {
        "13": {"min_current_ratio": D("1.2"), "min_quick_ratio": None},
        "1310": {"min_current_ratio": D("1.1")},
        "52": {"max_asset_liability_ratio": D(80)},
    }
    bounds, prefix = th.for_industry("1310", overrides)
    assert prefix == "1310"
    assert (bounds.min_current_ratio, bounds.min_quick_ratio) == (D("1.1"), D("1.0"))
    bounds, prefix = th.for_industry("1320", overrides)
    assert (prefix, bounds.min_current_ratio) == ("13", D("1.2"))
    assert th.for_industry("0111", overrides) == (th.DEFAULT, None)
    assert flags_of(year_2023(), th.for_industry("5221", overrides)[0])[
        "asset_liability_ratio"
    ] == (
        "ok",
        "资产负债率 60.00%，不高于上限 80%",
    )


def test_an_unknown_bound_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown thresholds"):
        th.DEFAULT.with_overrides({"max_current_ratio": D(1)})


@pytest.mark.parametrize(
    ("kind", "rate"),
    [
        ("residential", "0.70"),
        ("commercial", "0.60"),
        ("land_use", "0.50"),
        ("deposit", "0.90"),
        ("machinery", "0.40"),
    ],
)
def test_loan_to_value_by_collateral(kind: str, rate: str) -> None:
    assert th.DEFAULT_LTV.rate(th.CollateralKind(kind)) == D(rate)
