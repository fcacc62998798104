"""Loan import files, written the way an old system exports them."""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import Workbook

HEADER = (
    "原借据号",
    "客户证件号码",
    "产品代码",
    "贷款金额",
    "年利率",
    "期限（月）",
    "还款方式",
    "放款日",
    "到期日",
    "贷款余额",
    "状态",
    "客户经理",
    "经办机构",
)


def loan_row(id_number: str, **overrides: Any) -> dict[str, Any]:
    """120,000 元 at 4.35% over 12 months, 等额本息, from 2025-03-15: 60,000 元 still owed."""
    row = {
        "原借据号": "JJ2025000001",
        "客户证件号码": id_number,
        "产品代码": "ZCSX",
        "贷款金额": "120000",
        "年利率": "4.35%",
        "期限（月）": "12",
        "还款方式": "等额本息",
        "放款日": "2025-03-15",
        "到期日": "2026-03-15",
        "贷款余额": "60000",
        "状态": "正常",
        "客户经理": "zhang",
        "经办机构": "O11",
    }
    return row | overrides


def csv_bytes(rows: list[dict[str, Any]], encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow([row.get(h, "") for h in HEADER])
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[dict[str, Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "存量贷款"
    sheet.append(HEADER)
    for row in rows:
        sheet.append([row.get(h) for h in HEADER])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
