"""The demo's precision marketing in daily work (模拟数据, never real), on the scoring demo's
synthetic bank: the customers' consents given at account opening (a few never signed one), a
整村授信 campaign of 城关支行 for the village of 城关营业部 with its leaflet approved by 风险合规
and the village roster rated and on public display, a 存量挖掘 campaign, both target lists built
and assigned, and 张建国's last days of contacts with SPIN notes — one customer interested, one
lead turned into a credit application, one customer who withdrew his consent.

Idempotent: nothing is created when the demo campaigns exist already."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from xindai.customers.models import Area, AreaLevel
from xindai.marketing import campaigns, compliance, leads, village, work
from xindai.marketing.models import (
    Campaign,
    Consent,
    ConsentPurpose,
    Lead,
    LeadStatus,
    MaterialKind,
    Outcome,
    Scenario,
    Target,
    TargetStatus,
)
from xindai.org.models import OrgUnit
from xindai.products.models import LoanProduct
from xindai.scoring import synth
from xindai.scoring.models import ScoreRun, StockCustomer

VILLAGE_CAMPAIGN = "{village}整村授信（演示）"
STOCK_CAMPAIGN = "存量客户信用贷款挖掘（演示）"
CONSENT_EVIDENCE = "开户时签署《个人信息使用授权书》"
WITHDRAWAL_EVIDENCE = "客户来电撤回，录音编号 LY-DEMO-0001"
ROSTER_SIZE = 40
NO_CONSENT_EVERY = 12  # every 12th customer never signed the authorisation
LEAFLET_RATE = Decimal("0.0435")
LEAFLET = (
    "整村授信贷：整村评议、批量授信，一次授信三年内循环使用，随用随贷。"
    "贷款年化利率（单利）4.35% 起，按实际用款天数计息，无其他费用。"
    "授信额度以本行调查审批结果为准。咨询：城关营业部 张建国 13800000001。"
)
SCRIPT = (
    "背景：您家今年种了多少亩？主要收入靠什么？\n"
    "难点：农资、农机的钱什么时候最紧？\n"
    "暗示：要是赶不上农时，对今年收成影响有多大？\n"
    "价值：如果村里评上信用户，有一笔随用随贷的额度，您觉得能帮上什么？"
)
ROSTER_COLUMNS = (
    "户主姓名",
    "身份证号",
    "联系电话",
    "家庭人口",
    "劳动力",
    "家庭资产（元）",
    "家庭年纯收入（元）",
    "负债（元）",
    "还款记录（良好/有逾期/有不良/无）",
    "村组评议（分）",
)

# 张建国's last days: (days ago, hour, channel, outcome, SPIN notes, needs, next step,
# follow-up in days, amount 元). Each line works the next target of his village list.
CONTACTS: tuple[tuple[Any, ...], ...] = (
    (
        3,
        10,
        "visit",
        Outcome.INTERESTED,
        (
            "种植大棚蔬菜 12 亩，家里两个劳动力，去年纯收入约 8 万元",
            "明年开春要扩建 4 亩大棚，钢架和棚膜要先垫钱",
            "钱不到位就赶不上春茬，一季少收 3 万元左右",
            "有授信额度随用随贷，扩建能按时完成，利息按天算",
        ),
        "扩建大棚的资金约 5 万元",
        "准备身份证、户口簿和大棚承包合同，下次上门办理申请",
        0,
        "50000",
    ),
    (
        3,
        15,
        "visit",
        Outcome.NOT_INTERESTED,
        (
            "养殖肉牛 20 头，资金较宽裕",
            "暂无资金缺口",
            "",
            "",
        ),
        "暂无贷款需求，已介绍手机银行",
        "明年春耕前再回访",
        None,
        "",
    ),
    (
        2,
        9,
        "phone",
        Outcome.NOT_REACHED,
        ("", "", "", ""),
        "",
        "电话无人接听，改日上门",
        1,
        "",
    ),
    (
        2,
        16,
        "visit",
        Outcome.INTERESTED,
        (
            "经营农资小卖部，兼种小麦 30 亩",
            "秋冬备货需要周转资金，供货商要现款",
            "备货不足会错过旺季，客户流向镇上",
            "额度循环使用，旺季借、淡季还，省利息",
        ),
        "农资备货周转 3 万元",
        "已留下宣传单，约定下周带材料来网点",
        2,
        "30000",
    ),
    (
        1,
        11,
        "wechat",
        Outcome.NOT_INTERESTED,
        (
            "在外务工，家中老人种地",
            "",
            "",
            "",
        ),
        "",
        "春节返乡时再联系",
        None,
        "",
    ),
)
APPLICATION = {
    "amount": "50000",
    "term_months": 12,
    "purpose_text": "扩建蔬菜大棚 4 亩（钢架、棚膜）",
}


def seed_demo_marketing(today: dt.date) -> dict[str, Any]:
    """Create the demo's marketing data unless present; what was created."""
    if Campaign.objects.filter(name=STOCK_CAMPAIGN).exists():  # made with the village one
        return {"campaigns": 0}
    customers = StockCustomer.objects.filter(synthetic=True)
    if not customers.exists() or not ScoreRun.objects.exists():
        return {"campaigns": 0}
    User = get_user_model()
    people = {
        name: User.objects.get(username=name)
        for name in ("admin", "risk", "branch_head", "manager")
    }
    with transaction.atomic():
        consents = grant_opening_consents(customers, people["admin"], skip_every=NO_CONSENT_EVERY)
        village_code, village_name = _village("O0101")
        ensure_village_areas([village_code])
        village_campaign = _village_campaign(today, people, village_code, village_name)
        stock_campaign = _stock_campaign(today, people)
        roster = _roster(people["branch_head"], village_campaign, village_code, village_name, today)
    contacts, application = _contacts(people["manager"], village_campaign)
    withdrawn = _withdrawal(people["manager"], village_campaign)
    return {
        "campaigns": 2,
        "consents": consents,
        "village": village_name,
        "targets": Target.objects.filter(campaign__in=[village_campaign, stock_campaign]).count(),
        "contacts": contacts,
        "application": application,
        "roster_households": roster.households.count() if roster else 0,
        "withdrawn": withdrawn,
    }


