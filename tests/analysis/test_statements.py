"""Statements: their items, the period before, and the checks that warn where totals are off."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from tests.analysis.examples import year_2023
from xindai.analysis import consistency
from xindai.analysis.statements import (
    SECTIONS,
    BalanceSheet,
    EnterpriseStatements,
    HouseholdStatement,
    IncomeStatement,
    Period,
    StatementKind,
    items_of,
)

D = Decimal


def test_the_balance_sheet_has_the_items_of_the_small_enterprise_statement() -> None:
    labels = [item.label for item in items_of(BalanceSheet)]
    assert len(labels) == 34
    assert labels[:3] == ["货币资金", "短期投资", "应收票据"]
    assert labels[-5:] == [
        "资本公积",
        "盈余公积",
        "未分配利润",
        "所有者权益合计",
        "负债和所有者权益总计",
    ]
    assert "其中：利息费用" in [item.label for item in items_of(IncomeStatement)]


@pytest.mark.parametrize("kind", list(StatementKind))
def test_keys_and_labels_are_unique_within_a_kind(kind: StatementKind) -> None:
    """A form or an Excel sheet holds a whole kind: an item is found by its key or label."""
    items = [item for section in SECTIONS[kind].values() for item in items_of(section)]
    assert len({item.key for item in items}) == len(items)
    assert len({item.label for item in items}) == len(items)


@pytest.mark.parametrize(
    ("end", "months", "previous"),
    [
        (dt.date(2023, 12, 31), 12, dt.date(2022, 12, 31)),
        (dt.date(2024, 2, 29), 12, dt.date(2023, 2, 28)),  # a month end stays a month end
        (dt.date(2023, 2, 28), 12, dt.date(2022, 2, 28)),
        (dt.date(2024, 6, 30), 6, dt.date(2023, 12, 31)),
        (dt.date(2024, 3, 31), 3, dt.date(2023, 12, 31)),
        (dt.date(2024, 3, 15), 1, dt.date(2024, 2, 15)),
    ],
)
def test_the_previous_period_ends_months_earlier(
    end: dt.date, months: int, previous: dt.date
) -> None:
    assert Period(end, months).previous_end() == previous


def test_statements_that_add_up_have_no_warnings() -> None:
    assert consistency.check(year_2023()) == []


def test_a_balance_sheet_off_by_more_than_one_yuan_warns_with_the_difference() -> None:
    statements = year_2023(balance={"total_equity": "399998.50"})
    texts = [problem.text() for problem in consistency.check(statements)]
    assert texts == [
        "资产总计 1,000,000.00 元不等于负债合计与所有者权益合计之和 999,998.50 元（相差 1.50 元）",
        "所有者权益合计 399,998.50 元与各分项计算值 400,000.00 元相差 -1.50 元",
        "负债和所有者权益总计 1,000,000.00 元与各分项计算值 999,998.50 元相差 1.50 元",
    ]


def test_a_difference_of_one_yuan_is_tolerated() -> None:
    assert (
        consistency.check(
            year_2023(balance={"total_equity": "399999", "retained_earnings": "99999"})
        )
        == []
    )


def test_subtotals_add_the_detail_lines_given_and_name_the_total() -> None:
    statements = year_2023(balance={"cash": "100001.01"})
    [problem] = consistency.check(statements)
    assert problem.field == "balance_sheet.total_current_assets"
    assert problem.text() == "流动资产合计 500,000.00 元与各分项计算值 500,001.01 元相差 -1.01 元"


def test_income_statement_steps_are_checked() -> None:
    statements = year_2023(income={"net_profit": "120000"})
    [problem] = consistency.check(statements)
    # 利润总额 150,000 − 所得税 37,500 = 112,500
    assert problem.text() == "净利润 120,000.00 元与各分项计算值 112,500.00 元相差 7,500.00 元"


def test_a_total_without_its_detail_lines_is_not_checked() -> None:
    only_totals = EnterpriseStatements(
        Period(dt.date(2023, 12, 31)),
        BalanceSheet(total_assets=D(10), total_current_assets=D(4), total_liabilities=D(6)),
    )
    assert consistency.check(only_totals) == []


def test_the_cash_flow_statement_adds_up_its_three_activities() -> None:
    statements = dataclasses.replace(
        year_2023(),
        cash_flow=dataclasses.replace(
            year_2023().cash_flow,
            operating_net=D(100),
            investing_net=D(-30),
            financing_net=D(-20),
            net_increase_in_cash=D(60),
        ),
    )
    [problem] = consistency.check(statements)
    assert problem.text() == "现金净增加额 60.00 元与各分项计算值 50.00 元相差 10.00 元"


def test_the_household_statement_adds_income_and_living_costs() -> None:
    household = HouseholdStatement(
        income_planting=D(80000),
        income_breeding=D(30000),
        income_wages=D(10000),
        expense_production=D(30000),
        expense_living=D(24000),
        expense_education=D(6000),
        expense_medical=D(3000),
        expense_favours=D(3000),
    )
    assert household.total_income == D(120000)
    assert household.living_costs == D(36000)  # production expenses are not living costs
    assert household.net_income == D(90000)
    assert HouseholdStatement().total_income is None
    assert HouseholdStatement(income_wages=D(1)).net_income is None  # production not given
