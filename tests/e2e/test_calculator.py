"""贷款试算 in a real browser: a manager works out 100,000 yuan at 4.35% over 12 months in equal
installments, sees the schedule, the chart and the annualised rate, on the desk and on his
phone; choosing a product fills in its rate. The console stays clean under the CSP."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.conftest import PHONE, ConsoleLog
from tests.e2e.test_shell import BUSINESS_DATE, sign_in, site  # noqa: F401  (the live server)
from xindai.loans.schedule import build
from xindai.loans.terms import parse_terms, schedule_json
from xindai.org.models import User
from xindai.products.demo import seed_demo_products
from xindai.products.models import LprRate

pytestmark = pytest.mark.e2e


def expected_schedule(start: dt.date) -> dict[str, Any]:
    """What ``xindai schedule`` and the API answer for the loan the manager types."""
    loan = {"principal": "100000", "annual_rate": "0.0435", "periods": "12"}
    loan |= {"method": "equal_installment", "start": start.isoformat()}
    return schedule_json(build(parse_terms(loan)))


def test_a_manager_works_out_a_loan_with_a_customer(
    site: str,  # noqa: F811
    manager: User,
    page: Page,
    console: ConsoleLog,
    new_context: Callable[..., BrowserContext],
    screenshot: Callable[..., Any],
) -> None:
    # Earlier browser tests flush the tables, the published LPR quotations with them.
    LprRate.objects.get_or_create(
        effective_date=dt.date(2025, 5, 20),
        defaults={"one_year": Decimal("0.0300"), "five_year": Decimal("0.0350")},
    )
    seed_demo_products()
    expected = expected_schedule(BUSINESS_DATE)  # the start defaults to the business date
    sign_in(page, site, "zhang")

    nav = page.locator("#main-nav")
    nav.get_by_role("button", name="信贷流程").or_(nav.get_by_text("信贷流程")).first.click()
    nav.get_by_role("link", name="贷款试算").click()
    page.wait_for_url(f"{site}/loans/calculator/")
    expect(page.get_by_role("heading", level=1)).to_have_text("贷款试算")

    # A product fills in its terms: 个体工商户经营贷 is 1Y LPR 3.00% + 250bp.
    page.get_by_label("贷款产品").select_option(label="个体工商户经营贷")
    expect(page.get_by_label("年利率（%）")).to_have_value("5.5")
    page.get_by_label("贷款产品").select_option("")

    page.get_by_label("贷款金额（元）").fill("100,000")
    page.get_by_label("年利率（%）").fill("4.35")
    page.get_by_label("期数").fill("12")
    page.get_by_label("还款方式").select_option(label="等额本息")
    page.get_by_role("button", name="试算").click()

    table = page.locator("#schedule")
    expect(table.locator("tbody tr")).to_have_count(12)
    first = expected["rows"][0]
    expect(table.locator("tbody tr").first).to_contain_text(f"{Decimal(first['payment']):,.2f}")
    totals = expected["totals"]
    rate = Decimal(totals["annualised_rate"]) * 100
    expect(page.locator("#annualised-rate")).to_have_text(f"{rate:.2f}%")
    expect(page.get_by_text("年化利率").first).to_be_visible()
    expect(page.locator("#total-interest")).to_contain_text(f"{Decimal(totals['interest']):,.2f}")
    expect(page.locator(".chart-schedule canvas")).to_be_visible()
    expect(page.locator("#comparison tbody tr")).to_have_count(4)
    page.evaluate("window.scrollTo(0, 0)")  # the sticky navbar at the top of the picture
    screenshot(page, "calculator.png")

    phone = console.watch(
        new_context(
            storage_state=page.context.storage_state(),
            viewport=PHONE,
            is_mobile=True,
            has_touch=True,
        ).new_page()
    )
    phone.goto(page.url)
    expect(phone.locator("#annualised-rate")).to_have_text(f"{rate:.2f}%")
    expect(phone.locator(".chart-schedule canvas")).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways on a phone: {width}px"
    phone.evaluate("window.scrollTo(0, 0)")
    screenshot(phone, "calculator-phone.png")

    # The catalogue, filtered to farmers' products, and a product's page.
    page.goto(f"{site}/products/")
    page.get_by_label("适用客户").select_option(label="农户")
    expect(page.locator("#product-rows tbody tr")).to_have_count(4)
    screenshot(page, "products.png")
    page.get_by_role("link", name="整村授信贷").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("整村授信贷")
    screenshot(page, "product-detail.png")
    assert console.errors == []
