"""Campaign services on the shared scored bank: campaigns, materials and their review, target
lists (rules, exclusions counted, idempotent), assignment by territory and capacity, why a
customer was chosen, cross-selling by product role.

Expected counts are computed here from the bank's own CustomerScore rows and StockCustomer
fields with plain Python, not through the code under test."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from tests.marketing.conftest import MarketingBank
from xindai.audit.models import AuditEvent
from xindai.core.errors import FormInvalid
from xindai.credit.models import CreditApplication
from xindai.customers.models import Customer
from xindai.marketing import campaigns
from xindai.marketing.domain_crosssell import PROFIT, STICKY, TRAFFIC, recommend
from xindai.marketing.models import Campaign, CampaignStatus, ReviewStatus, Target, TargetStatus
from xindai.scoring.models import CustomerScore

TODAY = dt.date(2026, 11, 29)


def village_of(bank: MarketingBank, unit: str = "O11") -> tuple[str, str]:
    """The village of ``unit`` with the most scored customers."""
    counts: dict[tuple[str, str], int] = {}
    for s in CustomerScore.objects.filter(run=bank.run, customer__org_unit__code=unit):
        key = (s.customer.village_code, s.customer.village_name)
        if key[0]:
            counts[key] = counts.get(key, 0) + 1
    return max(counts, key=lambda k: counts[k])


def new_campaign(bank: MarketingBank, **rules: Any) -> Campaign:
    return campaigns.create_campaign(
        bank.head1,
        {
            "name": "秋收整村授信",
            "scenario": "whole_village",
            "org_unit": bank.units["B1"].pk,
            "rules": rules,
            "starts_on": "2026-11-01",
            "ends_on": "2026-12-31",
            "goal_contacts": "100",
            "goal_applications": 30,
            "goal_amount_wan": "500",
        },
    )


def expected(bank: MarketingBank, unit_prefix: str, pred: Any) -> set[int]:
    return {
        s.customer_id
        for s in CustomerScore.objects.filter(run=bank.run).select_related("customer__org_unit")
        if s.customer.org_unit.path.startswith(unit_prefix) and pred(s)
    }


# ---- campaigns -------------------------------------------------------------------------------


def test_a_branch_head_creates_and_activates_a_campaign(marketing_bank: MarketingBank) -> None:
    bank = marketing_bank
    campaign = new_campaign(bank, grades=["A", "B"])
    assert campaign.status == CampaignStatus.DRAFT
    assert campaign.goal_amount_fen == 500 * 10_000 * 100
    assert (campaign.goal_contacts, campaign.goal_applications) == (100, 30)
    assert campaign.owner == bank.head1
    campaigns.activate(bank.head1, campaign, today=TODAY)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.ACTIVE
    campaigns.close(bank.head1, campaign)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.CLOSED
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "marketing.campaign_created",
        "marketing.campaign_activated",
        "marketing.campaign_closed",
    } <= actions


def test_activation_needs_rules_and_a_live_period(marketing_bank: MarketingBank) -> None:
    bank = marketing_bank
    campaign = new_campaign(bank)
    with pytest.raises(campaigns.CampaignRefused) as refused:
        campaigns.activate(bank.head1, campaign, today=dt.date(2027, 1, 5))
    assert refused.value.code == "cannot_activate"
    assert len(refused.value.details) == 2  # period over, no rules


def test_bad_campaign_input_is_refused_field_by_field(marketing_bank: MarketingBank) -> None:
    bank = marketing_bank
    with pytest.raises(FormInvalid) as bad:
        campaigns.create_campaign(
            bank.head1,
            {
                "name": "",
                "scenario": "moon",
                "org_unit": bank.units["B2"].pk,  # not his branch
                "starts_on": "2026-12-31",
                "ends_on": "2026-11-01",
                "rules": {"grades": ["E"], "min_propensity": "2"},
            },
        )
    assert set(bad.value.details) == {"name", "scenario", "org_unit", "ends_on", "rules"}


def test_managers_and_risk_may_not_create_campaigns(marketing_bank: MarketingBank) -> None:
    bank = marketing_bank
    for user in (bank.zhang, bank.risk):
        with pytest.raises(PermissionDenied):
            new_campaign_as(bank, user)


def new_campaign_as(bank: MarketingBank, user: Any) -> Campaign:
    return campaigns.create_campaign(
        user,
        {
            "name": "x",
            "scenario": "payroll",
            "org_unit": bank.units["O11"].pk,
            "starts_on": "2026-11-01",
            "ends_on": "2026-12-01",
        },
    )


def test_a_manager_sees_his_branchs_campaigns_not_the_other_branchs(
    marketing_bank: MarketingBank,
) -> None:
    bank = marketing_bank
    mine = new_campaign(bank, grades=["A"])
    other = campaigns.create_campaign(
        bank.head2,
        {
            "name": "二支行代发",
            "scenario": "payroll",
            "org_unit": bank.units["B2"].pk,
            "starts_on": "2026-11-01",
            "ends_on": "2026-12-01",
        },
    )
    assert set(campaigns.visible_campaigns(bank.zhang)) == {mine}
    assert set(campaigns.visible_campaigns(bank.li)) == {other}
    assert set(campaigns.visible_campaigns(bank.risk)) == {mine, other}


# ---- materials -------------------------------------------------------------------------------

CLEAN = "整村授信贷，年化利率4.35%，按季付息，无手续费。额度以审批结果为准，可随借随还。"


def test_material_findings_at_submission(marketing_bank: MarketingBank) -> None:
    bank = marketing_bank
    campaign = new_campaign(bank, grades=["A"])
    bad = campaigns.submit_material(
        bank.head1,
        {
            "campaign": campaign.pk,
            "kind": "leaflet",
            "title": "秒批贷",
            "body": "不看征信，保证获批！另收服务费，详询网点。",
            "annual_rate": "0.0435",
        },
    )
    codes = [f["code"] for f in bad.findings]
    assert codes == ["promise", "hidden_fee", "vague_terms", "no_annual_rate"]
    assert "不看征信" in bad.findings[0]["message"] and "保证获批" in bad.findings[0]["message"]
    wrong_rate = campaigns.submit_material(
        bank.head1,
        {"kind": "sms", "title": "短信", "body": "年化利率5.2%起", "annual_rate": "0.0435"},
    )
    assert [f["code"] for f in wrong_rate.findings] == ["rate_mismatch"]
    good = campaigns.submit_material(
        bank.head1,
        {
            "campaign": campaign.pk,
            "kind": "leaflet",
            "title": "好",
            "body": CLEAN,
            "annual_rate": "0.0435",
        },
    )
    assert good.findings == []
    deposit = campaigns.submit_material(
        bank.head1, {"kind": "poster", "title": "存款", "body": "存款送米", "loan": False}
    )
    assert deposit.findings == []


def test_review_rules(marketing_bank: MarketingBank, make_user: Any) -> None:
    bank = marketing_bank
    campaign = new_campaign(bank, grades=["A"])
    bad = campaigns.submit_material(
        bank.head1,
        {"campaign": campaign.pk, "kind": "script", "title": "话术", "body": "包过，零门槛"},
    )
    with pytest.raises(campaigns.MaterialRefused) as refused:
        campaigns.review_material(bank.risk, bad, approve=True, note="")
    assert refused.value.code == "findings_remain"
    assert "包过" in refused.value.message
    with pytest.raises(FormInvalid):
        campaigns.review_material(bank.risk, bad, approve=False, note=" ")
    campaigns.review_material(bank.risk, bad, approve=False, note="删去承诺用语，写明年化利率")
    bad.refresh_from_db()
    assert bad.status == ReviewStatus.REJECTED and bad.reviewed_by == bank.risk
    with pytest.raises(PermissionDenied):  # a branch head cannot review
        campaigns.review_material(bank.head1, bad, approve=True)
    good = campaigns.submit_material(
        bank.head1,
        {
            "campaign": campaign.pk,
            "kind": "leaflet",
            "title": "宣传单",
            "body": CLEAN,
            "annual_rate": "0.0435",
        },
    )
    assert list(campaigns.approved_materials(campaign)) == []
    campaigns.review_material(bank.risk, good, approve=True, note="同意")
    assert list(campaigns.approved_materials(campaign)) == [good]
    with pytest.raises(campaigns.MaterialRefused) as again:
        campaigns.review_material(bank.risk, good, approve=True)
    assert again.value.code == "not_pending"


def test_the_submitter_may_not_review_his_own(marketing_bank: MarketingBank) -> None:
    bank = marketing_bank
    from django.contrib.auth.models import Group

    from xindai.org.roles import Role, group_name

    both = bank.users["head1"]
    both.groups.add(Group.objects.get(name=group_name(Role.RISK)))
    both = type(both).objects.get(pk=both.pk)
    own = campaigns.submit_material(
        both, {"kind": "leaflet", "title": "宣传单", "body": CLEAN, "annual_rate": "0.0435"}
    )
    with pytest.raises(campaigns.MaterialRefused) as refused:
        campaigns.review_material(both, own, approve=True)
    assert refused.value.code == "separation_of_duties"


# ---- targets ---------------------------------------------------------------------------------


def test_build_applies_the_rules_and_is_idempotent(marketing_bank: MarketingBank) -> None:
    bank = marketing_bank
    campaign = new_campaign(bank, grades=["A", "B"], min_propensity="0.2")
    want = expected(
        bank, bank.units["B1"].path, lambda s: s.grade in ("A", "B") and s.propensity >= 0.2
    )
    assert want  # the bank has such customers
    result = campaigns.build_targets(campaign, bank.head1)
    assert result.added == len(want) and result.skipped == {}
    assert set(campaign.targets.values_list("customer_id", flat=True)) == want
    target = campaign.targets.first()
    assert target is not None
    assert target.reasons[0].startswith(f"客户等级 {target.grade}")
    assert f"借款意愿 {target.propensity:.0%}，高于活动门槛 20%" in target.reasons
    again = campaigns.build_targets(campaign, bank.head1)
    assert again.added == 0 and again.skipped == {"already_listed": len(want)}
    assert campaign.targets.count() == len(want)


def test_village_rule_and_why_selected(marketing_bank: MarketingBank) -> None:
    bank = marketing_bank
    code, name = village_of(bank)
    campaign = new_campaign(bank, village_codes=[code])
    want = expected(bank, bank.units["B1"].path, lambda s: s.customer.village_code == code)
    result = campaigns.build_targets(campaign, bank.head1)
    assert result.added == len(want) > 0
    target = campaign.targets.select_related("campaign").first()
    assert target is not None
    why = campaigns.why_selected(target)
    assert why[0] == "营销活动：秋收整村授信（整村授信）"
    assert f"所在村：{name}" in why


def test_opted_out_and_in_process_customers_are_skipped_and_counted(
    marketing_bank: MarketingBank,
) -> None:
    bank = marketing_bank
    code, _name = village_of(bank)
    scores = list(
        CustomerScore.objects.filter(run=bank.run, customer__village_code=code)
        .select_related("customer")
        .order_by("customer_id")
    )
    opted, applying, borrowing = (s.customer for s in scores[:3])
    opted.opted_out_at = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
    opted.save()
    from tests.credit.factories import farmer_product

    product = farmer_product()
    for i, stock in enumerate((applying, borrowing)):
        archive = Customer.objects.create(
            kind="farmer",
            name=stock.name,
            id_type="resident_id",
            id_number=f"37000019800101{i:03d}X",
            manager=bank.zhang,
            org_unit=bank.units["O11"],
        )
        stock.archive = archive
        stock.save()
        CreditApplication.objects.create(
            customer=archive,
            product=product,
            amount=Decimal(50_000),
            term_months=12,
            purpose="farmer",
            purpose_text="种植",
            repayment_method="interest_only",
            guarantee_methods=["credit"],
            legal_capacity="full",
            source="walk_in",
            manager=bank.zhang,
            org_unit=bank.units["O11"],
            stage="investigation" if i == 0 else "rejected",
        )
    campaign = new_campaign(bank, village_codes=[code])
    result = campaigns.build_targets(campaign, bank.head1)
    assert result.skipped == {"opted_out": 1, "in_credit_process": 1}
    assert result.added == len(scores) - 2  # the rejected applicant is back on the list
    listed = set(campaign.targets.values_list("customer_id", flat=True))
    assert borrowing.pk in listed and opted.pk not in listed and applying.pk not in listed


def test_assignment_by_territory_and_capacity(
    marketing_bank: MarketingBank, make_user: Any
) -> None:
    bank = marketing_bank
    from xindai.credit.facts import current_policy
    from xindai.org.roles import Role

    capacity = current_policy()[1].manager_target_capacity
    second = make_user("zhou", bank.units["O11"], Role.MANAGER)
    campaign = new_campaign(bank, grades=["A", "B", "C", "D"])
    campaigns.build_targets(campaign, bank.head1)
    per_unit = {
        code: campaign.targets.filter(org_unit__code=code).count() for code in ("O11", "O12")
    }
    assigned, left = campaigns.assign_targets(campaign, bank.head1)
    # O11 has two managers, O12 one (sun); each takes at most ``capacity``.
    want_o11 = min(per_unit["O11"], 2 * capacity)
    want_o12 = min(per_unit["O12"], capacity)
    assert assigned == want_o11 + want_o12
    assert left == sum(per_unit.values()) - assigned
    loads = {
        u.username: Target.objects.filter(manager=u).count()
        for u in (bank.zhang, second, bank.sun, bank.li)
    }
    assert loads["li"] == 0  # another branch's manager gets nothing
    assert max(loads.values()) <= capacity
    assert abs(loads["zhang"] - loads["zhou"]) <= 1  # balanced
    assert not Target.objects.filter(manager=bank.sun).exclude(org_unit__code="O12").exists()
    # the manager sees only his own
    assert set(campaigns.visible_targets(bank.zhang)) == set(
        Target.objects.filter(manager=bank.zhang)
    )
    # assigning again assigns nothing new to those already assigned
    again, _left = campaigns.assign_targets(campaign, bank.head1)
    assert again == 0 or left == 0


def test_reassign_within_scope_only(marketing_bank: MarketingBank) -> None:
    bank = marketing_bank
    campaign = new_campaign(bank, grades=["A"])
    campaigns.build_targets(campaign, bank.head1)
    target = campaign.targets.filter(org_unit__code="O11").first()
    assert target is not None
    campaigns.reassign(bank.head1, target, bank.sun)
    target.refresh_from_db()
    assert target.manager == bank.sun
    with pytest.raises(campaigns.CampaignRefused) as refused:
        campaigns.reassign(bank.head1, target, bank.li)
    assert refused.value.code == "manager_out_of_scope"
    target.status = TargetStatus.APPLIED
    target.save()
    with pytest.raises(campaigns.CampaignRefused):
        campaigns.reassign(bank.head1, target, bank.zhang)


# ---- cross-sell ------------------------------------------------------------------------------


def test_cross_sell_rules_by_product_role() -> None:
    payroll = recommend({"deposit", "card", "payroll", "mobile_banking", "e_payment"}, grade="C")
    assert [(r.product_role, r.product) for r in payroll] == [(PROFIT, "小额信用贷款")]
    borrower = recommend({"deposit", "card", "loan", "agency_insurance", "e_payment"})
    assert [(r.product_role, r.product) for r in borrower] == [(STICKY, "手机银行")]
    grade_a = recommend({"deposit", "card", "mobile_banking", "wealth", "e_payment"}, grade="A")
    assert [(r.product_role, r.product) for r in grade_a] == [(PROFIT, "预授信")]
    shop = recommend({"deposit", "card", "mobile_banking"}, grade="D", kind="business")
    assert [(r.product_role, r.product) for r in shop] == [(TRAFFIC, "聚合支付/收单")]
    assert "经营流水" in shop[0].reason
    nothing = recommend({"deposit", "social_security_card", "mobile_banking"}, grade="C")
    assert nothing == []


def test_cross_sell_reads_the_store(marketing_bank: MarketingBank) -> None:
    from xindai.marketing.crosssell import cross_sell, holdings_of

    bank = marketing_bank
    holdings = bank.tables["holdings"]
    payroll = set(holdings.loc[holdings["product"] == "payroll", "customer_no"].astype(str))
    lines = set(holdings.loc[holdings["product"] == "credit_line", "customer_no"].astype(str))
    candidates = sorted(payroll - lines)
    customer = bank.customers.filter(customer_no__in=candidates).order_by("customer_no").first()
    assert customer is not None
    held = holdings_of([customer.customer_no], bank.as_of)[customer.customer_no]
    assert "payroll" in held
    products = [r.product for r in cross_sell(customer)]
    assert "小额信用贷款" in products


def test_the_shared_bank_is_scored(marketing_bank: MarketingBank) -> None:
    bank = marketing_bank
    assert CustomerScore.objects.filter(run=bank.run).count() == bank.run.customers_scored > 0
    assert set(bank.customers.values_list("org_unit__code", flat=True)) == {"O11", "O12", "O21"}
    assert (bank.zhang.org_unit, bank.head1.org_unit) == (bank.units["O11"], bank.units["B1"])
