"""The investigation record (实地调查) as its two investigators keep it, and the conditions of
提交调查: services, the stage machine's guard, the pages and the API.

The farmer 王大山 (factories.complete_farmer) applied on 2026-11-27 for 100,000 元; 张三 (his
manager) and 孙协办 (co-investigator) visit him that morning at 09:30. A farmer has eight
checklist items (a business licence is asked of businesses and enterprises only); his analysis
is his household statement, built from last year's income in the archive. The wall clock is
2026-11-27 10:00 in Beijing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.credit.factories import (
    PDF,
    VISIT,
    answers,
    investigating,
    limit_computed,
    pdf,
    photo,
    png,
    ready_to_submit,
    recorded,
    report_finalised,
)
from xindai.audit.models import AuditEvent
from xindai.core.errors import DomainError, FormInvalid
from xindai.credit import facts, investigation, services
from xindai.credit.investigation import NotInvestigator
from xindai.credit.models import (
    CreditApplication,
    Investigation,
    InvestigationFile,
    InvestigatorConfirmation,
)
from xindai.credit.services import TransitionRefused
from xindai.customers import section_models as sm
from xindai.customers.models import Customer, SoftInfo
from xindai.org.models import User
from xindai.org.roles import Role

pytestmark = pytest.mark.django_db

BEIJING = ZoneInfo("Asia/Shanghai")
FARMER_ITEMS = [
    "法定代表人/借款人、代理人身份真实有效",
    "申请资料真实、完整",
    "在本行开立结算账户",
    "三圈软信息已了解（生意圈、生活圈、社交圈）",
    "贷款用途真实合法、交易真实",
    "还款来源可靠、时间与现金流匹配",
    "担保真实有效（保证人资格与能力、押品权属与价值）",
    "经营/生产场所现场核实",
]
FARMER_KEYS = [
    "identity",
    "application",
    "accounts",
    "soft_info",
    "purpose",
    "repayment",
    "guarantee",
    "site",
]
CLEARED = "确认后调查记录有变动，已清除确认，须两位调查人重新确认"
API = "/api/v1/applications"


@pytest.fixture(autouse=True)
def ten_in_the_morning() -> Any:
    with time_machine.travel(dt.datetime(2026, 11, 27, 10, 0, tzinfo=BEIJING), tick=True):
        yield


@pytest.fixture
def another_manager(tree, make_user) -> User:
    """A customer manager of the same outlet, not on this case."""
    return make_user("zhao", tree["O11"], Role.MANAGER, full_name="赵五")


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


def unmet(user: User, application: CreditApplication) -> dict[str, list[str]]:
    with pytest.raises(TransitionRefused) as refused:
        services.take(user, application, "submit_investigation")
    return refused.value.details


def checklist_messages(labels: list[str]) -> list[str]:
    return [f"调查核实事项未完成：{label}" for label in labels]


def with_answer(key: str, result: str, note: str = "") -> dict[str, str]:
    return VISIT | answers() | {f"{key}_result": result, f"{key}_note": note}


# ---- the record ---------------------------------------------------------------------------


def test_the_manager_records_the_visit_checklist_and_repayment_plan(
    manager, farmer, co_investigator
) -> None:
    application = investigating(manager, farmer, co_investigator)
    data = with_answer("guarantee", "na", "信用贷款，无担保")
    record = investigation.save_record(manager, application, data)
    record.refresh_from_db()
    assert record.visited_at == dt.datetime(2026, 11, 27, 9, 30, tzinfo=BEIJING)
    assert record.place == "多福巷村3组12号及村东稻田"
    assert (record.latitude, record.longitude) == (Decimal("30.274085"), Decimal("120.155070"))
    assert record.repayment_source == "水稻销售收入，另有家庭务工收入"
    assert record.repayment_timing == "2027 年 10 月晚稻收割后一次还本，利息按月支付"
    assert sorted(record.checklist) == sorted(FARMER_KEYS)  # jsonb keeps no order
    assert record.checklist["guarantee"] == {"result": "na", "note": "信用贷款，无担保"}
    assert record.checklist["site"] == {"result": "yes", "note": "已核实"}
    assert record.updated_by == manager
    [saved] = events("credit.investigation_saved")
    assert (saved.actor_username, saved.object_id) == ("zhang", str(application.pk))
    assert saved.changes["place"] == {"from": None, "to": "多福巷村3组12号及村东稻田"}
    assert saved.changes["latitude"] == {"from": None, "to": "30.274085"}
    assert saved.changes["checklist"]["guarantee"] == {
        "from": None,
        "to": {"result": "na", "note": "信用贷款，无担保"},
    }


def test_coordinates_are_kept_to_six_decimals_rounding_half_up(
    manager, farmer, co_investigator
) -> None:
    application = investigating(manager, farmer, co_investigator)
    data = VISIT | {"latitude": "30.2740855", "longitude": "-120.1550704"}
    record = investigation.save_record(manager, application, data)
    record.refresh_from_db()
    assert (record.latitude, record.longitude) == (Decimal("30.274086"), Decimal("-120.155070"))


@pytest.mark.parametrize(
    ("latitude", "longitude", "errors"),
    [
        ("90.000001", "120", {"latitude": ["纬度须在 -90 到 90 之间"]}),
        ("-91", "120", {"latitude": ["纬度须在 -90 到 90 之间"]}),
        ("30", "180.5", {"longitude": ["经度须在 -180 到 180 之间"]}),
        ("北纬30度", "120", {"latitude": ["纬度须是数字，如 30.274085"]}),
        ("30", "", {"longitude": ["经度和纬度须同时填写"]}),
        ("NaN", "120", {"latitude": ["纬度须是数字，如 30.274085"]}),
    ],
)
def test_bad_coordinates_are_refused_and_nothing_is_saved(
    manager, farmer, co_investigator, latitude, longitude, errors
) -> None:
    application = investigating(manager, farmer, co_investigator)
    data = VISIT | answers() | {"latitude": latitude, "longitude": longitude}
    with pytest.raises(FormInvalid) as refused:
        investigation.save_record(manager, application, data)
    assert refused.value.message == "调查记录有误，未保存"
    assert refused.value.details == errors
    assert Investigation.objects.count() == 0
    assert events("credit.investigation_saved") == []


def test_a_visit_cannot_be_in_the_future(manager, farmer, co_investigator) -> None:
    application = investigating(manager, farmer, co_investigator)
    with pytest.raises(FormInvalid) as refused:
        investigation.save_record(manager, application, VISIT | {"visited_at": "2026-11-27T10:30"})
    assert refused.value.details == {"visited_at": ["走访时间不能晚于现在"]}


def test_a_no_needs_a_note_saying_why(manager, farmer, co_investigator) -> None:
    application = investigating(manager, farmer, co_investigator)
    with pytest.raises(FormInvalid) as refused:
        investigation.save_record(manager, application, with_answer("purpose", "no", "  "))
    assert refused.value.details == {"purpose_note": ["选择“不符合”须说明原因"]}
    record = investigation.save_record(
        manager, application, with_answer("purpose", "no", "发票与合同金额不符")
    )
    assert record.checklist["purpose"] == {"result": "no", "note": "发票与合同金额不符"}


def test_an_answer_must_be_one_of_the_three(manager, farmer, co_investigator) -> None:
    application = investigating(manager, farmer, co_investigator)
    with pytest.raises(FormInvalid) as refused:
        investigation.save_record(manager, application, with_answer("site", "maybe"))
    assert refused.value.details == {
        "site_result": ["选择一个有效的选项。 maybe 不在可用的选项中。"]
    }


def test_the_items_are_those_of_the_customers_kind(manager, farmer, co_investigator) -> None:
    """A farmer has no business licence to check: the item is not offered, and refused."""
    application = investigating(manager, farmer, co_investigator)
    form = investigation.RecordForm(kind="farmer")
    assert [item.key for item in form.items] == FARMER_KEYS
    assert "licence_result" not in form.fields
    with pytest.raises(FormInvalid) as refused:
        investigation.save_record(manager, application, with_answer("licence", "yes"))
    known = "、".join(FARMER_KEYS)
    assert refused.value.details == {"__all__": [f"没有此调查事项：licence（可填写：{known}）"]}
    enterprise = investigation.RecordForm(kind="enterprise")
    assert [item.key for item in enterprise.items] == ["licence", *FARMER_KEYS]


def test_saving_the_same_record_again_writes_nothing(manager, farmer, co_investigator) -> None:
    application = recorded(manager, farmer, co_investigator)
    before = Investigation.objects.get().updated_at
    investigation.save_record(co_investigator, application, VISIT | answers())
    assert Investigation.objects.get().updated_at == before
    assert len(events("credit.investigation_saved")) == 1


def test_an_answer_left_blank_is_cleared(manager, farmer, co_investigator) -> None:
    application = recorded(manager, farmer, co_investigator)
    record = investigation.save_record(manager, application, with_answer("site", ""))
    assert "site" not in record.checklist
    assert events("credit.investigation_saved")[-1].changes == {
        "checklist": {"site": {"from": {"result": "yes", "note": "已核实"}, "to": None}}
    }


# ---- who may, and when ----------------------------------------------------------------------


def test_only_the_two_investigators_may_change_or_confirm_the_record(
    manager, farmer, co_investigator, another_manager, branch_head, reviewer
) -> None:
    application = recorded(manager, farmer, co_investigator)
    investigation.save_record(co_investigator, application, with_answer("site", "yes", "看过稻田"))
    for outsider in (another_manager, branch_head, reviewer):
        with pytest.raises(NotInvestigator) as refused:
            investigation.save_record(outsider, application, VISIT | answers())
        assert refused.value.message == "只有本笔申请的主调查人和协办调查人可以办理实地调查"
        assert refused.value.status == 403
        with pytest.raises(NotInvestigator):
            investigation.add_file(outsider, application, {"kind": "photo"}, {"file": photo()})
        with pytest.raises(NotInvestigator):
            investigation.confirm(outsider, application)
    assert InvestigationFile.objects.count() == 0
    assert InvestigatorConfirmation.objects.count() == 0
    assert Investigation.objects.get().updated_by == co_investigator


def test_a_user_without_a_role_is_refused(manager, farmer, co_investigator, outsider) -> None:
    application = recorded(manager, farmer, co_investigator)
    with pytest.raises(PermissionDenied):
        investigation.save_record(outsider, application, VISIT)


def test_the_record_is_closed_outside_the_investigation(manager, farmer, co_investigator) -> None:
    application = ready_to_submit(manager, farmer, co_investigator)
    services.take(manager, application, "submit_investigation")
    with pytest.raises(DomainError) as refused:
        investigation.save_record(manager, application, VISIT | {"place": "村委会"})
    assert (refused.value.code, refused.value.message) == (
        "not_investigating",
        "申请不在实地调查阶段，调查记录不能修改",
    )
    with pytest.raises(DomainError):
        investigation.add_file(manager, application, {"kind": "photo"}, {"file": photo()})
    assert Investigation.objects.get().place == "多福巷村3组12号及村东稻田"


# ---- files ----------------------------------------------------------------------------------


def test_a_photo_is_stored_with_its_type_and_digest(manager, farmer, co_investigator) -> None:
    application = investigating(manager, farmer, co_investigator)
    item = investigation.add_file(
        co_investigator, application, {"kind": "photo", "caption": "村东稻田"}, {"file": photo()}
    )
    digest = hashlib.sha256(png()).hexdigest()
    assert (item.kind, item.caption, item.content_type) == ("photo", "村东稻田", "image/png")
    assert (item.sha256, item.uploaded_by) == (digest, co_investigator)
    assert item.file.name.endswith(f"{digest[:16]}.png")
    with item.file.open("rb") as stored:
        assert stored.read() == png()
    [added] = events("credit.investigation_file_added")
    assert added.changes == {"file": item.pk, "kind": "photo", "sha256": digest, "size": len(png())}


def test_evidence_of_the_purpose_may_be_a_pdf(manager, farmer, co_investigator) -> None:
    application = investigating(manager, farmer, co_investigator)
    data = {"kind": "contract", "caption": "化肥购销合同"}
    item = investigation.add_file(manager, application, data, {"file": pdf("合同.pdf")})
    assert (item.kind, item.content_type) == ("contract", "application/pdf")


@pytest.mark.parametrize(
    ("kind", "name", "content", "errors"),
    [
        ("photo", "scan.pdf", PDF, ["现场照片只接受 JPG、PNG 图片（按文件内容判断）"]),
        ("photo", "稻田.jpg", b"just text", ["现场照片只接受 JPG、PNG 图片（按文件内容判断）"]),
        (
            "invoice",
            "发票.pdf",
            b"PK\x03\x04 a spreadsheet",
            ["用途证明只接受 JPG、PNG 图片或 PDF 文件（按文件内容判断）"],
        ),
        ("photo", "empty.png", b"", ["所提交的是空文件。"]),
    ],
)
def test_a_file_of_the_wrong_type_is_refused_and_nothing_saved(
    manager, farmer, co_investigator, kind, name, content, errors
) -> None:
    application = investigating(manager, farmer, co_investigator)
    upload = SimpleUploadedFile(name, content)
    with pytest.raises(FormInvalid) as refused:
        investigation.add_file(manager, application, {"kind": kind}, {"file": upload})
    assert refused.value.details == {"file": errors}
    assert InvestigationFile.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused(manager, farmer, co_investigator, settings) -> None:
    settings.XINDAI_UPLOAD_MAX_BYTES = 1024
    application = investigating(manager, farmer, co_investigator)
    big = SimpleUploadedFile("big.png", b"\x89PNG\r\n\x1a\n" + bytes(2000))
    with pytest.raises(FormInvalid) as refused:
        investigation.add_file(manager, application, {"kind": "photo"}, {"file": big})
    assert refused.value.details == {"file": ["文件不能超过 1 KB"]}
    assert InvestigationFile.objects.count() == 0


# ---- soft information ---------------------------------------------------------------------


def test_soft_information_goes_into_the_archive(manager, farmer, co_investigator) -> None:
    application = investigating(manager, farmer, co_investigator)
    data = {
        "circle": "life",
        "note": "邻居说其勤劳顾家",
        "source": "邻居李婶",
        "noted_on": "2026-11-27",
    }
    note = investigation.add_soft_info(manager, application, data)
    assert (note.customer, note.author, note.circle) == (farmer, manager, "life")
    assert len(events("customers.soft_info.create")) == 1


def test_the_co_investigator_cannot_write_into_the_archive(
    manager, farmer, co_investigator
) -> None:
    """协办调查人 holds no right to change archives: the archive's own service refuses."""
    application = investigating(manager, farmer, co_investigator)
    data = {"circle": "life", "note": "勤劳", "source": "邻居", "noted_on": "2026-11-27"}
    with pytest.raises(PermissionDenied):
        investigation.add_soft_info(co_investigator, application, data)
    assert SoftInfo.objects.count() == 0


