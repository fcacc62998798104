"""The statements file: what it accepts, and every problem reported by the path of its value."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.analysis.examples import statements_file
from xindai.analysis import schema
from xindai.analysis.statements import BalanceSheet, IncomeStatement

D = Decimal


def problems_of(data: Any) -> dict[str, str]:
    with pytest.raises(schema.InvalidData) as refused:
        schema.parse_request(data)
    return {problem.field: problem.text() for problem in refused.value.problems}


@pytest.mark.parametrize(
    ("raw", "value"),
    [("1234.5", D("1234.50")), ("1,234.56", D("1234.56")), (1234, D(1234)), (0.1, D("0.1"))],
)
def test_amounts_may_be_strings_or_numbers(raw: Any, value: Decimal) -> None:
    assert schema.parse_amount(raw) == value


@pytest.mark.parametrize(
    ("raw", "signed", "message"),
    [
        ("12.345", False, "金额最多精确到分（两位小数）"),
        ("abc", False, "应为金额（元），例如 12345.67"),
        (True, False, "应为金额（元），例如 12345.67"),
        ("NaN", False, "应为金额（元），例如 12345.67"),
        ("1e16", False, "金额超出可处理的范围"),
        ("-1", False, "不能为负数"),
    ],
)
def test_bad_amounts_say_why(raw: Any, signed: bool, message: str) -> None:
    with pytest.raises(schema.BadValue) as refused:
        schema.parse_amount(raw, signed=signed)
    assert refused.value.template == message


def test_the_example_file_reads_into_two_periods() -> None:
    request = schema.parse_request(statements_file())
    assert [p.period.months for p in request.periods] == [12, 12]
    assert request.periods[1].income.net_profit == D(112500)
    assert request.periods[0].income == IncomeStatement()
    assert (request.industry_code, request.thresholds) == (None, {})


def test_every_problem_of_a_file_is_reported_at_once_with_its_path() -> None:
    data = statements_file()
    data["periods"][1] = {
        **data["periods"][1],
        "end": "2023-13-01",
        "months": 13,
        "balance_sheet": {"cash": "-5", "inventory": "x", "goodwill": "1"},
        "income_statement": {"net_profit": "-7.5"},  # a loss is allowed
        "notes": "?",
    }
    data["industry_code"] = "A1"
    data["thresholds"] = {"min_current_ratio": "0", "max_ratio": "1"}
    data["extra"] = 1
    assert problems_of(data) == {
        "extra": "未知项目",
        "periods[1].notes": "未知项目",
        "periods[1].end": "日期格式应为 YYYY-MM-DD，例如 2023-12-31",
        "periods[1].months": "月数应为 1 到 12 的整数",
        "periods[1].balance_sheet.cash": "不能为负数",
        "periods[1].balance_sheet.inventory": "应为金额（元），例如 12345.67",
        "periods[1].balance_sheet.goodwill": "未知项目",
        "industry_code": "行业代码应为 2 到 4 位数字（GB/T 4754）",
        "thresholds.min_current_ratio": "阈值应为大于 0 的数字",
        "thresholds.max_ratio": "未知项目",
    }


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ([], "", "应为 JSON 对象"),
        ({}, "periods", "至少需要一期报表"),
        ({"periods": []}, "periods", "至少需要一期报表"),
        ({"periods": {"end": "2023-12-31"}}, "periods", "应为列表"),
        ({"periods": ["2023"]}, "periods[0]", "应为 JSON 对象"),
        ({"periods": [{"months": 12}]}, "periods[0].end", "必填"),
        (
            {"periods": [{"end": "2023-12-31", "balance_sheet": [1]}]},
            "periods[0].balance_sheet",
            "应为 JSON 对象",
        ),
        (
            {"periods": [{"end": "2023-12-31"}, {"end": "2023-12-31"}]},
            "periods[1].end",
            "期末日期与另一期重复",
        ),
    ],
)
def test_structural_problems(data: Any, field: str, message: str) -> None:
    assert problems_of(data) == {field: message}


def test_a_section_dumps_to_what_it_reads_back() -> None:
    sheet = BalanceSheet(cash=D("1.5"), retained_earnings=D("-20"))
    dumped = schema.dump_section(sheet)
    assert dumped == {"cash": "1.50", "retained_earnings": "-20.00"}
    assert schema.parse_section(BalanceSheet, dumped, "x") == (sheet, [])
