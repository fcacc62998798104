"""核销 in the books: the loan leaves the balance sheet, the whole claim is kept off balance,
the books still balance and reconcile, and writing off twice posts once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from tests.credit.factories import set_today
from tests.loans.factories_eod import loan
from xindai.ledger import services as ledger
from xindai.ledger.models import JournalEntry
from xindai.loans import eod, reconcile
from xindai.loans.models import LoanAccount, LoanState
from xindai.loans.writeoff import post_write_off

D = dt.date


def balances() -> dict[str, int]:
    lines, balanced = ledger.trial_balance()
    assert balanced
    return {line.account.code: line.balance for line in lines}


def test_a_non_performing_loan_written_off_leaves_the_balance_sheet(farmer: Any) -> None:
    # 10,000.00 at 6 %, 12 months 等额本息, paid to a third party; nothing is ever repaid, so
    # the first installment (due 2026-12-05) is more than 90 days overdue by 2027-03-06.
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
    eod.run_until(D(2027, 3, 10))
    state = LoanState.objects.get(loan=account)
    assert state.days_past_due > 90 and state.class_floor == "substandard"
    owed = (
        state.principal_fen
        + state.principal_due_fen
        + state.overdue_principal_fen
        + state.interest_accrued_fen
        + state.interest_due_fen
        + state.overdue_interest_fen
        + state.penalty_due_fen
        + state.compound_due_fen
    )
    kept_off = balances()["701101"]  # its interest, kept off balance while non-performing
    assert kept_off > 0

    claim = post_write_off(account, D(2027, 3, 11))

    assert claim.total == owed
    after = balances()
    # The principal (10,000.00 元 disbursed, nothing repaid) is the loss; no loan is left.
    assert (after["130101"], after["130102"], after["670101"]) == (0, 0, 1_000_000)
    assert after["130401"] == 0  # provided for and used at once
    assert (after["701101"], after["701201"]) == (0, owed)
    assert reconcile.differences() == {}
    assert LoanAccount.objects.get(pk=account.pk).status == "written_off"

    entries = JournalEntry.objects.count()
    post_write_off(account, D(2027, 3, 11))  # again: nothing more
    assert JournalEntry.objects.count() == entries
    eod.run_date(D(2027, 3, 11))  # the end-of-day leaves a written-off loan alone
    assert reconcile.differences() == {}
    assert balances()["701201"] == owed
