"""存量客户评分 in a real browser. A small synthetic bank is imported and both models trained by
the system administrator; 风险合规 opens each model (metrics, gains chart), approves it after a
confirmation; the scores of a date are run; the grade distribution draws its stacked bars; a
customer manager opens a customer's score card on a phone and reads why he was chosen. The
console stays clean and no page scrolls sideways on the phone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import PHONE, ConsoleLog
from tests.e2e.test_shell import sign_in, site  # noqa: F401  (the live server fixture)
from xindai.org.models import OrgUnit, User
from xindai.org.roles import Role
from xindai.scoring import importer, services, synth
from xindai.scoring.models import ModelKind, ModelStatus, ScoringModel, StockCustomer

pytestmark = pytest.mark.e2e

# The synthetic bank's history ends on 2026-10-31 and its loans of the year after are the
# outcomes the models learn from; its customers are scored on the same day.
TRAIN_DAY = SCORE_DAY = dt.date(2026, 10, 31)


@pytest.fixture
def bank(
    site: str,  # noqa: F811
    settings: Any,
    tmp_path: Path,
    tree: dict[str, OrgUnit],
    make_user: Callable[..., User],
    manager: User,
    risk_officer: User,
) -> dict[str, Any]:
    """About 600 synthetic customers under 一支行营业部, 一支行分理处 and 二支行营业部, imported
    and trained (two models pending approval)."""
    settings.STOCK_DIR = tmp_path / "stock"
    settings.MODEL_DIR = tmp_path / "models"
    admin = make_user("sysadmin", tree["HQ"], Role.ADMIN, full_name="系统管理员")
    tables = synth.generate(900, seed=7, org_codes=["O11", "O12", "O21"])
    for name, path in synth.write(tables, tmp_path / "files").items():
        importer.import_file(Path(str(path)), name, user=admin)
    propensity, scorecard = services.train_models(TRAIN_DAY, user=admin)
    return {"admin": admin, "propensity": propensity, "scorecard": scorecard}


def no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways on a phone: {width}px"


def test_approve_models_grades_and_a_score_card_on_a_phone(
    site: str,  # noqa: F811
    bank: dict[str, Any],
    page: Page,
    console: ConsoleLog,
    new_context: Callable[..., Any],
    screenshot: Callable[..., Any],
) -> None:
    sign_in(page, site, "sysadmin")
    page.goto(f"{site}/scoring/imports/")
    expect(page.locator("#batch-list tbody tr")).to_have_count(5)
    screenshot(page, "scoring-imports.png")

    risk = console.watch(new_context().new_page())
    risk.on("dialog", lambda dialog: dialog.accept())  # the confirmations
    sign_in(risk, site, "risk")
    risk.goto(f"{site}/scoring/models/")
    expect(risk.locator("#pending-count")).to_contain_text("2")
    screenshot(risk, "scoring-models.png")
    for kind in (ModelKind.PROPENSITY, ModelKind.SCORECARD):
        model = bank[str(kind)]
        risk.goto(f"{site}/scoring/models/{model.pk}/")
        expect(risk.locator("#gains-chart canvas")).to_have_count(1)
        expect(risk.locator("#model-metrics [data-metric=auc]")).not_to_have_text("—")
        risk.fill("#id_note", "区分能力达标，特征无歧视性变量，同意上线")
        if kind == ModelKind.PROPENSITY:
            screenshot(risk, "scoring-model.png")
        risk.locator("#approve-model").click()
        expect(risk.locator(".model-status").first).to_have_text("已批准")
        expect(risk.locator("#decided-by")).to_contain_text("周合规")
    assert set(ScoringModel.objects.values_list("status", flat=True)) == {ModelStatus.APPROVED}

    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{site}/scoring/runs/")
    page.fill("#id_as_of", SCORE_DAY.isoformat())
    page.locator("#run-submit").click()
    expect(page.locator(".alert-success")).to_contain_text("已完成 2026-10-31 的批量评分")
    expect(page.locator("#run-list tbody tr")).to_have_count(1)
    screenshot(page, "scoring-runs.png")
    risk.goto(f"{site}/scoring/grades/")
    expect(risk.locator("#chart-branch canvas")).to_have_count(1)
    expect(risk.locator("#chart-village canvas")).to_have_count(1)
    expect(risk.locator("#table-branch tbody tr")).to_have_count(2)  # 一支行, 二支行
    screenshot(risk, "scoring-grades.png")

    phone = console.watch(new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page())
    sign_in(phone, site, "zhang")
    phone.goto(f"{site}/scoring/?grade=A")
    rows = phone.locator("#customer-list tbody tr")
    expect(rows.first).to_be_visible()
    numbers = rows.locator(".customer-no").all_inner_texts()
    shown = StockCustomer.objects.filter(customer_no__in=numbers)
    assert set(shown.values_list("org_unit__code", flat=True)) == {"O11"}  # his outlet only
    no_sideways_scroll(phone)
    screenshot(phone, "scoring-customers-phone.png")
    rows.first.locator("a").click()
    expect(phone.locator("#reasons")).to_contain_text("为什么选中该客户")
    expect(phone.locator("#reason-list li").first).to_be_visible()
    expect(phone.locator("#grade-label")).to_contain_text("A")
    no_sideways_scroll(phone)
    screenshot(phone, "scoring-card-phone.png")
    assert console.errors == []
