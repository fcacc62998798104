"""A product must keep the rules of RULES.md: terms per purpose class, markups within their
bands, entrusted payment thresholds, inspections; the messages say what is wrong in Chinese."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from tests.products.conftest import product_fields
from xindai.products.models import LoanProduct


def errors_of(**changes: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        LoanProduct(**product_fields(**changes)).full_clean()
    return refused.value.message_dict


@pytest.mark.django_db
def test_a_consumption_product_with_a_72_month_term_is_refused() -> None:
    errors = errors_of(purpose="consumption", customer_kinds=["farmer"], max_term=72)
    assert errors == {"max_term": ["个人消费贷款期限最长 60 个月"]}


@pytest.mark.django_db
def test_a_consumption_product_of_60_months_is_accepted() -> None:
    LoanProduct(**product_fields(purpose="consumption", max_term=60)).full_clean()


@pytest.mark.django_db
def test_personal_business_goes_to_ten_years_only_with_a_long_cycle() -> None:
    errors = errors_of(max_term=120)
    assert errors["max_term"] == [
        "个人经营贷款期限最长 60 个月（现金流回笼周期长的勾选“长周期”后最长 120 个月）"
    ]
    LoanProduct(**product_fields(max_term=120, long_cycle=True)).full_clean()
    errors = errors_of(max_term=121, long_cycle=True)
    assert errors["max_term"] == ["个人经营贷款期限最长 120 个月"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("purpose", "kinds", "long_cycle", "longest"),
    [
        ("working_capital", ["enterprise"], False, 36),
        ("working_capital", ["enterprise"], True, 60),
        ("fixed_asset", ["enterprise"], False, 120),
        ("fixed_asset", ["enterprise"], True, 120),
    ],
)
def test_enterprise_terms_have_their_own_maxima(
    purpose: str, kinds: list[str], long_cycle: bool, longest: int
) -> None:
    fields = {"purpose": purpose, "customer_kinds": kinds, "long_cycle": long_cycle}
    LoanProduct(**product_fields(max_term=longest, **fields)).full_clean()
    assert "max_term" in errors_of(max_term=longest + 1, **fields)


@pytest.mark.django_db
def test_a_farmer_loan_over_a_year_may_not_be_repaid_in_one_sum() -> None:
    farmer = {"purpose": "farmer", "customer_kinds": ["farmer"], "repayment_methods": ["bullet"]}
    LoanProduct(**product_fields(max_term=12, **farmer)).full_clean()
    errors = errors_of(max_term=24, **farmer)
    assert errors == {"repayment_methods": ["农户贷款期限超过 1 年的不得采用利随本清"]}


@pytest.mark.django_db
def test_markups_stay_in_their_bands() -> None:
    errors = errors_of(penalty_markup=Decimal("0.6"), misuse_markup=Decimal("0.4"))
    assert errors == {
        "penalty_markup": ["逾期罚息上浮比例须在 0.3 至 0.5 之间"],
        "misuse_markup": ["挪用罚息上浮比例须在 0.5 至 1.0 之间"],
    }


@pytest.mark.django_db
def test_defaults_are_the_rule_catalogue_values() -> None:
    product = LoanProduct(**product_fields(purpose="consumption", customer_kinds=["farmer"]))
    product.full_clean()
    assert (product.penalty_markup, product.misuse_markup) == (Decimal("0.5"), Decimal("1.0"))
    assert product.entrusted_threshold == Decimal(300_000)
    assert (product.first_inspection_days, product.settlement_day) == (15, 20)


@pytest.mark.django_db
def test_the_entrusted_payment_threshold_may_be_stricter_but_not_looser() -> None:
    LoanProduct(**product_fields(entrusted_threshold=Decimal(100_000))).full_clean()
    errors = errors_of(entrusted_threshold=Decimal(600_000))
    assert errors == {
        "entrusted_threshold": [
            "个人经营贷款单笔支付超过 500,000 元须受托支付：起点须大于 0 且不高于此数"
        ]
    }


@pytest.mark.django_db
def test_an_enterprise_cannot_take_a_consumption_loan() -> None:
    errors = errors_of(purpose="consumption", customer_kinds=["enterprise"])
    assert errors == {"customer_kinds": ["个人消费贷款不适用于所选客户类型"]}


@pytest.mark.django_db
def test_pricing_needs_its_rate_or_spread_and_a_sensible_band() -> None:
    assert errors_of(pricing="fixed", fixed_rate=None)["fixed_rate"]
    assert errors_of(spread_bp=None)["spread_bp"]
    errors = errors_of(floor_rate=Decimal("0.05"), ceiling_rate=Decimal("0.04"))
    assert errors == {"ceiling_rate": ["利率上限不能低于利率下限"]}


@pytest.mark.django_db
def test_limits_and_choices_must_make_sense() -> None:
    errors = errors_of(
        min_amount=Decimal(100),
        max_amount=Decimal(50),
        min_term=12,
        max_term=6,
        repayment_methods=[],
        customer_kinds=["nobody"],
    )
    assert errors["max_amount"] == ["最高金额不能低于最低金额"]
    assert "最长期限不能短于最短期限" in errors["max_term"]
    assert errors["repayment_methods"] == ["请至少选择一种还款方式"]
    assert errors["customer_kinds"][0] == "选项不在可选范围内"


@pytest.mark.django_db
def test_short_loans_are_inspected_monthly() -> None:
    errors = errors_of(max_term=6, min_term=3, inspection_cycle="quarterly")
    assert errors == {"inspection_cycle": ["期限 6 个月以内的贷款须按月检查"]}
    assert errors_of(first_inspection_days=31) == {
        "first_inspection_days": ["首次跟踪检查须在放款后 1 至 30 天内"]
    }


@pytest.mark.django_db
def test_messages_are_translated_for_english_users(settings: Any) -> None:
    from django.utils import translation

    with translation.override("en"):
        errors = errors_of(purpose="consumption", customer_kinds=["farmer"], max_term=72)
    assert errors == {"max_term": ["Personal consumption loan: the term is at most 60 months"]}
