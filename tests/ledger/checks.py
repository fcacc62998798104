"""What every servicing test ends with: the trial balance balances and the subledgers equal
the general ledger, account by account."""

from __future__ import annotations

from xindai.ledger import reconciliation, services


def assert_books_agree() -> None:
    lines, balanced = services.trial_balance()
    assert balanced, [(line.account.code, line.debits, line.credits) for line in lines]
    result = reconciliation.reconcile()
    assert result.ok, [(d.account.code, d.ledger, d.subledger) for d in result.differences]


def gl_balances() -> dict[str, int]:
    """Each account's balance on its normal side (only the accounts with postings)."""
    totals = services.totals()
    lines, _ = services.trial_balance()
    return {line.account.code: line.balance for line in lines if line.account.code in totals}
