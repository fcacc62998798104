"""Reading and checking an import workbook: every row, with the archive's own rules.

Sheets: 农户 (one row per household, keyed by the head's resident ID), 家庭成员 (linked to its
household by the head's resident ID) and 个体工商户 (keyed by the unified social credit code).
A problem is reported as (sheet, row, column, message) so the user can mend the file.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Model, TextChoices
from django.utils import translation
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from xindai.core.identity import credit_code_problem, normalise, resident_id_problem, sex_of
from xindai.core.validators import CREDIT_CODE_MESSAGES, RESIDENT_ID_MESSAGES, validate_mobile
from xindai.customers.models import Area, AreaLevel, Customer
from xindai.customers.section_models import (
    HouseholdMember,
    LandHolding,
    MemberRelation,
    Sex,
)

HOUSEHOLDS, MEMBERS, BUSINESSES = "农户", "家庭成员", "个体工商户"
BATCH_SIZE = 1000  # rows per INSERT and per lookup query

# ---- the sheets and their columns ------------------------------------------------------------

Parse = Callable[[str, dt.date], Any]  # (cell text, today) → value, or ValidationError


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    parse: Parse
    required: bool = False
    note: str = ""
    allowed: tuple[str, ...] = ()  # the words accepted, for the template's drop-down
    text: bool = True  # kept as text in Excel (long digit strings lose digits as numbers)
    recurs: bool = False  # the same value recurs across rows and sheets: check it once

    def parsed(self, raw: str, today: dt.date, memo: dict[str, Any]) -> Any:
        if not self.recurs:
            return self.parse(raw, today)
        if raw not in memo:
            try:
                memo[raw] = self.parse(raw, today)
            except ValidationError as problem:
                memo[raw] = problem
        if isinstance(memo[raw], ValidationError):
            raise ValidationError(memo[raw].messages)  # afresh: a raised error keeps its frames
        return memo[raw]


@dataclass(frozen=True)
class SheetSpec:
    title: str
    note: str
    columns: tuple[Column, ...]

    def header(self, key: str) -> str:
        return next(column.header for column in self.columns if column.key == key)

    def rank(self, header: str) -> int:
        return next((i for i, c in enumerate(self.columns) if c.header == header), -1)


def _field_parser(model: type[Model], name: str) -> Parse:
    """The model field's own cleaning: length, number format, non-negative and so on."""
    model_field = model._meta.get_field(name)
    return lambda raw, today: model_field.clean(raw, None)  # type: ignore[union-attr]


def _resident_id(raw: str, today: dt.date) -> str:
    number = normalise(raw)
    problem = resident_id_problem(number, today)
    if problem is not None:
        raise ValidationError(RESIDENT_ID_MESSAGES[problem])
    return number


def _credit_code(raw: str, today: dt.date) -> str:
    code = normalise(raw)
    problem = credit_code_problem(code)
    if problem is not None:
        raise ValidationError(CREDIT_CODE_MESSAGES[problem])
    return code


def _mobile(raw: str, today: dt.date) -> str:
    number = normalise(raw)
    validate_mobile(number)
    return number


def _area_code(raw: str, today: dt.date) -> str:
    if not re.fullmatch(r"\d{12}", raw):
        raise ValidationError("所在村代码应为 12 位数字（统计用区划代码）")
    return raw


def _words(accepted: dict[str, Any], allowed: tuple[str, ...]) -> Parse:
    def parse(raw: str, today: dt.date) -> Any:
        if raw not in accepted:
            raise ValidationError(f"只能填写：{'、'.join(allowed)}")
        return accepted[raw]

    return parse


def _column_choice(header: str, key: str, choices: type[TextChoices], **kw: Any) -> Column:
    """The Chinese labels are what users write; the stored codes are accepted too."""
    labels = tuple(str(label) for label in choices.labels)
    words = dict(zip(labels, choices.values, strict=True)) | {v: v for v in choices.values}
    return Column(header, key, _words(words, labels), allowed=labels, **kw)


