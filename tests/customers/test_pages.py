"""The archive pages, as a manager, a colleague in another branch and an outsider use them.

A farmer's archive has 3 fields + 9 sections + 2 documents = 14 requirements (policy): with
phone, address and village filled it scores 3 × 100 // 14 = 21; one household member adds a
section: 4 × 100 // 14 = 28.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.customers.ids import credit_code, resident_id
from xindai.audit.models import AuditEvent
from xindai.customers import services
from xindai.customers.models import ArchiveStatus, Customer, HouseholdMember

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(50)
MEMBER = {
    "relation": "spouse",
    "name": "李秀兰",
    "sex": "F",
    "id_number": resident_id(seq=456),
    "phone": "13612345678",
    "is_labour": "on",
}


@pytest.fixture
def farmer(manager, farmer_data) -> Customer:
    return services.create_customer(manager, farmer_data)


@pytest.fixture
def colleagues_farmer(colleague, village) -> Customer:
    return services.create_customer(
        colleague,
        {
            "kind": "farmer",
            "name": "赵小河",
            "id_number": resident_id(seq=789),
            "village": village.pk,
            "manager": colleague.pk,
        },
    )


@pytest.fixture
def shop(manager, business_data) -> Customer:
    return services.create_customer(manager, business_data)


def page_text(client: Any, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# ---- the list ---------------------------------------------------------------------------------


def test_the_list_shows_only_the_managers_own_customers_masked(
    manager, farmer, colleagues_farmer, login
) -> None:
    page = page_text(login(manager), "/customers/")
    assert "王大山" in page and "赵小河" not in page
    assert farmer.id_number not in page
    assert "110101********" + farmer.id_number[-4:] in page
    assert "139****0000" in page and "13912340000" not in page
    assert '<progress class="completeness completeness-low" value="21" max="100">' in page


def test_filters_narrow_the_list(manager, farmer, shop, login) -> None:
    client = login(manager)
    by_kind = page_text(client, "/customers/?kind=business")
    assert "大山农资店" in by_kind and "王大山" not in by_kind
    by_village = page_text(client, "/customers/?village=110101001001")
    assert "王大山" in by_village and "大山农资店" not in by_village
    by_suffix = page_text(client, f"/customers/?q={farmer.id_number[-6:]}")
    assert "王大山" in by_suffix and "大山农资店" not in by_suffix
    assert "没有符合条件的客户" in page_text(client, "/customers/?completeness=complete")
    assert "王大山" in page_text(client, "/customers/?completeness=low&status=draft")
    assert "王大山" not in page_text(client, "/customers/?status=confirmed")


def test_htmx_gets_only_the_rows(manager, farmer, login) -> None:
    response = login(manager).get("/customers/?q=王", HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "王大山" in page and "<html" not in page and "customer-filters" not in page


def test_the_branch_head_filters_by_manager(
    branch_head, manager, farmer, make_user, tree, village, login
) -> None:
    from xindai.org.roles import Role

    other = make_user("qian", tree["O12"], Role.MANAGER, full_name="钱五")
    services.create_customer(
        other,
        {
            "kind": "farmer",
            "name": "孙大树",
            "id_number": resident_id(seq=555),
            "village": village.pk,
            "manager": other.pk,
        },
    )
    client = login(branch_head)
    everyone = page_text(client, "/customers/")
    assert "王大山" in everyone and "孙大树" in everyone
    assert "新建客户" not in everyone  # a branch head reads the archives only
    only_qian = page_text(client, "/customers/?manager=qian")
    assert "孙大树" in only_qian and "王大山" not in only_qian


def test_the_navigation_opens_the_list(manager, login) -> None:
    page = page_text(login(manager), "/")
    assert 'href="/customers/"' in page


# ---- create and edit ----------------------------------------------------------------------------


def test_creating_a_farmer_through_the_page_opens_its_archive(manager, farmer_data, login) -> None:
    response = login(manager).post("/customers/new/", farmer_data)
    customer = Customer.objects.get(id_number=farmer_data["id_number"])
    assert response.status_code == 302
    assert response["Location"] == f"/customers/{customer.pk}/"
    assert customer.completeness == 21


def test_a_wrong_id_number_is_explained_in_chinese_and_nothing_is_saved(
    manager, farmer_data, login
) -> None:
    wrong = farmer_data | {"id_number": farmer_data["id_number"][:-1] + "0"}
    if wrong["id_number"] == farmer_data["id_number"]:
        wrong["id_number"] = farmer_data["id_number"][:-1] + "1"
    response = login(manager).post("/customers/new/", wrong)
    page = response.content.decode()
    assert response.status_code == 200
    assert "身份证号校验位不正确，请核对是否录错" in page
    assert 'class="form-control is-invalid"' in page
    assert not Customer.objects.exists()


def test_a_farmer_without_a_village_is_refused(manager, farmer_data, login) -> None:
    response = login(manager).post("/customers/new/", farmer_data | {"village": ""})
    assert "农户必须落到所在村" in response.content.decode()
    assert not Customer.objects.exists()


def test_editing_the_customer_changes_it_and_shows_in_the_history(manager, farmer, login) -> None:
    client = login(manager)
    data = {
        "name": "王大山",
        "id_number": farmer.id_number,
        "phone": "13912349999",
        "address": "多福巷村5组1号",
        "village": farmer.village_id,
        "industry_code": "",
        "manager": manager.pk,
    }
    response = client.post(f"/customers/{farmer.pk}/edit/", data)
    assert response.status_code == 302
    farmer.refresh_from_db()
    assert farmer.address == "多福巷村5组1号"
    history = page_text(client, f"/customers/{farmer.pk}/?tab=history")
    assert "多福巷村3组12号 → 多福巷村5组1号" in history
    assert "139****0000 → 139****9999" in history
    assert "13912349999" not in history


# ---- the detail page ----------------------------------------------------------------------------


def test_the_detail_shows_the_masked_id_and_the_checklist(manager, farmer, login) -> None:
    page = page_text(login(manager), f"/customers/{farmer.pk}/")
    assert farmer.id_number not in page
    assert farmer.id_number[:6] + "********" + farmer.id_number[-4:] in page
    assert "查看完整号码" in page
    assert "21%" in page
    assert "尚缺 11 项" in page
    for label in ("家庭成员", "村委会评价", "身份证", "户口簿"):
        assert label in page
    assert "确认梳理" in page


def test_the_manager_reveals_the_full_id_and_the_look_is_audited(manager, farmer, login) -> None:
    response = login(manager).post(f"/customers/{farmer.pk}/reveal/", {"field": "id_number"})
    assert response.status_code == 200
    assert farmer.id_number in response.content.decode()
    event = AuditEvent.objects.get(action="customers.pii.view")
    assert (event.actor_username, event.object_id) == ("zhang", str(farmer.pk))
    assert event.changes["field"] == "id_number"


def test_a_reviewer_without_full_pii_cannot_reveal(branch_head, farmer, login) -> None:
    response = login(branch_head).post(f"/customers/{farmer.pk}/reveal/", {"field": "id_number"})
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="customers.pii.view").exists()
    assert "查看完整号码" not in page_text(login(branch_head), f"/customers/{farmer.pk}/")


def test_only_personal_data_fields_can_be_revealed(manager, farmer, login) -> None:
    response = login(manager).post(f"/customers/{farmer.pk}/reveal/", {"field": "name"})
    assert response.status_code == 400


def test_another_branchs_customer_is_not_found(colleague, farmer, login) -> None:
    client = login(colleague)
    assert client.get(f"/customers/{farmer.pk}/").status_code == 404
    assert client.post(f"/customers/{farmer.pk}/reveal/", {"field": "id_number"}).status_code == 404
    assert client.get(f"/customers/{farmer.pk}/edit/").status_code == 404


def test_the_outsider_is_refused_everywhere(outsider, farmer, login) -> None:
    client = login(outsider)
    for url in ("/customers/", "/customers/new/", f"/customers/{farmer.pk}/"):
        assert client.get(url).status_code == 403
    assert client.post(f"/customers/{farmer.pk}/reveal/", {"field": "id_number"}).status_code == 403


def test_every_tab_of_a_business_opens(manager, shop, login) -> None:
    client = login(manager)
    for key in (
        "profile",
        "licence",
        "members",
        "premises",
        "operations",
        "partners",
        "accounts",
        "liabilities",
        "financial_assets",
        "assets",
        "permits",
        "soft",
        "documents",
        "relations",
        "history",
    ):
        assert client.get(f"/customers/{shop.pk}/?tab={key}").status_code == 200, key


# ---- sections -----------------------------------------------------------------------------------


def test_adding_a_member_through_the_page_raises_completeness(manager, farmer, login) -> None:
    client = login(manager)
    assert "添加家庭成员" in page_text(client, f"/customers/{farmer.pk}/sections/members/add/")
    response = client.post(f"/customers/{farmer.pk}/sections/members/add/", MEMBER)
    assert response.status_code == 302
    assert response["Location"] == f"/customers/{farmer.pk}/?tab=members"
    farmer.refresh_from_db()
    assert farmer.completeness == 28
    tab = page_text(client, response["Location"])
    assert "李秀兰" in tab and "配偶" in tab
    assert MEMBER["id_number"] not in tab and "136****5678" in tab


def test_a_members_id_number_is_revealed_row_by_row(manager, farmer, login) -> None:
    row = services.save_section_row(manager, farmer, "members", MEMBER)
    data = {"field": "id_number", "section": "members", "row": row.pk}
    response = login(manager).post(f"/customers/{farmer.pk}/reveal/", data)
    assert MEMBER["id_number"] in response.content.decode()
    event = AuditEvent.objects.get(action="customers.pii.view")
    assert event.changes == {"field": "members.id_number", "row": row.pk}


def test_a_bad_member_row_shows_the_error_and_saves_nothing(manager, farmer, login) -> None:
    bad = MEMBER | {"id_number": "123"}
    response = login(manager).post(f"/customers/{farmer.pk}/sections/members/add/", bad)
    assert response.status_code == 200
    assert "身份证号应为 18 位" in response.content.decode()
    assert not HouseholdMember.objects.exists()


def test_editing_and_deleting_a_member(manager, farmer, login) -> None:
    client = login(manager)
    row = services.save_section_row(manager, farmer, "members", MEMBER)
    url = f"/customers/{farmer.pk}/sections/members/{row.pk}/"
    assert "李秀兰" in page_text(client, url)
    client.post(url, MEMBER | {"occupation": "教师"})
    assert HouseholdMember.objects.get().occupation == "教师"
    assert client.get(url + "delete/").status_code == 405  # only by POST, after confirming
    response = client.post(url + "delete/")
    assert response.status_code == 302 and not HouseholdMember.objects.exists()
    history = page_text(client, f"/customers/{farmer.pk}/?tab=history")
    assert "教师" in history and "删除" in history
    assert '<span class="fw-semibold history-record">李秀兰</span>' in history
    assert " as of " not in history


def test_a_section_of_another_kind_is_not_found(manager, shop, login) -> None:
    assert login(manager).get(f"/customers/{shop.pk}/sections/land/add/").status_code == 404


def test_a_single_row_section_is_filled_then_changed_in_place(manager, shop, login) -> None:
    client = login(manager)
    url = f"/customers/{shop.pk}/sections/operations/add/"
    row = {
        "employees": "3",
        "monthly_turnover": "80000",
        "monthly_profit": "12000",
        "inventory_value": "150000",
    }
    client.post(url, row)
    client.post(url, row | {"employees": "5"})
    assert shop.businessoperations.employees == 5  # one row, changed
    assert 'value="5"' in page_text(client, url)
    assert "80,000.00" in page_text(client, f"/customers/{shop.pk}/?tab=operations")


# ---- the 梳理 confirmation ------------------------------------------------------------------


def test_confirming_an_incomplete_archive_is_refused_with_the_gaps(manager, farmer, login) -> None:
    client = login(manager)
    response = client.post(f"/customers/{farmer.pk}/confirm/", follow=True)
    page = response.content.decode()
    assert "档案尚不完整，不能确认梳理" in page
    assert "尚缺 11 项" in page
    farmer.refresh_from_db()
    assert farmer.archive_status == ArchiveStatus.DRAFT


# ---- soft information, relations, documents ----------------------------------------------------


def test_soft_information_is_filed_under_its_circle(manager, farmer, login) -> None:
    client = login(manager)
    url = f"/customers/{farmer.pk}/soft-info/"
    note = {"circle": "life", "note": "邻里口碑好", "source": "村支书", "noted_on": "2026-11-01"}
    assert client.post(url, note).status_code == 302
    page = page_text(client, f"/customers/{farmer.pk}/?tab=soft")
    assert "邻里口碑好" in page and "村支书" in page
    refused = client.post(url, note | {"note": ""})
    assert refused.status_code == 200 and "这个字段是必填项" in refused.content.decode()


def test_a_relation_draws_the_graph(manager, farmer, shop, login) -> None:
    client = login(manager)
    url = f"/customers/{farmer.pk}/relations/"
    assert client.post(url, {"target": shop.pk, "kind": "related_party"}).status_code == 302
    page = page_text(client, f"/customers/{farmer.pk}/?tab=relations")
    assert "大山农资店" in page and 'data-chart="graph"' in page
    assert '<script id="relation-graph" type="application/json">' in page
    again = client.post(url, {"target": shop.pk, "kind": "related_party"})
    assert "该关系已登记" in again.content.decode()


def test_the_relation_choices_are_the_users_own_customers(
    manager, farmer, colleagues_farmer, login
) -> None:
    page = page_text(login(manager), f"/customers/{farmer.pk}/?tab=relations")
    assert "赵小河" not in page


def test_a_document_is_uploaded_and_downloaded_through_the_app_only(
    manager, farmer, colleague, login
) -> None:
    client = login(manager)
    upload = SimpleUploadedFile("身份证.png", PNG, content_type="image/png")
    data = {"doc_type": "id_card", "title": "户主", "expires_on": "2020-01-01", "file": upload}
    assert client.post(f"/customers/{farmer.pk}/documents/", data).status_code == 302
    document = farmer.documents.get()
    page = page_text(client, f"/customers/{farmer.pk}/?tab=documents")
    assert "身份证.png" in page and "已过期" in page
    assert "/media/" not in page
    url = f"/customers/{farmer.pk}/documents/{document.pk}/"
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert login(colleague).get(url).status_code == 404
    assert AuditEvent.objects.filter(action="customers.document.download").count() == 1


def test_a_mistyped_expiry_date_is_corrected(manager, farmer, login) -> None:
    client = login(manager)
    upload = SimpleUploadedFile("户口簿.png", PNG)
    data = {"doc_type": "household_register", "expires_on": "2020-01-01", "file": upload}
    client.post(f"/customers/{farmer.pk}/documents/", data)
    document = farmer.documents.get()
    url = f"/customers/{farmer.pk}/documents/{document.pk}/expiry/"
    assert client.post(url, {"expires_on": ""}).status_code == 302
    document.refresh_from_db()
    assert document.expires_on is None  # 长期
    assert "已过期" not in page_text(client, f"/customers/{farmer.pk}/?tab=documents")


def test_a_file_of_the_wrong_type_is_refused_on_the_tab(manager, farmer, login) -> None:
    upload = SimpleUploadedFile("a.exe", b"MZ" + bytes(64))
    response = login(manager).post(
        f"/customers/{farmer.pk}/documents/", {"doc_type": "other", "file": upload}
    )
    assert response.status_code == 200
    assert "只接受 PDF、JPG、PNG、DOCX、XLSX 文件" in response.content.decode()
    assert not farmer.documents.exists()


# ---- Excel ------------------------------------------------------------------------------------


def test_the_export_is_the_filtered_list_masked(manager, farmer, shop, login) -> None:
    import io

    from openpyxl import load_workbook

    response = login(manager).get("/customers/export/?kind=farmer")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    names = [row[0] for row in rows[1:]]
    assert names == ["王大山"]
    assert farmer.id_number not in str(rows)
    assert AuditEvent.objects.filter(action="customers.export").exists()


def test_a_refused_import_lists_the_problems_and_offers_the_report(manager, login) -> None:
    client = login(manager)
    template = client.get("/customers/import/template/")
    assert template.status_code == 200
    upload = SimpleUploadedFile("empty.xlsx", template.content)
    response = client.post("/customers/import/", {"file": upload, "manager": manager.pk})
    page = response.content.decode()
    assert response.status_code == 200
    assert "文件中没有可导入的农户或个体工商户" in page
    assert "下载错误清单" in page
    report = client.get("/customers/import/errors/")
    assert report.status_code == 200 and report["Content-Type"].startswith("application/vnd")


def test_an_import_needs_the_add_permission(branch_head, login) -> None:
    assert login(branch_head).get("/customers/import/").status_code == 403


def test_enterprise_ids_are_credit_codes(manager, enterprise_data, login) -> None:
    client = login(manager)
    response = client.post("/customers/new/", enterprise_data | {"id_number": credit_code()[:-1]})
    assert "统一社会信用代码应为 18 位" in response.content.decode()


def test_the_archive_pages_speak_english_when_chosen(manager, farmer, login) -> None:
    client = login(manager)
    client.cookies["django_language"] = "en"
    page = page_text(client, f"/customers/{farmer.pk}/")
    assert "Show full number" in page and "Archive completeness" in page
    assert "11 items missing:" in page and "Household members" in page
    assert "Farming household" in page
    assert "New customer" in page_text(client, "/customers/")
