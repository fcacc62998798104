"""The ledger's pure rules: an entry balances, and so does every trial balance made of entries."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from xindai.ledger import domain
from xindai.ledger.domain import credit, debit

LOANS, DEPOSITS, ACCRUED, INCOME = "130101", "201101", "113201", "601101"
OFF, OFF_CONTRA = "701101", "701102"


def test_a_disbursement_debits_loans_and_credits_the_deposit_account() -> None:
    assert domain.problems([debit(LOANS, 10_000_000), credit(DEPOSITS, 10_000_000)]) == []


def test_an_entry_that_does_not_balance_says_both_sides() -> None:
    found = domain.problems([debit(LOANS, 10_000_000), credit(DEPOSITS, 9_999_999)])
    assert [p.text() for p in found] == ["借贷不平：借方 100000.00 元，贷方 99999.99 元"]


def test_a_leg_is_a_debit_or_a_credit_of_a_positive_amount() -> None:
    both = domain.Leg(LOANS, debit=5, credit=5)
    found = domain.problems([both, credit(DEPOSITS, 0), debit("999999", 5)])
    assert {p.field for p in found} == {"amount", "account", "balance"}


def test_one_leg_is_no_entry() -> None:
    assert [p.field for p in domain.problems([debit(LOANS, 0)])] == ["legs", "amount"]


def test_off_balance_accounts_never_share_an_entry_with_the_balance_sheet() -> None:
    legs = [debit(OFF, 100), credit(INCOME, 100)]
    assert [p.field for p in domain.problems(legs)] == ["off_balance"]


def test_fen_text_is_exact() -> None:
    assert [domain.fen_text(v) for v in (0, 5, 123456, -5, -100)] == [
        "0.00",
        "0.05",
        "1234.56",
        "-0.05",
        "-1.00",
    ]


def test_balances_are_read_on_the_normal_side() -> None:
    # Disbursed 1,000.00, accrued 0.12 of interest, 200.00 repaid from the deposit account.
    totals = {
        LOANS: (100_000, 20_000),
        DEPOSITS: (20_000, 100_000),
        ACCRUED: (12, 0),
        INCOME: (0, 12),
    }
    lines, balanced = domain.trial_balance(totals)
    by_code = {line.account.code: line.balance for line in lines}
    assert balanced
    assert (by_code[LOANS], by_code[DEPOSITS], by_code[ACCRUED], by_code[INCOME]) == (
        80_000,
        80_000,
        12,
        12,
    )


ON_SHEET = [a.code for a in domain.CHART if a.kind != domain.Kind.OFF_BALANCE]
entries = st.lists(
    st.tuples(st.sampled_from(ON_SHEET), st.sampled_from(ON_SHEET), st.integers(1, 10**12)),
    max_size=40,
)


@given(entries)
def test_any_set_of_balanced_entries_makes_a_balanced_trial_balance(
    moves: list[tuple[str, str, int]],
) -> None:
    totals: dict[str, tuple[int, int]] = {}
    for debited, credited, fen in moves:
        legs = [debit(debited, fen), credit(credited, fen)]
        assert domain.problems(legs) == []
        for leg in legs:
            d, c = totals.get(leg.account, (0, 0))
            totals[leg.account] = (d + leg.debit, c + leg.credit)
    _lines, balanced = domain.trial_balance(totals)
    assert balanced
