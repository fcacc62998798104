"""冲正: a second person's approval restores every bucket, the schedule, the deposit account and
the books; what may no longer be undone is refused and changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from tests.concurrency import POSTGRES_ONLY, at_once
from tests.repayments import factories as f
from tests.repayments.test_repay import buckets, due_on_the_3rd, overdue_on_may_20, state
from xindai.core.errors import DomainError, FormInvalid
from xindai.deposits.models import DepositAccount, DepositMovement
from xindai.ledger.models import JournalEntry
from xindai.loans.models import LoanAccount, LoanState, ScheduleRow
from xindai.repayments import services
from xindai.repayments.models import Repayment, Reversal

pytestmark = pytest.mark.django_db


def schedule(loan: LoanAccount) -> list[tuple[Any, ...]]:
    return list(
        ScheduleRow.objects.filter(loan=loan)
        .order_by("period")
        .values_list("period", "due_date", "principal_fen", "interest_fen", "payment", "days")
    )


def test_reversing_a_prepayment_restores_everything(teller: Any, teller2: Any) -> None:
    loan = f.loan(teller, deposit_fen=4_000_000)
    due_on_the_3rd(loan)
    before, rows_before = buckets(loan), schedule(loan)
    made, _ = services.repay(
        teller, loan, "38530.99", "deposit", "k-rev", prepayment="shorter_term"
    )
    assert schedule(loan) != rows_before
    reversal = services.request_reversal(teller, made, "柜员录错金额")
    assert reversal.status == "requested"
    services.approve_reversal(teller2, reversal)
    # every bucket as it was: 75,405.59 not due, 8,227.82 + 303.17 due
    assert buckets(loan) == before
    assert schedule(loan) == rows_before
    loan.refresh_from_db()
    assert (loan.maturity_date, loan.outstanding_principal, loan.status) == (
        dt.date(2027, 1, 15),
        Decimal("83633.41"),
        "normal",
    )
    made.refresh_from_db()
    assert made.status == "reversed"
    account = DepositAccount.objects.get(pk=state(loan).repayment_account_id)
    assert account.balance_fen == 4_000_000
    back = DepositMovement.objects.get(key="reverse:k-rev")
    assert (back.amount_fen, back.kind) == (3_853_099, "reversal")
    mirror = JournalEntry.objects.get(key="reverse:repay:k-rev")
    assert mirror.reverses is not None and mirror.reverses.key == "repay:k-rev"
    f.assert_books()
    # the same key again returns the reversed repayment, nothing moves
    again, created = services.repay(
        teller, loan, "38530.99", "deposit", "k-rev", prepayment="shorter_term"
    )
    assert (again.pk, created, again.status) == (made.pk, False, "reversed")
    assert buckets(loan) == before


def test_reversing_a_partial_payment_of_an_overdue_loan(teller: Any, head: Any) -> None:
    loan = f.loan(teller)
    overdue_on_may_20(loan)
    before = buckets(loan)
    state_before = LoanState.objects.get(loan=loan)
    made, _ = services.repay(teller, loan, "8546.29", "cash", "k-rev-od")
    loan.refresh_from_db()
    assert loan.status == "normal"
    services.approve_reversal(head, services.request_reversal(teller, made, "客户要求撤销"))
    s = LoanState.objects.get(loan=loan)
    assert buckets(loan) == before
    assert (s.overdue_since, s.days_past_due) == (state_before.overdue_since, 5)
    loan.refresh_from_db()
    assert loan.status == "overdue"
    f.assert_books()


def test_reversing_a_payoff_reopens_the_loan(teller: Any, head: Any) -> None:
    loan = f.loan(teller)
    due_on_the_3rd(loan)
    before, rows_before = buckets(loan), schedule(loan)
    payoff = services.quote(loan).payoff
    made, _ = services.repay(
        teller, loan, str(Decimal(payoff) / 100), "cash", "k-rev-off", prepayment="payoff"
    )
    services.approve_reversal(head, services.request_reversal(teller, made, "误办结清"))
    assert (buckets(loan), schedule(loan)) == (before, rows_before)
    loan.refresh_from_db()
    assert loan.status == "normal"
    f.assert_books()


def _posted(teller: Any) -> tuple[LoanAccount, Repayment]:
    loan = f.loan(teller)
    due_on_the_3rd(loan)
    made, _ = services.repay(teller, loan, "8530.99", "cash", "k-one")
    return loan, made


def test_the_requester_or_the_teller_cannot_approve(teller: Any, teller2: Any) -> None:
    loan, made = _posted(teller)
    reversal = services.request_reversal(teller2, made, "重复收款")
    after = buckets(loan)
    for who in (teller, teller2):  # the teller who took it, the one who asked
        with pytest.raises(DomainError) as refused:
            services.approve_reversal(who, reversal)
        assert refused.value.message == "冲正须由申请人和经办柜员以外的第二人审批"
    assert buckets(loan) == after
    made.refresh_from_db()
    assert made.status == "posted"


def test_a_reason_is_required(teller: Any) -> None:
    _loan, made = _posted(teller)
    with pytest.raises(FormInvalid) as refused:
        services.request_reversal(teller, made, "  ")
    assert refused.value.details == {"reason": ["请填写冲正原因"]}
    assert not Reversal.objects.exists()


def test_a_later_repayment_blocks_the_reversal(teller: Any, head: Any) -> None:
    loan, made = _posted(teller)
    services.repay(teller, loan, "100.00", "cash", "k-two", prepayment="lower_installment")
    with pytest.raises(DomainError) as refused:
        services.request_reversal(teller, made, "录错")
    assert "须先冲正后面的还款" in refused.value.message
    assert not Reversal.objects.exists()


def test_an_end_of_day_since_blocks_the_reversal(teller: Any, head: Any) -> None:
    loan, made = _posted(teller)
    reversal = services.request_reversal(teller, made, "录错")
    # the end-of-day of 04-15 accrued a day of row 4: 27,335 / 30 = 911.2 → 911
    LoanState.objects.filter(loan=loan).update(
        interest_accrued_fen=911, last_eod_date=dt.date(2026, 4, 15)
    )
    after = buckets(loan)
    with pytest.raises(DomainError) as refused:
        services.approve_reversal(head, reversal)
    assert "还款后贷款已有变动" in refused.value.message
    assert buckets(loan) == after
    reversal.refresh_from_db()
    assert reversal.status == "requested"


def test_only_a_same_day_repayment_is_reversed(teller: Any, head: Any) -> None:
    _loan, made = _posted(teller)
    reversal = services.request_reversal(teller, made, "录错")
    f.today(dt.date(2026, 4, 16))
    with pytest.raises(DomainError) as refused:
        services.approve_reversal(head, reversal)
    assert "只能冲正当日" in refused.value.message


def test_a_rejected_request_leaves_the_repayment(teller: Any, head: Any) -> None:
    loan, made = _posted(teller)
    after = buckets(loan)
    reversal = services.reject_reversal(
        head, services.request_reversal(teller, made, "录错"), "核实无误"
    )
    assert (reversal.status, reversal.note, reversal.approved_by) == ("rejected", "核实无误", head)
    assert buckets(loan) == after
    with pytest.raises(DomainError):
        services.approve_reversal(head, reversal)


def test_a_second_open_request_is_refused(teller: Any) -> None:
    _loan, made = _posted(teller)
    services.request_reversal(teller, made, "录错")
    with pytest.raises(DomainError) as refused:
        services.request_reversal(teller, made, "再申请")
    assert refused.value.message == "这笔还款已有待审批的冲正申请"


def test_reversing_a_cash_surplus_the_borrower_has_spent_is_refused(teller: Any, head: Any) -> None:
    from xindai.deposits import services as deposits

    loan = f.loan(teller)
    due_on_the_3rd(loan)
    made, _ = services.repay(teller, loan, "9000.00", "cash", "k-spent")
    account = DepositAccount.objects.get(pk=state(loan).repayment_account_id)
    deposits.move(account, "withdraw", dt.date(2026, 4, 15), "cash_out", -46_901)
    reversal = services.request_reversal(teller, made, "录错")
    after = buckets(loan)
    with pytest.raises(DomainError) as refused:
        services.approve_reversal(head, reversal)
    assert "不足支付 469.01 元" in refused.value.message
    assert buckets(loan) == after
    assert not JournalEntry.objects.filter(key__startswith="reverse:").exists()


# ---- twenty at once ---------------------------------------------------------------------------


@POSTGRES_ONLY
@pytest.mark.django_db(transaction=True)
def test_twenty_identical_requests_make_one_repayment(teller: Any, migration_data: None) -> None:
    loan = f.loan(teller, deposit_fen=1_000_000)
    due_on_the_3rd(loan)

    def pay(_n: int) -> Repayment:
        made, _created = services.repay(teller, loan, "8530.99", "deposit", "k-burst")
        return made

    done, refused = at_once(20, pay)
    assert refused == [] and len({made.pk for made in done}) == 1
    assert Repayment.objects.count() == 1
    assert DepositMovement.objects.filter(key="repay:k-burst").count() == 1
    account = DepositAccount.objects.get(pk=state(loan).repayment_account_id)
    assert account.balance_fen == 1_000_000 - 853_099
    f.assert_books()
