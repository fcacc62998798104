"""整村授信: 信用户评定 and 预授信 of one household, pure (no Django).

Each factor is scored 0-100 by the bands below, the score is the weighted sum (weights sum to
1), the rating follows the score, and the pre-approved limit (预授信额度) is the smaller of the
policy cap for the rating and ``income multiple × net income``, rounded down to 1,000 元.

Worked example (default weights): 3 labourers (100), net assets 25万 (80), net income 8万 (80),
repayment good (100), village evaluation 90 → 0.10×100 + 0.25×80 + 0.30×80 + 0.25×100 +
0.10×90 = 10 + 20 + 24 + 25 + 9 = 88.00 → 优秀; limit min(300,000, 2 × 80,000) = 160,000 元.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from enum import StrEnum

FACTORS = ("members", "assets", "net_income", "repayment", "village")
DEFAULT_WEIGHTS: dict[str, Decimal] = {
    "members": Decimal("0.10"),
    "assets": Decimal("0.25"),
    "net_income": Decimal("0.30"),
    "repayment": Decimal("0.25"),
    "village": Decimal("0.10"),
}
FACTOR_LABELS = {
    "members": "家庭人口与劳动力",
    "assets": "家庭净资产",
    "net_income": "家庭年纯收入",
    "repayment": "还款记录",
    "village": "村组评议",
}

# (lower bound in 元, points): the first band the amount reaches.
NET_INCOME_BANDS = ((100_000, 100), (60_000, 80), (30_000, 60), (10_000, 40))
NET_ASSETS_BANDS = ((500_000, 100), (200_000, 80), (100_000, 60), (30_000, 40))
BAND_FLOOR = 20
LABOUR_POINTS = ((3, 100), (2, 85), (1, 60))
NO_LABOUR_POINTS = 30


class Repayment(StrEnum):
    GOOD = "good"  # 良好
    NONE = "none"  # 无（从未借款）
    LATE = "late"  # 有逾期
    BAD = "bad"  # 有不良


REPAYMENT_POINTS = {Repayment.GOOD: 100, Repayment.NONE: 70, Repayment.LATE: 40, Repayment.BAD: 0}
REPAYMENT_LABELS = {
    Repayment.GOOD: "良好",
    Repayment.NONE: "无",
    Repayment.LATE: "有逾期",
    Repayment.BAD: "有不良",
}


class Rating(StrEnum):
    EXCELLENT = "excellent"  # 优秀信用户
    GOOD = "good"  # 较好信用户
    FAIR = "fair"  # 一般信用户
    NOT_RATED = "not_rated"  # 不予评定


RATING_FLOORS = (
    (Decimal(85), Rating.EXCELLENT),
    (Decimal(70), Rating.GOOD),
    (Decimal(60), Rating.FAIR),
)
LIMIT_STEP = Decimal(1000)  # 元


@dataclass(frozen=True)
class Household:
    """The archive data a household is rated on; amounts in 元."""

    members: int
    labourers: int
    assets: Decimal
    net_income: Decimal
    debts: Decimal
    repayment: Repayment
    village_evaluation: int


@dataclass(frozen=True)
class LimitPolicy:
    """Caps by rating (元) and the multiple of net income (policy parameters)."""

    excellent: Decimal
    good: Decimal
    fair: Decimal
    income_multiple: Decimal


@dataclass(frozen=True)
class Assessment:
    factor_points: dict[str, int]
    score: Decimal
    rating: Rating
    limit: Decimal  # 元, whole thousands; 0 when not rated
    reasons: list[str]


class WeightsInvalid(ValueError):
    """Weights missing a factor, outside 0-1, or not summing to 1."""


def check_weights(weights: Mapping[str, object]) -> dict[str, Decimal]:
    """The weights as Decimals, every factor present, each 0-1, summing to exactly 1."""
    if set(weights) != set(FACTORS):
        raise WeightsInvalid("权重须包含且仅包含五项评定因素")
    found: dict[str, Decimal] = {}
    for key in FACTORS:
        try:
            value = Decimal(str(weights[key]))
        except ArithmeticError as exc:
            raise WeightsInvalid(f"{FACTOR_LABELS[key]}的权重不是数字") from exc
        if not value.is_finite() or value < 0 or value > 1:
            raise WeightsInvalid(f"{FACTOR_LABELS[key]}的权重应在 0 到 1 之间")
        found[key] = value
    if sum(found.values()) != 1:
        raise WeightsInvalid("各项权重之和必须等于 1")
    return found


def _banded(amount: Decimal, bands: tuple[tuple[int, int], ...]) -> int:
    for floor, points in bands:
        if amount >= floor:
            return points
    return BAND_FLOOR


def labour_points(labourers: int) -> int:
    for floor, points in LABOUR_POINTS:
        if labourers >= floor:
            return points
    return NO_LABOUR_POINTS


def factor_points(h: Household) -> dict[str, int]:
    net_assets = h.assets - h.debts
    return {
        "members": labour_points(h.labourers),
        "assets": 0 if net_assets < 0 else _banded(net_assets, NET_ASSETS_BANDS),
        "net_income": _banded(h.net_income, NET_INCOME_BANDS),
        "repayment": REPAYMENT_POINTS[h.repayment],
        "village": h.village_evaluation,
    }


def rating_of(score: Decimal) -> Rating:
    for floor, rating in RATING_FLOORS:
        if score >= floor:
            return rating
    return Rating.NOT_RATED


def limit_of(rating: Rating, net_income: Decimal, policy: LimitPolicy) -> Decimal:
    """min(cap for the rating, multiple × net income), rounded down to 1,000 元; 0 unrated."""
    caps = {Rating.EXCELLENT: policy.excellent, Rating.GOOD: policy.good, Rating.FAIR: policy.fair}
    if rating not in caps:
        return Decimal(0)
    raw = min(caps[rating], policy.income_multiple * max(net_income, Decimal(0)))
    return (raw / LIMIT_STEP).to_integral_value(ROUND_DOWN) * LIMIT_STEP


def _yuan(amount: Decimal) -> str:
    return f"{amount:,.0f} 元"


def _reasons(h: Household, points: dict[str, int], weights: dict[str, Decimal]) -> list[str]:
    net_assets = h.assets - h.debts
    facts = {
        "members": f"家庭人口 {h.members} 人，劳动力 {h.labourers} 人",
        "assets": f"资产 {_yuan(h.assets)}，负债 {_yuan(h.debts)}，净资产 {_yuan(net_assets)}",
        "net_income": f"年纯收入 {_yuan(h.net_income)}",
        "repayment": f"还款记录{REPAYMENT_LABELS[h.repayment]}",
        "village": f"村组评议 {h.village_evaluation} 分",
    }
    return [
        f"{FACTOR_LABELS[k]}：{facts[k]}，得 {points[k]} 分（权重 {weights[k] * 100:.0f}%）"
        for k in FACTORS
    ]


def assess(h: Household, weights: dict[str, Decimal], policy: LimitPolicy) -> Assessment:
    """The household's factor points, weighted score, rating, limit and reasons."""
    points = factor_points(h)
    score = sum((weights[k] * points[k] for k in FACTORS), Decimal(0))
    score = score.quantize(Decimal("0.01"), ROUND_HALF_UP)
    rating = rating_of(score)
    reasons = _reasons(h, points, weights)
    if h.repayment == Repayment.BAD:
        rating = Rating.NOT_RATED
        reasons.append("有不良贷款记录：不予评定")
    if h.debts > h.assets:
        rating = Rating.NOT_RATED
        reasons.append("负债超过家庭资产：不予评定")
    if rating == Rating.NOT_RATED and len(reasons) == len(FACTORS):
        reasons.append(f"评定得分 {score} 分，低于 60 分：不予评定")
    limit = limit_of(rating, h.net_income, policy)
    return Assessment(points, score, rating, limit, reasons)
