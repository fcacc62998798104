"""(b) The credit limit from repayment capacity, for households and individual businesses
(pure): see :mod:`xindai.analysis.limits` for the method.

月可支配现金流 = 月均净收入 − 月生活支出 − 现有债务月还款; the policy's ceiling of all debt
payments to income allows 月均净收入 × 上限 − 现有债务月还款; the smaller is the largest new
monthly payment, and the largest principal in whole yuan whose schedule never asks more per
month is found by bisection over real schedules (``loans.schedule.build``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal

from xindai.analysis.definitions import MISSING
from xindai.analysis.statements import BusinessStatement, HouseholdStatement
from xindai.analysis.steps import LimitMethod, LimitResult, Step, formula_of, percent, yuan
from xindai.core.money import ZERO, to_fen
from xindai.core.problems import Problem
from xindai.core.problems import mark as _
from xindai.loans.schedule import MAX_PRINCIPAL, Frequency, LoanTerms, Method, Schedule, build

METHOD_NAMES: dict[Method, str] = {
    Method.EQUAL_INSTALLMENT: _("等额本息"),
    Method.EQUAL_PRINCIPAL: _("等额本金"),
    Method.INTEREST_ONLY: _("按期付息到期还本"),
    Method.BULLET: _("利随本清"),
    Method.FLAT: _("平息法"),
}


@dataclass(frozen=True)
class CashFlowInputs:
    monthly_income: Decimal  # 月均净收入 (of the business or the household)
    monthly_living_costs: Decimal
    monthly_debt_service: Decimal  # existing debts
    max_debt_service_ratio: Decimal  # the policy's ceiling of all payments to income
    terms: LoanTerms  # the product's rate, term and method; the principal is searched
    max_principal: Decimal = MAX_PRINCIPAL  # e.g. the product's highest amount


CF = LimitMethod.CASH_FLOW
NO_CAPACITY = _("可支配现金流不足以承担新增贷款的月还款")


def cash_flow(inputs: CashFlowInputs) -> LimitResult:
    """(b) the largest principal the borrower's monthly cash flow can repay."""
    income, debt = inputs.monthly_income, inputs.monthly_debt_service
    disposable = income - inputs.monthly_living_costs - debt
    within_ratio = income * inputs.max_debt_service_ratio - debt
    allowed = min(disposable, within_ratio)
    steps = [
        Step("disposable", _("月可支配现金流"), _disposable_formula(inputs), to_fen(disposable)),
        Step(
            "within_ratio",
            _("还款收入比上限内的月还款额"),
            _ratio_formula(inputs),
            to_fen(within_ratio),
        ),
        Step(
            "installment",
            _("可承受的新增月还款额"),
            formula_of("installment", _("取以上两者中的较小者")),
            to_fen(allowed),
        ),
    ]
    if allowed <= 0:
        return LimitResult(CF, tuple(steps), ZERO, Problem(CF, NO_CAPACITY))
    principal = to_fen(largest_principal(inputs.terms, allowed, inputs.max_principal))
    steps.append(_principal_step(inputs.terms, allowed, principal))
    return LimitResult(CF, tuple(steps), principal)


def _disposable_formula(inputs: CashFlowInputs) -> Problem:
    template = _("月均净收入 %(income)s − 月生活支出 %(living)s − 现有债务月还款 %(debt)s")
    return formula_of(
        "disposable",
        template,
        income=yuan(inputs.monthly_income),
        living=yuan(inputs.monthly_living_costs),
        debt=yuan(inputs.monthly_debt_service),
    )


def _ratio_formula(inputs: CashFlowInputs) -> Problem:
    template = _("月均净收入 %(income)s × 还款收入比上限 %(ratio)s − 现有债务月还款 %(debt)s")
    return formula_of(
        "within_ratio",
        template,
        income=yuan(inputs.monthly_income),
        ratio=percent(inputs.max_debt_service_ratio),
        debt=yuan(inputs.monthly_debt_service),
    )


