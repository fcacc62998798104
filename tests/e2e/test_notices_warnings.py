"""Notices and warnings in a real browser: a customer manager on his phone delivers a
催收通知书 at the borrower's door and uploads the signed receipt; at his desk he takes a
high-severity warning in hand, records what he did and closes it with the resolution; a risk
officer enters a collateral revaluation. The console stays clean."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.credit.factories import complete_farmer, png, set_today, submitted
from tests.customers.factories import make_village
from tests.e2e.conftest import PHONE, ConsoleLog
from tests.e2e.test_shell import sign_in, site  # noqa: F401  (the live server fixture)
from tests.notices.scenario import overdue_loan, overdue_state
from xindai.collection.models import Interruption
from xindai.credit.models import ApplicationCollateral
from xindai.earlywarning import services as warnings
from xindai.earlywarning.models import Warning
from xindai.notices import daily
from xindai.notices.models import Notice

pytestmark = pytest.mark.e2e
TODAY = dt.date(2027, 1, 2)


@pytest.fixture
def scenario(site: str, manager: Any, migration_data: None) -> dict[str, Any]:  # noqa: F811
    """王大山's loan 31 days past due on 2027-01-02 with two guarantors: three 催收通知书
    (and the 逾期通知书 caught up);
    an overdue and a downgrade warning; a collateral of 500,000.00 元 on the application."""
    farmer = complete_farmer(manager, make_village())
    account = overdue_loan(farmer, guarantors=2)
    overdue_state(account, TODAY, 31)
    daily.run(TODAY)
    set_today(TODAY)
    warnings.raise_signal(
        account,
        TODAY,
        kind="overdue",
        detail="贷款自 2026-12-02 起逾期，逾期本息 1,036.00 元",
        source="overdue:2026-12-02",
    )
    high = warnings.raise_signal(
        account,
        TODAY,
        kind="downgrade",
        detail="五级分类由“正常”下调为“关注”：逾期 31 天",
        source="class:2027-01-02",
    )
    application = account.application or submitted(farmer.manager, farmer)
    ApplicationCollateral.objects.create(
        application=application,
        kind="mortgage",
        description="临街商铺（多福巷 8 号）",
        owner_name="王大山",
        estimated_value=Decimal(500_000),
    )
    borrower_notice = Notice.objects.get(loan=account, recipient_role="borrower", kind="collection")
    return {"loan": account, "notice": borrower_notice, "high": high}


def test_deliver_a_notice_on_a_phone_and_handle_a_warning(
    site: str,  # noqa: F811
    scenario: dict[str, Any],
    page: Page,
    console: ConsoleLog,
    new_context: Callable[..., BrowserContext],
    screenshot: Callable[..., Any],
    make_user: Callable[..., Any],
    tree: Any,
    tmp_path: Any,
) -> None:
    notice = scenario["notice"]
    sign_in(page, site, "zhang")
    page.goto(f"{site}/notices/?kind=collection")
    expect(page.locator("#notice-table tbody tr")).to_have_count(3)
    expect(page.locator("#notice-table")).to_contain_text("139****0000")
    screenshot(page, "notice-list.png")

    phone = console.watch(new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page())
    sign_in(phone, site, "zhang")
    phone.goto(f"{site}/notices/{notice.pk}/")
    expect(phone.locator("#notice-total")).to_contain_text("1,036.00")
    phone.select_option("#id_method", "in_person")
    phone.fill("#id_received_by", "王大山")
    screenshot(phone, "notice-deliver-phone.png")
    phone.locator("#deliver-form button[type=submit]").click()
    expect(phone.locator(".alert-success")).to_contain_text("已登记送达")
    expect(phone.locator("#delivery-list")).to_contain_text("面送签收")
    scan = tmp_path / "回执.png"
    scan.write_bytes(png())
    phone.set_input_files("#id_file", str(scan))
    phone.fill("#id_signed_on", "2027-01-02")
    screenshot(phone, "notice-receipt-phone.png")
    phone.locator("#receipt-form button[type=submit]").click()
    expect(phone.locator("#receipt-box")).to_contain_text("诉讼时效已中断")
    screenshot(phone, "notice-receipted-phone.png")
    assert Interruption.objects.filter(party__customer=notice.recipient).count() == 1

    high = scenario["high"]
    page.goto(f"{site}/warnings/")
    expect(page.locator("#severity-counts [data-severity=high]")).to_have_text("1")
    expect(page.locator("#warning-list li").first).to_contain_text("五级分类下调")
    screenshot(page, "warning-list.png")
    page.goto(f"{site}/warnings/{high.pk}/")
    page.locator("#take-form button[type=submit]").click()
    expect(page.locator("#warning-status")).to_have_text("处理中")
    page.fill("#note-form textarea", "已上门核实：借款人养殖场受疫情影响停产两个月")
    page.locator("#note-form button[type=submit]").click()
    expect(page.locator("#note-list")).to_contain_text("停产两个月")
    page.get_by_role("button", name="关闭预警…").click()
    page.fill("#id_resolution", "已制定还款计划，借款人承诺 1 月底前归还逾期本息")
    screenshot(page, "warning-close.png", full_page=False)
    page.locator("#close-form button[type=submit]").click()
    expect(page.locator("#warning-status")).to_have_text("已关闭")
    expect(page.locator("#warning-resolution")).to_contain_text("已制定还款计划")
    screenshot(page, "warning-detail.png")
    assert Warning.objects.get(pk=high.pk).status == "closed"

    from xindai.org.roles import Role

    make_user("risk2", tree["HQ"], Role.RISK, full_name="周合规")
    risk = console.watch(new_context().new_page())
    sign_in(risk, site, "risk2")
    risk.goto(f"{site}/warnings/loans/{scenario['loan'].pk}/revaluation/")
    risk.fill("#id_value", "390000")
    risk.fill("#id_appraiser", "县恒信房地产评估公司")
    screenshot(risk, "warning-revaluation.png")
    risk.locator("#revaluation-form button[type=submit]").click()
    expect(risk.locator("h1")).to_contain_text("押品价值下降")
    assert console.errors == []
