"""The customer archive in a real browser: a manager builds a farmer's archive on his phone,
looks at the list and the detail on the desk, reveals an ID number; the console stays clean."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from playwright.sync_api import BrowserContext, Page, expect

from tests.customers.factories import make_village
from tests.customers.ids import credit_code, resident_id
from tests.e2e.conftest import PHONE, ConsoleLog
from tests.e2e.test_shell import sign_in, site  # noqa: F401  (the live server fixture)
from xindai.customers import services
from xindai.customers.models import Area, Customer
from xindai.org.models import User

pytestmark = pytest.mark.e2e

FARMER_ID = resident_id(born=dt.date(1978, 3, 9), seq=231)


@pytest.fixture
def village(transactional_db: Any) -> Area:
    return make_village()


@pytest.fixture
def archive(manager: User, village: Area) -> dict[str, Customer]:
    """A shop and an enterprise already on file, related to each other."""
    shop = services.create_customer(
        manager,
        {
            "kind": "business",
            "name": "大山农资店",
            "id_number": credit_code("92110101MA0000001"),
            "phone": "13912340001",
            "address": "城关镇建设路8号",
            "industry_code": "5221",
            "manager": manager.pk,
        },
    )
    mill = services.create_customer(
        manager,
        {
            "kind": "enterprise",
            "name": "青禾米业有限公司",
            "id_number": credit_code(),
            "phone": "13912340002",
            "address": "工业园区1号",
            "industry_code": "1310",
            "manager": manager.pk,
        },
    )
    services.add_relationship(manager, shop, {"target": mill.pk, "kind": "related_party"})
    return {"shop": shop, "mill": mill}


def phone_page(page: Page, console: ConsoleLog, new_context: Callable[..., BrowserContext]) -> Page:
    """The signed-in session of ``page`` on a phone-sized screen."""
    context = new_context(
        storage_state=page.context.storage_state(), viewport=PHONE, is_mobile=True, has_touch=True
    )
    return console.watch(context.new_page())


def test_a_manager_builds_a_farmers_archive_on_his_phone(
    site: str,  # noqa: F811
    manager: User,
    village: Area,
    archive: dict[str, Customer],
    page: Page,
    console: ConsoleLog,
    new_context: Callable[..., BrowserContext],
    screenshot: Callable[..., Any],
) -> None:
    sign_in(page, site, "zhang")
    phone = phone_page(page, console, new_context)

    # Create the farmer from the list, on the phone.
    phone.goto(f"{site}/customers/")
    phone.get_by_role("link", name="新建客户").click()
    phone.wait_for_url(f"{site}/customers/new/")
    phone.get_by_label("客户类型").select_option("farmer")
    phone.get_by_label("客户名称").fill("王大山")
    phone.get_by_label("证件号码").fill(FARMER_ID[:-1] + ("0" if FARMER_ID[-1] != "0" else "1"))
    phone.get_by_label("联系电话").fill("13912340000")
    phone.get_by_label("住址/经营地址").fill("多福巷村3组12号")
    phone.get_by_label("所在村").select_option(label="东城区东华门街道多福巷村")
    phone.get_by_role("button", name="保存").click()
    expect(phone.locator("#id_id_number_errors")).to_contain_text("身份证号校验位不正确")
    screenshot(phone, "customer-new-phone.png")
    assert not Customer.objects.filter(kind="farmer").exists()

    phone.get_by_label("证件号码").fill(FARMER_ID)
    phone.get_by_role("button", name="保存").click()
    phone.wait_for_url(re.compile(r"/customers/\d+/$"))
    expect(phone.get_by_role("heading", level=1)).to_have_text("王大山")
    expect(phone.locator("#completeness-score")).to_have_text("21%")
    expect(phone.locator("#gap-list")).to_contain_text("家庭成员")
    header = phone.locator("#customer-header")
    expect(header).to_contain_text(FARMER_ID[:6] + "********" + FARMER_ID[-4:])
    expect(header).not_to_contain_text(FARMER_ID)
    screenshot(phone, "customer-phone.png")

    # Add the spouse from the 家庭成员 tab (a select on the phone).
    expect(phone.locator(".customer-tabs")).to_be_hidden()
    phone.locator("#tab-select").select_option(label="家庭成员 ·缺")
    phone.wait_for_url(re.compile(r"\?tab=members$"))
    phone.get_by_role("link", name="添加").click()
    phone.get_by_label("与户主关系").select_option(label="配偶")
    phone.get_by_label("姓名").fill("李秀兰")
    phone.get_by_label("性别").select_option(label="女")
    phone.get_by_label("身份证号").fill(resident_id(seq=456))
    phone.get_by_label("手机号").fill("13612345678")
    phone.get_by_role("button", name="保存").click()
    phone.wait_for_url(re.compile(r"\?tab=members$"))
    expect(phone.locator("#tab-content")).to_contain_text("李秀兰")
    expect(phone.locator("#tab-content")).to_contain_text("136****5678")
    expect(phone.locator("#completeness-score")).to_have_text("28%")
    expect(phone.locator("#gap-list")).not_to_contain_text("家庭成员")

    # A change of address, then the history tab tells who changed what.
    phone.locator("#tab-select").select_option(label="基本信息")
    phone.locator("#tab-content").get_by_role("link", name="修改").click()
    phone.get_by_label("住址/经营地址").fill("多福巷村5组1号")
    phone.get_by_role("button", name="保存").click()
    phone.wait_for_url(re.compile(r"/customers/\d+/$"))
    phone.locator("#tab-select").select_option(label="变更历史")
    phone.wait_for_url(re.compile(r"\?tab=history$"))
    history = phone.locator("#tab-content")
    expect(history).to_contain_text("多福巷村3组12号 → 多福巷村5组1号")
    expect(history).to_contain_text("李秀兰")
    expect(history).to_contain_text("张三")
    expect(history).to_contain_text("新增")
    screenshot(phone, "customer-history-phone.png")
    assert console.errors == []


def test_the_list_and_the_detail_on_the_desk(
    site: str,  # noqa: F811
    manager: User,
    village: Area,
    archive: dict[str, Customer],
    page: Page,
    console: ConsoleLog,
    screenshot: Callable[..., Any],
) -> None:
    farmer = services.create_customer(
        manager,
        {
            "kind": "farmer",
            "name": "王大山",
            "id_number": FARMER_ID,
            "phone": "13912340000",
            "address": "多福巷村3组12号",
            "village": village.pk,
            "manager": manager.pk,
        },
    )
    services.save_section_row(
        manager,
        farmer,
        "members",
        {"relation": "head", "name": "王大山", "sex": "M", "id_number": FARMER_ID},
    )
    services.add_relationship(manager, farmer, {"target": archive["shop"].pk, "kind": "guarantor"})
    services.add_relationship(manager, farmer, {"target": archive["mill"].pk, "kind": "guarantor"})
    sign_in(page, site, "zhang")

    page.locator("#main-nav").get_by_role("link", name="客户档案").click()
    page.wait_for_url(f"{site}/customers/")
    rows = page.locator("#customer-rows")
    expect(rows.locator("tbody tr")).to_have_count(3)
    expect(rows).not_to_contain_text(FARMER_ID)
    screenshot(page, "customers-list.png")

    page.evaluate("window.__sameDocument = true")
    page.get_by_label("客户类型").select_option("farmer")
    expect(rows.locator("tbody tr")).to_have_count(1)
    with page.expect_download() as export:  # the list as filtered now, without a reload
        page.get_by_role("link", name="导出 Excel").click()
    assert export.value.suggested_filename.startswith("客户清单-")
    exported = load_workbook(io.BytesIO(export.value.path().read_bytes())).active
    assert [row[0] for row in exported.iter_rows(min_row=2, values_only=True)] == ["王大山"]
    page.get_by_placeholder("客户名称或证件号码后几位").fill("米业")
    expect(rows).to_contain_text("没有符合条件的客户")
    assert page.evaluate("window.__sameDocument") is True
    page.get_by_label("客户类型").select_option("")
    expect(rows.locator("tbody tr")).to_have_count(1)
    expect(rows).to_contain_text("青禾米业有限公司")

    page.goto(f"{site}/customers/{farmer.pk}/")
    expect(page.locator(".customer-tabs")).to_be_visible()
    page.get_by_role("button", name="查看完整号码").click()
    expect(page.locator("#customer-header .pii-clear")).to_have_text(FARMER_ID)
    screenshot(page, "customer-detail.png")

    # 确认梳理 asks first, then is refused: the archive is not complete.
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="确认梳理").click()
    expect(page.locator(".alert-danger")).to_contain_text("档案尚不完整，不能确认梳理")

    page.locator(".customer-tabs").get_by_role("link", name="家庭成员").click()
    expect(page.locator("#tab-content")).to_contain_text("王大山")
    screenshot(page, "customer-members.png")
    page.locator(".customer-tabs").get_by_role("link", name="客户关系").click()
    expect(page.locator(".chart-graph canvas")).to_have_count(1)
    expect(page.locator("#tab-content tbody tr")).to_have_count(2)
    page.wait_for_timeout(1500)  # let the force layout settle before the picture
    screenshot(page, "customer-relations.png")
    assert console.errors == []


def workbook_with_mistakes() -> bytes:
    """A household sheet with a mistyped ID number and a village code that does not exist."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "农户"
    sheet.append(["户主姓名", "身份证号", "手机号", "住址", "所在村代码", "承包地面积（亩）"])
    sheet.append(["王大山", FARMER_ID[:-1] + "X", "13912340000", "3组12号", "110101001001", "12"])
    sheet.append(["李秀英", resident_id(seq=600), "1391234", "5组1号", "999999999999", "8"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_refused_import_lists_every_mistake(
    site: str,  # noqa: F811
    manager: User,
    village: Area,
    page: Page,
    console: ConsoleLog,
    screenshot: Callable[..., Any],
) -> None:
    sign_in(page, site, "zhang")
    page.goto(f"{site}/customers/")
    page.get_by_role("link", name="批量导入").click()
    page.wait_for_url(f"{site}/customers/import/")
    with page.expect_download() as template:
        page.get_by_role("link", name="下载导入模板").click()
    assert template.value.suggested_filename == "客户导入模板.xlsx"

    page.get_by_label("导入文件").set_input_files(
        files=[
            {
                "name": "农户.xlsx",
                "mimeType": "application/octet-stream",
                "buffer": workbook_with_mistakes(),
            }
        ]
    )
    page.get_by_role("button", name="检查并导入").click()
    errors = page.locator("#import-errors")
    expect(errors).to_contain_text("未导入任何数据")
    expect(errors).to_contain_text("身份证号")
    expect(errors.locator("tbody tr")).not_to_have_count(0)
    assert not Customer.objects.exists()
    screenshot(page, "customer-import.png")
    with page.expect_download() as report:
        page.get_by_role("link", name="下载错误清单").click()
    assert report.value.suggested_filename == "客户导入错误清单.xlsx"
    assert console.errors == []
