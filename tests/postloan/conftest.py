"""Fixtures of the post-loan inspection tests: the loans fixtures (farmer 张三's customer,
branch tree, clerk) and a helper opening a loan on a business date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from tests.loans.conftest import *  # noqa: F403
from tests.loans.factories_eod import loan
from xindai.core import business_date
from xindai.loans.models import LoanAccount


def on(day: dt.date) -> None:
    business_date.set_date(day, actor=None, reason="test")


@pytest.fixture
def open_loan(farmer: Any) -> Callable[..., LoanAccount]:
    """A loan of 张三's farmer opened on ``start`` (the business date moves there); with
    ``paid_out`` its repayment account stays empty, so it goes overdue."""

    def make(
        start: dt.date, months: int = 12, principal: str = "60000", *, paid_out: bool = False
    ) -> LoanAccount:
        on(start)
        return loan(
            farmer,
            principal=Decimal(principal),
            rate=Decimal("0.0435"),
            months=months,
            method="equal_installment",
            start=start,
            product_code="EOD-Q",
            into_account=not paid_out,  # paid out to a third party: the account stays empty
        )

    return make


# Everything fine: the answers of a loan without guarantor, collateral or self-paid funds.
FINE = {
    "borrower_ok": "true",
    "major_changes": "false",
    "archive_updated": "true",
    "interest_as_contracted": "true",
    "conclusion": "normal",
}


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"field photo of the barn" * 20


def photo(name: str = "barn.png", content: bytes = PNG) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="image/png")


@pytest.fixture
def task(open_loan: Callable[..., LoanAccount]) -> Any:
    """The first follow-up of a 12-month loan opened on 10 March 2026 (due 25 March); the
    business date is 20 March."""
    from xindai.postloan import daily
    from xindai.postloan.models import InspectionTask

    made = open_loan(dt.date(2026, 3, 10))
    daily.run(dt.date(2026, 3, 11))
    on(dt.date(2026, 3, 20))
    return InspectionTask.objects.get(loan=made)


@pytest.fixture
def portfolio(
    open_loan: Callable[..., LoanAccount], colleague: Any, tree: dict[str, Any]
) -> dict[str, Any]:
    """Tasks of 张三 (一支行) and 李四 (二支行), business date 20 November 2026:

    T1 张三 due 10 Oct, done 8 Oct (on time)   T2 张三 due 25 Oct, done 30 Oct (late)
    T3 张三 due 10 Nov, open (late)            T4 李四 due 5 Nov, done 5 Nov (on time)
    T5 张三 due 5 Dec, open (not due yet)      T6 张三 due 1 Nov, cancelled
    """
    from xindai.postloan.models import InspectionTask

    a = open_loan(dt.date(2026, 3, 10))
    b = open_loan(dt.date(2026, 3, 11))
    LoanAccount.objects.filter(pk=b.pk).update(org_unit=tree["O21"], manager=colleague)
    zhang = a.manager
    d = dt.date

    def task(
        loan: Any, who: Any, due: Any, status: str, done: Any = None, late: bool = False
    ) -> Any:
        return InspectionTask.objects.create(
            loan_id=loan.pk,
            kind="periodic",
            due_date=due,
            assignee=who,
            status=status,
            created_on=due - dt.timedelta(days=30),
            done_on=done,
            late=late,
        )

    made = {
        "T1": task(a, zhang, d(2026, 10, 10), "done", d(2026, 10, 8)),
        "T2": task(a, zhang, d(2026, 10, 25), "done", d(2026, 10, 30), late=True),
        "T3": task(a, zhang, d(2026, 11, 10), "open", late=True),
        "T4": task(b, colleague, d(2026, 11, 5), "done", d(2026, 11, 5)),
        "T5": task(a, zhang, d(2026, 12, 5), "open"),
        "T6": task(a, zhang, d(2026, 11, 1), "cancelled"),
    }
    on(dt.date(2026, 11, 20))
    return made
