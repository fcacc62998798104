"""/api/v1/vault: the same rules as the pages, as JSON."""

from __future__ import annotations

from tests.vault.factories import house, kept, registered, registration_data
from xindai.vault.models import Registration, VaultItem


def test_register_receive_release_and_approve_over_the_api(case, manager, keeper, head, login):
    url = f"/api/v1/vault/applications/{case.pk}/collateral/{house(case).pk}/registration"
    created = login(manager).post(url, registration_data(), content_type="application/json")
    assert created.status_code == 201
    registration_id = created.json()["id"]

    item = login(keeper).post(
        f"/api/v1/vault/registrations/{registration_id}/items",
        {"kind": "certificate"},
        content_type="application/json",
    )
    assert item.status_code == 201
    assert (item.json()["number"], item.json()["value"]) == ("KF2026000001", "100000.00")

    asked = login(keeper).post(
        f"/api/v1/vault/items/{item.json()['id']}/release-requests",
        {"reason": "换证", "acknowledge": True},
        content_type="application/json",
    )
    assert (asked.status_code, asked.json()["unsettled_loan"]) == (201, True)
    own = login(keeper).post(
        f"/api/v1/vault/movements/{asked.json()['id']}/approve", {}, content_type="application/json"
    )
    assert own.status_code == 403  # a keeper holds no approve_release
    approved = login(head).post(
        f"/api/v1/vault/movements/{asked.json()['id']}/approve", {}, content_type="application/json"
    )
    assert approved.json()["state"] == "done"
    detail = login(keeper).get(f"/api/v1/vault/items/{item.json()['id']}").json()
    assert [m["direction"] for m in detail["movements"]] == ["in", "out"]
    assert detail["status"] == "out"


def test_a_refusal_is_409_with_every_reason(case, manager, login) -> None:
    url = f"/api/v1/vault/applications/{case.pk}/collateral/{house(case).pk}/registration"
    data = registration_data(registered_on="2026-12-31", secured_amount="0")
    refused = login(manager).post(url, data, content_type="application/json")
    assert refused.status_code == 409
    assert refused.json()["details"] == {
        "registered_on": ["登记日期不能晚于会计日期 2026-11-27"],
        "secured_amount": ["担保债权金额必须大于 0"],
    }
    assert not Registration.objects.exists()


def test_another_branch_does_not_see_the_case(case, colleague, login) -> None:
    url = f"/api/v1/vault/applications/{case.pk}"
    assert login(colleague).get(url).status_code == 404


def test_the_lists_off_balance_and_reconciliation(case, manager, keeper, login) -> None:
    house_reg, _ = registered(case, manager)
    kept(house_reg, keeper)
    client = login(keeper)
    items = client.get("/api/v1/vault/items?status=in").json()
    assert (items["count"], items["items"][0]["customer_id_number"][6:14]) == (1, "********")
    off = client.get("/api/v1/vault/off-balance").json()
    assert off["totals"]["overall"] == {
        "key": "",
        "label": "",
        "count": 1,
        "amount": "100000.00",
        "amount_wan": "10.00",
    }
    result = client.get("/api/v1/vault/reconciliation").json()
    assert (result["ok"], [d["kind"] for d in result["discrepancies"]]) == (
        False,
        ["missing_certificate"],
    )
    assert VaultItem.objects.count() == 1
