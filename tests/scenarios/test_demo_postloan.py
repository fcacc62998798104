"""The demo post-loan portfolio: ten loans migrated through the importer with the overdue
positions chosen for the demo, their days past due and class floors as of the business date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from xindai.classification.models import LoanClass
from xindai.collection.models import CollectionCase
from xindai.core import business_date
from xindai.loans.models import LoanAccount, LoanState
from xindai.notices.models import Notice

AS_OF = dt.date(2026, 11, 29)


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.django_db
def test_the_demo_portfolio_has_one_loan_per_overdue_stage(media: Path) -> None:
    business_date.set_date(AS_OF, actor=None, reason="test")
    call_command("seed", "--demo", stdout=None)
    loans = LoanAccount.objects.filter(legacy_number__startswith="DEMO-PL-")
    assert loans.count() == 10
    states = {
        s.loan.legacy_number[-2:]: (s.days_past_due, s.class_floor)
        for s in LoanState.objects.filter(loan__in=loans).select_related("loan")
    }
    # RULES.md: any overdue → 关注; > 90 days → 次级; > 270 → 可疑; > 360 → 损失.
    assert states == {
        "01": (0, "normal"),
        "02": (0, "normal"),
        "03": (0, "normal"),
        "04": (0, "normal"),
        "05": (20, "special_mention"),
        "06": (45, "special_mention"),
        "07": (75, "special_mention"),
        "08": (120, "substandard"),
        "09": (300, "doubtful"),
        "10": (400, "loss"),
    }
    # 08: 按期付息到期还本, 120,000 元 all owed; started 400 days before 2026-11-29.
    eight = loans.get(legacy_number="DEMO-PL-08")
    assert eight.start_date == dt.date(2025, 10, 25)
    assert eight.maturity_date == dt.date(2026, 10, 25)
    assert eight.outstanding_principal == 120_000
    # The post-loan day ran once on the demo's business date: the classes follow the floors;
    # cases for more than 60 days past due or 次级 and worse (07, 08, 09, 10); overdue and
    # collection notices (catching up: the loans came overdue from the old system); the
    # maturity notice of 02 (maturing within 30 days: 2026-12-20, 21 days after 11-29).
    got = dict(
        LoanClass.objects.filter(loan__in=loans).values_list("loan__legacy_number", "category")
    )
    assert got == {
        "DEMO-PL-05": "special_mention",
        "DEMO-PL-06": "special_mention",
        "DEMO-PL-07": "special_mention",
        "DEMO-PL-08": "substandard",
        "DEMO-PL-09": "doubtful",
        "DEMO-PL-10": "loss",
    }
    cased = CollectionCase.objects.filter(loan__in=loans).values_list(
        "loan__legacy_number", flat=True
    )
    assert sorted(cased) == ["DEMO-PL-07", "DEMO-PL-08", "DEMO-PL-09", "DEMO-PL-10"]
    sent = set(Notice.objects.filter(loan__in=loans).values_list("loan__legacy_number", "kind"))
    overdue = {f"DEMO-PL-{n:02d}" for n in range(5, 11)}
    assert {loan for loan, kind in sent if kind == "overdue"} == overdue
    assert {loan for loan, kind in sent if kind == "collection"} == overdue - {"DEMO-PL-05"}
    assert ("DEMO-PL-02", "maturity") in sent
    call_command("seed", "--demo", stdout=None)
    assert LoanAccount.objects.filter(legacy_number__startswith="DEMO-PL-").count() == 10
