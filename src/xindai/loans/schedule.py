"""Repayment schedules (pure domain: stdlib Decimal and dates only; no Django, no database).

The interface below is fixed; the engine behind ``build`` and ``annualised_rate`` is
implemented in this module (see issue 4 for the conventions). Conventions, precisely:

Due dates (``daycount``): on the disbursement day of month (clamped to short months, always
measured from the start: 1-31 → 2-28 → 3-31); or on a fixed day ``first_due_day`` (the first
due date is the first such day strictly after the start; quarterly: in a quarter-end month);
or at month end (= fixed day 31). The first period is *broken* when the start does not lie on
that grid; it still counts as period 1. ``days`` of a row are its days under the day count
(actual days, or 30E/360 days for ``30_360``), first day counted, last not (算头不算尾).

Interest of a row = balance × rate over the period, rounded half-up to the fen per row:
``period`` basis: annual / 12 (monthly) or annual / 4 (quarterly) per full period, and
days × annual / year-days for a broken first period; ``daily`` basis: days × annual /
year-days for every period (year-days 360 for actual_360 and 30_360, 365 for actual_365).

Methods (grace periods first pay interest only, the principal stays whole):

* equal_installment: installment A = P·i·(1+i)^n / ((1+i)^n − 1) with i = annual / 12 or / 4
  and n = periods − grace (A = P / n when i = 0), rounded half-up to ``rounding_multiple``;
  each row's principal = A − that row's interest (never below 0 nor above the balance); the
  last row repays the whole remaining balance (it absorbs every difference).
* equal_principal: principal P / n rounded half-up to ``rounding_multiple`` per amortising
  row, the last row the remaining balance; interest on the balance.
* interest_only: interest every period, the whole principal with the last.
* bullet: one row on the last due date (term = periods × 1 or 3 months): the principal and the
  interest summed over all the periods as above, rounded once.
* flat: total interest = P × annual × months / 12 (months = periods × 1 or 3; ignores basis,
  day count and a broken period), rounded to the fen and spread equally over all periods
  (rounded to the fen, the last row absorbing); principal as for equal_principal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, localcontext
from enum import StrEnum
from typing import NamedTuple

from xindai.core.money import FEN, ZERO, round_rate, round_to_multiple, to_fen
from xindai.core.problems import Problem
from xindai.core.problems import mark as _
from xindai.loans import daycount, irr


class Method(StrEnum):
    EQUAL_INSTALLMENT = "equal_installment"  # 等额本息
    EQUAL_PRINCIPAL = "equal_principal"  # 等额本金
    INTEREST_ONLY = "interest_only"  # 按月/按季付息，到期还本
    BULLET = "bullet"  # 利随本清
    FLAT = "flat"  # 平息法 (for comparison with other systems)


class Frequency(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"


class InterestBasis(StrEnum):
    PERIOD = "period"  # annual / 12 per month, / 4 per quarter
    DAILY = "daily"  # actual days × annual / year basis


class DayCount(StrEnum):
    ACTUAL_360 = "actual_360"
    ACTUAL_365 = "actual_365"
    THIRTY_360 = "30_360"


class DueDayRule(StrEnum):
    DISBURSEMENT_DAY = "disbursement_day"  # same day of month as the start
    FIXED_DAY = "fixed_day"  # ``first_due_day`` of each month (e.g. the 21st)
    MONTH_END = "month_end"


@dataclass(frozen=True)
class LoanTerms:
    principal: Decimal
    annual_rate: Decimal  # a fraction: 0.0435
    periods: int
    method: Method
    start: dt.date  # disbursement (value) date
    frequency: Frequency = Frequency.MONTHLY
    due_day_rule: DueDayRule = DueDayRule.DISBURSEMENT_DAY
    first_due_day: int | None = None  # 1..31 with FIXED_DAY
    interest_basis: InterestBasis = InterestBasis.PERIOD
    day_count: DayCount = DayCount.ACTUAL_360
    rounding_multiple: Decimal = Decimal("0.01")  # installment rounded to 0.01 or 1 yuan
    grace_periods: int = 0  # interest only for the first N periods


class Installment(NamedTuple):
    """One row of a schedule: immutable, and a named tuple because one is made per period of
    every schedule (four times cheaper to make than a frozen dataclass)."""

    period: int
    due_date: dt.date
    days: int
    principal: Decimal
    interest: Decimal
    payment: Decimal
    balance: Decimal  # principal outstanding after this payment


@dataclass(frozen=True)
class Schedule:
    terms: LoanTerms
    rows: tuple[Installment, ...]

    @property
    def total_principal(self) -> Decimal:
        return sum((row.principal for row in self.rows), Decimal(0))

    @property
    def total_interest(self) -> Decimal:
        return sum((row.interest for row in self.rows), Decimal(0))

    @property
    def total_payment(self) -> Decimal:
        return sum((row.payment for row in self.rows), Decimal(0))


class InvalidTerms(ValueError):
    """Terms that cannot make a schedule; ``problems`` says why, one per item."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("；".join(problem.text() for problem in problems))
        self.problems = problems

    def messages(self, translate: Callable[[str], str] = str) -> list[str]:
        return [problem.text(translate) for problem in self.problems]


