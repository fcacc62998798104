"""Credit applications over REST, as a manager, his branch head, a colleague in another
branch and a reviewer use them.

Hand-computed figures: the business date is 2026-11-27; ZCSX is priced at the 1-year LPR
(3.00% since 2025-05-20) + 100 bp = 4.00%, so 100,000 元 interest-only pays 100,000 × 4% / 12
= 333.33 元 a month; the farmer earned 120,000 元 last year = 10,000.00 元 a month and pays
other banks 1,000 元 a month: (1,000 + 333.33) / 10,000 = 13.33% of his income.
"""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.credit.factories import (
    CREDIT_REPORT,
    PDF,
    application_data,
    complete_farmer,
    farmer_product,
    pdf,
    prudent,
    ready_to_accept,
    set_today,
    submitted,
)
from tests.customers.ids import resident_id
from xindai.credit import presenters
from xindai.credit.models import CreditApplication, StageEvent

pytestmark = pytest.mark.django_db

API = "/api/v1/applications"


def masked(id_number: str) -> str:
    """Region kept, birth date and sequence hidden, last four shown."""
    return id_number[:6] + "*" * 8 + id_number[-4:]


def create_body(customer: Any, **overrides: Any) -> dict[str, Any]:
    data = application_data(farmer_product()) | {"customer_id": customer.pk, "product": "ZCSX"}
    return data | overrides


def post_json(client: Client, url: str, body: Any = None) -> Any:
    return client.post(url, body if body is not None else {}, content_type="application/json")


def put_json(client: Client, url: str, body: Any) -> Any:
    return client.put(url, body, content_type="application/json")


# ---- creating --------------------------------------------------------------------------------


def test_a_manager_creates_and_submits_an_application(manager, farmer, login) -> None:
    response = post_json(login(manager), API, create_body(farmer))
    assert response.status_code == 201, response.json()
    body = response.json()
    application = CreditApplication.objects.get()
    assert body["id"] == application.pk
    assert body["number"] == f"SQ2026{application.pk:06d}"
    assert (body["customer_id"], body["customer_name"]) == (farmer.pk, "王大山")
    assert body["customer_id_number"] == masked(resident_id(seq=123))
    assert (body["product"], body["product_name"]) == ("ZCSX", "整村授信贷")
    assert (body["amount"], body["term_months"]) == ("100000.00", 12)
    assert (body["stage"], body["stage_label"], body["accepted"]) == ("intake", "申请受理", False)
    # submitted on the business date; 12 months is short-term: one month to answer
    assert (body["submitted_on"], body["answer_due"], body["late"]) == (
        "2026-11-27",
        "2026-12-27",
        False,
    )
    assert (body["manager"], body["org_unit"], body["policy_version"]) == ("zhang", "O11", 1)
    assert (body["guarantors"], body["collateral"]) == ([], [])
    assert (body["consent"], body["credit_report"], body["admission"]) == (None, None, None)
    actions = {a["name"]: (a["ready"], a["needs_reason"], a["unmet"]) for a in body["actions"]}
    assert actions == {
        "accept": (
            False,
            False,
            {
                "consent": ["未登记客户书面征信查询授权（谁、何时、用途）"],
                "credit_report": ["尚未录入征信报告摘要"],
                "admission": ["尚未进行准入检查，或检查后申请、档案已有变动：请重新检查"],
            },
        ),
        # 开始实地调查 is not offered before acceptance
        "reject": (True, True, {}),
        "withdraw": (True, True, {}),
    }


def test_a_lead_application_stays_in_marketing(manager, farmer, login) -> None:
    response = post_json(login(manager), API, create_body(farmer, submit=False))
    assert response.status_code == 201
    body = response.json()
    assert (body["stage"], body["submitted_on"], body["answer_due"]) == ("marketing", None, None)
    assert [a["name"] for a in body["actions"]] == ["submit", "withdraw"]
    assert not StageEvent.objects.exists()


