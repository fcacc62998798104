"""Opening a loan account with its schedule (贷款开户): one function shared by disbursement and
the import of an old system's loans. The caller owns the transaction."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from xindai.core.money import round_rate
from xindai.loans.models import LoanAccount, LoanState, ScheduleRow
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
    LoanState.objects.create(
        loan=account,
        rate_ppm=ppm(terms.annual_rate),
        penalty_rate_ppm=ppm(terms.annual_rate * (1 + account.product.penalty_markup)),
        day_basis=365 if terms.day_count == DayCount.ACTUAL_365 else 360,
        principal_fen=fen(account.outstanding_principal),
    )
    return account, schedule


def fen(amount: Decimal) -> int:
    """Yuan (already in whole fen) as an integer of fen: Decimal("8530.99") → 853099."""
    return int(amount.scaleb(2).to_integral_value())


def ppm(rate: Decimal) -> int:
    """An annual rate as parts per million, half-up: 0.0435 → 43500; 0.06525 → 65250."""
    return int(round_rate(rate, 6).scaleb(6))
