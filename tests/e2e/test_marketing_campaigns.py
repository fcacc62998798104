"""Campaigns in a real browser (issue 11): the branch head (赵行长) starts a 整村授信 campaign
for one village through the form, builds its target list after a confirmation and reads why
each customer was chosen; he submits a leaflet; 风险合规 (周合规) opens it, sees the automatic
check passed and approves it; a customer manager reads the list on a phone. The console stays
clean and no phone page scrolls sideways.

The bank: 900 synthetic households under O11 / O12 / O21 (seed 7), imported, trained, approved
and scored as of 2026-10-31."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db.models import Count
from playwright.sync_api import Page, expect

from tests.e2e.conftest import PHONE, ConsoleLog
from tests.e2e.test_shell import sign_in, site  # noqa: F401  (the live server fixture)
from xindai.marketing.models import Campaign, Material, ReviewStatus
from xindai.org.models import OrgUnit, User
from xindai.org.roles import Role
from xindai.scoring import importer, services, synth
from xindai.scoring.models import CustomerScore, StockCustomer

pytestmark = pytest.mark.e2e

SCORE_DAY = dt.date(2026, 10, 31)
LEAFLET = (
    "整村授信，信用户凭评定结果申请贷款：额度最高30万元，年化利率4.35%，按季付息，"
    "随借随还；不收取手续费。具体额度以本行审批结果为准。"
)


@pytest.fixture
def bank(
    site: str,  # noqa: F811
    settings: Any,
    tmp_path: Path,
    tree: dict[str, OrgUnit],
    make_user: Callable[..., User],
    manager: User,
    branch_head: User,
    risk_officer: User,
) -> dict[str, Any]:
    settings.STOCK_DIR = tmp_path / "stock"
    settings.MODEL_DIR = tmp_path / "models"
    admin = make_user("sysadmin", tree["HQ"], Role.ADMIN, full_name="系统管理员")
    tables = synth.generate(900, seed=7, as_of=SCORE_DAY, org_codes=["O11", "O12", "O21"])
    for name, path in synth.write(tables, tmp_path / "files").items():
        importer.import_file(Path(str(path)), name, user=admin)
    for model in services.train_models(SCORE_DAY, user=admin):
        services.approve_model(model, user=risk_officer, note="同意")
    services.run_scoring(SCORE_DAY)
    biggest = (
        StockCustomer.objects.filter(org_unit=tree["O11"])
        .exclude(village_code="")
        .values("village_code", "village_name")
        .annotate(n=Count("pk"))
        .order_by("-n", "village_code")
        .first()
    )
    assert biggest is not None
    return {"code": biggest["village_code"], "name": biggest["village_name"]}


def no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways on a phone: {width}px"


def test_a_village_campaign_its_list_and_a_reviewed_leaflet(
    site: str,  # noqa: F811
    bank: dict[str, Any],
    page: Page,
    console: ConsoleLog,
    new_context: Callable[..., Any],
    screenshot: Callable[..., Any],
) -> None:
    code, village = bank["code"], bank["name"]
    expected = CustomerScore.objects.filter(
        customer__village_code=code, customer__kind="farmer", grade__in=["A", "B", "C"]
    ).count()
    assert expected > 0

    # 1. The branch head fills in the campaign form.
    sign_in(page, site, "head1")
    page.goto(f"{site}/marketing/campaigns/")
    page.click("#new-campaign")
    page.fill("#id_name", f"{village}整村授信")
    page.select_option("#id_scenario", "whole_village")
    for grade in ("A", "B", "C"):
        page.check(f"#g-{grade}")
    page.check("#k-farmer")
    page.select_option("#id_village_codes", [code])
    page.fill("#id_goal_contacts", "100")
    page.fill("#id_goal_applications", "30")
    page.fill("#id_goal_amount_wan", "300")
    page.fill("#id_description", "入户走访、信用户评定、预授信公示")
    screenshot(page, "marketing-campaigns-form.png")
    page.locator("#campaign-form button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text(f"{village}整村授信")
    expect(page.locator("#rules")).to_contain_text(f"所在村：{village}")
    campaign = Campaign.objects.get(name=f"{village}整村授信")
    assert campaign.rules["village_codes"] == [code]

    # 2. Build the list, after the confirmation.
    page.click("#btn-build")
    expect(page.locator("#confirm-build")).to_be_visible()
    page.click("#confirm-build-ok")
    expect(page.locator("#build-result")).to_contain_text(f"新增 {expected} 户")
    expect(page.locator("#target-total")).to_have_text(str(expected))
    page.click("#btn-assign")
    page.click("#confirm-assign-ok")
    expect(page.locator(".alert-success")).to_contain_text("已分派")
    screenshot(page, "marketing-campaigns-detail.png")
    page.click("#open-targets")
    expect(page.locator("#target-list")).to_contain_text(f"所在村：{village}")
    screenshot(page, "marketing-campaigns-targets.png")

    # 3. He submits the leaflet for review.
    page.goto(f"{site}/marketing/materials/?campaign={campaign.pk}")
    page.select_option("#id_kind", "leaflet")
    page.fill("#id_title", f"{village}整村授信宣传单")
    page.fill("#id_annual_rate_pct", "4.35")
    page.fill("#id_body", LEAFLET)
    page.locator("#material-form button[type=submit]").click()
    expect(page.locator("#findings-none")).to_be_visible()
    material = Material.objects.get(campaign=campaign)

    # 4. 风险合规 approves it.
    risk = console.watch(new_context().new_page())
    sign_in(risk, site, "risk")
    risk.goto(f"{site}/marketing/materials/")
    expect(risk.locator("#material-list")).to_contain_text(f"{village}整村授信宣传单")
    risk.goto(f"{site}/marketing/materials/{material.pk}/")
    risk.fill("#id_note", "已列明年化利率，无承诺审批、无隐性收费，同意使用")
    screenshot(risk, "marketing-campaigns-review.png")
    risk.click("#approve")
    expect(risk.locator(".alert-success")).to_contain_text("审查通过")
    material.refresh_from_db()
    assert material.status == ReviewStatus.APPROVED

    # 5. 张三 reads his part of the list on a phone.
    phone = console.watch(new_context(viewport=PHONE).new_page())
    sign_in(phone, site, "zhang")
    phone.goto(f"{site}/marketing/campaigns/{campaign.pk}/targets/")
    expect(phone.locator("#target-list tbody tr").first).to_be_visible()
    no_sideways_scroll(phone)
    screenshot(phone, "marketing-campaigns-targets-phone.png")
    assert console.errors == []
