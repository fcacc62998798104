"""Credit limit (授信额度测算): three methods, every step shown, and the suggestion (pure).

(a) Working capital (流动资金贷款), the annex 《流动资金贷款需求量的测算参考》 of
    《流动资金贷款管理暂行办法》 (银监会令 2010 年第 1 号, kept by the 2024 办法)::

        营运资金周转天数 = 存货周转天数 + 应收账款周转天数 − 应付账款周转天数
                           + 预付账款周转天数 − 预收账款周转天数
        营运资金周转次数 = 360 ÷ 营运资金周转天数
        营运资金量 = 上年度销售收入 × (1 − 上年度销售利润率) × (1 + 预计销售收入年增长率)
                     ÷ 营运资金周转次数
        新增流动资金贷款额度 = 营运资金量 − 借款人自有资金 − 现有流动资金贷款
                               − 其他渠道提供的营运资金

    Dividing by 360 ÷ days is computed as × days ÷ 360, so no rounded turnover enters it.
(b) Cash flow (农户、个体工商户): 月可支配现金流 = 月均净收入 − 月生活支出 − 现有债务月还款;
    the policy's ceiling of all debt payments to income (``Policy.max_debt_to_income``) allows
    月均净收入 × 上限 − 现有债务月还款; the smaller of the two is the largest new monthly
    payment; the largest principal in whole yuan whose schedule (``loans.schedule.build``,
    the product's rate, term and method) never asks more per month is found by bisection.
(c) Secured: Σ appraised value × loan-to-value rate of its kind (``thresholds.LoanToValue``).

The suggestion is the smallest limit of the methods that apply. Each step's value is rounded
to the fen (``core.money``) and the next step starts from the value shown, as by hand.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from xindai.analysis import ratios
from xindai.analysis.definitions import DAYS, TURNS
from xindai.analysis.repayment import (
    METHOD_NAMES,
    CashFlowInputs,
    business_cash_flow,
    cash_flow,
    household_cash_flow,
    largest_principal,
    monthly_payment,
)
from xindai.analysis.statements import EnterpriseStatements
from xindai.analysis.steps import (
    METHOD_LABELS,
    LimitMethod,
    LimitResult,
    Step,
    figure,
    formula_of,
    percent,
    yuan,
)
from xindai.analysis.thresholds import (
    COLLATERAL_LABELS,
    DEFAULT_LTV,
    CollateralKind,
    LoanToValue,
)
from xindai.core.money import ZERO, round_rate, to_fen
from xindai.core.problems import Problem
from xindai.core.problems import mark as _

__all__ = [
    "METHOD_LABELS",
    "METHOD_NAMES",
    "CashFlowInputs",
    "Collateral",
    "GuarantorCapacity",
    "LimitMethod",
    "LimitResult",
    "Step",
    "Suggestion",
    "WorkingCapitalInputs",
    "business_cash_flow",
    "cash_flow",
    "guarantor_capacity",
    "household_cash_flow",
    "largest_principal",
    "monthly_payment",
    "secured",
    "suggest",
    "working_capital",
    "working_capital_from",
]
YEAR_DAYS = Decimal(360)

# ---- (a) working capital -----------------------------------------------------------------------


@dataclass(frozen=True)
class WorkingCapitalInputs:
    sales: Decimal  # 上年度销售收入
    sales_margin: Decimal  # 上年度销售利润率, a fraction
    growth: Decimal  # 预计销售收入年增长率, a fraction
    inventory_days: Decimal
    receivable_days: Decimal
    payable_days: Decimal
    prepayment_days: Decimal = ZERO
    advance_days: Decimal = ZERO
    own_funds: Decimal = ZERO  # 借款人自有资金
    existing_loans: Decimal = ZERO  # 现有流动资金贷款
    other_financing: Decimal = ZERO  # 其他渠道提供的营运资金

    @property
    def cycle_days(self) -> Decimal:
        return (
            self.inventory_days
            + self.receivable_days
            - self.payable_days
            + self.prepayment_days
            - self.advance_days
        )


WC = LimitMethod.WORKING_CAPITAL
NO_CYCLE = _("营运资金周转天数不大于 0：经营资金由上下游占用，本方法不适用")
NO_NEED = _("营运资金需求已由自有资金和现有融资满足，无新增流动资金贷款需求")
BAD_RATES = _("销售利润率应小于 100%，预计销售收入年增长率应大于 −100%")


def working_capital(inputs: WorkingCapitalInputs) -> LimitResult:
    """(a) 新增流动资金贷款额度, step by step."""
    if inputs.sales_margin >= 1 or inputs.growth <= -1:
        return LimitResult(WC, (), None, Problem(WC, BAD_RATES))
    days = inputs.cycle_days
    steps = [_cycle_step(inputs)]
    if days <= 0:
        return LimitResult(WC, tuple(steps), None, Problem(WC, NO_CYCLE))
    base = to_fen(inputs.sales * (1 - inputs.sales_margin) * (1 + inputs.growth))
    need = to_fen(base * days / YEAR_DAYS)
    gap = need - inputs.own_funds - inputs.existing_loans - inputs.other_financing
    steps += [
        Step(
            "turnover",
            _("营运资金周转次数"),
            formula_of("turnover", _("360 ÷ %(days)s 天"), days=figure(days)),
            round_rate(YEAR_DAYS / days, 2),
            TURNS,
        ),
        Step("base", _("年营运资金占用基数"), _base_formula(inputs), base),
        Step("need", _("营运资金量"), _need_formula(base, days), need),
        Step("gap", _("新增流动资金贷款额度"), _gap_formula(inputs, need), to_fen(gap)),
    ]
    if gap <= 0:
        return LimitResult(WC, tuple(steps), ZERO, Problem(WC, NO_NEED))
    return LimitResult(WC, tuple(steps), to_fen(gap))


def _cycle_step(inputs: WorkingCapitalInputs) -> Step:
    template = _(
        "存货 %(inventory)s + 应收账款 %(receivable)s − 应付账款 %(payable)s"
        " + 预付账款 %(prepayment)s − 预收账款 %(advance)s（天）"
    )
    formula = formula_of(
        "cycle_days",
        template,
        inventory=figure(inputs.inventory_days),
        receivable=figure(inputs.receivable_days),
        payable=figure(inputs.payable_days),
        prepayment=figure(inputs.prepayment_days),
        advance=figure(inputs.advance_days),
    )
    return Step(
        "cycle_days", _("营运资金周转天数"), formula, round_rate(inputs.cycle_days, 2), DAYS
    )


def _base_formula(inputs: WorkingCapitalInputs) -> Problem:
    template = _(
        "上年度销售收入 %(sales)s ×（1 − 销售利润率 %(margin)s）×（1 + 增长率 %(growth)s）"
    )
    return formula_of(
        "base",
        template,
        sales=yuan(inputs.sales),
        margin=percent(inputs.sales_margin),
        growth=percent(inputs.growth),
    )


def _need_formula(base: Decimal, days: Decimal) -> Problem:
    template = _("%(base)s ÷ 营运资金周转次数，即 %(base)s × %(days)s 天 ÷ 360")
    return formula_of("need", template, base=yuan(base), days=figure(days))


def _gap_formula(inputs: WorkingCapitalInputs, need: Decimal) -> Problem:
    template = _(
        "营运资金量 %(need)s − 自有资金 %(own)s − 现有流动资金贷款 %(existing)s"
        " − 其他渠道营运资金 %(other)s"
    )
    return formula_of(
        "gap",
        template,
        need=yuan(need),
        own=yuan(inputs.own_funds),
        existing=yuan(inputs.existing_loans),
        other=yuan(inputs.other_financing),
    )


_DAY_RATIOS: tuple[str, ...] = (
    "inventory_days",
    "receivable_days",
    "payable_days",
    "prepayment_days",
    "advance_days",
)
NOT_ANNUAL = _("流动资金需求测算需要上一完整年度（12 个月）的报表")


def working_capital_from(
    current: EnterpriseStatements,
    previous: EnterpriseStatements | None,
    *,
    growth: Decimal,
    own_funds: Decimal,
    existing_loans: Decimal,
    other_financing: Decimal,
) -> LimitResult:
    """(a) with sales, margin and turnover days read from last year's statements."""
    if current.period.months != 12:
        return LimitResult(WC, (), None, Problem(WC, NOT_ANNUAL))
    try:
        days = {key: ratios.exact(key, current, previous) for key in _DAY_RATIOS}
        sales = ratios.exact("revenue", current, previous)
        margin = ratios.exact("sales_margin", current, previous)
    except ratios.NotComputable as exc:
        return LimitResult(WC, (), None, exc.problem)
    inputs = WorkingCapitalInputs(
        sales, margin, growth, **days, own_funds=own_funds, existing_loans=existing_loans
    )
    return working_capital(dataclasses.replace(inputs, other_financing=other_financing))


