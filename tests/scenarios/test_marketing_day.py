"""Issue 11's acceptance scenario: on the synthetic bank, a branch head runs a 整村授信 campaign,
the manager works his list in the workbench with SPIN notes, a contact becomes an application,
a consent withdrawal stops further contact, and the funnel shows the numbers.

The bank is tests/marketing/conftest.py's ``marketing_bank`` (800 synthetic households, seed 11,
scored as of 2026-10-31, under O11 / O12 / O21; 张三 ``zhang`` is the only 客户经理 of O11).
The day is 2026-11-30 (a Monday), 10:00 Beijing time.

Worked by hand:

- the campaign's rules take the scored farmers of O11's largest village with grade A or B; the
  list is those customers (counted from the scores, not by the campaign code), all assigned to
  张三 (the only manager of O11; the list stays under his capacity of 150);
- he contacts five of them with SPIN notes: ① visit, interested, 50,000 元 → a lead, turned
  into an application of 50,000.00 元 (source 营销走访); ② phone, not reached; ③ visit, not
  interested; ④ visit, interested, 30,000 元 (a second lead, left open); ⑤ after ⑤'s customer
  withdrew his marketing consent by phone, the contact is refused with the reason and nothing
  is saved;
- ⑥ another customer withdraws 个性化营销: his target is excluded from the list;
- the funnel of the campaign: targets = list − 1 (⑥), reached = 3 (①③④), interested = 2
  (①④), applied = 1 (①) for 5,000,000 fen, approved = disbursed = 0; contacts = 4.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.marketing.conftest import (  # noqa: F401  (fixtures)
    MarketingBank,
    _marketing_bank_module,
    _marketing_tables,
    marketing_bank,
)
from xindai.core import business_date
from xindai.credit.models import CreditApplication
from xindai.marketing.demo import ensure_village_areas, grant_opening_consents, roster_csv
from xindai.marketing.models import (
    Campaign,
    CampaignStatus,
    Contact,
    Lead,
    LeadStatus,
    Material,
    RosterStatus,
    Target,
    TargetStatus,
)
from xindai.org.models import User
from xindai.products.models import LoanProduct
from xindai.scoring.models import CustomerScore, StockCustomer

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
DAY = dt.date(2026, 11, 30)
MORNING = dt.datetime(2026, 11, 30, 10, 0, tzinfo=SHANGHAI)
LEAFLET = (
    "整村授信贷：整村评议、批量授信，一次授信三年内循环使用，随用随贷。"
    "贷款年化利率（单利）4.35% 起，按实际用款天数计息，无其他费用。"
    "授信额度以本行调查审批结果为准。"
)
PROMISING = "整村授信贷，评上信用户保证通过，贷款年化利率 4.35% 起。"


@pytest.fixture
def day(marketing_bank: MarketingBank) -> Iterator[MarketingBank]:  # noqa: F811
    """The bank on 2026-11-30 at 10:00 (business date and wall clock), with the products."""
    from xindai.products.demo import seed_demo_products

    seed_demo_products()
    business_date.set_date(DAY, actor=None, reason="test")
    with time_machine.travel(MORNING, tick=True):
        yield marketing_bank


def as_user(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def get(client: Client, url: str, **params: Any) -> Any:
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()


def post(client: Client, url: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(url, body or {}, content_type="application/json")


def largest_village(outlet: str) -> tuple[str, str]:
    codes = list(
        StockCustomer.objects.filter(org_unit__code=outlet, kind="farmer").values_list(
            "village_code", "village_name"
        )
    )
    code = max({c for c, _ in codes}, key=lambda c: sum(1 for x, _ in codes if x == c))
    return code, next(n for c, n in codes if c == code)


def expected_list(bank: MarketingBank, code: str) -> set[int]:
    """Farmers of the village scored A or B in the bank's run, not opted out."""
    return set(
        CustomerScore.objects.filter(
            run=bank.run,
            grade__in=["A", "B"],
            customer__kind="farmer",
            customer__village_code=code,
            customer__opted_out_at__isnull=True,
        ).values_list("customer_id", flat=True)
    )


