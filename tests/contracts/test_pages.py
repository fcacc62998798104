"""The contract pages: an application's contracts, generate, check, sign, verify, the list
(masked IDs), the template versions; access by permission and scope."""

from __future__ import annotations

import pytest

from tests.contracts.factories import credit_case
from xindai.contracts.models import Contract, ContractStatus


@pytest.fixture
def case(manager, farmer, co_investigator, approver):
    return credit_case(manager, farmer, co_investigator, approver).application


def test_the_manager_generates_checks_and_signs_on_the_pages(
    manager, co_investigator, clerk, farmer, case, login
) -> None:
    client = login(manager)
    page = client.get(f"/contracts/applications/{case.pk}/")
    assert page.status_code == 200
    assert "生成全部所需合同" in page.content.decode()
    client.post(f"/contracts/applications/{case.pk}/generate/", {"kind": "all"})
    contract = Contract.objects.get()
    detail = client.get(f"/contracts/{contract.pk}/").content.decode()
    assert "人民币壹拾万元整" in detail and "第十三条 合同的生效" in detail
    client.post(f"/contracts/{contract.pk}/check/")
    contract.refresh_from_db()
    assert contract.status == ContractStatus.CHECKED
    form = client.get(f"/contracts/{contract.pk}/sign/")
    assert form.status_code == 200 and "见证人二" in form.content.decode()
    response = client.post(
        f"/contracts/{contract.pk}/sign/",
        {
            "signed_at": "2026-11-27T10:00",
            "place": "一支行营业部",
            "witness_one": manager.pk,
            "witness_two": co_investigator.pk,
            "capacity": "self",
            "name": "王大山",
            "id_number": farmer.id_number,
            "identity_checked": "on",
        },
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.status == ContractStatus.SIGNED
    shown = login(clerk).get(f"/contracts/{contract.pk}/").content.decode()
    assert "复核通过" in shown
    login(clerk).post(f"/contracts/{contract.pk}/verify/", {"result": "pass"})
    contract.refresh_from_db()
    assert contract.status == ContractStatus.VERIFIED


def test_a_refused_signing_shows_the_reasons(manager, farmer, case, login) -> None:
    client = login(manager)
    client.post(f"/contracts/applications/{case.pk}/generate/", {"kind": "loan"})
    contract = Contract.objects.get()
    client.post(f"/contracts/{contract.pk}/check/")
    response = client.post(
        f"/contracts/{contract.pk}/sign/",
        {
            "signed_at": "2026-11-27T10:00",
            "place": "一支行营业部",
            "witness_one": manager.pk,
            "witness_two": manager.pk,
            "capacity": "self",
            "name": "王大山",
            "id_number": farmer.id_number,
            "identity_checked": "on",
        },
    )
    assert response.status_code == 200
    assert "两名见证人不能是同一人" in response.content.decode()
    contract.refresh_from_db()
    assert contract.status == ContractStatus.CHECKED


def test_the_list_masks_id_numbers_and_filters(manager, farmer, case, login) -> None:
    client = login(manager)
    client.post(f"/contracts/applications/{case.pk}/generate/", {"kind": "all"})
    page = client.get("/contracts/?q=王大山&kind=loan").content.decode()
    assert "JK2026000001" in page
    assert farmer.id_number not in page
    assert "JK2026000001" not in client.get("/contracts/?status=void").content.decode()


def test_another_branch_sees_nothing(manager, colleague, case, login) -> None:
    login(manager).post(f"/contracts/applications/{case.pk}/generate/", {"kind": "all"})
    contract = Contract.objects.get()
    assert login(colleague).get(f"/contracts/{contract.pk}/").status_code == 404
    assert login(colleague).get(f"/contracts/applications/{case.pk}/").status_code == 404


def test_template_versions_page(risk_officer, manager, login) -> None:
    page = login(risk_officer).get("/contracts/templates/").content.decode()
    assert "最高额抵押合同 V1" in page and "使用中" in page
    assert login(manager).get("/contracts/templates/").status_code == 403