# ---- confirmations --------------------------------------------------------------------------


def test_each_investigator_confirms_once(manager, farmer, co_investigator) -> None:
    application = recorded(manager, farmer, co_investigator)
    investigation.confirm(manager, application)
    with pytest.raises(DomainError) as refused:
        investigation.confirm(manager, application)
    assert (refused.value.code, refused.value.message) == (
        "already_confirmed",
        "您已确认过本次调查结果",
    )
    investigation.confirm(co_investigator, application)
    assert [c.investigator for c in investigation.current_confirmations(application)] == [
        manager,
        co_investigator,
    ]
    assert [e.changes for e in events("credit.investigation_confirmed")] == [
        {"investigator": "zhang", "as": "manager", "replaced_stale": 0},
        {"investigator": "sun", "as": "co_investigator", "replaced_stale": 0},
    ]


def test_an_incomplete_record_cannot_be_confirmed(manager, farmer, co_investigator) -> None:
    application = investigating(manager, farmer, co_investigator)
    investigation.save_record(manager, application, answers() | {"site_result": ""})
    with pytest.raises(DomainError) as refused:
        investigation.confirm(manager, application)
    assert refused.value.code == "record_incomplete"
    assert refused.value.details == {
        "visit": ["未登记走访时间和地点"],
        "checklist": ["调查核实事项未完成：经营/生产场所现场核实"],
    }
    assert refused.value.message == (
        "调查记录尚未完成，不能确认：未登记走访时间和地点；调查核实事项未完成：经营/生产场所现场核实"
    )


