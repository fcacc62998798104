"""``POST /api/v1/schedules/preview``: the fields of ``xindai schedule``, the same JSON, figure for
figure; bad input is a 422 naming the field; only staff with 贷款试算 may call it."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

LOANS: list[dict[str, Any]] = [
    {  # 100,000 at 4.35% over 12 months, equal installments from 2026-01-15
        "principal": "100000",
        "annual_rate": "0.0435",
        "periods": "12",
        "method": "equal_installment",
        "start": "2026-01-15",
    },
    {  # equal principal, quarterly on the 21st, daily interest on actual/365
        "principal": "250000",
        "annual_rate": "0.0512",
        "periods": "8",
        "method": "equal_principal",
        "start": "2026-02-03",
        "frequency": "quarterly",
        "first_due_day": "21",
        "interest_basis": "daily",
        "day_count": "actual_365",
    },
    {  # equal installments rounded to the yuan after 3 interest-only months; then a bullet loan
        "principal": "80000",
        "annual_rate": "0.06",
        "periods": "24",
        "method": "equal_installment",
        "start": "2026-03-31",
        "grace_periods": "3",
        "rounding_multiple": "1",
    },
    {
        "principal": "30000",
        "annual_rate": "0.0385",
        "periods": "12",
        "method": "bullet",
        "start": "2026-04-10",
    },
]


def cli_json(loan: dict[str, Any]) -> dict[str, Any]:
    """The loan through ``xindai schedule --format json``, as a person would type it."""
    out = io.StringIO()
    args = [f"--{key.replace('_', '-')}={value}" for key, value in loan.items()]
    call_command("schedule", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.parametrize("loan", LOANS, ids=lambda loan: loan["method"])
def test_the_api_answers_exactly_what_the_cli_prints(manager, login, loan) -> None:
    response = login(manager).post(
        "/api/v1/schedules/preview", loan, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json() == cli_json(loan)


def test_the_worked_example_of_the_cli(manager, login) -> None:
    body = (
        login(manager)
        .post("/api/v1/schedules/preview", LOANS[0], content_type="application/json")
        .json()
    )
    assert body["rows"][0] == {
        "period": 1,
        "due_date": "2026-02-15",
        "days": 31,
        "principal": "8168.49",
        "interest": "362.50",  # 100,000 × 4.35% / 12
        "payment": "8530.99",
        "balance": "91831.51",
    }
    assert body["totals"] == {
        "principal": "100000.00",
        "interest": "2371.90",
        "payment": "102371.90",
        "annualised_rate": "0.044562",
    }


def test_json_numbers_mean_the_same_as_strings(manager, login) -> None:
    numbers = {
        "principal": 100000,
        "annual_rate": 0.0435,
        "periods": 12,
        "method": "equal_installment",
        "start": "2026-01-15",
    }
    client = login(manager)
    as_numbers = client.post("/api/v1/schedules/preview", numbers, content_type="application/json")
    assert as_numbers.json() == cli_json(LOANS[0])


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"principal": "-5"}, "principal", "贷款本金必须大于 0"),
        ({"periods": "0"}, "periods", "期数必须在 1 到 600 之间"),
        ({"method": "balloon"}, "method", "未知的还款方式：balloon"),
        ({"annual_rate": "0.13"}, "annual_rate", "年利率超过 1 年期 LPR 的 4 倍（12%）"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(manager, login, change, field, message) -> None:
    loan = LOANS[0] | change
    response = login(manager).post(
        "/api/v1/schedules/preview", loan, content_type="application/json"
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert message in body["details"][field][0]
    assert message in body["message"]


def test_a_missing_field_is_named(manager, login) -> None:
    loan = {k: v for k, v in LOANS[0].items() if k != "start"}
    response = login(manager).post(
        "/api/v1/schedules/preview", loan, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["details"] == {"start": ["必填"]}


def test_an_unknown_field_is_refused(manager, login) -> None:
    loan = LOANS[0] | {"term_months": 12}
    response = login(manager).post(
        "/api/v1/schedules/preview", loan, content_type="application/json"
    )
    assert response.status_code == 422


def test_staff_without_the_calculator_are_refused(outsider, login) -> None:
    response = login(outsider).post(
        "/api/v1/schedules/preview", LOANS[0], content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["details"] == {"permission": "loans.use_calculator"}


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"periods": "0"}, "periods", "The number of periods must be between 1 and 600"),
        ({"method": "balloon"}, "method", "Unknown Repayment method: balloon"),
        ({"start": "15/01/2026"}, "start", "Dates are written YYYY-MM-DD, e.g. 2026-01-15"),
        ({"annual_rate": "0.13"}, "annual_rate", "above 4 times the 1-year LPR (12%)"),
    ],
)
def test_bad_input_is_explained_in_english_when_english_is_chosen(
    manager, login, change, field, message
) -> None:
    client = login(manager)
    client.cookies["django_language"] = "en"
    response = client.post(
        "/api/v1/schedules/preview", LOANS[0] | change, content_type="application/json"
    )
    assert response.status_code == 422
    assert message in response.json()["details"][field][0]
