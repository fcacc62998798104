"""Day-by-day end-of-day scenarios with balances computed by hand (in the comments), to the fen.
After every scenario the ledger balances and reconciles with the loan subledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from tests.credit.factories import set_today
from tests.loans.factories_eod import cash_in, loan
from xindai.core import business_date
from xindai.deposits.models import DepositAccount, DepositMovement
from xindai.ledger import services as ledger
from xindai.ledger.domain import trial_balance
from xindai.ledger.models import JournalEntry, Posting
from xindai.loans import eod, reconcile
from xindai.loans.models import LoanAccount, LoanState, ScheduleRow

pytestmark = pytest.mark.django_db

D = dt.date


def balances() -> dict[str, int]:
    """Each account's balance on its normal side, in fen (accounts at zero left out)."""
    lines, balanced = trial_balance(ledger.totals())
    assert balanced
    return {line.account.code: line.balance for line in lines if line.balance}


def state(account: LoanAccount) -> LoanState:
    return LoanState.objects.get(loan=account)


def until(day: dt.date) -> None:
    eod.run_until(day)
    assert business_date.current() == day + dt.timedelta(days=1)


def assert_reconciles() -> None:
    assert reconcile.differences() == {}
    _lines, balanced = ledger.trial_balance()
    assert balanced


def test_quarterly_settlement_of_an_interest_only_loan(farmer: Any) -> None:
    """100,000.00 元 at 4.35%, actual/360, 按期付息到期还本, product settled quarterly,
    disbursed 2026-11-02 into the customer's deposit account (which then holds 100,000.00).

    Each day's 积数 is 10,000,000 fen; one day's interest 10,000,000 × 0.0435 / 360 =
    1,208.33 fen. The end-of-day of 12-20 (a settlement day: the 20th of the quarter's last
    month) accrues the 20th and then settles: 11-02..12-20 both included = 29 (Nov 2..30) + 20
    (Dec 1..20) = 49 days; 积数 490,000,000 fen·days; interest = 490,000,000 × 0.0435 / 360 =
    59,208.33 → 59,208 fen = 592.08 元. It is collected by the end-of-day of 12-21."""
    set_today(D(2026, 11, 2))
    account = loan(
        farmer,
        principal=Decimal(100_000),
        rate=Decimal("0.0435"),
        months=12,
        method="interest_only",
        start=D(2026, 11, 2),
        product_code="EOD-Q",
        cycle="quarterly",
    )
    deposit = state(account).repayment_account
    assert deposit is not None

    until(D(2026, 11, 30))
    # 29 days: 290,000,000 × 0.0435 / 360 = 35,041.67 → 35,042 fen accrued.
    s = state(account)
    assert (s.interest_base, s.interest_accrued_fen) == (290_000_000, 35_042)
    assert balances()["113201"] == 35_042
    assert_reconciles()

    until(D(2026, 12, 19))
    # 48 days: 480,000,000 × 0.0435 / 360 = 58,000.00 fen exactly.
    s = state(account)
    assert (s.interest_base, s.interest_accrued_fen, s.interest_due_fen) == (480_000_000, 58_000, 0)

    until(D(2026, 12, 20))
    s = state(account)
    assert (s.interest_base, s.interest_accrued_fen, s.interest_due_fen) == (0, 0, 59_208)
    assert balances()["113201"] == 59_208
    assert balances()["601101"] == 59_208
    deposit.refresh_from_db()
    assert deposit.balance_fen == 10_000_000  # not yet collected

    until(D(2026, 12, 21))
    # 12-21: collected 59,208 → 10,000,000 − 59,208 = 9,940,792 fen; then the 21st accrues
    # one day of the next period: round(1,208.33) = 1,208.
    s = state(account)
    assert (s.interest_due_fen, s.overdue_interest_fen, s.days_past_due) == (0, 0, 0)
    assert (s.interest_base, s.interest_accrued_fen) == (10_000_000, 1_208)
    assert s.principal_fen == 10_000_000
    deposit.refresh_from_db()
    assert deposit.balance_fen == 9_940_792
    movement = DepositMovement.objects.get(key=f"eod:2026-12-21:collect:{account.pk}")
    assert (movement.kind, movement.amount_fen, movement.balance_after_fen) == (
        "collection",
        -59_208,
        9_940_792,
    )
    assert balances() == {
        "130101": 10_000_000,
        "113201": 1_208,
        "201101": 9_940_792,
        "601101": 59_208 + 1_208,
    }
    collection = JournalEntry.objects.get(key=f"eod:2026-12-21:collect:{account.pk}")
    legs = {(p.account, p.debit_fen, p.credit_fen) for p in collection.postings.all()}
    assert legs == {("201101", 59_208, 0), ("113201", 0, 59_208)}
    account.refresh_from_db()
    assert account.status == "normal"
    assert account.outstanding_principal == Decimal("100000.00")
    assert_reconciles()


