"""贷后管理 rules (issue 9 groundwork; pure: stdlib, ``core.problems`` and ``loans.daycount``).

From ``shared/RULES.md`` (Post-loan) and the outline 第二部分 八:

- **Inspection plan**: the first follow-up inspection within the product's days after
  disbursement (15 by default, 30 at most); then periodic — monthly for loans of 6 months or
  less, for products checked monthly and for loans classified worse than 正常; quarterly
  otherwise — measured from the disbursement day, up to maturity.
- **Triggered inspections**: a downgrade of the classification, interest more than 60 days
  overdue, a warning signal.
- **Maturity notice** (到期通知书): 30 days before maturity.
- **Limitation period** (诉讼时效, 民法典 第188、195条): 3 years from the last valid collection
  notice or acknowledgment, interrupted (restarted) by each; alert 90 days before it expires.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from xindai.core.problems import mark as _
from xindai.loans.daycount import on_day

MONTHLY_UP_TO_MONTHS = 6
INTEREST_OVERDUE_TRIGGER_DAYS = 60
MATURITY_NOTICE_DAYS = 30
LIMITATION_YEARS = 3
LIMITATION_ALERT_DAYS = 90
CLASS_ORDER = ("normal", "special_mention", "substandard", "doubtful", "loss")


class Kind(StrEnum):
    FIRST = "first"  # 首次跟踪检查
    PERIODIC = "periodic"  # 常规检查
    TRIGGERED = "triggered"  # 触发检查


KIND_LABELS = {
    Kind.FIRST: _("首次跟踪检查"),
    Kind.PERIODIC: _("常规检查"),
    Kind.TRIGGERED: _("触发检查"),
}


@dataclass(frozen=True)
class LoanFacts:
    disbursed_on: dt.date
    maturity: dt.date
    term_months: int
    first_inspection_days: int = 15
    monthly_product: bool = False  # the product's inspection cycle is monthly
    class_floor: str = "normal"


@dataclass(frozen=True)
class Planned:
    kind: Kind
    due: dt.date


def cycle_months(facts: LoanFacts) -> int:
    """1 (monthly) or 3 (quarterly)."""
    short = facts.term_months <= MONTHLY_UP_TO_MONTHS
    worse = CLASS_ORDER.index(facts.class_floor) > 0
    return 1 if short or facts.monthly_product or worse else 3


def plan(facts: LoanFacts) -> list[Planned]:
    """The inspections of a loan from disbursement to maturity: the first follow-up, then one
    every cycle counted from the disbursement day (the 31st becomes the month's last day),
    each strictly after the first and before maturity."""
    first = facts.disbursed_on + dt.timedelta(days=facts.first_inspection_days)
    found = [Planned(Kind.FIRST, min(first, facts.maturity))]
    months = cycle_months(facts)
    start = facts.disbursed_on
    n = 1
    while True:
        due = on_day(start.year, start.month - 1 + n * months, start.day)
        if due >= facts.maturity:
            return found
        if due > first:
            found.append(Planned(Kind.PERIODIC, due))
        n += 1


@dataclass(frozen=True)
class Trigger:
    reason: str  # a marked label


def triggers(
    previous_class: str, current_class: str, interest_days_overdue: int, signals: int = 0
) -> list[Trigger]:
    """Why a loan needs an inspection now (empty: it does not)."""
    found = []
    if CLASS_ORDER.index(current_class) > CLASS_ORDER.index(previous_class):
        found.append(Trigger(_("五级分类下调")))
    if interest_days_overdue > INTEREST_OVERDUE_TRIGGER_DAYS:
        found.append(Trigger(_("欠息超过 60 天")))
    if signals:
        found.append(Trigger(_("出现预警信号")))
    return found


def maturity_notice_on(maturity: dt.date) -> dt.date:
    return maturity - dt.timedelta(days=MATURITY_NOTICE_DAYS)


def limitation_expires(last_interruption: dt.date) -> dt.date:
    """3 years after the last notice or acknowledgment (29 February → 28 February)."""
    return on_day(
        last_interruption.year + LIMITATION_YEARS,
        last_interruption.month - 1,
        last_interruption.day,
    )


def limitation_alert_on(last_interruption: dt.date) -> dt.date:
    return limitation_expires(last_interruption) - dt.timedelta(days=LIMITATION_ALERT_DAYS)
