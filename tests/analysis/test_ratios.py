"""Every ratio on a hand-worked example (tests/analysis/examples.py), and the ones that cannot
be computed saying why."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from tests.analysis.examples import year_2022, year_2023
from xindai.analysis import ratios
from xindai.analysis.statements import BalanceSheet, EnterpriseStatements, Period

D = Decimal

# By hand, 2023 against the 2022 balance sheet:
#   资产负债率     600,000 ÷ 1,000,000                         = 60.00 %
#   流动比率       500,000 ÷ 400,000                           = 1.25
#   速动比率       (500,000 − 250,000) ÷ 400,000 = 0.625       → 0.63 (half-up)
#   所有者权益     400,000.00
#   利息保障倍数   (150,000 + 24,000) ÷ 24,000                 = 7.25
#   偿债覆盖率     (112,500 + 24,000 + 50,000) ÷ (24,000 + 100,000)
#                  = 186,500 ÷ 124,000 = 1.5040…               → 1.50
#   平均应收账款   (80,000 + 120,000) ÷ 2 = 100,000: 周转率 1,200,000 ÷ 100,000 = 12.00 次,
#                  天数 360 × 100,000 ÷ 1,200,000 = 30.00
#   平均存货       (150,000 + 250,000) ÷ 2 = 200,000: 周转率 900,000 ÷ 200,000 = 4.50 次,
#                  天数 360 × 200,000 ÷ 900,000 = 80.00
#   应付账款天数   360 × (60,000 + 100,000) ÷ 2 ÷ 900,000      = 32.00
#   预付账款天数   360 × (10,000 + 30,000) ÷ 2 ÷ 900,000       = 8.00
#   预收账款天数   360 × (20,000 + 40,000) ÷ 2 ÷ 1,200,000     = 9.00
#   成本费用总额   900,000 + 12,000 + 48,000 + 60,000 + 20,000 = 1,040,000.00
#   毛利率         300,000 ÷ 1,200,000                         = 25.00 %
#   销售利润率     160,000 ÷ 1,200,000 = 13.333… %             → 13.33
#   总资产收益率   112,500 ÷ ((900,000 + 1,000,000) ÷ 2) = 11.842… % → 11.84
#   净资产收益率   112,500 ÷ ((400,000 + 400,000) ÷ 2) = 28.125 %    → 28.13 (half-up)
EXPECTED = {
    "asset_liability_ratio": ("60.00", "%"),
    "current_ratio": ("1.25", "倍"),
    "quick_ratio": ("0.63", "倍"),
    "owners_equity": ("400000.00", "元"),
    "interest_coverage": ("7.25", "倍"),
    "debt_service_coverage": ("1.50", "倍"),
    "receivables_turnover": ("12.00", "次"),
    "receivable_days": ("30.00", "天"),
    "inventory_turnover": ("4.50", "次"),
    "inventory_days": ("80.00", "天"),
    "payable_days": ("32.00", "天"),
    "prepayment_days": ("8.00", "天"),
    "advance_days": ("9.00", "天"),
    "revenue": ("1200000.00", "元"),
    "expenses": ("1040000.00", "元"),
    "net_profit": ("112500.00", "元"),
    "gross_margin": ("25.00", "%"),
    "sales_margin": ("13.33", "%"),
    "return_on_assets": ("11.84", "%"),
    "return_on_equity": ("28.13", "%"),
}


def test_every_ratio_has_a_hand_worked_value() -> None:
    assert [spec.key for spec in ratios.SPECS] == list(EXPECTED)


@pytest.mark.parametrize("key", list(EXPECTED))
def test_each_ratio_of_the_example_equals_the_hand_worked_value(key: str) -> None:
    ratio = ratios.compute(key, year_2023(), year_2022())
    value, unit = EXPECTED[key]
    assert (ratio.value, ratio.unit, ratio.reason, ratio.notes) == (D(value), unit, None, ())


def test_turnover_without_the_previous_period_uses_the_closing_balance_and_says_so() -> None:
    # 360 × 120,000 ÷ 1,200,000 = 36.00 days (instead of 30.00 on the average)
    ratio = ratios.compute("receivable_days", year_2023())
    assert ratio.value == D("36.00")
    assert [note.text() for note in ratio.notes] == ["未提供上期期末应收账款，按本期期末余额计算"]


def test_a_half_year_is_annualised_for_turnover_and_returns() -> None:
    half = year_2023(months=6, income={"revenue": "600000", "net_profit": "56250"})
    # 600,000 × 12 ÷ 6 = 1,200,000 a year: 360 × 100,000 ÷ 1,200,000 = 30.00 days; the
    # previous balance is the one six months earlier, which is not given.
    days = ratios.compute("receivable_days", half)
    assert days.value == D("36.00")  # closing 120,000: 360 × 120,000 ÷ 1,200,000
    assert "报表期间为 6 个月，营业收入已按 12 个月年化" in [n.text() for n in days.notes]
    roe = ratios.compute("return_on_equity", half)
    assert roe.value == D("28.13")  # 56,250 × 2 ÷ 400,000 = 28.125 %
    assert ratios.compute("revenue", half).value == D("600000.00")  # amounts as reported


@pytest.mark.parametrize(
    ("key", "changes", "reason"),
    [
        (
            "current_ratio",
            {"balance": {"total_current_liabilities": "0"}},
            "流动负债合计为 0，无法计算",
        ),
        ("quick_ratio", {"balance": {"inventory": None}}, "缺少“存货”，无法计算"),
        ("interest_coverage", {"income": {"interest_expense": "0"}}, "利息费用为 0，无法计算"),
        ("interest_coverage", {"income": {"interest_expense": None}}, "缺少“利息费用”，无法计算"),
        (
            "debt_service_coverage",
            {"supplement": {"principal_due": None}},
            "缺少“本期应还本金”，无法计算",
        ),
        (
            "debt_service_coverage",
            {"income": {"interest_expense": "0"}, "supplement": {"principal_due": "0"}},
            "利息费用与本期应还本金之和为 0，无法计算",
        ),
        (
            "receivables_turnover",
            {"balance": {"accounts_receivable": "0"}},
            "应收账款为 0，无法计算",
        ),
        ("inventory_days", {"income": {"cost_of_sales": "0"}}, "营业成本为 0，无法计算"),
        ("gross_margin", {"income": {"revenue": "0"}}, "营业收入为 0，无法计算"),
        ("expenses", {"income": {"taxes_and_surcharges": None}}, "缺少“税金及附加”，无法计算"),
        (
            "return_on_equity",
            {"balance": {"total_equity": "-50000"}},
            "平均所有者权益不大于 0，该比率没有意义",
        ),
    ],
)
def test_a_zero_denominator_or_a_missing_item_is_not_computable_with_the_reason(
    key: str, changes: dict, reason: str
) -> None:
    ratio = ratios.compute(key, year_2023(**changes))
    assert ratio.value is None
    assert ratio.reason is not None and ratio.reason.text() == reason


def test_days_are_zero_when_there_is_no_balance_but_the_turnover_is_not_computable() -> None:
    statements = year_2023(balance={"prepayments": "0"})
    assert ratios.compute("prepayment_days", statements).value == D("0.00")
    assert (
        ratios.compute(
            "receivables_turnover", year_2023(balance={"accounts_receivable": "0"})
        ).value
        is None
    )


def test_debt_service_without_depreciation_counts_it_as_zero_and_says_so() -> None:
    # (112,500 + 24,000) ÷ 124,000 = 1.1008… → 1.10
    ratio = ratios.compute(
        "debt_service_coverage", year_2023(supplement={"depreciation_amortisation": None})
    )
    assert ratio.value == D("1.10")
    assert [note.text() for note in ratio.notes] == ["未提供折旧和摊销，按 0 计算"]


def test_owners_equity_not_filled_in_is_assets_less_liabilities_saying_so() -> None:
    ratio = ratios.compute("owners_equity", year_2023(balance={"total_equity": None}))
    assert ratio.value == D("400000.00")
    assert [note.text() for note in ratio.notes] == [
        "未填列所有者权益合计，按资产总计减负债合计计算"
    ]


def test_nothing_given_makes_every_ratio_not_computable_without_a_crash() -> None:
    empty = EnterpriseStatements(Period(dt.date(2023, 12, 31)))
    found = ratios.all_ratios(empty)
    assert len(found) == len(ratios.SPECS)
    assert all(ratio.value is None and ratio.reason is not None for ratio in found)


def test_the_analysis_pairs_each_period_with_the_one_a_year_before() -> None:
    analysis = ratios.analyse([year_2023(), year_2022()])  # any order
    assert [p.statements.period.end for p in analysis.periods] == [
        dt.date(2022, 12, 31),
        dt.date(2023, 12, 31),
    ]
    assert analysis.periods[1].ratio("receivable_days").value == D("30.00")  # average
    assert analysis.periods[0].ratio("receivable_days").value is None  # no income in 2022


def test_the_trend_gives_each_ratio_over_the_periods_with_the_change() -> None:
    earlier = dataclasses.replace(
        year_2023(),
        period=Period(dt.date(2022, 12, 31)),
        balance_sheet=dataclasses.replace(year_2023().balance_sheet, total_liabilities=D("500000")),
    )
    analysis = ratios.analyse([earlier, year_2023()])
    line = next(line for line in analysis.trend if line.key == "asset_liability_ratio")
    # 500,000 ÷ 1,000,000 = 50.00 % → 60.00 %: up 10.00 points
    assert line.points == ((dt.date(2022, 12, 31), D("50.00")), (dt.date(2023, 12, 31), D("60.00")))
    assert line.changes == (None, D("10.00"))
    interest = next(line for line in analysis.trend if line.key == "interest_coverage")
    assert interest.changes == (None, D("0.00"))


def test_a_change_next_to_a_period_that_cannot_be_computed_is_unknown() -> None:
    analysis = ratios.analyse([year_2022(), year_2023()])
    line = next(line for line in analysis.trend if line.key == "current_ratio")
    assert [value for _end, value in line.points] == [None, D("1.25")]
    assert line.changes == (None, None)


def test_the_opening_balance_is_the_period_ending_months_earlier() -> None:
    unrelated = EnterpriseStatements(
        Period(dt.date(2023, 6, 30), 6), BalanceSheet(accounts_receivable=D("1"))
    )
    analysis = ratios.analyse([unrelated, year_2023()])
    # 2023-06-30 is not 12 months before 2023-12-31: the closing balance is used
    assert analysis.periods[1].ratio("receivable_days").value == D("36.00")