def _principal_step(terms: LoanTerms, allowed: Decimal, principal: Decimal) -> Step:
    payment = monthly_payment(build(_with(terms, principal))) if principal else ZERO
    template = _(
        "年利率 %(rate)s、%(periods)s 期、%(method)s：月还款额不超过 %(allowed)s 的最大整元本金"
        "（其月还款额 %(payment)s）"
    )
    formula = formula_of(
        "principal",
        template,
        rate=percent(terms.annual_rate),
        periods=str(terms.periods),
        method=METHOD_NAMES[terms.method],
        allowed=yuan(to_fen(allowed)),
        payment=yuan(to_fen(payment)),
    )
    return Step("principal", _("最高贷款本金"), formula, principal)


def monthly_payment(schedule: Schedule) -> Decimal:
    """The largest regular payment per month (as the admission check reads it): the largest
    row of an amortising schedule, the interest of 按期付息 (not the principal at maturity),
    and for 利随本清 the whole repayment spread over the term's months."""
    terms = schedule.terms
    months = 3 if terms.frequency == Frequency.QUARTERLY else 1
    payments = [row.payment for row in schedule.rows]
    if terms.method == Method.BULLET or len(payments) == 1:
        return schedule.total_payment / (terms.periods * months)
    regular = payments[:-1] if terms.method == Method.INTEREST_ONLY else payments
    return max(regular) / months


def _with(terms: LoanTerms, principal: Decimal) -> LoanTerms:
    return dataclasses.replace(terms, principal=principal)


def largest_principal(terms: LoanTerms, allowed: Decimal, cap: Decimal = MAX_PRINCIPAL) -> Decimal:
    """The largest whole-yuan principal (at most ``cap``) whose monthly payment under ``terms``
    is at most ``allowed``: doubling, then bisection on integers, each probe a real schedule.

    It relies on the payment growing with the principal, as every method's does; the answer
    always fits (``fits(low)`` holds throughout), and one yuan more does not."""

    def fits(principal: int) -> bool:
        return principal == 0 or monthly_payment(build(_with(terms, Decimal(principal)))) <= allowed

    ceiling = int(min(cap, MAX_PRINCIPAL))
    low, high = 0, 1
    while high <= ceiling and fits(high):
        low, high = high, high * 2
    if high > ceiling:
        if fits(ceiling):
            return Decimal(ceiling)
        high = ceiling
    while high - low > 1:  # fits(low) and not fits(high)
        middle = (low + high) // 2
        low, high = (middle, high) if fits(middle) else (low, middle)
    return Decimal(low)


def _missing(figures: dict[str, Decimal | None]) -> Problem | None:
    """The first figure that is not given, as a reason; None when all are."""
    for label, value in figures.items():
        if value is None:
            return Problem(CF, MISSING, {"item": label})
    return None


def household_cash_flow(
    statement: HouseholdStatement,
    *,
    max_debt_service_ratio: Decimal,
    terms: LoanTerms,
    max_principal: Decimal = MAX_PRINCIPAL,
) -> LimitResult:
    """(b) for a household: its year's net income, living costs and debt service ÷ 12."""
    yearly = {
        _("家庭年收入"): statement.total_income,
        _("生产支出"): statement.expense_production,
        _("生活支出"): statement.living_costs,
        _("现有债务年还本付息额"): statement.yearly_debt_service,
    }
    missing = _missing(yearly)
    if missing is not None:
        return LimitResult(CF, (), None, missing)
    income, production, living, debt = (value or ZERO for value in yearly.values())
    inputs = CashFlowInputs(
        (income - production) / 12,
        living / 12,
        debt / 12,
        max_debt_service_ratio,
        terms,
        max_principal,
    )
    return cash_flow(inputs)


def business_cash_flow(
    statement: BusinessStatement,
    *,
    max_debt_service_ratio: Decimal,
    terms: LoanTerms,
    max_principal: Decimal = MAX_PRINCIPAL,
) -> LimitResult:
    """(b) for an individual business: monthly profit less the family's living costs."""
    monthly = {
        _("月均利润"): statement.monthly_profit,
        _("家庭月生活支出"): statement.monthly_living_costs,
        _("现有债务月还款额"): statement.monthly_debt_service,
    }
    missing = _missing(monthly)
    if missing is not None:
        return LimitResult(CF, (), None, missing)
    profit, living, debt = (value or ZERO for value in monthly.values())
    inputs = CashFlowInputs(profit, living, debt, max_debt_service_ratio, terms, max_principal)
    return cash_flow(inputs)
