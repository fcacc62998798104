"""不良清收 in a real browser: the 6,000.00 元 loan of the write-off scenario (never paid,
overdue since 2026-12-04) is 271 days past due on 2027-09-01 — 可疑 — and its case is assigned
to the branch's collection officer. On a phone he logs a visit where the borrower pays 500.00 元
and acknowledges the debt, then asks for a write-off; 风险合规 approves it after the
confirmation. The case stays in the list as 已核销 (账销案存)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.credit.conftest import farmer, today, village  # noqa: F401
from tests.e2e.conftest import PHONE, ConsoleLog
from tests.e2e.test_shell import sign_in, site  # noqa: F401  (the live server fixture)
from xindai.collection.models import CaseStatus, CollectionCase, LimitationParty
from xindai.loans import eod
from xindai.org.models import OrgUnit, User
from xindai.org.roles import Role

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def only_collection_day(monkeypatch: pytest.MonkeyPatch) -> None:
    from xindai.postloan import jobs

    monkeypatch.setattr(jobs, "JOBS", ("xindai.collection.daily",))


def test_an_officer_logs_a_visit_and_risk_writes_the_loan_off(
    site: str,  # noqa: F811
    migration_data: None,
    farmer: Any,  # noqa: F811
    tree: dict[str, OrgUnit],
    make_user: Callable[..., User],
    risk_officer: User,
    page: Page,
    console: ConsoleLog,
    new_context: Callable[..., BrowserContext],
    screenshot: Callable[..., Any],
) -> None:
    from tests.collection.test_writeoff import small

    make_user("qian", tree["B1"], Role.COLLECTION, full_name="钱清收")
    account = small(farmer)
    eod.run_until(__import__("datetime").date(2027, 8, 31))
    case = CollectionCase.objects.get(loan=account)
    assert case.officer is not None and case.officer.username == "qian"

    phone = console.watch(new_context(viewport=PHONE).new_page())
    sign_in(phone, site, "qian")
    phone.goto(f"{site}/collection/mine/")
    phone.locator("#case-list a", has_text=account.number).click()
    phone.wait_for_url(f"{site}/collection/cases/{case.pk}/")
    phone.select_option("#kind", "visit")
    phone.fill("#outcome", "上门见到借款人，现场还款 500 元，承认欠款")
    phone.check("#acknowledged")
    phone.fill("#amount", "500.00")
    phone.fill("#next_step", "一个月后再访")
    screenshot(phone, "collection-case-phone.png")
    phone.locator("#action-form button[type=submit]").click()
    phone.wait_for_url(f"{site}/collection/cases/{case.pk}/")
    expect(phone.locator("#recovered")).to_contain_text("500.00")
    expect(phone.locator("#actions")).to_contain_text("确认债务")
    debtor = LimitationParty.objects.get(loan=account, role="debtor")
    assert str(debtor.last_interruption) == "2027-09-01"
    phone.fill("#w-reason", "借款人丧失劳动能力，无其他财产")
    phone.fill("#w-evidence", "法院终结本次执行程序裁定书")
    phone.locator("#writeoff-form button[type=submit]").click()
    expect(phone.locator(".alert").first).to_contain_text("核销申请")

    sign_in(page, site, "risk")
    page.goto(f"{site}/collection/approvals/")
    page.get_by_role("button", name="批准核销…").click()
    expect(page.locator(".modal.show")).to_contain_text("账销案存")
    screenshot(page, "collection-writeoff-confirm.png", full_page=False)
    page.locator(".modal.show").get_by_role("button", name="确认核销").click()
    page.wait_for_url(f"{site}/collection/approvals/")
    expect(page.locator(".alert").first).to_contain_text("已核销")
    case.refresh_from_db()
    account.refresh_from_db()
    assert case.status == CaseStatus.WRITTEN_OFF and account.status == "written_off"

    page.goto(f"{site}/collection/?status=written_off")
    expect(page.locator("#case-list")).to_contain_text(account.number)
    screenshot(page, "collection-list.png")
    page.goto(f"{site}/collection/dashboard/")
    expect(page.locator("#open-cases")).to_have_text("0")
    page.wait_for_timeout(500)
    screenshot(page, "collection-dashboard.png")
    page.goto(f"{site}/collection/cases/{case.pk}/")
    expect(page.locator("#case-status")).to_have_text("已核销")
    screenshot(page, "collection-case.png")
    assert console.errors == []