MAX_PERIODS = 600
MAX_PRINCIPAL = Decimal(10) ** 12  # 1 万亿元
ROUNDING_MULTIPLES = (Decimal("0.01"), Decimal(1))
_MONTHS_PER_PERIOD = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3}
_YEAR_DAYS = {DayCount.ACTUAL_360: 360, DayCount.ACTUAL_365: 365, DayCount.THIRTY_360: 360}
_VALUES: dict[type[StrEnum], frozenset[str]] = {
    choices: frozenset(choice.value for choice in choices)
    for choices in (Method, Frequency, DueDayRule, InterestBasis, DayCount)
}
CHOICE_LABELS: dict[type[StrEnum], str] = {
    Method: _("还款方式"),
    Frequency: _("还款频率"),
    DueDayRule: _("还款日规则"),
    InterestBasis: _("计息方式"),
    DayCount: _("计息天数规则"),
}
_PRECISION = 40  # exact products of fen amounts and rates; one division before rounding


def problems_of(terms: LoanTerms, *, max_annual_rate: Decimal | None = None) -> list[Problem]:
    """Why these terms are unacceptable (empty = acceptable), each about a ``LoanTerms``
    field; render with ``problem.text(gettext)`` (or ``core.problems.by_field``)."""
    checks: tuple[Callable[[], Problem | None], ...] = (
        lambda: _principal_problem(terms.principal),
        lambda: _rate_problem(terms.annual_rate, max_annual_rate),
        lambda: _periods_problem(terms.periods),
        lambda: _choice_problem("method", Method, terms.method),
        lambda: _choice_problem("frequency", Frequency, terms.frequency),
        lambda: _choice_problem("due_day_rule", DueDayRule, terms.due_day_rule),
        lambda: _choice_problem("interest_basis", InterestBasis, terms.interest_basis),
        lambda: _choice_problem("day_count", DayCount, terms.day_count),
        lambda: _due_day_problem(terms),
        lambda: _rounding_problem(terms.rounding_multiple),
        lambda: _grace_problem(terms),
        lambda: _start_problem(terms),
    )
    return [problem for check in checks if (problem := check()) is not None]


def _principal_problem(principal: Decimal) -> Problem | None:
    if not isinstance(principal, Decimal) or not principal.is_finite() or principal <= 0:
        return Problem("principal", _("贷款本金必须大于 0"))
    if principal % FEN:
        return Problem("principal", _("贷款本金最多精确到分（两位小数）"))
    if principal > MAX_PRINCIPAL:
        return Problem("principal", _("贷款本金不能超过 1 万亿元"))
    return None


def _rate_problem(rate: Decimal, max_annual_rate: Decimal | None) -> Problem | None:
    if not isinstance(rate, Decimal) or not rate.is_finite() or rate < 0:
        return Problem("annual_rate", _("年利率不能为负数"))
    if rate > 1:
        return Problem("annual_rate", _("年利率以小数表示（4.35% 写作 0.0435），不能超过 1"))
    if max_annual_rate is not None and rate > max_annual_rate:
        return Problem(
            "annual_rate",
            _("年利率超过 1 年期 LPR 的 4 倍（%(ceiling)s）"),
            {"ceiling": _percent(max_annual_rate)},
        )
    return None


def _percent(rate: Decimal) -> str:
    text = f"{rate * 100:f}"
    return (text.rstrip("0").rstrip(".") if "." in text else text) + "%"


def _periods_problem(periods: int) -> Problem | None:
    if isinstance(periods, bool) or not isinstance(periods, int):
        return Problem("periods", _("期数必须是整数"))
    if not 1 <= periods <= MAX_PERIODS:
        return Problem("periods", _("期数必须在 1 到 %(max)s 之间"), {"max": str(MAX_PERIODS)})
    return None


