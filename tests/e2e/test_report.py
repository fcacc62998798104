"""授信额度测算 and 调查报告 in a real browser: for a farmer's application in 实地调查 the
manager opens the credit limit from the application, registers a house in the collateral
register, assesses the guarantor, saves the limit, writes his opinion in the report, previews
it, finalises it and downloads the DOCX, which opens with the seven sections and the amount in
capitals. The console stays clean; desk and phone screenshots are taken.

王大山 asks for 100,000 元 (整村授信贷, 12 months, interest only, 4 %): his cash flow allows
the product's 300,000; the house (120,000 × 70 % = 84,000) is the smallest, so the limit and
the report's suggestion are 84,000 元 = 人民币捌万肆仟元整. A disputed plot is shown, not counted.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from docx import Document
from playwright.sync_api import BrowserContext, Page, expect

from tests.credit.factories import (
    DISPUTED_LAND,
    complete_farmer,
    confirm,
    farmer_product,
    guarantor_farmer,
    register,
    with_guarantor,
)
from tests.customers.factories import make_village
from tests.e2e.conftest import PHONE, ConsoleLog
from tests.e2e.test_shell import sign_in, site  # noqa: F401  (the live server fixture)
from xindai.credit.models import CreditApplication, CreditLimitAssessment, InvestigationReport
from xindai.org.models import OrgUnit, User
from xindai.org.roles import Role
from xindai.products.models import LprRate

pytestmark = pytest.mark.e2e


@pytest.fixture
def application(site: str, manager: User, tree: dict[str, OrgUnit], make_user: Any) -> Any:  # noqa: F811
    # Earlier browser tests flush the tables, the published LPR quotations with them.
    LprRate.objects.get_or_create(
        effective_date=dt.date(2025, 5, 20),
        defaults={"one_year": Decimal("0.0300"), "five_year": Decimal("0.0350")},
    )
    farmer_product()
    village = make_village()
    farmer = complete_farmer(manager, village)
    helper = make_user("sun", tree["O11"], Role.CO_INVESTIGATOR, full_name="孙协办")
    found = with_guarantor(manager, farmer, helper, guarantor_farmer(manager, village))
    register(manager, found, DISPUTED_LAND)
    return found


def test_a_manager_computes_the_limit_and_finalises_the_report(
    site: str,  # noqa: F811
    application: CreditApplication,
    page: Page,
    console: ConsoleLog,
    new_context: Callable[..., BrowserContext],
    screenshot: Callable[..., Any],
    tmp_path: Any,
) -> None:
    sign_in(page, site, "zhang")
    page.goto(f"{site}/credit/applications/{application.pk}/")
    expect(page.locator("#collateral .collateral-dispute")).to_contain_text("权属争议")
    page.locator("#limit-link").click()
    page.wait_for_url(f"{site}/credit/applications/{application.pk}/limit/")
    expect(page.get_by_label("月均净收入（元）")).to_have_value("10000.00")
    expect(page.get_by_label("年利率（%）")).to_have_value("4")
    expect(page.locator("#method-cash_flow .method-limit")).to_contain_text("300,000.00")
    expect(page.locator("#suggested-amount")).to_contain_text("300,000.00")

    # The house goes into the register.
    page.locator("#collateral summary").click()
    form = page.locator("#collateral-form")
    form.get_by_label("类型").select_option(label="抵押")
    form.get_by_label("押品种类").select_option(label="住房")
    form.locator("#id_description").fill("砖混住房一套")
    form.get_by_label("所有权人").fill("王大山")
    form.get_by_label("权属证书编号").fill("苏(2024)多福不动产权第0012345号")
    form.get_by_label("评估价值（元）").fill("120000")
    form.get_by_label("评估机构/评估人").fill("多福县诚信房地产评估公司")
    form.get_by_label("评估日期").fill("2026-11-20")
    form.get_by_role("button", name="登记").click()
    expect(page.locator("#collateral-table")).to_contain_text("砖混住房一套")
    expect(page.locator("#method-collateral .method-limit")).to_contain_text("84,000.00")
    expect(page.locator("#suggested-amount")).to_contain_text("84,000.00")

    # The guarantor's capacity as found on site.
    guarantor = page.locator("[id^=guarantor-]").first
    expect(guarantor).to_contain_text(
        "剩余担保能力 170,000.00 元，不低于本笔担保金额 100,000.00 元"
    )
    guarantor.locator("summary").click()
    guarantor.get_by_label("净资产（元）").fill("260000")
    guarantor.get_by_label("保证意愿已核实").check()
    guarantor.get_by_role("button", name="保存担保能力").click()
    expect(page.locator("[id^=guarantor-]").first).to_contain_text("已核定")

    page.get_by_role("button", name="保存测算结果").click()
    expect(page.locator(".alert-success")).to_contain_text("建议额度 84,000.00 元")
    expect(page.locator("#latest-assessment")).to_contain_text("84,000.00")
    assert CreditLimitAssessment.objects.get().suggested == Decimal("84000.00")
    expect(page.locator(".chart canvas")).to_have_count(1)  # ECharts drew the methods
    page.wait_for_timeout(300)
    screenshot(page, "limit-page.png")

    phone = console.watch(new_context(viewport=PHONE, is_mobile=True).new_page())
    sign_in(phone, site, "zhang")
    phone.goto(f"{site}/credit/applications/{application.pk}/limit/")
    expect(phone.locator("#suggested-amount")).to_contain_text("84,000.00")
    screenshot(phone, "limit-phone.png")

    # The report: the manager's opinion, a preview, finalising, the download.
    page.get_by_role("link", name="调查报告").first.click()
    page.wait_for_url(f"{site}/credit/applications/{application.pk}/report/")
    expect(page.locator("#section-security")).to_contain_text("权属争议")
    page.locator("#id_conclusion").fill("借款人品行良好，种植收入稳定，同意贷款 8.4 万元。")
    page.get_by_role("button", name="保存报告内容").click()
    expect(page.locator(".alert-success")).to_contain_text("调查报告内容已保存")
    screenshot(page, "report-page.png", full_page=False)
    page.locator("#preview-link").click()
    expect(page.locator("#report-preview")).to_contain_text("人民币捌万肆仟元整")
    screenshot(page, "report-preview.png")
    page.go_back()

    confirm(application, application.manager, application.co_investigator)
    page.reload()
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#finalise-form button").click()
    expect(page.locator(".alert-success")).to_contain_text("调查报告已定稿：第 1 版")
    expect(page.locator("#version-1")).to_contain_text("V1")
    screenshot(page, "report-finalised.png", full_page=False)
    with page.expect_download() as waiting:
        page.locator("#version-1").get_by_role("link", name="DOCX").click()
    download = waiting.value
    assert download.suggested_filename == f"{application.number}-调查报告-V1.docx"
    saved = tmp_path / "report.docx"
    download.save_as(saved)
    content = saved.read_bytes()
    assert content == InvestigationReport.objects.get().docx.open("rb").read()
    document = Document(io.BytesIO(content))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[:7] == [
        "一、客户基本情况",
        "二、生产经营情况",
        "三、借款原因、期限与担保方式",
        "四、财务分析",
        "五、非财务分析",
        "六、担保分析",
        "七、调查结论",
    ]
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "84,000.00 元（人民币捌万肆仟元整）" in cells
    assert console.errors == []
