"""Statements in Excel: the template (item labels in Chinese in column A, one period per column
from B on) and reading a filled one back, with every problem as (row, column, message).

Row 1 holds the period ends (``2023-12-31`` or an Excel date), row 2 the months each period
covers (blank: 12). Section titles (资产负债表, 利润表, ...) are headings without values. A blank
cell is "not given"; write 0 for an item without a balance. Only the first sheet is read; the
second one explains how to fill it in.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from xindai.analysis import schema
from xindai.analysis.models import StatementKindChoice
from xindai.analysis.statements import SECTION_LABELS, SECTIONS, Period, StatementKind, items_of
from xindai.core.errors import FormInvalid
from xindai.core.problems import mark as _

ITEM_HEADER = "项目"
MONTHS_LABEL = "期间月数"
AMOUNT_FORMAT = "#,##0.00"
HEADER_FILL = PatternFill("solid", fgColor="0B6E4F")
SECTION_FILL = PatternFill("solid", fgColor="E8F3EE")


@dataclass(frozen=True, order=True)
class CellError:
    row: int  # as Excel numbers it
    column: str  # the column letter; "" for the whole file
    message: str

    def text(self) -> str:
        where = gettext("第 %(row)s 行 %(column)s 列") % {"row": self.row, "column": self.column}
        return f"{where}：{self.message}" if self.row else self.message


class WorkbookInvalid(FormInvalid):
    """A workbook with problems: nothing of it is saved; ``errors`` lists them all."""

    def __init__(self, errors: Sequence[CellError]) -> None:
        self.errors = tuple(sorted(set(errors)))
        messages = [error.text() for error in self.errors]
        super().__init__(gettext("文件有误，未导入任何数据"), details={"file": messages})


# ---- the template -------------------------------------------------------------------------


def workbook(kind: StatementKind, periods: Sequence[tuple[Period, dict[str, Any]]] = ()) -> bytes:
    """The statements of ``periods`` (period, sections) as an .xlsx; none: the empty template."""
    book = Workbook()
    sheet: Any = book.active
    sheet.title = str(StatementKindChoice(kind).label)
    sheet.append([ITEM_HEADER, *(period.end.isoformat() for period, _s in periods)])
    sheet.append([MONTHS_LABEL, *(period.months for period, _s in periods)])
    for name, section in SECTIONS[StatementKind(kind)].items():
        sheet.append([SECTION_LABELS[name]])
        for cell in sheet[sheet.max_row]:
            cell.font, cell.fill = Font(bold=True), SECTION_FILL
        for info in items_of(section):
            values = [getattr(sections[name], info.key) for _p, sections in periods]
            sheet.append([info.label, *values])
    _style(sheet, len(periods))
    _notes(book.create_sheet("填写说明"))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _style(sheet: Any, count: int) -> None:
    for cell in sheet[1]:
        cell.font, cell.fill = Font(bold=True, color="FFFFFF"), HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
    sheet.column_dimensions["A"].width = 36
    for column in range(2, max(count, 3) + 2):
        sheet.column_dimensions[get_column_letter(column)].width = 20
        for (cell,) in sheet.iter_rows(min_row=3, min_col=column, max_col=column):
            cell.number_format = AMOUNT_FORMAT
    sheet.freeze_panes = "B3"


NOTES = (
    "第 1 行从 B 列起每列填写一期的报表期末日期，格式 YYYY-MM-DD（如 2023-12-31），可填多期。",
    "第 2 行填写该期覆盖的月数：年报填 12，半年报填 6；留空按 12。",
    "金额单位为元，最多两位小数；没有余额或发生额的项目请填 0，留空表示“未提供”。",
    "亏损、净流出等可为负数的项目（如净利润、财务费用、未分配利润）直接填负号。",
    "A 列的项目名称和顺序请勿修改；各报表标题行不要填写数值。",
    "文件中任何一处有误时不导入任何数据，系统会列出每个错误所在的行和列。",
)


def _notes(sheet: Any) -> None:
    sheet.column_dimensions["A"].width = 100
    for line in NOTES:
        sheet.append([line])


# ---- reading ------------------------------------------------------------------------------


UNREADABLE = _("无法读取文件：请上传由模板填写的 .xlsx 文件")
NO_ITEM_HEADER = _("第一行 A 列应为“项目”，请使用导入模板")
NO_PERIOD = _("第一行没有报表期末日期：请从 B 列起填写，如 2023-12-31")
EMPTY_PERIOD = _("这一期没有填写任何项目")
UNKNOWN_LABEL = _("未知项目“%(label)s”：请使用导入模板中的项目名称")
REPEATED_LABEL = _("项目“%(label)s”重复出现")
VALUES_ON_TITLE = _("报表标题行不应填写数值")


def read(content: bytes, kind: StatementKind) -> tuple[list[dict[str, Any]], list[CellError]]:
    """Each period of the workbook as a flat dict (``period_end``, ``months`` and the items
    given, as for ``services.save_statements``), and every problem found."""
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        return [], [CellError(0, "", gettext(UNREADABLE))]
    try:
        rows = [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()
    return _Reader(StatementKind(kind), rows).read()


class _Reader:
    def __init__(self, kind: StatementKind, rows: list[list[Any]]) -> None:
        self.kind, self.rows = kind, rows
        self.errors: list[CellError] = []
        self.items = {
            info.label: info for section in SECTIONS[kind].values() for info in items_of(section)
        }
        self.titles = {SECTION_LABELS[name] for name in SECTIONS[kind]}
        self.seen: set[str] = set()

    def error(self, row: int, column: int, template: str, **params: str) -> None:
        message = gettext(template) % params if params else gettext(template)
        letter = get_column_letter(column) if column else ""
        self.errors.append(CellError(row, letter, message))

    def read(self) -> tuple[list[dict[str, Any]], list[CellError]]:
        header = self.rows[0] if self.rows else []
        if not header or _text(header[0]) != ITEM_HEADER:
            self.error(1, 1, NO_ITEM_HEADER)
            return [], self.errors
        periods = self._periods(header)  # a column with a bad header is read all the same
        for number, row in enumerate(self.rows[2:], start=3):
            self._item_row(number, row, periods)
        valid = {column: p for column, p in periods.items() if p["period_end"] is not None}
        for column, period in valid.items():
            if len(period) == 2:  # only period_end and months
                self.error(1, column, EMPTY_PERIOD)
        return list(valid.values()), self.errors

    def _periods(self, header: list[Any]) -> dict[int, dict[str, Any]]:
        months_row = self.rows[1] if len(self.rows) > 1 else []
        if months_row and _text(months_row[0]) != MONTHS_LABEL:
            self.error(2, 1, _("第二行 A 列应为“期间月数”，请使用导入模板"))
        periods: dict[int, dict[str, Any]] = {}
        seen: set[dt.date] = set()
        for column, raw in enumerate(header[1:], start=2):
            if _blank(raw):
                continue
            months = months_row[column - 1] if column - 1 < len(months_row) else None
            period = self._period(column, raw, months)
            periods[column] = {"period_end": None, "months": None}
            if period is not None and period.end in seen:
                self.error(1, column, schema.DUPLICATE_END)
            elif period is not None:
                seen.add(period.end)
                periods[column] = {"period_end": period.end, "months": period.months}
        if not periods:
            self.error(1, 2, NO_PERIOD)
        return periods

    def _period(self, column: int, raw: Any, months: Any) -> Period | None:
        end = raw.date() if isinstance(raw, dt.datetime) else raw
        data: dict[str, Any] = {"end": end if isinstance(end, dt.date) else _text(end)}
        data["months"] = 12 if _blank(months) else _whole(months)
        period, problems = schema.parse_period(data, "")
        for problem in problems:
            self.error(1 if problem.field.endswith("end") else 2, column, problem.template)
        return period

    def _item_row(self, number: int, row: list[Any], periods: dict[int, dict[str, Any]]) -> None:
        label = _text(row[0]) if row else ""
        cells = [(column, row[column - 1]) for column in periods if column - 1 < len(row)]
        filled = [(column, value) for column, value in cells if not _blank(value)]
        if not label or (label in self.titles and not filled):
            return
        if label in self.titles:
            self.error(number, filled[0][0], VALUES_ON_TITLE)
            return
        info = self.items.get(label)
        if info is None:
            if filled:
                self.error(number, 1, UNKNOWN_LABEL, label=label)
            return
        if label in self.seen:
            self.error(number, 1, REPEATED_LABEL, label=label)
            return
        self.seen.add(label)
        for column, value in filled:
            self._amount(number, column, value, info, periods[column])

    def _amount(
        self, number: int, column: int, value: Any, info: Any, period: dict[str, Any]
    ) -> None:
        try:
            period[info.key] = schema.parse_amount(value, signed=info.signed)
        except schema.BadValue as bad:
            self.error(number, column, bad.template)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip().rstrip("*＊").strip()


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _whole(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value if isinstance(value, int) else _text(value)


def error_lines(errors: Iterable[CellError]) -> list[str]:
    return [error.text() for error in errors]
