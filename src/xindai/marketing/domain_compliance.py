"""Contact compliance, as pure rules (no Django): may this customer be contacted by this channel
at this moment? (shared/RULES.md "Marketing and personal information").

A contact is refused, with every reason that applies, when:
- the consent to use his personal data for marketing is not in force (the latest record for the
  purpose, effective at the moment, must be a grant that has not expired);
- he opted out of personalised marketing and the contact works a target chosen from scores;
- he refused the channel (and has not lifted the refusal);
- he has already been contacted ``per_week`` times in the last 7 days or ``per_month`` times in
  the last 30 days (by anyone, any channel); the window is (at − N days, at]: a contact exactly
  N days earlier no longer counts;
- the local time is in the quiet hours [start, end) (start 21, end 8: 21:00 is quiet, 08:00 is
  not).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

WEEK = dt.timedelta(days=7)
MONTH = dt.timedelta(days=30)


@dataclass(frozen=True)
class ConsentRecord:
    granted: bool
    effective_at: dt.datetime
    expires_on: dt.date | None = None


def consent_in_force(records: Iterable[ConsentRecord], at: dt.datetime) -> bool:
    """The latest record effective at ``at`` decides: a grant not yet expired."""
    effective = [r for r in records if r.effective_at <= at]
    if not effective:
        return False
    latest = max(effective, key=lambda r: r.effective_at)
    if not latest.granted:
        return False
    return latest.expires_on is None or at.date() <= latest.expires_on


def in_quiet_hours(local: dt.time, start: int, end: int) -> bool:
    """Quiet from ``start`` o'clock (inclusive) to ``end`` o'clock (exclusive), across midnight
    when start > end; start == end means no quiet hours."""
    hour = local.hour
    if start == end:
        return False
    if start > end:
        return hour >= start or hour < end
    return start <= hour < end


def contacts_within(times: Iterable[dt.datetime], at: dt.datetime, window: dt.timedelta) -> int:
    """Contacts in (at − window, at]."""
    return sum(1 for t in times if at - window < t <= at)


@dataclass(frozen=True)
class ContactRules:
    per_week: int
    per_month: int
    quiet_start: int
    quiet_end: int


@dataclass(frozen=True)
class ContactFacts:
    at_local: dt.datetime  # the contact's moment, in local time
    marketing_consent: bool
    opted_out: bool
    from_scores: bool  # the contact works a target chosen from scores
    channel_refused: bool
    channel_label: str
    previous: tuple[dt.datetime, ...] = ()  # the customer's earlier contacts (any manager)


def refusal_reasons(facts: ContactFacts, rules: ContactRules) -> list[str]:
    """Every reason the contact is refused, in plain Chinese; empty = allowed."""
    reasons: list[str] = []
    if not facts.marketing_consent:
        reasons.append("客户“个人信息用于营销”的授权未生效或已撤回/过期，不得营销接触")
    if facts.opted_out and facts.from_scores:
        reasons.append("客户已拒绝个性化营销，不得按评分名单营销")
    if facts.channel_refused:
        reasons.append(f"客户已拒绝通过“{facts.channel_label}”联系")
    week = contacts_within(facts.previous, facts.at_local, WEEK)
    if week >= rules.per_week:
        reasons.append(f"近 7 天已接触 {week} 次，达到每 7 天最多 {rules.per_week} 次的上限")
    month = contacts_within(facts.previous, facts.at_local, MONTH)
    if month >= rules.per_month:
        reasons.append(f"近 30 天已接触 {month} 次，达到每 30 天最多 {rules.per_month} 次的上限")
    if in_quiet_hours(facts.at_local.time(), rules.quiet_start, rules.quiet_end):
        until = "至次日" if rules.quiet_start > rules.quiet_end else "至"
        reasons.append(
            f"{rules.quiet_start:02d}:00 {until} {rules.quiet_end:02d}:00 为免打扰时段，"
            "不得营销接触"
        )
    return reasons


def target_status_after(current: str, outcome: str) -> str:
    """The target's status after a contact: not reached is an attempt (a new target stays new);
    any other outcome reaches him; statuses further down the funnel are not moved back."""
    later = {"applied", "approved", "disbursed", "excluded"}
    if current in later:
        return current
    if outcome == "not_reached":
        return current
    mapping = {
        "not_interested": "declined",
        "interested": "interested",
        "applied": "applied",
    }
    return mapping.get(outcome, "reached")
