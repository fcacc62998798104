"""还款 (repayments), pure: what is owed on a business date, how a payment is allocated to the
buckets, prepayment with re-amortisation, and the payoff amount with interest to date.
Stdlib, ``xindai.core`` and the schedule engine only; amounts are integers of fen.

Conventions (issue 8, shared with the end-of-day):

* **Collection order** (``COLLECTION_ORDER``): penalty due (罚息) → compound due (复利) →
  overdue interest → interest due → overdue principal → principal due. A payment fills each
  bucket in this order; what it does not reach stays due (or overdue).
* **Interest to date** on business date D counts the first day, not the last (算头不算尾): the
  days from the current period's start up to D − 1. For schedule-interest loans (等额本息,
  等额本金, 利随本清) it is the schedule accrual ``round_half_up(row.interest × elapsed /
  row.days)`` of the row not yet due; for 按期付息 loans it is the 积数 ``interest_base`` plus
  the principal × the days no end-of-day has accrued yet, at ``rate_ppm``. Penalty and
  compound interest to date likewise from their 积数 (``penalty_base``, ``compound_base``).
* **Payoff** (结清) = every due and overdue bucket + principal not yet due + interest to date +
  penalty and compound to date. It must be paid exactly.
* **Overpayment** without a prepayment option: the surplus over what is due goes to the
  borrower's repayment deposit account when the money is cash; money taken from the deposit
  account itself is limited to what is due (the rest simply stays there), so asking for more is
  refused. With nothing due, a payment needs a prepayment option.
* **Prepayment** (提前还款, 等额本息 and 等额本金): the amount first pays what is due and the
  interest to date of the current period, the rest repays principal; the rows not yet due are
  rebuilt by the schedule engine from D on the loan's due day: *lower installment* keeps the
  number of remaining periods, *shorter term* keeps the installment (等额本息: the fewest
  periods n with the old installment, n = ⌈nper⌉, the installment then re-levelled over n, so
  never above the old one; 等额本金: the old principal per period, n = ⌈P / level⌉). 按期付息
  and 利随本清 loans are prepaid in full only (their interest runs on the principal by 积数 or
  in one row).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal, localcontext
from enum import StrEnum

from xindai.core.problems import Problem
from xindai.core.problems import mark as _
from xindai.ledger.domain import fen_text
from xindai.loans import servicing
from xindai.loans.schedule import DueDayRule, Frequency, LoanTerms, Method, Schedule, build

# The end-of-day's order (one definition), by bucket name without the unit.
COLLECTION_ORDER: tuple[str, ...] = tuple(
    name.removesuffix("_fen") for name in servicing.COLLECTION_ORDER
)
BUCKET_LABELS: Mapping[str, str] = {
    "penalty_due": _("应收罚息"),
    "compound_due": _("应收复利"),
    "overdue_interest": _("逾期利息"),
    "interest_due": _("到期利息"),
    "overdue_principal": _("逾期本金"),
    "principal_due": _("到期本金"),
    "penalty_to_date": _("至今罚息"),
    "compound_to_date": _("至今复利"),
    "interest_to_date": _("当期利息（计至今日）"),
    "principal": _("提前归还本金"),
    "surplus": _("溢缴款转存"),
}
PART_ORDER: tuple[str, ...] = (
    "penalty_due",
    "compound_due",
    "penalty_to_date",
    "compound_to_date",
    "overdue_interest",
    "interest_due",
    "interest_to_date",
    "overdue_principal",
    "principal_due",
    "principal",
    "surplus",
)
NPL_DAYS = 90  # days past due beyond which interest is kept off the balance sheet
REAMORTISABLE = frozenset({Method.EQUAL_INSTALLMENT, Method.EQUAL_PRINCIPAL})
PPM = 1_000_000


class Option(StrEnum):
    SHORTER = "shorter_term"  # 缩短期限（月供基本不变）
    LOWER = "lower_installment"  # 减少月供（期限不变）
    PAYOFF = "payoff"  # 全部结清


class Kind(StrEnum):
    ON_TIME = "on_time"
    PARTIAL = "partial"
    OVERPAYMENT = "overpayment"
    PREPAY_SHORTER = "prepay_shorter"
    PREPAY_LOWER = "prepay_lower"
    PAYOFF = "payoff"


class Source(StrEnum):
    CASH = "cash"
    DEPOSIT = "deposit"


OPTION_LABELS = {
    Option.SHORTER: _("提前还款·缩短期限"),
    Option.LOWER: _("提前还款·减少月供"),
    Option.PAYOFF: _("全部结清"),
}


def round_half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half-up, for numerator ≥ 0 and denominator > 0."""
    return (2 * numerator + denominator) // (2 * denominator)


def interest_of(base: int, rate_ppm: int, day_basis: int) -> int:
    """Interest in fen from a 积数 (fen·days): one rounding, half-up."""
    return round_half_up(base * rate_ppm, PPM * day_basis)


