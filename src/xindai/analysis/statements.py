"""A period's financial statements (pure: stdlib and ``xindai.core`` only).

Enterprises file the statements of 《小企业会计准则》(财会〔2011〕17 号): the balance sheet
(会小企01表), the income statement (会小企02表) and the cash-flow statement (会小企03表).
``BalanceSheet``, ``IncomeStatement`` and ``CashFlowStatement`` hold the items a credit analyst
reads; ``Supplement`` holds two figures that no statement prints but the debt-service coverage
needs: depreciation and amortisation (from the notes) and the principal due in the period
(from the loan contracts). A listed company's statements under 《企业会计准则》 map onto these
items with the rest summed into the "其他" lines.

Individual businesses (个体工商户) keep no such books: ``BusinessStatement`` holds what an
investigation finds (monthly turnover and profit, stock, receivables, living costs, ...).
Households (农户) have ``HouseholdStatement``: a year's income by source and expenses by
category, as the economic archive records them.

Every item is ``Decimal | None``; None means "not given" and no ratio reads it as zero. The
checks that the statements add up are in :mod:`xindai.analysis.consistency`.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from xindai.core.problems import mark as _

Amount = Decimal | None


@dataclass(frozen=True)
class Item:
    """What an item of a statement is (in its annotation): its label; a ``signed`` item may be
    negative (a loss, a net outflow), the others may not."""

    label: str
    signed: bool = False


@dataclass(frozen=True)
class ItemInfo:
    key: str
    label: str
    signed: bool


def items_of(section: type) -> tuple[ItemInfo, ...]:
    """The items of a statement section, in order."""
    if section not in _ITEMS:
        _ITEMS[section] = _read_items(section)
    return _ITEMS[section]


_ITEMS: dict[type, tuple[ItemInfo, ...]] = {}


def _read_items(section: type) -> tuple[ItemInfo, ...]:
    hints = typing.get_type_hints(section, include_extras=True)
    found = []
    for f in dataclasses.fields(section):
        item = hints[f.name].__metadata__[0]
        found.append(ItemInfo(f.name, item.label, item.signed))
    return tuple(found)


# ---- enterprise statements ---------------------------------------------------------------------


@dataclass(frozen=True)
class BalanceSheet:
    cash: Annotated[Amount, Item(_("货币资金"))] = None
    short_term_investments: Annotated[Amount, Item(_("短期投资"))] = None
    notes_receivable: Annotated[Amount, Item(_("应收票据"))] = None
    accounts_receivable: Annotated[Amount, Item(_("应收账款"))] = None
    prepayments: Annotated[Amount, Item(_("预付账款"))] = None
    other_receivables: Annotated[Amount, Item(_("其他应收款"))] = None
    inventory: Annotated[Amount, Item(_("存货"))] = None
    other_current_assets: Annotated[Amount, Item(_("其他流动资产"))] = None
    total_current_assets: Annotated[Amount, Item(_("流动资产合计"))] = None
    long_term_equity_investments: Annotated[Amount, Item(_("长期股权投资"))] = None
    fixed_assets: Annotated[Amount, Item(_("固定资产（净值）"))] = None
    construction_in_progress: Annotated[Amount, Item(_("在建工程"))] = None
    intangible_assets: Annotated[Amount, Item(_("无形资产"))] = None
    other_non_current_assets: Annotated[Amount, Item(_("其他非流动资产"))] = None
    total_assets: Annotated[Amount, Item(_("资产总计"))] = None
    short_term_loans: Annotated[Amount, Item(_("短期借款"))] = None
    notes_payable: Annotated[Amount, Item(_("应付票据"))] = None
    accounts_payable: Annotated[Amount, Item(_("应付账款"))] = None
    advances_from_customers: Annotated[Amount, Item(_("预收账款"))] = None
    payroll_payable: Annotated[Amount, Item(_("应付职工薪酬"))] = None
    taxes_payable: Annotated[Amount, Item(_("应交税费"), signed=True)] = None
    other_payables: Annotated[Amount, Item(_("其他应付款"))] = None
    other_current_liabilities: Annotated[Amount, Item(_("其他流动负债"))] = None
    total_current_liabilities: Annotated[Amount, Item(_("流动负债合计"))] = None
    long_term_loans: Annotated[Amount, Item(_("长期借款"))] = None
    long_term_payables: Annotated[Amount, Item(_("长期应付款"))] = None
    other_non_current_liabilities: Annotated[Amount, Item(_("其他非流动负债"))] = None
    total_liabilities: Annotated[Amount, Item(_("负债合计"))] = None
    paid_in_capital: Annotated[Amount, Item(_("实收资本"))] = None
    capital_reserve: Annotated[Amount, Item(_("资本公积"), signed=True)] = None
    surplus_reserve: Annotated[Amount, Item(_("盈余公积"))] = None
    retained_earnings: Annotated[Amount, Item(_("未分配利润"), signed=True)] = None
    total_equity: Annotated[Amount, Item(_("所有者权益合计"), signed=True)] = None
    total_liabilities_and_equity: Annotated[Amount, Item(_("负债和所有者权益总计"))] = None


@dataclass(frozen=True)
class IncomeStatement:
    revenue: Annotated[Amount, Item(_("营业收入"))] = None
    cost_of_sales: Annotated[Amount, Item(_("营业成本"))] = None
    taxes_and_surcharges: Annotated[Amount, Item(_("税金及附加"))] = None
    selling_expenses: Annotated[Amount, Item(_("销售费用"))] = None
    admin_expenses: Annotated[Amount, Item(_("管理费用"))] = None
    finance_costs: Annotated[Amount, Item(_("财务费用"), signed=True)] = None
    interest_expense: Annotated[Amount, Item(_("其中：利息费用"))] = None
    investment_income: Annotated[Amount, Item(_("投资收益"), signed=True)] = None
    operating_profit: Annotated[Amount, Item(_("营业利润"), signed=True)] = None
    non_operating_income: Annotated[Amount, Item(_("营业外收入"))] = None
    non_operating_expenses: Annotated[Amount, Item(_("营业外支出"))] = None
    total_profit: Annotated[Amount, Item(_("利润总额"), signed=True)] = None
    income_tax: Annotated[Amount, Item(_("所得税费用"), signed=True)] = None
    net_profit: Annotated[Amount, Item(_("净利润"), signed=True)] = None


@dataclass(frozen=True)
class CashFlowStatement:
    operating_net: Annotated[Amount, Item(_("经营活动产生的现金流量净额"), signed=True)] = None
    investing_net: Annotated[Amount, Item(_("投资活动产生的现金流量净额"), signed=True)] = None
    financing_net: Annotated[Amount, Item(_("筹资活动产生的现金流量净额"), signed=True)] = None
    debt_repaid: Annotated[Amount, Item(_("偿还债务支付的现金"))] = None
    dividends_and_interest_paid: Annotated[
        Amount, Item(_("分配股利、利润或偿付利息支付的现金"))
    ] = None
    net_increase_in_cash: Annotated[Amount, Item(_("现金净增加额"), signed=True)] = None


@dataclass(frozen=True)
class Supplement:
    depreciation_amortisation: Annotated[Amount, Item(_("折旧和摊销"))] = None
    principal_due: Annotated[Amount, Item(_("本期应还本金"))] = None


# ---- individual businesses and households ------------------------------------------------------


@dataclass(frozen=True)
class BusinessStatement:
    """个体工商户简易报表: monthly figures of the business and the family behind it."""

    monthly_turnover: Annotated[Amount, Item(_("月均营业额"))] = None
    monthly_profit: Annotated[Amount, Item(_("月均利润"), signed=True)] = None
    cash: Annotated[Amount, Item(_("现金及存款"))] = None
    receivables: Annotated[Amount, Item(_("应收账款"))] = None
    inventory: Annotated[Amount, Item(_("存货"))] = None
    payables: Annotated[Amount, Item(_("应付账款"))] = None
    total_assets: Annotated[Amount, Item(_("资产合计"))] = None
    total_liabilities: Annotated[Amount, Item(_("负债合计"))] = None
    monthly_living_costs: Annotated[Amount, Item(_("家庭月生活支出"))] = None
    monthly_debt_service: Annotated[Amount, Item(_("现有债务月还款额"))] = None


INCOME_ITEMS = (
    "income_planting",
    "income_breeding",
    "income_wages",
    "income_business",
    "income_transfer",
    "income_other",
)
LIVING_ITEMS: tuple[str, ...] = (
    "expense_living",
    "expense_education",
    "expense_medical",
    "expense_favours",
    "expense_other",
)


@dataclass(frozen=True)
class HouseholdStatement:
    """农户家庭收支表: one year's income and expenses, what the household owns and owes."""

    income_planting: Annotated[Amount, Item(_("种植收入"))] = None
    income_breeding: Annotated[Amount, Item(_("养殖收入"))] = None
    income_wages: Annotated[Amount, Item(_("务工收入"))] = None
    income_business: Annotated[Amount, Item(_("经营收入"))] = None
    income_transfer: Annotated[Amount, Item(_("补贴与转移收入"))] = None
    income_other: Annotated[Amount, Item(_("其他收入"))] = None
    expense_production: Annotated[Amount, Item(_("生产支出"))] = None
    expense_living: Annotated[Amount, Item(_("生活支出"))] = None
    expense_education: Annotated[Amount, Item(_("教育支出"))] = None
    expense_medical: Annotated[Amount, Item(_("医疗支出"))] = None
    expense_favours: Annotated[Amount, Item(_("人情往来支出"))] = None
    expense_other: Annotated[Amount, Item(_("其他支出"))] = None
    total_assets: Annotated[Amount, Item(_("资产合计"))] = None
    total_liabilities: Annotated[Amount, Item(_("负债合计"))] = None
    yearly_debt_service: Annotated[Amount, Item(_("现有债务年还本付息额"))] = None

    @property
    def total_income(self) -> Amount:
        return _sum_given(getattr(self, key) for key in INCOME_ITEMS)

    @property
    def living_costs(self) -> Amount:
        """Everything the family spends except on production."""
        return _sum_given(getattr(self, key) for key in LIVING_ITEMS)

    @property
    def net_income(self) -> Amount:
        """Income less production expenses (None until both are given)."""
        income, production = self.total_income, self.expense_production
        return None if income is None or production is None else income - production


