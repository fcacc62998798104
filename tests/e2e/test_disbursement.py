"""放款 in a real browser: the clerk opens the disbursement queue, sees the gate checklist with
a condition not yet met (red), the condition is met, he enters an entrusted payment to the
seller in the purpose evidence, confirms in the dialog, and lands on the new loan's page with
its schedule and chart; the manager opens the loan on his phone. The console stays clean."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from tests.credit.factories import complete_farmer, farmer_product
from tests.customers.factories import make_village
from tests.e2e.conftest import PHONE, ConsoleLog
from tests.e2e.test_shell import sign_in, site  # noqa: F401  (the live server fixture)
from tests.loans.factories_disbursement import ready
from xindai.credit.models import ApprovalCondition, CreditApplication
from xindai.loans.models import Disbursement, LoanAccount
from xindai.org.models import OrgUnit, User
from xindai.org.roles import Role
from xindai.products.models import LprRate

pytestmark = pytest.mark.e2e


@pytest.fixture
def people(tree: dict[str, OrgUnit], make_user: Callable[..., User]) -> dict[str, User]:
    return {
        "sun": make_user("sun", tree["O11"], Role.CO_INVESTIGATOR, full_name="孙协办"),
        "zhou": make_user("zhou", tree["B1"], Role.APPROVER, full_name="周审批"),
        "chen": make_user("chen", tree["B1"], Role.DISBURSEMENT, full_name="陈放款"),
    }


@pytest.fixture
def application(
    site: str,  # noqa: F811  (the business date is set)
    manager: User,
    people: dict[str, User],
) -> CreditApplication:
    LprRate.objects.get_or_create(
        effective_date=dt.date(2025, 5, 20),
        defaults={"one_year": Decimal("0.0300"), "five_year": Decimal("0.0350")},
    )
    farmer_product()
    farmer = complete_farmer(manager, make_village())
    return ready(
        manager, farmer, people["sun"], people["zhou"], conditions=("借款人配偶签署共同还款承诺书",)
    )


def test_a_clerk_disburses_by_entrusted_payment(
    site: str,  # noqa: F811
    application: CreditApplication,
    page: Page,
    console: ConsoleLog,
    new_context: Callable[..., BrowserContext],
    screenshot: Callable[..., Any],
) -> None:
    sign_in(page, site, "chen")
    page.goto(f"{site}/loans/disbursements/")
    row = page.locator("#disbursement-queue tbody tr", has_text=application.number)
    expect(row).to_contain_text("1 项未满足")
    row.get_by_role("link", name="放款").click()
    page.wait_for_url(f"{site}/loans/applications/{application.pk}/disburse/")

    # The checklist: the approval's condition is not met yet, so 放款 is not offered.
    expect(page.locator(".gate-item.gate-fail")).to_have_count(1)
    expect(page.locator(".gate-item[data-key=approval]")).to_contain_text(
        "批复条件未落实：借款人配偶签署共同还款承诺书"
    )
    expect(page.locator("#open-disburse")).to_be_disabled()
    screenshot(page, "disbursement-gate.png")

    ApprovalCondition.objects.update(met_at=timezone.now(), evidence="承诺书已签，存档")
    page.reload()
    expect(page.locator(".gate-item.gate-ok")).to_have_count(5)
    expect(page.locator("#payment-decision")).to_contain_text("可以自主支付")

    # Entrusted payment to the seller named in the purpose evidence: two lines, one removed.
    page.locator("label[for=mode-entrusted]").click()
    first = page.locator(".payment-line").nth(0)
    first.get_by_label("收款方（交易对手）").fill("多福农资有限公司")
    first.get_by_label("收款账号").fill("6217001234567890123")
    first.get_by_label("开户行").fill("多福农商银行营业部")
    first.get_by_label("金额（元）").fill("100000")
    first.get_by_label("用途证明（合同、发票编号）").fill("化肥种子购销合同 NZ-2026-118")
    page.get_by_role("button", name="添加一笔支付").click()
    expect(page.locator(".payment-line")).to_have_count(3)
    page.locator(".payment-line").nth(2).get_by_role("button", name="删除这笔支付").click()
    expect(page.locator(".payment-line")).to_have_count(2)

    page.locator("#open-disburse").click()
    dialog = page.locator("#confirm-disburse")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("100000")
    expect(dialog).to_contain_text("受托支付")
    screenshot(page, "disbursement.png", full_page=False)
    dialog.get_by_role("button", name="确认放款").click()

    loan = LoanAccount.objects.get(application=application)
    page.wait_for_url(f"{site}/loans/accounts/{loan.pk}/")
    expect(page.locator(".alert-success")).to_contain_text(f"已放款，贷款账号 {loan.number}")
    expect(page.locator("#schedule tbody tr")).to_have_count(12)
    expect(page.locator("#schedule tbody tr").first).to_contain_text("8,530.99")
    expect(page.locator("#payments")).to_contain_text("6217 **** 0123")
    expect(page.locator("#schedule-chart canvas")).to_have_count(1)
    page.wait_for_timeout(1200)  # the chart's bars grow in for a second
    screenshot(page, "loan-account.png")
    assert Disbursement.objects.get().payment_mode == "entrusted"
    application.refresh_from_db()
    assert application.stage == "postloan"

    # Back to the form and send it again: the same request, not a second loan.
    page.go_back()
    page.go_back()
    assert LoanAccount.objects.count() == 1

    phone = console.watch(new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page())
    sign_in(phone, site, "zhang")
    phone.goto(f"{site}/loans/accounts/{loan.pk}/")
    expect(phone.locator("#schedule-chart canvas")).to_have_count(1)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    phone.wait_for_timeout(1200)
    screenshot(phone, "loan-account-phone.png", full_page=False)
    assert console.errors == []
