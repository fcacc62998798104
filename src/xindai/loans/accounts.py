"""Opening a loan account with its schedule (贷款开户): one function shared by disbursement and
the import of an old system's loans. The caller owns the transaction."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from xindai.core.money import fen, round_rate
from xindai.loans.models import LoanAccount, LoanState, LoanStatus, ScheduleRow
from xindai.loans.schedule import (
    DayCount,
    Frequency,
    InterestBasis,
    LoanTerms,
    Method,
    Schedule,
    build,
)
from xindai.products.models import CycleChoice, LoanProduct


def loan_terms(
    product: LoanProduct,
    principal: Decimal,
    annual_rate: Decimal,
    term_months: int,
    method: str,
    start: dt.date,
) -> LoanTerms:
    """The schedule engine's terms for a loan of ``product``: its day count and interest basis;
    按季 interest for an interest-only loan of a product settled quarterly (when the term is
    whole quarters), else monthly."""
    quarterly = (
        method == Method.INTEREST_ONLY
        and product.settlement_cycle == CycleChoice.QUARTERLY
        and term_months % 3 == 0
    )
    return LoanTerms(
        principal=principal,
        annual_rate=annual_rate,
        periods=term_months // 3 if quarterly else term_months,
        method=Method(method),
        start=start,
        frequency=Frequency.QUARTERLY if quarterly else Frequency.MONTHLY,
        interest_basis=InterestBasis(product.interest_basis),
        day_count=DayCount(product.day_count),
    )


def open_account(terms: LoanTerms, **fields: Any) -> tuple[LoanAccount, Schedule]:
    """A new loan account for ``terms`` with its schedule rows; ``fields`` are the account's
    other columns (customer, product, org_unit, manager, created_by, source, term_months, and
    application/contract or legacy_number). Numbered ``DK<year><id>``."""
    schedule = build(terms)
    fields.setdefault("outstanding_principal", terms.principal)
    account = LoanAccount.objects.create(
        number=f"tmp-{uuid.uuid4().hex[:24]}",
        principal=terms.principal,
        annual_rate=terms.annual_rate,
        repayment_method=terms.method.value,
        start_date=terms.start,
        maturity_date=schedule.rows[-1].due_date,
        **fields,
    )
    account.number = f"DK{terms.start:%Y}{account.pk:08d}"
    account.save(update_fields=["number"])
    ScheduleRow.objects.bulk_create(
        ScheduleRow(
            loan=account,
            period=row.period,
            due_date=row.due_date,
            principal=row.principal,
            interest=row.interest,
            payment=row.payment,
            balance=row.balance,
            principal_fen=fen(row.principal),
            interest_fen=fen(row.interest),
            days=row.days,
        )
        for row in schedule.rows
    )
    first = schedule.rows[0]  # the current period of the first end-of-day (see refresh_period)
    LoanState.objects.create(
        loan=account,
        rate_ppm=ppm(terms.annual_rate),
        penalty_rate_ppm=ppm(terms.annual_rate * (1 + account.product.penalty_markup)),
        day_basis=365 if terms.day_count == DayCount.ACTUAL_365 else 360,
        principal_fen=fen(account.outstanding_principal),
        active=account.status in ACTIVE,
        interest_only=terms.method == Method.INTEREST_ONLY,
        start_date=terms.start,
        next_due_date=first.due_date,
        period_interest_fen=fen(first.interest),
        period_days=first.days,
    )
    return account, schedule


ACTIVE = frozenset({LoanStatus.NORMAL, LoanStatus.OVERDUE})


def refresh_period(loans: int | Iterable[int], *, after: dt.date | None = None) -> int:
    """Copy again onto the servicing state of ``loans`` (ids) what the end-of-day reads from
    the loan account and its schedule: in account (status 正常/逾期), 按期付息 or not, the
    start date, and the current period — the first schedule row due after ``after`` (default:
    the current business date): its due date, interest (fen) and days.

    Call it, in the same transaction, after changing a loan's schedule rows (prepayment with
    re-amortisation, a reversal restoring them) or its status (payoff 结清, write-off 核销)
    outside the end-of-day. Returns the number of states refreshed. One set-based UPDATE
    with correlated look-ups: meant for a few loans at a time."""
    from xindai.core import business_date
    from xindai.loans import eod_steps

    ids = [int(loans)] if isinstance(loans, int) else sorted({int(i) for i in loans})
    if not ids:
        return 0
    when = after or business_date.current()
    marks = ", ".join(str(i) for i in ids)  # integers only
    params = eod_steps._params(after=when)
    return eod_steps.refresh(f"s.loan_id IN ({marks})", params, eod_steps._date("after"))


def ppm(rate: Decimal) -> int:
    """An annual rate as parts per million, half-up: 0.0435 → 43500; 0.06525 → 65250."""
    return int(round_rate(rate, 6).scaleb(6))