def test_guarantors_are_shown_masked(manager, farmer, village, login) -> None:
    neighbour = complete_farmer(manager, village, name="李二牛", seq=456)
    body = create_body(farmer, guarantee_methods=["guarantee"], guarantor_ids=[neighbour.pk])
    response = post_json(login(manager), API, body)
    assert response.status_code == 201, response.json()
    assert response.json()["guarantors"] == [
        {
            "customer_id": neighbour.pk,
            "name": "李二牛",
            "id_number": masked(resident_id(seq=456)),
            "note": "",
        }
    ]


@pytest.mark.parametrize(
    ("overrides", "details"),
    [
        ({"amount": "0"}, {"amount": ["申请金额必须大于 0"]}),
        ({"purpose_text": ""}, {"purpose_text": ["这个字段是必填项。"]}),
        ({"product": "NOPE"}, {"product": ["没有此产品代码：NOPE"]}),
        # ZCSX lends 10,000 to 300,000 元 for 6 to 36 months
        ({"amount": "300000.01"}, {"amount": ["申请金额须在 10,000.00 元至 300,000.00 元之间"]}),
        ({"term_months": 48}, {"term_months": ["期限须在 6 至 36 个月之间"]}),
    ],
)
def test_bad_input_is_a_422_with_field_details_and_saves_nothing(
    manager, farmer, login, overrides, details
) -> None:
    response = post_json(login(manager), API, create_body(farmer, **overrides))
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
    assert response.json()["details"] == details
    assert not CreditApplication.objects.exists()


def test_a_customer_outside_the_callers_scope_is_not_found(manager, farmer, colleague, login):
    response = post_json(login(colleague), API, create_body(farmer))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert not CreditApplication.objects.exists()


# ---- reading -------------------------------------------------------------------------------


def test_the_list_filters_by_stage_lateness_and_text(manager, farmer, login) -> None:
    short = submitted(manager, farmer)  # answer due 2026-12-27
    long = submitted(manager, farmer, term_months="24")  # answer due 2027-05-27
    lead = post_json(login(manager), API, create_body(farmer, submit=False)).json()
    set_today(short.answer_due.replace(day=28))  # 2026-12-28: the short one is late
    client = login(manager)

    def numbers(query: str) -> list[str]:
        response = client.get(f"{API}{query}")
        assert response.status_code == 200
        return [item["number"] for item in response.json()["items"]]

    assert numbers("") == [lead["number"], long.number, short.number]  # newest first
    assert numbers("?stage=intake") == [long.number, short.number]
    assert numbers("?late=true") == [short.number]
    assert numbers("?late=false") == [lead["number"], long.number]
    assert numbers(f"?q={short.number}") == [short.number]
    assert numbers("?q=大山&stage=marketing") == [lead["number"]]
    assert numbers("?q=李") == []
    page = client.get(f"{API}?page_size=2&page=2").json()
    assert (page["count"], page["page"], page["page_size"]) == (3, 2, 2)
    assert [item["number"] for item in page["items"]] == [short.number]
    assert page["items"][0]["late"] is True


def test_the_queue_lists_what_waits_for_the_caller(
    manager, farmer, branch_head, colleague, login
) -> None:
    application = submitted(manager, farmer)

    def queue(user: Any) -> list[tuple[str, list[str]]]:
        response = login(user).get(f"{API}/queue")
        assert response.status_code == 200
        return [(i["number"], [a["name"] for a in i["waiting_for"]]) for i in response.json()]

    # a withdrawal alone puts nothing in a queue; the branch head may accept or reject
    assert queue(manager) == [(application.number, ["accept", "reject"])]
    assert queue(branch_head) == [(application.number, ["accept", "reject"])]
    assert queue(colleague) == []


