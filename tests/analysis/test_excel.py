"""The Excel template and its import: a round trip keeps every figure, and a file with any
problem is refused whole, each problem named by row and column."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from tests.analysis.examples import BALANCE_2022, BALANCE_2023, INCOME_2023
from xindai.analysis import excel, services
from xindai.analysis.models import StatementSet
from xindai.analysis.statements import StatementKind
from xindai.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
D = Decimal


def sheet_of(content: bytes) -> Any:
    return load_workbook(io.BytesIO(content)).worksheets[0]


def fill(values: dict[str, dict[str, Any]], months: dict[str, Any] | None = None) -> bytes:
    """The enterprise template with one column per period end, the items by Chinese label."""
    book = load_workbook(io.BytesIO(excel.workbook(StatementKind.ENTERPRISE)))
    sheet = book.worksheets[0]
    for column, (end, items) in enumerate(values.items(), start=2):
        sheet.cell(1, column, end)
        sheet.cell(2, column, (months or {}).get(end))
        for row in range(3, sheet.max_row + 1):
            label = sheet.cell(row, 1).value
            if label in items:
                sheet.cell(row, column, items[label])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_the_template_lists_the_items_in_chinese_in_column_a() -> None:
    sheet = sheet_of(excel.workbook(StatementKind.ENTERPRISE))
    labels = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert labels[:5] == ["项目", "期间月数", "资产负债表", "货币资金", "短期投资"]
    assert "其中：利息费用" in labels and "本期应还本金" in labels
    household = sheet_of(excel.workbook(StatementKind.HOUSEHOLD))
    assert household.title == "农户家庭收支表"


def test_a_filled_template_imports_every_period(manager, enterprise) -> None:
    content = fill(
        {
            "2022-12-31": {"应收账款": 80000, "存货": "150,000.00", "资产总计": 900000},
            "2023-12-31": {"应收账款": 120000, "存货": 250000, "净利润": -1234.5},
        },
        months={"2023-12-31": 12},
    )
    rows = services.import_excel(manager, enterprise, io.BytesIO(content))
    assert [(row.period_end, row.months) for row in rows] == [
        (dt.date(2022, 12, 31), 12),
        (dt.date(2023, 12, 31), 12),
    ]
    assert rows[0].items == {
        "balance_sheet": {
            "accounts_receivable": "80000.00",
            "inventory": "150000.00",
            "total_assets": "900000.00",
        }
    }
    assert rows[1].items["income_statement"] == {"net_profit": "-1234.50"}
    assert AuditEvent.objects.filter(action="analysis.statements.create").count() == 2


def test_the_statements_on_file_export_and_import_back_unchanged(manager, enterprise) -> None:
    services.save_statements(manager, enterprise, {"period_end": "2022-12-31", **BALANCE_2022})
    services.save_statements(
        manager,
        enterprise,
        {"period_end": "2023-12-31", **BALANCE_2023, **INCOME_2023, "finance_costs": "-20.05"},
    )
    before = {row.period_end: row.items for row in StatementSet.objects.all()}
    exported = services.template(manager, enterprise)
    assert sheet_of(exported).cell(1, 3).value == "2023-12-31"
    services.import_excel(manager, enterprise, exported)
    after = {row.period_end: row.items for row in StatementSet.objects.all()}
    assert after == before
    assert before[dt.date(2023, 12, 31)]["income_statement"]["finance_costs"] == "-20.05"


def test_every_problem_is_reported_by_row_and_column_and_nothing_is_saved(
    manager, enterprise
) -> None:
    content = fill(
        {
            "2023-12-31": {"货币资金": -5, "存货": "abc", "净利润": 1.234},
            "2023/12/31": {"货币资金": 1},
            "2024-12-31": {},
        },
        months={"2023-12-31": 13},
    )
    book = load_workbook(io.BytesIO(content))
    sheet = book.worksheets[0]
    sheet.append(["商誉", 100])
    sheet.cell(3, 2, 7)  # a value on the 资产负债表 title row
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(excel.WorkbookInvalid) as refused:
        services.import_excel(manager, enterprise, buffer.getvalue())
    found = [(error.row, error.column, error.message) for error in refused.value.errors]
    cash_row = 4  # 货币资金, under the 资产负债表 title
    inventory_row = 10
    net_profit_row = next(
        row for row in range(1, sheet.max_row + 1) if sheet.cell(row, 1).value == "净利润"
    )
    assert found == [
        (1, "C", "日期格式应为 YYYY-MM-DD，例如 2023-12-31"),
        (1, "D", "这一期没有填写任何项目"),
        (2, "B", "月数应为 1 到 12 的整数"),
        (3, "B", "报表标题行不应填写数值"),
        (cash_row, "B", "不能为负数"),
        (inventory_row, "B", "应为金额（元），例如 12345.67"),
        (net_profit_row, "B", "金额最多精确到分（两位小数）"),
        (sheet.max_row, "A", "未知项目“商誉”：请使用导入模板中的项目名称"),
    ]
    assert StatementSet.objects.count() == 0
    assert (
        refused.value.details["file"][0] == "第 1 行 C 列：日期格式应为 YYYY-MM-DD，例如 2023-12-31"
    )


def test_a_file_that_is_not_a_workbook_or_not_the_template_is_refused(manager, enterprise) -> None:
    with pytest.raises(excel.WorkbookInvalid) as garbage:
        services.import_excel(manager, enterprise, b"not an xlsx")
    assert garbage.value.details == {"file": ["无法读取文件：请上传由模板填写的 .xlsx 文件"]}
    other = Workbook()
    other.active.append(["姓名", "金额"])  # type: ignore[union-attr]
    buffer = io.BytesIO()
    other.save(buffer)
    with pytest.raises(excel.WorkbookInvalid) as wrong:
        services.import_excel(manager, enterprise, buffer.getvalue())
    assert [e.message for e in wrong.value.errors] == ["第一行 A 列应为“项目”，请使用导入模板"]


def test_a_repeated_period_is_refused(manager, enterprise) -> None:
    content = fill({"2023-12-31": {"货币资金": 1}})
    book = load_workbook(io.BytesIO(content))
    sheet = book.worksheets[0]
    sheet.cell(1, 3, "2023-12-31")
    sheet.cell(4, 3, 2)
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(excel.WorkbookInvalid) as refused:
        services.import_excel(manager, enterprise, buffer.getvalue())
    assert [(e.row, e.column, e.message) for e in refused.value.errors] == [
        (1, "C", "期末日期与另一期重复")
    ]


def test_a_household_statement_imports_for_a_farmer(manager, farmer) -> None:
    book = load_workbook(io.BytesIO(excel.workbook(StatementKind.HOUSEHOLD)))
    sheet = book.worksheets[0]
    rows = {sheet.cell(row, 1).value: row for row in range(1, sheet.max_row + 1)}
    sheet.cell(1, 2, dt.datetime(2024, 12, 31))  # an Excel date is read as the period end
    sheet.cell(rows["务工收入"], 2, 36000)
    sheet.cell(rows["现有债务年还本付息额"], 2, 0)
    buffer = io.BytesIO()
    book.save(buffer)
    [row] = services.import_excel(manager, farmer, buffer.getvalue())
    assert (row.kind, row.period_end) == ("household", dt.date(2024, 12, 31))
    assert row.items == {"household": {"income_wages": "36000.00", "yearly_debt_service": "0.00"}}