def test_a_change_after_confirmation_clears_both_confirmations(
    manager, farmer, co_investigator
) -> None:
    application = recorded(manager, farmer, co_investigator)
    investigation.confirm(manager, application)
    investigation.confirm(co_investigator, application)
    investigation.save_record(co_investigator, application, VISIT | answers() | {"place": "村委会"})
    assert InvestigatorConfirmation.objects.count() == 0
    [cleared] = events("credit.investigation_confirmations_cleared")
    assert cleared.actor_username == "sun"
    assert cleared.changes == {
        "investigators": ["zhang", "sun"],
        "cause": "credit.investigation_saved",
    }
    assert cleared.reason == CLEARED
    investigation.confirm(manager, application)  # confirmed again
    assert facts.case_of(application, dt.date(2026, 11, 27)).confirmed_by == {manager.pk}


def test_a_file_added_after_confirmation_clears_them_too(manager, farmer, co_investigator) -> None:
    application = recorded(manager, farmer, co_investigator)
    investigation.confirm(manager, application)
    investigation.add_file(manager, application, {"kind": "photo"}, {"file": photo()})
    assert InvestigatorConfirmation.objects.count() == 0
    [cleared] = events("credit.investigation_confirmations_cleared")
    assert cleared.changes == {
        "investigators": ["zhang"],
        "cause": "credit.investigation_file_added",
    }


