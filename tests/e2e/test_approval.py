"""审查 → 审贷小组 → 审批 in a real browser: the reviewer answers the checklist and passes the
review, a committee member holds the meeting (five votes, closes it), the approver sees his
authority and approves with the terms; the approval page also on a phone. Console clean."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.credit.approval_factories import at_review, members
from tests.credit.factories import complete_farmer, farmer_product
from tests.customers.factories import make_village
from tests.e2e.conftest import PHONE, ConsoleLog
from tests.e2e.test_shell import sign_in, site  # noqa: F401  (the live server fixture)
from xindai.credit import review
from xindai.credit.models import CreditApplication
from xindai.credit.models_approval import ApprovedTerms, AuthorityRule
from xindai.org.models import OrgUnit, User
from xindai.org.roles import Role
from xindai.products.models import LprRate

pytestmark = pytest.mark.e2e


@pytest.fixture
def application(
    manager: User, tree: dict[str, OrgUnit], make_user: Callable[..., User], transactional_db: Any
) -> CreditApplication:
    # Earlier browser tests flush the tables: the LPR quotations and the seeded matrix too.
    LprRate.objects.get_or_create(
        effective_date=dt.date(2025, 5, 20),
        defaults={"one_year": Decimal("0.0300"), "five_year": Decimal("0.0350")},
    )
    AuthorityRule.objects.get_or_create(
        unit_kind="branch", guarantee_method="", defaults={"max_amount": Decimal(1_000_000)}
    )
    AuthorityRule.objects.get_or_create(
        unit_kind="branch", guarantee_method="credit", defaults={"max_amount": Decimal(300_000)}
    )
    farmer_product()
    helper = make_user("sun", tree["O11"], Role.CO_INVESTIGATOR, full_name="孙协办")
    return at_review(manager, complete_farmer(manager, make_village()), helper)


def watched(new_context: Callable[..., BrowserContext], console: ConsoleLog, **kw: Any) -> Page:
    page = console.watch(new_context(**kw).new_page())
    page.on("dialog", lambda dialog: dialog.accept())  # the confirmations
    return page


def test_review_committee_and_approval(
    site: str,  # noqa: F811
    application: CreditApplication,
    tree: dict[str, OrgUnit],
    make_user: Callable[..., User],
    console: ConsoleLog,
    new_context: Callable[..., BrowserContext],
    screenshot: Callable[..., Any],
) -> None:
    make_user("qian", tree["B1"], Role.REVIEWER, full_name="钱审查")
    make_user("zhou", tree["B1"], Role.APPROVER, full_name="周审批")
    people = members(make_user, tree["B1"], 5)
    base = f"{site}/credit/applications/{application.pk}"

    # 审查: the queue, the checklist item by item, the opinion, 审查通过.
    page = watched(new_context, console)
    sign_in(page, site, "qian")
    page.goto(f"{site}/credit/review/queue/")
    page.get_by_role("link", name=application.number).click()
    page.wait_for_url(f"{base}/review/")
    for item in review.REVIEW_ITEMS:
        page.locator(f"label[for={item.key}-ok]").click()
    page.locator("input[name=security-note]").fill("信用贷款，无抵押")
    page.get_by_label("审查意见").fill(
        "借款人主体合法，调查尽职，还款来源为水稻销售收入，同意提交审批。"
    )
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "review.png")
    page.locator("#review-pass").click()
    page.wait_for_url(f"{base}/")
    application.refresh_from_db()
    assert application.stage == "approval"

    # 审贷小组: member1 opens the meeting, records five votes (4 agree, 1 abstain), closes.
    page = watched(new_context, console)
    sign_in(page, site, people[0].username)
    page.goto(f"{base}/committee/")
    page.get_by_label("会议时间").fill("2026-11-27T09:30")
    page.get_by_label("会议地点").fill("一支行三楼会议室")
    page.locator("#start-meeting").click()
    expect(page.locator("#current-meeting")).to_be_visible()
    for number, member in enumerate(people):
        row = page.locator(f"#member-{member.pk}")
        row.get_by_role("combobox").select_option("abstain" if number == 4 else "agree")
        row.get_by_placeholder("发表意见").fill("同意" if number < 4 else "对还款来源有保留")
    page.get_by_role("button", name="保存表决").click()
    expect(page.locator(".alert-success")).to_contain_text("表决已记录")
    page.get_by_label("审议条件（每行一条）").fill("放款前开立还款账户")
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "committee.png")
    page.locator("#close-meeting").click()
    expect(page.locator(".closed-meeting .decision")).to_have_text("通过")

    # 审批: the authority, the terms prefilled, approve.
    page = watched(new_context, console)
    sign_in(page, site, "zhou")
    page.goto(f"{site}/credit/approval/queue/")
    page.get_by_role("link", name=application.number).click()
    expect(page.locator("#my-authority")).to_have_text("您的审批权限：30 万元")
    expect(page.locator("#conditions")).to_have_value("放款前开立还款账户")
    page.get_by_label("批准金额（元）").fill("90000")
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "approval.png")
    phone = watched(new_context, console, viewport=PHONE, is_mobile=True, has_touch=True)
    sign_in(phone, site, "zhou")
    phone.goto(f"{base}/approval/")
    screenshot(phone, "approval-phone.png", full_page=False)
    page.locator("#approve").click()
    page.wait_for_url(f"{base}/")
    expect(page.locator("#approval-section")).to_contain_text("批复条款 V1")
    terms = ApprovedTerms.objects.get()
    assert terms.amount == Decimal(90_000) and terms.conditions.count() == 1
    assert console.errors == []