def _choice_problem(field: str, choices: type[StrEnum], value: object) -> Problem | None:
    if value in _VALUES[choices]:
        return None
    params = {"label": CHOICE_LABELS[choices], "value": str(value)}
    return Problem(field, _("未知的%(label)s：%(value)s"), params)


def _due_day_problem(terms: LoanTerms) -> Problem | None:
    day = terms.first_due_day
    if terms.due_day_rule == DueDayRule.FIXED_DAY:
        if isinstance(day, bool) or not isinstance(day, int) or not 1 <= day <= 31:
            return Problem("first_due_day", _("固定还款日必须是 1 到 31 之间的整数"))
    elif day is not None:
        return Problem("first_due_day", _("只有按固定日还款时才能指定还款日"))
    return None


def _rounding_problem(multiple: Decimal) -> Problem | None:
    if multiple in ROUNDING_MULTIPLES:
        return None
    return Problem("rounding_multiple", _("还款额取整单位只能是 0.01 元或 1 元"))


def _grace_problem(terms: LoanTerms) -> Problem | None:
    grace = terms.grace_periods
    if isinstance(grace, bool) or not isinstance(grace, int) or grace < 0:
        return Problem("grace_periods", _("宽限期必须是不小于 0 的整数"))
    if terms.method == Method.BULLET and grace:
        return Problem("grace_periods", _("利随本清（到期一次还本付息）不设宽限期"))
    if _periods_problem(terms.periods) is None and grace >= terms.periods:
        return Problem("grace_periods", _("宽限期必须小于期数"))
    return None


def _start_problem(terms: LoanTerms) -> Problem | None:
    if not isinstance(terms.start, dt.date):
        return Problem("start", _("放款日期无效"))
    if (
        _periods_problem(terms.periods) is None
        and terms.start.year + terms.periods // 4 >= dt.MAXYEAR
    ):
        return Problem("start", _("到期日超出可计算的日期范围"))
    return None


def build(terms: LoanTerms) -> Schedule:
    """The schedule of a loan; raises InvalidTerms when ``problems_of`` finds any."""
    problems = problems_of(terms)
    if problems:
        raise InvalidTerms(problems)
    with localcontext() as context:
        context.prec = _PRECISION
        dates, broken = _due_dates(terms)
        days = daycount.period_days(
            terms.start, dates, thirty_360=terms.day_count == DayCount.THIRTY_360
        )
        accruals = _accruals(terms, days, broken)
        rows = _ROW_MAKERS[terms.method](terms, dates, days, accruals)
    return Schedule(terms, tuple(rows))


def _due_dates(terms: LoanTerms) -> tuple[list[dt.date], bool]:
    months = _MONTHS_PER_PERIOD[terms.frequency]
    if terms.due_day_rule == DueDayRule.DISBURSEMENT_DAY:
        return daycount.due_dates_on_start_day(terms.start, terms.periods, months), False
    day = 31 if terms.due_day_rule == DueDayRule.MONTH_END else terms.first_due_day
    assert day is not None  # problems_of demands it
    return daycount.due_dates_on_fixed_day(terms.start, terms.periods, months, day)


@dataclass(frozen=True)
class _Accruals:
    """Interest of period k = balance × numerators[k] / denominator: one exact product and one
    division before rounding (no rounded per-day rate), with one denominator for all periods."""

    numerators: list[Decimal]
    denominator: Decimal


def _accruals(terms: LoanTerms, days: list[int], broken: bool) -> _Accruals:
    rate, year_days = terms.annual_rate, _YEAR_DAYS[terms.day_count]
    if terms.interest_basis == InterestBasis.DAILY:
        per_days = {count: rate * count for count in set(days)}  # a handful of month lengths
        return _Accruals([per_days[count] for count in days], Decimal(year_days))
    # annual / per_year for a full period = annual × year_days / (per_year × year_days)
    per_year = 12 // _MONTHS_PER_PERIOD[terms.frequency]
    numerators = [rate * year_days] * len(days)
    if broken:
        numerators[0] = rate * days[0] * per_year
    return _Accruals(numerators, Decimal(per_year * year_days))


