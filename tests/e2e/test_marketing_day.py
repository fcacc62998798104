"""A customer manager's marketing day on a phone (issue 11): 张三 signs in, opens his workbench
and sees today's route grouped by village, logs a visit with SPIN notes in the quick form,
shows the customer why he was chosen, turns the lead into a credit application and reads the
day's review; then the branch head opens the funnel dashboard and its charts draw. The console
stays clean and no phone page scrolls sideways.

The bank: 900 synthetic households under O11 / O12 / O21 (seed 7), imported, trained, approved
and scored as of 2026-10-31; a 整村授信 campaign of 一支行 for O11's largest village (farmers
graded A or B) with its list built and assigned to 张三; every customer signed the marketing
authorisation at account opening."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.db.models import Count
from playwright.sync_api import Page, expect

from tests.e2e.conftest import PHONE, ConsoleLog
from tests.e2e.test_shell import sign_in, site  # noqa: F401  (the live server fixture)
from xindai.core import business_date
from xindai.marketing import campaigns
from xindai.marketing.demo import ensure_village_areas, grant_opening_consents
from xindai.marketing.models import Campaign, Contact, Lead, LeadStatus, Target
from xindai.org.models import OrgUnit, User
from xindai.org.roles import Role
from xindai.products.demo import seed_demo_products
from xindai.products.models import LoanProduct
from xindai.scoring import importer, services, synth
from xindai.scoring.models import StockCustomer

pytestmark = pytest.mark.e2e

SCORE_DAY = dt.date(2026, 10, 31)
DAY = dt.date(2026, 11, 30)
MORNING = dt.datetime(2026, 11, 30, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


def no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways on a phone: {width}px"


@pytest.fixture
def campaign(
    site: str,  # noqa: F811
    settings: Any,
    tmp_path: Path,
    tree: dict[str, OrgUnit],
    make_user: Callable[..., User],
    manager: User,
    branch_head: User,
    risk_officer: User,
) -> Iterator[Campaign]:
    settings.STOCK_DIR = tmp_path / "stock"
    settings.MODEL_DIR = tmp_path / "models"
    with time_machine.travel(MORNING, tick=True):
        business_date.set_date(DAY, actor=None, reason="test")
        seed_demo_products()
        admin = make_user("sysadmin", tree["HQ"], Role.ADMIN, full_name="系统管理员")
        tables = synth.generate(900, seed=7, as_of=SCORE_DAY, org_codes=["O11", "O12", "O21"])
        for name, path in synth.write(tables, tmp_path / "files").items():
            importer.import_file(Path(str(path)), name, user=admin)
        for model in services.train_models(SCORE_DAY, user=admin):
            services.approve_model(model, user=risk_officer, note="同意")
        services.run_scoring(SCORE_DAY, user=admin)
        farmers = StockCustomer.objects.filter(org_unit__code="O11", kind="farmer")
        biggest = (
            farmers.exclude(village_code="")
            .values("village_code", "village_name")
            .annotate(n=Count("pk"))
            .order_by("-n")[0]
        )
        code, name = biggest["village_code"], biggest["village_name"]
        ensure_village_areas([code])
        grant_opening_consents(StockCustomer.objects.all(), admin)
        found = campaigns.create_campaign(
            branch_head,
            {
                "name": f"{name}整村授信",
                "scenario": "whole_village",
                "org_unit": tree["B1"].pk,
                "rules": {"kinds": ["farmer"], "village_codes": [code], "grades": ["A", "B"]},
                "products": [LoanProduct.objects.get(code="ZCSX").pk],
                "starts_on": DAY,
                "ends_on": DAY + dt.timedelta(days=60),
                "goal_contacts": 100,
                "goal_applications": 30,
                "goal_amount_wan": "300",
            },
        )
        campaigns.activate(branch_head, found)
        campaigns.build_targets(found, branch_head)
        campaigns.assign_targets(found, branch_head)
        yield found


def test_a_managers_day_on_a_phone_then_the_funnel(
    site: str,  # noqa: F811
    campaign: Campaign,
    new_context: Callable[..., Any],
    console: ConsoleLog,
    screenshot: Callable[..., Any],
) -> None:
    phone = console.watch(new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page())
    sign_in(phone, site, "zhang")

    # Plan: today's route, grouped by village.
    phone.goto(f"{site}/marketing/workbench/")
    village = campaign.rules["village_codes"][0]
    stop = phone.locator(f".village-stop[data-village='{village}']")
    expect(stop).to_be_visible()
    listed = Target.objects.filter(campaign=campaign, manager__username="zhang").count()
    expect(stop.locator(".village-count")).to_have_text(str(listed))
    row = stop.locator(".plan-target").first
    first = Target.objects.select_related("customer").get(pk=row.get_attribute("data-target"))
    expect(row).to_contain_text(first.customer.name)
    no_sideways_scroll(phone)
    screenshot(phone, "marketing-day-workbench.png", full_page=False)

    # Why chosen: what he may tell the customer.
    row.get_by_role("link", name="为什么选中").click()
    expect(phone.locator("#why-reasons li").first).to_be_visible()
    no_sideways_scroll(phone)
    screenshot(phone, "marketing-day-why.png")

    # Do and record: the quick contact form with SPIN notes.
    phone.goto(f"{site}/marketing/workbench/")
    phone.locator(f".plan-target[data-target='{first.pk}'] .log-contact").click()
    expect(phone.locator("#contact-customer")).to_have_text(first.customer.name)
    phone.locator("label[for=ch-visit]").click()
    phone.locator("label[for=oc-interested]").click()
    phone.locator("#spin summary").click()
    phone.fill("#id_situation", "种植大棚蔬菜 12 亩，两个劳动力")
    phone.fill("#id_problem", "开春扩建 4 亩大棚，钢架棚膜要先垫钱")
    phone.fill("#id_implication", "赶不上春茬，一季少收 3 万元")
    phone.fill("#id_need_payoff", "有授信额度随用随贷，按天计息")
    phone.fill("#id_needs", "扩建大棚资金 5 万元")
    product = LoanProduct.objects.get(code="ZCSX")
    phone.locator(f"#pr-{product.pk}").check()
    phone.fill("#id_amount", "50000")
    phone.fill("#id_next_step", "带齐材料办理申请")
    no_sideways_scroll(phone)
    phone.locator("#spin summary").scroll_into_view_if_needed()
    phone.evaluate("window.scrollBy(0, -70)")  # below the sticky top bar
    screenshot(phone, "marketing-day-contact.png", full_page=False)
    phone.locator("#contact-save").click()
    expect(phone.locator(".alert-success")).to_contain_text(first.customer.name)
    lead = Lead.objects.get(target=first)
    assert (lead.status, lead.amount_fen, lead.product) == (LeadStatus.OPEN, 5_000_000, product)
    contact = Contact.objects.get(target=first)
    assert (contact.channel, contact.outcome) == ("visit", "interested")
    assert contact.problem == "开春扩建 4 亩大棚，钢架棚膜要先垫钱"

    # The lead becomes a credit application, after a confirmation.
    phone.goto(f"{site}/marketing/leads/{lead.pk}/")
    phone.select_option("#id_product", str(product.pk))
    phone.fill("#id_amount", "50000")
    phone.fill("#id_term_months", "12")
    phone.select_option("#id_purpose", "farmer")
    phone.select_option("#id_repayment_method", "interest_only")
    phone.fill("#id_purpose_text", "扩建蔬菜大棚")
    phone.get_by_role("button", name="转为申请…").click()
    expect(phone.locator("#convert-confirm")).to_be_visible()
    screenshot(phone, "marketing-day-lead.png", full_page=False)
    phone.locator("#convert-submit").click()
    expect(phone.locator("#lead-status")).to_have_text("已转申请")
    lead.refresh_from_db()
    assert lead.application is not None and lead.application.source == "marketing"
    expect(phone.locator("#lead-application")).to_contain_text(lead.application.number or "")

    # Review: the day's contacts and the application.
    phone.goto(f"{site}/marketing/review/")
    expect(phone.locator("#review-contacts")).to_have_text("1")
    expect(phone.locator("#review-leads")).to_have_text("1")
    no_sideways_scroll(phone)
    screenshot(phone, "marketing-day-review.png")

    # The branch head's funnel dashboard: one target reached, interested and applied.
    desk = console.watch(new_context().new_page())
    sign_in(desk, site, "head1")
    desk.goto(f"{site}/marketing/funnel/?campaign={campaign.pk}")
    expect(desk.locator("#funnel-chart canvas")).to_have_count(1)
    expect(desk.locator("#trend-chart canvas")).to_have_count(1)
    expect(desk.locator("#funnel-table")).to_contain_text(campaign.name)
    screenshot(desk, "marketing-day-funnel.png")
    assert console.errors == []