YES_NO = {"是": True, "否": False}
MOBILE_NOTE = "11 位手机号，以 13–19 开头"


@cache
def sheets() -> tuple[SheetSpec, ...]:
    with translation.override(settings.LANGUAGE_CODE):
        return (_household_sheet(), _member_sheet(), _business_sheet())


def _household_sheet() -> SheetSpec:
    return SheetSpec(
        HOUSEHOLDS,
        "每户一行，户主即客户（客户类型：农户）。",
        (
            Column("户主姓名", "name", _field_parser(Customer, "name"), True, "即客户名称"),
            Column(
                "身份证号", "id_number", _resident_id, True, "户主的 18 位居民身份证号", recurs=True
            ),
            Column("手机号", "phone", _mobile, note=MOBILE_NOTE),
            Column("住址", "address", _field_parser(Customer, "address")),
            Column(
                "所在村代码",
                "village",
                _area_code,
                True,
                "12 位统计用区划代码（村级），须已在系统的行政区划中维护",
            ),
            Column(
                "承包地面积（亩）",
                "land_mu",
                _field_parser(LandHolding, "area_mu"),
                note="不小于 0，最多两位小数；填写后记入“土地”栏目（承包地）",
                text=False,
            ),
        ),
    )


def _member_sheet() -> SheetSpec:
    return SheetSpec(
        MEMBERS,
        "每人一行；用“户主身份证号”关联到「农户」表中的一户。户主本人也可作为一行（关系填“户主”）。",
        (
            Column(
                "户主身份证号",
                "head_id",
                _resident_id,
                True,
                "须与「农户」表中的身份证号一致",
                recurs=True,
            ),
            _column_choice("与户主关系", "relation", MemberRelation, required=True),
            Column("姓名", "name", _field_parser(HouseholdMember, "name"), True),
            _column_choice("性别", "sex", Sex, note="可留空：按身份证号第 17 位确定（奇数为男）"),
            Column("身份证号", "id_number", _resident_id, True, "成员本人的身份证号", recurs=True),
            Column("职业", "occupation", _field_parser(HouseholdMember, "occupation")),
            Column("手机号", "phone", _mobile, note=MOBILE_NOTE),
            Column(
                "是否劳动力",
                "is_labour",
                _words(YES_NO, tuple(YES_NO)),
                note="留空按“是”",
                allowed=tuple(YES_NO),
            ),
        ),
    )


def _business_sheet() -> SheetSpec:
    return SheetSpec(
        BUSINESSES,
        "每户一行（客户类型：个体工商户）。",
        (
            Column("名称", "name", _field_parser(Customer, "name"), True, "营业执照上的名称"),
            Column("统一社会信用代码", "id_number", _credit_code, True, "18 位，营业执照上的代码"),
            Column("手机号", "phone", _mobile, note=MOBILE_NOTE),
            Column("地址", "address", _field_parser(Customer, "address"), note="经营地址"),
            Column(
                "行业代码",
                "industry_code",
                _field_parser(Customer, "industry_code"),
                note="国民经济行业分类（GB/T 4754）代码，如 5221",
            ),
            Column("经营者姓名", "operator_name", _field_parser(HouseholdMember, "name")),
            Column(
                "经营者身份证号",
                "operator_id",
                _resident_id,
                note="与经营者姓名一同填写；记入“家庭成员”栏目（关系：经营者）",
            ),
        ),
    )


def sheet_spec(title: str) -> SheetSpec:
    return next(spec for spec in sheets() if spec.title == title)


# ---- what is read ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int  # as Excel numbers it: the header is row 1
    column: str
    message: str


# ---- reading and checking every row ----------------------------------------------------------


@dataclass
class Row:
    spec: SheetSpec
    number: int
    values: dict[str, Any]

    def error(self, key: str, message: str) -> RowError:
        return RowError(self.spec.title, self.number, self.spec.header(key), message)