def test_a_soft_information_note_does_not_clear_them(manager, farmer, co_investigator) -> None:
    """The note belongs to the archive, not to the record the investigators confirmed."""
    application = recorded(manager, farmer, co_investigator)
    investigation.confirm(manager, application)
    data = {
        "circle": "business",
        "note": "货款结算及时",
        "source": "农资店",
        "noted_on": "2026-11-27",
    }
    investigation.add_soft_info(manager, application, data)
    assert InvestigatorConfirmation.objects.count() == 1


# ---- the guard of 提交调查 ------------------------------------------------------------------


def test_the_investigation_is_submitted_only_when_everything_is_done(
    manager, farmer, co_investigator
) -> None:
    application = investigating(manager, farmer, co_investigator)
    assert unmet(manager, application) == {
        "visit": ["未登记走访时间和地点"],
        "checklist": checklist_messages(FARMER_ITEMS),
        "limit": ["尚未进行授信额度测算"],
        "report": ["调查报告尚未定稿"],
        "confirmations": ["主调查人和协办调查人须分别确认调查结果（已确认 0 人）"],
    }
    investigation.save_record(manager, application, VISIT | answers())
    limit_computed(application, manager)
    report_finalised(application, manager)
    investigation.confirm(manager, application)
    assert unmet(co_investigator, application) == {
        "confirmations": ["主调查人和协办调查人须分别确认调查结果（已确认 1 人）"]
    }
    investigation.confirm(co_investigator, application)
    event = services.take(co_investigator, application, "submit_investigation")
    assert (event.from_stage, event.to_stage) == ("investigation", "review")


