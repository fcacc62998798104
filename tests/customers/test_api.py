"""The archive over REST, as a manager, a colleague in another branch and an outsider use it.

Completeness is counted by hand from policy.REQUIREMENTS: a farmer has 3 fields + 9 sections +
2 documents = 14 requirements; a business 3 + 6 + 2 = 11; an enterprise 3 + 5 + 3 = 11.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.customers.ids import credit_code, resident_id
from xindai.audit.models import AuditEvent
from xindai.core import business_date
from xindai.customers.models import Customer, Document
from xindai.customers.policy import REQUIREMENTS
from xindai.org.roles import Role

API = "/api/v1/customers"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(50)
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(64)

# One valid row for every section (amounts as strings, as a browser sends them).
SECTION_ROWS: dict[str, dict[str, Any]] = {
    "members": {
        "relation": "head",
        "name": "王大山",
        "sex": "M",
        "id_number": resident_id(seq=321),
        "phone": "13612345678",
        "is_labour": True,
    },
    "land": {"kind": "contracted", "area_mu": "12.5", "location": "村东"},
    "production": {
        "category": "crop",
        "kind": "水稻",
        "scale": "12",
        "unit": "亩",
        "yearly_income": "30000",
    },
    "assets": {"category": "house", "description": "两层砖房", "quantity": "1", "value": "200000"},
    "financial_assets": {
        "category": "deposit_here",
        "institution": "本行",
        "account_no": "6217001234567890123",
        "amount": "50000",
    },
    "liabilities": {
        "category": "this_bank",
        "creditor": "本行",
        "amount": "30000",
        "balance": "10000",
    },
    "income": {"period": "last_year", "source": "planting", "amount": "30000"},
    "expenses": {"period": "last_year", "category": "living", "amount": "12000"},
    "village_evaluation": {
        "rating": "good",
        "comment": "勤劳守信",
        "evaluator": "李支书",
        "evaluated_on": "2026-01-10",
    },
    "licence": {"registered_on": "2015-03-01", "annual_report": "reported", "scope": "农资零售"},
    "premises": {"ownership": "owned", "address": "城关镇建设路8号", "area_sqm": "120"},
    "operations": {
        "employees": "3",
        "monthly_turnover": "80000",
        "monthly_profit": "12000",
        "inventory_value": "150000",
    },
    "partners": {"role": "supplier", "name": "某化肥厂", "share_pct": "40", "years": "5"},
    "accounts": {
        "held_here": True,
        "bank": "本行城关支行",
        "account_type": "basic",
        "account_no": "6217001234567890123",
    },
    "governance": {
        "legal_rep_name": "赵青禾",
        "legal_rep_id": resident_id(seq=456),
        "controller_name": "赵青禾",
        "registered_capital": "5000000",
        "paid_in_capital": "5000000",
    },
    "shareholders": {
        "name": "赵青禾",
        "id_number": resident_id(seq=456),
        "share_pct": "60",
        "contribution": "3000000",
    },
    "statements": {
        "period_end": "2025-12-31",
        "total_assets": "9000000",
        "total_liabilities": "4000000",
        "current_assets": "3000000",
        "current_liabilities": "2000000",
        "revenue": "12000000",
        "net_profit": "800000",
    },
}


@pytest.fixture(autouse=True)
def uploads(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def api(manager, login) -> Client:
    return login(manager)


@pytest.fixture
def farmer_in(farmer_data, village) -> dict[str, Any]:
    """The farmer as the API takes it: the village by its area code."""
    return {**farmer_data, "village": village.code}


def create(client: Client, data: dict[str, Any]) -> dict[str, Any]:
    response = client.post(API, data, content_type="application/json")
    assert response.status_code == 201, response.json()
    return response.json()


def add_row(client: Client, customer_id: int, key: str, data: dict[str, Any]) -> dict[str, Any]:
    url = f"{API}/{customer_id}/sections/{key}"
    response = client.post(url, data, content_type="application/json")
    assert response.status_code == 201, response.json()
    return response.json()


def upload(client: Client, customer_id: int, name: str, content: bytes, **fields: str) -> Any:
    data = {"file": SimpleUploadedFile(name, content), **fields}
    return client.post(f"{API}/{customer_id}/documents", data)


def detail(client: Client, customer_id: int) -> dict[str, Any]:
    response = client.get(f"{API}/{customer_id}")
    assert response.status_code == 200
    return response.json()


def masked_id(number: str) -> str:
    return number[:6] + "********" + number[-4:]


def pii_views() -> int:
    return AuditEvent.objects.filter(action="customers.pii.view").count()


# ---- creating ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "score", "gaps"),
    [
        ("farmer", 3 * 100 // 14, 9 + 2),  # 21: phone, address, village of 14
        ("business", 3 * 100 // 11, 6 + 2),  # 27: phone, address, industry code of 11
        ("enterprise", 3 * 100 // 11, 5 + 3),  # 27
    ],
)
def test_a_manager_creates_each_kind_and_gets_the_masked_detail_with_its_gaps(
    request, api, village, kind: str, score: int, gaps: int
) -> None:
    data = request.getfixturevalue(f"{kind}_data")
    if kind == "farmer":
        data = {**data, "village": village.code}
    body = create(api, data)
    assert (body["kind"], body["name"], body["completeness"]) == (kind, data["name"], score)
    assert len(body["gaps"]) == gaps
    assert body["phone"] == data["phone"][:3] + "****" + data["phone"][-4:]
    assert (body["manager"], body["org_unit"], body["archive_status"]) == ("zhang", "O11", "draft")
    shown = masked_id(data["id_number"]) if kind == "farmer" else data["id_number"]
    assert body["id_number"] == shown
    assert detail(api, body["id"]) == body


def test_gaps_are_labelled_by_section_document_and_field(api, business_data) -> None:
    body = create(api, {**business_data, "phone": ""})
    assert body["completeness"] == 2 * 100 // 11  # 18
    labelled = {(g["kind"], g["key"]): (g["label"], g["status_label"]) for g in body["gaps"]}
    assert labelled[("field", "phone")] == ("联系电话", "缺失")
    assert labelled[("section", "licence")] == ("营业执照", "缺失")
    assert labelled[("document", "id_card")] == ("身份证", "缺失")


def test_a_farmer_is_placed_in_a_village_by_its_area_code(api, farmer_in, village) -> None:
    body = create(api, farmer_in)
    assert (body["village"], body["village_code"]) == ("多福巷村", "110101001001")
    assert Customer.objects.get().village == village


def bad_check_character(number: str) -> str:
    return number[:-1] + ("1" if number[-1] != "1" else "2")


@pytest.mark.parametrize(
    ("kind", "field", "spoil", "message"),
    [
        ("farmer", "id_number", bad_check_character, "身份证号校验位不正确，请核对是否录错"),
        ("farmer", "id_number", lambda n: n[:17], "身份证号应为 18 位"),
        ("farmer", "phone", lambda p: "1391234", "手机号应为 11 位数字，以 13–19 开头"),
        ("farmer", "village", lambda v: "", "农户必须落到所在村"),
        ("farmer", "village", lambda v: "110101001999", "没有此区划代码：110101001999"),
        (
            "business",
            "id_number",
            bad_check_character,
            "统一社会信用代码校验位不正确，请核对是否录错",
        ),
        ("business", "phone", lambda p: "23912340001", "手机号应为 11 位数字，以 13–19 开头"),
    ],
)
def test_bad_input_is_a_422_with_the_fields_message_and_nothing_is_saved(
    request, api, village, kind, field, spoil, message
) -> None:
    data = request.getfixturevalue(f"{kind}_data")
    if kind == "farmer":
        data = {**data, "village": village.code}
    events = AuditEvent.objects.count()
    response = api.post(API, {**data, field: spoil(data[field])}, content_type="application/json")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert body["details"][field] == [message]
    assert Customer.objects.count() == 0 and AuditEvent.objects.count() == events


def test_one_identity_is_one_customer(api, farmer_in) -> None:
    create(api, farmer_in)
    response = api.post(API, {**farmer_in, "name": "王小山"}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["details"]["id_number"] == ["该证件号码已建档：一个证件只能对应一个客户"]
    assert Customer.objects.count() == 1


# ---- sections ------------------------------------------------------------------------------


def test_section_rows_raise_completeness_and_are_masked(api, farmer_in) -> None:
    customer = create(api, farmer_in)["id"]
    member = add_row(api, customer, "members", SECTION_ROWS["members"])
    assert member["id_number"] == masked_id(SECTION_ROWS["members"]["id_number"])
    assert member["phone"] == "136****5678"
    assert detail(api, customer)["completeness"] == 4 * 100 // 14  # 28
    add_row(api, customer, "financial_assets", SECTION_ROWS["financial_assets"])
    assert detail(api, customer)["completeness"] == 5 * 100 // 14  # 35

    section = api.get(f"{API}/{customer}/sections/financial_assets").json()
    assert (section["key"], section["label"], section["single"]) == (
        "financial_assets",
        "存款与股金",
        False,
    )
    (row,) = section["rows"]
    assert (row["account_no"], row["amount"]) == ("6217 **** 0123", "50000.00")
    assert {"name": "account_no", "label": "账号", "pii": True} in section["fields"]


def test_a_row_is_replaced_with_put_and_removed_with_delete(api, farmer_in) -> None:
    customer = create(api, farmer_in)["id"]
    land = add_row(api, customer, "land", SECTION_ROWS["land"])
    assert land["area_mu"] == "12.50"
    url = f"{API}/{customer}/sections/land/{land['id']}"
    changed = api.put(
        url, {**SECTION_ROWS["land"], "area_mu": "20"}, content_type="application/json"
    )
    assert (changed.status_code, changed.json()["area_mu"]) == (200, "20.00")
    assert api.delete(url).status_code == 204
    assert api.get(f"{API}/{customer}/sections/land").json()["rows"] == []
    assert detail(api, customer)["completeness"] == 3 * 100 // 14  # back to 21
    assert api.delete(url).status_code == 404


def test_a_single_section_is_upserted(api, farmer_in) -> None:
    customer = create(api, farmer_in)["id"]
    first = add_row(api, customer, "village_evaluation", SECTION_ROWS["village_evaluation"])
    again = {**SECTION_ROWS["village_evaluation"], "rating": "fair", "comment": "尚可"}
    second = add_row(api, customer, "village_evaluation", again)
    assert second["id"] == first["id"]
    rows = api.get(f"{API}/{customer}/sections/village_evaluation").json()["rows"]
    assert [(r["rating"], r["comment"]) for r in rows] == [("fair", "尚可")]
    assert detail(api, customer)["completeness"] == 4 * 100 // 14  # counted once: 28


def test_a_bad_row_is_a_422_per_field(api, farmer_in) -> None:
    customer = create(api, farmer_in)["id"]
    bad = {
        **SECTION_ROWS["members"],
        "id_number": bad_check_character(SECTION_ROWS["members"]["id_number"]),
    }
    response = api.post(f"{API}/{customer}/sections/members", bad, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["details"] == {"id_number": ["身份证号校验位不正确，请核对是否录错"]}
    negative = {**SECTION_ROWS["land"], "area_mu": "-1"}
    response = api.post(
        f"{API}/{customer}/sections/land", negative, content_type="application/json"
    )
    assert response.json()["details"] == {"area_mu": ["不能为负数"]}
    assert detail(api, customer)["completeness"] == 3 * 100 // 14


@pytest.mark.parametrize("key", ["nonsense", "licence", "shareholders"])
def test_a_section_the_kind_does_not_have_is_a_404(api, farmer_in, key: str) -> None:
    customer = create(api, farmer_in)["id"]
    for response in (
        api.get(f"{API}/{customer}/sections/{key}"),
        api.post(f"{API}/{customer}/sections/{key}", {}, content_type="application/json"),
    ):
        assert response.status_code == 404
        assert response.json()["code"] == "no_section"
        assert key in response.json()["message"]


# ---- personal data -------------------------------------------------------------------------


def test_pii_is_masked_in_the_list_and_revealed_only_with_the_permission_each_look_audited(
    api, farmer_in, branch_head, login
) -> None:
    customer = create(api, farmer_in)["id"]
    member = add_row(api, customer, "members", SECTION_ROWS["members"])
    (item,) = api.get(API).json()["items"]
    assert (item["id_number"], item["phone"]) == (masked_id(farmer_in["id_number"]), "139****0000")

    reveal = f"{API}/{customer}/reveal"
    look = api.post(reveal, {"field": "id_number"}, content_type="application/json")
    assert look.json() == {"value": farmer_in["id_number"]}
    row_look = {"field": "phone", "section": "members", "row_id": member["id"]}
    assert api.post(reveal, row_look, content_type="application/json").json() == {
        "value": "13612345678"
    }
    assert pii_views() == 2

    head = login(branch_head)  # sees the branch's customers, not their full personal data
    assert head.get(f"{API}/{customer}").json()["id_number"] == masked_id(farmer_in["id_number"])
    refused = head.post(reveal, {"field": "id_number"}, content_type="application/json")
    assert (refused.status_code, refused.json()["code"]) == (403, "forbidden")
    assert pii_views() == 2


# ---- 梳理, later changes and history --------------------------------------------------------


def complete_archive(client: Client, customer: int, kind: str) -> None:
    for key in REQUIREMENTS[kind].sections:
        add_row(client, customer, key, SECTION_ROWS[key])
    for number, doc_type in enumerate(REQUIREMENTS[kind].documents):
        content, name = (PNG, "scan.png") if number % 2 else (PDF, "scan.pdf")
        assert upload(client, customer, name, content, doc_type=doc_type).status_code == 201


@pytest.mark.parametrize("kind", ["farmer", "business", "enterprise"])
def test_confirmation_is_refused_until_complete_and_a_later_change_asks_again(
    request, api, village, kind: str
) -> None:
    data = request.getfixturevalue(f"{kind}_data")
    if kind == "farmer":
        data = {**data, "village": village.code}
    customer = create(api, data)["id"]
    refused = api.post(f"{API}/{customer}/confirm")
    assert (refused.status_code, refused.json()["code"]) == (409, "archive_incomplete")
    assert (
        f"document:{REQUIREMENTS[kind].documents[0]}:missing" in refused.json()["details"]["gaps"]
    )

    assert all(data[name] for name in REQUIREMENTS[kind].fields)  # the fixtures fill them
    complete_archive(api, customer, kind)
    complete = detail(api, customer)
    assert (complete["completeness"], complete["gaps"]) == (100, [])
    confirmed = api.post(f"{API}/{customer}/confirm")
    assert confirmed.status_code == 200
    body = confirmed.json()
    assert (body["archive_status"], body["confirmed_by"]) == ("confirmed", "zhang")
    assert body["confirmed_at"] is not None

    change = {"address": "新地址9号"}
    changed = api.patch(f"{API}/{customer}", change, content_type="application/json")
    assert changed.json()["archive_status"] == "reconfirm"


def test_history_lists_each_change_old_to_new_with_phones_masked(api, farmer_in) -> None:
    customer = create(api, farmer_in)["id"]
    change = {"address": "多福巷村4组1号", "phone": "13812345678"}
    assert (
        api.patch(f"{API}/{customer}", change, content_type="application/json").status_code == 200
    )
    add_row(api, customer, "land", SECTION_ROWS["land"])

    entries = api.get(f"{API}/{customer}/history").json()
    assert [(e["section"], e["action"]) for e in entries] == [
        ("土地", "+"),
        ("客户", "~"),
        ("客户", "+"),
    ]
    changes = {(c["field"], c["old"], c["new"]) for c in entries[1]["changes"]}
    assert changes == {
        ("住址/经营地址", "多福巷村3组12号", "多福巷村4组1号"),
        ("联系电话", "139****0000", "138****5678"),
    }
    assert entries[1]["who"] == "张三"


def test_a_patch_changes_only_what_is_sent(api, business_data) -> None:
    customer = create(api, business_data)["id"]
    body = api.patch(f"{API}/{customer}", {"name": "大山农资商店"}, content_type="application/json")
    assert (body.json()["name"], body.json()["industry_code"]) == ("大山农资商店", "5221")
    bad = api.patch(f"{API}/{customer}", {"phone": "12345"}, content_type="application/json")
    assert bad.status_code == 422 and list(bad.json()["details"]) == ["phone"]
    assert Customer.objects.get().phone == business_data["phone"]


# ---- documents -----------------------------------------------------------------------------


def test_an_uploaded_document_is_listed_with_its_digest(api, farmer_in) -> None:
    customer = create(api, farmer_in)["id"]
    response = upload(
        api, customer, "户口簿.pdf", PDF, doc_type="household_register", title="户主页"
    )
    assert response.status_code == 201
    (listed,) = api.get(f"{API}/{customer}/documents").json()
    assert listed["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert (listed["doc_type"], listed["doc_type_label"], listed["title"]) == (
        "household_register",
        "户口簿",
        "户主页",
    )
    assert (listed["size"], listed["content_type"], listed["uploaded_by"]) == (
        len(PDF),
        "application/pdf",
        "zhang",
    )
    assert (listed["expires_on"], listed["expired"]) == (None, False)
    assert detail(api, customer)["completeness"] == 4 * 100 // 14  # 28


def test_a_program_renamed_pdf_is_refused(api, farmer_in) -> None:
    customer = create(api, farmer_in)["id"]
    response = upload(api, customer, "scan.pdf", EXE, doc_type="id_card")
    assert response.status_code == 422
    assert response.json()["details"] == {
        "file": ["只接受 PDF、JPG、PNG、DOCX、XLSX 文件（按文件内容判断）"]
    }
    assert not Document.objects.exists()


def test_a_file_over_the_limit_is_refused(api, farmer_in, settings) -> None:
    settings.XINDAI_UPLOAD_MAX_BYTES = len(PDF) - 1
    customer = create(api, farmer_in)["id"]
    response = upload(api, customer, "scan.pdf", PDF, doc_type="id_card")
    assert response.status_code == 422
    assert list(response.json()["details"]) == ["file"]
    assert not Document.objects.exists()


def test_an_unknown_document_type_is_refused(api, farmer_in) -> None:
    customer = create(api, farmer_in)["id"]
    response = upload(api, customer, "scan.pdf", PDF, doc_type="passport")
    assert response.status_code == 422
    assert list(response.json()["details"]) == ["doc_type"]


def test_an_expired_document_is_an_expired_gap_until_renewed(api, farmer_in) -> None:
    business_date.set_date(dt.date(2026, 11, 28), actor=None, reason="测试")
    customer = create(api, farmer_in)["id"]
    response = upload(api, customer, "id.png", PNG, doc_type="id_card", expires_on="2026-11-27")
    document = response.json()
    assert (document["expires_on"], document["expired"]) == ("2026-11-27", True)
    body = detail(api, customer)
    assert body["completeness"] == 3 * 100 // 14  # an expired ID card does not count: 21
    expired = [g for g in body["gaps"] if g["key"] == "id_card"]
    assert expired == [
        {
            "kind": "document",
            "key": "id_card",
            "status": "expired",
            "label": "身份证",
            "status_label": "已过期",
        }
    ]

    renewed = api.patch(
        f"/api/v1/documents/{document['id']}",
        {"expires_on": "2046-11-28"},
        content_type="application/json",
    )
    assert (renewed.status_code, renewed.json()["expired"]) == (200, False)
    body = detail(api, customer)
    assert body["completeness"] == 4 * 100 // 14  # 28
    assert "id_card" not in {g["key"] for g in body["gaps"]}


def test_a_document_is_downloaded_by_its_manager_only_and_the_download_is_audited(
    api, farmer_in, colleague, login
) -> None:
    customer = create(api, farmer_in)["id"]
    document = upload(api, customer, "户口簿.pdf", PDF, doc_type="household_register").json()["id"]
    url = f"/api/v1/documents/{document}/file"

    response = api.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E6%88%B7%E5%8F%A3%E7%B0%BF.pdf"
    )
    assert b"".join(response.streaming_content) == PDF

    refused = login(colleague).get(url)
    assert (refused.status_code, refused.json()["code"]) == (404, "not_found")
    (event,) = AuditEvent.objects.filter(action="customers.document.download")
    assert (event.actor_username, event.object_type, event.object_id) == (
        "zhang",
        "customers.document",
        str(document),
    )
    assert event.changes == {
        "customer": customer,
        "doc_type": "household_register",
        "sha256": hashlib.sha256(PDF).hexdigest(),
    }


# ---- soft information and relationships ----------------------------------------------------


def test_soft_information_is_noted_and_listed(api, farmer_in) -> None:
    customer = create(api, farmer_in)["id"]
    note = {
        "circle": "business",
        "note": "按时交粮",
        "source": "粮站站长",
        "noted_on": "2026-10-01",
    }
    response = api.post(f"{API}/{customer}/soft-info", note, content_type="application/json")
    assert response.status_code == 201
    (listed,) = api.get(f"{API}/{customer}/soft-info").json()
    assert (listed["circle_label"], listed["note"], listed["author"]) == (
        "生意圈",
        "按时交粮",
        "zhang",
    )
    assert listed["noted_on"] == "2026-10-01"
    bad = api.post(
        f"{API}/{customer}/soft-info", {**note, "noted_on": "昨天"}, content_type="application/json"
    )
    assert bad.status_code == 422 and list(bad.json()["details"]) == ["noted_on"]


@pytest.fixture
def family(api, farmer_in, business_data, enterprise_data) -> dict[str, int]:
    """A guarantees C; B is A's spouse; C is related to B; C is related to D (two steps away)."""
    a = create(api, farmer_in)["id"]
    b = create(api, {**farmer_in, "name": "李秀英", "id_number": resident_id(seq=246)})["id"]
    c = create(api, business_data)["id"]
    d = create(api, enterprise_data)["id"]
    for source, target, kind in (
        (a, c, "guarantor"),
        (b, a, "spouse"),
        (c, b, "related_party"),
        (c, d, "related_party"),
    ):
        link = {"target": target, "kind": kind}
        response = api.post(f"{API}/{source}/relationships", link, content_type="application/json")
        assert response.status_code == 201, response.json()
    return {"A": a, "B": b, "C": c, "D": d}


