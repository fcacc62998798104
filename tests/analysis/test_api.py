"""``POST /api/v1/analysis/ratios`` answers exactly what ``xindai ratios`` prints for the same
file; ``POST /api/v1/analysis/credit-limit`` shows each method's steps and the suggestion."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from tests.analysis import examples, moutai

pytestmark = pytest.mark.django_db

RATIOS = "/api/v1/analysis/ratios"
LIMIT = "/api/v1/analysis/credit-limit"


def cli_json(tmp_path: Path, data: dict[str, Any]) -> Any:
    path = tmp_path / "statements.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = io.StringIO()
    call_command("ratios", str(path), "--format", "json", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.parametrize(
    "data", [moutai.statements_file(), examples.statements_file()], ids=["moutai", "example"]
)
def test_the_api_answers_exactly_what_the_cli_prints(manager, login, tmp_path, data) -> None:
    response = login(manager).post(RATIOS, data, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json() == cli_json(tmp_path, data)


def test_bad_statements_are_a_422_naming_each_value(manager, login) -> None:
    data = {"periods": [{"end": "2023-12-31", "balance_sheet": {"cash": "1.001"}}], "x": 1}
    response = login(manager).post(RATIOS, data, content_type="application/json")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert body["details"] == {
        "x": ["未知项目"],
        "periods[0].balance_sheet.cash": ["金额最多精确到分（两位小数）"],
    }


def test_only_staff_with_the_calculator_may_call_it(outsider, login) -> None:
    response = login(outsider).post(
        RATIOS, examples.statements_file(), content_type="application/json"
    )
    assert response.status_code == 403


# The hand-worked examples of tests/analysis/test_limits.py, as an API request (the
# household's yearly figures there divided by 12).
LIMIT_REQUEST = {
    "as_of": "2026-01-15",
    "working_capital": {
        "sales": "10000000",
        "sales_margin": "0.10",
        "growth": 0.2,
        "inventory_days": 60,
        "receivable_days": 45,
        "payable_days": 30,
        "prepayment_days": 20,
        "advance_days": 5,
        "own_funds": "800000",
        "existing_loans": "1000000",
        "other_financing": "200000",
    },
    "cash_flow": {
        "monthly_income": "7500",  # (120,000 − 30,000) ÷ 12
        "monthly_living_costs": "3000",
        "monthly_debt_service": "500",
        "annual_rate": "0.0435",
        "periods": 36,
        "method": "equal_installment",
    },
    "collateral": [{"kind": "residential", "appraised_value": "1000000", "description": "住房"}],
    "guarantor": {"net_assets": "500000", "guarantees_given": "350000", "amount": "150000"},
}


def test_the_credit_limit_shows_each_method_and_suggests_the_smallest(manager, login) -> None:
    response = login(manager).post(LIMIT, LIMIT_REQUEST, content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    limits = {method["method"]: method["limit"] for method in body["methods"]}
    # 700,000 (working capital); 109,498 (cash flow, the policy's 50 % ceiling); 700,000
    assert limits == {
        "working_capital": "700000.00",
        "cash_flow": "109498.00",
        "collateral": "700000.00",
    }
    cash_steps = body["methods"][1]["steps"]
    assert [step["value"] for step in cash_steps] == ["4000.00", "3250.00", "3250.00", "109498.00"]
    assert (
        cash_steps[1]["formula"]
        == "月均净收入 7,500.00 × 还款收入比上限 50% − 现有债务月还款 500.00"
    )
    assert cash_steps[3]["formula"] == (
        "年利率 4.35%、36 期、等额本息：月还款额不超过 3,250.00 的最大整元本金"
        "（其月还款额 3,249.99）"
    )
    assert body["suggestion"] == {
        "limit": "109498.00",
        "method": "cash_flow",
        "reason": "取 3 种适用方法中的最小值：可支配现金流测算 109,498.00 元",
    }
    assert body["guarantor"]["sufficient"] is True
    assert body["as_of"] == "2026-01-15"


def test_bad_credit_limit_input_is_a_422_naming_each_value(manager, login) -> None:
    request = {
        "working_capital": {"sales": "-1", "sales_margin": "x", "growth": 0},
        "cash_flow": {
            "monthly_income": "7500",
            "monthly_living_costs": "3000",
            "monthly_debt_service": "500",
            "max_debt_service_ratio": "50",
            "annual_rate": "0.0435",
            "periods": 36,
            "method": "weekly",
        },
        "collateral": [{"kind": "gold", "appraised_value": "1"}],
    }
    response = login(manager).post(LIMIT, request, content_type="application/json")
    assert response.status_code == 422
    details = response.json()["details"]
    assert details["working_capital.sales"] == ["不能为负数"]
    assert details["working_capital.sales_margin"] == ["应为数字，例如 0.15"]
    assert details["working_capital.inventory_days"] == ["必填"]
    assert details["cash_flow.max_debt_service_ratio"] == ["比例以小数表示（15% 写作 0.15）"]
    assert details["cash_flow.method"][0].startswith("未知的还款方式：weekly")
    assert details["collateral[0].kind"] == [
        "未知的押品类型（可选：residential、commercial、land_use、deposit、machinery）"
    ]


def test_an_empty_credit_limit_request_says_what_to_send(manager, login) -> None:
    response = login(manager).post(LIMIT, {}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["details"] == {
        "": ["请至少提供一种测算方法（working_capital、cash_flow、collateral）的数据"]
    }
