"""parse_terms: the one reading of user input, for the CLI, the API and the 贷款试算 page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from tests.loans.factories import d
from xindai.core.errors import FormInvalid
from xindai.loans.schedule import DueDayRule, LoanTerms, Method, build
from xindai.loans.terms import parse_terms, schedule_json

pytestmark = pytest.mark.django_db

GOOD = {
    "principal": "100000",
    "annual_rate": "0.0435",
    "periods": "12",
    "method": "equal_installment",
    "start": "2026-01-15",
}


def errors_of(**changes: Any) -> dict[str, list[str]]:
    data = {**GOOD, **changes}
    with pytest.raises(FormInvalid) as caught:
        parse_terms({k: v for k, v in data.items() if v is not None})
    return caught.value.details


def test_form_strings_become_loan_terms_with_defaults() -> None:
    assert parse_terms(GOOD) == LoanTerms(
        principal=d("100000"),
        annual_rate=d("0.0435"),
        periods=12,
        method=Method.EQUAL_INSTALLMENT,
        start=dt.date(2026, 1, 15),
    )


def test_json_numbers_are_read_as_the_decimals_they_spell() -> None:
    terms = parse_terms({**GOOD, "principal": 100000, "annual_rate": 0.0435, "periods": 12})
    assert terms.annual_rate == Decimal("0.0435")


def test_a_first_due_day_means_the_fixed_day_rule() -> None:
    terms = parse_terms({**GOOD, "first_due_day": "21"})
    assert (terms.due_day_rule, terms.first_due_day) == (DueDayRule.FIXED_DAY, 21)
    assert parse_terms({**GOOD, "due_day_rule": "month_end"}).due_day_rule == DueDayRule.MONTH_END


def test_empty_optional_fields_take_the_defaults() -> None:
    assert parse_terms({**GOOD, "grace_periods": "", "first_due_day": ""}).grace_periods == 0


def test_every_bad_field_is_reported_at_once_in_chinese() -> None:
    details = errors_of(principal="-5", periods="0", method="balloon", start="15/01/2026")
    assert details["principal"] == ["贷款本金必须大于 0"]
    assert details["periods"] == ["期数必须在 1 到 600 之间"]
    assert details["method"][0].startswith("未知的还款方式：balloon")
    assert details["start"] == ["日期格式应为 YYYY-MM-DD，例如 2026-01-15"]
    assert "grace_periods" not in details


def test_missing_required_fields_are_named() -> None:
    details = errors_of(principal=None, start=None)
    assert details == {"principal": ["必填"], "start": ["必填"]}


def test_words_where_numbers_belong_are_refused() -> None:
    details = errors_of(principal="十万", annual_rate="NaN", periods="12.5", grace_periods="true")
    assert set(details) == {"principal", "annual_rate", "periods", "grace_periods"}


def test_a_rate_above_four_times_the_one_year_lpr_is_refused() -> None:
    # 2026-01-15: the 1-year LPR of 2025-05-20 is 3.00% → ceiling 12%
    assert parse_terms({**GOOD, "annual_rate": "0.12"}).annual_rate == d("0.12")
    assert errors_of(annual_rate="0.1201") == {
        "annual_rate": ["年利率超过 1 年期 LPR 的 4 倍（12%）"]
    }


def test_the_lpr_in_force_on_the_start_date_sets_the_ceiling() -> None:
    # 2024-03-01: the 1-year LPR of 2024-02-20 is 3.45% → ceiling 13.8%
    assert parse_terms({**GOOD, "annual_rate": "0.138", "start": "2024-03-01"})
    assert errors_of(annual_rate="0.1381", start="2024-03-01")["annual_rate"] == [
        "年利率超过 1 年期 LPR 的 4 倍（13.8%）"
    ]


def test_a_start_before_any_lpr_quotation_is_refused() -> None:
    assert "LPR" in errors_of(start="2019-01-02")["start"][0]


def test_domain_rules_become_field_errors() -> None:
    assert errors_of(grace_periods="12")["grace_periods"] == ["宽限期必须小于期数"]
    assert errors_of(rounding_multiple="0.1")["rounding_multiple"] == [
        "还款额取整单位只能是 0.01 元或 1 元"
    ]
    assert errors_of(first_due_day="32")["first_due_day"] == ["固定还款日必须是 1 到 31 之间的整数"]
    details = errors_of(method="bullet", grace_periods="1")
    assert details["grace_periods"] == ["利随本清（到期一次还本付息）不设宽限期"]
    details = errors_of(due_day_rule="month_end", first_due_day="21")
    assert details["first_due_day"] == ["只有按固定日还款时才能指定还款日"]


def test_schedule_json_writes_amounts_with_two_decimals() -> None:
    schedule = build(parse_terms({**GOOD, "method": "bullet"}))
    assert schedule_json(schedule) == {
        "rows": [
            {
                "period": 1,
                "due_date": "2027-01-15",
                "days": 365,
                "principal": "100000.00",
                "interest": "4350.00",
                "payment": "104350.00",
                "balance": "0.00",
            }
        ],
        "totals": {
            "principal": "100000.00",
            "interest": "4350.00",
            "payment": "104350.00",
            "annualised_rate": "0.043500",
        },
    }