def test_relationships_are_listed_both_ways(api, family) -> None:
    a, b, c = family["A"], family["B"], family["C"]
    listed = api.get(f"{API}/{a}/relationships").json()
    assert [(r["direction"], r["kind"], r["label"], r["other"]["id"]) for r in listed] == [
        ("out", "guarantor", "担保人", c),
        ("in", "spouse", "配偶", b),
    ]


def test_the_graph_holds_direct_relations_and_the_links_among_them(api, family) -> None:
    a, b, c = family["A"], family["B"], family["C"]
    graph = api.get(f"{API}/{a}/graph").json()
    assert {(n["id"], n["kind"]) for n in graph["nodes"]} == {
        (a, "farmer"),
        (b, "farmer"),
        (c, "business"),
    }
    assert {(link["source"], link["target"], link["label"]) for link in graph["links"]} == {
        (a, c, "担保人"),
        (b, a, "配偶"),
        (c, b, "关联方"),
    }


def test_bad_relationships_are_refused(api, family, colleague, login, enterprise_data) -> None:
    a = family["A"]
    theirs = create(
        login(colleague),
        {**enterprise_data, "id_number": credit_code("91110108MA01ABCD2"), "manager": colleague.pk},
    )["id"]
    url = f"{API}/{a}/relationships"
    for target, kind, message in (
        (theirs, "guarantor", "关系人不存在或无权查看"),
        (a, "guarantor", "不能与客户本人建立关系"),
        (family["C"], "guarantor", "该关系已登记"),
    ):
        response = api.post(url, {"target": target, "kind": kind}, content_type="application/json")
        assert response.status_code == 422
        assert response.json()["details"] == {"target": [message]}


