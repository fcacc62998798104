"""Metrics, grades and reason texts of scoring/domain.py, against independent computations."""

import math

import numpy as np
import pytest
from scipy.stats import ks_2samp
from sklearn.metrics import roc_auc_score, roc_curve

from xindai.scoring import domain
from xindai.scoring.domain import GradeCuts


@pytest.fixture
def scored():
    rng = np.random.default_rng(7)
    y = rng.integers(0, 2, 2000)
    # rounded so that many scores tie
    s = np.round(y * 0.8 + rng.normal(size=2000), 1)
    return y, s


def test_auc_equals_sklearn_with_ties(scored):
    y, s = scored
    assert domain.auc(y, s) == pytest.approx(roc_auc_score(y, s), abs=1e-12)


def test_gini_is_twice_auc_minus_one(scored):
    y, s = scored
    assert domain.gini(y, s) == pytest.approx(2 * roc_auc_score(y, s) - 1, abs=1e-12)


def test_ks_equals_roc_gap_and_two_sample_statistic(scored):
    y, s = scored
    fpr, tpr, _ = roc_curve(y, s)
    assert domain.ks(y, s) == pytest.approx(np.max(tpr - fpr), abs=1e-12)
    assert domain.ks(y, s) == pytest.approx(ks_2samp(s[y == 1], s[y == 0]).statistic, abs=1e-12)


def test_auc_of_a_perfect_and_a_reversed_score():
    y = [0, 0, 1, 1]
    assert domain.auc(y, [1, 2, 3, 4]) == 1.0
    assert domain.auc(y, [4, 3, 2, 1]) == 0.0
    assert math.isnan(domain.auc([1, 1], [0.2, 0.3]))


def test_capture_at_counts_events_in_the_top_share():
    # scores 10..1; events at scores 10, 8, 3, 1 -> top 20 % (2 rows: 10, 9) holds 1 of 4
    s = np.arange(10, 0, -1)
    y = np.array([1, 0, 1, 0, 0, 0, 0, 1, 0, 1])
    assert domain.capture_at(y, s, 0.2) == 0.25
    assert domain.capture_at(y, s, 0.3) == 0.5  # 10, 9, 8
    assert domain.capture_at(y, s, 1.0) == 1.0


def test_gains_curve_runs_from_zero_to_one():
    s = np.arange(10, 0, -1)
    y = np.array([1, 0, 1, 0, 0, 0, 0, 1, 0, 1])
    curve = domain.gains_curve(y, s, points=5)
    assert curve == [[0.0, 0.0], [0.2, 0.25], [0.4, 0.5], [0.6, 0.5], [0.8, 0.75], [1.0, 1.0]]


def test_psi_of_three_bins_by_hand():
    expected = [0.5, 0.3, 0.2]
    actual = [0.4, 0.4, 0.2]
    by_hand = (0.4 - 0.5) * math.log(0.4 / 0.5) + (0.4 - 0.3) * math.log(0.4 / 0.3) + 0.0
    assert domain.psi(expected, actual) == pytest.approx(by_hand, abs=1e-12)
    assert by_hand == pytest.approx(0.05108, abs=1e-5)
    assert domain.psi(expected, expected) == 0.0


def test_shares_put_every_value_in_an_open_bin():
    edges = np.array([1.0, 2.0])
    values = [-5, 0.5, 1.0, 1.5, 2.0, 99, np.nan]
    # bins: x < 1 | 1 <= x < 2 | x >= 2 ; the missing value is left out
    assert domain.shares(values, edges).tolist() == [2 / 6, 2 / 6, 2 / 6]


def test_a_value_a_rounding_error_below_a_cut_counts_as_on_it():
    edges = np.array([0.3, 2.0])
    below = np.nextafter(0.1 + 0.2, 0) - 1e-16  # 0.30000000000000004 and a hair less
    assert domain.shares([below, 0.29, 2.0], edges).tolist() == [1 / 3, 1 / 3, 1 / 3]