def test_the_detail_shows_the_intake_records(manager, farmer, login) -> None:
    application = ready_to_accept(manager, farmer)
    client = login(manager)
    collateral = {
        "kind": "mortgage",
        "description": "砖混住房一套",
        "owner_name": "王大山",
        "estimated_value": "250000",
    }
    added = post_json(client, f"{API}/{application.pk}/collateral", collateral)
    assert added.status_code == 201
    body = client.get(f"{API}/{application.pk}").json()
    assert body["collateral"] == [
        {
            "id": added.json()["id"],
            "kind": "mortgage",
            "kind_label": "抵押",
            "description": "砖混住房一套",
            "owner_name": "王大山",
            "estimated_value": "250000.00",
        }
    ]
    consent = body["consent"]
    assert set(consent) == {
        "signed_by",
        "signed_on",
        "purpose",
        "purpose_label",
        "scan_sha256",
        "recorded_by",
        "recorded_at",
    }  # the scan itself is not sent
    assert (consent["signed_by"], consent["signed_on"], consent["purpose_label"]) == (
        "王大山",
        "2026-11-26",
        "贷款审批",
    )
    assert consent["scan_sha256"] == hashlib.sha256(PDF).hexdigest()
    report = body["credit_report"]
    assert (report["other_bank_lenders"], report["other_bank_debt"]) == (1, "20000.00")
    assert (report["current_overdue_amount"], report["monthly_debt_service"]) == ("0.00", "1000.00")
    assert body["admission"]["outcome"] == "admit"
    accept = next(a for a in body["actions"] if a["name"] == "accept")
    assert (accept["ready"], accept["unmet"]) == (True, {})


def test_another_branch_does_not_see_an_application(manager, farmer, colleague, login) -> None:
    application = ready_to_accept(manager, farmer)
    client = login(colleague)
    check = application.admission_checks.get()
    for method, url in [
        ("GET", f"{API}/{application.pk}"),
        ("GET", f"{API}/{application.pk}/admission"),
        ("GET", f"{API}/{application.pk}/timeline"),
        ("POST", f"{API}/{application.pk}/admission"),
        ("POST", f"{API}/{application.pk}/transitions/withdraw"),
        ("POST", f"{API}/{application.pk}/admission/{check.pk}/escalation"),
    ]:
        response = client.generic(method, url, '{"reason": "x"}', content_type="application/json")
        assert response.status_code == 404, (method, url)
    assert client.get(API).json()["count"] == 0


# ---- transitions -----------------------------------------------------------------------------


def test_accepting_twice_is_refused_the_second_time(manager, farmer, login) -> None:
    application = ready_to_accept(manager, farmer)
    client = login(manager)
    url = f"{API}/{application.pk}/transitions/accept"
    first = client.generic("POST", url)  # no body at all: no reason needed
    assert first.status_code == 200, first.json()
    assert first.json() | {"at": None} == {
        "transition": "accept",
        "from_stage": "intake",
        "stage": "intake",
        "stage_label": "申请受理",
        "at": None,
        "business_date": "2026-11-27",
        "policy_version": 1,
    }
    second = post_json(client, url)
    assert second.status_code == 409
    assert second.json() == {
        "code": "transition_refused",
        "message": "不能“受理”：申请已受理",
        "details": {"accepted": ["申请已受理"]},
    }
    assert StageEvent.objects.filter(transition="accept").count() == 1


def test_a_reason_is_required_where_the_process_asks_for_one(manager, farmer, login) -> None:
    application = submitted(manager, farmer)
    client = login(manager)
    url = f"{API}/{application.pk}/transitions/withdraw"
    refused = post_json(client, url, {"reason": "  "})
    assert refused.status_code == 409
    assert refused.json()["details"] == {"reason": ["请填写理由"]}
    taken = post_json(client, url, {"reason": "客户不再需要贷款"})
    assert taken.status_code == 200
    assert (taken.json()["stage"], taken.json()["stage_label"]) == ("withdrawn", "撤回")
    application.refresh_from_db()
    assert (application.stage, str(application.closed_on)) == ("withdrawn", "2026-11-27")
    assert application.events.last().reason == "客户不再需要贷款"


def test_an_unknown_transition_is_not_found_with_the_names_there_are(
    manager, farmer, login
) -> None:
    application = submitted(manager, farmer)
    response = post_json(login(manager), f"{API}/{application.pk}/transitions/approve_quickly")
    assert response.status_code == 404
    assert response.json()["code"] == "unknown_transition"
    message = response.json()["message"]
    assert message.startswith("没有此操作：approve_quickly（可用的操作：submit, accept, ")


