"""合同 in a real browser: the manager generates every contract the approval needs and checks
it on his desk; signs face to face on his phone (390×844) with a colleague as second witness;
the 放款/会计 clerk, who was not there, verifies the signing. The console stays clean."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.credit.factories import approved, complete_farmer, farmer_product, ready_to_submit
from tests.customers.factories import make_village
from tests.e2e.conftest import PHONE, ConsoleLog
from tests.e2e.test_shell import sign_in, site  # noqa: F401  (the live server fixture)
from xindai.contracts import template_services
from xindai.contracts.models import Contract, ContractStatus
from xindai.credit.models import CreditApplication
from xindai.org.models import OrgUnit, User
from xindai.org.roles import Role
from xindai.products.models import LprRate

pytestmark = pytest.mark.e2e


@pytest.fixture
def case(
    manager: User, tree: dict[str, OrgUnit], make_user: Callable[..., User], transactional_db: Any
) -> CreditApplication:
    # Earlier browser tests flush the tables: the LPR and the shipped templates with them.
    LprRate.objects.get_or_create(
        effective_date=dt.date(2025, 5, 20),
        defaults={"one_year": Decimal("0.0300"), "five_year": Decimal("0.0350")},
    )
    template_services.seed()
    farmer_product()
    farmer = complete_farmer(manager, make_village())
    helper = make_user("sun", tree["O11"], Role.CO_INVESTIGATOR, full_name="孙协办")
    approver = make_user("zhou", tree["B1"], Role.APPROVER, full_name="周审批")
    application = ready_to_submit(manager, farmer, helper)
    approved(application, approver)
    return application


def accept_dialogs(page: Page) -> Page:
    page.on("dialog", lambda dialog: dialog.accept())
    return page


def test_generate_check_sign_on_a_phone_and_verify(
    site: str,  # noqa: F811
    manager: User,
    case: CreditApplication,
    tree: dict[str, OrgUnit],
    make_user: Callable[..., User],
    page: Page,
    console: ConsoleLog,
    new_context: Callable[..., BrowserContext],
    screenshot: Callable[..., Any],
) -> None:
    clerk = make_user("wu", tree["O11"], Role.DISBURSEMENT, full_name="吴会计")
    accept_dialogs(page)
    sign_in(page, site, "zhang")
    page.goto(f"{site}/contracts/applications/{case.pk}/")
    expect(page.locator("#needed-contracts")).to_contain_text("未生成")
    page.locator("#generate-all").click()
    expect(page.locator(".alert-success")).to_contain_text("JK2026000001")
    expect(page.locator("#needed-contracts")).to_contain_text("已生成")
    screenshot(page, "contracts.png")

    page.get_by_role("link", name="JK2026000001").first.click()
    page.locator("#check-contract").click()
    expect(page.locator(".alert-success")).to_contain_text("核对通过")
    expect(page.locator("#contract-terms")).to_contain_text("人民币壹拾万元整")

    # 面签 at the farmer's house, on the phone.
    phone = console.watch(new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page())
    accept_dialogs(phone)
    sign_in(phone, site, "zhang")
    contract = Contract.objects.get()
    phone.goto(f"{site}/contracts/{contract.pk}/sign/")
    phone.get_by_label("签约地点").fill("多福巷村3组12号借款人家中")
    phone.get_by_label("见证人二").select_option(label="孙协办")
    phone.get_by_label("签字人身份证号码").fill(case.customer.id_number)
    phone.get_by_label("已当场核验签字人身份证件原件").check()
    phone.evaluate("window.scrollTo(0, 0)")
    screenshot(phone, "contract-sign-phone.png", full_page=False)
    phone.locator("#sign-submit").tap()
    expect(phone.locator(".alert-success")).to_contain_text("面签已登记")
    contract.refresh_from_db()
    assert contract.status == ContractStatus.SIGNED

    # 签约复核 by the clerk, who was not there.
    desk = accept_dialogs(console.watch(new_context().new_page()))
    sign_in(desk, site, clerk.username)
    desk.goto(f"{site}/contracts/{contract.pk}/")
    desk.get_by_label("复核意见").fill("签字、身份证件与合同一致")
    desk.get_by_role("button", name="复核通过").click()
    expect(desk.locator(".alert-success")).to_contain_text("签约复核通过")
    expect(desk.locator("#signings")).to_contain_text("复核通过")
    screenshot(desk, "contract-detail.png")
    contract.refresh_from_db()
    assert contract.status == ContractStatus.VERIFIED
    assert console.errors == []


def test_the_template_versions_page(
    site: str,  # noqa: F811
    risk_officer: User,
    page: Page,
    console: ConsoleLog,
    screenshot: Callable[..., Any],
) -> None:
    template_services.seed()
    sign_in(page, site, risk_officer.username)
    page.goto(f"{site}/contracts/templates/")
    expect(page.locator(".template-version")).to_have_count(5)
    expect(page.locator("#template-versions")).to_contain_text("最高额抵押合同 V1")
    screenshot(page, "contract-templates.png")
    assert console.errors == []