def grant_opening_consents(customers: Any, admin: Any, *, skip_every: int = 0) -> int:
    """The marketing-use consent each customer signed at account opening (as the core system
    records it); with ``skip_every`` n, every n-th customer never signed one."""
    rows = []
    for index, (pk, opened) in enumerate(
        customers.order_by("customer_no").values_list("pk", "opened_on")
    ):
        if skip_every and index % skip_every == skip_every - 1:
            continue
        day = opened or dt.date(2020, 1, 1)
        rows.append(
            Consent(
                customer_id=pk,
                purpose=ConsentPurpose.MARKETING_DATA,
                granted=True,
                stated_purpose="向本人推介本行存款、贷款及支付结算产品",
                evidence=CONSENT_EVIDENCE,
                recorded_by=admin,
                effective_at=timezone.make_aware(dt.datetime.combine(day, dt.time(9))),
            )
        )
    Consent.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def _village(outlet: str) -> tuple[str, str]:
    """The village of ``outlet`` with the most farmers."""
    found = (
        StockCustomer.objects.filter(synthetic=True, org_unit__code=outlet, kind="farmer")
        .exclude(village_code="")
        .values("village_code", "village_name")
        .annotate(n=Count("pk"))
        .order_by("-n", "village_code")
        .first()
    )
    if found is None:
        raise LookupError(outlet)
    return found["village_code"], found["village_name"]


def _products(*codes: str) -> list[int]:
    return list(LoanProduct.objects.filter(code__in=codes).values_list("pk", flat=True))


