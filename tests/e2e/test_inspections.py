"""贷后检查 in a real browser: the officer opens his queue on a phone (the overdue task in red),
fills the record in the field with a photo from the camera, confirms, and the task is done;
the risk officer reads the compliance dashboard. The console stays clean."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.conftest import PHONE, ConsoleLog
from tests.e2e.test_shell import sign_in, site  # noqa: F401  (the live server fixture)
from tests.postloan.conftest import *  # noqa: F403
from tests.postloan.conftest import PNG
from xindai.customers.models import Document
from xindai.postloan.models import InspectionTask

pytestmark = pytest.mark.e2e


@pytest.fixture
def tasks(site: str, portfolio: dict[str, Any]) -> dict[str, Any]:  # noqa: F811
    """The ``portfolio`` tasks, business date 20 November 2026 (after the site's own date)."""
    return portfolio


def test_an_officer_inspects_from_his_phone(
    site: str,  # noqa: F811
    tasks: dict[str, Any],
    risk_officer: Any,
    console: ConsoleLog,
    new_context: Callable[..., BrowserContext],
    page: Page,
    screenshot: Callable[..., Any],
) -> None:
    phone = console.watch(new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page())
    sign_in(phone, site, "zhang")
    phone.goto(f"{site}/postloan/")
    late = phone.locator(f'[data-task="{tasks["T3"].pk}"]')
    expect(late).to_have_class("list-group-item list-group-item-danger")
    expect(late).to_contain_text("已逾期")
    expect(phone.locator("#late-alert")).to_contain_text("1 项检查已逾期")
    screenshot(phone, "inspection-queue.png")

    late.get_by_role("link").click()
    phone.wait_for_url(f"{site}/postloan/{tasks['T3'].pk}/")
    for choice in ("borrower_ok-yes", "major_changes-no", "archive_updated-yes"):
        phone.locator(f"label[for={choice}]").click()
    phone.locator("label[for=interest_as_contracted-yes]").click()
    phone.locator("#id_photos").set_input_files(
        {"name": "cowshed.png", "mimeType": "image/png", "buffer": PNG}
    )
    phone.locator("label[for=conclusion-attention]").click()
    phone.fill("#id_findings", "牛舍扩建，流动资金偏紧，下月再访")
    screenshot(phone, "inspection-record.png")
    phone.locator("#record-submit").click()
    expect(phone.locator("#confirm-record")).to_be_visible()
    phone.locator("#record-confirm").click()
    phone.wait_for_url(f"{site}/postloan/{tasks['T3'].pk}/")
    expect(phone.locator("#task-status")).to_have_text("已完成")
    expect(phone.locator("#record-conclusion")).to_have_text("关注")
    screenshot(phone, "inspection-done.png")
    done = InspectionTask.objects.get(pk=tasks["T3"].pk)
    assert (done.status, done.late) == ("done", True)  # due 10 Nov, done 20 Nov
    assert Document.objects.filter(doc_type="photo", original_name="cowshed.png").count() == 1

    sign_in(page, site, "risk")
    page.goto(f"{site}/postloan/compliance/")
    expect(page.locator("#officer-rates")).to_contain_text("张三")
    # 张三: T1 on time, T2 and T3 late → 1 of 3; 李四 1 of 1 → 2 of 4 = 50 %
    expect(page.locator("#on-time-rate")).to_have_text("50.0%")
    expect(page.locator("#months-chart canvas")).to_have_count(1)
    screenshot(page, "inspection-compliance.png")
    assert console.errors == []
