"""柜面还款 in a real browser: the teller finds an overdue loan, sees what it owes today in the
collection order and the payoff amount, takes a partial payment after the confirmation and
prints the receipt; a second teller on a phone asks for its reversal, the branch head approves
it. The console stays clean."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.conftest import PHONE, ConsoleLog
from tests.e2e.test_shell import sign_in, site  # noqa: F401  (the live server fixture)
from tests.permissions import grant
from tests.repayments import factories as f
from tests.repayments.test_repay import buckets, overdue_on_may_20
from xindai.loans.models import LoanAccount
from xindai.org.models import OrgUnit, User
from xindai.org.roles import Role
from xindai.repayments.models import Repayment
from xindai.repayments.services import APPROVE, REQUEST, TAKE, VIEW

pytestmark = pytest.mark.e2e


@pytest.fixture
def people(
    tree: dict[str, OrgUnit], make_user: Callable[..., User], branch_head: User
) -> dict[str, User]:
    chen = make_user("chen", tree["B1"], Role.DISBURSEMENT, full_name="陈柜员")
    wu = make_user("wu", tree["B1"], Role.DISBURSEMENT, full_name="吴柜员")
    return {
        "chen": grant(chen, VIEW, TAKE, REQUEST),
        "wu": grant(wu, VIEW, TAKE, REQUEST),
        "head": grant(branch_head, VIEW, APPROVE),
    }


@pytest.fixture
def loan(site: str, people: dict[str, User]) -> LoanAccount:  # noqa: F811
    made = f.loan(people["chen"])
    overdue_on_may_20(made)
    return made


def test_a_teller_takes_a_partial_payment_and_it_is_reversed(
    site: str,  # noqa: F811
    loan: LoanAccount,
    page: Page,
    console: ConsoleLog,
    new_context: Callable[..., BrowserContext],
    screenshot: Callable[..., Any],
) -> None:
    before = buckets(loan)
    sign_in(page, site, "chen")
    page.goto(f"{site}/repayments/")
    page.fill("#id_q", loan.number)
    page.locator("#loan-search button[type=submit]").click()
    page.locator("#repay-loans tbody tr", has_text=loan.number).get_by_role(
        "link", name="还款"
    ).click()
    page.wait_for_url(f"{site}/repayments/loans/{loan.pk}/")
    # 1,500 + 30 + 27,335 + 825,764 fen due; payoff 75,741.23 (see tests/repayments)
    expect(page.locator("#due-total")).to_contain_text("8,546.29")
    expect(page.locator("#payoff")).to_contain_text("75,741.23")
    expect(page.locator("#due-buckets tr").first).to_contain_text("应收罚息")
    page.fill("#id_amount", "5000.00")
    screenshot(page, "repayments-teller.png")

    page.locator("#open-repay").click()
    expect(page.locator("#confirm-amount")).to_have_text("5000.00")
    expect(page.locator("#confirm-source")).to_have_text("现金")
    screenshot(page, "repayments-confirm.png", full_page=False)
    page.locator("#confirm-repay-button").click()
    page.wait_for_url(f"{site}/repayments/*/")
    made = Repayment.objects.get()
    assert made.kind == "partial"
    expect(page.locator("#receipt-amount")).to_have_text("5,000.00")
    expect(page.locator("#allocation")).to_contain_text("4,711.35")  # to overdue principal
    screenshot(page, "repayments-receipt.png")

    # A second teller, at the counter on a phone, asks for the reversal.
    phone = console.watch(new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page())
    sign_in(phone, site, "wu")
    phone.goto(f"{site}/repayments/loans/{loan.pk}/")
    expect(phone.locator("#loan-repayments")).to_contain_text("部分还款")
    screenshot(phone, "repayments-teller-phone.png")
    phone.goto(f"{site}/repayments/{made.pk}/")
    phone.fill("#id_reason", "金额录错，客户实交 500 元")
    phone.locator("#reversal-form button[type=submit]").click()
    expect(phone.locator("#reversal")).to_contain_text("待审批")
    screenshot(phone, "repayments-reversal-request-phone.png")

    # The branch head approves it.
    head = console.watch(new_context().new_page())
    sign_in(head, site, "head1")
    head.goto(f"{site}/repayments/reversals/")
    expect(head.locator("#reversal-list")).to_contain_text("金额录错")
    screenshot(head, "repayments-reversals.png")
    head.get_by_role("button", name="批准冲正…").click()
    head.locator(".modal.show").get_by_role("button", name="确认冲正").click()
    expect(head.locator(".alert-success")).to_contain_text("已冲正")
    assert buckets(loan) == before
    f.assert_books()
    assert console.errors == []
