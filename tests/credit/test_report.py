"""The investigation report (调查报告): its seven sections generated from the data with the
manager's narratives, finalised as a frozen DOCX (a PDF only where LibreOffice is installed),
versions, audited downloads, and who may write and finalise it when.

王大山 (factories.complete_farmer) asks for 100,000 元 over 12 months with 整村授信贷 at 4 %,
guaranteed by 李四海, with a house, a deposit and a disputed plot in the register: the limit
is 129,000 元 (see test_limit.py), so the report suggests the 100,000 applied for — in capitals
人民币壹拾万元整. The investigators are 张三 (manager) and 孙协办.
"""

from __future__ import annotations

import hashlib
import io
import os
import stat
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn

from tests.credit.factories import (
    DEPOSIT,
    DISPUTED_LAND,
    HOUSE,
    TODAY,
    confirm,
    guarantor_farmer,
    ready_to_accept,
    register,
    rice_mill_loan,
    with_guarantor,
)
from xindai.audit.models import AuditEvent
from xindai.core.errors import DomainError, FormInvalid
from xindai.credit import limit, report, report_docx
from xindai.credit.limit_data import prefill
from xindai.credit.models import InvestigationReport, ReportSection

pytestmark = pytest.mark.django_db
D = Decimal
HEADINGS = [
    "一、客户基本情况",
    "二、生产经营情况",
    "三、借款原因、期限与担保方式",
    "四、财务分析",
    "五、非财务分析",
    "六、担保分析",
    "七、调查结论",
]
OPINION = "借款人品行良好，收入稳定，同意贷款 10 万元，期限 12 个月。"


@pytest.fixture(autouse=True)
def no_libreoffice(monkeypatch) -> None:
    """As on this machine: ``soffice`` is not installed (tests that want it put a fake one)."""
    monkeypatch.setattr(report_docx.shutil, "which", lambda name: None)


@pytest.fixture
def case(manager, farmer, village, co_investigator) -> Any:
    application = with_guarantor(
        manager, farmer, co_investigator, guarantor_farmer(manager, village)
    )
    register(manager, application, HOUSE, DEPOSIT, DISPUTED_LAND)
    return application


def assessed(application: Any, actor: Any, **inputs: str) -> Any:
    data = limit.form_data(prefill(application, TODAY).inputs | inputs)
    return limit.assess(actor, application, data, TODAY)


@pytest.fixture
def ready(case, manager, co_investigator) -> Any:
    """Assessed, the opinion written, both investigators confirmed."""
    assessed(case, co_investigator)
    report.save_sections(manager, case, {"basics": "户主王大山，务农多年。", "conclusion": OPINION})
    confirm(case, manager, co_investigator)
    return case


def opened(made: InvestigationReport) -> Any:
    with made.docx.open("rb") as stored:
        return Document(io.BytesIO(stored.read()))


def texts(document: Any) -> list[str]:
    """Every paragraph and every table cell, in order."""
    found = [p.text for p in document.paragraphs]
    for table in document.tables:
        found += [cell.text for row in table.rows for cell in row.cells]
    return found


def row_of(document: Any, first: str) -> list[str]:
    for table in document.tables:
        for row in table.rows:
            cells = [cell.text for cell in row.cells]
            if cells[0] == first:
                return cells
    raise AssertionError(f"no row {first}")


# ---- the document ---------------------------------------------------------------------------


