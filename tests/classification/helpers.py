"""Helpers of the classification tests: real loans (opened as disbursement opens them) whose
servicing state is set directly where the point is the classification rule, not the
end-of-day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from tests.customers.ids import credit_code
from tests.loans.factories_eod import loan
from xindai.customers.models import Customer
from xindai.loans.models import LoanAccount, LoanState
from xindai.loans.servicing import class_floor

START = dt.date(2026, 11, 5)


def open_loan(customer: Any, amount: int, months: int = 12) -> LoanAccount:
    """A loan of ``amount`` 元 at 6%, 等额本息, disbursed on 2026-11-05 to a third party."""
    return loan(
        customer,
        principal=Decimal(amount),
        rate=Decimal("0.06"),
        months=months,
        method="equal_installment",
        start=START,
        into_account=False,
    )


def overdue(account: LoanAccount, days: int) -> None:
    """The loan is ``days`` past due (its floor by the days), as the end-of-day would leave it."""
    LoanState.objects.filter(loan=account).update(
        days_past_due=days,
        class_floor=class_floor(days),
        overdue_since=START if days else None,
    )


def enterprise(
    manager: Any, name: str = "青禾米业有限公司", body: str = "91110108MA01ABCD1"
) -> Customer:
    return Customer.objects.create(
        kind="enterprise",
        name=name,
        id_number=credit_code(body),
        address="多福镇工业园 8 号",
        manager=manager,
        org_unit=manager.org_unit,
    )
