"""Imported loans get their servicing state from the file (outstanding principal, and the
optional 逾期本金, 欠息, 逾期起始日) and one opening entry per batch against 300101 迁移过渡, so
that the GL equals the subledger. Hand figures below; business date 2026-11-27."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from tests.ledger.checks import assert_books_agree, gl_balances
from tests.loans.factories_import import HEADER, loan_row
from xindai.deposits.models import DepositAccount
from xindai.ledger.models import JournalEntry, Posting
from xindai.loans.importer import import_loans
from xindai.loans.models import LoanAccount, LoanState
from xindai.org.roles import Role
from xindai.products.demo import seed_demo_products

EXTRA = ("逾期本金", "欠息", "逾期起始日")


@pytest.fixture
def admin(tree, make_user):
    return make_user("sysadmin", tree["HQ"], Role.ADMIN, full_name="系统管理员")


@pytest.fixture
def ready(farmer, manager):
    seed_demo_products()
    return farmer


def csv_with_arrears(rows: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow((*HEADER, *EXTRA))
    for row in rows:
        writer.writerow([row.get(h, "") for h in (*HEADER, *EXTRA)])
    return buffer.getvalue().encode()


def portfolio(id_number: str) -> list[dict[str, Any]]:
    return [
        # 60,000 元 outstanding, nothing overdue
        loan_row(id_number),
        # 按期付息: 100,000 元 outstanding, 362.50 元 interest unpaid since 2026-10-18 (40 days)
        loan_row(
            id_number,
            原借据号="JJ2",
            贷款金额="100000",
            还款方式="按期付息到期还本",
            贷款余额="100000",
            状态="逾期",
            欠息="362.50",
            逾期起始日="2026-10-18",
        ),
        # 50,000 元 outstanding of which 8,000 overdue, 1,200 interest, since 2026-07-30 (120 days)
        loan_row(
            id_number,
            原借据号="JJ3",
            贷款余额="50000",
            状态="逾期",
            逾期本金="8000",
            欠息="1200",
            逾期起始日="2026-07-30",
        ),
        # written off: 30,000 元
        loan_row(id_number, 原借据号="JJ4", 贷款余额="30000", 状态="核销"),
        # settled
        loan_row(id_number, 原借据号="JJ5", 贷款余额="0", 状态="结清"),
    ]


def state(legacy: str) -> LoanState:
    return LoanState.objects.get(loan__legacy_number=legacy)


def test_the_state_comes_from_the_file(ready, admin) -> None:
    result = import_loans(admin, csv_with_arrears(portfolio(ready.id_number)))
    assert (result.errors, result.imported) == ([], 5)
    first = state("JJ2025000001")
    assert (first.principal_fen, first.overdue_principal_fen, first.overdue_interest_fen) == (
        6_000_000,
        0,
        0,
    )
    assert (first.days_past_due, first.class_floor, first.overdue_since) == (0, "normal", None)
    second = state("JJ2")
    assert (second.principal_fen, second.overdue_interest_fen, second.days_past_due) == (
        10_000_000,
        36_250,
        40,
    )
    assert second.class_floor == "special_mention"
    third = state("JJ3")
    assert (third.principal_fen, third.overdue_principal_fen, third.overdue_interest_fen) == (
        4_200_000,
        800_000,
        120_000,
    )
    assert (third.days_past_due, third.class_floor) == (120, "substandard")
    assert state("JJ4").principal_fen == 3_000_000
    assert state("JJ5").principal_fen == 0
    account = DepositAccount.objects.get(customer=ready)  # one repayment account, empty
    assert account.balance_fen == 0
    assert set(LoanState.objects.values_list("repayment_account", flat=True)) == {account.pk}


def test_one_opening_entry_per_batch_and_the_books_agree(ready, admin) -> None:
    content = csv_with_arrears(portfolio(ready.id_number))
    import_loans(admin, content)
    first_loan = LoanAccount.objects.order_by("pk").first()
    assert first_loan is not None
    on = JournalEntry.objects.get(key=f"loan-import:{first_loan.pk}:5")
    legs = {(p.account, p.debit_fen, p.credit_fen) for p in on.postings.all()}
    # 130101: 60,000 + 100,000 + 42,000; 130102: 8,000; 113201: 362.50 (JJ3 is non-performing)
    assert legs == {
        ("130101", 20_200_000, 0),
        ("130102", 800_000, 0),
        ("113201", 36_250, 0),
        ("300101", 0, 21_036_250),
    }
    off = JournalEntry.objects.get(key=f"loan-import:{first_loan.pk}:5:off")
    assert {(p.account, p.debit_fen, p.credit_fen) for p in off.postings.all()} == {
        ("701101", 120_000, 0),
        ("701102", 0, 120_000),
        ("701201", 3_000_000, 0),
        ("701202", 0, 3_000_000),
    }
    assert gl_balances()["300101"] == -21_036_250
    assert_books_agree()

    again = import_loans(admin, content)  # every row skipped: nothing more is booked
    assert (again.imported, len(again.skipped)) == (0, 5)
    assert JournalEntry.objects.count() == 2
    assert_books_agree()


def test_without_the_optional_columns_nothing_is_overdue(ready, admin) -> None:
    from tests.loans.factories_import import csv_bytes

    import_loans(admin, csv_bytes([loan_row(ready.id_number)]))
    assert {(p.account, p.debit_fen, p.credit_fen) for p in Posting.objects.all()} == {
        ("130101", 6_000_000, 0),
        ("300101", 0, 6_000_000),
    }
    assert_books_agree()


@pytest.mark.parametrize(
    ("overrides", "column", "message"),
    [
        (
            {"逾期本金": "60000.01", "逾期起始日": "2026-10-01"},
            "逾期本金",
            "逾期本金不能大于贷款余额",
        ),
        ({"欠息": "100"}, "逾期起始日", "有逾期本金或欠息时请填写逾期起始日"),
        ({"逾期起始日": "2026-10-01"}, "逾期起始日", "没有逾期本金和欠息时逾期起始日应留空"),
        (
            {"欠息": "100", "逾期起始日": "2026-11-28"},
            "逾期起始日",
            "逾期起始日不能晚于会计日期 2026-11-27",
        ),
        ({"欠息": "100", "逾期起始日": "2025-03-15"}, "逾期起始日", "逾期起始日应晚于放款日"),
        ({"欠息": "-1", "逾期起始日": "2026-10-01"}, "欠息", "金额不能为负数"),
        ({"逾期起始日": "昨天", "欠息": "5"}, "逾期起始日", "日期应写作 2025-03-15"),
    ],
)
def test_wrong_arrears_are_refused_and_nothing_is_imported_or_booked(
    ready, admin, overrides, column, message
) -> None:
    rows = [loan_row(ready.id_number, 原借据号="OK1"), loan_row(ready.id_number, **overrides)]
    result = import_loans(admin, csv_with_arrears(rows))
    assert (3, column, message) in [(e.row, e.column, e.message) for e in result.errors]
    assert result.imported == 0
    assert not LoanAccount.objects.exists()
    assert not JournalEntry.objects.exists()


def test_a_settled_loan_with_arrears_is_refused(ready, admin) -> None:
    row = loan_row(ready.id_number, 贷款余额="0", 状态="结清", 欠息="10", 逾期起始日="2026-10-01")
    result = import_loans(admin, csv_with_arrears([row]))
    assert (2, "状态", "状态为结清的贷款不能有逾期本金或欠息") in [
        (e.row, e.column, e.message) for e in result.errors
    ]
    assert not JournalEntry.objects.exists()


def test_partial_import_books_only_the_rows_imported(ready, admin) -> None:
    rows = [
        loan_row(ready.id_number, 原借据号="OK1"),
        loan_row(ready.id_number, 原借据号="BAD", 欠息="100"),
    ]
    result = import_loans(admin, csv_with_arrears(rows), partial=True)
    assert result.imported == 1
    assert gl_balances() == {"130101": 6_000_000, "300101": -6_000_000}
    assert_books_agree()
