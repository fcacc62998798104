"""The campaigns API (/api/v1/campaigns) and pages: permissions, scope, bad input answered
4xx JSON, build and assign through HTTP, material review rules, cross-sell."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.test import Client

from tests.marketing.conftest import MarketingBank
from xindai.marketing.models import Campaign, Material, ReviewStatus, Target
from xindai.scoring.models import CustomerScore

API = "/api/v1/campaigns"
CLEAN = "整村授信贷，年化利率4.35%，按季付息，无手续费。额度以审批结果为准。"


def client_of(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def post(c: Client, url: str, body: dict[str, Any] | None = None) -> Any:
    return c.post(url, json.dumps(body or {}), content_type="application/json")


def payload(bank: MarketingBank, **over: Any) -> dict[str, Any]:
    return {
        "name": "存量挖掘A类客户",
        "scenario": "stock_mining",
        "org_unit": bank.units["B1"].pk,
        "rules": {"grades": ["A"]},
        "starts_on": "2026-11-01",
        "ends_on": "2026-12-31",
        "goal_amount_wan": "300",
    } | over


def test_create_build_assign_and_list_over_the_api(marketing_bank: MarketingBank) -> None:
    bank = marketing_bank
    head = client_of(bank.head1)
    made = post(head, API, payload(bank))
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["status"], body["scenario_label"]) == ("draft", "存量挖掘")
    assert Decimal(str(body["goal_amount_yuan"])) == Decimal(3_000_000)  # 300 万元
    pk = body["id"]
    want = CustomerScore.objects.filter(
        run=bank.run, grade="A", customer__org_unit__code__in=["O11", "O12"]
    ).count()
    built = post(head, f"{API}/{pk}/targets/build")
    assert built.status_code == 200 and built.json()["added"] == want
    assert post(head, f"{API}/{pk}/targets/build").json()["skipped"] == {"already_listed": want}
    assigned = post(head, f"{API}/{pk}/targets/assign").json()
    assert assigned["assigned"] + assigned["left"] == want
    listed = head.get(f"{API}/{pk}/targets", {"grade": "A", "page_size": "5"}).json()
    assert listed["count"] == want and len(listed["items"]) == min(5, want)
    first = listed["items"][0]
    assert "*" in first["phone"] or first["phone"] == ""  # masked
    assert first["reasons"][0].startswith("客户等级 A")
    # the manager sees his own targets only
    zhang = client_of(bank.zhang).get(f"{API}/{pk}/targets").json()
    assert zhang["count"] == Target.objects.filter(campaign_id=pk, manager=bank.zhang).count()
    why = client_of(bank.head1).get(f"{API}/targets/{first['id']}/why").json()
    assert why["reasons"][0] == "营销活动：存量挖掘A类客户（存量挖掘）"
    assert post(head, f"{API}/{pk}/activate").json()["status"] == "active"
    assert post(head, f"{API}/{pk}/close").json()["status"] == "closed"
    again = post(head, f"{API}/{pk}/close")
    assert again.status_code == 409 and again.json()["code"] == "campaign_closed"


def test_permissions_and_scope(marketing_bank: MarketingBank) -> None:
    bank = marketing_bank
    assert post(client_of(bank.zhang), API, payload(bank)).status_code == 403
    assert post(client_of(bank.risk), API, payload(bank)).status_code == 403
    assert post(Client(), API, payload(bank)).status_code == 401
    mine = post(client_of(bank.head1), API, payload(bank)).json()["id"]
    other = client_of(bank.head2)
    assert other.get(f"{API}/{mine}").status_code == 404
    assert post(other, f"{API}/{mine}/targets/build").status_code == 404
    assert client_of(bank.li).get(f"{API}/{mine}").status_code == 404
    assert client_of(bank.zhang).get(f"{API}/{mine}").status_code == 200
    assert client_of(bank.users["wang"]).get(API).status_code == 403


def test_bad_input_is_answered_4xx_json(marketing_bank: MarketingBank) -> None:
    bank = marketing_bank
    head = client_of(bank.head1)
    missing = post(head, API, {"name": "x"})
    assert missing.status_code in (400, 422)
    bad = post(head, API, payload(bank, scenario="moon", ends_on="2026-10-01"))
    assert bad.status_code == 422
    assert set(bad.json()["details"]) == {"scenario", "ends_on"}
    rules = post(head, API, payload(bank, rules={"grades": ["Z"], "holdings_absent": ["yacht"]}))
    assert rules.status_code == 422 and "rules" in rules.json()["details"]
    assert head.get(f"{API}/999999").status_code == 404
    empty = post(head, API, payload(bank, rules={})).json()["id"]
    refused = post(head, f"{API}/{empty}/targets/build")
    assert refused.status_code == 409 and refused.json()["code"] == "no_rules"
    act = post(head, f"{API}/{empty}/activate")
    assert act.status_code == 409 and act.json()["code"] == "cannot_activate"


def test_materials_over_the_api(marketing_bank: MarketingBank) -> None:
    bank = marketing_bank
    head, risk = client_of(bank.head1), client_of(bank.risk)
    pk = post(head, API, payload(bank)).json()["id"]
    bad = post(
        head,
        f"{API}/materials",
        {"campaign": pk, "kind": "sms", "title": "秒批", "body": "秒批，包过"},
    )
    assert bad.status_code == 201
    assert [f["code"] for f in bad.json()["findings"]] == ["promise", "no_annual_rate"]
    refused = post(risk, f"{API}/materials/{bad.json()['id']}/review", {"approve": True})
    assert refused.status_code == 409 and refused.json()["code"] == "findings_remain"
    good = post(
        head,
        f"{API}/materials",
        {
            "campaign": pk,
            "kind": "leaflet",
            "title": "宣传单",
            "body": CLEAN,
            "annual_rate": "0.0435",
        },
    ).json()
    assert good["findings"] == []
    assert post(head, f"{API}/materials/{good['id']}/review", {"approve": True}).status_code == 403
    ok = post(risk, f"{API}/materials/{good['id']}/review", {"approve": True, "note": "同意"})
    assert ok.status_code == 200 and ok.json()["status"] == "approved"
    assert post(head, f"{API}/materials", {"kind": "x", "title": "", "body": ""}).status_code == 422
    listed = client_of(bank.zhang).get(f"{API}/materials", {"status": "approved"}).json()
    assert [m["id"] for m in listed["items"]] == [good["id"]]
    assert client_of(bank.li).get(f"{API}/materials", {"campaign": pk}).json()["count"] == 0


def test_reassign_and_cross_sell_over_the_api(marketing_bank: MarketingBank) -> None:
    bank = marketing_bank
    head = client_of(bank.head1)
    pk = post(head, API, payload(bank)).json()["id"]
    post(head, f"{API}/{pk}/targets/build")
    target = Target.objects.filter(campaign_id=pk).first()
    assert target is not None
    moved = post(head, f"{API}/targets/{target.pk}/reassign", {"manager": bank.sun.pk})
    assert moved.status_code == 200 and moved.json()["manager_id"] == bank.sun.pk
    out = post(head, f"{API}/targets/{target.pk}/reassign", {"manager": bank.li.pk})
    assert out.status_code == 409 and out.json()["code"] == "manager_out_of_scope"
    assert (
        post(
            client_of(bank.zhang), f"{API}/targets/{target.pk}/reassign", {"manager": 1}
        ).status_code
        == 403
    )
    hints = head.get(f"{API}/customers/{target.customer_id}/cross-sell")
    assert hints.status_code == 200
    for h in hints.json():
        assert h["product_role"] in ("引流", "粘性", "利润") and h["reason"]
    o21 = bank.customers.filter(org_unit__code="O21").first()
    assert o21 is not None
    assert head.get(f"{API}/customers/{o21.pk}/cross-sell").status_code == 404


# ---- pages ---------------------------------------------------------------------------------


def test_pages_for_the_branch_head(marketing_bank: MarketingBank) -> None:
    bank = marketing_bank
    head = client_of(bank.head1)
    assert head.get("/marketing/campaigns/").status_code == 200
    form = head.get("/marketing/campaigns/new/")
    assert form.status_code == 200 and "目标客户规则" in form.content.decode()
    village = bank.customers.filter(org_unit__code="O11").exclude(village_code="").first()
    assert village is not None
    made = head.post(
        "/marketing/campaigns/new/",
        {
            "name": "前进村整村授信",
            "scenario": "whole_village",
            "org_unit": bank.units["B1"].pk,
            "owner": bank.head1.pk,
            "starts_on": "2026-11-01",
            "ends_on": "2026-12-31",
            "village_codes": [village.village_code],
            "min_propensity_pct": "10",
            "goal_amount_wan": "200",
        },
    )
    assert made.status_code == 302, made.content.decode()[:2000]
    campaign = Campaign.objects.get(name="前进村整村授信")
    assert campaign.rules == {"min_propensity": 0.1, "village_codes": [village.village_code]}
    assert campaign.goal_amount_fen == 200 * 1_000_000
    page = head.get(f"/marketing/campaigns/{campaign.pk}/")
    assert page.status_code == 200 and f"所在村：{village.village_name}" in page.content.decode()
    built = head.post(
        f"/marketing/campaigns/{campaign.pk}/action/", {"action": "build"}, follow=True
    )
    assert "名单已生成" in built.content.decode()
    targets = head.get(f"/marketing/campaigns/{campaign.pk}/targets/")
    assert targets.status_code == 200
    bad = head.post("/marketing/campaigns/new/", {"name": "", "scenario": "x"})
    assert bad.status_code == 422 and "请填写活动名称" in bad.content.decode()


def test_pages_permissions(marketing_bank: MarketingBank) -> None:
    bank = marketing_bank
    zhang = client_of(bank.zhang)
    assert zhang.get("/marketing/campaigns/").status_code == 200
    assert zhang.get("/marketing/campaigns/new/").status_code == 403
    assert client_of(bank.users["wang"]).get("/marketing/campaigns/").status_code == 403
    pk = post(client_of(bank.head1), API, payload(bank)).json()["id"]
    assert client_of(bank.li).get(f"/marketing/campaigns/{pk}/").status_code == 404
    assert zhang.post(f"/marketing/campaigns/{pk}/action/", {"action": "build"}).status_code == 403


def test_material_pages_and_review(marketing_bank: MarketingBank) -> None:
    bank = marketing_bank
    head, risk = client_of(bank.head1), client_of(bank.risk)
    sent = head.post(
        "/marketing/materials/",
        {
            "kind": "leaflet",
            "title": "宣传单",
            "body": CLEAN,
            "annual_rate_pct": "4.35",
            "loan": "1",
        },
    )
    assert sent.status_code == 302
    material = Material.objects.get(title="宣传单")
    assert material.findings == [] and str(material.annual_rate) == "0.043500"
    page = risk.get(f"/marketing/materials/{material.pk}/")
    assert "审查通过" in page.content.decode()
    assert (
        risk.post(f"/marketing/materials/{material.pk}/", {"decision": "approve"}).status_code
        == 302
    )
    material.refresh_from_db()
    assert material.status == ReviewStatus.APPROVED
    assert (
        head.post(f"/marketing/materials/{material.pk}/", {"decision": "approve"}).status_code
        == 403
    )
    bad = head.post("/marketing/materials/", {"kind": "", "title": "", "body": ""})
    assert bad.status_code == 422
    assert client_of(bank.zhang).post("/marketing/materials/", {"kind": "sms"}).status_code == 403


def test_the_score_card_shows_cross_selling(marketing_bank: MarketingBank) -> None:
    bank = marketing_bank
    holdings = bank.tables["holdings"]
    payroll = set(holdings.loc[holdings["product"] == "payroll", "customer_no"].astype(str))
    lines = set(holdings.loc[holdings["product"] == "credit_line", "customer_no"].astype(str))
    customer = (
        bank.customers.filter(
            customer_no__in=sorted(payroll - lines), org_unit__code="O11", opted_out_at=None
        )
        .order_by("customer_no")
        .first()
    )
    assert customer is not None
    page = client_of(bank.zhang).get(f"/scoring/customers/{customer.pk}/").content.decode()
    assert 'id="cross-sell"' in page and "小额信用贷款" in page and "代发工资" in page
