"""How the credit process is shown, the same way on pages, in the API and on the command line:
a stored admission result in Chinese and English, and an application's timeline with the time
it spent in each stage.

``time_in_stages`` and ``duration_text`` are pure; the rest reads the records it is given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext

from xindai.core.masking import mask_text
from xindai.core.problems import Problem
from xindai.core.problems import mark as _
from xindai.credit import stages
from xindai.credit.models import AdmissionCheck, CreditApplication

# ---- admission ---------------------------------------------------------------------------


def message_in(stored: Mapping[str, Any], language: str) -> str:
    """A stored rule result's message (its Chinese template and values) in ``language``,
    with any ID number, phone or account number in it masked."""
    problem = Problem(stored["rule"], stored["template"], stored.get("params") or {})
    with translation.override(language):
        return mask_text(problem.text(gettext))


def rule_result(stored: Mapping[str, Any]) -> dict[str, Any]:
    """One stored result of ``AdmissionCheck.results`` as shown: both languages, facts masked."""
    return {
        "rule": stored["rule"],
        "outcome": stored["outcome"],
        "message_zh": message_in(stored, "zh-hans"),
        "message_en": message_in(stored, "en"),
        "facts": {key: mask_text(str(value)) for key, value in stored["facts"].items()},
    }


FACT_LABELS = {
    "customer_kind": _("客户类型"),
    "legal_capacity": _("民事行为能力"),
    "borrower_birth_date": _("出生日期"),
    "borrower_sex": _("性别"),
    "as_of": _("检查日"),
    "min_age": _("最低年龄"),
    "age": _("年龄"),
    "term_months": _("期限（月）"),
    "maturity": _("到期日"),
    "max_age_at_maturity": _("到期年龄上限"),
    "limit_date": _("年龄上限日"),
    "purpose": _("用途类别"),
    "long_cycle": _("经营周期长"),
    "farmer_bullet_max_term": _("农户利随本清期限上限（月）"),
    "repayment_method": _("还款方式"),
    "industry_code": _("行业代码"),
    "industry_stance": _("行业信贷政策"),
    "industry_requires_permit": _("须特许经营许可"),
    "registered_on": _("成立日期"),
    "valid_until": _("营业期限至"),
    "annual_report": _("年报状态"),
    "annual_report_year": _("最近年报年度"),
    "required_report_year": _("应报年度"),
    "permits": _("许可证"),
    "account_here": _("本行结算账户"),
    "credit_report": _("征信摘要已录入"),
    "consent_recorded": _("征信查询授权"),
    "max_consecutive_overdue_24m": _("近24个月最长连续逾期期数"),
    "total_overdue_24m": _("近24个月累计逾期次数"),
    "max_consecutive_overdue": _("连续逾期上限"),
    "max_total_overdue": _("累计逾期上限"),
    "current_overdue_amount": _("当前逾期金额（元）"),
    "other_bank_lenders": _("他行授信机构数"),
    "max_other_bank_lenders": _("他行机构数上限"),
    "other_bank_debt": _("他行贷款余额（元）"),
    "monthly_income": _("月收入（元）"),
    "monthly_debt_service": _("他行月还款额（元）"),
    "new_monthly_payment": _("本笔月还款额（元）"),
    "debt_to_income": _("月还款收入比"),
    "max_debt_to_income": _("月还款收入比上限"),
    "related_party": _("本行关系人"),
    "guarantees": _("担保方式"),
    "amount": _("申请金额（元）"),
    "max_unsecured_amount": _("信用贷款上限（元）"),
    "blacklisted": _("黑名单"),
    "blacklist_reason": _("黑名单原因"),
}
_FACT_VALUES = {"true": _("是"), "false": _("否"), "": "—"}


def fact_rows(facts: Mapping[str, str]) -> list[tuple[str, str]]:
    """A rule's facts as bank staff read them: labels and 是/否 in the user's language
    (the API keeps the keys and raw values)."""
    rows = []
    for key, value in facts.items():
        label = gettext(FACT_LABELS[key]) if key in FACT_LABELS else key
        shown = _FACT_VALUES.get(str(value))
        rows.append((label, gettext(shown) if shown and shown != "—" else shown or str(value)))
    return rows


def admission_json(check: AdmissionCheck) -> dict[str, Any]:
    """An admission check as the API and ``xindai admission check`` give it (the same for
    every reader: no text here depends on the reader's language)."""
    escalation = None
    if check.escalated_at is not None:
        escalation = {
            "by": check.escalated_by.username if check.escalated_by else "",
            "reason": check.escalation_reason,
            "at": check.escalated_at,
        }
    return {
        "id": check.pk,
        "application": check.application_id,
        "outcome": check.outcome,
        "policy_version": check.policy_version.number,
        "as_of": check.as_of,
        "checked_at": check.checked_at,
        "checked_by": check.checked_by.username,
        "escalation": escalation,
        "results": [rule_result(stored) for stored in check.results],
    }


# ---- the timeline ------------------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    """A transition taken, as the timeline needs it."""

    at: dt.datetime
    from_stage: str
    to_stage: str


@dataclass(frozen=True)
class StageTime:
    stage: str
    seconds: int
    current: bool  # the application is still in this stage (the time is counted up to now)


def time_in_stages(
    created_at: dt.datetime, stage: str, moves: Sequence[Move], now: dt.datetime
) -> list[StageTime]:
    """How long an application spent in each stage it went through, in the order it first
    entered them; a stage entered twice (sent back for rework) adds up. The application was
    created in the first move's source stage (``stage``, its stage now, when it never moved);
    a step within a stage (受理) is no move; the time in an end stage (否决, 结清 ...) is not
    counted; a clock that went backwards counts as no time."""
    totals: dict[str, dt.timedelta] = {}
    where, since = (moves[0].from_stage if moves else stage), created_at
    for move in moves:
        if move.to_stage == move.from_stage:
            continue
        totals[where] = totals.get(where, dt.timedelta(0)) + max(move.at - since, dt.timedelta(0))
        where, since = move.to_stage, max(move.at, since)
    open_stage = where not in stages.ENDS
    if open_stage:
        totals[where] = totals.get(where, dt.timedelta(0)) + max(now - since, dt.timedelta(0))
    return [
        StageTime(name, int(spent.total_seconds()), open_stage and name == where)
        for name, spent in totals.items()
    ]


def duration_text(seconds: int, translate: Callable[[str], str] = str) -> str:
    """``273900`` → "3天4小时": the two largest units, in the reader's language."""
    days, rest = divmod(max(seconds, 0), 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return translate(_("%(days)s天%(hours)s小时")) % {"days": days, "hours": hours}
    if hours:
        return translate(_("%(hours)s小时%(minutes)s分钟")) % {"hours": hours, "minutes": minutes}
    if minutes:
        return translate(_("%(minutes)s分钟")) % {"minutes": minutes}
    return translate(_("不到1分钟"))


def stage_label(stage: str) -> str:
    return gettext(stages.STAGE_LABELS[stages.Stage(stage)])


def transition_label(name: str) -> str:
    move = stages.BY_NAME.get(name)
    return gettext(move.label) if move else name


def timeline_json(application: CreditApplication, now: dt.datetime | None = None) -> dict[str, Any]:
    """The transitions taken (oldest first) and the time spent in each stage, up to ``now``."""
    events = list(application.events.select_related("actor", "policy_version"))
    moves = [Move(e.at, e.from_stage, e.to_stage) for e in events]
    spent = time_in_stages(application.created_at, application.stage, moves, now or timezone.now())
    return {
        "events": [
            {
                "transition": e.transition,
                "transition_label": transition_label(e.transition),
                "from_stage": e.from_stage,
                "to_stage": e.to_stage,
                "actor": e.actor.username,
                "at": e.at,
                "business_date": e.business_date,
                "reason": e.reason,
                "policy_version": e.policy_version.number,
            }
            for e in events
        ],
        "stages": [
            {
                "stage": item.stage,
                "stage_label": stage_label(item.stage),
                "seconds": item.seconds,
                "text": duration_text(item.seconds, gettext),
                "current": item.current,
            }
            for item in spent
        ],
    }