def _sum_given(values: Iterable[Amount]) -> Amount:
    present = [value for value in values if value is not None]
    return sum(present, Decimal(0)) if present else None


# ---- a period ----------------------------------------------------------------------------------


class StatementKind(StrEnum):
    ENTERPRISE = "enterprise"
    BUSINESS = "business"
    HOUSEHOLD = "household"


SECTIONS: dict[StatementKind, dict[str, type]] = {
    StatementKind.ENTERPRISE: {
        "balance_sheet": BalanceSheet,
        "income_statement": IncomeStatement,
        "cash_flow": CashFlowStatement,
        "supplement": Supplement,
    },
    StatementKind.BUSINESS: {"business": BusinessStatement},
    StatementKind.HOUSEHOLD: {"household": HouseholdStatement},
}
SECTION_LABELS: dict[str, str] = {
    "balance_sheet": _("资产负债表"),
    "income_statement": _("利润表"),
    "cash_flow": _("现金流量表"),
    "supplement": _("补充资料"),
    "business": _("个体工商户简易报表"),
    "household": _("农户家庭收支表"),
}


@dataclass(frozen=True)
class Period:
    end: dt.date
    months: int = 12  # 12 for an annual statement

    def previous_end(self) -> dt.date:
        """The end of the period before, ``months`` earlier (a month end stays a month end)."""
        index = self.end.year * 12 + self.end.month - 1 - self.months
        year, month = divmod(index, 12)
        last_day = calendar.monthrange(year, month + 1)[1]
        at_month_end = self.end.day == calendar.monthrange(self.end.year, self.end.month)[1]
        return dt.date(year, month + 1, last_day if at_month_end else min(self.end.day, last_day))


@dataclass(frozen=True)
class EnterpriseStatements:
    period: Period
    balance_sheet: BalanceSheet = BalanceSheet()
    income: IncomeStatement = IncomeStatement()
    cash_flow: CashFlowStatement = CashFlowStatement()
    supplement: Supplement = Supplement()