def test_a_role_that_may_not_take_a_step_is_told_so(manager, farmer, reviewer, login) -> None:
    application = submitted(manager, farmer)
    response = post_json(login(reviewer), f"{API}/{application.pk}/transitions/accept")
    assert response.status_code == 409
    assert response.json()["details"] == {"role": ["您的岗位不能办理“受理”"]}


# ---- admission -----------------------------------------------------------------------------


def test_an_admission_check_gives_every_rule_in_both_languages(manager, farmer, login) -> None:
    application = submitted(manager, farmer)
    client = login(manager)
    assert client.get(f"{API}/{application.pk}/admission").json()["code"] == "no_admission_check"
    consent_data = {
        "signed_by": "王大山",
        "signed_on": "2026-11-26",
        "purpose": "loan_approval",
    }
    upload = SimpleUploadedFile("consent.pdf", PDF, content_type="application/pdf")
    consent = client.post(f"{API}/{application.pk}/consent", consent_data | {"scan": upload})
    assert consent.status_code == 201, consent.json()
    put = put_json(client, f"{API}/{application.pk}/credit-report", CREDIT_REPORT)
    assert put.status_code == 200, put.json()

    response = post_json(client, f"{API}/{application.pk}/admission")
    assert response.status_code == 201
    body = response.json()
    assert (body["application"], body["outcome"], body["policy_version"]) == (
        application.pk,
        "admit",
        1,
    )
    assert (body["as_of"], body["checked_by"], body["escalation"]) == ("2026-11-27", "zhang", None)
    results = {r["rule"]: r for r in body["results"]}
    assert {r["outcome"] for r in body["results"]} == {"admit"}
    assert results["debt_to_income"]["message_zh"] == (
        "月还款额 1,333.33 元占月收入 10,000.00 元的 13.33%，未超过上限 50%"
    )
    assert results["debt_to_income"]["facts"] == {
        "monthly_income": "10000.00",
        "monthly_debt_service": "1000.00",
        "new_monthly_payment": "333.33",
        "max_debt_to_income": "0.50",
        "debt_to_income": "0.1333",
    }
    assert all(isinstance(r["message_en"], str) and r["message_en"] for r in body["results"])
    # GET gives the latest check again, without running a new one
    latest = client.get(f"{API}/{application.pk}/admission")
    assert latest.status_code == 200 and latest.json() == body
    assert application.admission_checks.count() == 1


def test_a_stored_result_is_rendered_in_each_language_with_id_numbers_masked() -> None:
    """The stored template and values give both languages (a value that is itself a marked
    label is translated too); an ID number in a message or a fact never leaves in clear."""
    person = resident_id(seq=456)
    stored = {
        "rule": "demo",
        "outcome": "prohibit",
        "template": "%(kind)s档案没有此栏目：%(key)s",  # a message the catalogue translates
        "params": {"kind": "农户", "key": person},
        "facts": {"id_number": person, "age": "46"},
    }
    assert presenters.rule_result(stored) == {
        "rule": "demo",
        "outcome": "prohibit",
        "message_zh": f"农户档案没有此栏目：{masked(person)}",
        "message_en": f"A Farming household archive has no such section: {masked(person)}",
        "facts": {"id_number": masked(person), "age": "46"},
    }


def test_a_prudent_check_needs_the_branch_head(manager, farmer, branch_head, login) -> None:
    application = prudent(manager, farmer)
    check = application.admission_checks.order_by("-pk").first()
    url = f"{API}/{application.pk}/admission/{check.pk}/escalation"
    accept = f"{API}/{application.pk}/transitions/accept"
    refused = post_json(login(manager), accept)
    assert refused.json()["details"] == {
        "admission": ["准入检查结论为审慎：须支行行长审核同意并说明理由"]
    }
    by_manager = post_json(login(manager), url, {"reason": "我同意"})
    assert (by_manager.status_code, by_manager.json()["code"]) == (409, "not_branch_head")
    head = login(branch_head)
    blank = post_json(head, url, {"reason": ""})
    assert blank.status_code == 422 and list(blank.json()["details"]) == ["reason"]
    agreed = post_json(head, url, {"reason": "他行授信均为小额农资贷款，风险可控"})
    assert agreed.status_code == 200, agreed.json()
    escalation = agreed.json()["escalation"]
    assert (escalation["by"], escalation["reason"]) == (
        "head1",
        "他行授信均为小额农资贷款，风险可控",
    )
    other = [r for r in agreed.json()["results"] if r["rule"] == "credit.other_banks"]
    assert other[0]["message_zh"] == "他行授信机构 4 家，超过上限 3 家，须审慎准入"
    assert post_json(login(manager), accept).status_code == 200


