"""不良清收 rules, pure (stdlib and ``core.problems``).

- **Case**: a loan is handed to collection when it is classified 次级 or worse, or is more
  than ``collection_case_after_days`` (policy, 60) days past due.
- **Limitation** (诉讼时效, 民法典 第188、195条): 3 years from the last valid interruption
  (collection notice received, acknowledgment, lawsuit); before any, from the day the debt
  fell overdue.
- **Guarantee period** (保证期间, 民法典 第692条): 6 months from the loan's maturity unless the
  contract says otherwise; a guarantor not asked within it is released (第693条). Once asked
  within it, his own limitation runs from that day (第694条) and restarts on each interruption.
- **Alert**: ``limitation_alert_days`` (90) before either expires.
- **Write-off recovery**: money received on a written-off loan goes to principal first, then
  interest, then penalty and compound interest (先本后息).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from xindai.core.problems import Problem
from xindai.core.problems import mark as _
from xindai.loans.daycount import on_day

LIMITATION_YEARS = 3
GUARANTEE_MONTHS = 6
BAD_CLASSES = ("substandard", "doubtful", "loss")
WRITE_OFF_CLASSES = ("doubtful", "loss")
CLASS_ORDER = ("normal", "special_mention", "substandard", "doubtful", "loss")

# The order a recovery of a written-off loan pays the claim (LoanState fen buckets).
WRITTEN_OFF_ORDER = (
    "overdue_principal",
    "principal_due",
    "principal",
    "overdue_interest",
    "interest_due",
    "interest_accrued",
    "penalty_due",
    "compound_due",
)
PRINCIPAL_PARTS = ("overdue_principal", "principal_due", "principal")
INTEREST_PARTS = ("overdue_interest", "interest_due", "interest_accrued")
PENALTY_PARTS = ("penalty_due", "compound_due")


def limitation_expires(last: dt.date) -> dt.date:
    """3 years after ``last`` (29 February → 28 February when the year has none)."""
    return on_day(last.year + LIMITATION_YEARS, last.month - 1, last.day)


def guarantee_ends(maturity: dt.date, months: int = GUARANTEE_MONTHS) -> dt.date:
    """The end of the guarantee period: ``months`` after maturity (31 August + 6 → 28/29
    February)."""
    return on_day(maturity.year, maturity.month - 1 + months, maturity.day)


def is_bad(klass: str) -> bool:
    return klass in BAD_CLASSES


def worse(a: str, b: str) -> str:
    return a if CLASS_ORDER.index(a) >= CLASS_ORDER.index(b) else b


@dataclass(frozen=True)
class Clock:
    """A party's limitation clock."""

    starts_on: dt.date
    last_interruption: dt.date | None
    guarantee_ends_on: dt.date | None  # guarantors only
    asked_on: dt.date | None  # guarantors: first claim within the guarantee period

    @property
    def guarantor(self) -> bool:
        return self.guarantee_ends_on is not None

    @property
    def expires_on(self) -> dt.date:
        """The limitation expiry; for a guarantor not yet asked, the guarantee period's end
        (nothing runs before he is asked)."""
        if self.guarantor and self.asked_on is None:
            assert self.guarantee_ends_on is not None
            return self.guarantee_ends_on
        return limitation_expires(self.last_interruption or self.starts_on)

    def released(self, today: dt.date) -> bool:
        """A guarantor not asked within the guarantee period is released."""
        return (
            self.guarantor
            and self.asked_on is None
            and self.guarantee_ends_on is not None
            and today > self.guarantee_ends_on
        )

    def expired(self, today: dt.date) -> bool:
        return today > self.expires_on

    def alert_on(self, days: int) -> dt.date:
        return self.expires_on - dt.timedelta(days=days)

    def interrupted(self, on: dt.date) -> tuple[Clock, bool]:
        """The clock after a valid interruption on ``on``: (new clock, whether it counted). An
        interruption after the limitation expired, or a claim on a released guarantor, does not
        restart anything; an older one than the last changes nothing."""
        if self.guarantor and self.asked_on is None:
            assert self.guarantee_ends_on is not None
            if on > self.guarantee_ends_on:
                return self, False
            return Clock(self.starts_on, on, self.guarantee_ends_on, on), True
        if on > self.expires_on:
            return self, False
        if self.last_interruption is not None and on <= self.last_interruption:
            return self, True
        return Clock(self.starts_on, on, self.guarantee_ends_on, self.asked_on), True


def allocate(claim: Mapping[str, int], amount: int) -> tuple[dict[str, int], int]:
    """Split ``amount`` fen received on a written-off loan over its claim buckets in
    ``WRITTEN_OFF_ORDER``: (parts, what is left over)."""
    parts: dict[str, int] = {}
    left = amount
    for bucket in WRITTEN_OFF_ORDER:
        take = min(left, max(claim.get(bucket, 0), 0))
        if take:
            parts[bucket] = take
            left -= take
    return parts, left


def recovery_problems(claim_total: int, amount: int) -> list[Problem]:
    if amount <= 0:
        return [Problem("amount", _("收回金额须大于 0"))]
    if amount > claim_total:
        return [Problem("amount", _("收回金额超过核销贷款尚欠本息"))]
    return []


def restructuring_problems(
    *,
    klass: str,
    interest_owed: int,
    principal: int,
    term_months: int,
    annual_rate_ppm: int,
    method: str,
    methods: Iterable[str],
) -> list[Problem]:
    """Why a restructuring cannot be proposed. Overdue and due interest, penalty and compound
    interest are paid first (not capitalised): they must be zero."""
    found: list[Problem] = []
    if interest_owed > 0:
        found.append(Problem("loan", _("欠息、罚息和复利须先结清（不作资本化），再申请重组")))
    if principal <= 0:
        found.append(Problem("loan", _("贷款已无本金余额，不需要重组")))
    if not 1 <= term_months <= 360:
        found.append(Problem("term_months", _("新期限须为 1 至 360 个月")))
    if not 0 < annual_rate_ppm < 360_000:
        found.append(Problem("annual_rate", _("新年利率须大于 0 且低于 36%")))
    if method not in set(methods):
        found.append(Problem("repayment_method", _("不支持该还款方式")))
    return found


def writeoff_problems(klass: str) -> list[Problem]:
    if klass not in WRITE_OFF_CLASSES:
        return [Problem("loan", _("只有可疑类、损失类贷款可以申请核销"))]
    return []


def least_busy(load: Mapping[int, int], candidates: Iterable[int]) -> int | None:
    """The candidate with the fewest open cases (the lowest id among equals)."""
    ordered = sorted(candidates, key=lambda user_id: (load.get(user_id, 0), user_id))
    return ordered[0] if ordered else None
