"""Customers in Excel: the import template, the import itself, its error report, and the export
of a customer list with personal data masked.

The import checks every row first (:mod:`xindai.customers.excel_import`); if anything is wrong
nothing is saved. Otherwise customers, members and land rows are created in bulk, with their
history, completeness and one audit event, in one transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Model, QuerySet
from django.utils import translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from simple_history.utils import bulk_create_with_history

from xindai.audit import services as audit
from xindai.core.errors import DomainError
from xindai.core.identity import sex_of
from xindai.core.masking import mask_id_number, mask_phone
from xindai.customers import domain
from xindai.customers.excel_import import (
    BATCH_SIZE,
    BUSINESSES,
    HOUSEHOLDS,
    MEMBERS,
    Batch,
    Row,
    RowError,
    SheetSpec,
    read_workbook,
    sheets,
    sorted_errors,
)
from xindai.customers.models import ID_TYPE_OF_KIND, Customer, CustomerKind
from xindai.customers.policy import REQUIREMENTS
from xindai.customers.section_models import HouseholdMember, LandHolding, LandKind, MemberRelation
from xindai.customers.sections import SECTION_BY_KEY
from xindai.customers.services import as_of_today, filled_fields, require, unit_of
from xindai.org.models import User
from xindai.org.scope import visible

__all__ = [
    "ImportResult",
    "RowError",
    "error_report",
    "export_customers",
    "import_workbook",
    "template_workbook",
]

CHANGE_REASON = "Excel 批量导入"
RACE_MESSAGE = "导入时有客户刚被他人建档，未保存任何数据：请重新导入以查看明细"
NOTES_SHEET = "说明"
HEADER_FONT = Font(bold=True)
REQUIRED_FILL = PatternFill("solid", fgColor="FFF2CC")


@dataclass(frozen=True)
class ImportResult:
    sha256: str
    errors: tuple[RowError, ...] = ()
    households: int = 0
    members: int = 0
    businesses: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


# ---- the use case ----------------------------------------------------------------------------


def import_workbook(actor: Any, file: Any, *, manager: User) -> ImportResult:
    """Check every row of the workbook; save all of it in one transaction, or nothing.

    ``file`` is a path, the bytes, or an open (uploaded) file. The customers go to ``manager``
    and his org unit; their history and the audit event name ``actor``.
    """
    require(actor, "customers.add_customer")
    _check_manager(actor, manager)
    content = _content(file)
    digest = hashlib.sha256(content).hexdigest()
    batch = read_workbook(content, as_of_today())
    if batch.errors:
        return ImportResult(sha256=digest, errors=sorted_errors(batch.errors))
    try:
        return _save(actor, manager, _plans(batch, manager), digest)
    except IntegrityError:  # someone filed one of these customers since the check
        return ImportResult(sha256=digest, errors=(RowError("", 0, "", RACE_MESSAGE),))


def _content(file: Any) -> bytes:
    if isinstance(file, bytes):
        return file
    if isinstance(file, str | os.PathLike):
        return Path(file).read_bytes()
    if hasattr(file, "seek"):
        file.seek(0)
    return bytes(file.read())


def _check_manager(actor: Any, manager: User) -> None:
    """The same choice the customer form offers: an active member of staff the actor sees."""
    unit_of(manager)
    staff = User.objects.filter(pk=manager.pk, is_active=True)
    if not visible(staff, actor).exists():
        raise DomainError(
            "不能为该客户经理建档：已停用或不在您的管辖范围内", code="manager_out_of_scope"
        )


# ---- what is saved ---------------------------------------------------------------------------


@dataclass
class Plan:
    """A new customer and the section rows saved with it, by section key."""

    customer: Customer
    sections: dict[str, list[Model]]


def completeness_of(plan: Plan, as_of: dt.date) -> int:
    """The score of a new customer from the rows about to be saved with it: no query."""
    expiries: dict[str, list[dt.date | None]] = {}
    for key, rows in plan.sections.items():
        expiry_field = SECTION_BY_KEY[key].expiry_field
        if rows:
            expiries[key] = [getattr(r, expiry_field) if expiry_field else None for r in rows]
    facts = domain.ArchiveFacts(filled_fields(plan.customer), expiries, {})
    return domain.assess(REQUIREMENTS[plan.customer.kind], facts, as_of).score


def _customer(kind: CustomerKind, values: dict[str, Any], manager: User) -> Customer:
    return Customer(
        kind=kind,
        id_type=ID_TYPE_OF_KIND[kind],  # what Customer.save sets; bulk_create bypasses save
        name=values["name"],
        id_number=values["id_number"],
        phone=values.get("phone", ""),
        address=values.get("address", ""),
        industry_code=values.get("industry_code", ""),
        manager=manager,
        org_unit=manager.org_unit,
    )


def _member(customer: Customer, values: dict[str, Any]) -> HouseholdMember:
    return HouseholdMember(
        customer=customer,
        relation=values["relation"],
        name=values["name"],
        sex=values["sex"],
        id_number=values["id_number"],
        occupation=values.get("occupation", ""),
        phone=values.get("phone", ""),
        is_labour=values.get("is_labour", True),
    )


def _household_plan(row: Row, members: list[Row], batch: Batch, manager: User) -> Plan:
    customer = _customer(CustomerKind.FARMER, row.values, manager)
    customer.village_id = batch.villages[row.values["village"]]
    sections: dict[str, list[Model]] = {"members": [_member(customer, m.values) for m in members]}
    if "land_mu" in row.values:
        area = row.values["land_mu"]
        sections["land"] = [LandHolding(customer=customer, kind=LandKind.CONTRACTED, area_mu=area)]
    return Plan(customer, sections)


def _business_plan(row: Row, manager: User) -> Plan:
    values = row.values
    customer = _customer(CustomerKind.BUSINESS, values, manager)
    if "operator_id" not in values:
        return Plan(customer, {"members": []})
    operator = {
        "relation": MemberRelation.OPERATOR,
        "name": values["operator_name"],
        "sex": sex_of(values["operator_id"]),
        "id_number": values["operator_id"],
    }
    return Plan(customer, {"members": [_member(customer, operator)]})


def _plans(batch: Batch, manager: User) -> list[Plan]:
    members_of: dict[str, list[Row]] = defaultdict(list)
    for member in batch.rows[MEMBERS]:
        members_of[member.values["head_id"]].append(member)
    plans = [
        _household_plan(row, members_of[row.values["id_number"]], batch, manager)
        for row in batch.rows[HOUSEHOLDS]
    ]
    return plans + [_business_plan(row, manager) for row in batch.rows[BUSINESSES]]


def _bulk_create(rows: Sequence[Model], actor: Any) -> None:
    if rows:
        bulk_create_with_history(
            list(rows),
            type(rows[0]),
            batch_size=BATCH_SIZE,
            default_user=actor,
            default_change_reason=CHANGE_REASON,
        )


def _section_rows(plans: Iterable[Plan]) -> dict[type[Model], list[Model]]:
    by_model: dict[type[Model], list[Model]] = defaultdict(list)
    for plan in plans:
        for rows in plan.sections.values():
            for row in rows:
                by_model[type(row)].append(row)
    return by_model


def _save(actor: Any, manager: User, plans: list[Plan], digest: str) -> ImportResult:
    as_of = as_of_today()
    for plan in plans:
        plan.customer.completeness = completeness_of(plan, as_of)
    section_rows = _section_rows(plans)
    counts = {
        "households": sum(p.customer.kind == CustomerKind.FARMER for p in plans),
        "businesses": sum(p.customer.kind == CustomerKind.BUSINESS for p in plans),
        "members": len(section_rows[HouseholdMember]),
    }
    with transaction.atomic():
        _bulk_create([plan.customer for plan in plans], actor)
        for rows in section_rows.values():
            _bulk_create(rows, actor)  # after the customers: their keys are known now
        audit.record(
            "customers.import",
            actor=actor,
            object_type="customers.customer",
            changes={
                **counts,
                "land": len(section_rows[LandHolding]),
                "manager": manager.username,
                "sha256": digest,
            },
        )
    return ImportResult(
        sha256=digest,
        households=counts["households"],
        members=counts["members"],
        businesses=counts["businesses"],
    )


# ---- the template ----------------------------------------------------------------------------


def template_workbook() -> bytes:
    """The empty import template: one sheet per kind of row, and the 说明 sheet."""
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    for spec in sheets():
        _template_sheet(workbook.create_sheet(spec.title), spec)
    _notes_sheet(workbook.create_sheet(NOTES_SHEET))
    return _saved(workbook)


def _template_sheet(sheet: Any, spec: SheetSpec) -> None:
    sheet.append([column.header for column in spec.columns])
    sheet.freeze_panes = "A2"
    for number, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(number)
        header = sheet.cell(row=1, column=number)
        header.font = HEADER_FONT
        if column.required:
            header.fill = REQUIRED_FILL
        width = sheet.column_dimensions[letter]
        width.width = max(12, 2 * len(column.header) + 4)
        if column.text:
            width.number_format = "@"  # Excel keeps all 18 digits of an ID typed here
        if column.allowed:
            choice = DataValidation(type="list", formula1=f'"{",".join(column.allowed)}"')
            choice.error = f"只能填写：{'、'.join(column.allowed)}"
            choice.add(f"{letter}2:{letter}1048576")
            sheet.add_data_validation(choice)


GENERAL_NOTES = (
    "客户批量导入说明",
    "1. 黄色表头为必填列；请勿修改表头文字，列的顺序可以调整，不用的可选列可以删除。",
    "2. 身份证号、统一社会信用代码、手机号和区划代码请按文本录入（模板中这些列已设为文本格式）。",
    "3. 导入前系统逐行检查；只要有一处错误，整个文件都不导入，"
    "并列出每处错误的工作表、行号、列和问题。改正后请重新导入整个文件。",
    "4. 证件号码已在系统中建档的客户不能重复导入；已建档农户的新成员请在客户档案中录入。",
    "5. 「家庭成员」表的“户主身份证号”须与「农户」表中某一户的身份证号一致。",
)


def _notes_sheet(sheet: Any) -> None:
    for line in GENERAL_NOTES:
        sheet.append([line])
    sheet["A1"].font = HEADER_FONT
    sheet.append([])
    sheet.append(["工作表", "列", "是否必填", "说明", "可填写的值"])
    for cell in sheet[sheet.max_row]:
        cell.font = HEADER_FONT
    for spec in sheets():
        sheet.append([spec.title, "", "", spec.note, ""])
        for column in spec.columns:
            required = "必填" if column.required else "选填"
            allowed = "、".join(column.allowed)
            sheet.append([spec.title, column.header, required, column.note, allowed])
    for letter, width in zip("ABCDE", (12, 18, 10, 60, 40), strict=True):
        sheet.column_dimensions[letter].width = width


# ---- the error report and the export ---------------------------------------------------------


def error_report(result: ImportResult) -> bytes:
    """The problems of a refused import, one per line, for the user to work through."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("导入错误")
    for letter, width in zip("ABCD", (12, 8, 18, 70), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.append(["工作表", "行号", "列", "问题"])
    for error in result.errors:
        sheet.append(_cells(sheet, [error.sheet, error.row or None, error.column, error.message]))
    return _saved(workbook)


EXPORT_HEADERS = (
    "客户名称",
    "客户类型",
    "证件号码",
    "手机号",
    "所在村",
    "管户客户经理",
    "管户机构",
    "完整度",
    "档案状态",
)


def export_customers(queryset: QuerySet[Customer]) -> bytes:
    """The customers of a (filtered) list; ID numbers and phones masked."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("客户清单")
    for letter, width in zip("ABCDEFGHI", (24, 12, 22, 14, 30, 14, 18, 8, 12), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.append(EXPORT_HEADERS)
    found = queryset.select_related("village", "manager", "org_unit")
    with translation.override(settings.LANGUAGE_CODE):
        for customer in found.iterator(chunk_size=BATCH_SIZE):
            sheet.append(_cells(sheet, _export_row(customer)))
    return _saved(workbook)


def _export_row(customer: Customer) -> list[Any]:
    return [
        customer.name,
        str(customer.get_kind_display()),
        mask_id_number(customer.id_number),
        mask_phone(customer.phone),
        str(customer.village) if customer.village else "",
        str(customer.manager),
        customer.org_unit.name,
        customer.completeness,
        str(customer.get_archive_status_display()),
    ]


def _cells(sheet: Any, values: Iterable[Any]) -> list[Any]:
    """Text stays text: a name starting with "=" must not become a formula in Excel."""
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"
        cells.append(cell)
    return cells


def _saved(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