def test_a_farmer_without_last_years_income_has_no_analysis(
    manager, farmer, co_investigator
) -> None:
    application = ready_to_submit(manager, farmer, co_investigator)
    sm.IncomeItem.objects.filter(customer=farmer).delete()
    assert unmet(manager, application) == {"analysis": ["尚未完成财务分析"]}


def test_a_business_needs_financial_statements(manager, village) -> None:
    """Without the analysis app's statements (or the app itself) there is no analysis."""
    shop = Customer.objects.create(
        kind="business",
        name="多福农资店",
        id_type="credit_code",
        id_number="92330100MA2XXXXX1A",
        village=village,
        manager=manager,
        org_unit=manager.org_unit,
    )
    sm.IncomeItem.objects.create(customer=shop, period="last_year", source="other", amount=1)
    assert facts.analysis_done(shop) is False
    if not apps.is_installed("xindai.analysis"):
        return
    statements = apps.get_model("analysis", "StatementSet")
    statements.objects.create(customer=shop, kind="business", period_end=dt.date(2025, 12, 31))
    assert facts.analysis_done(shop) is True


def test_a_report_written_before_the_record_changed_is_out_of_date(
    manager, farmer, co_investigator
) -> None:
    application = ready_to_submit(manager, farmer, co_investigator)
    investigation.add_file(manager, application, {"kind": "photo"}, {"file": photo()})
    assert unmet(manager, application) == {
        "report": ["调查报告尚未定稿"],
        "confirmations": ["主调查人和协办调查人须分别确认调查结果（已确认 0 人）"],
    }
    report_finalised(application, manager)  # version 2, after the photo
    investigation.confirm(manager, application)
    investigation.confirm(co_investigator, application)
    services.take(manager, application, "submit_investigation")


def test_a_case_returned_for_rework_needs_a_new_report_and_new_confirmations(
    manager, farmer, co_investigator, reviewer
) -> None:
    application = ready_to_submit(manager, farmer, co_investigator)
    services.take(manager, application, "submit_investigation")
    services.take(reviewer, application, "return_for_rework", "补充存货照片")
    assert unmet(manager, application) == {
        "report": ["调查报告尚未定稿"],
        "confirmations": ["主调查人和协办调查人须分别确认调查结果（已确认 0 人）"],
    }
    investigation.confirm(manager, application)  # the one before the rework is replaced
    assert events("credit.investigation_confirmed")[-1].changes == {
        "investigator": "zhang",
        "as": "manager",
        "replaced_stale": 2,
    }
    investigation.confirm(co_investigator, application)
    report_finalised(application, manager)
    services.take(manager, application, "submit_investigation")
    application.refresh_from_db()
    assert application.stage == "review"


# ---- the pages ------------------------------------------------------------------------------


def page_url(application: CreditApplication, rest: str = "") -> str:
    return f"/credit/applications/{application.pk}/investigation/{rest}"