def test_the_docx_holds_the_seven_sections_the_amounts_and_the_investigators(
    ready, manager, co_investigator
) -> None:
    made = report.finalise(manager, ready, TODAY)
    document = opened(made)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [*HEADINGS, "调查人员"]
    assert document.paragraphs[0].text == "贷款调查报告"
    assert document.paragraphs[1].text == f"申请编号：{ready.number}　版本：V1"
    assert row_of(document, "申请金额") == ["申请金额", "100,000.00 元（人民币壹拾万元整）"]
    assert row_of(document, "建议金额") == ["建议金额", "100,000.00 元（人民币壹拾万元整）"]
    assert row_of(document, "调查结论") == ["调查结论", "建议贷款"]
    assert row_of(document, "年利率") == ["年利率", "4.00%"]
    reason = "取 2 种适用方法中的最小值：抵质押物测算 129,000.00 元"
    assert row_of(document, "测算依据")[1] == reason
    assert row_of(document, "最高贷款本金")[2] == "300,000.00 元"
    times = {
        c.investigator_id: timezone.localtime(c.confirmed_at).strftime("%Y-%m-%d %H:%M")
        for c in ready.confirmations.all()
    }
    assert row_of(document, "主调查人") == ["主调查人", "张三", times[manager.pk]]
    assert row_of(document, "协办调查人") == ["协办调查人", "孙协办", times[co_investigator.pk]]
    everything = texts(document)
    assert f"客户经理意见：{OPINION}" in everything
    assert "调查人员意见：户主王大山，务农多年。" in everything
    dispute = "宅基地旁集体建设用地使用权（与邻户王小川存在边界纠纷）"
    assert f"⚠ 权属争议：{dispute}——不得抵押，未计入授信额度" in everything
    assert "报告日期：2026年11月27日" in everything
    assert made.suggested_amount == D("100000.00")


def test_the_document_names_an_east_asian_font_in_its_styles(ready, manager) -> None:
    document = opened(report.finalise(manager, ready, TODAY))
    for style, font in (("Normal", "宋体"), ("Heading 1", "黑体"), ("Table Grid", "宋体")):
        fonts = document.styles[style].element.rPr.rFonts
        assert fonts.get(qn("w:eastAsia")) == font
        assert fonts.get(qn("w:eastAsiaTheme")) is None


def test_an_enterprises_report_carries_the_ratios_of_its_analysis(
    manager, co_investigator, today
) -> None:
    """2023 (2022 for the averages): 资产负债率 600,000 ÷ 1,000,000 = 60.00 %; 流动比率
    500,000 ÷ 400,000 = 1.25; 速动比率 250,000 ÷ 400,000 = 0.625 → 0.63; 销售利润率 13.33 %;
    总资产收益率 112,500 ÷ 950,000 = 11.84 %. The limit (test_limit.py) is 144,698.30 元."""
    application = rice_mill_loan(manager, co_investigator)
    assessed(application, manager, growth="0.1", own_funds="0", existing_loans="100000")
    report.save_sections(manager, application, {"conclusion": "同意。"})
    document = opened(report.finalise(manager, application, TODAY))
    assert row_of(document, "指标") == ["指标", "2022-12-31", "2023-12-31", "说明"]
    assert row_of(document, "资产负债率")[1:3] == ["—", "60.00%"]
    assert row_of(document, "流动比率") == [
        "流动比率",
        "—",
        "1.25 倍",
        "流动比率 1.25倍，低于下限 1.5倍",
    ]
    assert row_of(document, "速动比率")[2] == "0.63 倍"
    assert row_of(document, "销售利润率")[2] == "13.33%"
    assert row_of(document, "总资产收益率")[2] == "11.84%"
    assert row_of(document, "建议金额")[1] == "144,698.30 元（人民币壹拾肆万肆仟陆佰玖拾捌元叁角）"
    assert row_of(document, "营运资金量")[2] == "244,698.30 元"


# ---- frozen versions ------------------------------------------------------------------------


def test_the_stored_hash_is_the_sha256_of_the_stored_file(ready, manager) -> None:
    made = report.finalise(manager, ready, TODAY)
    with made.docx.open("rb") as stored:
        assert made.docx_sha256 == hashlib.sha256(stored.read()).hexdigest()
    event = AuditEvent.objects.get(action="credit.report_finalised")
    assert event.changes == {
        "version": 1,
        "docx_sha256": made.docx_sha256,
        "pdf_sha256": None,
        "pdf_error": None,
        "suggested_amount": "100000.00",
    }


