"""In a real browser: the teller deposits cash through the confirmation dialog (on a phone,
390 px), then the accountant looks at the trial balance and the reconciliation. Screenshots
for docs/guide/18-总账与存款.md; the console stays clean."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.customers.ids import resident_id
from tests.e2e.conftest import PHONE, ConsoleLog
from tests.e2e.test_shell import sign_in, site  # noqa: F401  (the live server fixture)
from tests.permissions import grant
from xindai.customers.models import Customer
from xindai.deposits import services
from xindai.org.models import OrgUnit, User
from xindai.org.roles import Role

pytestmark = pytest.mark.e2e


@pytest.fixture
def teller(tree: dict[str, OrgUnit], make_user: Callable[..., User]) -> User:
    user = make_user("guimian", tree["B1"], Role.DISBURSEMENT, full_name="柜员甲")
    return grant(
        user, "deposits.view_depositaccount", "deposits.cash_teller", "ledger.view_journalentry"
    )


def test_cash_in_then_the_books(
    site: str,  # noqa: F811
    teller: User,
    manager: User,
    new_context: Callable[..., BrowserContext],
    console: ConsoleLog,
    screenshot: Callable[..., Any],
) -> None:
    customer = Customer.objects.create(
        kind="farmer",
        name="王大山",
        id_type="resident_id",
        id_number=resident_id(born=dt.date(1980, 5, 1), seq=321),
        manager=manager,
        org_unit=manager.org_unit,
    )
    account = services.open_account(customer, dt.date(2026, 11, 27))
    phone = console.watch(new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page())
    sign_in(phone, site, "guimian")
    phone.goto(f"{site}/deposits/{account.pk}/")
    phone.fill("#cash-amount", "5000")
    phone.fill("#cash-memo", "卖粮款")
    phone.get_by_role("button", name="存入", exact=True).click()
    dialog = phone.locator("#confirm-cash-in")
    expect(dialog).to_be_visible()
    screenshot(phone, "18-cash-confirm-phone.png", full_page=False)
    phone.locator("#cash-in-confirm").click()
    expect(phone.locator("#deposit-balance")).to_contain_text("5,000.00")
    expect(phone.locator("#deposit-movements")).to_contain_text("卖粮款")
    screenshot(phone, "18-deposit-account-phone.png")

    desktop = console.watch(new_context().new_page())
    sign_in(desktop, site, "guimian")
    desktop.goto(f"{site}/deposits/")
    expect(desktop.locator("#deposit-accounts")).to_contain_text("6230 ****")
    screenshot(desktop, "18-deposit-accounts.png")
    desktop.goto(f"{site}/ledger/")
    expect(desktop.locator("#tb-balanced")).to_be_visible()
    expect(desktop.locator("#tb-on_balance")).to_contain_text("5000.00")
    screenshot(desktop, "18-trial-balance.png")
    desktop.goto(f"{site}/ledger/reconciliation/")
    expect(desktop.locator("#reconcile-ok")).to_be_visible()
    screenshot(desktop, "18-reconciliation.png")
    assert console.errors == []
