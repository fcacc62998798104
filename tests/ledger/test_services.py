"""Posting to the database: once per key, never unbalanced, and reversible."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from xindai.ledger import services
from xindai.ledger.domain import credit, debit
from xindai.ledger.models import JournalEntry, Posting

DAY = dt.date(2026, 11, 30)
LOANS, DEPOSITS = "130101", "201101"


def disbursement(key: str = "loan:1:disbursement", fen: int = 10_000_000) -> JournalEntry:
    return services.post(key, DAY, "disbursement", [debit(LOANS, fen), credit(DEPOSITS, fen)])


def test_posting_the_same_key_twice_posts_once(db: Any) -> None:
    first = disbursement()
    again = disbursement()
    assert again.pk == first.pk
    assert Posting.objects.count() == 2
    assert services.totals() == {LOANS: (10_000_000, 0), DEPOSITS: (0, 10_000_000)}


def test_an_unbalanced_entry_is_refused_and_nothing_is_written(db: Any) -> None:
    with pytest.raises(services.UnbalancedEntry) as refused:
        services.post("bad", DAY, "other", [debit(LOANS, 100), credit(DEPOSITS, 99)])
    assert "借贷不平" in refused.value.message
    assert not JournalEntry.objects.exists()
    assert not Posting.objects.exists()


def test_a_reversal_mirrors_the_entry_and_the_books_return_to_zero(db: Any) -> None:
    entry = disbursement()
    mirror = services.reverse(entry, "loan:1:disbursement:reversal", DAY, "录入错误")
    assert mirror.reverses_id == entry.pk
    assert services.totals() == {
        LOANS: (10_000_000, 10_000_000),
        DEPOSITS: (10_000_000, 10_000_000),
    }
    lines, balanced = services.trial_balance()
    assert balanced
    assert all(line.balance == 0 for line in lines)


def test_the_trial_balance_counts_only_up_to_the_date(db: Any) -> None:
    disbursement()
    services.post(
        "later", DAY + dt.timedelta(days=1), "repayment", [debit(DEPOSITS, 500), credit(LOANS, 500)]
    )
    assert services.totals(until=DAY) == {LOANS: (10_000_000, 0), DEPOSITS: (0, 10_000_000)}
    lines, balanced = services.trial_balance()
    assert balanced
    assert {line.account.code: line.balance for line in lines}[LOANS] == 9_999_500
