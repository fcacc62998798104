"""Early-warning rules (风险预警), pure: the severity and the required action of each kind of
signal, and the two thresholds worked out in numbers (collateral value drop, a spike of deposit
outflows). No Django, no database."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from xindai.core.problems import mark as _


class Kind(StrEnum):
    OVERDUE = "overdue"
    DOWNGRADE = "downgrade"
    GUARANTOR_OVERDUE = "guarantor_overdue"
    COLLATERAL_DROP = "collateral_drop"
    INSPECTION_FINDING = "inspection_finding"
    DEPOSIT_OUTFLOW = "deposit_outflow"


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


@dataclass(frozen=True)
class Rule:
    severity: Severity
    action: str


# What each signal means for the loan and what the officer must do about it (practice).
RULES: dict[Kind, Rule] = {
    Kind.OVERDUE: Rule(Severity.MEDIUM, _("电话催收并核实逾期原因")),
    Kind.DOWNGRADE: Rule(Severity.HIGH, _("触发贷后检查，重新评估风险并制定化解措施")),
    Kind.GUARANTOR_OVERDUE: Rule(
        Severity.MEDIUM, _("核实保证人代偿能力，必要时要求追加或更换担保")
    ),
    Kind.COLLATERAL_DROP: Rule(
        Severity.HIGH, _("重新评估押品价值，要求追加担保或提前收回部分贷款")
    ),
    Kind.INSPECTION_FINDING: Rule(Severity.MEDIUM, _("落实检查发现的问题并跟踪整改")),
    Kind.DEPOSIT_OUTFLOW: Rule(Severity.LOW, _("核实资金去向，关注借款人还款能力")),
}

SEVERITY_ORDER = {Severity.HIGH: 0, Severity.MEDIUM: 1, Severity.LOW: 2}


def rule_of(kind: str) -> Rule:
    return RULES[Kind(kind)]


def collateral_dropped(estimated: Decimal, revalued: Decimal, ratio: Decimal) -> bool:
    """True when the revalued collateral is worth more than ``ratio`` less than its estimate:
    estimated 500,000, revalued 390,000 → drop 110,000 / 500,000 = 22% > 20% → True; a drop of
    exactly 20% (400,000) is not *more than* 20% → False."""
    if estimated <= 0:
        return False
    return (estimated - revalued) > estimated * ratio


def drop_ratio(estimated: Decimal, revalued: Decimal) -> Decimal:
    """The drop as a fraction of the estimate, 4 places: 500,000 → 390,000 gives 0.2200."""
    if estimated <= 0:
        return Decimal(0)
    return ((estimated - revalued) / estimated).quantize(Decimal("0.0001"))


WEEK_DAYS = 7
BASE_DAYS = 90


def outflow_spike(last_week_fen: int, base_fen: int, ratio: Decimal, minimum_fen: int) -> bool:
    """A spike of deposit outflows: the last 7 days' outflows exceed ``ratio`` × the average
    weekly outflow of the 90 days before (base × 7 / 90) and reach ``minimum_fen``.

    Base 90 days 900,000.00 元 → weekly average 70,000.00; × 3 = 210,000.00: 7-day outflows
    of 210,000.01 are a spike, 210,000.00 are not. Compared in integers: last × 90 > ratio ×
    base × 7 (no rounding)."""
    if last_week_fen < minimum_fen or last_week_fen <= 0:
        return False
    return Decimal(last_week_fen * BASE_DAYS) > ratio * base_fen * WEEK_DAYS


def weekly_average_fen(base_fen: int) -> int:
    """The average weekly outflow of the base period, rounded down to the fen (for display)."""
    return base_fen * WEEK_DAYS // BASE_DAYS


def yuan_text(amount_fen: int) -> str:
    """Fen as 元 with thousands separators: 21000001 → "210,000.01"."""
    return f"{Decimal(amount_fen).scaleb(-2):,.2f}"
