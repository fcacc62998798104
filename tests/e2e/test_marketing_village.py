"""整村授信 in a real browser (issue 11 point 7): the branch head imports a village roster (good
rows rated, bad rows listed with reasons), reads the roster with its rating chart, publishes the
list and prints the public notice; the customer manager records a household's acceptance on his
phone; after the publicity period the branch head converts the accepted households into credit
applications and reads the summary. The console stays clean; no phone page scrolls sideways."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.credit.factories import TODAY
from tests.e2e.conftest import PHONE, ConsoleLog
from tests.e2e.test_shell import sign_in, site  # noqa: F401  (the live server fixture)
from tests.marketing.test_village_services import (
    BAD_ROWS,
    GOOD_ROWS,
    VILLAGE,
    make_setting,
    roster_csv,
)
from xindai.core import business_date
from xindai.credit.models import CreditApplication
from xindai.org.models import OrgUnit, User

pytestmark = pytest.mark.e2e


def no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways on a phone: {width}px"


def test_branch_head_runs_a_whole_village_credit(
    site: str,  # noqa: F811
    tree: dict[str, OrgUnit],
    manager: User,
    branch_head: User,
    tmp_path: Path,
    page: Page,
    console: ConsoleLog,
    new_context: Callable[..., Any],
    screenshot: Callable[..., Any],
) -> None:
    make_setting(tree, branch_head)
    roster_file = tmp_path / "多福巷村花名册.csv"
    roster_file.write_bytes(roster_csv(GOOD_ROWS + BAD_ROWS))

    page.set_default_timeout(30_000)  # a loaded CI machine: the first pages can be slow
    sign_in(page, site, "head1")
    page.goto(f"{site}/marketing/village/")
    page.locator("#importable-campaigns a").first.click()
    page.fill("#id_village_code", VILLAGE[0])
    page.fill("#id_village_name", VILLAGE[1])
    page.set_input_files("#id_file", str(roster_file))
    page.locator("#import-form button[type=submit]").click()
    expect(page.locator("#row-errors tbody tr")).to_have_count(4)
    expect(page.locator("#row-errors")).to_contain_text("与第 2 行身份证号重复")
    screenshot(page, "marketing-village-import.png")

    page.locator("#import-result a").click()
    expect(page.locator("[data-total=households]")).to_have_text("4")
    expect(page.locator("[data-total=limit]")).to_have_text("37.9")
    expect(page.locator("#rating-chart canvas")).to_have_count(1)
    expect(page.locator("tr[data-household=王大山] [data-rating]")).to_have_text("优秀信用户")
    screenshot(page, "marketing-village-roster.png")

    page.locator("#publish-open").click()
    expect(page.locator("#publish-modal")).to_be_visible()
    page.locator("#publish-confirm").click()
    expect(page.locator("#roster-status")).to_have_text("公示中")
    expect(page.locator("#publish-period")).to_have_text("2026-11-27 – 2026-12-03")
    page.locator("#public-link").click()
    expect(page.locator("#public-rows tbody tr")).to_have_count(3)
    expect(page.locator("#public-list")).not_to_contain_text("13900001111")
    screenshot(page, "marketing-village-public.png")

    phone = console.watch(new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page())
    phone.set_default_timeout(30_000)
    sign_in(phone, site, "zhang")
    phone.goto(f"{site}/marketing/village/")
    phone.locator("#roster-list a").first.click()
    row = phone.locator("tr[data-household=王大山]")
    row.locator("select[name=decision]").select_option("accepted")
    row.locator("button[type=submit]").click()
    expect(phone.locator("tr[data-household=王大山] [data-decision]")).to_have_text("接受授信")
    no_sideways_scroll(phone)
    screenshot(phone, "marketing-village-decision-phone.png")

    business_date.set_date(TODAY + dt.timedelta(days=7), actor=None, reason="test")
    page.goto(page.url.replace("public/", ""))
    page.locator("#convert-open").click()
    expect(page.locator("#convert-modal")).to_be_visible()
    page.locator("#convert-confirm").click()
    expect(page.locator("[data-count=created]")).to_have_text("1")
    expect(page.locator("#skip-reasons")).to_contain_text("农户尚未确认")
    screenshot(page, "marketing-village-converted.png")
    assert CreditApplication.objects.get().amount == 160_000
    assert console.errors == []
