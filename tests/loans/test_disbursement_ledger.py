"""放款 books the money: the borrower's repayment deposit account (opened when he has none,
linked to the loan), self payment into it (Dr 130101 / Cr 201101), entrusted payment to the
counterparties (Dr 130101 / Cr 300101) — once, also under retries and fifty requests at once —
and afterwards the trial balance balances and the subledgers equal the GL."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.concurrency import POSTGRES_ONLY, at_once
from tests.credit.factories import TODAY
from tests.ledger.checks import assert_books_agree, gl_balances
from tests.loans.factories_disbursement import SELF, entrusted, ready
from xindai.core.errors import DomainError
from xindai.credit.models import CreditApplication
from xindai.deposits.models import DepositAccount, DepositMovement
from xindai.ledger.models import JournalEntry, Posting
from xindai.loans import services
from xindai.loans.models import LoanAccount, LoanState
from xindai.org.models import User

KEY = "ledger-retry-me"
HUNDRED_THOUSAND = 10_000_000  # 100,000.00 元 in fen


@pytest.fixture
def application(manager, farmer, co_investigator, approver) -> CreditApplication:
    return ready(manager, farmer, co_investigator, approver)


def test_self_payment_opens_the_deposit_account_and_credits_it(application, clerk) -> None:
    made, _ = services.disburse(clerk, application, SELF, KEY)
    account = DepositAccount.objects.get(customer=application.customer)
    assert account.number == f"6230{account.pk:012d}"
    assert (account.balance_fen, account.opened_on) == (HUNDRED_THOUSAND, TODAY)
    assert LoanState.objects.get(loan=made.loan).repayment_account_id == account.pk
    movement = DepositMovement.objects.get()
    assert (movement.kind, movement.amount_fen, movement.balance_after_fen) == (
        "disbursement",
        HUNDRED_THOUSAND,
        HUNDRED_THOUSAND,
    )
    assert movement.key == f"disbursement:{made.pk}"
    entry = JournalEntry.objects.get()
    assert (entry.key, entry.kind, entry.business_date) == (
        f"disbursement:{made.pk}",
        "disbursement",
        TODAY,
    )
    legs = {(p.account, p.debit_fen, p.credit_fen, p.loan_id) for p in Posting.objects.all()}
    assert legs == {
        ("130101", HUNDRED_THOUSAND, 0, made.loan_id),
        ("201101", 0, HUNDRED_THOUSAND, made.loan_id),
    }
    assert gl_balances() == {"130101": HUNDRED_THOUSAND, "201101": HUNDRED_THOUSAND}
    assert_books_agree()


def test_a_retry_books_nothing_twice(application, clerk) -> None:
    first, _ = services.disburse(clerk, application, SELF, KEY)
    again, created = services.disburse(clerk, application, SELF, KEY)
    assert (again.pk, created) == (first.pk, False)
    assert (JournalEntry.objects.count(), DepositMovement.objects.count()) == (1, 1)
    assert DepositAccount.objects.get().balance_fen == HUNDRED_THOUSAND
    assert_books_agree()


def test_entrusted_payment_goes_to_the_counterparties_not_the_deposit(application, clerk) -> None:
    data = entrusted(
        ("多福农资公司", "6217001234567890", "60000"),
        ("多福农机合作社", "6217009876543210", "40000"),
    )
    made, _ = services.disburse(clerk, application, data, KEY)
    account = DepositAccount.objects.get(customer=application.customer)
    assert account.balance_fen == 0  # opened for the repayments, nothing paid into it
    assert LoanState.objects.get(loan=made.loan).repayment_account_id == account.pk
    assert not DepositMovement.objects.exists()
    assert gl_balances() == {"130101": HUNDRED_THOUSAND, "300101": -HUNDRED_THOUSAND}
    assert_books_agree()


def test_a_second_loan_of_the_customer_uses_his_account(
    manager, farmer, co_investigator, approver, clerk
) -> None:
    existing = DepositAccount.objects.create(
        number="6230999900000001", customer=farmer, opened_on=TODAY - dt.timedelta(days=400)
    )
    application = ready(manager, farmer, co_investigator, approver)
    made, _ = services.disburse(clerk, application, SELF, KEY)
    assert DepositAccount.objects.count() == 1
    existing.refresh_from_db()
    assert existing.balance_fen == HUNDRED_THOUSAND
    assert LoanState.objects.get(loan=made.loan).repayment_account_id == existing.pk
    assert_books_agree()


def test_a_refused_disbursement_books_nothing(application, clerk) -> None:
    too_much = SELF | {"amount": "100000.01"}
    with pytest.raises(DomainError) as refused:
        services.disburse(clerk, application, too_much, KEY)
    assert "放款金额不能超过批准金额 100,000.00 元" in refused.value.message
    assert not DepositAccount.objects.exists()
    assert not JournalEntry.objects.exists()
    assert not DepositMovement.objects.exists()


@POSTGRES_ONLY
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migration_data")
def test_fifty_requests_at_once_book_once(
    manager, farmer, co_investigator, approver, clerk
) -> None:
    application = ready(manager, farmer, co_investigator, approver)

    def click(n: int) -> int:
        key = KEY if n % 2 == 0 else f"key-{n}"
        user = User.objects.get(pk=clerk.pk)
        mine = CreditApplication.objects.get(pk=application.pk)
        return services.disburse(user, mine, SELF, key)[0].loan_id

    made, refused = at_once(50, click, (DomainError,))
    assert len(made) + len(refused) == 50
    assert LoanAccount.objects.count() == 1
    assert (JournalEntry.objects.count(), Posting.objects.count()) == (1, 2)
    assert DepositMovement.objects.count() == 1
    assert DepositAccount.objects.get().balance_fen == HUNDRED_THOUSAND
    assert_books_agree()
