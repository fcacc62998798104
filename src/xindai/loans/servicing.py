"""Servicing rules (贷后核算规则), pure: stdlib only, integers of fen.

The end-of-day (``loans.eod``) runs these rules set-based in SQL; the same rules live here in
Python so that they are stated once, tested with hand figures, and shared by the teller's
repayments.

* Settlement days (结息日): the 20th of every month for products settled monthly; the 20th of
  March, June, September and December for products settled quarterly. The end-of-day of the
  20th accrues the 20th and then settles: the period runs from the 21st before to the 20th,
  both included (算头不算尾 counted from the loan's first day).
* Interest from a 积数 (balance × days, fen·days): ``round_half_up(base × rate_ppm /
  (1,000,000 × day_basis))`` fen, one rounding per settlement.
* Accrual of a schedule row (等额本息, 等额本金, 利随本清): after ``elapsed`` of the row's
  ``days``, ``round_half_up(interest × elapsed / days)``; the day's accrual is the difference
  from the day before, so the accruals of a period add up to the row's interest exactly.
* Collection order (扣款顺序): penalty → compound → overdue interest → interest due → overdue
  principal → principal due (:data:`COLLECTION_ORDER`).
* Classification floor by days past due (五级分类下限): any overdue beyond the 7-day technical
  exemption → at least 关注; > 90 days 次级; > 270 可疑; > 360 损失. A loan more than 90 days
  past due is non-performing (不良): its interest is kept off the balance sheet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

# The buckets of a loan's state in the order a payment pays them (a policy constant).
COLLECTION_ORDER: tuple[str, ...] = (
    "penalty_due_fen",
    "compound_due_fen",
    "overdue_interest_fen",
    "interest_due_fen",
    "overdue_principal_fen",
    "principal_due_fen",
)
INTEREST_BUCKETS = ("overdue_interest_fen", "interest_due_fen")
PENALTY_BUCKETS = ("penalty_due_fen", "compound_due_fen")
PRINCIPAL_BUCKETS = ("overdue_principal_fen", "principal_due_fen")

SETTLEMENT_DAY = 20
QUARTER_END_MONTHS = frozenset({3, 6, 9, 12})

TECHNICAL_EXEMPTION_DAYS = 7  # 技术性逾期豁免
SUBSTANDARD_AFTER = 90
DOUBTFUL_AFTER = 270
LOSS_AFTER = 360
NON_PERFORMING_AFTER = 90  # > 90 days past due: 不良, interest off balance

# Floors from the worst down: (more than this many days past due, class).
CLASS_FLOORS: tuple[tuple[int, str], ...] = (
    (LOSS_AFTER, "loss"),
    (DOUBTFUL_AFTER, "doubtful"),
    (SUBSTANDARD_AFTER, "substandard"),
    (TECHNICAL_EXEMPTION_DAYS, "special_mention"),
)
PPM = 1_000_000


def is_settlement_day(day: dt.date, cycle: str) -> bool:
    """Whether ``day`` is a settlement day for a product settled ``cycle`` (monthly/quarterly)."""
    if day.day != SETTLEMENT_DAY:
        return False
    return cycle == "monthly" or day.month in QUARTER_END_MONTHS


def interest_from_base(base: int, rate_ppm: int, day_basis: int) -> int:
    """Interest in fen of a 积数 ``base`` (fen·days), rounded half-up once."""
    if base < 0 or rate_ppm < 0 or day_basis <= 0:
        raise ValueError("base, rate and day basis must not be negative")
    denominator = PPM * day_basis
    return (base * rate_ppm * 2 + denominator) // (2 * denominator)


def schedule_accrued(interest_fen: int, elapsed: int, days: int) -> int:
    """Interest of a schedule row accrued after ``elapsed`` of its ``days`` (clamped to
    0..days), rounded half-up: ``interest × elapsed / days``."""
    if days <= 0:
        return interest_fen
    elapsed = max(0, min(elapsed, days))
    return (interest_fen * elapsed * 2 + days) // (2 * days)


def class_floor(days_past_due: int) -> str:
    """The lowest class a loan may have with ``days_past_due`` (FiveCategory value)."""
    for after, category in CLASS_FLOORS:
        if days_past_due > after:
            return category
    return "normal"


def non_performing(days_past_due: int) -> bool:
    return days_past_due > NON_PERFORMING_AFTER


def allocate(available: int, buckets: Mapping[str, int]) -> dict[str, int]:
    """What ``available`` fen pay of each bucket, in :data:`COLLECTION_ORDER` (missing
    buckets count as 0). The result has every bucket of the order."""
    if available < 0:
        raise ValueError("available must not be negative")
    paid: dict[str, int] = {}
    for bucket in COLLECTION_ORDER:
        take = min(max(buckets.get(bucket, 0), 0), available)
        paid[bucket] = take
        available -= take
    return paid


def oldest_unpaid(due: Iterable[tuple[dt.date, int]], unpaid: int) -> dt.date | None:
    """The due date of the oldest installment still unpaid when ``unpaid`` fen of what fell
    due remain and payments went to the oldest first: walking back from the latest due
    ``(date, amount)``, the date at which the amounts reach ``unpaid``. ``None`` when nothing
    is unpaid; the earliest date when the amounts do not reach it."""
    if unpaid <= 0:
        return None
    rows = sorted(due, reverse=True)
    total = 0
    found: dt.date | None = None
    for day, amount in rows:
        total += amount
        found = day
        if total >= unpaid:
            return day
    return found
