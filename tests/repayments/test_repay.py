"""Repayments on the loan of ``factories`` (100,000.00 元, 4.35%, 12 months, 等额本息, from
2026-01-15), with figures computed by hand in the comments; the books reconcile after each."""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy_financial as npf
import pytest

from tests.repayments import factories as f
from xindai.core.errors import DomainError, FormInvalid, InvalidInput
from xindai.deposits.models import DepositAccount, DepositMovement
from xindai.ledger.models import JournalEntry, Posting
from xindai.loans.models import LoanAccount, LoanState, ScheduleRow
from xindai.repayments import services
from xindai.repayments.models import Repayment, ScheduleVersion

DUE_3 = dt.date(2026, 4, 15)  # the 3rd due date
PENALTY_PPM = 65_250  # 4.35% × 1.5 = 6.525% a year

pytestmark = pytest.mark.django_db


def state(loan: LoanAccount) -> LoanState:
    return LoanState.objects.get(loan=loan)


def buckets(loan: LoanAccount) -> dict[str, int]:
    s = state(loan)
    names = (
        "principal_fen",
        "principal_due_fen",
        "overdue_principal_fen",
        "interest_accrued_fen",
        "interest_due_fen",
        "overdue_interest_fen",
        "penalty_due_fen",
        "compound_due_fen",
        "penalty_base",
        "compound_base",
        "interest_base",
    )
    return {name: getattr(s, name) for name in names}


def postings(repayment: Repayment) -> dict[tuple[str, str], int]:
    """(account, D/C) → fen of the repayment's main entry."""
    found: dict[tuple[str, str], int] = {}
    for p in Posting.objects.filter(entry__key=f"repay:{repayment.idempotency_key}"):
        side, amount = ("D", p.debit_fen) if p.debit_fen else ("C", p.credit_fen)
        found[(p.account, side)] = found.get((p.account, side), 0) + amount
    return found


def due_on_the_3rd(loan: LoanAccount) -> LoanState:
    """2026-04-15 in the morning: rows 1–2 paid, row 3 due (principal 8,227.82, interest
    303.17), 75,405.59 not yet due, nothing accrued of row 4."""
    return f.set_state(
        loan,
        DUE_3,
        principal_fen=7_540_559,
        principal_due_fen=822_782,
        interest_due_fen=30_317,
        interest_accrued_fen=0,
        last_eod_date=DUE_3 - dt.timedelta(days=1),
    )


def overdue_on_may_20(loan: LoanAccount) -> LoanState:
    """2026-05-20: row 4 (due 05-15: principal 8,257.64, interest 273.35) unpaid for 5 days
    (05-15 … 05-19 accrued by the end-of-days), row 5 accruing."""
    return f.set_state(
        loan,
        dt.date(2026, 5, 20),
        principal_fen=6_714_795,  # 67,147.95 not yet due
        overdue_principal_fen=825_764,
        overdue_interest_fen=27_335,
        # row 5 (05-15 → 06-15, 31 days, 243.41): 5 days → 24,341 × 5 / 31 = 3,925.97 → 3,926
        interest_accrued_fen=3_926,
        penalty_base=825_764 * 5,  # 4,128,820 fen·days
        compound_base=27_335 * 5,  # 136,675 fen·days
        penalty_due_fen=1_500,  # settled earlier (a figure for the allocation)
        compound_due_fen=30,
        overdue_since=dt.date(2026, 5, 15),
        days_past_due=5,
        class_floor="normal",
        last_eod_date=dt.date(2026, 5, 19),
    )


# ---- on time, partial, overpayment ------------------------------------------------------------


def test_paying_the_installment_due_today_from_the_deposit_account(teller: Any) -> None:
    loan = f.loan(teller, deposit_fen=1_000_000)  # 10,000.00 元 in the account
    due_on_the_3rd(loan)
    made, created = services.repay(teller, loan, "8530.99", "deposit", "k-on-time")
    assert created and made.kind == "on_time"
    # 8,530.99 = 303.17 interest + 8,227.82 principal
    assert made.allocation["parts"] == {"interest_due": 30_317, "principal_due": 822_782}
    s = state(loan)
    assert (s.principal_due_fen, s.interest_due_fen, s.principal_fen) == (0, 0, 7_540_559)
    account = DepositAccount.objects.get(pk=s.repayment_account_id)
    assert account.balance_fen == 1_000_000 - 853_099  # 1,469.01 元 left
    assert postings(made) == {
        ("201101", "D"): 853_099,
        ("113201", "C"): 30_317,
        ("130101", "C"): 822_782,
    }
    loan.refresh_from_db()
    assert loan.outstanding_principal == Decimal("75405.59")
    f.assert_books()


