"""Import of an old system's loan portfolio (存量贷款迁移) from Excel (.xlsx) or CSV (UTF-8 with
or without BOM, or GBK/GB18030 as Chinese bank systems export it).

Every row is checked — each cell (:mod:`xindai.loans.import_columns`), across the row, against
the database (customer by ID number, product, manager, org unit) and against the schedule
engine: the 到期日 of the file must equal the maturity the engine computes from 放款日, 期限
and 还款方式 (a mismatch is a row error: the loan would otherwise be serviced on a schedule
the old system did not have). Every problem of every row is reported (row, column, message).

All or nothing by default: one error and nothing is imported. With ``partial`` the valid rows
are imported and the others reported. Rows whose 原借据号 is already in the system are
skipped (re-importing a file creates no duplicate). ``dry_run`` checks and saves nothing.
Personal data is masked in every message.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from xindai.audit import services as audit
from xindai.core.masking import mask_id_number
from xindai.core.money import fen
from xindai.customers.models import Customer
from xindai.customers.services import as_of_today, require
from xindai.loans import servicing
from xindai.loans.accounts import loan_terms, open_account
from xindai.loans.import_columns import (
    COLUMNS,
    PARSERS,
    CellError,
    Column,
    header_key,
    parse_amount,
    parse_date,
    row_rules,
)
from xindai.loans.models import LoanAccount, LoanSource, LoanState
from xindai.loans.schedule import InvalidTerms, build
from xindai.org.models import OrgUnit, User
from xindai.products.models import LoanProduct

PERMISSION = "loans.import_loans"
SHEET = "存量贷款"
# Optional columns: what is overdue at migration (an old system's 逾期本金, 欠息 and the date
# the oldest unpaid installment fell due). Left out or blank: nothing overdue.
OPTIONAL_COLUMNS = (
    Column("逾期本金", "overdue_principal", "元；已到期未还的本金，含在贷款余额内；无则留空", "0"),
    Column("欠息", "overdue_interest", "元；已结未收的利息（表内或表外）；无则留空", "0"),
    Column("逾期起始日", "overdue_since", "最早一期未还款项的到期日；有逾期本金或欠息时必填", ""),
)
OPTIONAL_PARSERS = {
    "overdue_principal": parse_amount,
    "overdue_interest": parse_amount,
    "overdue_since": parse_date,
}
HEADER_BY_KEY = {column.key: column.header for column in (*COLUMNS, *OPTIONAL_COLUMNS)}


@dataclass(frozen=True)
class RowError:
    row: int  # as Excel and a text editor number it: the header is row 1 (0: the file)
    column: str
    message: str

    def as_json(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class Row:
    number: int
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)

    def error(self, key: str, message: str) -> None:
        self.errors.append(RowError(self.number, HEADER_BY_KEY.get(key, key), message))


@dataclass
class ImportResult:
    sha256: str
    rows: int = 0
    valid: int = 0
    imported: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (row, legacy number)
    errors: list[RowError] = field(default_factory=list)
    accounts: list[str] = field(default_factory=list)
    dry_run: bool = False
    partial: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "imported": self.imported,
            "skipped": len(self.skipped),
            "errors": [error.as_json() for error in self.errors],
            "rows": self.rows,
            "valid": self.valid,
            "skipped_rows": [{"row": r, "legacy_number": n} for r, n in self.skipped],
            "accounts": self.accounts,
            "dry_run": self.dry_run,
            "partial": self.partial,
            "sha256": self.sha256,
        }


# ---- reading the file ------------------------------------------------------------------------


def decode_csv(content: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030 (a superset of GBK and GB2312)."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("gb18030")


def read_table(content: bytes) -> list[tuple[Any, ...]]:
    """The rows of the file (the first is the header): an .xlsx workbook's 存量贷款 sheet (or
    its first sheet), else CSV. Raises CellError when it is neither."""
    if content.startswith(b"PK"):
        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
            raise CellError("无法读取文件：请上传 .xlsx 或 .csv 文件") from exc
        try:
            sheet = workbook[SHEET] if SHEET in workbook.sheetnames else workbook.worksheets[0]
            return [tuple(row) for row in sheet.iter_rows(values_only=True)]
        finally:
            workbook.close()
    try:
        text = decode_csv(content)
    except UnicodeDecodeError as exc:
        raise CellError("无法识别文件编码：CSV 请以 UTF-8 或 GBK 保存") from exc
    if "\x00" in text:
        raise CellError("无法读取文件：请上传 .xlsx 或 .csv 文件")
    return [tuple(line) for line in csv.reader(io.StringIO(text))]


def _blank(cells: Iterable[Any]) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def parse_rows(table: list[tuple[Any, ...]], as_of: dt.date) -> tuple[list[Row], list[RowError]]:
    """Each data row with its values and the problems of its own cells."""
    if not table or _blank(table[0]):
        return [], [RowError(0, "", "文件是空的：请使用导入模板")]
    positions = {header_key(text): at for at, text in enumerate(table[0]) if text}
    missing = [c.header for c in COLUMNS if c.header not in positions]
    if missing:
        return [], [
            RowError(1, header, f"缺少列「{header}」，请使用导入模板") for header in missing
        ]
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if _blank(cells):
            continue
        row = Row(number)
        for column in COLUMNS:
            at = positions[column.header]
            _parse_cell(row, column.key, cells[at] if at < len(cells) else None)
        for column in OPTIONAL_COLUMNS:
            place = positions.get(column.header)
            value = cells[place] if place is not None and place < len(cells) else None
            if not (value is None or (isinstance(value, str) and not value.strip())):
                _parse_optional(row, column.key, value)
        for key, message in row_rules(row.values, as_of) + overdue_rules(row.values, as_of):
            row.error(key, message)
        rows.append(row)
    if not rows:
        return [], [RowError(0, "", "文件中没有贷款数据")]
    return rows, []


def _parse_cell(row: Row, key: str, value: Any) -> None:
    try:
        if value is None or (isinstance(value, str) and not value.strip()):
            raise CellError(f"请填写{HEADER_BY_KEY[key]}")
        row.values[key] = PARSERS[key](value)
    except CellError as problem:
        row.error(key, str(problem))


def _parse_optional(row: Row, key: str, value: Any) -> None:
    try:
        row.values[key] = OPTIONAL_PARSERS[key](value)
    except CellError as problem:
        row.error(key, str(problem))


def overdue_rules(values: dict[str, Any], as_of: dt.date) -> list[tuple[str, str]]:
    """The optional overdue columns against the row: (column key, message)."""
    found = []
    principal = values.get("overdue_principal") or 0
    interest = values.get("overdue_interest") or 0
    since = values.get("overdue_since")
    outstanding = values.get("outstanding")
    if outstanding is not None and principal > outstanding:
        found.append(("overdue_principal", "逾期本金不能大于贷款余额"))
    if (principal or interest) and since is None:
        found.append(("overdue_since", "有逾期本金或欠息时请填写逾期起始日"))
    if since is not None and not (principal or interest):
        found.append(("overdue_since", "没有逾期本金和欠息时逾期起始日应留空"))
    if since is not None and since > as_of:
        found.append(("overdue_since", f"逾期起始日不能晚于会计日期 {as_of.isoformat()}"))
    start = values.get("start_date")
    if since is not None and start is not None and since <= start:
        found.append(("overdue_since", "逾期起始日应晚于放款日"))
    if values.get("status") == "settled" and (principal or interest):
        found.append(("status", "状态为结清的贷款不能有逾期本金或欠息"))
    return found


# ---- checks against the database and the schedule engine --------------------------------------


@dataclass
class Lookups:
    customers: dict[str, Customer]
    products: dict[str, LoanProduct]
    managers: dict[str, User]
    units: dict[str, OrgUnit]
    existing: set[str]


def _lookups(rows: list[Row]) -> Lookups:
    def wanted(key: str) -> set[str]:
        return {row.values[key] for row in rows if key in row.values}

    return Lookups(
        customers={
            c.id_number: c for c in Customer.objects.filter(id_number__in=wanted("id_number"))
        },
        products={p.code: p for p in LoanProduct.objects.filter(code__in=wanted("product"))},
        managers={
            u.username: u
            for u in User.objects.filter(username__in=wanted("manager"), is_active=True)
        },
        units={u.code: u for u in OrgUnit.objects.filter(code__in=wanted("org_unit"))},
        existing={
            str(number)
            for number in LoanAccount.objects.filter(
                legacy_number__in=wanted("legacy_number")
            ).values_list("legacy_number", flat=True)
        },
    )


def _check_against(row: Row, found: Lookups) -> None:
    values = row.values
    if "id_number" in values and values["id_number"] not in found.customers:
        masked = mask_id_number(values["id_number"])
        row.error("id_number", f"证件号码 {masked} 的客户未在系统中建档，请先建档")
    if "product" in values and values["product"] not in found.products:
        row.error("product", f"没有代码为 {values['product']} 的贷款产品")
    if "manager" in values and values["manager"] not in found.managers:
        row.error("manager", f"没有用户名为 {values['manager']} 的在职员工")
    if "org_unit" in values and values["org_unit"] not in found.units:
        row.error("org_unit", f"没有代码为 {values['org_unit']} 的机构")


def _check_schedule(row: Row, found: Lookups) -> Any:
    """The engine's terms of the row when the whole row is right; the maturity is compared
    whenever the terms could be read, so the report lists it with the row's other errors."""
    values = row.values
    needed = ("principal", "annual_rate", "term_months", "method", "start_date", "maturity_date")
    if any(key not in values for key in needed) or values.get("product") not in found.products:
        return None
    product = found.products[values["product"]]
    terms = loan_terms(
        product,
        values["principal"],
        values["annual_rate"],
        values["term_months"],
        values["method"],
        values["start_date"],
    )
    try:
        maturity = build(terms).rows[-1].due_date
    except InvalidTerms as exc:
        row.error("method", "；".join(exc.messages()))
        return None
    if maturity != values["maturity_date"]:
        computed = maturity.isoformat()
        row.error("maturity_date", f"与按放款日、期限和还款方式推算的到期日 {computed} 不符")
    return None if row.errors else terms


