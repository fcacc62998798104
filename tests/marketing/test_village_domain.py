"""信用户评定 and 预授信 of single households, computed by hand (default weights 0.10 / 0.25 /
0.30 / 0.25 / 0.10; caps 300,000 / 200,000 / 100,000 元; limit ≤ 2 × net income)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from xindai.marketing.domain_village import (
    DEFAULT_WEIGHTS,
    Household,
    LimitPolicy,
    Rating,
    Repayment,
    WeightsInvalid,
    assess,
    check_weights,
)

POLICY = LimitPolicy(
    excellent=Decimal(300_000),
    good=Decimal(200_000),
    fair=Decimal(100_000),
    income_multiple=Decimal(2),
)


def household(
    labourers: int = 2,
    assets: int = 0,
    debts: int = 0,
    income: int = 0,
    repayment: Repayment = Repayment.GOOD,
    village: int = 80,
) -> Household:
    return Household(
        members=max(labourers, 1) + 2,
        labourers=labourers,
        assets=Decimal(assets),
        net_income=Decimal(income),
        debts=Decimal(debts),
        repayment=repayment,
        village_evaluation=village,
    )


def test_a_well_off_household_with_a_good_record_is_excellent_and_capped_by_income() -> None:
    # 100 (3 labourers) ×0.10 + 80 (net assets 250,000) ×0.25 + 80 (income 80,000) ×0.30
    # + 100 ×0.25 + 90 ×0.10 = 10 + 20 + 24 + 25 + 9 = 88 → 优秀; min(300,000, 160,000).
    made = assess(
        household(3, assets=300_000, debts=50_000, income=80_000, village=90),
        DEFAULT_WEIGHTS,
        POLICY,
    )
    assert made.factor_points == {
        "members": 100,
        "assets": 80,
        "net_income": 80,
        "repayment": 100,
        "village": 90,
    }
    assert (made.score, made.rating, made.limit) == (Decimal("88.00"), Rating.EXCELLENT, 160_000)
    assert len(made.reasons) == 5
    assert made.reasons[2] == "家庭年纯收入：年纯收入 80,000 元，得 80 分（权重 30%）"


def test_a_household_without_loans_scores_70_for_its_record_and_is_fair() -> None:
    # 85 ×0.10 + 60 ×0.25 + 60 ×0.30 + 70 ×0.25 + 80 ×0.10 = 8.5 + 15 + 18 + 17.5 + 8 = 67
    made = assess(
        household(2, assets=150_000, income=45_000, repayment=Repayment.NONE),
        DEFAULT_WEIGHTS,
        POLICY,
    )
    assert (made.score, made.rating, made.limit) == (Decimal("67.00"), Rating.FAIR, 90_000)


def test_score_below_60_is_not_rated_and_gets_no_limit() -> None:
    # 60 ×0.10 + 40 ×0.25 + 40 ×0.30 + 40 ×0.25 + 70 ×0.10 = 6 + 10 + 12 + 10 + 7 = 45
    made = assess(
        household(
            1, assets=80_000, debts=20_000, income=25_500, repayment=Repayment.LATE, village=70
        ),
        DEFAULT_WEIGHTS,
        POLICY,
    )
    assert (made.score, made.rating, made.limit) == (Decimal("45.00"), Rating.NOT_RATED, 0)
    assert made.reasons[-1] == "评定得分 45.00 分，低于 60 分：不予评定"


def test_a_bad_loan_record_is_never_rated_whatever_the_score() -> None:
    # 10 + 25 + 30 + 0 + 10 = 75 would be 较好
    made = assess(
        household(3, assets=600_000, income=120_000, repayment=Repayment.BAD, village=100),
        DEFAULT_WEIGHTS,
        POLICY,
    )
    assert (made.score, made.rating, made.limit) == (Decimal("75.00"), Rating.NOT_RATED, 0)
    assert made.reasons[-1] == "有不良贷款记录：不予评定"


def test_debts_above_assets_are_never_rated() -> None:
    # 8.5 + 0 (negative net assets) + 24 + 25 + 8.5 = 66 would be 一般
    made = assess(
        household(2, assets=100_000, debts=120_000, income=70_000, village=85),
        DEFAULT_WEIGHTS,
        POLICY,
    )
    assert made.factor_points["assets"] == 0
    assert (made.score, made.rating, made.limit) == (Decimal("66.00"), Rating.NOT_RATED, 0)
    assert "负债超过家庭资产：不予评定" in made.reasons


def test_85_exactly_is_excellent_and_the_limit_rounds_down_to_a_thousand() -> None:
    # 8.5 + 20 + 24 + 25 + 7.5 = 85.00 → 优秀; 2 × 64,750 = 129,500 → 129,000
    made = assess(household(2, assets=210_000, income=64_750, village=75), DEFAULT_WEIGHTS, POLICY)
    assert (made.score, made.rating, made.limit) == (Decimal("85.00"), Rating.EXCELLENT, 129_000)


def test_a_good_household_is_capped_by_the_policy_for_its_rating() -> None:
    # 8.5 + 15 + 30 + 25 + 6 = 84.5 → 较好; min(200,000, 300,000)
    made = assess(household(2, assets=120_000, income=150_000, village=60), DEFAULT_WEIGHTS, POLICY)
    assert (made.score, made.rating, made.limit) == (Decimal("84.50"), Rating.GOOD, 200_000)


def test_equal_weights_change_the_rating() -> None:
    weights = check_weights({k: "0.2" for k in DEFAULT_WEIGHTS})
    # (85 + 60 + 60 + 70 + 80) / 5 = 71 → 较好; min(200,000, 90,000)
    made = assess(
        household(2, assets=150_000, income=45_000, repayment=Repayment.NONE), weights, POLICY
    )
    assert (made.score, made.rating, made.limit) == (Decimal("71.00"), Rating.GOOD, 90_000)


@pytest.mark.parametrize(
    "weights",
    [
        {
            "members": "0.1",
            "assets": "0.25",
            "net_income": "0.3",
            "repayment": "0.25",
            "village": "0.09",
        },
        {"members": "0.1", "assets": "0.25", "net_income": "0.3", "repayment": "0.35"},
        {
            "members": "-0.1",
            "assets": "0.35",
            "net_income": "0.3",
            "repayment": "0.35",
            "village": "0.1",
        },
        {
            "members": "x",
            "assets": "0.25",
            "net_income": "0.3",
            "repayment": "0.25",
            "village": "0.1",
        },
    ],
)
def test_weights_must_cover_every_factor_and_sum_to_one(weights: dict[str, str]) -> None:
    with pytest.raises(WeightsInvalid):
        check_weights(weights)
