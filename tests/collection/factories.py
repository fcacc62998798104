"""A loan with an application and a guarantor, opened like the end-of-day tests' loans."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from tests.credit.factories import submitted
from tests.loans.factories_eod import loan
from xindai.credit.models import ApplicationGuarantor
from xindai.loans.models import LoanAccount


def guaranteed_loan(
    manager: Any, customer: Any, guarantor: Any, *, start: dt.date, **kw: Any
) -> LoanAccount:
    kw.setdefault("principal", Decimal(12_000))
    kw.setdefault("rate", Decimal("0.06"))
    kw.setdefault("months", 12)
    kw.setdefault("method", "equal_installment")
    application = submitted(manager, customer)
    ApplicationGuarantor.objects.create(application=application, guarantor=guarantor)
    made = loan(customer, start=start, into_account=False, **kw)
    LoanAccount.objects.filter(pk=made.pk).update(application=application)
    made.refresh_from_db()
    return made