def test_a_partial_payment_fills_the_buckets_in_the_collection_order(teller: Any) -> None:
    loan = f.loan(teller)
    overdue_on_may_20(loan)
    made, _ = services.repay(teller, loan, "5000.00", "cash", "k-partial")
    # 500,000 fen: penalty 1,500 → 498,500 left; compound 30 → 498,470; overdue interest
    # 27,335 → 471,135; interest due 0; overdue principal 825,764 takes the 471,135 left,
    # 354,629 stays overdue; nothing reaches principal due.
    assert made.kind == "partial"
    assert made.allocation["parts"] == {
        "penalty_due": 1_500,
        "compound_due": 30,
        "overdue_interest": 27_335,
        "overdue_principal": 471_135,
    }
    after = buckets(loan)
    assert (after["overdue_principal_fen"], after["overdue_interest_fen"]) == (354_629, 0)
    assert (after["penalty_due_fen"], after["compound_due_fen"]) == (0, 0)
    assert after["principal_fen"] == 6_714_795 and after["interest_accrued_fen"] == 3_926
    assert state(loan).overdue_since == dt.date(2026, 5, 15)  # still overdue
    assert postings(made) == {
        ("300101", "D"): 500_000,
        ("113202", "C"): 1_530,
        ("113201", "C"): 27_335,
        ("130102", "C"): 471_135,
    }
    loan.refresh_from_db()
    assert loan.status == "overdue"
    f.assert_books()


def test_paying_every_overdue_bucket_makes_the_loan_normal_again(teller: Any) -> None:
    loan = f.loan(teller)
    overdue_on_may_20(loan)
    # 1,500 + 30 + 27,335 + 825,764 = 854,629 fen
    made, _ = services.repay(teller, loan, "8546.29", "cash", "k-arrears")
    assert made.kind == "on_time"
    s = state(loan)
    # nothing overdue any more; the days past due are the end-of-day's to recompute
    assert (s.overdue_since, s.overdue_principal_fen, s.days_past_due) == (None, 0, 5)
    loan.refresh_from_db()
    assert loan.status == "normal"
    f.assert_books()


def test_a_cash_overpayment_goes_to_the_repayment_account(teller: Any) -> None:
    loan = f.loan(teller)
    due_on_the_3rd(loan)
    made, _ = services.repay(teller, loan, "9000.00", "cash", "k-over")
    # 9,000.00 − 8,530.99 due = 469.01 credited to the deposit account
    assert made.kind == "overpayment"
    assert made.allocation["parts"]["surplus"] == 46_901
    account = DepositAccount.objects.get(pk=state(loan).repayment_account_id)
    assert account.balance_fen == 46_901
    assert postings(made) == {
        ("300101", "D"): 900_000,
        ("113201", "C"): 30_317,
        ("130101", "C"): 822_782,
        ("201101", "C"): 46_901,
    }
    f.assert_books()


def test_more_than_is_due_from_the_deposit_account_is_refused(teller: Any) -> None:
    loan = f.loan(teller, deposit_fen=2_000_000)
    due_on_the_3rd(loan)
    before = buckets(loan)
    with pytest.raises(DomainError) as refused:
        services.repay(teller, loan, "9000.00", "deposit", "k-over-deposit")
    assert refused.value.message == (
        "不能收款：从还款账户扣款不能超过应还金额 8530.99 元（多出 469.01 元）；"
        "如需提前还款，请选择提前还款方式"
    )
    assert buckets(loan) == before and not Repayment.objects.exists()
    assert DepositAccount.objects.get(pk=state(loan).repayment_account_id).balance_fen == 2_000_000
    f.assert_books()


