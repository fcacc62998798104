"""存量贷款迁移: a valid file opens the accounts with the right schedule; every kind of row error
is reported with its row and column and nothing is imported; re-import skips; dry-run saves
nothing; GBK CSV reads."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from tests.loans.factories_import import csv_bytes, loan_row, xlsx_bytes
from xindai.audit.models import AuditEvent
from xindai.loans.importer import import_loans
from xindai.loans.models import LoanAccount
from xindai.org.roles import Role
from xindai.products.demo import seed_demo_products


@pytest.fixture
def admin(tree, make_user):
    return make_user("sysadmin", tree["HQ"], Role.ADMIN, full_name="系统管理员")


@pytest.fixture
def ready(farmer, manager):
    seed_demo_products()
    return farmer


def three_loans(id_number: str) -> list[dict]:
    return [
        loan_row(id_number),
        loan_row(
            id_number,
            原借据号="JJ2025000002",
            贷款金额="100000",
            年利率="0.0435",
            还款方式="按期付息到期还本",
            贷款余额="100000",
            状态="逾期",
        ),
        loan_row(id_number, 原借据号="JJ2024000009", 贷款余额="0", 状态="结清", 经办机构="O12"),
    ]


def errors_of(result) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.message) for e in result.errors]


def test_a_valid_file_opens_every_account_with_its_schedule(ready, admin) -> None:
    result = import_loans(admin, xlsx_bytes(three_loans(ready.id_number)), filename="old.xlsx")

    assert (result.imported, result.errors, result.skipped) == (3, [], [])
    first = LoanAccount.objects.get(legacy_number="JJ2025000001")
    assert (first.source, first.status, first.customer, first.manager.username) == (
        "imported",
        "normal",
        ready,
        "zhang",
    )
    assert (first.principal, first.outstanding_principal, first.annual_rate) == (
        Decimal(120_000),
        Decimal(60_000),
        Decimal("0.0435"),
    )
    assert (first.start_date, first.maturity_date) == (dt.date(2025, 3, 15), dt.date(2026, 3, 15))
    # 等额本息, monthly rate 0.0435 / 12 = 0.003625: interest 120,000 × 0.003625 = 435.00;
    # payment 120,000 × r / (1 − (1 + r)^−12) = 10,237.188… → 10,237.19; principal 9,802.19.
    row = first.schedule.get(period=1)
    assert (row.due_date, row.interest, row.payment, row.principal) == (
        dt.date(2025, 4, 15),
        Decimal("435.00"),
        Decimal("10237.19"),
        Decimal("9802.19"),
    )
    assert first.schedule.count() == 12
    # 按期付息到期还本 of a product settled quarterly: 4 quarters, 100,000 × 4.35% / 4 = 1,087.50
    second = LoanAccount.objects.get(legacy_number="JJ2025000002")
    assert (second.status, second.schedule.count()) == ("overdue", 4)
    assert second.schedule.get(period=1).interest == Decimal("1087.50")
    assert LoanAccount.objects.get(legacy_number="JJ2024000009").org_unit.code == "O12"
    event = AuditEvent.objects.get(action="loans.import")
    assert (event.changes["imported"], event.changes["rows"], event.changes["file"]) == (
        3,
        3,
        "old.xlsx",
    )
    assert len(event.changes["sha256"]) == 64


def test_every_kind_of_row_error_is_reported_and_nothing_imported(ready, admin) -> None:
    good = loan_row(ready.id_number)
    rows = [
        good,
        loan_row("110101199003078515", 原借据号="A2"),  # a valid ID number, not on file
        loan_row(ready.id_number, 原借据号="A3", 产品代码="NOPE", 客户经理="ghost", 经办机构="X9"),
        loan_row(ready.id_number, 原借据号="A4", 年利率="4.35"),
        loan_row(ready.id_number, 原借据号="A5", 年利率="45%", **{"期限（月）": "0"}),
        loan_row(ready.id_number, 原借据号="A6", 还款方式="气球贷", 状态="冻结"),
        loan_row(ready.id_number, 原借据号="A7", 到期日="2026-03-16"),
        loan_row(
            ready.id_number,
            原借据号="A8",
            贷款余额="130000",
            放款日="2027-01-01",
            到期日="2028-01-01",
        ),
        loan_row(ready.id_number, 原借据号="A9", 状态="结清"),
        loan_row(ready.id_number, 原借据号="", 贷款金额="12万", 放款日="昨天"),
        loan_row(ready.id_number),  # the same 原借据号 as row 2
    ]
    result = import_loans(admin, csv_bytes(rows))
    masked = "110101********8515"
    assert errors_of(result) == [
        (3, "客户证件号码", f"证件号码 {masked} 的客户未在系统中建档，请先建档"),
        (4, "产品代码", "没有代码为 NOPE 的贷款产品"),
        (4, "客户经理", "没有用户名为 ghost 的在职员工"),
        (4, "经办机构", "没有代码为 X9 的机构"),
        (5, "年利率", "4.35 有歧义：百分数请带 %（4.35%），小数请写作 0.0435"),
        (6, "年利率", "年利率 45% 超过 36%，请核对"),
        (6, "期限（月）", "期限应在 1 到 600 个月之间"),
        (7, "还款方式", "只能填写：等额本息、等额本金、按期付息到期还本、利随本清"),
        (7, "状态", "只能填写：正常、逾期、结清、核销"),
        (8, "到期日", "与按放款日、期限和还款方式推算的到期日 2026-03-15 不符"),
        (9, "放款日", "放款日不能晚于会计日期 2026-11-27"),
        (9, "贷款余额", "贷款余额不能大于贷款金额"),
        (10, "贷款余额", "状态为结清的贷款余额应为 0"),
        (11, "原借据号", "请填写原借据号"),
        (11, "贷款金额", "应为金额（元），如 100000 或 100000.00"),
        (11, "放款日", "日期应写作 2025-03-15"),
        (12, "原借据号", "与第 2 行的原借据号重复"),
    ]
    assert (result.imported, result.valid) == (0, 1)
    assert not LoanAccount.objects.exists()
    assert "110101199003078515" not in str(result.as_json())


def test_partial_imports_the_valid_rows_and_reports_the_rest(ready, admin) -> None:
    rows = [loan_row(ready.id_number), loan_row(ready.id_number, 原借据号="B2", 年利率="4.35")]
    result = import_loans(admin, csv_bytes(rows), partial=True)
    assert (result.imported, len(result.errors)) == (1, 1)
    assert list(LoanAccount.objects.values_list("legacy_number", flat=True)) == ["JJ2025000001"]


def test_a_reimport_skips_what_is_there(ready, admin) -> None:
    content = csv_bytes(three_loans(ready.id_number))
    import_loans(admin, content)
    again = import_loans(admin, content)
    assert (again.imported, again.skipped, again.errors) == (
        0,
        [(2, "JJ2025000001"), (3, "JJ2025000002"), (4, "JJ2024000009")],
        [],
    )
    assert LoanAccount.objects.count() == 3


def test_a_dry_run_changes_nothing(ready, admin) -> None:
    result = import_loans(admin, csv_bytes(three_loans(ready.id_number)), dry_run=True)
    assert (result.valid, result.imported, result.errors) == (3, 0, [])
    assert not LoanAccount.objects.exists()
    assert not AuditEvent.objects.filter(action="loans.import").exists()


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig", "utf-8"])
def test_csv_in_gbk_or_utf8_reads_the_same(ready, admin, encoding) -> None:
    result = import_loans(admin, csv_bytes(three_loans(ready.id_number), encoding=encoding))
    assert (result.imported, result.errors) == (3, [])
    assert LoanAccount.objects.get(legacy_number="JJ2024000009").status == "settled"


def test_excel_numbers_dates_and_percent_cells_read(ready, admin) -> None:
    row = loan_row(
        ready.id_number,
        贷款金额=120000,
        年利率=0.0435,  # a cell formatted as a percentage holds the fraction
        **{"期限（月）": 12},
        放款日=dt.datetime(2025, 3, 15),
        到期日=dt.date(2026, 3, 15),
        贷款余额=60000.5,
    )
    result = import_loans(admin, xlsx_bytes([row]))
    assert (result.imported, result.errors) == (1, [])
    assert LoanAccount.objects.get().outstanding_principal == Decimal("60000.50")


def test_a_missing_column_or_an_unreadable_file(ready, admin) -> None:
    content = "原借据号,客户证件号码\nJJ1,1\n".encode()
    result = import_loans(admin, content)
    assert (result.errors[0].row, result.errors[0].message) == (
        1,
        "缺少列「产品代码」，请使用导入模板",
    )
    broken = import_loans(admin, b"PK\x03\x04 not really a workbook")
    assert [e.message for e in broken.errors] == ["无法读取文件：请上传 .xlsx 或 .csv 文件"]


def test_only_the_admin_may_import(ready, manager) -> None:
    with pytest.raises(PermissionDenied):
        import_loans(manager, csv_bytes(three_loans(ready.id_number)))
    assert not LoanAccount.objects.exists()