def _duplicates(rows: list[Row]) -> None:
    first: dict[str, int] = {}
    for row in rows:
        number = row.values.get("legacy_number")
        if number is None:
            continue
        if number in first:
            row.error("legacy_number", f"与第 {first[number]} 行的原借据号重复")
        else:
            first[number] = row.number


# ---- the use case ----------------------------------------------------------------------------


Progress = Callable[[int], None]


def import_loans(
    actor: Any,
    content: bytes,
    *,
    filename: str = "",
    dry_run: bool = False,
    partial: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Check every row; import all (or, with ``partial``, the valid ones) in one transaction."""
    require(actor, PERMISSION)
    result = ImportResult(hashlib.sha256(content).hexdigest(), dry_run=dry_run, partial=partial)
    as_of = as_of_today()
    try:
        rows, file_errors = parse_rows(read_table(content), as_of)
    except CellError as problem:
        rows, file_errors = [], [RowError(0, "", str(problem))]
    result.rows, result.errors = len(rows), list(file_errors)
    found = _lookups(rows)
    _duplicates(rows)
    ready = []
    for row in rows:
        if row.values.get("legacy_number") in found.existing:
            result.skipped.append((row.number, row.values["legacy_number"]))
            continue
        _check_against(row, found)
        terms = _check_schedule(row, found)
        result.errors += row.errors
        if terms is not None:
            ready.append((row, terms))
    result.valid = len(ready)
    if dry_run or (result.errors and not partial):
        return _finished(actor, result, filename)
    try:
        with transaction.atomic():
            opened = []
            for row, terms in ready:
                opened.append(_open(actor, row, terms, found, as_of))
                result.accounts.append(opened[-1].number)
                if progress is not None:
                    progress(1)
            result.imported = len(result.accounts)
            _book(opened, as_of)
            return _finished(actor, result, filename)
    except IntegrityError:  # a row's 原借据号 was imported by someone else since the check
        result.accounts, result.imported = [], 0
        result.errors.append(
            RowError(0, "", "导入时有借据刚被他人导入，未保存任何数据：请重新导入")
        )
        return _finished(actor, result, filename)


def _open(actor: Any, row: Row, terms: Any, found: Lookups, as_of: dt.date) -> LoanAccount:
    from xindai.deposits import services as deposits

    values = row.values
    account, _ = open_account(
        terms,
        source=LoanSource.IMPORTED,
        legacy_number=values["legacy_number"],
        customer=found.customers[values["id_number"]],
        product=found.products[values["product"]],
        org_unit=found.units[values["org_unit"]],
        manager=found.managers[values["manager"]],
        created_by=actor,
        term_months=values["term_months"],
        outstanding_principal=values["outstanding"],
        status=values["status"],
    )
    outstanding = fen(values["outstanding"])
    overdue = fen(values.get("overdue_principal") or Decimal(0))
    since = values.get("overdue_since")
    days = (as_of - since).days if since is not None else 0  # days past due as of today
    repayment, _opened = deposits.repayment_account_for(account.customer, as_of)
    LoanState.objects.filter(loan=account).update(
        repayment_account=repayment,
        principal_fen=outstanding - overdue,
        overdue_principal_fen=overdue,
        overdue_interest_fen=fen(values.get("overdue_interest") or Decimal(0)),
        overdue_since=since,
        days_past_due=days,
        class_floor=servicing.class_floor(days),
    )
    return account


MIGRATION = "300101"  # 清算资金往来, used as the migration clearing account (迁移过渡)


def _book(opened: list[LoanAccount], as_of: dt.date) -> None:
    """The opening entries of the batch, so that the GL equals the subledger: Dr 130101 (not
    yet overdue principal) / 130102 (overdue principal) / 113201 (arrears of performing
    loans) / Cr 300101 迁移过渡; off balance, Dr 701101 / Cr 701102 for the arrears of
    non-performing loans and Dr 701201 / Cr 701202 for written-off loans. Keyed by the
    batch's first loan, so each batch is booked once."""
    from xindai.ledger import services as ledger
    from xindai.ledger.domain import credit, debit
    from xindai.ledger.reconciliation import subledger

    if not opened:
        return
    ids = [loan.pk for loan in opened]
    sums = subledger(LoanState.objects.filter(loan_id__in=ids))
    on = [debit(code, sums[code]) for code in ("130101", "130102", "113201") if sums[code]]
    key = f"loan-import:{min(ids)}:{len(ids)}"
    memo = f"存量贷款迁移过渡（{len(ids)} 笔）"
    if on:
        on.append(credit(MIGRATION, sum(leg.debit for leg in on)))
        ledger.post(key, as_of, "other", on, memo=memo)
    off = []
    for code, contra in (("701101", "701102"), ("701201", "701202")):
        if sums[code]:
            off += [debit(code, sums[code]), credit(contra, sums[code])]
    if off:
        ledger.post(f"{key}:off", as_of, "other", off, memo=memo)


def _finished(actor: Any, result: ImportResult, filename: str) -> ImportResult:
    result.errors.sort(key=lambda e: (e.row, _rank(e.column)))
    if not result.dry_run:
        audit.record(
            "loans.import",
            actor=actor,
            object_type="loans.loanaccount",
            changes={
                "file": filename,
                "sha256": result.sha256,
                "rows": result.rows,
                "imported": result.imported,
                "skipped": len(result.skipped),
                "errors": len(result.errors),
                "partial": result.partial,
            },
        )
    return result


def _rank(header: str) -> int:
    columns = (*COLUMNS, *OPTIONAL_COLUMNS)
    return next((i for i, c in enumerate(columns) if c.header == header), -1)


# ---- the template and the error report ------------------------------------------------------


NOTES = (
    "存量贷款导入说明",
    "1. 每笔贷款一行；请勿修改表头文字，列的顺序可以调整。",
    "2. 证件号码、借据号请按文本录入（模板中这些列已设为文本格式）。",
    "3. 年利率写作 4.35% 或 0.0435；不带 % 的 4.35 有歧义，不予导入。",
    "4. 到期日须与按放款日、期限和还款方式推算的到期日一致，否则该行报错。",
    "5. 默认全部正确才导入；任何一行有误则整个文件都不导入，并列出每处错误。"
    "也可选择“只导入正确的行”。",
    "6. 原借据号已在系统中的行视为已导入，跳过，不会重复建账。",
    "7. CSV 文件可用 UTF-8（含或不含 BOM）或 GBK 编码。",
    "8. 逾期本金、欠息、逾期起始日三列选填：有逾期时填写，系统据此建立逾期余额并记账。",
)


def template_workbook() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEET
    columns = (*COLUMNS, *OPTIONAL_COLUMNS)
    sheet.append([column.header for column in columns])
    sheet.append([column.example or None for column in columns])
    for number, column in enumerate(columns, start=1):
        letter = get_column_letter(number)
        sheet.column_dimensions[letter].width = max(12, 2 * len(column.header) + 6)
        for cell in sheet[letter]:
            cell.number_format = "@"  # text: IDs keep their 18 digits, rates their % sign
    notes = workbook.create_sheet("说明")
    for line in NOTES:
        notes.append([line])
    notes.append([])
    notes.append(["列", "说明", "示例"])
    for column in COLUMNS:
        notes.append([column.header, column.note, column.example])
    for column in OPTIONAL_COLUMNS:
        notes.append([f"{column.header}（选填）", column.note, column.example])
    notes.column_dimensions["A"].width = 16
    notes.column_dimensions["B"].width = 70
    return _saved(workbook)


def error_report(errors: Iterable[RowError | dict[str, Any]]) -> bytes:
    """The problems of an import, one per line (messages already masked)."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "导入错误"
    sheet.append(["行号", "列", "问题"])
    for error in errors:
        shown = error.as_json() if isinstance(error, RowError) else error
        sheet.append([shown["row"] or None, shown["column"], shown["message"]])
        for cell in sheet[sheet.max_row][1:]:
            cell.data_type = "s"
    for letter, width in zip("ABC", (8, 16, 80), strict=True):
        sheet.column_dimensions[letter].width = width
    return _saved(workbook)


def _saved(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


__all__ = ["ImportResult", "RowError", "error_report", "import_loans", "template_workbook"]