def _village_campaign(today: dt.date, people: dict[str, Any], code: str, name: str) -> Campaign:
    head = people["branch_head"]
    campaign = campaigns.create_campaign(
        head,
        {
            "name": VILLAGE_CAMPAIGN.format(village=name),
            "scenario": Scenario.WHOLE_VILLAGE,
            "org_unit": OrgUnit.objects.get(code="B01").pk,
            "rules": {"kinds": ["farmer"], "village_codes": [code]},
            "products": _products("ZCSX", "NH-XY"),
            "starts_on": today - dt.timedelta(days=14),
            "ends_on": today + dt.timedelta(days=76),
            "goal_contacts": 120,
            "goal_applications": 40,
            "goal_amount_wan": "400",
            "description": f"{name}整村授信：入户走访、信用户评定、预授信公示，评上即可随用随贷。",
        },
    )
    for kind, title, body in (
        (MaterialKind.LEAFLET, f"{name}整村授信宣传单", LEAFLET),
        (MaterialKind.SCRIPT, "整村授信入户走访话术（SPIN）", SCRIPT),
    ):
        material = campaigns.submit_material(
            head,
            {
                "campaign": campaign.pk,
                "kind": kind,
                "title": title,
                "body": body,
                "annual_rate": LEAFLET_RATE if kind == MaterialKind.LEAFLET else None,
                "loan": kind == MaterialKind.LEAFLET,  # the script shows no terms
            },
        )
        campaigns.review_material(
            people["risk"], material, True, "已列明年化利率，无承诺审批、无隐性条件，同意使用"
        )
    campaigns.activate(head, campaign)
    campaigns.build_targets(campaign, head)
    campaigns.assign_targets(campaign, head)
    return campaign


def _stock_campaign(today: dt.date, people: dict[str, Any]) -> Campaign:
    head = people["branch_head"]
    campaign = campaigns.create_campaign(
        head,
        {
            "name": STOCK_CAMPAIGN,
            "scenario": Scenario.STOCK_MINING,
            "org_unit": OrgUnit.objects.get(code="B01").pk,
            "rules": {
                "grades": ["A", "B"],
                "kinds": ["farmer", "business"],
                "holdings_absent": ["credit_line"],
            },
            "products": _products("NH-XY", "GTJY"),
            "starts_on": today - dt.timedelta(days=7),
            "ends_on": today + dt.timedelta(days=53),
            "goal_contacts": 60,
            "goal_applications": 15,
            "goal_amount_wan": "150",
            "description": "A、B 级存量客户中尚无授信的，推介农户小额信用贷款和个体工商户经营贷。",
        },
    )
    campaigns.activate(head, campaign)
    campaigns.build_targets(campaign, head)
    campaigns.assign_targets(campaign, head)
    return campaign


def _roster(head: Any, campaign: Campaign, code: str, name: str, today: dt.date) -> Any:
    """The village's farmers as the village committee lists them: imported, rated, published."""
    farmers = (
        StockCustomer.objects.filter(synthetic=True, village_code=code, kind="farmer")
        .exclude(id_number="")
        .order_by("customer_no")[:ROSTER_SIZE]
    )
    content = roster_csv(list(farmers))
    result = village.import_roster(
        head,
        campaign,
        village_code=code,
        village_name=name,
        file_name=f"{name}花名册.csv",
        content=content,
    )
    return village.publish(head, result.roster, today)


