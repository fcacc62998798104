"""The workbench over REST: the plan, contacts (a refused one answers 409 with the reasons and
saves nothing; a double POST saves once), the review, consents, channel refusals, why, leads and
their conversion."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.credit.factories import farmer_product, set_today
from tests.customers.factories import make_village
from tests.customers.ids import resident_id
from tests.marketing.work_factories import campaign, moment, stock, target
from xindai.marketing.models import Contact, Lead, Target
from xindai.org.models import OrgUnit, User

API = "/api/v1/marketing"


@pytest.fixture
def world(tree: dict[str, OrgUnit], manager: User, branch_head: User) -> dict[str, Any]:
    camp = campaign(branch_head, tree["B1"])
    wang = stock(tree["O11"], "C001", "王大山", actor=manager)
    return {"wang": wang, "t": target(camp, wang, manager, "A")}


def post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, body, content_type="application/json")


def body(t: Target, **fields: Any) -> dict[str, Any]:
    data = {
        "target": t.pk,
        "channel": "visit",
        "outcome": "interested",
        "contacted_at": moment(1).isoformat(),
        "situation": "养了 20 头猪",
        "needs": "饲料款",
    }
    return data | fields


def test_plan_contact_and_review(world: dict[str, Any], manager: User, login: Any) -> None:
    client = login(manager)
    plan = client.get(f"{API}/workbench").json()
    assert plan["target_count"] == 1
    assert plan["villages"][0]["name"] == "多福巷村"
    assert plan["villages"][0]["targets"][0]["customer"]["phone"] == "139****1234"
    created = post(client, f"{API}/contacts", body(world["t"]))
    assert created.status_code == 201, created.content
    assert created.json()["situation"] == "养了 20 头猪"
    # The same contact posted again within seconds is not saved twice.
    again = post(client, f"{API}/contacts", body(world["t"]))
    assert again.status_code == 201
    assert again.json()["id"] == created.json()["id"]
    assert Contact.objects.count() == 1
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    review = client.get(f"{API}/review", {"day": yesterday}).json()
    assert review["contact_count"] == 1
    assert [lead["need"] for lead in review["new_leads"]] == ["饲料款"]
    listed = client.get(f"{API}/contacts", {"day": yesterday}).json()
    assert listed["count"] == 1


def test_refused_contact_answers_409_with_reasons(
    world: dict[str, Any], manager: User, login: Any
) -> None:
    client = login(manager)
    withdrawn = post(
        client,
        f"{API}/customers/{world['wang'].pk}/consents",
        {"purpose": "marketing_data", "granted": False, "evidence": "录音 R-9"},
    )
    assert withdrawn.status_code == 201
    states = {p["purpose"]: p for p in withdrawn.json()["purposes"]}
    assert states["marketing_data"]["in_force"] is False
    refused = post(client, f"{API}/contacts", body(world["t"], contacted_at=None))
    assert refused.status_code == 409
    answer = refused.json()
    assert answer["code"] == "contact_refused"
    assert answer["details"]["reasons"][0].startswith("客户“个人信息用于营销”的授权")
    assert not Contact.objects.exists() and not Lead.objects.exists()


def test_consent_without_evidence_is_400(world: dict[str, Any], manager: User, login: Any) -> None:
    answer = post(
        login(manager),
        f"{API}/customers/{world['wang'].pk}/consents",
        {"purpose": "sharing", "granted": True, "evidence": ""},
    )
    assert answer.status_code == 400


def test_channel_refusal_and_why(world: dict[str, Any], manager: User, login: Any) -> None:
    client = login(manager)
    answer = post(
        client, f"{API}/customers/{world['wang'].pk}/channel-refusals", {"channel": "sms"}
    )
    assert answer.status_code == 201
    assert answer.json()["refused_channels"] == ["sms"]
    sms = post(client, f"{API}/contacts", body(world["t"], channel="sms"))
    assert sms.status_code == 409
    assert "客户已拒绝通过“短信”联系" in sms.json()["details"]["reasons"]
    why = client.get(f"{API}/targets/{world['t'].pk}/why").json()
    assert why["reasons"][0].startswith("营销活动：冬春备耕整村授信")
    assert "借款意愿概率 30%，高于名单门槛 10%" in why["reasons"]


def test_other_branch_sees_nothing(world: dict[str, Any], colleague: User, login: Any) -> None:
    client = login(colleague)
    assert client.get(f"{API}/targets/{world['t'].pk}/why").status_code == 404
    assert client.get(f"{API}/customers/{world['wang'].pk}/consents").status_code == 404
    assert post(client, f"{API}/contacts", body(world["t"])).status_code == 404
    assert client.get(f"{API}/workbench").json()["target_count"] == 0


def test_outsider_is_forbidden(world: dict[str, Any], outsider: User, login: Any) -> None:
    assert login(outsider).get(f"{API}/workbench").status_code == 403


def test_lead_converts_over_the_api(world: dict[str, Any], manager: User, login: Any) -> None:
    set_today()
    make_village()
    product = farmer_product()
    world["wang"].id_number = resident_id()
    world["wang"].save()
    client = login(manager)
    post(client, f"{API}/contacts", body(world["t"], products=[product.pk], amount="60000"))
    leads = client.get(f"{API}/leads").json()
    assert leads["count"] == 1 and leads["items"][0]["amount_fen"] == 6_000_000
    lead_id = leads["items"][0]["id"]
    bad = post(
        client,
        f"{API}/leads/{lead_id}/convert",
        {
            "product": product.pk,
            "amount": "-1",
            "term_months": 12,
            "purpose": "farmer",
            "purpose_text": "养猪",
            "repayment_method": "interest_only",
        },
    )
    assert bad.status_code == 422
    converted = post(
        client,
        f"{API}/leads/{lead_id}/convert",
        {
            "product": product.pk,
            "amount": "60000",
            "term_months": 12,
            "purpose": "farmer",
            "purpose_text": "购饲料",
            "repayment_method": "interest_only",
        },
    )
    assert converted.status_code == 201, converted.content
    assert converted.json()["amount"] == "60000.00"
    assert Target.objects.get().amount_fen == 6_000_000
    assert (
        post(
            client,
            f"{API}/leads/{lead_id}/convert",
            {
                "product": product.pk,
                "amount": "60000",
                "term_months": 12,
                "purpose": "farmer",
                "purpose_text": "购饲料",
                "repayment_method": "interest_only",
            },
        ).status_code
        == 409
    )
