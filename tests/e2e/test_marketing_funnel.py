"""营销漏斗与考核 in a real browser: the branch head opens the funnel of 春耕贷 (the built scenario
of tests/marketing/test_funnel_scenario.py), reads the funnel chart and the weekly trend (both
drawn on canvas), the goals' completion, the managers' ranking and the breakdown by village,
and downloads the Excel export; a customer manager reads his own funnel on a phone. The
console stays clean and no page scrolls sideways on the phone."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tests.e2e.conftest import PHONE, ConsoleLog
from tests.e2e.test_shell import sign_in, site  # noqa: F401  (the live server fixture)
from tests.marketing.test_funnel_scenario import Scenario, scenario  # noqa: F401
from xindai.audit.models import AuditEvent

pytestmark = pytest.mark.e2e


def test_funnel_dashboard_export_and_phone(
    site: str,  # noqa: F811
    scenario: Scenario,  # noqa: F811
    page: Page,
    console: ConsoleLog,
    new_context: Callable[..., Any],
    screenshot: Callable[..., Any],
) -> None:
    console.watch(page)
    sign_in(page, site, "head1")
    page.goto(f"{site}/marketing/funnel/")
    expect(page.locator("#funnel-chart canvas")).to_have_count(1)
    expect(page.locator("#trend-chart canvas")).to_have_count(1)
    page.select_option("#id_campaign", str(scenario.spring.pk))
    page.select_option("#id_by", "village")
    page.fill("#id_start", "2026-11-01")
    page.fill("#id_end", "2026-11-29")
    page.locator("#funnel-filters button[type=submit]").click()
    page.wait_for_url("**by=village**")
    expect(page.locator("#funnel-totals [data-stage=target]")).to_have_text("10")
    expect(page.locator("#funnel-totals [data-stage=disbursed]")).to_have_text("1")
    expect(page.locator("#funnel-chart canvas")).to_have_count(1)
    expect(page.locator("#trend-chart canvas")).to_have_count(1)
    expect(page.locator("#funnel-goals tbody tr")).to_have_count(3)
    expect(page.locator("#funnel-table tbody tr")).to_have_count(4)  # 3 villages + total
    expect(page.locator("#funnel-ranking tbody tr").first).to_contain_text("张三")
    page.wait_for_timeout(600)  # the charts' entry animation
    screenshot(page, "marketing-funnel-dashboard.png")

    with page.expect_download() as download:
        page.locator("#funnel-export").click()
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    rows = list(book["营销漏斗"].iter_rows(values_only=True))
    assert rows[-1][:7] == ("合计", 10, 8, 5, 3, 2, 1)
    assert AuditEvent.objects.filter(action="marketing.funnel_exported").count() == 1

    phone = console.watch(new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page())
    sign_in(phone, site, "zhang")
    phone.goto(f"{site}/marketing/funnel/?by=village")
    expect(phone.locator("#funnel-chart canvas")).to_have_count(1)
    expect(phone.locator("#funnel-totals [data-stage=target]")).to_have_text("6")
    expect(phone.locator("#funnel-table tbody tr")).to_have_count(3)  # 东村, 西村 + total
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways on a phone: {width}px"
    phone.wait_for_timeout(600)
    screenshot(phone, "marketing-funnel-phone.png")
    assert console.errors == []
