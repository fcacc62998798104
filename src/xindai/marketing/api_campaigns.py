"""Campaigns over REST (``/api/v1/campaigns``): campaigns by scenario (list, detail, create,
change, activate, close), their marketing materials (submit with automatic findings, list,
review by 风险合规), target lists (list with filters, build from the latest scores, assign by
territory and capacity, reassign one, why a customer was chosen) and cross-selling for a stock
customer. A rule that says no answers 409 ``{code, message, details}``; bad input 400 / 422;
ID numbers and phones are masked."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from xindai.api import requires
from xindai.core.errors import NotFound
from xindai.core.masking import mask_phone
from xindai.core.schemas import Paged, PageQuery, paged
from xindai.marketing import campaigns as services
from xindai.marketing.crosssell import cross_sell
from xindai.marketing.models import Campaign, Material, Target
from xindai.org.models import User

router = Router(tags=["精准营销"])


# ---- schemas ---------------------------------------------------------------------------------


class RulesIn(Schema):
    grades: list[str] = Field(default_factory=list, description="客户等级 A-D")
    min_propensity: float | None = Field(None, description="借款意愿下限（0-1）")
    min_points: int | None = None
    max_points: int | None = None
    kinds: list[str] = Field(default_factory=list, description="farmer / business / enterprise")
    village_codes: list[str] = Field(default_factory=list)
    industry_codes: list[str] = Field(default_factory=list)
    holdings_required: list[str] = Field(default_factory=list)
    holdings_absent: list[str] = Field(default_factory=list)
    as_of: dt.date | None = Field(None, description="使用该日期的评分结果（默认最近一次）")


class CampaignIn(Schema):
    name: str = Field(max_length=100)
    scenario: str = Field(description="whole_village / market_street / industrial_park / ...")
    org_unit: int
    owner: int | None = None
    rules: RulesIn | None = None
    products: list[int] = Field(default_factory=list)
    starts_on: dt.date
    ends_on: dt.date
    goal_contacts: int = 0
    goal_applications: int = 0
    goal_amount_wan: Decimal = Field(Decimal(0), description="目标授信金额（万元）")
    description: str = ""


class CampaignOut(Schema):
    id: int
    name: str
    scenario: str
    scenario_label: str
    status: str
    status_label: str
    org_unit: str
    org_unit_id: int
    owner: str
    rules: dict[str, Any]
    products: list[str]
    starts_on: dt.date
    ends_on: dt.date
    goal_contacts: int
    goal_applications: int
    goal_amount_yuan: Decimal
    description: str
    targets: int


class CampaignFilter(PageQuery):
    status: str = ""
    scenario: str = ""


class MaterialIn(Schema):
    campaign: int | None = None
    kind: str = Field(description="script / leaflet / sms / poster")
    title: str = Field(max_length=100)
    body: str
    annual_rate: Decimal | None = Field(None, description="年化利率（小数，0.0435 即 4.35%）")
    loan: bool = Field(True, description="贷款营销材料（须明示年化利率）")


class MaterialOut(Schema):
    id: int
    campaign: int | None
    kind: str
    title: str
    body: str
    annual_rate: Decimal | None
    status: str
    findings: list[dict[str, str]]
    submitted_by: str
    submitted_at: dt.datetime
    reviewed_by: str | None
    reviewed_at: dt.datetime | None
    review_note: str


class MaterialFilter(PageQuery):
    campaign: int | None = None
    status: str = ""


class ReviewIn(Schema):
    approve: bool
    note: str = Field("", max_length=500)


class TargetOut(Schema):
    id: int
    campaign: int
    customer_id: int
    customer_no: str
    name: str
    phone: str = Field(description="已脱敏")
    village_code: str
    village_name: str
    org_unit: str
    manager: str | None
    manager_id: int | None
    grade: str
    propensity: float | None
    points: int | None
    status: str
    reasons: list[str]
    next_follow_up: dt.date | None


class TargetFilter(PageQuery):
    status: str = ""
    grade: str = ""
    village: str = ""
    manager: int | None = None
    q: str = ""


class BuildIn(Schema):
    as_of: dt.date | None = None


class BuildOut(Schema):
    added: int
    skipped: dict[str, int]
    as_of: dt.date | None


class AssignOut(Schema):
    assigned: int
    left: int


class ReassignIn(Schema):
    manager: int


class WhyOut(Schema):
    target: int
    reasons: list[str]


class RecommendationOut(Schema):
    product_role: str
    product: str
    reason: str


# ---- helpers ---------------------------------------------------------------------------------


def _name(user: Any) -> str | None:
    """The staff member's name (his username when none is recorded)."""
    return str(user) if user is not None else None