def page_text(client: Any, address: str) -> str:
    response = client.get(address)
    assert response.status_code == 200, address
    return response.content.decode()


def outstanding_keys(page: str) -> list[str]:
    found = re.search(r'<ul class="unmet-list small mb-3" id="outstanding">(.*?)</ul>', page, re.S)
    return re.findall(r'data-key="(\w+)"', found.group(1)) if found else []


def test_the_page_shows_the_checklist_of_the_kind_and_what_is_missing(
    manager, farmer, co_investigator, login
) -> None:
    application = investigating(manager, farmer, co_investigator)
    page = page_text(login(manager), page_url(application))
    assert re.findall(r'<fieldset class="check-item" id="item-(\w+)">', page) == FARMER_KEYS
    assert 'id="item-licence"' not in page
    assert '<input type="datetime-local" name="visited_at"' in page
    assert 'data-geolocate data-latitude="id_latitude" data-longitude="id_longitude"' in page
    assert 'accept="image/*" capture="environment"' in page
    assert outstanding_keys(page) == ["visit", "checklist", "limit", "report", "confirmations"]
    assert "调查核实事项尚有 8 项未完成" in page
    assert page.count('<span class="badge text-bg-warning fw-normal unanswered">未核实</span>') == 8
    assert "提交调查尚缺 5 项条件" in page
    assert f'href="/credit/applications/{application.pk}/limit/"' in page
    assert 'id="save-record"' in page
    assert 'id="confirm-record" disabled aria-describedby="confirm-hint"' in page
    assert page.count('<span class="text-body-secondary waiting">') == 2
    assert "/static/xindai/investigation.js" in page


def test_the_detail_page_links_to_the_record(manager, farmer, co_investigator, login) -> None:
    application = recorded(manager, farmer, co_investigator)
    page = page_text(login(manager), f"/credit/applications/{application.pk}/")
    assert f'href="{page_url(application)}" id="open-investigation"' in page
    assert "2026-11-27 09:30 · 多福巷村3组12号及村东稻田" in page


def test_the_manager_saves_the_record_from_the_page(
    manager, farmer, co_investigator, login
) -> None:
    application = investigating(manager, farmer, co_investigator)
    response = login(manager).post(page_url(application, "record/"), VISIT | answers())
    assert response.status_code == 302
    assert response["Location"] == page_url(application) + "#record"
    assert Investigation.objects.get().checklist["purpose"] == {"result": "yes", "note": "已核实"}
    page = page_text(login(manager), page_url(application))
    assert (
        'value="yes" class="btn-check" autocomplete="off" id="id_purpose_result_0" checked' in page
    )
    assert outstanding_keys(page) == ["limit", "report", "confirmations"]


