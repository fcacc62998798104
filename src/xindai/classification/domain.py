"""The five-category classification rules (商业银行金融资产风险分类办法, 2023), pure.

A loan's class is the worst of

* the floor by days past due (``loans.servicing.class_floor``: > 7 days 关注, > 90 次级,
  > 270 可疑, > 360 损失);
* a manual class approved at two levels (人工认定);
* the debtor's class (non-retail debtor with more than 10% of its claims here non-performing →
  all its claims at least 次级; set by the quarterly run);
* a restructured loan's observation floor: 关注 during the observation period, 次级 when it is
  overdue during it.

Downgrades take effect at once. Upgrades: 关注 → 正常 at once when nothing keeps the loan at
关注; from non-performing (次级/可疑/损失) only once all overdue has been repaid and the loan has
then been repaid on time for the longer of ``npl_upgrade_periods`` installments and
``npl_upgrade_months`` months; never during a restructured loan's observation period.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from xindai.core.problems import Problem
from xindai.core.problems import mark as _

NORMAL = "normal"
SPECIAL_MENTION = "special_mention"
SUBSTANDARD = "substandard"
DOUBTFUL = "doubtful"
LOSS = "loss"
ORDER: tuple[str, ...] = (NORMAL, SPECIAL_MENTION, SUBSTANDARD, DOUBTFUL, LOSS)
RANK: dict[str, int] = {category: rank for rank, category in enumerate(ORDER)}
NPL: frozenset[str] = frozenset({SUBSTANDARD, DOUBTFUL, LOSS})
LABELS: dict[str, str] = {
    NORMAL: _("正常"),
    SPECIAL_MENTION: _("关注"),
    SUBSTANDARD: _("次级"),
    DOUBTFUL: _("可疑"),
    LOSS: _("损失"),
}

# Overdue buckets (逾期天数分段): (key, from day, to day inclusive; None open-ended).
BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("1-30", 1, 30),
    ("31-90", 31, 90),
    ("91-180", 91, 180),
    ("181-360", 181, 360),
    (">360", 361, None),
)
DEBTOR_NPL_SHARE_PERCENT = 10
DEBTOR_REASON = _("债务人不良债权占比超过%(share)s，全部债权列为不良")
DEBTOR_RELEASED = _("债务人不良债权占比已不超过%(share)s，恢复按贷款自身情况分类")


def rank(category: str) -> int:
    return RANK[category or NORMAL]


def worst(*categories: str) -> str:
    """The worst of ``categories`` (blank counts as 正常)."""
    return max((c or NORMAL for c in categories), key=rank, default=NORMAL)


def is_npl(category: str) -> bool:
    return category in NPL


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months (the last day of a shorter month)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def observation_floor(in_observation: bool, days_past_due: int) -> str:
    """A restructured loan in observation: at least 关注; overdue during it: at least 次级."""
    if not in_observation:
        return NORMAL
    return SUBSTANDARD if days_past_due > 0 else SPECIAL_MENTION


def upgrade_ready(
    *,
    cleared_on: dt.date | None,
    today: dt.date,
    days_past_due: int,
    periods_on_time: int,
    need_periods: int,
    need_months: int,
) -> bool:
    """Whether a non-performing loan may be upgraded: all overdue repaid since ``cleared_on``
    (and still nothing overdue today), then ``periods_on_time`` installments repaid on time,
    at least ``need_periods`` of them, and at least ``need_months`` months since."""
    if cleared_on is None or days_past_due > 0:
        return False
    return periods_on_time >= need_periods and add_months(cleared_on, need_months) <= today


@dataclass(frozen=True)
class Facts:
    """What the classification of one loan on ``today`` depends on."""

    current: str
    floor: str
    today: dt.date
    days_past_due: int = 0
    manual_floor: str = ""
    debtor_floor: str = ""
    observation_until: dt.date | None = None
    cleared_on: dt.date | None = None
    periods_on_time: int = 0
    need_periods: int = 2
    need_months: int = 6


@dataclass(frozen=True)
class Decision:
    category: str
    source: str  # auto / upgrade / restructure
    reason: str
    params: Mapping[str, str] = field(default_factory=dict)

    def problem(self) -> Problem:
        return Problem("category", self.reason, self.params)


def in_observation(until: dt.date | None, today: dt.date) -> bool:
    return until is not None and today <= until


def decide(f: Facts) -> Decision:
    """The class of a loan on ``f.today`` (see the module docstring)."""
    observing = in_observation(f.observation_until, f.today)
    obs = observation_floor(observing, f.days_past_due)
    target = worst(f.floor, f.manual_floor, f.debtor_floor, obs)
    if rank(target) >= rank(f.current):
        if target == f.current:
            return Decision(f.current, "auto", _("分类不变"))
        if obs == target and rank(obs) > rank(worst(f.floor, f.manual_floor, f.debtor_floor)):
            return Decision(target, "restructure", _("重组观察期内逾期，下调分类"))
        if f.debtor_floor == target and rank(target) > rank(worst(f.floor, f.manual_floor)):
            return Decision(
                target, "auto", DEBTOR_REASON, {"share": f"{DEBTOR_NPL_SHARE_PERCENT}%"}
            )
        return Decision(
            target,
            "auto",
            _("逾期%(days)s天，分类下限为%(floor)s"),
            {"days": str(f.days_past_due), "floor": LABELS[f.floor]},
        )
    # An upgrade.
    if observing:
        return Decision(f.current, "auto", _("重组观察期内不上调"))
    if is_npl(f.current):
        ready = upgrade_ready(
            cleared_on=f.cleared_on,
            today=f.today,
            days_past_due=f.days_past_due,
            periods_on_time=f.periods_on_time,
            need_periods=f.need_periods,
            need_months=f.need_months,
        )
        if not ready:
            return Decision(f.current, "auto", _("不良贷款尚未满足上调条件"))
        return Decision(
            target,
            "upgrade",
            _("逾期已结清后按时还款%(periods)s期、满%(months)s个月，上调分类"),
            {"periods": str(f.periods_on_time), "months": str(f.need_months)},
        )
    return Decision(target, "auto", _("逾期已结清，上调为正常"))


def proposal_problems(proposed: str, floor: str, current: str) -> list[Problem]:
    """A manual class may never be better than the days-past-due floor."""
    problems: list[Problem] = []
    if proposed not in RANK:
        return [Problem("proposed", _("请选择五级分类"))]
    if rank(proposed) < rank(floor):
        problems.append(
            Problem(
                "proposed",
                _("认定分类不得优于逾期天数对应的分类下限（%(floor)s）"),
                {"floor": LABELS[floor]},
            )
        )
    if proposed == current:
        problems.append(Problem("proposed", _("认定分类与当前分类相同")))
    return problems


def approver_problem(
    stage: str, approver: int, proposer: int, first: int | None = None
) -> Problem | None:
    """Three people: the proposer approves nothing; the second level is someone else than the
    first."""
    if approver == proposer:
        return Problem("approver", _("提出人不得审批自己的认定"))
    if stage == "final" and first is not None and approver == first:
        return Problem("approver", _("二级审批须由一级审批以外的人员办理"))
    return None


def debtor_non_performing(npl_fen: int, total_fen: int) -> bool:
    """More than 10% of a non-retail debtor's claims here are non-performing."""
    return total_fen > 0 and npl_fen * 100 > total_fen * DEBTOR_NPL_SHARE_PERCENT


