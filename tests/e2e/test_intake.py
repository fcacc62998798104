"""申请受理 in a real browser: a manager opens a farmer whose archive is complete, creates an
application, records the customer's consent (a scanned PDF), enters the credit report, runs
the admission check, accepts, names the co-investigator and starts the investigation; the
page then shows 实地调查, on the desk and on a phone. The console stays clean."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from tests.credit.factories import PDF, complete_farmer, farmer_product, prudent, submitted
from tests.customers.factories import make_village
from tests.e2e.conftest import PHONE, ConsoleLog
from tests.e2e.test_shell import sign_in, site  # noqa: F401  (the live server fixture)
from xindai.credit import services
from xindai.credit.models import CreditApplication, StageEvent
from xindai.customers.models import Customer
from xindai.org.models import OrgUnit, User
from xindai.org.roles import Role
from xindai.products.models import LprRate

pytestmark = pytest.mark.e2e


@pytest.fixture
def farmer(manager: User, transactional_db: Any) -> Customer:
    # Earlier browser tests flush the tables, the published LPR quotations with them.
    LprRate.objects.get_or_create(
        effective_date=dt.date(2025, 5, 20),
        defaults={"one_year": Decimal("0.0300"), "five_year": Decimal("0.0350")},
    )
    farmer_product()
    return complete_farmer(manager, make_village())


@pytest.fixture
def helper(tree: dict[str, OrgUnit], make_user: Callable[..., User]) -> User:
    return make_user("sun", tree["O11"], Role.CO_INVESTIGATOR, full_name="孙协办")


def confirm(page: Page, name: str, button: str, picture: Callable[[], Any] | None = None) -> None:
    """Open the confirmation of transition ``name`` (take its ``picture``) and confirm it."""
    page.locator(f"#action-{name} button").click()
    dialog = page.locator(f"#take-{name}")
    expect(dialog).to_be_visible()
    page.wait_for_timeout(400)  # the fade-in
    if picture:
        picture()
    dialog.get_by_role("button", name=button).click()


def as_if_days_ago(application: CreditApplication, days: tuple[int, ...]) -> None:
    """Move the application's moves back by ``days`` (one per move), as if they had taken time."""
    now = timezone.now()
    CreditApplication.objects.filter(pk=application.pk).update(
        created_at=now - dt.timedelta(days=days[0], hours=1)
    )
    for event, back in zip(application.events.order_by("at", "pk"), days, strict=True):
        StageEvent.objects.filter(pk=event.pk).update(at=now - dt.timedelta(days=back))


