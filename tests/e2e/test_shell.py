"""The UI shell in a real browser: sign-in, the workbench in Chinese and English, the phone
layout, a clean console under the Content-Security-Policy, and the htmx staff search."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.conftest import PASSWORD
from tests.e2e.conftest import PHONE, ConsoleLog
from xindai.audit.models import AuditChainHead
from xindai.core import business_date
from xindai.org.models import OrgUnit, User
from xindai.org.roles import Role

pytestmark = pytest.mark.e2e

BUSINESS_DATE = dt.date(2026, 11, 27)


@pytest.fixture
def site(live_server: Any, transactional_db: Any) -> str:
    """The live server's address, with the business date set to 2026-11-27."""
    # A transactional test flushes the tables afterwards, the audit chain head row with them.
    AuditChainHead.objects.get_or_create(pk=1)
    business_date.set_date(BUSINESS_DATE, actor=None, reason="test")
    return live_server.url


def sign_in(page: Page, site: str, username: str) -> None:
    page.goto(f"{site}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("form:has(#id_password) button[type=submit]").click()
    page.wait_for_url(f"{site}/")


def test_login_page_is_chinese_by_default(
    site: str, page: Page, console: ConsoleLog, screenshot: Callable[..., Any]
) -> None:
    # A bank PC's browser (zh-CN, see new_context) with no language chosen yet. Note: Django's
    # LocaleMiddleware honours Accept-Language, so a browser preferring English starts in English.
    page.goto(f"{site}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_role("heading", name="信贷工作台")).to_be_visible()
    expect(page.get_by_label("用户名")).to_be_visible()
    expect(page.get_by_label("密码")).to_be_visible()
    expect(page.get_by_role("button", name="登录")).to_be_visible()
    expect(page.locator("#language-select")).to_have_value("zh-hans")
    screenshot(page, "login-zh.png")
    assert console.errors == []


def test_manager_signs_in_and_sees_the_chinese_workbench_then_switches_to_english(
    site: str,
    manager: User,
    page: Page,
    console: ConsoleLog,
    new_context: Callable[..., BrowserContext],
    screenshot: Callable[..., Any],
) -> None:
    sign_in(page, site, "zhang")

    nav = page.locator("#main-nav")
    expect(nav.get_by_role("link", name="工作台")).to_be_visible()
    expect(nav.get_by_text("客户档案")).to_be_visible()
    expect(nav.get_by_text("信贷流程")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("张三")
    expect(page.get_by_role("heading", level=1)).to_contain_text("您好")
    expect(page.locator("#business-date")).to_be_visible()
    expect(page.locator("#business-date")).to_contain_text("会计日期")
    expect(page.locator("#business-date")).to_contain_text("2026-11-27")
    expect(page.locator("#current-user")).to_contain_text("张三")
    expect(page.get_by_role("button", name="退出")).to_be_visible()
    screenshot(page, "workbench-zh.png")

    # The same session on a phone: the navigation folds behind the toggler.
    phone = console.watch(
        new_context(
            storage_state=page.context.storage_state(),
            viewport=PHONE,
            is_mobile=True,
            has_touch=True,
        ).new_page()
    )
    phone.goto(f"{site}/")
    expect(phone.get_by_role("heading", level=1)).to_contain_text("张三")
    toggler = phone.locator(".navbar-toggler")
    expect(toggler).to_be_visible()
    expect(phone.locator("#main-nav").get_by_role("link", name="工作台")).to_be_hidden()
    screenshot(phone, "workbench-phone.png")
    toggler.click()
    expect(phone.locator("#main-nav").get_by_role("link", name="工作台")).to_be_visible()
    expect(phone.locator("#business-date")).to_be_visible()
    expect(toggler).to_have_attribute("aria-expanded", "true")
    phone.wait_for_timeout(400)  # let the collapse animation finish before the picture
    screenshot(phone, "workbench-phone-menu.png", full_page=False)

    # Switch the desktop page to English through the header's language select.
    page.locator("#language-select").select_option("en")
    page.wait_for_load_state("load")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#main-nav").get_by_role("link", name="Workbench")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.locator("#business-date")).to_contain_text("Business date")
    expect(page.locator("#business-date")).to_contain_text("2026-11-27")
    expect(page.locator("#main-nav")).to_contain_text("Customer archives")
    expect(page.get_by_role("heading", level=1)).to_contain_text("张三")
    screenshot(page, "workbench-en.png")

    assert console.errors == []


def test_branch_head_filters_the_staff_list_with_the_search_box(
    site: str,
    tree: dict[str, OrgUnit],
    make_user: Callable[..., User],
    manager: User,
    colleague: User,
    branch_head: User,
    page: Page,
    console: ConsoleLog,
    screenshot: Callable[..., Any],
) -> None:
    make_user("qian", tree["O12"], Role.REVIEWER, full_name="钱五")
    sign_in(page, site, "head1")
    page.goto(f"{site}/org/staff/")

    rows = page.locator("#staff-rows")
    expect(rows).to_contain_text("张三")
    expect(rows).to_contain_text("钱五")
    expect(rows).to_contain_text("赵行长")
    expect(rows).not_to_contain_text("李四")  # another branch: outside the data scope
    screenshot(page, "staff-list.png")

    page.evaluate("window.__sameDocument = true")
    search = page.get_by_placeholder("姓名、用户名或工号")
    search.press_sequentially("张三", delay=50)
    expect(rows).not_to_contain_text("钱五")
    expect(rows).not_to_contain_text("赵行长")
    expect(rows.locator("tbody tr")).to_have_count(1)
    expect(rows).to_contain_text("张三")
    expect(page).to_have_url(re.compile(r"/org/staff/\?.*q=%E5%BC%A0%E4%B8%89"))  # hx-push-url
    # htmx swapped the rows in place: the page was not reloaded.
    assert page.evaluate("window.__sameDocument") is True
    screenshot(page, "staff-search.png")

    search.fill("")
    expect(rows).to_contain_text("钱五")
    assert console.errors == []


def test_risk_officer_sees_the_audit_log_chart_and_verifies_the_chain(
    site: str,
    risk_officer: User,
    manager: User,
    page: Page,
    console: ConsoleLog,
    new_context: Callable[..., BrowserContext],
    screenshot: Callable[..., Any],
) -> None:
    sign_in(console.watch(new_context().new_page()), site, "zhang")  # someone else's event
    sign_in(page, site, "risk")

    nav = page.locator("#main-nav")
    nav.get_by_role("button", name="系统管理").click()
    nav.get_by_role("link", name="审计日志").click()
    page.wait_for_url(f"{site}/audit/")

    expect(page.get_by_role("heading", name="审计日志")).to_be_visible()
    table = page.locator("table")
    expect(table).to_contain_text("auth.login")
    expect(table).to_contain_text("zhang")
    expect(table).to_contain_text("core.business_date.set")
    expect(page.locator(".chart canvas")).to_have_count(1)  # ECharts drew the per-day bars
    screenshot(page, "audit-log.png")

    page.get_by_label("操作或原因").fill("business_date")
    page.get_by_role("button", name="筛选").click()
    expect(table).to_contain_text("core.business_date.set")
    expect(table).not_to_contain_text("auth.login")

    page.get_by_role("link", name="校验审计链").click()
    expect(page.locator("#verify-result")).to_contain_text("审计链完好")
    screenshot(page, "audit-verify.png")
    assert console.errors == []


def test_sign_out_ends_the_session(site: str, manager: User, page: Page) -> None:
    sign_in(page, site, "zhang")
    page.get_by_role("button", name="退出").click()
    page.wait_for_url(f"{site}/accounts/login/", timeout=3_000)
    page.goto(f"{site}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