def spin(s: str, p: str, i: str, n: str) -> dict[str, str]:
    return {"situation": s, "problem": p, "implication": i, "need_payoff": n}


def test_a_whole_village_campaign_from_leaflet_to_funnel(day: MarketingBank) -> None:
    bank = day
    head, risk, zhang = bank.head1, bank.risk, bank.zhang
    code, name = largest_village("O11")
    ensure_village_areas([code])
    grant_opening_consents(StockCustomer.objects.filter(village_code=code), bank.users["admin"])
    product = LoanProduct.objects.get(code="ZCSX")

    # 1. The branch head creates the campaign, submits the leaflet; 风险合规 approves it.
    hc, rc = as_user(head), as_user(risk)
    response = post(
        hc,
        "/api/v1/campaigns",
        {
            "name": f"{name}整村授信",
            "scenario": "whole_village",
            "org_unit": bank.units["B1"].pk,
            "rules": {"kinds": ["farmer"], "village_codes": [code], "grades": ["A", "B"]},
            "products": [product.pk],
            "starts_on": DAY.isoformat(),
            "ends_on": (DAY + dt.timedelta(days=60)).isoformat(),
            "goal_contacts": 100,
            "goal_applications": 30,
            "goal_amount_wan": "300",
        },
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["status"], created["goal_amount_yuan"]) == ("draft", "3000000")
    campaign = Campaign.objects.get(pk=created["id"])
    response = post(
        hc,
        "/api/v1/campaigns/materials",
        {
            "campaign": campaign.pk,
            "kind": "leaflet",
            "title": f"{name}整村授信宣传单",
            "body": PROMISING,
            "annual_rate": "0.0435",
        },
    )
    assert response.status_code == 201, response.content
    promising = response.json()
    assert [f["code"] for f in promising["findings"]] == ["promise"]
    response = post(
        hc,
        "/api/v1/campaigns/materials",
        {
            "campaign": campaign.pk,
            "kind": "leaflet",
            "title": f"{name}整村授信宣传单",
            "body": LEAFLET,
            "annual_rate": "0.0435",
        },
    )
    assert response.status_code == 201, response.content
    leaflet = response.json()
    assert leaflet["findings"] == []
    response = post(rc, f"/api/v1/campaigns/materials/{promising['id']}/review", {"approve": True})
    assert response.status_code == 409, response.content  # findings remain
    response = post(
        rc,
        f"/api/v1/campaigns/materials/{leaflet['id']}/review",
        {"approve": True, "note": "已列明年化利率，同意使用"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "approved"
    assert Material.objects.get(pk=leaflet["id"]).reviewed_by == risk
    response = post(hc, f"/api/v1/campaigns/{campaign.pk}/activate")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == CampaignStatus.ACTIVE

    # 2. The list: built from the scores and rules, assigned by territory.
    expected = expected_list(bank, code)
    assert 5 < len(expected) <= 150
    response = post(hc, f"/api/v1/campaigns/{campaign.pk}/targets/build")
    assert response.status_code == 200, response.content
    assert response.json()["added"] == len(expected)
    response = post(hc, f"/api/v1/campaigns/{campaign.pk}/targets/assign")
    assert response.status_code == 200, response.content
    assert response.json() == {"assigned": len(expected), "left": 0}
    targets = Target.objects.filter(campaign=campaign)
    assert set(targets.values_list("customer_id", flat=True)) == expected
    assert set(targets.values_list("manager__username", flat=True)) == {"zhang"}
    assert all(t.reasons for t in targets)

    # 3. The village roster: imported, rated, published for 7 days from today.
    farmers = list(
        StockCustomer.objects.filter(village_code=code, kind="farmer")
        .exclude(id_number="")
        .order_by("customer_no")[:12]
    )
    upload = SimpleUploadedFile(f"{name}花名册.csv", roster_csv(farmers), "text/csv")
    response = hc.post(
        f"/api/v1/village-credit/campaigns/{campaign.pk}/rosters",
        {"file": upload, "village_code": code, "village_name": name},
    )
    assert response.status_code == 201, response.content
    imported = response.json()
    assert (imported["imported"], imported["errors"]) == (12, [])
    roster_id = imported["roster"]["id"]
    response = post(
        hc, f"/api/v1/village-credit/rosters/{roster_id}/publish", {"from_day": DAY.isoformat()}
    )
    assert response.status_code == 200, response.content
    published = response.json()
    assert published["status"] == RosterStatus.PUBLISHED
    assert (published["publish_from"], published["publish_until"]) == ("2026-11-30", "2026-12-06")
    households = get(hc, f"/api/v1/village-credit/rosters/{roster_id}/households")
    assert households["count"] == 12
    assert all(h["existing_customer"] for h in households["items"])
    # By hand (default weights 0.10 / 0.25 / 0.30 / 0.25 / 0.10): the first — 1 labourer 60, net
    # assets 120,000 → 60, net income 30,000 → 60, 良好 100, 村评 60: 6 + 15 + 18 + 25 + 6 =
    # 70.00 较好信用户, limit min(200,000, 2 × 30,000) = 60,000 元; the second — 2 labourers 85, net
    # assets 155,247 − 10,000 → 60, income 37,919 → 60, 良好 100, 村评 73: 8.5 + 15 + 18 + 25 +
    # 7.3 = 73.80 较好信用户, limit 2 × 37,919 = 75,838 → 75,000 元 (down to 1,000).
    rows = sorted(households["items"], key=lambda h: h["row"])  # file rows (after the header)
    assert [(h["score"], h["rating"], Decimal(h["limit"])) for h in rows[:2]] == [
        ("70.00", "good", Decimal(60_000)),
        ("73.80", "good", Decimal(75_000)),
    ]

    # 4. 张三's plan: his list, grouped by village (one village here), best grade first.
    zc = as_user(zhang)
    plan = get(zc, "/api/v1/marketing/workbench", day=DAY.isoformat())
    assert [stop["code"] for stop in plan["villages"]] == [code]
    planned = plan["villages"][0]["targets"]
    assert {t["id"] for t in planned} == set(targets.values_list("pk", flat=True))
    assert [t["grade"] for t in planned] == sorted(t["grade"] for t in planned)
    one, two, three, four, five, six = (Target.objects.get(pk=t["id"]) for t in planned[:6])
    why = get(zc, f"/api/v1/marketing/targets/{one.pk}/why")
    assert why["reasons"] and all(isinstance(r, str) and r for r in why["reasons"])

    # 5. His contacts with SPIN notes.
    def contact(body: dict[str, Any]) -> dict[str, Any]:
        response = post(zc, "/api/v1/marketing/contacts", body)
        assert response.status_code == 201, response.content
        return response.json()

    first = contact(
        {
            "target": one.pk,
            "channel": "visit",
            "outcome": "interested",
            **spin(
                "种植大棚蔬菜 12 亩，两个劳动力",
                "开春扩建 4 亩大棚，钢架棚膜要先垫钱",
                "赶不上春茬一季少收 3 万元",
                "有授信额度随用随贷，按天计息",
            ),
            "needs": "扩建大棚资金 5 万元",
            "products": [product.pk],
            "amount": "50000",
            "next_step": "带齐材料办理申请",
            "next_follow_up": DAY.isoformat(),
        }
    )
    assert first["problem"] == "开春扩建 4 亩大棚，钢架棚膜要先垫钱"
    assert first["products"] == ["ZCSX"]
    contact({"target": two.pk, "channel": "phone", "outcome": "not_reached"})
    contact(
        {
            "target": three.pk,
            "channel": "visit",
            "outcome": "not_interested",
            **spin("养殖肉牛 20 头", "暂无资金缺口", "", ""),
            "next_step": "明年春耕前回访",
        }
    )
    contact(
        {
            "target": four.pk,
            "channel": "visit",
            "outcome": "interested",
            **spin("经营农资小卖部", "秋冬备货要现款", "错过旺季", "额度循环使用省利息"),
            "products": [product.pk],
            "amount": "30000",
            "next_follow_up": (DAY + dt.timedelta(days=2)).isoformat(),
        }
    )
    one.refresh_from_db()
    assert one.status == TargetStatus.INTERESTED
    lead = Lead.objects.get(target=one)
    assert (lead.status, lead.amount_fen, lead.product) == (LeadStatus.OPEN, 5_000_000, product)

    # 6. The lead becomes a credit application (申请受理).
    response = post(
        zc,
        f"/api/v1/marketing/leads/{lead.pk}/convert",
        {
            "product": product.pk,
            "amount": "50000",
            "term_months": 12,
            "purpose": "farmer",
            "purpose_text": "扩建蔬菜大棚",
            "repayment_method": "interest_only",
            "guarantee_methods": ["credit"],
        },
    )
    assert response.status_code == 201, response.content
    application = CreditApplication.objects.get(pk=response.json()["application_id"])
    assert application.source == "marketing"
    assert application.amount == 50_000
    assert application.manager == zhang
    assert application.customer.id_number == one.customer.id_number
    lead.refresh_from_db()
    one.refresh_from_db()
    assert lead.status == LeadStatus.CONVERTED and lead.application == application
    assert (one.status, one.amount_fen, one.application) == (
        TargetStatus.APPLIED,
        5_000_000,
        application,
    )

    # 7. ⑤'s customer withdraws his marketing consent by phone: the next contact is refused
    # with the reason, nothing saved.
    response = post(
        zc,
        f"/api/v1/marketing/customers/{five.customer_id}/consents",
        {"purpose": "marketing_data", "granted": False, "evidence": "来电撤回，录音 LY-001"},
    )
    assert response.status_code == 201, response.content
    marketing = next(p for p in response.json()["purposes"] if p["purpose"] == "marketing_data")
    assert marketing["in_force"] is False
    before = (Contact.objects.count(), Lead.objects.count())
    response = post(
        zc,
        "/api/v1/marketing/contacts",
        {"target": five.pk, "channel": "visit", "outcome": "interested", "amount": "20000"},
    )
    assert response.status_code == 409, response.content
    body = response.json()
    assert body["code"] == "contact_refused" and "授权" in body["message"], body
    assert body["details"]["reasons"]
    assert (Contact.objects.count(), Lead.objects.count()) == before
    five.refresh_from_db()
    assert five.status == TargetStatus.NEW

    # 8. ⑥ withdraws 个性化营销 in writing: excluded from the list.
    response = post(
        zc,
        f"/api/v1/marketing/customers/{six.customer_id}/consents",
        {"purpose": "personalised", "granted": False, "evidence": "书面申请 SQ-002"},
    )
    assert response.status_code == 201, response.content
    six.refresh_from_db()
    assert six.status == TargetStatus.EXCLUDED

    # 9. The funnel of the campaign, as the branch head sees it.
    found = get(hc, "/api/v1/funnel", by="campaign", campaign=str(campaign.pk))
    row = next(r for r in found["rows"] if r["key"] == str(campaign.pk))
    assert row["counts"] == {
        "target": len(expected) - 1,
        "reached": 3,
        "interested": 2,
        "applied": 1,
        "approved": 0,
        "disbursed": 0,
    }
    assert row["amounts_fen"]["applied"] == 5_000_000
    assert row["contacts"] == 4
    assert found["total"]["counts"] == row["counts"]

    # The manager's review of the day.
    summary = get(zc, "/api/v1/marketing/review", day=DAY.isoformat())
    assert summary["contact_count"] == 4
    assert summary["customers_reached"] == 3
    assert [a["number"] for a in summary["applications"]] == [application.number]
    outcomes = {o["outcome"]: o["count"] for o in summary["by_outcome"]}
    assert outcomes == {"not_reached": 1, "not_interested": 1, "interested": 2, "applied": 0}
    materials = Material.objects.filter(campaign=campaign).order_by("pk")
    assert list(materials.values_list("status", flat=True)) == ["pending", "approved"]