def test_paying_when_nothing_is_due_needs_a_prepayment_option(teller: Any) -> None:
    loan = f.loan(teller)
    f.set_state(loan, dt.date(2026, 4, 20), principal_fen=7_540_559, last_eod_date=None)
    with pytest.raises(DomainError) as refused:
        services.repay(teller, loan, "100.00", "cash", "k-nothing")
    assert "今日没有应还款项" in refused.value.message
    assert (
        not Repayment.objects.exists()
        and not JournalEntry.objects.filter(key__startswith="repay:").exists()
    )


def test_an_insufficient_deposit_balance_refuses_and_changes_nothing(teller: Any) -> None:
    loan = f.loan(teller, deposit_fen=10_000)
    due_on_the_3rd(loan)
    before = buckets(loan)
    with pytest.raises(DomainError) as refused:
        services.repay(teller, loan, "8530.99", "deposit", "k-poor")
    assert refused.value.message.endswith("余额 100.00 元，不足支付 8530.99 元")
    assert buckets(loan) == before and not Repayment.objects.exists()
    assert not JournalEntry.objects.filter(key__startswith="repay:").exists()
    f.assert_books()


def test_the_counter_waits_while_the_end_of_day_runs(teller: Any) -> None:
    from xindai.core import business_date
    from xindai.deposits import services as deposits
    from xindai.loans.models import EodRun

    loan = f.loan(teller, deposit_fen=2_000_000)
    due_on_the_3rd(loan)
    before = buckets(loan)
    EodRun.objects.create(business_date=business_date.current(), status="running", owner="x")
    with pytest.raises(DomainError) as refused:
        services.repay(teller, loan, "8530.99", "deposit", "k-eod")
    assert refused.value.code == "eod_running"
    assert "日终批处理正在运行" in refused.value.message
    assert buckets(loan) == before and not Repayment.objects.exists()
    account = LoanState.objects.get(loan=loan).repayment_account
    with pytest.raises(DomainError) as cash_refused:
        deposits.cash(teller, account, "in", {"amount": "100"}, "k-cash")
    assert cash_refused.value.code == "eod_running"
    f.assert_books()


@pytest.mark.parametrize(
    ("amount", "source", "prepayment", "error"),
    [
        ("0", "cash", None, FormInvalid),
        ("12.345", "cash", None, FormInvalid),
        ("abc", "cash", None, FormInvalid),
        ("10.00", "bank", None, FormInvalid),
        ("10.00", "cash", "sooner", FormInvalid),
    ],
)
def test_bad_input_is_refused(
    teller: Any, amount: str, source: str, prepayment: str | None, error: type
) -> None:
    loan = f.loan(teller)
    due_on_the_3rd(loan)
    with pytest.raises(error):
        services.repay(teller, loan, amount, source, "k-bad", prepayment=prepayment)
    assert not Repayment.objects.exists()


def test_a_missing_key_is_refused(teller: Any) -> None:
    loan = f.loan(teller)
    due_on_the_3rd(loan)
    with pytest.raises(InvalidInput):
        services.repay(teller, loan, "8530.99", "cash", " ")


# ---- idempotency ------------------------------------------------------------------------------


def test_the_same_key_returns_the_same_repayment_and_debits_once(teller: Any) -> None:
    loan = f.loan(teller, deposit_fen=1_000_000)
    due_on_the_3rd(loan)
    first, created = services.repay(teller, loan, "8530.99", "deposit", "k-twice")
    again, created_again = services.repay(teller, loan, "8530.99", "deposit", "k-twice")
    assert (created, created_again, again.pk) == (True, False, first.pk)
    assert Repayment.objects.count() == 1
    assert DepositMovement.objects.filter(key="repay:k-twice").count() == 1
    assert DepositAccount.objects.get(pk=state(loan).repayment_account_id).balance_fen == 146_901
    f.assert_books()


def test_a_key_reused_for_another_payment_is_refused(teller: Any) -> None:
    loan = f.loan(teller)
    due_on_the_3rd(loan)
    services.repay(teller, loan, "100.00", "cash", "k-reuse")
    with pytest.raises(DomainError) as refused:
        services.repay(teller, loan, "200.00", "cash", "k-reuse")
    assert refused.value.code == "idempotency_key_reused"
    assert Repayment.objects.count() == 1


# ---- prepayment -------------------------------------------------------------------------------


