"""The off-balance-sheet list (表外登记清单) as Excel: one row per item in the vault, then the
totals by kind and by org unit; ID numbers masked."""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from xindai.core.masking import mask_id_number
from xindai.vault.models import VaultItem

HEADERS = (
    "入库编号",
    "申请编号",
    "客户",
    "证件号码",
    "物品类别",
    "物品名称",
    "他项权证号",
    "表外登记金额（元）",
    "入库日期",
    "经办机构",
)
WIDTHS = (16, 16, 16, 22, 16, 36, 34, 18, 12, 18)


def off_balance_workbook(items: QuerySet[VaultItem], totals: dict[str, Any]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("表外登记清单")
    for number, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(ord("A") + number)].width = width
    sheet.append(HEADERS)
    with translation.override(settings.LANGUAGE_CODE):
        for item in items.iterator(chunk_size=1000):
            sheet.append(_cells(sheet, _row(item)))
        summary = workbook.create_sheet("合计")
        summary.append(["分组", "名称", "件数", "金额（元）", "金额（万元）"])
        for group, rows in (("类别", totals["by_kind"]), ("机构", totals["by_unit"])):
            for total in rows:
                summary.append(
                    _cells(summary, [group, total.label, total.count, total.amount, total.wan])
                )
        overall = totals["overall"]
        summary.append(_cells(summary, ["合计", "", overall.count, overall.amount, overall.wan]))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _row(item: VaultItem) -> list[Any]:
    application = item.application
    return [
        item.number,
        application.number,
        application.customer.name,
        mask_id_number(application.customer.id_number),
        str(item.get_kind_display()),
        item.description,
        item.registration.certificate_no if item.registration else "",
        item.value,
        item.received_on,
        application.org_unit.name,
    ]


def _cells(sheet: Any, values: list[Any]) -> list[Any]:
    """Text stays text: a name starting with "=" must not become a formula in Excel."""
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"
        cells.append(cell)
    return cells
