"""Issue 9's acceptance scenario in the browser: after moving the business date through the
end-of-day from 2026-11-02 to 2027-03-03 (see ``tests/scenarios/test_postloan_day.py`` for the
dates worked by hand), every post-loan page shows what the post-loan day made — the triggered
inspection, the collection notices, the 次级 class and the downgrade warning, the collection
case — and the three dashboards draw their charts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.credit.conftest import farmer, today, village  # noqa: F401
from tests.e2e.conftest import ConsoleLog
from tests.e2e.test_shell import sign_in, site  # noqa: F401  (the live server fixture)
from tests.notices.scenario import D, overdue_loan, until
from xindai.collection.models import CollectionCase
from xindai.org.models import OrgUnit, User
from xindai.org.roles import Role

pytestmark = pytest.mark.e2e


def test_the_post_loan_pages_show_what_the_business_dates_made(
    site: str,  # noqa: F811
    migration_data: None,
    farmer: Any,  # noqa: F811
    tree: dict[str, OrgUnit],
    make_user: Callable[..., User],
    risk_officer: User,
    page: Page,
    console: ConsoleLog,
    screenshot: Callable[..., Any],
) -> None:
    make_user("huang", tree["B1"], Role.COLLECTION, full_name="黄清收")
    account = overdue_loan(farmer, guarantors=1)
    until(D(2027, 3, 2))  # business date 2027-03-03: 91 days past due → 次级
    case = CollectionCase.objects.get(loan=account)
    console.watch(page)

    sign_in(page, site, farmer.manager.username)
    page.goto(f"{site}/postloan/")
    expect(page.locator("body")).to_contain_text(account.number)
    expect(page.locator("body")).to_contain_text("触发检查")
    page.goto(f"{site}/notices/?loan={account.pk}")
    expect(page.locator("body")).to_contain_text("催收通知书")
    expect(page.locator("body")).to_contain_text("逾期通知书")
    page.context.clear_cookies()

    sign_in(page, site, "huang")
    page.goto(f"{site}/collection/mine/")
    expect(page.locator("body")).to_contain_text(account.number)
    page.goto(f"{site}/collection/cases/{case.pk}/")
    expect(page.locator("body")).to_contain_text("2027-02-01")
    page.context.clear_cookies()

    sign_in(page, site, "risk")
    page.goto(f"{site}/warnings/")
    expect(page.locator("body")).to_contain_text("五级分类下调")
    page.goto(f"{site}/classification/?category=substandard")
    expect(page.locator("body")).to_contain_text(account.number)
    for path in ("/classification/quality/", "/postloan/compliance/", "/collection/dashboard/"):
        page.goto(f"{site}{path}")
        expect(page.locator("canvas").first).to_be_visible()
    page.goto(f"{site}/classification/quality/")
    screenshot(page, "postloan-day-quality.png")
    assert console.errors == []