# ---- (c) collateral ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Collateral:
    kind: CollateralKind
    appraised_value: Decimal
    description: str = ""


CO = LimitMethod.COLLATERAL
NO_COLLATERAL = _("未提供抵质押物")


def secured(collaterals: Sequence[Collateral], ltv: LoanToValue = DEFAULT_LTV) -> LimitResult:
    """(c) Σ appraised value × loan-to-value rate of the collateral's kind."""
    if not collaterals:
        return LimitResult(CO, (), None, Problem(CO, NO_COLLATERAL))
    steps = [_collateral_step(n, item, ltv) for n, item in enumerate(collaterals, start=1)]
    total = sum((step.value for step in steps), ZERO)
    formula = formula_of("limit", _("各抵质押物可担保额之和"))
    return LimitResult(CO, (*steps, Step("limit", _("抵质押可担保额度"), formula, total)), total)


def _collateral_step(number: int, item: Collateral, ltv: LoanToValue) -> Step:
    rate = ltv.rate(item.kind)
    template = _("%(description)s评估价值 %(value)s × 抵（质）押率 %(rate)s")
    description = f"{item.description}：" if item.description else ""
    formula = formula_of(
        f"collateral_{number}",
        template,
        description=description,
        value=yuan(item.appraised_value),
        rate=percent(rate),
    )
    label = COLLATERAL_LABELS[CollateralKind(item.kind)]
    return Step(f"collateral_{number}", label, formula, to_fen(item.appraised_value * rate))


