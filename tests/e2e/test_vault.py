"""Registration and the vault in a real browser: the manager registers the mortgage and the
pledge of an approved case, the vault keeper receives both on his phone, the off-balance list
shows them; the admin uploads an old system's loans and sees the row-by-row errors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.credit.factories import complete_farmer, farmer_product
from tests.customers.factories import make_village
from tests.e2e.conftest import PHONE, ConsoleLog
from tests.e2e.test_shell import sign_in, site  # noqa: F401  (the live server fixture)
from tests.loans.factories_import import csv_bytes, loan_row
from tests.vault.factories import approved_case
from xindai.credit.models import CreditApplication
from xindai.org.models import OrgUnit, User
from xindai.org.roles import Role
from xindai.products.models import LprRate
from xindai.vault.models import Registration, VaultItem

pytestmark = pytest.mark.e2e


@pytest.fixture
def case(
    site: str,  # noqa: F811
    tree: dict[str, OrgUnit],
    manager: User,
    make_user: Callable[..., User],
) -> CreditApplication:
    LprRate.objects.get_or_create(
        effective_date=dt.date(2025, 5, 20),
        defaults={"one_year": Decimal("0.0300"), "five_year": Decimal("0.0350")},
    )
    farmer_product()
    farmer = complete_farmer(manager, make_village())
    helper = make_user("sun", tree["O11"], Role.CO_INVESTIGATOR, full_name="孙协办")
    approver = make_user("zhou", tree["B1"], Role.APPROVER, full_name="周审批")
    return approved_case(manager, farmer, helper, approver)


def register(page: Page, collateral_pk: int, registry: str, number: str, amount: str) -> None:
    box = page.locator(f"#collateral-{collateral_pk}")
    box.locator("summary").click()
    prefix = f"#id_register-{collateral_pk}"
    page.fill(f"{prefix}-registry", registry)
    page.fill(f"{prefix}-registered_on", "2026-11-26")
    page.fill(f"{prefix}-certificate_no", number)
    page.fill(f"{prefix}-secured_amount", amount)
    box.get_by_role("button", name="登记").click()
    page.locator(f"#confirm-register-{collateral_pk}").get_by_role(
        "button", name="确认登记"
    ).click()


def test_register_receive_and_list_off_balance(
    site: str,  # noqa: F811
    case: CreditApplication,
    page: Page,
    new_context: Callable[..., BrowserContext],
    console: ConsoleLog,
    tree: dict[str, OrgUnit],
    make_user: Callable[..., User],
    screenshot: Callable[..., Any],
) -> None:
    house, deposit = case.collateral.get(kind="mortgage"), case.collateral.get(kind="pledge")
    sign_in(page, site, "zhang")
    page.goto(f"{site}/vault/applications/{case.pk}/")
    register(
        page, house.pk, "多福县不动产登记中心", "苏(2026)多福县不动产证明第0000123号", "100000"
    )
    expect(page.locator(".alert-success")).to_contain_text("已登记")
    register(page, deposit.pk, "本行多福支行", "存单 NO.0098765", "50000")
    expect(page.locator(f"#collateral-{deposit.pk} .registration")).to_contain_text(
        "存单 NO.0098765"
    )
    assert Registration.objects.count() == 2
    screenshot(page, "registration.png")

    make_user("kuan", tree["B1"], Role.DISBURSEMENT, full_name="关库管")
    phone = console.watch(new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page())
    sign_in(phone, site, "kuan")
    phone.goto(f"{site}/vault/applications/{case.pk}/")
    for registration in Registration.objects.order_by("pk"):
        form = phone.locator(f"#receive-form-{registration.pk}")
        form.get_by_role("button", name="入库").tap()
        phone.locator(f"#confirm-receive-{registration.pk}").get_by_role(
            "button", name="确认入库"
        ).tap()
        expect(phone.locator(".alert-success")).to_contain_text("已入库")
    assert sorted(VaultItem.objects.values_list("number", flat=True)) == [
        "KF2026000001",
        "KF2026000002",
    ]
    phone.goto(f"{site}/vault/")
    expect(phone.locator(".vault-table")).to_contain_text("KF2026000002")
    screenshot(phone, "vault.png")

    page.goto(f"{site}/vault/off-balance/")
    expect(page.locator("#off-balance-totals")).to_contain_text("15")
    expect(page.locator(".off-balance-table")).to_contain_text("100,000.00")
    screenshot(page, "off-balance.png")
    assert console.errors == []


def test_the_loan_import_page_lists_the_errors(
    site: str,  # noqa: F811
    case: CreditApplication,
    page: Page,
    console: ConsoleLog,
    make_user: Callable[..., User],
    tree: dict[str, OrgUnit],
    tmp_path: Any,
    screenshot: Callable[..., Any],
) -> None:
    make_user("sysadmin", tree["HQ"], Role.ADMIN, full_name="系统管理员")
    id_number = case.customer.id_number
    rows = [
        loan_row(id_number),
        loan_row(id_number, 原借据号="JJ2025000002", 年利率="4.35"),
        loan_row("110101199003078515", 原借据号="JJ2025000003", 到期日="2026-03-16"),
    ]
    path = tmp_path / "旧系统贷款.csv"
    path.write_bytes(csv_bytes(rows, encoding="gbk"))
    sign_in(page, site, "sysadmin")
    page.goto(f"{site}/loans/imports/")
    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="检查并导入").click()
    errors = page.locator("#import-errors")
    expect(errors).to_contain_text("发现 3 处错误，未导入任何数据")
    expect(errors).to_contain_text("110101********8515")
    expect(page.locator("#imported-count")).to_have_text("0")
    screenshot(page, "loan-import.png")
    assert console.errors == []