def test_escalating_a_check_of_another_application_is_not_found(
    manager, farmer, branch_head, login
) -> None:
    first = prudent(manager, farmer)
    second = submitted(manager, farmer)
    check = first.admission_checks.order_by("-pk").first()
    url = f"{API}/{second.pk}/admission/{check.pk}/escalation"
    assert post_json(login(branch_head), url, {"reason": "同意"}).status_code == 404


# ---- intake records ------------------------------------------------------------------------


def test_the_consent_is_recorded_once_with_a_real_scan(manager, farmer, login) -> None:
    application = submitted(manager, farmer)
    client = login(manager)
    url = f"{API}/{application.pk}/consent"
    data = {"signed_by": "王大山", "signed_on": "2026-11-26", "purpose": "loan_approval"}
    fake = SimpleUploadedFile("scan.pdf", b"not a pdf", content_type="application/pdf")
    bad = client.post(url, data | {"scan": fake})
    assert bad.status_code == 422 and list(bad.json()["details"]) == ["scan"]
    future = client.post(url, data | {"signed_on": "2026-11-28", "scan": pdf()})
    assert future.json()["details"] == {"signed_on": ["授权日期不能晚于今天"]}
    first = client.post(url, data | {"scan": pdf()})
    assert first.status_code == 201
    assert (first.json()["signed_by"], first.json()["recorded_by"]) == ("王大山", "zhang")
    again = client.post(url, data | {"scan": pdf()})
    assert (again.status_code, again.json()["code"]) == (409, "consent_exists")


def test_the_credit_report_needs_the_consent_and_may_be_corrected(manager, farmer, login):
    application = submitted(manager, farmer)
    client = login(manager)
    url = f"{API}/{application.pk}/credit-report"
    early = put_json(client, url, CREDIT_REPORT)
    assert (early.status_code, early.json()["code"]) == (409, "no_consent")
    data = {"signed_by": "王大山", "signed_on": "2026-11-26", "purpose": "loan_approval"}
    client.post(f"{API}/{application.pk}/consent", data | {"scan": pdf()})
    assert put_json(client, url, CREDIT_REPORT).status_code == 200
    corrected = put_json(client, url, CREDIT_REPORT | {"other_bank_debt": "25000.5"})
    assert corrected.status_code == 200
    assert corrected.json()["other_bank_debt"] == "25000.50"
    assert put_json(client, url, CREDIT_REPORT | {"total_overdue_24m": "-1"}).status_code == 422


def test_a_co_investigator_is_chosen_by_the_manager(
    manager, farmer, co_investigator, branch_head, login
) -> None:
    application = submitted(manager, farmer)
    url = f"{API}/{application.pk}/co-investigator"
    by_head = put_json(login(branch_head), url, {"co_investigator_id": co_investigator.pk})
    assert (by_head.status_code, by_head.json()["code"]) == (409, "not_manager")
    client = login(manager)
    oneself = put_json(client, url, {"co_investigator_id": manager.pk})
    assert oneself.status_code == 422 and list(oneself.json()["details"]) == ["co_investigator"]
    chosen = put_json(client, url, {"co_investigator_id": co_investigator.pk})
    assert chosen.status_code == 200
    assert chosen.json()["co_investigator"] == "sun"


def test_collateral_is_validated(manager, farmer, login) -> None:
    application = submitted(manager, farmer)
    body = {"kind": "boat", "description": "渔船", "owner_name": "王大山", "estimated_value": "x"}
    response = post_json(login(manager), f"{API}/{application.pk}/collateral", body)
    assert response.status_code == 422
    assert set(response.json()["details"]) == {"kind", "estimated_value"}