def test_unpaid_installment_with_penalty_and_compound_interest(farmer: Any) -> None:
    """10,000.00 元 at 6.00%, 12 months 等额本息 (monthly rate 0.5%), product settled monthly,
    disbursed 2026-11-05 to a third party (受托支付); the repayment account is empty.

    Installment A = 10,000 × 0.005 × 1.005^12 / (1.005^12 − 1) = 860.664 → 860.66 元.
    Row 1 (due 12-05, 30 days): interest 10,000 × 0.005 = 50.00, principal 810.66.
    Row 2 (due 2027-01-05, 31 days): interest 9,189.34 × 0.005 = 45.9467 → 45.95, principal
    814.71. Row 3 (due 02-05, 31 days): interest 8,374.63 × 0.005 = 41.87.
    Penalty rate = 6% × 1.5 = 9% (90,000 ppm); a 积数 of B fen·days gives B × 0.09 / 360 =
    B / 4,000 fen."""
    set_today(D(2026, 11, 5))
    account = loan(
        farmer,
        principal=Decimal(10_000),
        rate=Decimal("0.06"),
        months=12,
        method="equal_installment",
        start=D(2026, 11, 5),
        into_account=False,
    )
    rows = list(ScheduleRow.objects.filter(loan=account).order_by("period")[:3])
    assert [(r.due_date, r.principal_fen, r.interest_fen, r.days) for r in rows] == [
        (D(2026, 12, 5), 81_066, 5_000, 30),
        (D(2027, 1, 5), 81_471, 4_595, 31),
        (D(2027, 2, 5), 81_879, 4_187, 31),
    ]
    deposit = state(account).repayment_account
    assert deposit is not None

    until(D(2026, 11, 5))
    assert state(account).interest_accrued_fen == 167  # 5,000 / 30 = 166.67

    until(D(2026, 12, 4))
    # The eve of the due date: 30 days accrued = 5,000; row 1 becomes due.
    s = state(account)
    assert (s.principal_fen, s.principal_due_fen, s.interest_due_fen) == (918_934, 81_066, 5_000)
    assert (s.interest_accrued_fen, s.days_past_due) == (0, 0)
    assert balances()["601101"] == 5_000

    until(D(2026, 12, 5))
    # Due date: nothing in the account → overdue since 12-05; day 1 of row 2 accrues
    # 4,595 / 31 = 148.2 → 148; the penalty 积数 starts with the due date itself.
    s = state(account)
    assert (s.overdue_principal_fen, s.overdue_interest_fen) == (81_066, 5_000)
    assert (s.principal_due_fen, s.interest_due_fen) == (0, 0)
    assert s.overdue_since == D(2026, 12, 5)
    assert (s.penalty_base, s.compound_base, s.interest_accrued_fen) == (81_066, 5_000, 148)
    assert (s.days_past_due, s.class_floor) == (1, "normal")  # as of 12-06
    account.refresh_from_db()
    assert account.status == "overdue"
    assert balances()["130102"] == 81_066

    until(D(2026, 12, 11))
    assert (state(account).days_past_due, state(account).class_floor) == (7, "normal")
    until(D(2026, 12, 12))
    # 8 days past due (as of 12-13): beyond the 7-day technical exemption → 关注.
    assert (state(account).days_past_due, state(account).class_floor) == (8, "special_mention")

    until(D(2026, 12, 19))
    assert state(account).penalty_base == 81_066 * 15  # 12-05..12-19
    until(D(2026, 12, 20))
    # Settlement: 16 days (12-05..12-20): penalty 积数 81,066 × 16 = 1,297,056 → 1,297,056 /
    # 4,000 = 324.26 → 324 fen; compound 积数 5,000 × 16 = 80,000 → 20 fen.
    s = state(account)
    assert (s.penalty_due_fen, s.compound_due_fen) == (324, 20)
    assert (s.penalty_base, s.compound_base) == (0, 0)
    assert balances()["113202"] == 344
    assert balances()["601102"] == 344

    until(D(2026, 12, 27))
    # The customer pays 500.00 元 in on 12-28; the end-of-day collects in the order
    # penalty 324 → compound 20 → overdue interest 5,000 → (interest due 0) → overdue
    # principal 50,000 − 5,344 = 44,656; overdue principal left 81,066 − 44,656 = 36,410.
    cash_in(deposit, 50_000)
    until(D(2026, 12, 28))
    s = state(account)
    assert (s.penalty_due_fen, s.compound_due_fen, s.overdue_interest_fen) == (0, 0, 0)
    assert s.overdue_principal_fen == 36_410
    assert s.overdue_since == D(2026, 12, 5)  # the first installment is still not fully paid
    assert s.days_past_due == 24  # 12-29 − 12-05
    # Penalty 积数 since the settlement: 12-21..12-27 7 × 81,066 = 567,462, and 12-28 on
    # what is left after the collection: 36,410 → 603,872; compound 7 × 5,000 = 35,000.
    assert (s.penalty_base, s.compound_base) == (603_872, 35_000)
    deposit.refresh_from_db()
    assert deposit.balance_fen == 0
    collection = JournalEntry.objects.get(key=f"eod:2026-12-28:collect:{account.pk}")
    legs = {(p.account, p.debit_fen, p.credit_fen) for p in collection.postings.all()}
    assert legs == {
        ("201101", 50_000, 0),
        ("113202", 0, 344),
        ("113201", 0, 5_000),
        ("130102", 0, 44_656),
    }
    assert_reconciles()

    until(D(2027, 1, 1))
    # 1,500.00 元 paid in on 2027-01-02: the 36,410 left of the overdue principal is
    # collected; nothing is overdue any more.
    cash_in(deposit, 150_000)
    until(D(2027, 1, 2))
    s = state(account)
    assert (s.overdue_principal_fen, s.overdue_since, s.days_past_due) == (0, None, 0)
    assert s.class_floor == "normal"
    # 积数 12-29..01-01: 4 × 36,410 = 145,640 → 749,512; nothing overdue on 01-02.
    assert (s.penalty_base, s.compound_base) == (749_512, 35_000)
    account.refresh_from_db()
    assert account.status == "normal"

    until(D(2027, 1, 5))
    # Row 2 (81,471 + 4,595 = 86,066) due on 01-05 and collected on time:
    # 150,000 − 36,410 − 86,066 = 27,524 left.
    deposit.refresh_from_db()
    assert deposit.balance_fen == 27_524
    s = state(account)
    assert (s.principal_fen, s.overdue_principal_fen, s.days_past_due) == (837_463, 0, 0)

    until(D(2027, 1, 21))
    # 01-20 settles the rest of the 积数: penalty 749,512 / 4,000 = 187.38 → 187; compound
    # 35,000 / 4,000 = 8.75 → 9 (half-up); collected 196 on 01-21 → 27,328 left.
    # Row 3 accrued 01-05..01-21 = 17 days: 4,187 × 17 / 31 = 2,296.1 → 2,296.
    s = state(account)
    assert (s.penalty_due_fen, s.compound_due_fen, s.penalty_base, s.compound_base) == (0,) * 4
    assert s.interest_accrued_fen == 2_296
    deposit.refresh_from_db()
    assert deposit.balance_fen == 27_328
    # Ledger: principal 1,000,000 − 81,066 − 81,471 = 837,463; interest income 5,000 + 4,595
    # + 2,296 = 11,891; penalty income 324 + 20 + 187 + 9 = 540; clearing: cash in 200,000
    # less the third-party payment 1,000,000 = −800,000.
    assert balances() == {
        "130101": 837_463,
        "113201": 2_296,
        "201101": 27_328,
        "300101": -800_000,
        "601101": 11_891,
        "601102": 540,
    }
    assert_reconciles()


def test_a_done_date_runs_again_as_a_no_op(farmer: Any) -> None:
    set_today(D(2026, 11, 5))
    account = loan(
        farmer,
        principal=Decimal(10_000),
        rate=Decimal("0.06"),
        months=12,
        method="equal_installment",
        start=D(2026, 11, 5),
    )
    until(D(2026, 11, 6))
    before = (
        list(LoanState.objects.values()),
        list(DepositAccount.objects.values("pk", "balance_fen")),
        Posting.objects.count(),
        JournalEntry.objects.count(),
        business_date.current(),
    )
    summary = eod.run_date(D(2026, 11, 6))
    assert summary.status == "already_done"
    summary = eod.run_date(D(2026, 11, 5))
    assert summary.status == "already_done"
    after = (
        list(LoanState.objects.values()),
        list(DepositAccount.objects.values("pk", "balance_fen")),
        Posting.objects.count(),
        JournalEntry.objects.count(),
        business_date.current(),
    )
    assert after == before
    assert state(account).last_eod_date == D(2026, 11, 6)
    assert_reconciles()