def _level_installment(terms: LoanTerms, amortising: int) -> Decimal:
    """等额本息 installment from the periodic rate, rounded to the rounding multiple."""
    principal = terms.principal
    rate = terms.annual_rate / (12 // _MONTHS_PER_PERIOD[terms.frequency])
    if not rate:
        return round_to_multiple(principal / amortising, terms.rounding_multiple)
    growth = (1 + rate) ** amortising
    return round_to_multiple(principal * rate * growth / (growth - 1), terms.rounding_multiple)


def _amortise(
    terms: LoanTerms,
    dates: list[dt.date],
    days: list[int],
    accruals: _Accruals,
    level: Decimal,
    level_is_payment: bool,
) -> list[Installment]:
    """Rows with interest on the balance. After the grace periods each row repays ``level``
    of principal, or ``level`` minus its interest when ``level_is_payment`` (等额本息), never
    below zero nor above the balance; the last row repays whatever balance is left.

    One flat loop: this is the hot path of every schedule (see benchmarks/schedule.py)."""
    balance = to_fen(terms.principal)
    grace, last = terms.grace_periods, terms.periods
    fen, new, cls = to_fen, tuple.__new__, Installment
    rows: list[Installment] = []
    append = rows.append
    denominator = accruals.denominator
    for period, due, period_days, numerator in zip(
        range(1, last + 1), dates, days, accruals.numerators, strict=True
    ):
        interest = fen(balance * numerator / denominator)
        if period == last:
            principal = balance
        elif period <= grace:
            principal = ZERO
        else:
            principal = level - interest if level_is_payment else level
            if principal < ZERO:
                principal = ZERO
            elif principal > balance:
                principal = balance
        balance -= principal
        payment = principal + interest
        append(new(cls, (period, due, period_days, principal, interest, payment, balance)))
    return rows


def _equal_installment(
    terms: LoanTerms, dates: list[dt.date], days: list[int], accruals: _Accruals
) -> list[Installment]:
    installment = _level_installment(terms, terms.periods - terms.grace_periods)
    return _amortise(terms, dates, days, accruals, installment, level_is_payment=True)


def _equal_principal(
    terms: LoanTerms, dates: list[dt.date], days: list[int], accruals: _Accruals
) -> list[Installment]:
    level = _level_principal(terms)
    return _amortise(terms, dates, days, accruals, level, level_is_payment=False)


def _level_principal(terms: LoanTerms) -> Decimal:
    amortising = terms.periods - terms.grace_periods
    return round_to_multiple(terms.principal / amortising, terms.rounding_multiple)


def _interest_only(
    terms: LoanTerms, dates: list[dt.date], days: list[int], accruals: _Accruals
) -> list[Installment]:
    return _amortise(terms, dates, days, accruals, ZERO, level_is_payment=False)


def _bullet(
    terms: LoanTerms, dates: list[dt.date], days: list[int], accruals: _Accruals
) -> list[Installment]:
    principal = to_fen(terms.principal)
    interest = to_fen(principal * sum(accruals.numerators) / accruals.denominator)
    return [Installment(1, dates[-1], sum(days), principal, interest, principal + interest, ZERO)]


def _flat(
    terms: LoanTerms, dates: list[dt.date], days: list[int], accruals: _Accruals
) -> list[Installment]:
    months = terms.periods * _MONTHS_PER_PERIOD[terms.frequency]
    interest_left = to_fen(terms.principal * terms.annual_rate * months / 12)
    level_interest = to_fen(interest_left / terms.periods)
    level_principal = _level_principal(terms)
    balance = to_fen(terms.principal)
    rows = []
    for period, (due, period_days) in enumerate(zip(dates, days, strict=True), start=1):
        last = period == terms.periods
        interest = interest_left if last else min(level_interest, interest_left)
        principal = ZERO if period <= terms.grace_periods else min(level_principal, balance)
        principal = balance if last else principal
        balance -= principal
        interest_left -= interest
        rows.append(
            Installment(
                period, due, period_days, principal, interest, principal + interest, balance
            )
        )
    return rows


RowMaker = Callable[[LoanTerms, list[dt.date], list[int], _Accruals], list[Installment]]
_ROW_MAKERS: dict[Method, RowMaker] = {
    Method.EQUAL_INSTALLMENT: _equal_installment,
    Method.EQUAL_PRINCIPAL: _equal_principal,
    Method.INTEREST_ONLY: _interest_only,
    Method.BULLET: _bullet,
    Method.FLAT: _flat,
}


def annualised_rate(schedule: Schedule) -> Decimal:
    """年化利率: the annual IRR of the cash flows (−principal at start, payments on due dates),
    compounding by actual days / 365, as consumer-protection rules require loan marketing to
    show. Returned as a fraction rounded to 6 places."""
    start = schedule.terms.start
    flows = [
        (float(row.payment), (row.due_date - start).days / 365)
        for row in schedule.rows
        if row.payment
    ]
    principal = float(schedule.terms.principal)
    return round_rate(Decimal(repr(irr.annual_rate(principal, flows))))