def bucket_of(days_past_due: int) -> str | None:
    for key, low, high in BUCKETS:
        if days_past_due >= low and (high is None or days_past_due <= high):
            return key
    return None


def quarter_of(day: dt.date) -> tuple[str, dt.date]:
    """The quarter ``day`` is in and its last day: 2026-11-29 → ("2026Q4", 2026-12-31)."""
    q = (day.month - 1) // 3 + 1
    last_month = q * 3
    end = dt.date(day.year, last_month, calendar.monthrange(day.year, last_month)[1])
    return f"{day.year}Q{q}", end


def ratio(part: int, whole: int) -> float | None:
    """``part / whole`` rounded to 4 places (None when ``whole`` is 0)."""
    return round(part / whole, 4) if whole else None


@dataclass
class Matrix:
    """A migration matrix (迁徙矩阵): loans by class at the start (rows) and at the end
    (columns), counts and balances (fen); the migration rate of a class is the share of its
    loans (or balance) at the start that are in a worse class at the end."""

    counts: dict[str, dict[str, int]]
    balances: dict[str, dict[str, int]]

    def row_count(self, start: str) -> int:
        return sum(self.counts[start].values())

    def row_balance(self, start: str) -> int:
        return sum(self.balances[start].values())

    def rate(self, start: str, *, by_balance: bool = False) -> float | None:
        table = self.balances if by_balance else self.counts
        worse = sum(v for end, v in table[start].items() if rank(end) > rank(start))
        return ratio(worse, sum(table[start].values()))


def matrix(moves: Iterable[tuple[str, str, int]]) -> Matrix:
    """The matrix of ``(class at start, class at end, balance fen)`` per loan."""
    counts = {a: dict.fromkeys(ORDER, 0) for a in ORDER}
    balances = {a: dict.fromkeys(ORDER, 0) for a in ORDER}
    for start, end, balance in moves:
        counts[start][end] += 1
        balances[start][end] += balance
    return Matrix(counts, balances)


def npl_ratio(balances: Mapping[str, int]) -> float | None:
    """不良率: (次级 + 可疑 + 损失) balance / all balances."""
    total = sum(balances.values())
    return ratio(sum(v for c, v in balances.items() if c in NPL), total)
