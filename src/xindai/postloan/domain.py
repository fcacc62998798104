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

from xindai.core.problems import Problem
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
    monthly_up_to_months: int = MONTHLY_UP_TO_MONTHS


@dataclass(frozen=True)
class Planned:
    kind: Kind
    due: dt.date


def cycle_months(facts: LoanFacts) -> int:
    """1 (monthly) or 3 (quarterly)."""
    short = facts.term_months <= facts.monthly_up_to_months
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


def next_planned(facts: LoanFacts, after: dt.date) -> Planned | None:
    """The first planned inspection due strictly after ``after`` (None: no more before
    maturity). A late inspection does not pile up the periods it missed: the plan resumes at
    the next date still ahead."""
    return next((p for p in plan(facts) if p.due > after), None)


def is_late(due: dt.date, done_on: dt.date | None, today: dt.date) -> bool:
    """Done after its due date, or still not done once the due date has passed."""
    return (done_on or today) > due


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


# ---- the inspection record (outline 第二部分 八, items 1–7) ------------------------------------


class Conclusion(StrEnum):
    NORMAL = "normal"  # 正常
    ATTENTION = "attention"  # 关注
    RISK = "risk"  # 发现风险


CONCLUSION_LABELS = {
    Conclusion.NORMAL: _("正常"),
    Conclusion.ATTENTION: _("关注"),
    Conclusion.RISK: _("发现风险"),
}


def is_adverse(conclusion: str) -> bool:
    """关注 and 发现风险 are reported to early warning; 正常 is not."""
    return conclusion != Conclusion.NORMAL


@dataclass(frozen=True)
class RecordContext:
    """What the loan asks of its inspection."""

    has_guarantors: bool = False
    has_collateral: bool = False
    self_paid: bool = False  # 自主支付: the use of funds is checked
    maturity_near: bool = False  # within the maturity-notice window


@dataclass(frozen=True)
class Answers:
    borrower_ok: bool | None = None
    borrower_note: str = ""
    guarantor_ok: bool | None = None
    guarantor_note: str = ""
    major_changes: bool | None = None  # True: assets, organisation or management changed
    major_changes_note: str = ""
    collateral_ok: bool | None = None
    collateral_note: str = ""
    photos: int = 0
    archive_updated: bool | None = None
    interest_as_contracted: bool | None = None
    interest_note: str = ""
    maturity_notice_sent: bool | None = None
    funds_use_ok: bool | None = None
    funds_use_note: str = ""
    conclusion: str = ""
    findings: str = ""


REQUIRED = _("请选择")
EXPLAIN = _("回答“否”时请说明情况")


def _answered(field: str, value: bool | None) -> list[Problem]:
    return [Problem(field, REQUIRED)] if value is None else []


def _explained(field: str, value: bool | None, note: str, *, bad: bool = False) -> list[Problem]:
    """An answer that signals a problem (``bad``) needs a note saying what was found."""
    if value is bad and not note.strip():
        return [Problem(field, _("请说明情况") if bad else EXPLAIN)]
    return []


def _item(field: str, value: bool | None, note_field: str, note: str) -> list[Problem]:
    return _answered(field, value) + _explained(note_field, value, note)


def abnormal(a: Answers) -> bool:
    """Any answer that says something is wrong."""
    negatives = (a.borrower_ok, a.guarantor_ok, a.collateral_ok, a.interest_as_contracted)
    return any(v is False for v in negatives) or a.funds_use_ok is False


def record_problems(a: Answers, ctx: RecordContext) -> list[Problem]:
    """What is missing or inconsistent in an inspection record (empty: it may be submitted)."""
    found = _item("borrower_ok", a.borrower_ok, "borrower_note", a.borrower_note)
    if ctx.has_guarantors:
        found += _item("guarantor_ok", a.guarantor_ok, "guarantor_note", a.guarantor_note)
    found += _answered("major_changes", a.major_changes)
    found += _explained("major_changes_note", a.major_changes, a.major_changes_note, bad=True)
    if ctx.has_collateral:
        found += _item("collateral_ok", a.collateral_ok, "collateral_note", a.collateral_note)
        if a.photos < 1:
            found.append(Problem("photos", _("抵（质）押物须上传现场照片")))
    found += _answered("archive_updated", a.archive_updated)
    found += _item(
        "interest_as_contracted", a.interest_as_contracted, "interest_note", a.interest_note
    )
    if ctx.maturity_near:
        found += _answered("maturity_notice_sent", a.maturity_notice_sent)
    if ctx.self_paid:
        found += _answered("funds_use_ok", a.funds_use_ok)
        if not a.funds_use_note.strip():
            found.append(Problem("funds_use_note", _("请说明资金实际用途及核实凭证")))
    return found + _conclusion_problems(a)


def _conclusion_problems(a: Answers) -> list[Problem]:
    if a.conclusion not in set(Conclusion):
        return [Problem("conclusion", _("请选择检查结论"))]
    found = []
    if a.conclusion == Conclusion.NORMAL and abnormal(a):
        found.append(Problem("conclusion", _("检查项有异常，结论不能为“正常”")))
    if is_adverse(a.conclusion) and not a.findings.strip():
        found.append(Problem("findings", _("结论为关注或发现风险时须写明检查发现")))
    return found


def maturity_near(today: dt.date, maturity: dt.date, days: int = MATURITY_NOTICE_DAYS) -> bool:
    """Within ``days`` of maturity (the 到期通知书 should have gone out)."""
    return maturity - dt.timedelta(days=days) <= today <= maturity


def on_time_rate(due: int, on_time: int) -> float | None:
    """Share of the inspections due that were done on time, in percent (None: none due)."""
    return round(100 * on_time / due, 1) if due else None