def test_finalising_again_makes_version_two_and_leaves_version_one_as_it_was(
    ready, manager
) -> None:
    first = report.finalise(manager, ready, TODAY)
    with first.docx.open("rb") as stored:
        before = stored.read()
    report.save_sections(manager, ready, {"conclusion": "补充调查后，同意贷款 8 万元。"})
    second = report.finalise(manager, ready, TODAY)
    assert (second.version, second.docx.name != first.docx.name) == (2, True)
    first.refresh_from_db()
    with first.docx.open("rb") as stored:
        assert stored.read() == before
    assert hashlib.sha256(before).hexdigest() == first.docx_sha256
    assert "客户经理意见：补充调查后，同意贷款 8 万元。" in texts(opened(second))
    assert OPINION in " ".join(texts(opened(first)))


# ---- the PDF --------------------------------------------------------------------------------


def test_without_libreoffice_there_is_no_pdf_and_no_error(ready, manager) -> None:
    made = report.finalise(manager, ready, TODAY)
    assert (bool(made.pdf), made.pdf_sha256) == (False, "")


def fake_soffice(folder: Any, script: str) -> None:
    path = folder / "soffice"
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


@pytest.fixture
def with_soffice(monkeypatch, tmp_path) -> Any:
    monkeypatch.undo()  # the real shutil.which, on a PATH where a fake soffice is first
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ.get('PATH', '')}")
    return tmp_path


def test_with_libreoffice_the_pdf_is_converted_and_frozen_too(ready, manager, with_soffice) -> None:
    """The fake writes report.pdf into --outdir, as soffice --convert-to pdf does."""
    fake_soffice(
        with_soffice,
        'while [ "$1" != "--outdir" ]; do shift; done\nprintf "%%PDF-1.4 fake" > "$2/report.pdf"\n',
    )
    made = report.finalise(manager, ready, TODAY)
    with made.pdf.open("rb") as stored:
        content = stored.read()
    assert content == b"%PDF-1.4 fake"
    assert made.pdf_sha256 == hashlib.sha256(content).hexdigest()


def test_a_failed_conversion_leaves_the_docx_and_says_why(ready, manager, with_soffice) -> None:
    fake_soffice(with_soffice, "exit 3\n")
    made = report.finalise(manager, ready, TODAY)
    assert (bool(made.docx), bool(made.pdf)) == (True, False)
    event = AuditEvent.objects.get(action="credit.report_finalised")
    assert "exit status 3" in event.changes["pdf_error"]


# ---- what finalising needs, and who ---------------------------------------------------------


def test_finalising_needs_a_limit_assessment_and_the_managers_opinion(
    case, manager, co_investigator
) -> None:
    with pytest.raises(DomainError) as refused:
        report.finalise(manager, case, TODAY)
    assert refused.value.code == "no_limit"
    assessed(case, manager)
    with pytest.raises(DomainError) as refused:
        report.finalise(manager, case, TODAY)
    assert refused.value.code == "no_opinion"
    report.save_sections(co_investigator, case, {"conclusion": OPINION})
    assert report.finalise(co_investigator, case, TODAY).version == 1


def test_only_the_investigators_write_and_finalise_during_the_investigation(
    ready, reviewer, manager, farmer
) -> None:
    for attempt in (
        lambda: report.finalise(reviewer, ready, TODAY),
        lambda: report.save_sections(reviewer, ready, {"conclusion": "同意"}),
    ):
        with pytest.raises(DomainError) as refused:
            attempt()
        assert refused.value.code == "not_investigator"
    at_intake = ready_to_accept(manager, farmer, amount="50000")
    with pytest.raises(DomainError) as refused:
        report.save_sections(manager, at_intake, {"conclusion": "同意"})
    assert refused.value.code == "not_investigating"
    assert InvestigationReport.objects.count() == 0


def test_only_changed_narratives_are_written_and_audited(case, manager) -> None:
    report.save_sections(manager, case, {"basics": "甲", "loan": ""})
    report.save_sections(manager, case, {"basics": "甲", "loan": "乙"})
    assert dict(ReportSection.objects.values_list("key", "text")) == {"basics": "甲", "loan": "乙"}
    events = AuditEvent.objects.filter(action="credit.report_sections_saved").order_by("seq")
    assert [e.changes["sections"] for e in events] == [["basics"], ["loan"]]
    with pytest.raises(FormInvalid) as refused:
        report.save_sections(manager, case, {"conclusion": "长" * 5001})
    assert list(refused.value.details) == ["conclusion"]


