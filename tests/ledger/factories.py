"""Loan accounts opened directly (as the import does), for tests of what comes after."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from xindai.loans.accounts import loan_terms, open_account
from xindai.loans.models import LoanAccount, LoanSource
from xindai.products.demo import seed_demo_products
from xindai.products.models import LoanProduct


def loan_for(customer: Any, manager: Any, principal: str = "10000") -> LoanAccount:
    """A 12-month 等额本息 loan of ``customer`` at 4.35% from 2026-01-10 (product ZCSX)."""
    seed_demo_products()
    product = LoanProduct.objects.get(code="ZCSX")
    terms = loan_terms(
        product,
        Decimal(principal),
        Decimal("0.0435"),
        12,
        "equal_installment",
        dt.date(2026, 1, 10),
    )
    account, _ = open_account(
        terms,
        customer=customer,
        product=product,
        org_unit=manager.org_unit,
        manager=manager,
        created_by=manager,
        source=LoanSource.IMPORTED,
        legacy_number=f"T{LoanAccount.objects.count() + 1}",
        term_months=12,
    )
    return account