# ---- who sees what -------------------------------------------------------------------------


def test_another_branch_and_another_manager_get_404_and_an_empty_list(
    api, farmer_in, colleague, tree, make_user, login
) -> None:
    customer = create(api, farmer_in)["id"]
    document = upload(api, customer, "id.png", PNG, doc_type="id_card").json()["id"]
    neighbour = make_user("zhao", tree["O11"], Role.MANAGER)  # same outlet, own customers only
    for person in (colleague, neighbour):
        client = login(person)
        assert client.get(API).json()["count"] == 0
        for method, url, body in (
            ("get", f"{API}/{customer}", None),
            ("patch", f"{API}/{customer}", {"address": "x"}),
            ("get", f"{API}/{customer}/sections/members", None),
            ("post", f"{API}/{customer}/sections/members", SECTION_ROWS["members"]),
            ("get", f"{API}/{customer}/documents", None),
            ("patch", f"/api/v1/documents/{document}", {"expires_on": None}),
            ("post", f"{API}/{customer}/reveal", {"field": "id_number"}),
            ("post", f"{API}/{customer}/confirm", None),
            ("get", f"{API}/{customer}/history", None),
            ("get", f"{API}/{customer}/graph", None),
        ):
            response = getattr(client, method)(url, body, content_type="application/json")
            assert response.status_code == 404, (person.username, method, url)
    assert pii_views() == 0
    assert detail(api, customer)["address"] == farmer_in["address"]


