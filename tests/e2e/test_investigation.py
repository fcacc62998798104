"""实地调查 in a real browser, on a phone (390×844) in the field: the manager opens the case,
fills the visit time with "现在" and the coordinates from the phone's position, answers the
checklist, saves, takes a photo, notes what the neighbours say and confirms; the
co-investigator signs in on his own phone and confirms too. The console stays clean."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.credit.factories import complete_farmer, farmer_product, investigating, png
from tests.customers.factories import make_village
from tests.e2e.conftest import DESKTOP, PHONE, ConsoleLog
from tests.e2e.test_shell import sign_in, site  # noqa: F401  (the live server fixture)
from xindai.credit import investigation_items
from xindai.credit.models import CreditApplication, Investigation, InvestigatorConfirmation
from xindai.customers.models import Customer
from xindai.org.models import OrgUnit, User
from xindai.org.roles import Role
from xindai.products.models import LprRate

pytestmark = pytest.mark.e2e

WHERE = {"latitude": 30.274085, "longitude": 120.15507, "accuracy": 12}


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


@pytest.fixture
def application(manager: User, helper: User, farmer: Customer) -> CreditApplication:
    return investigating(manager, farmer, helper)


def phone_of(new_context: Callable[..., BrowserContext], console: ConsoleLog) -> Page:
    """A phone that may tell the page where it is (at the farmer's house)."""
    context = new_context(
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        geolocation=WHERE,
        permissions=["geolocation"],
        reduced_motion="reduce",  # no smooth scrolling: a link to #section jumps there
    )
    phone = console.watch(context.new_page())
    phone.on("dialog", lambda dialog: dialog.accept())  # the "确认调查结果" question
    return phone


def answer_everything(phone: Page) -> None:
    """符合 with a note for every item, except the guarantee: a credit loan has none."""
    for item in investigation_items.items_for("farmer"):
        row = phone.locator(f"#item-{item.key}")
        if item.key == "guarantee":
            row.locator(f"label[for=id_{item.key}_result_2]").tap()
            row.get_by_role("textbox").fill("信用贷款，无担保")
        else:
            row.locator(f"label[for=id_{item.key}_result_0]").tap()
            row.get_by_role("textbox").fill("已核实")


def test_two_investigators_record_and_confirm_the_visit_on_their_phones(
    site: str,  # noqa: F811
    manager: User,
    helper: User,
    application: CreditApplication,
    console: ConsoleLog,
    new_context: Callable[..., BrowserContext],
    screenshot: Callable[..., Any],
) -> None:
    phone = phone_of(new_context, console)
    sign_in(phone, site, "zhang")
    phone.goto(f"{site}/credit/applications/{application.pk}/")
    phone.locator("#open-investigation").tap()
    phone.wait_for_url(f"{site}/credit/applications/{application.pk}/investigation/")
    expect(phone.locator("#outstanding li[data-key=visit]")).to_have_text(
        "未登记走访时间和地点 去填写"
    )

    # The visit: now, here.
    phone.get_by_role("button", name="现在").tap()
    expect(phone.locator("#id_visited_at")).not_to_have_value("")
    phone.get_by_label("走访地点").fill("多福巷村3组12号及村东稻田")
    phone.get_by_role("button", name="获取当前位置").tap()
    expect(phone.locator("#id_latitude")).to_have_value("30.274085")
    expect(phone.locator("#id_longitude")).to_have_value("120.155070")
    expect(phone.locator("#geo-status")).to_have_text("已填入当前位置（精度约 12 米）")
    phone.evaluate("window.scrollTo(0, 0)")
    screenshot(phone, "investigation-phone.png", full_page=False)

    # The checklist: the buttons are big enough for a thumb.
    answer_everything(phone)
    box = phone.locator("label[for=id_purpose_result_1]").bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] >= 90
    phone.get_by_label("还款来源", exact=True).fill("水稻销售收入，另有家庭务工收入")
    phone.get_by_label("还款时间安排").fill("2027 年 10 月晚稻收割后一次还本")
    phone.locator("#save-record").tap()
    expect(phone.locator(".alert-success")).to_contain_text("已保存")
    expect(phone.locator("#checklist .unanswered")).to_have_count(0)
    phone.goto(f"{phone.url.split('#')[0]}#item-purpose")  # the same page, scrolled
    screenshot(phone, "investigation-checklist-phone.png", full_page=False)
    expect(phone.locator("#outstanding li[data-key=visit]")).to_have_count(0)
    expect(phone.locator("#outstanding li[data-key=checklist]")).to_have_count(0)
    record = Investigation.objects.get()
    assert (record.latitude, record.longitude) == (Decimal("30.274085"), Decimal("120.155070"))
    assert record.checklist["guarantee"] == {"result": "na", "note": "信用贷款，无担保"}

    # A photo from the camera (here: a file), shown in the gallery.
    phone.locator("#photo-file").set_input_files(
        files=[{"name": "稻田.png", "mimeType": "image/png", "buffer": png(640, 480)}]
    )
    phone.locator("#photo-caption").fill("村东稻田，12 亩")
    phone.get_by_role("button", name="上传照片").tap()
    picture = phone.locator("#photo-gallery img")
    expect(picture).to_have_count(1)
    expect(picture).to_have_attribute("alt", "村东稻田，12 亩")
    picture.scroll_into_view_if_needed()
    expect(picture).to_have_js_property("naturalWidth", 640)  # the picture itself, not a stub
    phone.goto(f"{phone.url.split('#')[0]}#photos")
    screenshot(phone, "investigation-photos-phone.png", full_page=False)

    # What the neighbours say, into the archive.
    phone.locator("#soft-info summary").tap()
    soft = phone.locator("#soft-form")
    soft.get_by_label("圈子").select_option(label="生活圈")
    soft.get_by_label("内容").fill("邻居说其勤劳顾家，无不良嗜好")
    soft.get_by_label("信息来源").fill("邻居李婶")
    soft.get_by_role("button", name="添加软信息").tap()
    expect(phone.locator("#circle-life")).to_contain_text("邻居说其勤劳顾家")

    # The manager confirms.
    phone.locator("#confirm-record").tap()
    expect(phone.locator(".alert-success")).to_contain_text("已确认调查结果")
    expect(phone.locator("#confirmation-list .confirmed")).to_have_count(1)
    expect(phone.locator("#confirm-record")).to_have_count(0)

    # The co-investigator, on his own phone.
    other = phone_of(new_context, console)
    sign_in(other, site, "sun")
    other.goto(f"{site}/credit/applications/{application.pk}/investigation/")
    expect(other.locator("#soft-form")).to_have_count(0)  # no right to change archives
    expect(other.locator("#outstanding li[data-key=confirmations]")).to_contain_text("已确认 1 人")
    other.locator("#confirm-record").tap()
    expect(other.locator("#confirmation-list .confirmed")).to_have_count(2)
    expect(other.locator("#outstanding li[data-key=confirmations]")).to_have_count(0)
    expect(other.locator("#outstanding")).to_contain_text("尚未进行授信额度测算")
    expect(other.locator("#outstanding")).to_contain_text("调查报告尚未定稿")
    other.goto(f"{other.url.split('#')[0]}#confirmations")
    screenshot(other, "investigation-confirmed-phone.png", full_page=False)
    assert sorted(
        InvestigatorConfirmation.objects.values_list("investigator__username", flat=True)
    ) == ["sun", "zhang"]

    # The same record on the desk.
    desk = console.watch(new_context(viewport=DESKTOP).new_page())
    sign_in(desk, site, "zhang")
    desk.goto(f"{site}/credit/applications/{application.pk}/investigation/")
    expect(desk.locator("#next-steps")).to_contain_text("尚未进行授信额度测算")
    screenshot(desk, "investigation-desk.png", full_page=False)
    desk.goto(f"{site}/credit/applications/{application.pk}/")
    expect(desk.locator("#investigation-summary")).to_contain_text("多福巷村3组12号及村东稻田")
    assert console.errors == []