def campaign_of(c: Campaign) -> dict[str, Any]:
    return {
        "id": c.pk,
        "name": c.name,
        "scenario": c.scenario,
        "scenario_label": str(c.get_scenario_display()),
        "status": c.status,
        "status_label": str(c.get_status_display()),
        "org_unit": c.org_unit.name,
        "org_unit_id": c.org_unit_id,
        "owner": _name(c.owner) or "",
        "rules": c.rules,
        "products": [p.name for p in c.products.all()],
        "starts_on": c.starts_on,
        "ends_on": c.ends_on,
        "goal_contacts": c.goal_contacts,
        "goal_applications": c.goal_applications,
        "goal_amount_yuan": Decimal(c.goal_amount_fen) / 100,
        "description": c.description,
        "targets": c.targets.count(),
    }


def material_of(m: Material) -> dict[str, Any]:
    return {
        "id": m.pk,
        "campaign": m.campaign_id,
        "kind": m.kind,
        "title": m.title,
        "body": m.body,
        "annual_rate": m.annual_rate,
        "status": m.status,
        "findings": m.findings,
        "submitted_by": _name(m.submitted_by) or "",
        "submitted_at": m.submitted_at,
        "reviewed_by": _name(m.reviewed_by),
        "reviewed_at": m.reviewed_at,
        "review_note": m.review_note,
    }


def target_of(t: Target) -> dict[str, Any]:
    c = t.customer
    return {
        "id": t.pk,
        "campaign": t.campaign_id,
        "customer_id": c.pk,
        "customer_no": c.customer_no,
        "name": c.name,
        "phone": mask_phone(c.phone),
        "village_code": t.village_code,
        "village_name": c.village_name,
        "org_unit": t.org_unit.name,
        "manager": _name(t.manager),
        "manager_id": t.manager_id,
        "grade": t.grade,
        "propensity": t.propensity,
        "points": t.points,
        "status": t.status,
        "reasons": [str(r) for r in t.reasons],
        "next_follow_up": t.next_follow_up,
    }


def _campaign_data(body: CampaignIn) -> dict[str, Any]:
    data = body.dict()
    rules = {k: v for k, v in (data.pop("rules") or {}).items() if v not in (None, [], "")}
    if rules.get("as_of"):
        rules["as_of"] = rules["as_of"].isoformat()
    return data | {"rules": rules, "goal_amount_wan": str(body.goal_amount_wan)}


def _target(request: HttpRequest, target_id: int) -> Target:
    found = services.visible_targets(request.user).filter(pk=target_id).first()
    if found is None:
        raise NotFound("目标客户不存在或无权查看")
    return found


def filter_targets(found: Any, f: Any) -> Any:
    if f.status:
        found = found.filter(status=f.status)
    if f.grade:
        found = found.filter(grade=f.grade)
    if f.village:
        found = found.filter(village_code=f.village)
    if f.manager:
        found = found.filter(manager_id=f.manager)
    if f.q:
        found = found.filter(Q(customer__name__contains=f.q) | Q(customer__customer_no=f.q))
    return found


# ---- campaigns -------------------------------------------------------------------------------


@router.get(
    "",
    response=Paged[CampaignOut],
    summary="营销活动列表",
    auth=requires(services.VIEW_CAMPAIGNS),
)
def list_campaigns(request: HttpRequest, filters: Query[CampaignFilter]) -> dict[str, Any]:
    found = services.visible_campaigns(request.user).prefetch_related("products")
    if filters.status:
        found = found.filter(status=filters.status)
    if filters.scenario:
        found = found.filter(scenario=filters.scenario)
    page = paged(found, filters)
    return page | {"items": [campaign_of(c) for c in page["items"]]}


@router.post(
    "",
    response={201: CampaignOut},
    summary="发起营销活动",
    auth=requires(services.MANAGE),
)
def create(request: HttpRequest, body: CampaignIn) -> Status[dict[str, Any]]:
    campaign = services.create_campaign(request.user, _campaign_data(body))
    return Status(201, campaign_of(campaign))


@router.get(
    "/materials",
    response=Paged[MaterialOut],
    summary="营销材料列表",
    auth=requires(services.VIEW_MATERIALS),
)
def list_materials(request: HttpRequest, filters: Query[MaterialFilter]) -> dict[str, Any]:
    found = services.visible_materials(request.user)
    if filters.campaign:
        found = found.filter(campaign_id=filters.campaign)
    if filters.status:
        found = found.filter(status=filters.status)
    page = paged(found, filters)
    return page | {"items": [material_of(m) for m in page["items"]]}


@router.post(
    "/materials",
    response={201: MaterialOut},
    summary="提交营销材料（自动检查）",
    auth=requires(services.ADD_MATERIAL),
)
def submit_material(request: HttpRequest, body: MaterialIn) -> Status[dict[str, Any]]:
    material = services.submit_material(request.user, body.dict())
    return Status(201, material_of(material))