def test_a_manager_takes_an_application_from_the_archive_to_the_field(
    site: str,  # noqa: F811
    manager: User,
    helper: User,
    farmer: Customer,
    page: Page,
    console: ConsoleLog,
    new_context: Callable[..., BrowserContext],
    screenshot: Callable[..., Any],
) -> None:
    sign_in(page, site, "zhang")

    # From the customer's archive to a new application.
    page.goto(f"{site}/customers/{farmer.pk}/")
    page.get_by_role("link", name="发起贷款申请").click()
    page.wait_for_url(f"{site}/credit/applications/new/{farmer.pk}/")
    page.get_by_label("贷款产品").select_option(label="整村授信贷（ZCSX）")
    page.get_by_label("申请金额（元）").fill("100000")
    page.get_by_label("期限（月）").fill("12")
    page.get_by_label("用途类别").select_option(label="农户")
    page.get_by_label("具体用途").fill("购买化肥、种子，扩种水稻 12 亩")
    page.get_by_label("还款方式").select_option(label="按期付息、到期还本")
    page.get_by_label("信用").check()
    page.locator("#id_source").select_option(label="客户上门")
    screenshot(page, "intake-new.png")
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(re.compile(r"/credit/applications/\d+/$"))
    application = CreditApplication.objects.get()
    header = page.locator("#application-header")
    expect(header).to_contain_text(application.number or "")
    expect(header).to_contain_text("申请受理")
    expect(header).to_contain_text("10 万元 · 12 个月")
    expect(page.locator("#answer-due")).to_contain_text("2026-12-27")
    expect(page.locator("#unmet-accept")).to_contain_text("未登记客户书面征信查询授权")
    expect(page.locator("#action-accept button")).to_be_disabled()
    screenshot(page, "intake-detail.png")

    # The customer's written consent, with its scan.
    consent = page.locator("#consent-form")
    consent.get_by_label("授权人").fill("王大山")
    consent.get_by_label("授权日期").fill("2026-11-26")
    consent.get_by_label("查询用途").select_option(label="贷款审批")
    consent.get_by_label("授权书扫描件").set_input_files(
        files=[{"name": "征信授权书.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    consent.get_by_role("button", name="登记授权").click()
    expect(page.locator("#consent-recorded")).to_contain_text("王大山")
    expect(page.locator("#consent-recorded")).to_contain_text("贷款审批")

    # The credit report summary.
    report = page.locator("#report-form")
    report.get_by_label("报告日期").fill("2026-11-26")
    for label, value in (
        ("近24个月最长连续逾期期数", "0"),
        ("近24个月累计逾期次数", "0"),
        ("当前逾期金额（元）", "0"),
        ("他行授信机构数", "1"),
        ("他行贷款余额（元）", "20000"),
        ("他行月还款额（元）", "1000"),
    ):
        report.get_by_label(label).fill(value)
    report.get_by_role("button", name="保存征信摘要").click()
    expect(page.locator("#report-summary")).to_contain_text("20,000.00")

    # The admission check: 准入, every rule listed.
    page.get_by_role("button", name="进行准入检查").click()
    page.wait_for_url(re.compile(r"/admission/$"))
    expect(page.locator("#outcome")).to_have_text("准入")
    expect(page.locator("#decision")).to_contain_text("政策版本 V1")
    expect(page.locator("#rules tbody tr")).to_have_count(
        len(application.admission_checks.get().results)
    )
    screenshot(page, "intake-admission.png")
    page.get_by_role("link", name="返回申请").click()

    # Accept, after the confirmation.
    confirm(
        page, "accept", "确认受理", lambda: screenshot(page, "intake-confirm.png", full_page=False)
    )
    expect(page.locator(".alert-success")).to_contain_text("已办理“受理”")
    expect(page.locator("#application-header")).to_contain_text("已受理")

    # Two investigators, then the field.
    expect(page.locator("#unmet-start_investigation")).to_contain_text("未指定协办调查人")
    page.locator("#co-investigator-form").get_by_label("协办调查人").select_option(label="孙协办")
    page.get_by_role("button", name="指定协办调查人").click()
    expect(page.locator("#co-investigator")).to_have_text("孙协办")
    confirm(page, "start_investigation", "确认开始实地调查")
    expect(page.locator("#application-header")).to_contain_text("实地调查")
    expect(page.locator("#stage-progress li.current")).to_have_text("实地调查")
    application.refresh_from_db()
    assert application.stage == "investigation"
    screenshot(page, "intake-investigation.png")

    # The timeline, with its chart (as if the steps had taken some days).
    as_if_days_ago(application, (6, 2, 1))
    page.get_by_role("link", name="流程时间线").click()
    expect(page.locator("#events li")).to_have_count(3)
    expect(page.locator(".chart-stages canvas")).to_have_count(1)
    page.wait_for_timeout(1500)  # let the bars grow before the picture
    screenshot(page, "intake-timeline.png")

    # The list and the queue, with two more applications: one late, one rejected.
    late = submitted(manager, complete_farmer(manager, farmer.village, name="李小河", seq=456))
    CreditApplication.objects.filter(pk=late.pk).update(
        submitted_on=dt.date(2026, 10, 20), answer_due=dt.date(2026, 11, 20)
    )
    refused = submitted(manager, complete_farmer(manager, farmer.village, name="赵春生", seq=789))
    services.take(manager, refused, "reject", "客户已在他行获得贷款，不再需要")
    page.locator("#main-nav").get_by_role("button", name="信贷流程").click()
    page.locator("#main-nav").get_by_role("link", name="申请受理").click()
    page.wait_for_url(f"{site}/credit/applications/")
    rows = page.locator("#application-rows tbody tr")
    expect(rows).to_have_count(3)
    expect(page.locator("#application-rows .late-row")).to_contain_text("超期未答复")
    screenshot(page, "intake-list.png")
    page.get_by_label("只看超期未答复").check()
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("李小河")
    page.get_by_role("link", name="我的待办").click()
    expect(page.locator(".queue-table tbody tr")).to_have_count(2)
    expect(page.locator(".queue-table")).to_contain_text("提交调查")

    # The same application on a phone.
    phone_context = new_context(
        storage_state=page.context.storage_state(), viewport=PHONE, is_mobile=True, has_touch=True
    )
    phone = console.watch(phone_context.new_page())
    phone.goto(f"{site}/credit/applications/{application.pk}/")
    expect(phone.locator("#stage-progress li.current")).to_have_text("实地调查")
    expect(phone.locator("#actions")).to_contain_text("提交调查")
    screenshot(phone, "intake-detail-phone.png")
    assert console.errors == []


def test_the_branch_head_lets_a_prudent_application_go_on(
    site: str,  # noqa: F811
    manager: User,
    branch_head: User,
    farmer: Customer,
    page: Page,
    console: ConsoleLog,
    screenshot: Callable[..., Any],
) -> None:
    application = prudent(manager, farmer)
    sign_in(page, site, "head1")
    page.goto(f"{site}/credit/applications/{application.pk}/admission/")
    expect(page.locator("#outcome")).to_have_text("审慎")
    expect(page.locator("#rules")).to_contain_text("他行授信机构 4 家，超过上限 3 家，须审慎准入")
    page.get_by_label("理由").fill("客户经营稳定，他行贷款均按时归还，同意继续办理")
    screenshot(page, "intake-escalation.png")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="同意继续办理").click()
    expect(page.locator("#escalation")).to_contain_text("赵行长")
    expect(page.locator("#escalation")).to_contain_text("客户经营稳定")
    assert application.admission_checks.order_by("-pk").first().escalated_by == branch_head
    assert console.errors == []