# ---- pages ----------------------------------------------------------------------------------


def url(application: Any, rest: str = "") -> str:
    return f"/credit/applications/{application.pk}/report/{rest}"


def test_the_report_page_shows_the_sections_and_saves_the_narratives(case, login) -> None:
    client = login(case.co_investigator)
    page = client.get(url(case)).content.decode()
    for heading in HEADINGS:
        assert f'<h2 class="h6">{heading}</h2>' in page
    assert 'name="conclusion"' in page and 'id="needs-limit"' in page
    assert "100,000.00 元（人民币壹拾万元整）" in page
    response = client.post(url(case), {"conclusion": OPINION, "security": "押品足值。"})
    assert response.status_code == 302
    assert case.report_sections.get(key="security").text == "押品足值。"
    preview = client.get(url(case, "preview/")).content.decode()
    assert OPINION in preview and "预览（未定稿）" in preview


def test_finalising_and_downloading_through_the_page(ready, login, colleague) -> None:
    client = login(ready.manager)
    response = client.post(url(ready, "finalise/"))
    assert response.status_code == 302
    page = client.get(url(ready)).content.decode()
    assert "调查报告已定稿：第 1 版" in page and 'id="version-1"' in page
    made = InvestigationReport.objects.get()
    download = client.get(url(ready, "1/docx/"))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == made.docx.open("rb").read()
    assert "attachment" in download["Content-Disposition"]
    event = AuditEvent.objects.get(action="credit.report_downloaded")
    assert event.changes == {"version": 1, "format": "docx", "sha256": made.docx_sha256}
    assert client.get(url(ready, "1/pdf/")).status_code == 404  # none was made
    assert client.get(url(ready, "2/docx/")).status_code == 404
    assert login(colleague).get(url(ready, "1/docx/")).status_code == 404
    assert AuditEvent.objects.filter(action="credit.report_downloaded").count() == 1


def test_others_read_the_report_but_neither_write_nor_finalise_it(ready, reviewer, login) -> None:
    client = login(reviewer)
    page = client.get(url(ready)).content.decode()
    assert 'id="finalise-form"' not in page and "<textarea" not in page
    assert OPINION in page
    client.post(url(ready, "finalise/"))
    assert InvestigationReport.objects.count() == 0


# ---- API ------------------------------------------------------------------------------------

API = "/api/v1/applications"


def test_the_api_finalises_and_lists_the_versions(ready, login) -> None:
    client = login(ready.co_investigator)
    assert client.get(f"{API}/{ready.pk}/report").json()["code"] == "no_report"
    made = client.post(f"{API}/{ready.pk}/report/finalise")
    assert made.status_code == 201
    body = made.json()
    stored = InvestigationReport.objects.get()
    assert body == {
        "version": 1,
        "suggested_amount": "100000.00",
        "docx_sha256": stored.docx_sha256,
        "pdf_sha256": None,
        "finalised_by": "sun",
        "finalised_at": body["finalised_at"],
        "download_url": f"{API}/{ready.pk}/report/1/docx",
        "pdf_url": None,
    }
    client.post(f"{API}/{ready.pk}/report/finalise")
    listed = client.get(f"{API}/{ready.pk}/report").json()
    assert (listed["version"], [v["version"] for v in listed["versions"]]) == (2, [2, 1])
    download = client.get(listed["versions"][1]["download_url"])
    assert hashlib.sha256(b"".join(download.streaming_content)).hexdigest() == body["docx_sha256"]


def test_the_api_refuses_to_finalise_without_a_limit(case, login) -> None:
    response = login(case.manager).post(f"{API}/{case.pk}/report/finalise")
    assert (response.status_code, response.json()["code"]) == (409, "no_limit")
