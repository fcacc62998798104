"""A borrower 王大山 with an empty repayment account, two guarantors, and the end-of-day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from tests.credit.factories import guarantor_farmer, set_today, submitted
from tests.loans.factories_eod import loan
from xindai.core import business_date
from xindai.credit.models import ApplicationGuarantor
from xindai.customers.models import Customer
from xindai.loans import eod
from xindai.loans.models import LoanAccount

D = dt.date
START = D(2026, 11, 2)


def overdue_loan(farmer: Customer, *, months: int = 12, guarantors: int = 0) -> LoanAccount:
    """12,000.00 元 at 3.6%, 等额本金, disbursed 2026-11-02 to a third party (受托支付): the
    repayment account stays empty, so nothing is ever collected. Monthly principal 1,000.00;
    one day's interest 12,000 × 0.036 / 360 = 1.20 元, the first period (11-02..12-01, 30
    days) 36.00 元, due 2026-12-02."""
    set_today(START)
    made = loan(
        farmer,
        principal=Decimal(12_000),
        rate=Decimal("0.036"),
        months=months,
        method="equal_principal",
        start=START,
        into_account=False,
    )
    if guarantors:
        application = submitted(farmer.manager, farmer)
        for n in range(guarantors):
            person = guarantor_farmer(
                farmer.manager, farmer.village, name=f"保证人{n + 1}", seq=700 + n
            )
            ApplicationGuarantor.objects.create(application=application, guarantor=person)
        LoanAccount.objects.filter(pk=made.pk).update(application=application)
        made.refresh_from_db()
    return made


def until(day: dt.date) -> None:
    """End-of-day up to and including ``day``: the business date becomes ``day + 1``."""
    eod.run_until(day)
    assert business_date.current() == day + dt.timedelta(days=1)


def uploaded(name: str = "回执.pdf", content: bytes = b"%PDF-1.4 signed receipt") -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")


def overdue_state(account: LoanAccount, today: dt.date, days: int) -> None:
    """Put ``account`` ``days`` past due on ``today`` without running the end-of-day (for the
    page and API tests): overdue principal 1,000.00 and interest 36.00 元."""
    from xindai.loans.models_servicing import LoanState

    set_today(today)
    LoanState.objects.filter(loan=account).update(
        overdue_since=today - dt.timedelta(days=days),
        days_past_due=days,
        overdue_principal_fen=100_000,
        overdue_interest_fen=3_600,
        principal_fen=1_100_000,
        class_floor="special_mention",
    )
    LoanAccount.objects.filter(pk=account.pk).update(status="overdue")