@dataclass
class Batch:
    rows: dict[str, list[Row]] = field(default_factory=lambda: defaultdict(list))
    errors: list[RowError] = field(default_factory=list)
    villages: dict[str, int] = field(default_factory=dict)  # area code → Area pk
    resident_ids: dict[str, Any] = field(default_factory=dict)  # checked once per import

    def customers(self) -> list[Row]:
        return self.rows[HOUSEHOLDS] + self.rows[BUSINESSES]


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        if abs(value) >= 1e15:
            raise ValidationError(
                "Excel 把这串长数字存成了数值，末几位已丢失：请把该列设为文本后重新录入"
            )
        return str(int(value))
    return str(value).strip()


def _parse_cell(
    batch: Batch, row: Row, column: Column, value: Any, today: dt.date
) -> RowError | None:
    try:
        raw = _cell_text(value)
        if raw:
            row.values[column.key] = column.parsed(raw, today, batch.resident_ids)
        elif column.required:
            raise ValidationError(f"请填写{column.header}")
    except ValidationError as problem:
        return RowError(row.spec.title, row.number, column.header, "；".join(problem.messages))
    return None


def _header_positions(spec: SheetSpec, header: Sequence[Any]) -> tuple[dict[str, int], list[str]]:
    """Where each column is (users may reorder them), and the required ones missing."""
    seen = {str(text).strip().rstrip("*＊").strip(): i for i, text in enumerate(header) if text}
    found = {c.key: seen[c.header] for c in spec.columns if c.header in seen}
    missing = [c.header for c in spec.columns if c.required and c.key not in found]
    return found, missing


def _read_sheet(batch: Batch, spec: SheetSpec, worksheet: Any, today: dt.date) -> None:
    lines = iter(worksheet.iter_rows(values_only=True))
    header = next(lines, ())
    if all(_blank(cell) for cell in header):
        return  # an emptied sheet: not used
    positions, missing = _header_positions(spec, header)
    if missing:
        batch.errors += [
            RowError(spec.title, 1, h, f"缺少列「{h}」，请使用导入模板") for h in missing
        ]
        return
    columns = [(c, positions[c.key]) for c in spec.columns if c.key in positions]
    for number, cells in enumerate(lines, start=2):
        if all(_blank(cell) for cell in cells):
            continue
        row = Row(spec, number, {})
        for column, at in columns:
            problem = _parse_cell(batch, row, column, cells[at] if at < len(cells) else None, today)
            if problem is not None:
                batch.errors.append(problem)
        batch.errors += _row_rules(row)
        batch.rows[spec.title].append(row)


def _blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _row_rules(row: Row) -> list[RowError]:
    """Checks across the columns of one row."""
    values, errors = row.values, []
    if row.spec.title == MEMBERS and "id_number" in values:
        if "sex" not in values:
            values["sex"] = sex_of(values["id_number"])
        elif values["sex"] != sex_of(values["id_number"]):
            errors.append(row.error("sex", "性别与身份证号不符（第 17 位奇数为男、偶数为女）"))
    if row.spec.title == BUSINESSES and ("operator_name" in values) != ("operator_id" in values):
        key = "operator_id" if "operator_name" in values else "operator_name"
        errors.append(row.error(key, "经营者姓名和经营者身份证号须一同填写"))
    return errors


