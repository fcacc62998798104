"""Real end-of-day scenarios: loans go overdue day by day (empty repayment accounts), the
post-loan day re-classifies them, and an NPL loan is upgraded only after the overdue is cleared
and it has then been repaid on time for 2 periods and 6 months (the default policy)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from tests.credit.factories import set_today
from tests.loans.factories_eod import cash_in, loan
from xindai.classification import daily, services
from xindai.classification.models import ClassChange, LoanClass
from xindai.loans import eod
from xindai.loans.models import LoanState

pytestmark = pytest.mark.django_db

D = dt.date


def changes(account: Any) -> list[tuple[dt.date, str, str, str]]:
    return list(
        ClassChange.objects.filter(loan=account)
        .order_by("business_date", "pk")
        .values_list("business_date", "old", "new", "source")
    )


def test_a_loan_goes_overdue_and_another_is_upgraded_after_six_months(farmer: Any) -> None:
    """Both disbursed 2026-11-05 to a third party (受托支付), repayment accounts empty, first
    installments due 2026-12-05; unpaid since then. The business date T (after the end-of-day of
    T − 1) has days past due T − 12-05:

    * 2026-12-13: 8 days (beyond the 7-day technical exemption) → 关注;
    * 2027-03-06: 91 days → 次级;  2027-09-02: 271 → 可疑;  2027-12-01: 361 → 损失.

    Loan B's customer pays 20,000.00 元 in on 2027-03-06 (more than all that is overdue and the
    next installments): the end-of-day of 03-06 collects the overdue, so on 03-07 nothing is
    overdue (cleared on 03-07). B's later installments (04-05, 05-05, …) are collected on their
    due dates. Upgrade: on time for 2 periods (04-05, 05-05 → by 05-06) and 6 months
    (03-07 + 6 months = 09-07): on 2027-09-07, not on 09-06."""
    set_today(D(2026, 11, 5))
    a = loan(
        farmer,
        principal=Decimal(10_000),
        rate=Decimal("0.06"),
        months=12,
        method="equal_installment",
        start=D(2026, 11, 5),
        into_account=False,
    )
    b = loan(
        farmer,
        principal=Decimal(20_000),
        rate=Decimal("0.06"),
        months=24,
        method="equal_installment",
        start=D(2026, 11, 5),
        into_account=False,
    )
    eod.run_until(D(2026, 12, 11))  # business date 12-12: 7 days past due, still 正常
    assert services.current_class(a) == "normal"
    assert not LoanClass.objects.exists()  # no row while 正常 (lazy)
    eod.run_until(D(2026, 12, 12))
    assert services.classes_of([a.pk, b.pk]) == {a.pk: "special_mention", b.pk: "special_mention"}
    assert [c.loan_id for c in services.downgraded_on(D(2026, 12, 13))] == [a.pk, b.pk]

    eod.run_until(D(2027, 3, 4))
    assert services.current_class(a) == "special_mention"  # 03-05: 90 days
    eod.run_until(D(2027, 3, 5))
    assert services.current_class(a) == "substandard"  # 03-06: 91 days
    assert services.current_class(b) == "substandard"

    deposit = LoanState.objects.get(loan=b).repayment_account
    assert deposit is not None
    cash_in(deposit, 2_000_000, D(2027, 3, 6))
    eod.run_until(D(2027, 3, 6))
    assert LoanState.objects.get(loan=b).days_past_due == 0
    assert LoanClass.objects.get(loan=b).cleared_on == D(2027, 3, 7)
    eod.run_until(D(2027, 9, 5))
    assert services.current_class(b) == "substandard"  # 09-06: 6 months not yet reached
    eod.run_until(D(2027, 9, 6))
    assert services.current_class(b) == "normal"  # 09-07

    eod.run_until(D(2027, 11, 29))
    assert services.current_class(a) == "doubtful"  # 11-30: 360 days
    eod.run_until(D(2027, 11, 30))  # business date 12-01: 361 days

    assert changes(a) == [
        (D(2026, 12, 13), "normal", "special_mention", "auto"),
        (D(2027, 3, 6), "special_mention", "substandard", "auto"),
        (D(2027, 9, 2), "substandard", "doubtful", "auto"),
        (D(2027, 12, 1), "doubtful", "loss", "auto"),
    ]
    assert changes(b) == [
        (D(2026, 12, 13), "normal", "special_mention", "auto"),
        (D(2027, 3, 6), "special_mention", "substandard", "auto"),
        (D(2027, 9, 7), "substandard", "normal", "upgrade"),
    ]
    # The daily job is idempotent for a date: running 12-01 again changes nothing.
    before = ClassChange.objects.count()
    assert daily.run(D(2027, 12, 1)).get("changed", 0) == 0
    assert ClassChange.objects.count() == before
