"""Financial ratios of enterprise statements, their trend and flags (pure: stdlib, core).

Definitions (the textbook ones of Chinese credit analysis, e.g. 中国注册会计师协会《财务成本
管理》 and 国务院国资委考核分配局《企业绩效评价标准值》, whose turnover and return ratios use
average balances):

==========================  =================================================================
资产负债率 (%)               负债合计 ÷ 资产总计 × 100 %, closing balances
流动比率 (倍)                流动资产合计 ÷ 流动负债合计
速动比率 (倍)                (流动资产合计 − 存货) ÷ 流动负债合计
所有者权益 (元)              所有者权益合计 (资产总计 − 负债合计 when not filled in, saying so)
利息保障倍数 (倍)            (利润总额 + 利息费用) ÷ 利息费用
偿债覆盖率 (倍)              (净利润 + 利息费用 + 折旧和摊销) ÷ (利息费用 + 本期应还本金);
                             depreciation counts as 0 when not given (saying so), the
                             principal due is an input (``Supplement.principal_due``)
应收账款周转率 (次)          营业收入 ÷ 平均应收账款
应收账款周转天数 (天)        360 ÷ 应收账款周转率 = 360 × 平均应收账款 ÷ 营业收入
存货周转率 (次)              营业成本 ÷ 平均存货
存货周转天数 (天)            360 × 平均存货 ÷ 营业成本
应付账款周转天数 (天)        360 × 平均应付账款 ÷ 营业成本
预付账款周转天数 (天)        360 × 平均预付账款 ÷ 营业成本
预收账款周转天数 (天)        360 × 平均预收账款 ÷ 营业收入 (the last two feed the working-
                             capital limit of 《流动资金贷款管理办法》's annex)
营业收入, 成本费用总额,      营业成本 + 税金及附加 + 销售费用 + 管理费用 + 财务费用;
净利润 (元)                  as reported for the period
毛利率 (%)                   (营业收入 − 营业成本) ÷ 营业收入 × 100 %
销售利润率 (%)               营业利润 ÷ 营业收入 × 100 % (《企业绩效评价标准值》's
                             销售（营业）利润率)
总资产收益率 (%)             净利润 ÷ 平均资产总额 × 100 %
净资产收益率 (%)             净利润 ÷ 平均所有者权益 × 100 % (not the 加权平均净资产收益率
                             that listed companies publish, which uses the parent's share)
==========================  =================================================================

平均余额 = (期初 + 期末) ÷ 2, with 期初 the balance sheet of the period ending ``months``
earlier when it is given; otherwise the closing balance is used and the ratio says so. Days are
360-day years (the convention of the working-capital formula). For a period shorter than a
year the flows of turnover and return ratios are annualised (× 12 ÷ months), saying so.

A missing item or a zero denominator makes a ratio "not computable" with the reason; no ratio
ever reads a missing item as zero. Rounding (``core.money``): percentages, 倍, 次 and 天 to two
decimals, amounts to the fen.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from xindai.analysis import consistency
from xindai.analysis import thresholds as th
from xindai.analysis.definitions import (
    DAYS,
    MISSING,
    PERCENT,
    SPEC_BY_KEY,
    SPECS,
    TIMES,
    TURNS,
    YUAN,
    Inputs,
    NotComputable,
)
from xindai.analysis.statements import EnterpriseStatements
from xindai.core.money import round_rate, to_fen
from xindai.core.problems import Problem

__all__ = [
    "DAYS",
    "MISSING",
    "PERCENT",
    "SPECS",
    "TIMES",
    "TURNS",
    "YUAN",
    "Analysis",
    "NotComputable",
    "PeriodAnalysis",
    "Ratio",
    "TrendLine",
    "all_ratios",
    "analyse",
    "compute",
    "exact",
    "trend",
]
PLACES = 2


@dataclass(frozen=True)
class Ratio:
    key: str
    label: str
    value: Decimal | None  # None: not computable, ``reason`` says why
    unit: str
    formula: str
    reason: Problem | None = None
    notes: tuple[Problem, ...] = ()  # how it was computed (closing balance, annualised, ...)


def exact(
    key: str, current: EnterpriseStatements, previous: EnterpriseStatements | None = None
) -> Decimal:
    """A ratio unrounded (a percentage as a fraction); ``NotComputable`` says why it cannot be."""
    return SPEC_BY_KEY[key].compute(Inputs(key, current, previous))


def compute(
    key: str, current: EnterpriseStatements, previous: EnterpriseStatements | None = None
) -> Ratio:
    """One ratio of ``current``, with ``previous`` for the opening balances."""
    spec = SPEC_BY_KEY[key]
    inputs = Inputs(key, current, previous)
    try:
        raw = spec.compute(inputs)
    except NotComputable as exc:
        return Ratio(spec.key, spec.label, None, spec.unit, spec.formula, exc.problem)
    value = _rounded(raw, spec.unit)
    return Ratio(spec.key, spec.label, value, spec.unit, spec.formula, None, tuple(inputs.notes))


def _rounded(value: Decimal, unit: str) -> Decimal:
    if unit == YUAN:
        return to_fen(value)
    return round_rate(value * 100 if unit == PERCENT else value, PLACES)


def all_ratios(
    current: EnterpriseStatements, previous: EnterpriseStatements | None = None
) -> tuple[Ratio, ...]:
    return tuple(compute(spec.key, current, previous) for spec in SPECS)


# ---- analysis over periods ---------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodAnalysis:
    statements: EnterpriseStatements
    ratios: tuple[Ratio, ...]
    flags: tuple[th.Flag, ...]
    problems: tuple[Problem, ...]  # consistency warnings of the statements

    def ratio(self, key: str) -> Ratio:
        return next(ratio for ratio in self.ratios if ratio.key == key)


@dataclass(frozen=True)
class TrendLine:
    key: str
    label: str
    unit: str
    points: tuple[tuple[dt.date, Decimal | None], ...]  # (period end, value), oldest first
    changes: tuple[Decimal | None, ...]  # value − the period before's (None: first or unknown)


@dataclass(frozen=True)
class Analysis:
    periods: tuple[PeriodAnalysis, ...]  # oldest first
    trend: tuple[TrendLine, ...]
    thresholds: th.Thresholds


def analyse(
    periods: Sequence[EnterpriseStatements], thresholds: th.Thresholds = th.DEFAULT
) -> Analysis:
    """Every ratio of every period (oldest first), flags against ``thresholds``, the trend."""
    ordered = sorted(periods, key=lambda statements: statements.period.end)
    by_end = {statements.period.end: statements for statements in ordered}
    analysed = tuple(
        _period(statements, by_end.get(statements.period.previous_end()), thresholds)
        for statements in ordered
    )
    return Analysis(analysed, trend(analysed), thresholds)


def _period(
    statements: EnterpriseStatements,
    previous: EnterpriseStatements | None,
    thresholds: th.Thresholds,
) -> PeriodAnalysis:
    ratios = all_ratios(statements, previous)
    return PeriodAnalysis(
        statements, ratios, th.flags(ratios, thresholds), tuple(consistency.check(statements))
    )


def trend(periods: Sequence[PeriodAnalysis]) -> tuple[TrendLine, ...]:
    """Each ratio over the periods, with its change from one period to the next."""
    lines = []
    for spec in SPECS:
        values = [period.ratio(spec.key).value for period in periods]
        changes = [None] + [
            None if before is None or after is None else after - before
            for before, after in itertools.pairwise(values)
        ]
        points = tuple(
            (period.statements.period.end, value)
            for period, value in zip(periods, values, strict=True)
        )
        lines.append(TrendLine(spec.key, spec.label, spec.unit, points, tuple(changes)))
    return tuple(lines)