# ---- the suggestion and the guarantor ----------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    limit: Decimal | None
    method: LimitMethod | None
    reason: Problem


SMALLEST = _("取 %(count)s 种适用方法中的最小值：%(method)s %(limit)s 元")
NONE_APPLIES = _("没有可用的测算方法：请至少完整提供一种方法所需的数据")


def suggest(results: Sequence[LimitResult]) -> Suggestion:
    """The smallest limit among the methods that apply, and why."""
    applicable = [result for result in results if result.limit is not None]
    if not applicable:
        return Suggestion(None, None, Problem("suggestion", NONE_APPLIES))
    best = min(applicable, key=lambda result: result.limit or ZERO)
    assert best.limit is not None
    params = {"count": str(len(applicable)), "method": best.label, "limit": yuan(best.limit)}
    return Suggestion(best.limit, best.method, Problem("suggestion", SMALLEST, params))


@dataclass(frozen=True)
class GuarantorCapacity:
    capacity: Decimal  # what the guarantor can still guarantee
    amount: Decimal
    sufficient: bool
    steps: tuple[Step, ...]
    message: Problem


ENOUGH = _("剩余担保能力 %(capacity)s 元，不低于本笔担保金额 %(amount)s 元")
NOT_ENOUGH = _("剩余担保能力 %(capacity)s 元，低于本笔担保金额 %(amount)s 元：担保能力不足")


def guarantor_capacity(
    net_assets: Decimal, guarantees_given: Decimal, amount: Decimal, multiple: Decimal = Decimal(1)
) -> GuarantorCapacity:
    """Net assets × ``multiple`` (practice: guarantees given in all at most the net assets)
    less the guarantees already given, against the amount to guarantee."""
    ceiling = to_fen(max(net_assets, ZERO) * multiple)
    capacity = max(ceiling - guarantees_given, ZERO)
    steps = (
        Step(
            "ceiling",
            _("对外担保上限"),
            formula_of(
                "ceiling",
                _("净资产 %(net)s × %(multiple)s 倍"),
                net=yuan(net_assets),
                multiple=figure(multiple),
            ),
            ceiling,
        ),
        Step(
            "capacity",
            _("剩余担保能力"),
            formula_of(
                "capacity",
                _("对外担保上限 %(ceiling)s − 已对外担保 %(given)s"),
                ceiling=yuan(ceiling),
                given=yuan(guarantees_given),
            ),
            capacity,
        ),
    )
    sufficient = capacity >= amount
    params = {"capacity": yuan(capacity), "amount": yuan(amount)}
    message = Problem("guarantor", ENOUGH if sufficient else NOT_ENOUGH, params)
    return GuarantorCapacity(capacity, to_fen(amount), sufficient, steps, message)