@router.post(
    "/materials/{material_id}/review",
    response=MaterialOut,
    summary="审查营销材料（风险合规）",
    auth=requires(services.REVIEW),
)
def review_material(request: HttpRequest, material_id: int, body: ReviewIn) -> dict[str, Any]:
    material = services.visible_materials(request.user).filter(pk=material_id).first()
    if material is None:
        raise NotFound("营销材料不存在或无权查看")
    return material_of(services.review_material(request.user, material, body.approve, body.note))


@router.get(
    "/targets/{target_id}/why",
    response=WhyOut,
    summary="客户入选理由（知情权）",
    auth=requires(services.VIEW_TARGETS),
)
def why(request: HttpRequest, target_id: int) -> dict[str, Any]:
    target = _target(request, target_id)
    return {"target": target.pk, "reasons": services.why_selected(target)}


@router.post(
    "/targets/{target_id}/reassign",
    response=TargetOut,
    summary="改派目标客户",
    auth=requires(services.MANAGE),
)
def reassign(request: HttpRequest, target_id: int, body: ReassignIn) -> dict[str, Any]:
    target = _target(request, target_id)
    manager = User.objects.filter(pk=body.manager, is_active=True).first()
    if manager is None:
        raise NotFound("客户经理不存在")
    services.reassign(request.user, target, manager)
    return target_of(_target(request, target_id))


@router.get(
    "/customers/{customer_id}/cross-sell",
    response=list[RecommendationOut],
    summary="交叉销售推荐",
    auth=requires(services.VIEW_TARGETS),
)
def customer_cross_sell(request: HttpRequest, customer_id: int) -> list[dict[str, Any]]:
    from xindai.scoring.services import visible_stock_customers

    customer = visible_stock_customers(request.user).filter(pk=customer_id).first()
    if customer is None:
        raise NotFound("客户不存在或无权查看")
    return [
        {"product_role": r.product_role, "product": r.product, "reason": r.reason}
        for r in cross_sell(customer)
    ]


@router.get(
    "/{campaign_id}",
    response=CampaignOut,
    summary="营销活动详情",
    auth=requires(services.VIEW_CAMPAIGNS),
)
def get_campaign(request: HttpRequest, campaign_id: int) -> dict[str, Any]:
    return campaign_of(services.get_campaign(request.user, campaign_id))


@router.put(
    "/{campaign_id}",
    response=CampaignOut,
    summary="修改营销活动",
    auth=requires(services.MANAGE),
)
def update(request: HttpRequest, campaign_id: int, body: CampaignIn) -> dict[str, Any]:
    campaign = services.get_campaign(request.user, campaign_id)
    return campaign_of(services.update_campaign(request.user, campaign, _campaign_data(body)))


@router.post(
    "/{campaign_id}/activate",
    response=CampaignOut,
    summary="启动营销活动",
    auth=requires(services.MANAGE),
)
def activate(request: HttpRequest, campaign_id: int) -> dict[str, Any]:
    campaign = services.get_campaign(request.user, campaign_id)
    return campaign_of(services.activate(request.user, campaign))


@router.post(
    "/{campaign_id}/close",
    response=CampaignOut,
    summary="结束营销活动",
    auth=requires(services.MANAGE),
)
def close(request: HttpRequest, campaign_id: int) -> dict[str, Any]:
    campaign = services.get_campaign(request.user, campaign_id)
    return campaign_of(services.close(request.user, campaign))


@router.get(
    "/{campaign_id}/targets",
    response=Paged[TargetOut],
    summary="目标客户名单",
    auth=requires(services.VIEW_TARGETS),
)
def list_targets(
    request: HttpRequest, campaign_id: int, filters: Query[TargetFilter]
) -> dict[str, Any]:
    campaign = services.get_campaign(request.user, campaign_id)
    found = services.visible_targets(request.user).filter(campaign=campaign)
    page = paged(filter_targets(found, filters), filters)
    return page | {"items": [target_of(t) for t in page["items"]]}


@router.post(
    "/{campaign_id}/targets/build",
    response=BuildOut,
    summary="生成目标客户名单",
    auth=requires(services.MANAGE),
)
def build(request: HttpRequest, campaign_id: int, body: BuildIn) -> dict[str, Any]:
    campaign = services.get_campaign(request.user, campaign_id)
    result = services.build_targets(campaign, request.user, as_of=body.as_of)
    return {"added": result.added, "skipped": result.skipped, "as_of": result.as_of}


@router.post(
    "/{campaign_id}/targets/assign",
    response=AssignOut,
    summary="按片区和容量分派名单",
    auth=requires(services.MANAGE),
)
def assign(request: HttpRequest, campaign_id: int) -> dict[str, Any]:
    campaign = services.get_campaign(request.user, campaign_id)
    assigned, left = services.assign_targets(campaign, request.user)
    return {"assigned": assigned, "left": left}