@dataclass(frozen=True)
class State:
    """The servicing figures of one loan (``loans.LoanState``), in fen."""

    principal: int
    principal_due: int = 0
    overdue_principal: int = 0
    interest_base: int = 0
    interest_accrued: int = 0
    interest_due: int = 0
    overdue_interest: int = 0
    penalty_base: int = 0
    compound_base: int = 0
    penalty_due: int = 0
    compound_due: int = 0
    rate_ppm: int = 0
    penalty_rate_ppm: int = 0
    day_basis: int = 360
    days_past_due: int = 0
    last_eod_date: dt.date | None = None

    @property
    def npl(self) -> bool:
        return self.days_past_due > NPL_DAYS


@dataclass(frozen=True)
class Row:
    """A schedule row in fen."""

    period: int
    due_date: dt.date
    principal: int
    interest: int
    payment: int
    days: int


@dataclass(frozen=True)
class Quote:
    """What the borrower owes on ``as_of``: the due buckets, and what settling today adds."""

    as_of: dt.date
    due: Mapping[str, int]  # COLLECTION_ORDER → fen
    principal: int  # not yet due
    interest_to_date: int  # of the current period (schedule) or the unsettled 积数
    interest_top_up: int  # interest_to_date − what the books already accrued
    penalty_to_date: int
    compound_to_date: int
    schedule_interest: bool  # interest from the schedule rows (else 积数)

    @property
    def due_total(self) -> int:
        return sum(self.due.values())

    @property
    def prepay_floor(self) -> int:
        """What a partial prepayment must exceed: what is due and the interest to date."""
        return self.due_total + self.interest_to_date

    @property
    def payoff(self) -> int:
        return (
            self.due_total
            + self.principal
            + self.interest_to_date
            + self.penalty_to_date
            + self.compound_to_date
        )

    @property
    def outstanding_principal(self) -> int:
        return self.principal + self.due["principal_due"] + self.due["overdue_principal"]


def _unaccrued_days(state: State, start: dt.date, as_of: dt.date) -> int:
    """Days before ``as_of`` that no end-of-day has accrued yet (0 when it ran for D − 1)."""
    first = state.last_eod_date + dt.timedelta(days=1) if state.last_eod_date else start
    return max(0, (as_of - max(first, start)).days)


def current_row(rows: Sequence[Row], as_of: dt.date) -> tuple[Row | None, dt.date | None]:
    """The first row not yet due on ``as_of`` and the due date before it (None: the start)."""
    previous = None
    for row in rows:
        if row.due_date > as_of:
            return row, previous
        previous = row.due_date
    return None, previous


def quote(
    state: State,
    rows: Sequence[Row],
    *,
    method: Method,
    start: dt.date,
    as_of: dt.date,
    rebuilt_on: dt.date | None = None,
) -> Quote:
    """What is owed on ``as_of``. ``rebuilt_on``: the date the rows not yet due were last
    rebuilt by a prepayment (the current period then starts that day)."""
    due = {bucket: getattr(state, bucket) for bucket in COLLECTION_ORDER}
    gap = _unaccrued_days(state, start, as_of)
    schedule_interest = method != Method.INTEREST_ONLY
    if schedule_interest:
        row, previous = current_row(rows, as_of)
        to_date = 0
        if row is not None and row.days > 0:
            period_start = max(d for d in (previous or start, rebuilt_on or start, start))
            elapsed = min(max(0, (as_of - period_start).days), row.days)
            to_date = round_half_up(row.interest * elapsed, row.days)
    else:
        base = state.interest_base + state.principal * gap
        to_date = interest_of(base, state.rate_ppm, state.day_basis)
    penalty_base = state.penalty_base + state.overdue_principal * gap
    compound_base = state.compound_base + state.overdue_interest * gap
    return Quote(
        as_of=as_of,
        due=due,
        principal=state.principal,
        interest_to_date=to_date,
        interest_top_up=to_date - state.interest_accrued,
        penalty_to_date=interest_of(penalty_base, state.penalty_rate_ppm, state.day_basis),
        compound_to_date=interest_of(compound_base, state.penalty_rate_ppm, state.day_basis),
        schedule_interest=schedule_interest,
    )


def allocate(amount: int, due: Mapping[str, int]) -> dict[str, int]:
    """``amount`` spread over the due buckets in the collection order (each at most its due)."""
    parts: dict[str, int] = {}
    left = amount
    for bucket in COLLECTION_ORDER:
        paid = min(left, due.get(bucket, 0))
        if paid:
            parts[bucket] = paid
        left -= paid
    return parts


@dataclass(frozen=True)
class Plan:
    """What a payment does: its kind and the fen to each part (``PART_ORDER``)."""

    kind: Kind
    parts: Mapping[str, int]
    option: Option | None = None

    @property
    def prepaid_principal(self) -> int:
        return self.parts.get("principal", 0)


