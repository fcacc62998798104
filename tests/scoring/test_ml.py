"""The propensity model and the scorecard on generated data of known structure: the event
depends strongly on x1, weakly on x2 and not at all on x3."""

import duckdb
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from xindai.scoring import ml

N_TRAIN, N_TEST = 6000, 4000


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(42)
    n = N_TRAIN + N_TEST
    X = pd.DataFrame(
        {
            "x1": rng.normal(size=n).round(2),
            "x2": rng.normal(size=n).round(2),
            "x3": rng.normal(size=n).round(2),
        }
    )
    logit = -1.8 + 1.8 * X["x1"] + 0.4 * X["x2"]
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int).to_numpy()
    X.loc[rng.random(n) < 0.05, "x2"] = np.nan  # some missing values
    return X.iloc[:N_TRAIN], y[:N_TRAIN], X.iloc[N_TRAIN:], y[N_TRAIN:]


@pytest.fixture(scope="module")
def propensity(data):
    X, y, _, _ = data
    return ml.train_propensity(X, y, seed=0)


@pytest.fixture(scope="module")
def card(data):
    X, y, _, _ = data
    return ml.train_scorecard(X, y, base_points=600, base_odds=50, pdo=20)


def test_propensity_ranks_well_on_held_out_rows(data, propensity):
    _, _, X_test, y_test = data
    assert roc_auc_score(y_test, propensity.predict(X_test)) > 0.8


def test_propensity_is_calibrated(data, propensity):
    _, _, X_test, y_test = data
    predicted = propensity.predict(X_test)
    assert ((predicted >= 0) & (predicted <= 1)).all()
    assert abs(predicted.mean() - y_test.mean()) < 0.02
    # and within the riskiest fifth, too
    top = predicted >= np.quantile(predicted, 0.8)
    assert abs(predicted[top].mean() - y_test[top].mean()) < 0.05


def test_contributions_rank_the_strong_feature_first(data, propensity):
    _, _, X_test, _ = data
    for found in (propensity.contributions(X_test), propensity.shap(X_test.iloc[:500])):
        assert found.shape[1] == 4  # x1, x2, x3 and the average
        strength = np.abs(found[:, :3]).mean(axis=0)
        assert strength.argmax() == 0
        assert strength.argmin() == 2
    assert next(iter(propensity.feature_importance())) == "x1"


def test_fast_contributions_agree_with_shap(data, propensity):
    _, _, X_test, _ = data
    fast = propensity.contributions(X_test.iloc[:500])[:, 0]
    exact = propensity.shap(X_test.iloc[:500])[:, 0]
    assert np.corrcoef(fast, exact)[0, 1] > 0.95


def test_propensity_round_trip(data, propensity):
    _, _, X_test, _ = data
    loaded = ml.PropensityModel.from_bytes(propensity.to_bytes())
    assert np.array_equal(loaded.predict(X_test), propensity.predict(X_test))
    assert np.array_equal(loaded.contributions(X_test), propensity.contributions(X_test))


def test_scorecard_points_fall_as_risk_rises(data, card):
    _, _, X_test, y_test = data
    points = card.points(X_test)
    assert points.dtype.kind == "i"
    assert roc_auc_score(y_test, -points) > 0.8
    # x1 raises the risk: its points fall from its lowest bin to its highest
    x1 = next(b for b in card.bins if b.name == "x1")
    numbered = x1.points[: len(x1.splits) + 1]
    assert (np.diff(numbered) <= 0).all() and numbered[0] > numbered[-1]
    assert "x3" not in card.features  # no information, dropped by the IV cut


def test_scorecard_default_probability_is_calibrated(data, card):
    _, _, X_test, y_test = data
    assert abs(card.pd(X_test).mean() - y_test.mean()) < 0.02


def test_points_follow_base_odds_and_pdo(data, card):
    """points = 600 + 20 / ln 2 * ln(odds / 50), odds = good:bad from the model's own
    logistic regression on the weight of evidence, up to the rounding of each bin."""
    _, _, X_test, _ = data
    logit_bad = card.intercept + card.woe(X_test) @ card.coefs
    odds_good = np.exp(-logit_bad)
    expected = 600 + 20 / np.log(2) * np.log(odds_good / 50)
    slack = 0.5 * (len(card.features) + 1)
    assert np.abs(card.points(X_test) - expected).max() <= slack
    # two customers whose odds differ by a factor of two are 20 points apart
    doubled = 600 + 20 / np.log(2) * np.log(2 * odds_good / 50)
    assert np.allclose(doubled - expected, 20)


def test_points_table_adds_up_to_the_points(data, card):
    _, _, X_test, _ = data
    table = card.points_table()
    assert table[0]["feature"] == "_base"
    row = X_test.iloc[[0]]
    total = table[0]["points"]
    for b in card.bins:
        i = int(b.index(row[b.name])[0])
        match = [r for r in table if r["feature"] == b.name and r["bin"] == b.labels[i]]
        total += match[0]["points"]
    assert total == card.points(row)[0]
    assert {"feature", "bin", "points", "woe", "count", "event_rate"} <= set(table[1])