def _npf_round(value: float) -> Decimal:
    return Decimal(repr(float(value))).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _prepay_30000(teller: Any, option: str) -> tuple[LoanAccount, Repayment]:
    loan = f.loan(teller, deposit_fen=4_000_000)  # 40,000.00 元
    due_on_the_3rd(loan)
    # 8,530.99 (the 3rd installment) + 30,000.00 prepaid principal
    made, _ = services.repay(teller, loan, "38530.99", "deposit", f"k-{option}", prepayment=option)
    return loan, made


def test_prepaying_30000_with_a_lower_installment(teller: Any) -> None:
    loan, made = _prepay_30000(teller, "lower_installment")
    # principal left: 75,405.59 − 30,000.00 = 45,405.59, still over the 9 periods 4…12
    assert made.kind == "prepay_lower"
    assert made.allocation["parts"] == {
        "interest_due": 30_317,
        "principal_due": 822_782,
        "principal": 3_000_000,
    }
    assert state(loan).principal_fen == 4_540_559
    rows = list(ScheduleRow.objects.filter(loan=loan).order_by("period"))
    new = [row for row in rows if row.period >= 4]
    installment = _npf_round(npf.pmt(0.0435 / 12, 9, -45405.59))  # 5,136.948… → 5,136.95
    assert installment == Decimal("5136.95")
    assert [row.period for row in new] == list(range(4, 13))
    assert all(row.payment == installment for row in new[:-1])
    assert new[0].due_date == dt.date(2026, 5, 15) and new[-1].due_date == dt.date(2027, 1, 15)
    # row 4: 45,405.59 × 0.0435 / 12 = 164.595… → 164.60 interest
    assert (new[0].interest, new[0].principal) == (Decimal("164.60"), Decimal("4972.35"))
    assert sum(row.principal for row in new) == Decimal("45405.59")
    assert [row.payment for row in rows[:3]] == [Decimal("8530.99")] * 3  # the past kept
    version = ScheduleVersion.objects.get(repayment=made)
    assert version.from_period == 4 and len(version.rows) == 9
    assert version.rows[0]["payment"] == "8530.99"
    loan.refresh_from_db()
    assert loan.maturity_date == dt.date(2027, 1, 15)
    assert loan.outstanding_principal == Decimal("45405.59")
    assert postings(made)[("130101", "C")] == 822_782 + 3_000_000
    f.assert_books()


def test_prepaying_30000_with_a_shorter_term(teller: Any) -> None:
    loan, made = _prepay_30000(teller, "shorter_term")
    assert made.kind == "prepay_shorter"
    # periods to repay 45,405.59 with 8,530.99 a month: nper = 5.384… → 6 periods, the
    # installment re-levelled over them: pmt(i, 6, 45,405.59) = 7,663.90
    periods = math.ceil(npf.nper(0.0435 / 12, -8530.99, 45405.59))
    assert periods == 6
    installment = _npf_round(npf.pmt(0.0435 / 12, periods, -45405.59))
    assert installment == Decimal("7663.90")
    new = list(ScheduleRow.objects.filter(loan=loan, period__gte=4).order_by("period"))
    assert [row.period for row in new] == [4, 5, 6, 7, 8, 9]
    assert all(row.payment == installment for row in new[:-1])
    assert sum(row.principal for row in new) == Decimal("45405.59")
    loan.refresh_from_db()
    assert loan.maturity_date == dt.date(2026, 10, 15) == new[-1].due_date
    f.assert_books()


def test_a_prepayment_mid_period_pays_the_interest_to_date_first(teller: Any) -> None:
    loan = f.loan(teller)
    # 2026-05-05, row 3 paid: 20 of row 4's 30 days (04-15 … 05-04) have run; the end-of-day
    # accrued through 05-03 only: 27,335 × 19 / 30 = 17,312.2 → 17,312
    f.set_state(
        loan,
        dt.date(2026, 5, 5),
        principal_fen=7_540_559,
        interest_accrued_fen=17_312,
        last_eod_date=dt.date(2026, 5, 3),
    )
    made, _ = services.repay(
        teller, loan, "10182.23", "cash", "k-mid", prepayment="lower_installment"
    )
    # interest to date 27,335 × 20 / 30 = 18,223.3 → 182.23; principal 10,000.00
    assert made.allocation["parts"] == {"interest_to_date": 18_223, "principal": 1_000_000}
    s = state(loan)
    assert (s.principal_fen, s.interest_accrued_fen) == (6_540_559, 0)
    # the books first accrue the 911 fen the end-of-day had not: Dr 113201 Cr 601101
    top_up = Posting.objects.filter(entry__key="repay:k-mid:to-date", account="601101").get()
    assert top_up.credit_fen == 18_223 - 17_312
    # rebuilt from 05-05: row 4 is now 05-05 → 05-15 (10 days) on 65,405.59:
    # 65,405.59 × 0.0435 × 10 / 360 = 79.03
    row4 = ScheduleRow.objects.get(loan=loan, period=4)
    assert (row4.due_date, row4.days, row4.interest) == (dt.date(2026, 5, 15), 10, Decimal("79.03"))
    # and the quote of a later day counts row 4's interest from 05-05: on 05-10, 5 of 10 days
    q = services.quote(loan, dt.date(2026, 5, 10))
    assert q.interest_to_date == (7_903 * 5 * 2 + 10) // 20  # 3,951.5 → 3,952
    f.assert_books()