def plan(
    q: Quote,
    amount: int,
    option: Option | None,
    *,
    source: Source,
    method: Method,
    has_account: bool,
    remaining_rows: int,
) -> tuple[Plan | None, list[Problem]]:
    """The plan of paying ``amount`` fen on quote ``q``, or why it cannot be taken."""
    if amount <= 0:
        return None, [Problem("amount", _("还款金额必须大于 0"))]
    if option == Option.PAYOFF:
        return _payoff(q, amount)
    if option is not None:
        return _prepay(q, amount, option, method, remaining_rows)
    due = q.due_total
    if due == 0:
        return None, [
            Problem("amount", _("今日没有应还款项；如需提前还款，请选择提前还款方式或全部结清"))
        ]
    parts = allocate(amount, q.due)
    if amount < due:
        return Plan(Kind.PARTIAL, parts), []
    if amount == due:
        return Plan(Kind.ON_TIME, parts), []
    surplus = {"surplus": fen_text(amount - due), "due": fen_text(due)}
    if source == Source.DEPOSIT:
        text = _(
            "从还款账户扣款不能超过应还金额 %(due)s 元（多出 %(surplus)s 元）；"
            "如需提前还款，请选择提前还款方式"
        )
        return None, [Problem("amount", text, surplus)]
    if not has_account:
        text = _(
            "还款金额超过应还金额 %(due)s 元，该贷款未绑定还款账户，多出的 %(surplus)s 元"
            "无法转存；请按应还金额收款，或选择提前还款方式"
        )
        return None, [Problem("amount", text, surplus)]
    return Plan(Kind.OVERPAYMENT, parts | {"surplus": amount - due}), []


def _payoff(q: Quote, amount: int) -> tuple[Plan | None, list[Problem]]:
    if amount != q.payoff:
        text = _("全部结清应还 %(payoff)s 元（含计至今日的利息、罚息、复利），请按此金额收款")
        return None, [Problem("amount", text, {"payoff": fen_text(q.payoff)})]
    parts = dict(q.due)
    parts |= {
        "penalty_to_date": q.penalty_to_date,
        "compound_to_date": q.compound_to_date,
        "interest_to_date": q.interest_to_date,
        "principal": q.principal,
    }
    return Plan(Kind.PAYOFF, {k: v for k, v in parts.items() if v}, Option.PAYOFF), []


def _prepay(
    q: Quote, amount: int, option: Option, method: Method, remaining_rows: int
) -> tuple[Plan | None, list[Problem]]:
    if method not in REAMORTISABLE:
        text = _("按期付息到期还本、利随本清等方式的贷款不办理部分提前还款，可以全部结清")
        return None, [Problem("prepayment", text)]
    if remaining_rows == 0 or q.principal == 0:
        return None, [Problem("prepayment", _("贷款已无未到期的还款计划，不能提前还款"))]
    if amount <= q.prepay_floor:
        text = _("提前还款金额须超过今日应还款项与当期利息合计 %(floor)s 元")
        return None, [Problem("amount", text, {"floor": fen_text(q.prepay_floor)})]
    principal = amount - q.prepay_floor
    if principal >= q.principal:
        text = _("提前归还的本金已达剩余本金 %(principal)s 元，请选择全部结清")
        return None, [Problem("amount", text, {"principal": fen_text(q.principal)})]
    parts = allocate(q.due_total, q.due)
    if q.interest_to_date:
        parts["interest_to_date"] = q.interest_to_date
    parts["principal"] = principal
    kind = Kind.PREPAY_SHORTER if option == Option.SHORTER else Kind.PREPAY_LOWER
    return Plan(kind, parts, option), []


def reamortise(
    template: LoanTerms, rows_left: Sequence[Row], principal: int, as_of: dt.date, option: Option
) -> Schedule:
    """The new schedule of the rows not yet due (``rows_left``) after prepaying: ``principal``
    fen left, from ``as_of`` on the loan's due day, by the schedule engine."""
    periods = len(rows_left)
    if option == Option.SHORTER and periods > 1:
        periods = min(periods, _fewest_periods(template, rows_left[0], principal))
    terms = dataclasses.replace(
        template,
        principal=Decimal(principal).scaleb(-2),
        periods=periods,
        start=as_of,
        due_day_rule=DueDayRule.FIXED_DAY,
        first_due_day=template.start.day,
        grace_periods=0,
    )
    return build(terms)


def _fewest_periods(template: LoanTerms, first: Row, principal: int) -> int:
    """Shorter term: the periods needed to repay ``principal`` fen with the old installment
    (等额本息: ⌈nper(i, A, P)⌉) or the old principal per period (等额本金: ⌈P / level⌉)."""
    with localcontext() as context:
        context.prec = 40
        if template.method == Method.EQUAL_PRINCIPAL or not template.annual_rate:
            level = first.principal if template.method == Method.EQUAL_PRINCIPAL else first.payment
            n = Decimal(principal) / Decimal(level)
        else:
            per_year = 12 if template.frequency == Frequency.MONTHLY else 4
            i = template.annual_rate / per_year
            payment, owed = Decimal(first.payment), Decimal(principal)
            if payment <= i * owed:  # the old installment no longer covers the interest
                return 10**6
            n = (payment / (payment - i * owed)).ln() / (1 + i).ln()
        near = n.to_integral_value(ROUND_HALF_UP)
        whole = near if abs(n - near) < Decimal("1e-9") else n.to_integral_value(ROUND_CEILING)
    return max(1, int(whole))