def test_a_refused_record_is_shown_again_with_its_errors(
    manager, farmer, co_investigator, login
) -> None:
    application = investigating(manager, farmer, co_investigator)
    data = with_answer("purpose", "no") | {"latitude": "95"}
    response = login(manager).post(page_url(application, "record/"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        '<div class="invalid-feedback d-block" id="id_latitude_errors"><div>纬度须在 -90 到 90 之间'
        in page
    )
    assert 'id="id_purpose_note_errors"><div>选择“不符合”须说明原因</div>' in page
    assert 'value="多福巷村3组12号及村东稻田"' in page  # what was typed is kept
    assert Investigation.objects.count() == 0


def test_photos_and_evidence_are_uploaded_and_shown(
    manager, farmer, co_investigator, login
) -> None:
    application = investigating(manager, farmer, co_investigator)
    client = login(manager)
    response = client.post(
        page_url(application, "files/"), {"kind": "photo", "caption": "稻田", "file": photo()}
    )
    assert response["Location"] == page_url(application) + "#photos"
    client.post(page_url(application, "files/"), {"kind": "invoice", "file": pdf("发票.pdf")})
    shot, invoice = InvestigationFile.objects.order_by("pk")
    page = page_text(client, page_url(application))
    assert f'src="{page_url(application, f"files/{shot.pk}/")}" alt="稻田"' in page
    assert f'<a href="{page_url(application, f"files/{invoice.pk}/")}">发票</a>' in page
    image = client.get(page_url(application, f"files/{shot.pk}/"))
    assert (image["Content-Type"], b"".join(image.streaming_content)) == ("image/png", png())
    assert image["Content-Disposition"].startswith("inline")
    document = client.get(page_url(application, f"files/{invoice.pk}/"))
    assert document["Content-Type"] == "application/pdf"
    assert document["Content-Disposition"].startswith("attachment")


def test_a_photo_that_is_not_an_image_is_refused_on_the_page(
    manager, farmer, co_investigator, login
) -> None:
    application = investigating(manager, farmer, co_investigator)
    response = login(manager).post(
        page_url(application, "files/"), {"kind": "photo", "file": pdf("照片.jpg")}
    )
    assert response.status_code == 200
    assert (
        'id="photo-file-errors"><div>现场照片只接受 JPG、PNG 图片（按文件内容判断）</div>'
        in response.content.decode()
    )
    assert InvestigationFile.objects.count() == 0


def test_both_investigators_confirm_on_the_page(manager, farmer, co_investigator, login) -> None:
    application = recorded(manager, farmer, co_investigator)
    for person in (manager, co_investigator):
        client = login(person)
        assert 'id="confirm-record" data-confirm=' in page_text(client, page_url(application))
        response = client.post(page_url(application, "confirm/"))
        assert response["Location"] == page_url(application) + "#confirmations"
        page = page_text(client, page_url(application))
        assert "已确认调查结果" in page
        assert 'id="confirm-record"' not in page
    assert page.count("2026-11-27 10:00 已确认") == 2
    assert outstanding_keys(page) == ["limit", "report"]


def test_a_refused_confirmation_says_why(manager, farmer, co_investigator, login) -> None:
    application = investigating(manager, farmer, co_investigator)
    client = login(manager)
    client.post(page_url(application, "confirm/"))
    page = page_text(client, page_url(application))
    assert "调查记录尚未完成，不能确认：未登记走访时间和地点" in page


def test_the_co_investigator_edits_but_cannot_write_into_the_archive(
    manager, farmer, co_investigator, login
) -> None:
    application = investigating(manager, farmer, co_investigator)
    page = page_text(login(co_investigator), page_url(application))
    assert 'id="save-record"' in page
    assert 'id="soft-form"' not in page
    assert page_text(login(manager), page_url(application)).count('id="soft-form"') == 1


def test_others_in_scope_see_the_record_read_only(
    manager, farmer, co_investigator, branch_head, login
) -> None:
    application = recorded(manager, farmer, co_investigator)
    client = login(branch_head)
    page = page_text(client, page_url(application))
    assert "只有本笔申请的主调查人和协办调查人可以修改调查记录。" in page
    assert "<fieldset disabled>" in page
    assert 'id="save-record"' not in page and 'id="photo-form"' not in page
    client.post(page_url(application, "record/"), VISIT | {"place": "村委会"})
    assert Investigation.objects.get().place == "多福巷村3组12号及村东稻田"


def test_another_branch_gets_404(manager, farmer, co_investigator, colleague, login) -> None:
    application = recorded(manager, farmer, co_investigator)
    shot = investigation.add_file(manager, application, {"kind": "photo"}, {"file": photo()})
    client = login(colleague)
    for address in (page_url(application), page_url(application, f"files/{shot.pk}/")):
        assert client.get(address).status_code == 404
    for rest in ("record/", "files/", "confirm/", "soft-info/"):
        assert client.post(page_url(application, rest), VISIT).status_code == 404
    assert InvestigatorConfirmation.objects.count() == 0


def test_soft_information_is_added_from_the_page(manager, farmer, co_investigator, login) -> None:
    application = investigating(manager, farmer, co_investigator)
    client = login(manager)
    data = {
        "circle": "social",
        "note": "村民代表，口碑好",
        "source": "村委会",
        "noted_on": "2026-11-27",
    }
    response = client.post(page_url(application, "soft-info/"), data)
    assert response["Location"] == page_url(application) + "#soft-info"
    page = page_text(client, page_url(application))
    circle = re.search(r'id="circle-social">(.*?)</div></div></div>', page, re.S)
    assert circle and "村民代表，口碑好" in circle.group(1) and "来源：村委会" in circle.group(1)


# ---- the API --------------------------------------------------------------------------------


def api_url(application: CreditApplication, rest: str = "") -> str:
    return f"{API}/{application.pk}/investigation{rest}"


def test_the_api_reads_the_record(manager, farmer, co_investigator, login) -> None:
    application = recorded(manager, farmer, co_investigator)
    body = login(co_investigator).get(api_url(application)).json()
    assert body["application"] == application.pk
    assert (body["stage"], body["editable"]) == ("investigation", True)
    assert body["visited_at"] == "2026-11-27T01:30:00Z"
    assert (body["place"], body["latitude"], body["longitude"]) == (
        "多福巷村3组12号及村东稻田",
        "30.274085",
        "120.155070",
    )
    assert [i["key"] for i in body["checklist"]] == FARMER_KEYS
    assert body["checklist"][4] == {
        "key": "purpose",
        "label": "贷款用途真实合法、交易真实",
        "hint": "查看购销合同、发票、报价单等证明，记录交易对手",
        "result": "yes",
        "result_label": "符合",
        "note": "已核实",
    }
    assert (body["updated_by"], body["files"], body["confirmations"]) == ("zhang", [], [])
    assert body["unmet"] == {
        "limit": ["尚未进行授信额度测算"],
        "report": ["调查报告尚未定稿"],
        "confirmations": ["主调查人和协办调查人须分别确认调查结果（已确认 0 人）"],
    }


def test_the_api_saves_the_record(manager, farmer, co_investigator, login) -> None:
    application = investigating(manager, farmer, co_investigator)
    checklist = {key: {"result": "yes", "note": "已核实"} for key in FARMER_KEYS}
    checklist["guarantee"] = {"result": "na", "note": "信用贷款"}
    body = {
        "visited_at": "2026-11-27T09:30:00+08:00",
        "place": "多福巷村",
        "latitude": 30.274085,
        "longitude": "120.15507",
        "checklist": checklist,
        "repayment_source": "水稻销售收入",
    }
    response = login(manager).put(api_url(application), body, content_type="application/json")
    assert response.status_code == 200, response.json()
    saved = response.json()
    assert (saved["latitude"], saved["longitude"]) == ("30.274085", "120.155070")
    assert saved["checklist"][6]["result_label"] == "不适用"
    assert "visit" not in saved["unmet"] and "checklist" not in saved["unmet"]
    assert Investigation.objects.get().repayment_timing == ""


def test_the_api_refuses_bad_input_with_field_messages(
    manager, farmer, co_investigator, login
) -> None:
    application = investigating(manager, farmer, co_investigator)
    client = login(manager)
    body = {"place": "多福巷村", "latitude": 91, "longitude": 120, "checklist": {"oops": {}}}
    response = client.put(api_url(application), body, content_type="application/json")
    assert response.status_code == 422
    known = "、".join(FARMER_KEYS)
    assert response.json() == {
        "code": "validation_error",
        "message": "调查记录有误，未保存",
        "details": {
            "latitude": ["纬度须在 -90 到 90 之间"],
            "__all__": [f"没有此调查事项：oops（可填写：{known}）"],
        },
    }
    assert Investigation.objects.count() == 0


def test_the_api_uploads_a_photo_and_refuses_a_document_as_photo(
    manager, farmer, co_investigator, login
) -> None:
    application = investigating(manager, farmer, co_investigator)
    client = login(manager)
    response = client.post(api_url(application, "/files"), {"kind": "photo", "file": photo()})
    assert response.status_code == 201
    item = InvestigationFile.objects.get()
    body = response.json()
    assert body.pop("uploaded_at").startswith("2026-11-27T02:00:")  # 10:00 in Beijing
    assert body == {
        "id": item.pk,
        "kind": "photo",
        "kind_label": "现场照片",
        "caption": "",
        "content_type": "image/png",
        "sha256": hashlib.sha256(png()).hexdigest(),
        "uploaded_by": "zhang",
    }
    refused = client.post(api_url(application, "/files"), {"kind": "photo", "file": pdf()})
    assert refused.status_code == 422
    assert refused.json()["details"] == {"file": ["现场照片只接受 JPG、PNG 图片（按文件内容判断）"]}
    assert InvestigationFile.objects.count() == 1


def test_the_api_confirms_once_per_investigator(manager, farmer, co_investigator, login) -> None:
    application = recorded(manager, farmer, co_investigator)
    client = login(co_investigator)
    body = client.post(api_url(application, "/confirm")).json()
    assert [(c["investigator"], c["role"]) for c in body["confirmations"]] == [
        ("sun", "co_investigator")
    ]
    again = client.post(api_url(application, "/confirm"))
    assert (again.status_code, again.json()["code"]) == (409, "already_confirmed")


def test_the_api_refuses_others(
    manager, farmer, co_investigator, colleague, branch_head, login
) -> None:
    application = recorded(manager, farmer, co_investigator)
    assert login(colleague).get(api_url(application)).status_code == 404
    head = login(branch_head)
    assert head.get(api_url(application)).json()["editable"] is False
    response = head.put(api_url(application), {"place": "村委会"}, content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (403, "not_investigator")
    response = head.post(api_url(application, "/confirm"))
    assert response.status_code == 403
