"""What each ratio computes (pure): the items it reads and the arithmetic, unrounded, with a
percentage as a fraction. The definitions and their sources are in :mod:`xindai.analysis.ratios`,
which rounds the results and puts them together.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from xindai.analysis.statements import (
    BalanceSheet,
    CashFlowStatement,
    EnterpriseStatements,
    IncomeStatement,
    Supplement,
    items_of,
)
from xindai.core.problems import Problem
from xindai.core.problems import mark as _

PERCENT = "%"
TIMES = _("倍")
TURNS = _("次")
DAYS = _("天")
YUAN = _("元")
YEAR_DAYS = Decimal(360)

_LABELS = {
    info.key: info.label
    for section in (BalanceSheet, IncomeStatement, CashFlowStatement, Supplement)
    for info in items_of(section)
} | {"interest_expense": _("利息费用")}  # in a message, without the statement's "其中："


class NotComputable(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.text())
        self.problem = problem


class Inputs:
    """The items one ratio reads, each either given or a ``NotComputable`` naming it."""

    def __init__(
        self, key: str, current: EnterpriseStatements, previous: EnterpriseStatements | None
    ) -> None:
        self.key, self.current, self.previous = key, current, previous
        self.notes: list[Problem] = []

    def _given(self, value: Decimal | None, item: str) -> Decimal:
        if value is None:
            raise NotComputable(Problem(self.key, MISSING, {"item": _LABELS[item]}))
        return value

    def note(self, template: str, **params: str) -> None:
        problem = Problem(self.key, template, params)
        if problem not in self.notes:
            self.notes.append(problem)

    def closing(self, item: str) -> Decimal:
        return self._given(getattr(self.current.balance_sheet, item), item)

    def average(self, item: str) -> Decimal:
        closing = self.closing(item)
        opening = getattr(self.previous.balance_sheet, item) if self.previous else None
        if opening is None:
            self.note(CLOSING_USED, item=_LABELS[item])
            return closing
        return (opening + closing) / 2

    def flow(self, item: str) -> Decimal:
        return self._given(getattr(self.current.income, item), item)

    def annual(self, item: str) -> Decimal:
        months = self.current.period.months
        if months == 12:
            return self.flow(item)
        self.note(ANNUALISED, months=str(months), item=_LABELS[item])
        return self.flow(item) * 12 / months

    def supplement(self, item: str) -> Decimal | None:
        value: Decimal | None = getattr(self.current.supplement, item)
        return value

    def divide(self, numerator: Decimal, denominator: Decimal, label: str) -> Decimal:
        if denominator == 0:
            raise NotComputable(Problem(self.key, ZERO_DENOMINATOR, {"item": label}))
        return numerator / denominator

    def positive(self, value: Decimal, label: str) -> Decimal:
        if value <= 0:
            raise NotComputable(Problem(self.key, NOT_POSITIVE, {"item": label}))
        return value


MISSING = _("缺少“%(item)s”，无法计算")
ZERO_DENOMINATOR = _("%(item)s为 0，无法计算")
NOT_POSITIVE = _("%(item)s不大于 0，该比率没有意义")
CLOSING_USED = _("未提供上期期末%(item)s，按本期期末余额计算")
ANNUALISED = _("报表期间为 %(months)s 个月，%(item)s已按 12 个月年化")
NO_DEPRECIATION = _("未提供折旧和摊销，按 0 计算")
EQUITY_DERIVED = _("未填列所有者权益合计，按资产总计减负债合计计算")
AVERAGE_EQUITY = _("平均所有者权益")
AVERAGE_ASSETS = _("平均资产总额")
DEBT_SERVICE = _("利息费用与本期应还本金之和")


# ---- what each ratio computes (unrounded; percentages as fractions) ---------------------------


def _asset_liability(i: Inputs) -> Decimal:
    return i.divide(
        i.closing("total_liabilities"), i.closing("total_assets"), _LABELS["total_assets"]
    )


def _current(i: Inputs) -> Decimal:
    current_liabilities = i.closing("total_current_liabilities")
    label = _LABELS["total_current_liabilities"]
    return i.divide(i.closing("total_current_assets"), current_liabilities, label)


def _quick(i: Inputs) -> Decimal:
    quick_assets = i.closing("total_current_assets") - i.closing("inventory")
    label = _LABELS["total_current_liabilities"]
    return i.divide(quick_assets, i.closing("total_current_liabilities"), label)


def _owners_equity(i: Inputs) -> Decimal:
    if i.current.balance_sheet.total_equity is not None:
        return i.current.balance_sheet.total_equity
    value = i.closing("total_assets") - i.closing("total_liabilities")
    i.note(EQUITY_DERIVED)
    return value


def _interest_coverage(i: Inputs) -> Decimal:
    interest = i.flow("interest_expense")
    return i.divide(i.flow("total_profit") + interest, interest, _LABELS["interest_expense"])


def _debt_service_coverage(i: Inputs) -> Decimal:
    interest = i.flow("interest_expense")
    principal = i.supplement("principal_due")
    if principal is None:
        raise NotComputable(Problem(i.key, MISSING, {"item": _LABELS["principal_due"]}))
    depreciation = i.supplement("depreciation_amortisation")
    if depreciation is None:
        i.note(NO_DEPRECIATION)
    available = i.flow("net_profit") + interest + (depreciation or 0)
    return i.divide(available, interest + principal, DEBT_SERVICE)


def _turnover(flow: str, balance: str) -> Callable[[Inputs], Decimal]:
    def compute(i: Inputs) -> Decimal:
        return i.divide(i.annual(flow), i.average(balance), _LABELS[balance])

    return compute


def _days(flow: str, balance: str) -> Callable[[Inputs], Decimal]:
    def compute(i: Inputs) -> Decimal:
        average = i.average(balance)
        return i.divide(YEAR_DAYS * average, i.annual(flow), _LABELS[flow])

    return compute


def _amount(item: str) -> Callable[[Inputs], Decimal]:
    return lambda i: i.flow(item)


_EXPENSES: tuple[str, ...] = (
    "cost_of_sales",
    "taxes_and_surcharges",
    "selling_expenses",
    "admin_expenses",
    "finance_costs",
)


def _expenses(i: Inputs) -> Decimal:
    return sum((i.flow(item) for item in _EXPENSES), Decimal(0))


def _gross_margin(i: Inputs) -> Decimal:
    revenue = i.flow("revenue")
    return i.divide(revenue - i.flow("cost_of_sales"), revenue, _LABELS["revenue"])


def _sales_margin(i: Inputs) -> Decimal:
    return i.divide(i.flow("operating_profit"), i.flow("revenue"), _LABELS["revenue"])


def _return_on(balance: str, label: str) -> Callable[[Inputs], Decimal]:
    def compute(i: Inputs) -> Decimal:
        average = i.positive(i.average(balance), label)
        return i.annual("net_profit") / average

    return compute


# ---- the ratios --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RatioSpec:
    key: str
    label: str
    unit: str
    formula: str
    compute: Callable[[Inputs], Decimal]


SPECS: tuple[RatioSpec, ...] = (
    RatioSpec(
        "asset_liability_ratio",
        _("资产负债率"),
        PERCENT,
        _("负债合计 ÷ 资产总计 × 100%"),
        _asset_liability,
    ),
    RatioSpec("current_ratio", _("流动比率"), TIMES, _("流动资产合计 ÷ 流动负债合计"), _current),
    RatioSpec(
        "quick_ratio", _("速动比率"), TIMES, _("（流动资产合计 − 存货）÷ 流动负债合计"), _quick
    ),
    RatioSpec("owners_equity", _("所有者权益"), YUAN, _("所有者权益合计"), _owners_equity),
    RatioSpec(
        "interest_coverage",
        _("利息保障倍数"),
        TIMES,
        _("（利润总额 + 利息费用）÷ 利息费用"),
        _interest_coverage,
    ),
    RatioSpec(
        "debt_service_coverage",
        _("偿债覆盖率"),
        TIMES,
        _("（净利润 + 利息费用 + 折旧和摊销）÷（利息费用 + 本期应还本金）"),
        _debt_service_coverage,
    ),
    RatioSpec(
        "receivables_turnover",
        _("应收账款周转率"),
        TURNS,
        _("营业收入 ÷ 平均应收账款"),
        _turnover("revenue", "accounts_receivable"),
    ),
    RatioSpec(
        "receivable_days",
        _("应收账款周转天数"),
        DAYS,
        _("360 ÷ 应收账款周转率"),
        _days("revenue", "accounts_receivable"),
    ),
    RatioSpec(
        "inventory_turnover",
        _("存货周转率"),
        TURNS,
        _("营业成本 ÷ 平均存货"),
        _turnover("cost_of_sales", "inventory"),
    ),
    RatioSpec(
        "inventory_days",
        _("存货周转天数"),
        DAYS,
        _("360 ÷ 存货周转率"),
        _days("cost_of_sales", "inventory"),
    ),
    RatioSpec(
        "payable_days",
        _("应付账款周转天数"),
        DAYS,
        _("360 × 平均应付账款 ÷ 营业成本"),
        _days("cost_of_sales", "accounts_payable"),
    ),
    RatioSpec(
        "prepayment_days",
        _("预付账款周转天数"),
        DAYS,
        _("360 × 平均预付账款 ÷ 营业成本"),
        _days("cost_of_sales", "prepayments"),
    ),
    RatioSpec(
        "advance_days",
        _("预收账款周转天数"),
        DAYS,
        _("360 × 平均预收账款 ÷ 营业收入"),
        _days("revenue", "advances_from_customers"),
    ),
    RatioSpec("revenue", _("营业收入"), YUAN, _("营业收入"), _amount("revenue")),
    RatioSpec(
        "expenses",
        _("成本费用总额"),
        YUAN,
        _("营业成本 + 税金及附加 + 销售费用 + 管理费用 + 财务费用"),
        _expenses,
    ),
    RatioSpec("net_profit", _("净利润"), YUAN, _("净利润"), _amount("net_profit")),
    RatioSpec(
        "gross_margin",
        _("毛利率"),
        PERCENT,
        _("（营业收入 − 营业成本）÷ 营业收入 × 100%"),
        _gross_margin,
    ),
    RatioSpec(
        "sales_margin",
        _("销售利润率"),
        PERCENT,
        _("营业利润 ÷ 营业收入 × 100%"),
        _sales_margin,
    ),
    RatioSpec(
        "return_on_assets",
        _("总资产收益率"),
        PERCENT,
        _("净利润 ÷ 平均资产总额 × 100%"),
        _return_on("total_assets", AVERAGE_ASSETS),
    ),
    RatioSpec(
        "return_on_equity",
        _("净资产收益率"),
        PERCENT,
        _("净利润 ÷ 平均所有者权益 × 100%"),
        _return_on("total_equity", AVERAGE_EQUITY),
    ),
)
SPEC_BY_KEY = {spec.key: spec for spec in SPECS}
