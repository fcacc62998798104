"""What the credit-limit page starts from, read from the data (reads only): the inputs of each
method prefilled, where they come from, and a guarantor's capacity from his archive.

- 流动资金需求测算 (enterprises, individual businesses): the last full year's statements of the
  financial analysis, as its ratio table shows them (two decimals): 营业收入, 销售利润率 and
  the five turnover days; 自有资金 = 流动资产合计 − 流动负债合计 (the long-term funds that
  finance current assets, at least 0), 现有流动资金贷款 = 短期借款. An individual business keeps
  no such books: its simple statement (保存的简易报表, else the archive) is read as a year of
  statements (``_as_year``) so that the same ratio definitions apply.
- 可支配现金流测算 (farmers, individual businesses): the household statement from the archive
  (a year, ÷ 12) or the business statement; existing debt service from the credit report
  summary (他行月还款额); the ceiling of payments to income from the credit policy.
- The loan: the product's rate on the business date, the applied term and method.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from xindai.analysis import ratios
from xindai.analysis import services as analysis
from xindai.analysis.statements import (
    BalanceSheet,
    BusinessStatement,
    EnterpriseStatements,
    IncomeStatement,
    Period,
    StatementKind,
)
from xindai.core.errors import DomainError
from xindai.core.money import to_fen
from xindai.core.problems import Problem
from xindai.core.problems import mark as _
from xindai.credit.facts import current_policy
from xindai.credit.models import CreditApplication
from xindai.customers import section_models as sm
from xindai.customers.models import Customer, CustomerKind

PERCENT_FIELDS = frozenset({"sales_margin", "growth", "max_debt_service_ratio", "annual_rate"})
WC_FROM_RATIOS = {
    "sales": "revenue",
    "sales_margin": "sales_margin",
    "inventory_days": "inventory_days",
    "receivable_days": "receivable_days",
    "payable_days": "payable_days",
    "prepayment_days": "prepayment_days",
    "advance_days": "advance_days",
}

FROM_STATEMENTS = _("财务报表 %(end)s（%(months)s 个月）")
FROM_BUSINESS = _("个体工商户简易报表")
FROM_BUSINESS_ARCHIVE = _("经济档案：经营情况")
FROM_HOUSEHOLD = _("经济档案：农户家庭收支（上年实际）")
FROM_CREDIT_REPORT = _("征信报告摘要 %(date)s：他行月还款额")
FROM_POLICY = _("信贷政策 V%(version)s：还款收入比上限")
FROM_PRODUCT = _("%(product)s %(date)s 执行利率；申请期限与还款方式")
NO_RATE = _("%(product)s %(date)s 无法定价：%(reason)s")
NO_STATEMENTS = _("尚无完整年度财务报表：请先在财务分析中录入，或手工填写")


@dataclass
class Prefill:
    inputs: dict[str, Any]  # LimitForm's fields in canonical units (rates as fractions)
    sources: list[Problem] = field(default_factory=list)


def number(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:f}"


def prefill(application: CreditApplication, as_of: dt.date) -> Prefill:
    found = Prefill({})
    kind = application.customer.kind
    if kind in (CustomerKind.ENTERPRISE, CustomerKind.BUSINESS):
        _working_capital(application.customer, found)
    if kind in (CustomerKind.FARMER, CustomerKind.BUSINESS):
        _cash_flow(application, found)
    _terms(application, as_of, found)
    return found


# ---- working capital -------------------------------------------------------------------------


def _working_capital(customer: Customer, found: Prefill) -> None:
    year = _last_year(customer, found)
    if year is None:
        found.sources.append(Problem("working_capital", NO_STATEMENTS))
        return
    current, previous = year
    for key, ratio in WC_FROM_RATIOS.items():
        value = ratios.compute(ratio, current, previous).value
        shown = value / 100 if value is not None and key in PERCENT_FIELDS else value
        found.inputs[key] = number(shown)
    found.inputs["growth"] = "0"
    sheet = current.balance_sheet
    if sheet.total_current_assets is not None and sheet.total_current_liabilities is not None:
        own = max(sheet.total_current_assets - sheet.total_current_liabilities, Decimal(0))
        found.inputs["own_funds"] = number(own)
    found.inputs["existing_loans"] = number(sheet.short_term_loans)


def _last_year(
    customer: Customer, found: Prefill
) -> tuple[EnterpriseStatements, EnterpriseStatements | None] | None:
    if customer.kind == CustomerKind.BUSINESS:
        saved = analysis.statement_sets(customer, StatementKind.BUSINESS)
        if saved:
            found.sources.append(Problem("working_capital", FROM_BUSINESS))
            return _as_year(saved[-1].sections()["business"], saved[-1].period_end), None
        found.sources.append(Problem("working_capital", FROM_BUSINESS_ARCHIVE))
        return _as_year(analysis.business_statement(customer), None), None
    by_end = {s.period_end: s for s in analysis.statement_sets(customer, StatementKind.ENTERPRISE)}
    annual = [s for s in by_end.values() if s.months == 12]
    if not annual:
        return None
    latest = max(annual, key=lambda s: s.period_end)
    current = latest.enterprise()
    before = by_end.get(current.period.previous_end())
    params = {"end": latest.period_end.isoformat(), "months": "12"}
    found.sources.append(Problem("working_capital", FROM_STATEMENTS, params))
    return current, before.enterprise() if before else None


def _as_year(business: BusinessStatement, end: dt.date | None) -> EnterpriseStatements:
    """An individual business's monthly figures as a year of statements: revenue = 12 ×
    turnover, cost of sales = 12 × (turnover − profit), operating profit = 12 × profit; stock,
    receivables and payables as the balance sheet."""
    turnover, profit = business.monthly_turnover, business.monthly_profit
    yearly: dict[str, Decimal | None] = {"revenue": None, "cost_of_sales": None}
    yearly["operating_profit"] = profit * 12 if profit is not None else None
    if turnover is not None:
        yearly["revenue"] = turnover * 12
        yearly["cost_of_sales"] = (turnover - profit) * 12 if profit is not None else None
    sheet = BalanceSheet(
        accounts_receivable=business.receivables,
        inventory=business.inventory,
        accounts_payable=business.payables,
    )
    period = Period(end or dt.date(2000, 12, 31))  # the date is not read by these ratios
    return EnterpriseStatements(period, sheet, IncomeStatement(**yearly))


# ---- cash flow -------------------------------------------------------------------------------


def _cash_flow(application: CreditApplication, found: Prefill) -> None:
    customer = application.customer
    debt: Decimal | None = None
    if customer.kind == CustomerKind.FARMER:
        household = analysis.household_statement(customer)
        found.sources.append(Problem("cash_flow", FROM_HOUSEHOLD))
        income, living = household.net_income, household.living_costs
        found.inputs["monthly_income"] = number(to_fen(income / 12) if income is not None else None)
        found.inputs["monthly_living_costs"] = number(
            to_fen(living / 12) if living is not None else None
        )
    else:
        saved = analysis.statement_sets(customer, StatementKind.BUSINESS)
        business = saved[-1].sections()["business"] if saved else None
        business = business or analysis.business_statement(customer)
        source = FROM_BUSINESS if saved else FROM_BUSINESS_ARCHIVE
        found.sources.append(Problem("cash_flow", source))
        found.inputs["monthly_income"] = number(business.monthly_profit)
        found.inputs["monthly_living_costs"] = number(business.monthly_living_costs)
        debt = business.monthly_debt_service
    report = getattr(application, "credit_report", None)
    if report is not None:
        debt = report.monthly_debt_service
        date = report.report_date.isoformat()
        found.sources.append(Problem("cash_flow", FROM_CREDIT_REPORT, {"date": date}))
    found.inputs["monthly_debt_service"] = number(debt)
    version, policy = current_policy()
    found.inputs["max_debt_service_ratio"] = number(policy.max_debt_to_income)
    found.sources.append(Problem("cash_flow", FROM_POLICY, {"version": str(version.number)}))


def _terms(application: CreditApplication, as_of: dt.date, found: Prefill) -> None:
    params = {"product": application.product.name, "date": as_of.isoformat()}
    try:
        found.inputs["annual_rate"] = number(application.product.effective_rate(as_of))
    except DomainError as refused:  # no LPR quotation on that day
        found.sources.append(Problem("terms", NO_RATE, params | {"reason": refused.message}))
    else:
        found.sources.append(Problem("terms", FROM_PRODUCT, params))
    found.inputs["term_months"] = application.term_months
    found.inputs["repayment_method"] = application.repayment_method


# ---- a guarantor's archive -------------------------------------------------------------------


def guarantor_figures(customer: Customer) -> tuple[Decimal | None, Decimal]:
    """(net assets, guarantees already given) as the guarantor's archive records them: assets
    less debts (a farmer's or a business's archive; an enterprise's latest statements), and the
    balance of the guarantees he has given (负债：对外担保)."""
    given = sm.Liability.objects.filter(
        customer=customer, category=sm.LiabilityCategory.GUARANTEE
    ).values_list("balance", flat=True)
    return _net_assets(customer), sum(given, Decimal(0))


def _net_assets(customer: Customer) -> Decimal | None:
    if customer.kind == CustomerKind.FARMER:
        statement: Any = analysis.household_statement(customer)
    elif customer.kind == CustomerKind.BUSINESS:
        statement = analysis.business_statement(customer)
    else:
        saved = analysis.statement_sets(customer, StatementKind.ENTERPRISE)
        if saved:
            value = ratios.compute("owners_equity", saved[-1].enterprise()).value
            if value is not None:
                return value
        statement = sm.FinancialStatement.objects.filter(customer=customer).order_by("-period_end")
        statement = statement.first()
    if statement is None or statement.total_assets is None:
        return None
    return statement.total_assets - (statement.total_liabilities or Decimal(0))
