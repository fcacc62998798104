"""定量营销管理: the marketing funnel's arithmetic (pure: stdlib only).

A target's stages are read from facts (see ``funnel.py``) and closed upwards: a later stage
implies the earlier ones (a customer who applied was reached and interested, even when the
contact was not logged). Rates are stage-to-stage and overall (放款/目标); a zero denominator
gives ``None``, shown as "—". Amounts are integer fen, shown in 万元 with two decimals.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

STAGES = ("target", "reached", "interested", "applied", "approved", "disbursed")
STAGE_LABELS = {
    "target": "目标客户",
    "reached": "已触达",
    "interested": "有意向",
    "applied": "已申请",
    "approved": "已审批",
    "disbursed": "已放款",
}
AMOUNTS = ("applied", "approved", "disbursed")
DASH = "—"


@dataclass(frozen=True)
class Facts:
    """What happened to one target (within the period looked at)."""

    reached: bool = False
    interested: bool = False
    applied_fen: int | None = None  # None: no application
    approved_fen: int | None = None  # None: not approved
    disbursed_fen: int | None = None  # None: no loan


def stages_of(facts: Facts) -> dict[str, bool]:
    """The stages reached, closed upwards (every later stage implies the earlier ones)."""
    disbursed = facts.disbursed_fen is not None
    approved = disbursed or facts.approved_fen is not None
    applied = approved or facts.applied_fen is not None
    interested = applied or facts.interested
    reached = interested or facts.reached
    return {
        "target": True,
        "reached": reached,
        "interested": interested,
        "applied": applied,
        "approved": approved,
        "disbursed": disbursed,
    }


@dataclass
class Tally:
    """Counts and amounts (fen) of one group."""

    key: str = ""
    label: str = ""
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STAGES, 0))
    amounts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(AMOUNTS, 0))

    def add(self, facts: Facts) -> None:
        for stage, reached in stages_of(facts).items():
            if reached:
                self.counts[stage] += 1
        self.amounts["applied"] += facts.applied_fen or 0
        self.amounts["approved"] += facts.approved_fen or 0
        self.amounts["disbursed"] += facts.disbursed_fen or 0

    def merge(self, other: Tally) -> None:
        for stage in STAGES:
            self.counts[stage] += other.counts[stage]
        for name in AMOUNTS:
            self.amounts[name] += other.amounts[name]

    def rates(self) -> dict[str, Decimal | None]:
        """Stage-to-stage rates (``reached`` = reached/target, ...) and ``overall`` =
        disbursed/target; None when the denominator is zero."""
        found: dict[str, Decimal | None] = {}
        for before, stage in itertools.pairwise(STAGES):
            found[stage] = rate(self.counts[stage], self.counts[before])
        found["overall"] = rate(self.counts["disbursed"], self.counts["target"])
        return found


def rate(part: int, whole: int) -> Decimal | None:
    """part/whole as a fraction with four decimals (None when whole is zero)."""
    if whole == 0:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), ROUND_HALF_UP)


def pct_text(value: Decimal | None) -> str:
    """0.375 → "37.5%"; None → "—"."""
    if value is None:
        return DASH
    return f"{(value * 100).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"


def wan(fen: int) -> Decimal:
    """Fen as 万元 with two decimals: 12_345_678 fen (123,456.78 元) → 12.35."""
    return (Decimal(fen) / Decimal(1_000_000)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def completion(actual: int, goal: int) -> Decimal | None:
    """Actual against goal (None when no goal was set)."""
    return rate(actual, goal) if goal > 0 else None


def tally(groups: Iterable[tuple[str, str, Facts]]) -> list[Tally]:
    """One Tally per (key, label), in first-seen order."""
    found: dict[str, Tally] = {}
    for key, label, facts in groups:
        found.setdefault(key, Tally(key=key, label=label)).add(facts)
    return list(found.values())


def total(rows: Iterable[Tally], label: str = "合计") -> Tally:
    summed = Tally(key="", label=label)
    for row in rows:
        summed.merge(row)
    return summed


def ranked(rows: Iterable[Tally], contacts: dict[str, int]) -> list[Tally]:
    """Managers ranked by disbursed amount, then applications, then contacts (then name)."""
    return sorted(
        rows,
        key=lambda r: (
            -r.amounts["disbursed"],
            -r.counts["applied"],
            -contacts.get(r.key, 0),
            r.label,
        ),
    )


def week_start(day: dt.date) -> dt.date:
    """The Monday of ``day``'s week."""
    return day - dt.timedelta(days=day.weekday())


def weeks(start: dt.date, end: dt.date) -> list[dt.date]:
    """The Mondays of the weeks from ``start``'s to ``end``'s (empty when end < start)."""
    if end < start:
        return []
    first, last = week_start(start), week_start(end)
    count = (last - first).days // 7 + 1
    return [first + dt.timedelta(weeks=n) for n in range(count)]


def last_weeks(end: dt.date, count: int = 12) -> tuple[dt.date, dt.date]:
    """The period of the last ``count`` weeks up to ``end`` (from a Monday)."""
    return week_start(end) - dt.timedelta(weeks=count - 1), end
