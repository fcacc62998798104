"""Notices over the API and the pages: delivery, the signed receipt (which interrupts the
limitation period), issuing 催收通知书, the DOCX, and who may see what."""

from __future__ import annotations

import io
from typing import Any

import pytest
from docx import Document

from tests.notices.scenario import D, overdue_loan, overdue_state, uploaded
from xindai.collection.models import Interruption
from xindai.notices import daily
from xindai.notices.models import Notice

pytestmark = pytest.mark.django_db
TODAY = D(2027, 1, 2)
API = "/api/v1/notices"


@pytest.fixture
def collection_notices(farmer: Any) -> list[Notice]:
    """31 days past due on 2027-01-02 with two guarantors, and no notice yet: three
    催收通知书, and the 逾期通知书 it missed on its first day overdue (caught up)."""
    account = overdue_loan(farmer, guarantors=2)
    overdue_state(account, TODAY, 31)
    assert daily.run(TODAY) == {"overdue": 1, "collection": 3}
    return list(Notice.objects.filter(loan=account, kind="collection").order_by("pk"))


def test_deliver_then_upload_the_signed_receipt(
    collection_notices: list[Notice], manager: Any, login: Any
) -> None:
    client = login(manager)
    guarantor_notice = next(n for n in collection_notices if n.recipient_role == "guarantor")
    url = f"{API}/{guarantor_notice.pk}"
    early = client.post(f"{url}/receipt", {"file": uploaded(), "signed_on": "2027-01-02"})
    assert early.status_code == 409
    assert early.json()["code"] == "notice_refused"
    delivered = client.post(
        f"{url}/deliveries",
        {"method": "in_person", "received_by": "保证人1"},
        content_type="application/json",
    )
    assert delivered.status_code == 201
    body = delivered.json()
    assert body["status"] == "delivered"
    assert body["deliveries"][0]["delivered_on"] == "2027-01-02"
    assert body["deliveries"][0]["delivered_by"] == "张三"
    future = client.post(f"{url}/receipt", {"file": uploaded(), "signed_on": "2027-01-03"})
    assert future.status_code == 422
    wrong = client.post(f"{url}/receipt", {"file": uploaded("a.exe"), "signed_on": "2027-01-02"})
    assert wrong.status_code == 422
    done = client.post(f"{url}/receipt", {"file": uploaded(), "signed_on": "2027-01-02"})
    assert done.status_code == 201, done.content
    receipt = done.json()["receipt"]
    # SHA-256 of b"%PDF-1.4 signed receipt"
    import hashlib

    assert receipt["sha256"] == hashlib.sha256(b"%PDF-1.4 signed receipt").hexdigest()
    assert (receipt["signed_on"], receipt["interrupts"]) == ("2027-01-02", True)
    assert done.json()["status"] == "receipted"
    interruption = Interruption.objects.get(party__customer=guarantor_notice.recipient)
    assert (interruption.on, interruption.kind) == (D(2027, 1, 2), "notice")
    again = client.post(f"{url}/receipt", {"file": uploaded(), "signed_on": "2027-01-02"})
    assert again.status_code == 409


def test_delivery_needs_a_method_and_in_person_a_signer(
    collection_notices: list[Notice], manager: Any, login: Any
) -> None:
    client = login(manager)
    url = f"{API}/{collection_notices[0].pk}/deliveries"
    assert (
        client.post(url, {"method": "pigeon"}, content_type="application/json").status_code == 422
    )
    assert (
        client.post(url, {"method": "in_person"}, content_type="application/json").status_code
        == 422
    )
    assert (
        client.post(
            url, {"method": "mail", "reference": "EMS1"}, content_type="application/json"
        ).status_code
        == 201
    )


def test_download_is_the_stored_docx(
    collection_notices: list[Notice], manager: Any, login: Any
) -> None:
    client = login(manager)
    notice = collection_notices[0]
    detail = client.get(f"{API}/{notice.pk}").json()
    response = client.get(f"{API}/{notice.pk}/docx")
    assert response.status_code == 200
    import hashlib

    assert hashlib.sha256(response.content).hexdigest() == detail["sha256"]
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "贷款催收通知书" in text
    # Owed 1,000.00 + 36.00 = 1,036.00 元.
    assert "人民币壹仟零叁拾陆元整" in text


def test_issue_collection_notices_on_demand(
    farmer: Any, login: Any, make_user: Any, tree: Any
) -> None:
    from xindai.org.roles import Role

    officer = make_user("qing", tree["B1"], Role.COLLECTION, full_name="秦清收")
    account = overdue_loan(farmer, guarantors=1)
    client = login(officer)
    url = f"{API}/loans/{account.pk}/collection"
    refused = client.post(url, {}, content_type="application/json")
    assert refused.status_code == 409  # not overdue
    overdue_state(account, D(2026, 12, 20), 18)
    made = client.post(url, {"reason": "电话催收无果"}, content_type="application/json")
    assert made.status_code == 201
    assert sorted(n["recipient_role"] for n in made.json()) == ["borrower", "guarantor"]
    assert {n["issued_on"] for n in made.json()} == {"2026-12-20"}
    assert {n["total"] for n in made.json()} == {"1036.00"}
    assert client.post(url, {}, content_type="application/json").status_code == 409


def test_list_filters_masks_phones_and_scopes(
    collection_notices: list[Notice], manager: Any, colleague: Any, outsider: Any, login: Any
) -> None:
    mine = login(manager).get(API, {"kind": "collection", "q": "王大山"}).json()
    assert mine["count"] == 3
    borrower = next(n for n in mine["items"] if n["recipient_role"] == "borrower")
    assert borrower["phone"] == "139****0000"
    assert login(manager).get(API, {"kind": "maturity"}).json()["count"] == 0
    assert login(manager).get(API, {"due_from": "2026-12-03"}).json()["count"] == 0
    assert login(colleague).get(API).json()["count"] == 0
    assert login(colleague).get(f"{API}/{collection_notices[0].pk}").status_code == 404
    assert login(outsider).get(API).status_code == 403


def test_pages(collection_notices: list[Notice], manager: Any, login: Any) -> None:
    client = login(manager)
    page = client.get("/notices/", {"kind": "collection"})
    assert page.status_code == 200
    assert "139****0000" in page.content.decode()
    notice = collection_notices[0]
    detail = client.get(f"/notices/{notice.pk}/")
    assert "1,036.00" in detail.content.decode()
    response = client.post(f"/notices/{notice.pk}/deliver/", {"method": "sms"})
    assert response.status_code == 302
    response = client.post(
        f"/notices/{notice.pk}/receipt/",
        {"file": uploaded(), "signed_on": "2027-01-02", "signed_by": "王大山"},
    )
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.status == "receipted"
    assert client.get(f"/notices/{notice.pk}/docx/").status_code == 200