def test_a_prepayment_that_does_not_cover_what_is_due_is_refused(teller: Any) -> None:
    loan = f.loan(teller)
    due_on_the_3rd(loan)
    before = buckets(loan)
    with pytest.raises(DomainError) as refused:
        services.repay(teller, loan, "8530.99", "cash", "k-short", prepayment="shorter_term")
    assert (
        refused.value.message == "不能收款：提前还款金额须超过今日应还款项与当期利息合计 8530.99 元"
    )
    assert buckets(loan) == before and ScheduleRow.objects.filter(loan=loan).count() == 12


def test_prepaying_all_the_principal_asks_for_a_payoff(teller: Any) -> None:
    loan = f.loan(teller)
    due_on_the_3rd(loan)
    with pytest.raises(DomainError) as refused:
        services.repay(teller, loan, "83936.58", "cash", "k-all", prepayment="lower_installment")
    assert "请选择全部结清" in refused.value.message


def test_an_interest_only_loan_is_prepaid_in_full_only(teller: Any) -> None:
    loan = f.loan(teller, method="interest_only")
    f.set_state(loan, dt.date(2026, 3, 1), principal_fen=10_000_000, last_eod_date=None)
    with pytest.raises(DomainError) as refused:
        services.repay(teller, loan, "20000", "cash", "k-io", prepayment="lower_installment")
    assert "不办理部分提前还款" in refused.value.message


# ---- payoff -----------------------------------------------------------------------------------


def test_payoff_with_interest_to_date(teller: Any) -> None:
    loan = f.loan(teller)
    f.set_state(
        loan,
        dt.date(2026, 5, 5),
        principal_fen=7_540_559,
        interest_accrued_fen=17_312,  # the end-of-day ran through 05-03 (19 days)
        last_eod_date=dt.date(2026, 5, 3),
    )
    q = services.quote(loan)
    # 75,405.59 principal + 27,335 × 20 / 30 = 182.23 interest = 75,587.82
    assert (q.interest_to_date, q.payoff) == (18_223, 7_558_782)
    with pytest.raises(DomainError) as refused:
        services.repay(teller, loan, "75587.81", "cash", "k-payoff-1", prepayment="payoff")
    assert "全部结清应还 75587.82 元" in refused.value.message
    made, _ = services.repay(teller, loan, "75587.82", "cash", "k-payoff", prepayment="payoff")
    assert made.kind == "payoff"
    assert all(value == 0 for value in buckets(loan).values())
    loan.refresh_from_db()
    assert (loan.status, loan.outstanding_principal) == ("settled", Decimal("0.00"))
    assert not ScheduleRow.objects.filter(loan=loan, due_date__gt=dt.date(2026, 5, 5)).exists()
    assert len(ScheduleVersion.objects.get(repayment=made).rows) == 9  # rows 4…12 kept
    assert postings(made) == {
        ("300101", "D"): 7_558_782,
        ("113201", "C"): 18_223,
        ("130101", "C"): 7_540_559,
    }
    with pytest.raises(DomainError) as closed:
        services.repay(teller, loan, "1.00", "cash", "k-after")
    assert "已结清，不能再还款" in closed.value.message
    f.assert_books()


