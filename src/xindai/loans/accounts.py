"""Opening a loan account with its schedule (贷款开户): one function shared by disbursement and
the import of an old system's loans. The caller owns the transaction."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from xindai.loans.models import LoanAccount, ScheduleRow
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
        )
        for row in schedule.rows
    )
    return account, schedule
