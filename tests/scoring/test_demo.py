"""The demo's synthetic bank: imported, trained, approved by 风险合规, scored — once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.management import call_command

from xindai.scoring.demo import month_end_before
from xindai.scoring.models import CustomerScore, ModelStatus, ScoreRun, ScoringModel, StockCustomer

pytestmark = pytest.mark.django_db


def test_the_month_end_before_a_day() -> None:
    assert month_end_before(dt.date(2026, 11, 29)) == dt.date(2026, 10, 31)
    assert month_end_before(dt.date(2026, 3, 1)) == dt.date(2026, 2, 28)
    assert month_end_before(dt.date(2024, 3, 31)) == dt.date(2024, 2, 29)


def test_the_demo_seed_scores_a_synthetic_bank_once(stock_dir: Path, model_dir: Path) -> None:
    call_command("seed", "--demo")

    customers = StockCustomer.objects.all()
    assert customers.exists() and not customers.filter(synthetic=False).exists()
    # The households sit under the demo outlets only (villages belong to one outlet each).
    assert set(customers.values_list("org_unit__code", flat=True)) <= {
        "O0101",
        "O0102",
        "O0201",
        "O0202",
        "O0301",
        "O0302",
    }
    models = ScoringModel.objects.all()
    assert sorted(models.values_list("kind", "status")) == [
        ("propensity", ModelStatus.APPROVED),
        ("scorecard", ModelStatus.APPROVED),
    ]
    assert {m.trained_by.username for m in models} == {"admin"}
    assert {m.decided_by.username for m in models} == {"risk"}
    run = ScoreRun.objects.get()
    scores = CustomerScore.objects.filter(run=run)
    opted_out = customers.filter(opted_out_at__isnull=False).count()
    assert scores.count() == run.customers_scored == customers.count() - opted_out
    assert sum(run.grade_counts.values()) == run.customers_scored
    assert not scores.filter(customer__opted_out_at__isnull=False).exists()
    assert all(score.reasons for score in scores[:50])

    call_command("seed", "--demo")  # again: nothing new
    assert ScoreRun.objects.count() == 1
    assert ScoringModel.objects.count() == 2
    assert StockCustomer.objects.count() == customers.count()