def test_bin_edges_are_the_baseline_quantiles():
    values = np.arange(1, 101, dtype=float)
    edges = domain.bin_edges(values, bins=4)
    assert edges.tolist() == pytest.approx([25.75, 50.5, 75.25])
    assert domain.shares(values, edges).tolist() == [0.25, 0.25, 0.25, 0.25]


CUTS = GradeCuts(high_propensity=0.3, mid_propensity=0.1, good_points=620, low_points=560)


@pytest.mark.parametrize(
    ("propensity", "points", "expected"),
    [
        (0.5, 700, "A"),  # likely and low risk
        (0.3, 620, "A"),  # both cuts are inclusive
        (0.5, 600, "B"),  # likely, middling risk
        (0.2, 650, "B"),  # fairly likely, low risk
        (0.2, 600, "C"),  # fairly likely, middling risk
        (0.05, 700, "C"),  # unlikely to borrow
        (0.9, 559, "D"),  # high risk, however likely
        (0.0, 400, "D"),
    ],
)
def test_grade(propensity, points, expected):
    assert domain.grade(propensity, points, CUTS) == expected


def test_grades_vectorised_and_defaulted_is_d():
    found = domain.grades([0.5, 0.5, 0.2], [700, 700, 600], CUTS, defaulted=[False, True, False])
    assert found.tolist() == ["A", "D", "C"]


def test_default_cuts_are_documented_values():
    cuts = GradeCuts()
    assert (cuts.high_propensity, cuts.mid_propensity) == (0.2, 0.1)
    assert (cuts.good_points, cuts.low_points) == (600, 560)


def test_grade_cuts_from_quantiles_of_the_scored_population():
    propensity = np.arange(1, 101) / 100  # 0.01 .. 1.00
    points = np.arange(501, 601)  # 501 .. 600
    cuts = domain.train_grade_cuts(propensity, points)
    assert cuts.high_propensity == pytest.approx(np.quantile(propensity, 0.8))  # 0.802
    assert cuts.mid_propensity == pytest.approx(0.505)
    assert (cuts.good_points, cuts.low_points) == (551, 510)  # median 550.5, 10 % 510.9
    found = domain.grades(propensity, points, cuts)
    # row i has propensity i/100 and points 500 + i: A = rows 81-100, B = 51-80 (mid and
    # good), D = 1-9 (points 501-509 < 510), C = the rest
    assert {g: int((found == g).sum()) for g in "ABCD"} == {"A": 20, "B": 30, "C": 41, "D": 9}


@pytest.mark.parametrize(
    ("feature", "value", "direction", "text"),
    [
        ("payroll_months_12m", 10, 1, "近12个月有 10 个月代发工资入账"),
        ("txn_count_90d", 35, 1, "近90天交易 35 笔，账户活跃"),
        ("txn_count_90d", 2, -1, "近90天交易 2 笔，账户不活跃"),
        ("ever_overdue", 1, -1, "曾有贷款逾期记录"),
        ("balance_trend", 0.6, -1, "存款余额近3个月较全年平均下降 40%"),
        ("balance_trend", 1.25, 1, "存款余额近3个月较全年平均上升 25%"),
        ("avg_balance_3m", 52300, 1, "近3个月日均存款 5.2 万元"),
        ("txn_in_amount_90d", 800, 1, "近90天入账 800 元"),
        ("has_mobile_banking", 0, -1, "未开通手机银行"),
        ("archive_completeness", 0.75, 1, "客户档案完整度 75%"),
        ("life_stage", 2, 1, "人生阶段：30至44岁"),
        ("months_since_last_loan", float("nan"), -1, "从未在本行贷款"),
        ("age", float("nan"), 1, "年龄：无数据"),
    ],
)
def test_reason_text(feature, value, direction, text):
    label = "年龄" if feature == "age" else ""
    assert domain.reason_text(feature, value, direction, label) == text


def test_every_feature_has_a_reason_template():
    from xindai.scoring.features import FEATURES

    assert set(domain.REASON_TEMPLATES) == set(FEATURES)
    for name in FEATURES:
        text = domain.reason_text(name, 1.0, 1)
        assert text and name not in text
