"""Repayment schedules (pure domain: stdlib Decimal and dates only; no Django, no database).

The interface below is fixed; the engine behind ``build`` and ``annualised_rate`` is
implemented in this module (see issue 4 for the conventions).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


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


@dataclass(frozen=True)
class Installment:
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
    """Terms that cannot make a schedule; ``problems`` says why, in Chinese, one per item."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("；".join(problems))
        self.problems = problems


def problems_of(terms: LoanTerms, *, max_annual_rate: Decimal | None = None) -> list[str]:
    """Why these terms are unacceptable (empty = acceptable)."""
    raise NotImplementedError


def build(terms: LoanTerms) -> Schedule:
    """The schedule of a loan; raises InvalidTerms when ``problems_of`` finds any."""
    raise NotImplementedError


def annualised_rate(schedule: Schedule) -> Decimal:
    """年化利率: the annual IRR of the cash flows (−principal at start, payments on due dates),
    compounding by actual days / 365, as consumer-protection rules require loan marketing to
    show. Returned as a fraction rounded to 6 places."""
    raise NotImplementedError