def roster_csv(farmers: list[StockCustomer]) -> bytes:
    """A roster file (UTF-8 CSV with BOM, as Excel saves it) of these farmers, with household
    data drawn deterministically from their position in the list."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(ROSTER_COLUMNS)
    for index, farmer in enumerate(farmers):
        income = 30_000 + (index * 7_919) % 90_000
        members = 2 + index % 4
        writer.writerow(
            (
                farmer.name,
                farmer.id_number,
                farmer.phone,
                members,
                min(members, 1 + index % 3),
                income * 4 + (index * 3_571) % 200_000,
                income,
                (index % 5) * 10_000,
                ("良好", "良好", "无", "良好", "有逾期", "良好", "有不良")[index % 7],
                60 + (index * 13) % 41,
            )
        )
    return out.getvalue().encode("utf-8-sig")


def ensure_village_areas(codes: list[str]) -> int:
    """The synthetic county's areas (新岱县 370999, its townships and these villages), so a lead
    of the synthetic bank can get an economic archive (a farmer's archive needs his village)."""
    made = 0
    county, created = Area.objects.get_or_create(
        code=f"{synth.COUNTY_CODE}000000",
        defaults={"name": "新岱县（模拟）", "level": AreaLevel.COUNTY},
    )
    made += created
    names = dict(
        StockCustomer.objects.filter(village_code__in=codes).values_list(
            "village_code", "village_name"
        )
    )
    for code in codes:
        township, created = Area.objects.get_or_create(
            code=f"{code[:9]}000",
            defaults={
                "name": synth._town_name(int(code[6:9]) - 1),
                "level": AreaLevel.TOWNSHIP,
                "parent": county,
            },
        )
        made += created
        _village_area, created = Area.objects.get_or_create(
            code=code,
            defaults={
                "name": names.get(code) or code,
                "level": AreaLevel.VILLAGE,
                "parent": township,
            },
        )
        made += created
    return made


def _at(days_ago: int, hour: int) -> dt.datetime:
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _contacts(manager: Any, campaign: Campaign) -> tuple[int, str]:
    """张建国's contacts of the last three days, then his first lead made an application."""
    allowed = [
        target
        for target in Target.objects.filter(
            campaign=campaign, manager=manager, status=TargetStatus.NEW
        ).select_related("customer")
        if compliance.consent_in_force(target.customer, ConsentPurpose.MARKETING_DATA)
    ]
    products = _products("ZCSX")
    logged = 0
    for target, line in zip(allowed, CONTACTS, strict=False):
        days_ago, hour, channel, outcome, spin, needs, next_step, follow, amount = line
        moment = _at(days_ago, hour)
        work.log_contact(
            manager,
            {
                "target": target.pk,
                "channel": channel,
                "outcome": outcome,
                "contacted_at": moment.isoformat(),
                "situation": spin[0],
                "problem": spin[1],
                "implication": spin[2],
                "need_payoff": spin[3],
                "needs": needs,
                "products": products if outcome == Outcome.INTERESTED else [],
                "next_step": next_step,
                "next_follow_up": (
                    (timezone.localdate() + dt.timedelta(days=follow)).isoformat()
                    if follow is not None
                    else ""
                ),
                "amount": amount,
            },
        )
        logged += 1
    lead = (
        Lead.objects.filter(manager=manager, status=LeadStatus.OPEN, target__campaign=campaign)
        .order_by("created_at", "pk")
        .first()
    )
    if lead is None:
        return logged, ""
    try:
        application = leads.convert(
            manager,
            lead,
            {
                "product": products[0] if products else None,
                "amount": APPLICATION["amount"],
                "term_months": APPLICATION["term_months"],
                "purpose": "farmer",
                "purpose_text": APPLICATION["purpose_text"],
                "repayment_method": "interest_only",
                "guarantee_methods": ["credit"],
                "legal_capacity": "full",
            },
        )
    except leads.ArchiveIncomplete:  # the stock record cannot make an archive: lead stays open
        return logged, ""
    return logged, application.number or ""


def _withdrawal(manager: Any, campaign: Campaign) -> str:
    """A customer of the list who called to withdraw his consent: no more marketing contact."""
    for target in (
        Target.objects.filter(campaign=campaign, manager=manager, status=TargetStatus.NEW)
        .select_related("customer")
        .order_by("-pk")
    ):
        if compliance.consent_in_force(target.customer, ConsentPurpose.MARKETING_DATA):
            compliance.record_consent(
                manager,
                target.customer,
                ConsentPurpose.MARKETING_DATA,
                False,
                WITHDRAWAL_EVIDENCE,
                "客户要求不再向其推介产品",
            )
            return target.customer.customer_no
    return ""
