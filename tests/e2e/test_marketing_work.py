"""A customer manager's day on a phone: he plans his route by village, logs a visit with SPIN
notes in the quick form, sees it in the day's review; then a customer withdraws the consent to
use his data for marketing and the next contact is refused with the reason."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.conftest import PHONE, ConsoleLog
from tests.e2e.test_shell import sign_in, site  # noqa: F401
from tests.marketing.work_factories import campaign, stock, target
from xindai.credit.models import PolicyVersion
from xindai.credit.policy import Policy
from xindai.marketing.models import Contact, Material
from xindai.org.models import OrgUnit, User
from xindai.products.demo import seed_demo_products

pytestmark = pytest.mark.e2e

YANG = ("110101001002", "杨庄村")


def no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways on a phone: {width}px"


@pytest.fixture
def day_of_work(
    site: str,  # noqa: F811
    tree: dict[str, OrgUnit],
    manager: User,
    branch_head: User,
    risk_officer: User,
) -> dict[str, Any]:
    # The live clock may fall in the quiet hours: this test's policy has none.
    params = dataclasses.replace(Policy(), quiet_hours_start=0, quiet_hours_end=0).to_params()
    number = (
        PolicyVersion.objects.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    PolicyVersion.objects.create(number=number, params=params, reason="e2e：不设免打扰时段")
    seed_demo_products()
    camp = campaign(branch_head, tree["B1"])
    Material.objects.create(
        campaign=camp,
        kind="script",
        title="备耕贷上门话术",
        body="大叔您好，我是信用社的客户经理，今年备耕资金够不够用？年化利率 4.35% 起，按日计息。",
        status="approved",
        submitted_by=branch_head,
        reviewed_by=risk_officer,
    )
    wang = stock(tree["O11"], "C001", "王大山", actor=manager)
    zhou = stock(tree["O11"], "C003", "周三", actor=manager)
    liu = stock(tree["O11"], "C002", "刘二", actor=manager, village=YANG)
    return {
        "wang": target(camp, wang, manager, "A"),
        "zhou": target(camp, zhou, manager, "B"),
        "liu": target(camp, liu, manager, "A"),
    }


def test_a_managers_day_on_a_phone(
    site: str,  # noqa: F811
    day_of_work: dict[str, Any],
    new_context: Callable[..., BrowserContext],
    console: ConsoleLog,
    screenshot: Callable[..., Any],
) -> None:
    page = console.watch(new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page())
    sign_in(page, site, "zhang")

    # Plan: today's route, by village.
    page.goto(f"{site}/marketing/workbench/")
    stops = page.locator(".village-stop")
    expect(stops).to_have_count(2)
    expect(stops.nth(0)).to_contain_text("多福巷村")
    expect(stops.nth(0).locator(".village-count")).to_have_text("2")
    expect(stops.nth(1)).to_contain_text("杨庄村")
    expect(page.locator("#plan-materials")).to_contain_text("备耕贷上门话术")
    no_sideways_scroll(page)
    screenshot(page, "marketing-work-plan.png")

    # Do and record: the quick form with SPIN notes.
    page.locator(f".plan-target[data-target='{day_of_work['wang'].pk}'] .log-contact").click()
    expect(page.locator("#contact-customer")).to_have_text("王大山")
    page.locator("label[for=ch-visit]").click()
    page.locator("label[for=oc-interested]").click()
    page.locator("#spin summary").click()
    expect(page.locator("#id_situation")).to_have_attribute(
        "placeholder",
        re.compile("^了解现状"),
    )
    page.fill("#id_situation", "种水稻 12 亩，家里两个劳力")
    page.fill("#id_problem", "化肥涨价，春耕资金差 5 万")
    page.fill("#id_implication", "钱不到位要少种 4 亩")
    page.fill("#id_need_payoff", "按时备耕可多收 6000 斤稻谷")
    page.fill("#id_needs", "备耕资金 5 万元")
    page.locator("#contact-form input[name=products]").first.check()
    page.fill("#id_amount", "50000")
    page.fill("#id_next_step", "下周带申请资料上门")
    page.locator("label[for=fu-3]").click()  # 下周
    no_sideways_scroll(page)
    screenshot(page, "marketing-work-contact.png")
    page.locator("#contact-save").click()
    expect(page.locator(".alert-success")).to_contain_text("已登记与 王大山 的接触")

    # Review: the day's summary shows the contact with its SPIN notes.
    page.goto(f"{site}/marketing/review/")
    expect(page.locator("#review-contacts")).to_have_text("1")
    expect(page.locator("#review-leads")).to_have_text("1")
    expect(page.locator("#review-contact-list")).to_contain_text("化肥涨价，春耕资金差 5 万")
    no_sideways_scroll(page)
    screenshot(page, "marketing-work-review.png")

    # The customer withdraws the consent to use his data for marketing.
    liu = day_of_work["liu"]
    page.goto(f"{site}/marketing/customers/{liu.customer_id}/consents/")
    page.select_option("#withdraw-purpose", "marketing_data")
    page.fill("#withdraw-evidence", "撤回书 2026-018")
    page.locator("#withdraw-form button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("已记录撤回")
    expect(page.locator("#consent-states tr[data-purpose=marketing_data]")).to_contain_text(
        "已撤回"
    )
    no_sideways_scroll(page)
    screenshot(page, "marketing-work-consents.png")

    # The next contact is refused, with the reason, and nothing is saved.
    page.goto(f"{site}/marketing/contacts/new/?target={liu.pk}")
    page.locator("label[for=ch-phone]").click()
    page.locator("label[for=oc-interested]").click()
    page.locator("#contact-save").click()
    expect(page.locator("#contact-refused")).to_contain_text("个人信息用于营销")
    no_sideways_scroll(page)
    screenshot(page, "marketing-work-refused.png")
    assert not Contact.objects.filter(customer_id=liu.customer_id).exists()
    assert Contact.objects.count() == 1
    assert console.errors == []