def test_staff_without_the_permission_get_403(outsider, login, farmer_in) -> None:
    client = login(outsider)
    assert client.get(API).status_code == 403
    response = client.post(API, farmer_in, content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (403, "forbidden")
    assert not Customer.objects.exists()


# ---- list filters --------------------------------------------------------------------------


def test_the_list_filters_by_name_id_suffix_kind_village_and_completeness(
    api, farmer_in, business_data, enterprise_data
) -> None:
    second_id = resident_id(seq=789)
    wang = create(api, farmer_in)["id"]
    li = create(api, {**farmer_in, "name": "李小河", "id_number": second_id})["id"]
    shop = create(api, business_data)["id"]
    firm = create(api, enterprise_data)["id"]
    for key in ("licence", "members", "premises"):  # the shop: 6 of 11 = 54, "medium"
        add_row(api, shop, key, SECTION_ROWS[key])

    def ids(**filters: str) -> set[int]:
        body = api.get(API, filters).json()
        assert body["count"] == len(body["items"])
        return {item["id"] for item in body["items"]}

    assert ids() == {wang, li, shop, firm}
    assert ids(q="大山") == {wang, shop}  # 王大山, 大山农资店
    assert ids(q=second_id[-6:]) == {li}
    assert ids(kind="business") == {shop}
    assert ids(village="110101001000") == {wang, li}  # the township holds the village
    assert ids(completeness="medium") == {shop}
    assert ids(completeness="low") == {wang, li, firm}
    assert ids(completeness="complete") == set()