def test_sql_export_equals_points(data, card):
    _, _, X_test, _ = data
    frame = X_test.copy()
    x1 = next(b for b in card.bins if b.name == "x1")
    frame.iloc[:3, 0] = x1.splits[:3]  # values exactly on the cut points
    frame["customer_no"] = [f"C{i}" for i in range(len(frame))]
    con = duckdb.connect()
    con.register("features", frame)
    found = con.execute(card.to_sql("features") + " ORDER BY customer_no").df()
    expected = pd.Series(card.points(frame), index=frame["customer_no"]).sort_index()
    assert found["points"].tolist() == expected.tolist()
    assert frame["x2"].isna().any()


def test_sql_export_of_a_categorical_feature():
    rng = np.random.default_rng(3)
    n = 3000
    X = pd.DataFrame({"town": rng.choice(["东村", "西村", "南村", "O'Brien"], n)})
    y = (rng.random(n) < np.where(X["town"] == "东村", 0.4, 0.1)).astype(int)
    card = ml.train_scorecard(X, y)
    X.loc[:9, "town"] = None
    X.loc[10:19, "town"] = "北村"  # not seen in training: points of the missing bin
    con = duckdb.connect()
    con.register("t", X)
    found = con.execute(card.to_sql("t", key=None)).df()["points"].to_numpy()
    assert found.tolist() == card.points(X).tolist()
    assert card.points(X.iloc[[0]])[0] == card.points(X.iloc[[10]])[0]


def test_scorecard_round_trip(data, card):
    _, _, X_test, _ = data
    loaded = ml.Scorecard.from_bytes(card.to_bytes())
    assert np.array_equal(loaded.points(X_test), card.points(X_test))
    assert np.array_equal(loaded.pd(X_test), card.pd(X_test))
    assert loaded.to_sql() == card.to_sql()


def test_reason_gaps_are_points_short_of_the_best_bin(data, card):
    _, _, X_test, _ = data
    gaps = card.reason_gaps(X_test)
    best = sum(b.points.max() for b in card.bins) + card.base
    assert (gaps.to_numpy() >= 0).all()
    assert np.array_equal(best - gaps.sum(axis=1).to_numpy(), card.points(X_test))


def test_reasons_name_what_drives_each_score(data, propensity, card):
    _, _, X_test, _ = data
    likely_risky = pd.DataFrame({"x1": [2.5], "x2": [1.0], "x3": [0.0]})
    unlikely_safe = pd.DataFrame({"x1": [-2.5], "x2": [-2.0], "x3": [0.0]})
    found = ml.reasons(propensity, card, pd.concat([likely_risky, unlikely_safe]), top=3)
    first = found[0]
    propensity_reasons = [r for r in first if r["model"] == "propensity"]
    assert propensity_reasons[0]["feature"] == "x1"
    assert [r["effect"] for r in propensity_reasons] == sorted(
        (r["effect"] for r in propensity_reasons), reverse=True
    )
    assert all(r["effect"] > 0 for r in propensity_reasons)
    card_reasons = [r for r in first if r["model"] == "scorecard"]
    assert card_reasons[0]["feature"] == "x1" and card_reasons[0]["effect"] < 0
    assert isinstance(card_reasons[0]["effect"], int)
    assert all(isinstance(r["text"], str) and r["text"] for r in first)
    # the safe customer sits in x1's best bin: no scorecard reason about x1
    assert "x1" not in [r["feature"] for r in found[1] if r["model"] == "scorecard"]
    assert len(ml.reasons(propensity, card, X_test, top=2)) == len(X_test)


def test_a_few_points_short_is_no_reason_to_tell(data, propensity, card, monkeypatch):
    _, _, X_test, _ = data
    assert ml.MIN_POINTS_GAP == 5
    monkeypatch.setattr(ml, "MIN_POINTS_GAP", 30)  # this data's gaps: 12, 20, 32, 41, 96, ...
    gaps = card.reason_gaps(X_test).to_numpy(dtype=float)
    assert ((gaps > 0) & (gaps < 30)).any() and (gaps >= 30).any()
    told = [r for row in ml.reasons(propensity, card, X_test, top=3) for r in row]
    card_effects = [r["effect"] for r in told if r["model"] == "scorecard"]
    assert card_effects and all(effect <= -30 for effect in card_effects)
    expected = int((gaps >= 30).sum())  # each row's features with 30+ points lost (top 3 of 2)
    assert len(card_effects) == expected


def test_grades_are_reexported_for_the_services():
    cuts = ml.GradeCuts(high_propensity=0.3, mid_propensity=0.1, good_points=620, low_points=560)
    assert ml.grades([0.5, 0.5], [700, 500], cuts).tolist() == ["A", "D"]
