"""The contracts API: generate, check (409 with every reason), sign (multipart), verify,
download, list (masked) and templates; another branch's contract is a 404."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document

from tests.contracts.factories import AGENT_ID, credit_case
from tests.credit.factories import pdf
from xindai.contracts.models import Contract, ContractStatus

API = "/api/v1/contracts"


@pytest.fixture
def case(manager, farmer, co_investigator, approver):
    return credit_case(manager, farmer, co_investigator, approver).application


def generated(client, application) -> dict:
    response = client.post(
        f"{API}/applications/{application.pk}/generate",
        {"kind": "all"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    return response.json()[0]


def test_generate_check_sign_verify(manager, co_investigator, clerk, farmer, case, login) -> None:
    client = login(manager)
    row = generated(client, case)
    assert (row["number"], row["status"], row["amount"]) == ("JK2026000001", "drafted", "100000.00")
    assert row["party_id_masked"] != farmer.id_number and row["party_id_masked"][-4:] == "1233"
    checked = client.post(f"{API}/{row['id']}/check")
    assert checked.status_code == 200 and checked.json()["status"] == "checked"
    signed = client.post(
        f"{API}/{row['id']}/sign",
        {
            "signed_at": "2026-11-27T10:00:00+08:00",
            "place": "一支行营业部",
            "witness_one": manager.pk,
            "witness_two": co_investigator.pk,
            "capacity": "agent",
            "name": "王小山",
            "id_number": AGENT_ID,
            "identity_checked": "true",
            "authority_document": pdf("授权委托书.pdf"),
        },
    )
    assert signed.status_code == 201, signed.content
    assert signed.json()["parties"][0]["capacity"] == "agent"
    verified = login(clerk).post(
        f"{API}/{row['id']}/verify", {"passed": True}, content_type="application/json"
    )
    assert verified.status_code == 200 and verified.json()["status"] == "verified"
    detail = client.get(f"{API}/{row['id']}").json()
    assert detail["status"] == "verified" and len(detail["signings"]) == 1


def test_a_tampered_contract_is_a_409_with_every_reason(manager, case, login) -> None:
    client = login(manager)
    row = generated(client, case)
    contract = Contract.objects.get(pk=row["id"])
    path = Path(contract.docx.path)
    document = Document(io.BytesIO(path.read_bytes()))
    document.add_paragraph("第十四条　补充条款")
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(buffer.getvalue())
    response = client.post(f"{API}/{row['id']}/check")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "contract_inconsistent"
    assert body["details"]["clauses"] == ["合同增加了模板没有的条款：第十四条 补充条款"]
    contract.refresh_from_db()
    assert contract.status == ContractStatus.DRAFTED


def test_signing_an_unchecked_contract_is_a_409(manager, co_investigator, case, login) -> None:
    client = login(manager)
    row = generated(client, case)
    response = client.post(
        f"{API}/{row['id']}/sign",
        {
            "signed_at": "2026-11-27T10:00:00+08:00",
            "witness_one": manager.pk,
            "witness_two": co_investigator.pk,
            "capacity": "self",
        },
    )
    assert response.status_code == 409
    assert response.json()["message"] == "只有核对通过的合同可以面签"


def test_an_unknown_kind_is_a_422(manager, case, login) -> None:
    response = login(manager).post(
        f"{API}/applications/{case.pk}/generate", {"kind": "lease"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert not Contract.objects.exists()


def test_list_download_and_scope(manager, colleague, case, login) -> None:
    client = login(manager)
    row = generated(client, case)
    listed = client.get(f"{API}?q=JK2026").json()
    assert listed["count"] == 1 and listed["items"][0]["number"] == "JK2026000001"
    assert client.get(f"{API}?status=verified").json()["count"] == 0
    download = client.get(f"{API}/{row['id']}/docx")
    assert download.status_code == 200
    assert b"".join(download.streaming_content)[:2] == b"PK"
    other = login(colleague)
    assert other.get(f"{API}/{row['id']}").status_code == 404
    assert other.get(API).json()["count"] == 0


def test_templates_are_listed_for_risk(risk_officer, manager, login) -> None:
    versions = login(risk_officer).get(f"{API}/templates").json()
    assert {v["kind"] for v in versions if v["in_use"]} == {
        "loan",
        "guarantee",
        "mortgage",
        "pledge",
        "max_mortgage",
    }
    assert login(manager).get(f"{API}/templates").status_code == 403