def read_workbook(content: bytes, today: dt.date) -> Batch:
    """Every row with its values, and every problem: in a cell, across a row, across rows
    (duplicates, members without a household) and against the database (already on file,
    unknown villages). Messages in the site's language (Chinese)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _read(content, today)


def _read(content: bytes, today: dt.date) -> Batch:
    batch = Batch()
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError):
        batch.errors.append(RowError("", 0, "", "无法读取文件：请上传由导入模板填写的 .xlsx 文件"))
        return batch
    try:
        for spec in sheets():
            if spec.title in workbook.sheetnames:
                _read_sheet(batch, spec, workbook[spec.title], today)
    finally:
        workbook.close()
    if not batch.errors and not batch.customers():
        batch.errors.append(RowError("", 0, "", "文件中没有可导入的农户或个体工商户"))
    if batch.customers():
        _check_across(batch)
    return batch


# ---- checks across rows and against the database ---------------------------------------------


def _chunks(values: Iterable[str]) -> Iterable[list[str]]:
    items = sorted(set(values))
    for start in range(0, len(items), BATCH_SIZE):
        yield items[start : start + BATCH_SIZE]


def _on_file(numbers: Iterable[str]) -> set[str]:
    """Which of these identity numbers already belong to a customer (one query per batch)."""
    found: set[str] = set()
    for chunk in _chunks(numbers):
        found.update(
            Customer.objects.filter(id_number__in=chunk).values_list("id_number", flat=True)
        )
    return found


def _duplicates(rows: Iterable[Row], key: str) -> list[RowError]:
    first: dict[str, Row] = {}
    errors = []
    for row in rows:
        value = row.values.get(key)
        if value is None:
            continue
        if value in first:
            seen = first[value]
            where = f"「{seen.spec.title}」第 {seen.number} 行"
            errors.append(row.error(key, f"与{where}的{seen.spec.header(key)}重复"))
        else:
            first[value] = row
    return errors


def _check_villages(batch: Batch) -> list[RowError]:
    codes = {row.values["village"] for row in batch.rows[HOUSEHOLDS] if "village" in row.values}
    levels: dict[str, str] = {}
    for chunk in _chunks(codes):
        found = Area.objects.filter(code__in=chunk).values_list("code", "pk", "level")
        for area_code, pk, level in found:
            levels[area_code] = level
            if level == AreaLevel.VILLAGE:
                batch.villages[area_code] = pk
    errors = []
    for row in batch.rows[HOUSEHOLDS]:
        code = row.values.get("village")
        if code is not None and code not in batch.villages:
            known = code in levels
            why = "不是村级区划" if known else "在系统的行政区划中不存在，请先维护"
            errors.append(row.error("village", f"区划代码 {code} {why}"))
    return errors


def _check_members(batch: Batch, on_file: set[str]) -> list[RowError]:
    heads = {row.values.get("id_number") for row in batch.rows[HOUSEHOLDS]}
    errors = []
    for row in batch.rows[MEMBERS]:
        head = row.values.get("head_id")
        if head in on_file:
            errors.append(row.error("head_id", "该户主的农户已建档，家庭成员请在客户档案中录入"))
        elif head is not None and head not in heads:
            errors.append(row.error("head_id", "「农户」表中没有这个户主身份证号，请先登记该户"))
    return errors + _duplicates(batch.rows[MEMBERS], "id_number")


def _check_across(batch: Batch) -> None:
    customers = batch.customers()
    numbers = [row.values["id_number"] for row in customers if "id_number" in row.values]
    heads = [row.values["head_id"] for row in batch.rows[MEMBERS] if "head_id" in row.values]
    on_file = _on_file(numbers + heads)
    batch.errors += _duplicates(customers, "id_number")
    batch.errors += [
        row.error("id_number", f"该{row.spec.header('id_number')}已建档，不能重复建档")
        for row in customers
        if row.values.get("id_number") in on_file
    ]
    batch.errors += _check_villages(batch)
    batch.errors += _check_members(batch, on_file)


def sorted_errors(errors: Iterable[RowError]) -> tuple[RowError, ...]:
    order = {spec.title: i for i, spec in enumerate(sheets())}

    def key(error: RowError) -> tuple[int, int, int]:
        spec = order.get(error.sheet, -1)
        column = sheet_spec(error.sheet).rank(error.column) if spec >= 0 else -1
        return spec, error.row, column

    return tuple(sorted(set(errors), key=key))
