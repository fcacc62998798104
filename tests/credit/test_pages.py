"""The credit pages (申请受理), as a manager, his colleague in another branch, the branch head
and a co-investigator use them: the list and the queue, a new application, the detail page
with its intake sections and actions, the admission decision, its escalation, the timeline.

The farmer 王大山 (factories.complete_farmer) applies on 2026-11-27 for 100,000 元 over 12
months with 整村授信贷 (ZCSX: 1万–30万 元, 6–36 months): a short-term loan, to be answered by
2026-12-27 (贷款通则 第23条).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest

from tests.credit.factories import (
    CREDIT_REPORT,
    application_data,
    complete_farmer,
    farmer_product,
    investigating,
    pdf,
    prudent,
    ready_to_accept,
    set_today,
    submitted,
)
from xindai.credit import services
from xindai.credit.models import CreditApplication, StageEvent
from xindai.customers.models import Area, Customer
from xindai.org.models import User

pytestmark = pytest.mark.django_db

LIST = "/credit/applications/"
QUEUE = "/credit/applications/queue/"
ROW_LINK = 'class="fw-semibold font-monospace" href="/credit/applications/'


def url(application: CreditApplication, rest: str = "") -> str:
    return f"/credit/applications/{application.pk}/{rest}"


def page_text(client: Any, address: str) -> str:
    response = client.get(address)
    assert response.status_code == 200, address
    return response.content.decode()


def listed(page: str) -> list[str]:
    """The application numbers of a list or queue page, in order."""
    return re.findall(r'font-monospace" href="/credit/applications/\d+/">(SQ\d+)</a>', page)


def unmet_of(page: str, name: str) -> list[str]:
    """The conditions shown under the button of transition ``name``."""
    found = re.search(rf'<ul class="unmet-list[^"]*" id="unmet-{name}">(.*?)</ul>', page, re.S)
    return re.findall(r"<li>(.*?)</li>", found.group(1)) if found else []


def field_errors(page: str, field: str) -> list[str]:
    found = re.search(
        rf'id="id_{field}_errors">(.*?)</div>\s*(?:</div>|<div class="form-text)', page
    )
    assert found, f"no errors shown at {field}"
    return re.findall(r"<div>(.*?)</div>", found.group(1) + "</div>")


def messages_of(page: str) -> list[str]:
    return [
        re.sub(r"\s+", " ", text).strip()
        for text in re.findall(
            r'<div class="alert alert-\w+ alert-dismissible[^>]*>(.*?)<button', page, re.S
        )
    ]


@pytest.fixture
def neighbour(manager: User, village: Area, today: None) -> Customer:
    """A second farmer of the same manager, born 1975."""
    return complete_farmer(manager, village, name="李小河", seq=456, born=dt.date(1975, 3, 2))


@pytest.fixture
def colleagues_farmer(colleague: User, village: Area, today: None) -> Customer:
    return complete_farmer(colleague, village, name="赵小河", seq=789)


# ---- the list and the queue ---------------------------------------------------------------


def test_the_list_shows_the_users_own_applications_with_stage_and_answer_time(
    manager, colleague, farmer, colleagues_farmer, login
) -> None:
    mine = submitted(manager, farmer)
    theirs = submitted(colleague, colleagues_farmer)
    page = page_text(login(manager), LIST)
    assert listed(page) == [mine.number]
    assert theirs.number not in page
    assert '<span class="badge stage-badge stage-intake">申请受理</span>' in page
    assert "<td>王大山" in page and "整村授信贷" in page
    assert '<td class="text-end text-nowrap">10</td>' in page  # 100,000 元 = 10 万元
    assert '<td class="text-nowrap">2026-12-27</td>' in page
    assert "late-row" not in page
    assert "共 1 条" in page


def test_search_and_filters_narrow_the_list(manager, farmer, neighbour, login) -> None:
    first = submitted(manager, farmer)
    second = submitted(manager, neighbour, term_months="24")
    services.take(manager, second, "reject", "客户放弃申请")
    client = login(manager)
    assert listed(page_text(client, LIST)) == [second.number, first.number]
    assert listed(page_text(client, f"{LIST}?q={first.number}")) == [first.number]
    assert listed(page_text(client, f"{LIST}?q=李小")) == [second.number]
    assert listed(page_text(client, f"{LIST}?stage=rejected")) == [second.number]
    assert listed(page_text(client, f"{LIST}?stage=intake&product=ZCSX")) == [first.number]
    empty = page_text(client, f"{LIST}?stage=investigation")
    assert listed(empty) == [] and "没有符合条件的申请" in empty
    assert '<option value="ZCSX">整村授信贷</option>' in empty  # products of his applications


def test_htmx_gets_only_the_rows(manager, farmer, login) -> None:
    application = submitted(manager, farmer)
    page = login(manager).get(f"{LIST}?q=王", HTTP_HX_REQUEST="true").content.decode()
    assert listed(page) == [application.number]
    assert "<html" not in page and "application-filters" not in page


def test_late_applications_are_highlighted_and_can_be_listed_alone(
    manager, farmer, neighbour, login
) -> None:
    short = submitted(manager, farmer)  # answer by 2026-12-27
    long = submitted(manager, neighbour, term_months="24")  # answer by 2027-05-27
    set_today(dt.date(2026, 12, 28))
    client = login(manager)
    page = page_text(client, LIST)
    assert page.count('<tr class="late-row">') == 1
    assert page.count("超期未答复</span>") == 1
    assert listed(page_text(client, f"{LIST}?late=1")) == [short.number]
    assert long.number in page
    detail = page_text(client, url(short))
    assert '<span class="text-danger fw-semibold">已超过答复期限</span>' in detail


def test_the_list_is_paged_by_twenty(manager, farmer, login) -> None:
    first = submitted(manager, farmer)
    fields = {
        f.name: getattr(first, f.name)
        for f in CreditApplication._meta.concrete_fields
        if f.name not in {"id", "number", "created_at", "updated_at"}
    }
    CreditApplication.objects.bulk_create(
        CreditApplication(**fields, number=f"SQ2026{900000 + i}") for i in range(20)
    )
    client = login(manager)
    one = page_text(client, LIST)
    assert one.count(ROW_LINK) == 20
    assert "共 21 条，第 1/2 页" in one
    two = page_text(client, f"{LIST}?page=2")
    assert two.count(ROW_LINK) == 1


def test_the_queue_lists_what_waits_for_each_person(
    manager, farmer, neighbour, co_investigator, branch_head, login
) -> None:
    waiting = submitted(manager, farmer)
    moving = investigating(manager, neighbour, co_investigator)
    manager_queue = page_text(login(manager), QUEUE)
    assert listed(manager_queue) == [waiting.number, moving.number]
    assert "共 2 笔待办" in manager_queue
    row = manager_queue[manager_queue.index(waiting.number) :].split("</tr>")[0]
    badges = re.findall(r'<span class="badge text-bg-light border me-1">(.*?)</span>', row)
    assert badges == ["受理", "否决"]  # 开始实地调查 only once accepted
    helper_queue = page_text(login(co_investigator), QUEUE)
    assert listed(helper_queue) == [moving.number]
    assert '<span class="badge text-bg-light border me-1">提交调查</span>' in helper_queue


def test_an_empty_queue_says_so(branch_head, login) -> None:
    page = page_text(login(branch_head), QUEUE)
    assert "没有等待您办理的申请" in page and "共 0 笔待办" in page


def test_the_workbench_and_the_navigation_lead_to_the_applications(manager, farmer, login) -> None:
    application = submitted(manager, farmer)
    page = page_text(login(manager), "/")
    assert 'href="/credit/applications/"><i class="bi bi-inbox"></i> 申请受理</a>' in page
    block = page[page.index('id="credit-queue"') :]
    assert '<a class="small" href="/credit/applications/queue/">全部 1 笔</a>' in block
    assert f'href="{url(application)}">{application.number}</a> 王大山' in block


# ---- scope --------------------------------------------------------------------------------


def test_another_branch_cannot_see_an_application(manager, farmer, colleague, login) -> None:
    application = ready_to_accept(manager, farmer)
    client = login(colleague)
    for rest in ("", "admission/", "timeline/"):
        assert client.get(url(application, rest)).status_code == 404
    assert client.post(url(application, "take/accept/")).status_code == 404
    assert client.post(url(application, "admission/check/")).status_code == 404
    assert client.get(f"/credit/applications/new/{farmer.pk}/").status_code == 404
    application.refresh_from_db()
    assert application.accepted_at is None


def test_the_co_investigator_sees_the_application_he_investigates(
    manager, farmer, co_investigator, login
) -> None:
    application = investigating(manager, farmer, co_investigator)
    page = page_text(login(co_investigator), url(application))
    assert '<dd class="col-7 col-sm-9" id="co-investigator">孙协办</dd>' in page
    # he may submit the investigation, once it is complete: the button lists what is missing
    assert 'id="unmet-submit_investigation"' in page
    assert "调查报告尚未定稿" in unmet_of(page, "submit_investigation")


# ---- a new application --------------------------------------------------------------------


def test_the_form_offers_the_products_of_the_customers_kind(manager, farmer, login) -> None:
    farmer_product()
    page = page_text(login(manager), f"/credit/applications/new/{farmer.pk}/")
    assert "整村授信贷" in page and "农户小额信用贷款" in page
    assert "流动资金贷款" not in page  # enterprises only
    assert 'class="form-check-input"' in page  # guarantee methods as checks


def test_a_request_outside_the_product_is_refused_at_its_fields(manager, farmer, login) -> None:
    data = application_data(farmer_product(), amount="500000", purpose_text="")
    response = login(manager).post(f"/credit/applications/new/{farmer.pk}/", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert field_errors(page, "purpose_text") == ["这个字段是必填项。"]
    assert not CreditApplication.objects.exists()
    data["purpose_text"] = "扩种水稻"
    page = login(manager).post(f"/credit/applications/new/{farmer.pk}/", data).content.decode()
    assert field_errors(page, "amount") == ["申请金额须在 10,000.00 元至 300,000.00 元之间"]
    assert 'class="form-control is-invalid" aria-describedby="id_amount_errors"' in page
    assert not CreditApplication.objects.exists()


def test_a_new_application_opens_its_detail_page(manager, farmer, login) -> None:
    data = application_data(farmer_product())
    response = login(manager).post(f"/credit/applications/new/{farmer.pk}/", data)
    application = CreditApplication.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url(application)
    assert application.stage == "intake" and str(application.answer_due) == "2026-12-27"


def test_the_customer_page_offers_a_new_application_to_his_manager_only(
    manager, farmer, branch_head, login
) -> None:
    button = f'href="/credit/applications/new/{farmer.pk}/"'
    assert button in page_text(login(manager), f"/customers/{farmer.pk}/")
    assert button not in page_text(login(branch_head), f"/customers/{farmer.pk}/")


# ---- the detail page ----------------------------------------------------------------------


def test_the_detail_shows_the_header_and_the_progress(manager, farmer, login) -> None:
    application = submitted(manager, farmer)
    page = page_text(login(manager), url(application))
    assert f'<h1 class="h4 mb-0 font-monospace">{application.number}</h1>' in page
    assert '100,000.00 <small class="fs-6 fw-normal">元</small>' in page
    assert "10 万元 · 12 个月" in page
    assert '<dd class="col-7 col-sm-9" id="answer-due">2026-12-27' in page
    steps = re.findall(r'<li class="(\w+)"[^>]*><span class="step-label">(.*?)</span>', page)
    assert steps == [
        ("done", "营销"),
        ("current", "申请受理"),
        ("todo", "实地调查"),
        ("todo", "审贷分析"),
        ("todo", "审批"),
        ("todo", "贷款拨付"),
        ("todo", "贷后管理"),
        ("todo", "不良清收"),
    ]


def test_the_detail_lists_missing_documents_and_unmet_conditions(
    manager, village, today, login
) -> None:
    farmer = complete_farmer(manager, village, documents=("id_card", "household_register"))
    application = submitted(manager, farmer)
    page = page_text(login(manager), url(application))
    checklist = page[page.index('id="checklist"') :].split("</ul>")[0]
    assert checklist.count("bi-check-circle-fill") == 2  # 身份证, 户口簿
    assert "土地承包/流转合同 <span" in checklist and "缺少或已过期" in checklist
    assert f'href="/customers/{farmer.pk}/?tab=documents">到档案上传</a>' in checklist
    assert "受理要求不低于 80%" in page
    assert unmet_of(page, "accept") == [
        "档案缺少申请资料：土地承包/流转合同",
        "未登记客户书面征信查询授权（谁、何时、用途）",
        "尚未录入征信报告摘要",
        "尚未进行准入检查，或检查后申请、档案已有变动：请重新检查",
    ]
    assert "unmet-start_investigation" not in page  # offered only once accepted
    assert 'disabled aria-describedby="unmet-accept"' in page
    assert 'id="take-accept"' not in page  # no confirmation for a step that cannot be taken
    assert 'data-bs-target="#take-withdraw"' in page
    assert '<textarea class="form-control" name="reason" id="reason-withdraw"' in page
    assert "须先登记客户书面征信查询授权，才能查询和录入征信报告" in page


def test_consent_report_and_check_through_the_page(manager, farmer, login) -> None:
    application = submitted(manager, farmer)
    client = login(manager)
    future = {"signed_by": "王大山", "signed_on": "2026-11-28", "purpose": "loan_approval"}
    page = client.post(url(application, "consent/"), future | {"scan": pdf()}).content.decode()
    assert field_errors(page, "signed_on") == ["授权日期不能晚于今天"]
    consent = future | {"signed_on": "2026-11-26", "scan": pdf()}
    response = client.post(url(application, "consent/"), consent)
    assert response["Location"] == url(application) + "#consent"
    response = client.post(url(application, "credit-report/"), CREDIT_REPORT)
    assert response["Location"] == url(application) + "#report"
    page = page_text(client, url(application))
    recorded = page[page.index('id="consent-recorded"') :].split("</dl>")[0]
    assert "王大山" in recorded and "2026-11-26" in recorded and "贷款审批" in recorded
    assert '<dd class="col-5 col-sm-7">20,000.00</dd>' in page  # 他行贷款余额
    assert unmet_of(page, "accept") == ["尚未进行准入检查，或检查后申请、档案已有变动：请重新检查"]
    response = client.post(url(application, "admission/check/"))
    assert response["Location"] == url(application, "admission/")
    assert application.admission_checks.get().outcome == "admit"
    assert unmet_of(page_text(client, url(application)), "accept") == []


def test_co_investigator_and_collateral_through_the_page(
    manager, farmer, co_investigator, login
) -> None:
    application = submitted(manager, farmer)
    client = login(manager)
    page = client.post(url(application, "co-investigator/"), {}).content.decode()
    assert field_errors(page, "co_investigator") == ["这个字段是必填项。"]
    client.post(url(application, "co-investigator/"), {"co_investigator": co_investigator.pk})
    item = {
        "kind": "pledge",
        "description": "定期存单 5 万元",
        "owner_name": "王大山",
        "estimated_value": "50000",
    }
    client.post(url(application, "collateral/"), item)
    page = page_text(client, url(application))
    assert '<dd class="col-7 col-sm-9" id="co-investigator">孙协办</dd>' in page
    table = page[page.index('id="collateral-table"') :].split("</table>")[0]
    assert "<td>质押</td><td>定期存单 5 万元</td>" in table and "50,000.00" in table


# ---- transitions --------------------------------------------------------------------------


def test_a_confirmed_transition_is_taken(manager, farmer, login) -> None:
    application = ready_to_accept(manager, farmer)
    client = login(manager)
    page = page_text(client, url(application))
    modal = page[page.index('id="take-accept"') :].split("</form>")[0]
    assert f'action="{url(application, "take/accept/")}"' in modal
    assert "确认对 王大山 的申请办理“受理”？" in modal
    assert 'name="reason"' not in modal
    response = client.post(url(application, "take/accept/"), follow=True)
    assert messages_of(response.content.decode()) == ["已办理“受理”"]
    application.refresh_from_db()
    assert application.accepted_at is not None
    assert list(application.events.values_list("transition", flat=True)) == ["submit", "accept"]


def test_a_refused_transition_says_why_and_changes_nothing(manager, farmer, login) -> None:
    application = submitted(manager, farmer)
    client = login(manager)
    response = client.post(url(application, "take/accept/"), follow=True)
    assert messages_of(response.content.decode()) == [
        "不能“受理”：未登记客户书面征信查询授权（谁、何时、用途）；尚未录入征信报告摘要；"
        "尚未进行准入检查，或检查后申请、档案已有变动：请重新检查"
    ]
    response = client.post(url(application, "take/withdraw/"), {"reason": " "}, follow=True)
    assert messages_of(response.content.decode()) == ["不能“撤回申请”：请填写理由"]
    application.refresh_from_db()
    assert application.accepted_at is None and application.stage == "intake"
    assert StageEvent.objects.filter(application=application).count() == 1
    assert client.post(url(application, "take/fly/")).status_code == 404
    assert client.get(url(application, "take/accept/")).status_code == 405


def test_a_withdrawal_with_its_reason_ends_the_application(manager, farmer, login) -> None:
    application = submitted(manager, farmer)
    client = login(manager)
    client.post(url(application, "take/withdraw/"), {"reason": "客户资金已到位，不再需要贷款"})
    application.refresh_from_db()
    assert application.stage == "withdrawn"
    page = page_text(client, url(application))
    steps = re.findall(r'<li class="(\w+)"[^>]*><span class="step-label">', page)
    assert steps[:3] == ["done", "stopped", "todo"]
    assert "当前没有您可以办理的操作。" in page


# ---- admission ----------------------------------------------------------------------------


def test_the_admission_page_shows_every_rule(manager, farmer, login) -> None:
    application = ready_to_accept(manager, farmer)
    check = application.admission_checks.get()
    page = page_text(login(manager), url(application, "admission/"))
    assert '<span class="badge outcome-badge-lg outcome-admit" id="outcome">准入</span>' in page
    assert "政策版本 V1 · 检查日（会计日期）2026-11-27" in page
    assert f"共 {len(check.results)} 条规则" in page
    rows = re.findall(r'<tr id="rule-([\w-]+)">', page)
    assert rows == [result["rule"].replace(".", "") for result in check.results]
    other_banks = page[page.index('<tr id="rule-creditother_banks">') :].split("</tr>")[0]
    assert '<span class="badge outcome-admit">准入</span>' in other_banks
    assert "他行授信机构 1 家，未超过上限 3 家" in other_banks
    assert "<dt>他行授信机构数</dt> <dd>1</dd>" in other_banks
    assert 'id="escalate-form"' not in page


def test_an_admission_page_without_a_check_says_so(manager, farmer, login) -> None:
    application = submitted(manager, farmer)
    page = page_text(login(manager), url(application, "admission/"))
    assert "尚未进行准入检查" in page and 'id="rules"' not in page


def test_only_the_branch_head_lets_a_prudent_application_go_on(
    manager, farmer, branch_head, login
) -> None:
    application = prudent(manager, farmer)
    check = application.admission_checks.order_by("-pk").first()
    assert check is not None and check.outcome == "prudent"
    as_manager = login(manager)
    page = page_text(as_manager, url(application, "admission/"))
    assert 'id="escalate-form"' not in page and "等待支行行长审核同意。" in page
    assert unmet_of(page_text(as_manager, url(application)), "accept") == [
        "准入检查结论为审慎：须支行行长审核同意并说明理由"
    ]
    response = as_manager.post(url(application, "admission/escalate/"), {"reason": "我同意"})
    assert messages_of(as_manager.get(response["Location"]).content.decode()) == [
        "只有支行行长可以审核审慎类申请"
    ]
    head = login(branch_head)
    assert 'id="escalate-form"' in page_text(head, url(application, "admission/"))
    page = head.post(url(application, "admission/escalate/"), {"reason": ""}).content.decode()
    assert field_errors(page, "reason") == ["这个字段是必填项。"]
    check.refresh_from_db()
    assert check.escalated_at is None
    reason = "客户经营稳定，他行贷款均按时归还"
    head.post(url(application, "admission/escalate/"), {"reason": reason})
    check.refresh_from_db()
    assert check.escalated_by == branch_head and check.escalation_reason == reason
    page = page_text(as_manager, url(application, "admission/"))
    escalation = page[page.index('id="escalation"') :].split("</div>")[0]
    assert "支行行长已同意继续办理" in escalation and "赵行长" in escalation
    assert reason in escalation
    assert unmet_of(page_text(as_manager, url(application)), "accept") == []


# ---- the timeline -------------------------------------------------------------------------


def test_the_timeline_lists_the_moves_and_the_days_in_each_stage(
    manager, farmer, co_investigator, login
) -> None:
    application = investigating(manager, farmer, co_investigator)
    page = page_text(login(manager), url(application, "timeline/"))
    events = page[page.index('id="events"') :].split("</ol>")[0]
    labels = re.findall(r'<span class="fw-semibold me-1">(.*?)</span>', events)
    assert labels == ["提交申请", "受理", "开始实地调查"]
    assert events.count("张三 · ") == 3
    assert events.count("会计日期 2026-11-27 · 政策版本 V1") == 3
    chart = re.search(r'<script id="stage-days" type="application/json">(.*?)</script>', page)
    assert chart is not None
    assert [label for label, _days in json.loads(chart.group(1))] == [
        "营销",
        "申请受理",
        "实地调查",
    ]
    assert 'data-stage-chart data-source="stage-days"' in page
    times = page[page.index('id="stage-times"') :].split("</ul>")[0]
    assert times.count("进行中") == 1 and "实地调查 <span" in times


def test_the_timeline_shows_the_reason_of_a_rejection(manager, farmer, login) -> None:
    application = submitted(manager, farmer)
    services.take(manager, application, "reject", "借款人已外出务工，无法核实用途")
    page = page_text(login(manager), url(application, "timeline/"))
    assert "理由：</span>借款人已外出务工，无法核实用途" in page
    assert '<span class="badge stage-badge stage-rejected">否决</span>' in page


# ---- English ------------------------------------------------------------------------------


def test_the_pages_speak_english_when_chosen(manager, farmer, login) -> None:
    application = submitted(manager, farmer)
    client = login(manager)
    client.cookies["django_language"] = "en"
    page = page_text(client, LIST)
    assert '<html lang="en">' in page
    assert "<title>Application intake · " in page
    assert '<span class="badge stage-badge stage-intake">Application intake</span>' in page
    assert "Search</button>" in page
    detail = page_text(client, url(application))
    assert '<span class="step-label">Field investigation</span>' in detail


# ---- the demo -----------------------------------------------------------------------------


def test_the_demo_shows_each_situation_once(login) -> None:
    from django.core.management import call_command

    from xindai.credit import queries
    from xindai.credit.demo import DEMO_NOTE
    from xindai.credit.models import RiskListEntry
    from xindai.customers.services import as_of_today

    call_command("seed", "--demo")
    call_command("seed", "--demo")  # again: nothing new
    found = {a.purpose_text: a for a in CreditApplication.objects.filter(source_note=DEMO_NOTE)}
    assert len(found) == 5
    situations = {
        text: (
            a.stage,
            a.accepted_at is not None,
            a.co_investigator.username if a.co_investigator else None,
            [c.outcome for c in a.admission_checks.all()],
            hasattr(a, "consent"),
            queries.is_late(a, as_of_today()),
        )
        for text, a in found.items()
    }
    assert situations == {
        "扩种水稻 20 亩，购买化肥、种子": (
            "investigation",
            True,
            "co_investigator",
            ["admit"],
            True,
            False,
        ),
        "购买仔猪 30 头": ("intake", False, None, [], False, False),
        "新建蔬菜大棚 2 座": ("intake", False, None, ["prudent"], True, False),
        "购买小型农机": ("rejected", False, None, ["prohibit"], True, False),
        "春耕备耕生产资料": ("intake", False, None, [], True, True),
    }
    rejected = found["购买小型农机"].events.get(transition="reject")
    assert rejected.reason.startswith("准入检查结论为禁入")
    assert sorted(RiskListEntry.objects.values_list("kind", flat=True)) == [
        "blacklist",
        "related_party",
    ]
    applicants = {a.customer.id_number for a in found.values()}
    assert not applicants & set(RiskListEntry.objects.values_list("id_number", flat=True))
    head = User.objects.get(username="branch_head")
    page = page_text(login(head), url(found["新建蔬菜大棚 2 座"], "admission/"))
    assert 'id="escalate-form"' in page
