"""The read-only page of the end-of-day runs (``loans:eod_runs`` once the integrator includes
``loans.urls_eod``; here under a test URL)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.urls import path

from tests.credit.factories import set_today
from tests.loans.factories_eod import loan
from xindai import urls as project
from xindai.loans import eod
from xindai.loans.models import EodRun
from xindai.loans.views_eod import eod_runs

urlpatterns = [path("eod-runs/", eod_runs, name="eod_runs_test"), *project.urlpatterns]
handler404 = project.handler404
handler403 = project.handler403

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.loans.test_eod_page")]


def test_the_history_lists_each_run_with_counts_and_amounts(
    farmer: Any, manager: Any, login: Callable[..., Any]
) -> None:
    set_today(dt.date(2026, 12, 4))
    loan(
        farmer,
        principal=Decimal(10_000),
        rate=Decimal("0.06"),
        months=12,
        method="equal_installment",
        start=dt.date(2026, 11, 5),
        into_account=False,
    )
    eod.run_until(dt.date(2026, 12, 5))
    EodRun.objects.create(
        business_date=dt.date(2026, 12, 6),
        status="failed",
        step="accrue",
        cursor=7,
        error="OperationalError: boom",
    )
    page = login(manager).get("/eod-runs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<tr>") == 4  # header + 3 runs
    assert "2026-12-05" in html and "2026-12-04" in html
    assert "已完成" in html and "失败" in html
    assert "停在：计提（贷款 ID 7）" in html
    assert "OperationalError: boom" in html
    assert "50.00" in html  # 12-04 accrued the whole first row: 5,000 fen
    assert "810.66" in html  # 12-05 moved the first row's principal overdue


def test_the_history_needs_a_login(client: Any) -> None:
    assert client.get("/eod-runs/").status_code == 302


def test_an_empty_history_says_so(manager: Any, login: Callable[..., Any]) -> None:
    page = login(manager).get("/eod-runs/")
    assert "还没有运行过日终" in page.content.decode()