def test_payoff_of_an_overdue_loan_with_penalty_and_compound_to_date(teller: Any) -> None:
    loan = f.loan(teller)
    overdue_on_may_20(loan)
    q = services.quote(loan)
    # penalty: 4,128,820 × 65,250 / (1,000,000 × 360) = 748.35 → 748 fen
    # compound: 136,675 × 65,250 / 360,000,000 = 24.77 → 25 fen
    # interest to date, row 5 from 05-15: 5 of 31 days → 24,341 × 5 / 31 = 3,925.97 → 3,926
    assert (q.penalty_to_date, q.compound_to_date, q.interest_to_date) == (748, 25, 3_926)
    # 1,500 + 30 + 748 + 25 (penalty, compound) + 27,335 + 3,926 (interest)
    # + 825,764 + 6,714,795 (principal) = 7,574,123 fen
    assert q.payoff == 7_574_123
    made, _ = services.repay(teller, loan, "75741.23", "cash", "k-payoff-od", prepayment="payoff")
    assert postings(made) == {
        ("300101", "D"): 7_574_123,
        ("113202", "C"): 1_500 + 30 + 748 + 25,
        ("113201", "C"): 27_335 + 3_926,
        ("130102", "C"): 825_764,
        ("130101", "C"): 6_714_795,
    }
    penalty = Posting.objects.get(entry__key="repay:k-payoff-od:to-date", account="601102")
    assert penalty.credit_fen == 748 + 25
    assert all(value == 0 for value in buckets(loan).values())
    f.assert_books()


def test_payoff_of_a_non_performing_loan_takes_interest_to_income(teller: Any) -> None:
    loan = f.loan(teller)
    f.set_state(
        loan,
        dt.date(2026, 9, 1),
        principal_fen=5_000_000,
        overdue_principal_fen=100_000,
        overdue_interest_fen=20_000,
        days_past_due=100,
        overdue_since=dt.date(2026, 5, 24),
        last_eod_date=dt.date(2026, 8, 31),
    )
    q = services.quote(loan)
    made, _ = services.repay(
        teller, loan, str(Decimal(q.payoff) / 100), "cash", "k-npl", prepayment="payoff"
    )
    interest = 20_000 + q.interest_to_date
    assert postings(made)[("601101", "C")] == interest
    off = Posting.objects.get(entry__key="repay:k-npl:off", account="701101")
    assert off.credit_fen == interest
    f.assert_books()


# ---- access -----------------------------------------------------------------------------------


def test_only_tellers_take_repayments_within_their_scope(
    teller: Any, manager: Any, colleague: Any, outsider: Any
) -> None:
    from django.core.exceptions import PermissionDenied

    from tests.permissions import grant

    loan = f.loan(manager)
    due_on_the_3rd(loan)
    for who in (manager, outsider):
        with pytest.raises(PermissionDenied):
            services.repay(who, loan, "8530.99", "cash", "k-who")
    other_branch = grant(colleague, services.TAKE, services.VIEW)
    with pytest.raises(PermissionDenied):
        services.repay(other_branch, loan, "8530.99", "cash", "k-who")
    assert not Repayment.objects.exists()
    made, _ = services.repay(teller, loan, "8530.99", "cash", "k-who")
    assert made.created_by == teller


@pytest.mark.parametrize(
    ("amount", "since"), [("8530.99", "2026-06-15"), ("8530.98", "2026-05-15")]
)
def test_paying_the_oldest_installment_moves_the_overdue_date(
    teller: Any, amount: str, since: str
) -> None:
    loan = f.loan(teller)
    # 2026-06-20: rows 4 (05-15) and 5 (06-15) unpaid, 8,530.99 each = 1,706,198 fen overdue
    f.set_state(
        loan,
        dt.date(2026, 6, 20),
        principal_fen=5_886_037,
        overdue_principal_fen=825_764 + 828_758,
        overdue_interest_fen=27_335 + 24_341,
        overdue_since=dt.date(2026, 5, 15),
        days_past_due=36,
        last_eod_date=dt.date(2026, 6, 19),
    )
    services.repay(teller, loan, amount, "cash", f"k-oldest-{amount}")
    # 8,530.99 paid leaves 853,099 fen: exactly row 5 → overdue since 06-15; one fen less
    # leaves 853,100 > row 5's 853,099 → still part of row 4 unpaid, since 05-15
    assert state(loan).overdue_since == dt.date.fromisoformat(since)
    f.assert_books()
