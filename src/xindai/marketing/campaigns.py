"""Campaigns by scenario: their rules, products, period and goals (支行行长), the marketing
materials 风险合规 reviews before managers may use them, and the target lists built from the
latest scores and the campaign's rules, assigned to managers by territory and capacity, each
target with the reasons he was chosen (the customer's right to know)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from xindai.audit import services as audit
from xindai.core import business_date
from xindai.core.errors import DomainError, FormInvalid, NotFound
from xindai.credit.stages import ENDS
from xindai.marketing import domain_campaigns as domain
from xindai.marketing.models import (
    Campaign,
    CampaignStatus,
    Material,
    MaterialKind,
    ReviewStatus,
    Scenario,
    Target,
    TargetStatus,
)
from xindai.org.models import OrgUnit, User
from xindai.org.roles import Role, group_name
from xindai.org.scope import scope_of, visible

MANAGE = "marketing.manage_campaign"
ADD_MATERIAL = "marketing.add_material"
REVIEW = "marketing.review_material"
VIEW_CAMPAIGNS = "marketing.view_campaign"
VIEW_MATERIALS = "marketing.view_material"
VIEW_TARGETS = "marketing.view_target"

OPEN_STATUSES = (TargetStatus.NEW, TargetStatus.REACHED, TargetStatus.INTERESTED)
EXCLUDED_STATUSES = (TargetStatus.EXCLUDED, TargetStatus.DECLINED)
LOAN_OPEN = ("normal", "overdue")  # loans.LoanStatus of a loan still running

SKIP_LABELS = {
    "already_listed": "已在名单中",
    "opted_out": "已拒绝个性化营销",
    "in_credit_process": "已在信贷流程中（申请未结束或贷款未结清）",
    "rules_not_met": "不符合活动规则",
    "out_of_scope": "不在活动机构范围内",
}


class CampaignRefused(DomainError):
    code = "campaign_refused"


class MaterialRefused(DomainError):
    code = "material_refused"


@dataclass
class BuildResult:
    added: int
    skipped: dict[str, int] = field(default_factory=dict)
    as_of: dt.date | None = None


def _require(user: Any, permission: str) -> None:
    if user is not None and not user.has_perm(permission):
        raise PermissionDenied(permission)


# ---- scope -----------------------------------------------------------------------------------


def visible_units(user: Any) -> QuerySet[OrgUnit]:
    return visible(OrgUnit.objects.all(), user, unit_field=None).order_by("path")


def visible_campaigns(user: Any) -> QuerySet[Campaign]:
    """Campaigns of the user's unit subtree, and those of the units above him (a manager of an
    outlet works the campaigns of his branch)."""
    found = Campaign.objects.select_related("org_unit", "owner")
    scope = scope_of(user)
    if scope.everything:
        return found
    if scope.unit_path is None:
        return found.none()
    path = scope.unit_path
    above = [path[: i + 1] for i, ch in enumerate(path) if ch == "/"]
    return found.filter(Q(org_unit__path__startswith=path) | Q(org_unit__path__in=above))


def get_campaign(user: Any, pk: int) -> Campaign:
    found = visible_campaigns(user).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("营销活动不存在或无权查看"))
    return found


def visible_targets(user: Any) -> QuerySet[Target]:
    """Targets the user may see: a manager his own, others those of their unit subtree."""
    found = Target.objects.select_related("customer", "manager", "campaign", "org_unit")
    return visible(found, user, unit_field="org_unit", owner_field="manager")


def visible_materials(user: Any) -> QuerySet[Material]:
    found = Material.objects.select_related("campaign", "submitted_by", "reviewed_by")
    campaigns = visible_campaigns(user).values("pk")
    if scope_of(user).everything:
        return found
    return found.filter(Q(campaign__in=campaigns) | Q(campaign__isnull=True))


def managers_of(units: list[int]) -> QuerySet[User]:
    """Active 客户经理 of these units."""
    return User.objects.filter(
        org_unit_id__in=units, is_active=True, groups__name=group_name(Role.MANAGER)
    ).distinct()


# ---- campaigns -------------------------------------------------------------------------------


def _date(value: Any, name: str, errors: dict[str, list[str]]) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value or ""))
    except ValueError:
        errors.setdefault(name, []).append(_("请输入有效日期（YYYY-MM-DD）"))
        return None


def _int(value: Any, name: str, errors: dict[str, list[str]], *, default: int = 0) -> int:
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors.setdefault(name, []).append(_("请输入整数"))
        return default
    if number < 0:
        errors.setdefault(name, []).append(_("不能为负数"))
    return number


def _list(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = value.replace("，", ",").split(",")
    return [str(v).strip() for v in value if str(v).strip()]


def clean_rules(raw: dict[str, Any], errors: dict[str, list[str]]) -> dict[str, Any]:
    """The target rules, normalised; problems go to ``errors["rules"]``."""
    rules: dict[str, Any] = {}
    problems: list[str] = []
    grades = _list(raw.get("grades"))
    if set(grades) - {"A", "B", "C", "D"}:
        problems.append(_("客户等级只能是 A、B、C、D"))
    if grades:
        rules["grades"] = sorted(set(grades))
    low: Any = raw.get("min_propensity")
    if low not in (None, ""):
        try:
            value = float(low)
        except (TypeError, ValueError):
            problems.append(_("借款意愿门槛须为 0-1 之间的小数"))
        else:
            if not 0 <= value <= 1:
                problems.append(_("借款意愿门槛须为 0-1 之间的小数"))
            rules["min_propensity"] = value
    for key in ("min_points", "max_points"):
        points: Any = raw.get(key)
        if points not in (None, ""):
            try:
                rules[key] = int(points)
            except (TypeError, ValueError):
                problems.append(_("评分上下限须为整数"))
    if (
        "min_points" in rules
        and "max_points" in rules
        and rules["min_points"] > rules["max_points"]
    ):
        problems.append(_("评分下限不能高于上限"))
    kinds = _list(raw.get("kinds"))
    if set(kinds) - {"farmer", "business", "enterprise"}:
        problems.append(_("客户类型无效"))
    if kinds:
        rules["kinds"] = kinds
    for key in ("village_codes", "industry_codes"):
        values = _list(raw.get(key))
        if values:
            rules[key] = values
    for key in ("holdings_required", "holdings_absent"):
        values = _list(raw.get(key))
        if set(values) - set(domain.HOLDING_TEXT):
            problems.append(_("持有产品代码无效"))
        if values:
            rules[key] = values
    if raw.get("as_of"):
        as_of = _date(raw.get("as_of"), "rules", errors)
        if as_of:
            rules["as_of"] = as_of.isoformat()
    if problems:
        errors.setdefault("rules", []).extend(problems)
    return rules


def _clean(actor: Any, data: dict[str, Any], campaign: Campaign | None) -> dict[str, Any]:
    from xindai.products.models import LoanProduct

    errors: dict[str, list[str]] = {}
    name = str(data.get("name") or "").strip()
    if not name:
        errors["name"] = [_("请填写活动名称")]
    scenario = str(data.get("scenario") or "")
    if scenario not in Scenario.values:
        errors["scenario"] = [_("请选择营销场景")]
    unit = visible_units(actor).filter(pk=data.get("org_unit") or 0).first()
    if unit is None:
        errors["org_unit"] = [_("请选择本人管辖范围内的机构")]
    owner_id: Any = data.get("owner") or getattr(actor, "pk", None) or 0
    owner = User.objects.filter(pk=owner_id, is_active=True).first()
    if owner is None or (
        unit is not None
        and owner.org_unit is not None
        and not (
            owner.org_unit.path.startswith(unit.path) or unit.path.startswith(owner.org_unit.path)
        )
    ):
        errors["owner"] = [_("负责人须为活动机构的员工")]
    starts = _date(data.get("starts_on"), "starts_on", errors)
    ends = _date(data.get("ends_on"), "ends_on", errors)
    if starts and ends and ends < starts:
        errors["ends_on"] = [_("结束日期不能早于开始日期")]
    rules = clean_rules(dict(data.get("rules") or {}), errors)
    product_ids = [int(p) for p in data.get("products") or [] if str(p).isdigit()]
    products = list(LoanProduct.objects.filter(pk__in=product_ids, is_active=True))
    if len(products) != len(set(product_ids)):
        errors["products"] = [_("请选择在售的贷款产品")]
    goals = {
        "goal_contacts": _int(data.get("goal_contacts"), "goal_contacts", errors),
        "goal_applications": _int(data.get("goal_applications"), "goal_applications", errors),
    }
    amount = data.get("goal_amount_wan")
    goal_fen = 0
    if amount not in (None, ""):
        try:
            wan = Decimal(str(amount))
        except InvalidOperation:
            errors["goal_amount_wan"] = [_("请输入金额（万元）")]
        else:
            if wan < 0:
                errors["goal_amount_wan"] = [_("不能为负数")]
            goal_fen = int((wan * 1_000_000).to_integral_value())
    if errors:
        raise FormInvalid(_("活动信息有误，请检查"), details=errors)
    return {
        "name": name,
        "scenario": scenario,
        "org_unit": unit,
        "owner": owner,
        "starts_on": starts,
        "ends_on": ends,
        "rules": rules,
        "description": str(data.get("description") or "").strip(),
        "goal_amount_fen": goal_fen,
        "products": products,
        **goals,
    }


@transaction.atomic
def create_campaign(actor: Any, data: dict[str, Any]) -> Campaign:
    """A new campaign in 筹备中. ``data``: name, scenario, org_unit (id), owner (id, default the
    actor), rules (dict), products (ids), starts_on, ends_on, goal_contacts,
    goal_applications, goal_amount_wan (万元), description."""
    _require(actor, MANAGE)
    values = _clean(actor, data, None)
    products = values.pop("products")
    campaign = Campaign.objects.create(**values, created_by=actor)
    campaign.products.set(products)
    audit.record(
        "marketing.campaign_created",
        actor=actor,
        object_type="marketing.campaign",
        object_id=campaign.pk,
        changes={"name": campaign.name, "scenario": campaign.scenario, "rules": campaign.rules},
    )
    return campaign


@transaction.atomic
def update_campaign(actor: Any, campaign: Campaign, data: dict[str, Any]) -> Campaign:
    _require(actor, MANAGE)
    campaign = _locked(actor, campaign)
    if campaign.status == CampaignStatus.CLOSED:
        raise CampaignRefused(_("活动已结束，不能修改"), code="campaign_closed")
    values = _clean(actor, data, campaign)
    products = values.pop("products")
    for key, value in values.items():
        setattr(campaign, key, value)
    campaign.save()
    campaign.products.set(products)
    audit.record(
        "marketing.campaign_changed",
        actor=actor,
        object_type="marketing.campaign",
        object_id=campaign.pk,
        changes={"name": campaign.name, "rules": campaign.rules},
    )
    return campaign


def _locked(actor: Any, campaign: Campaign) -> Campaign:
    found = visible_campaigns(actor).select_for_update(of=("self",)).filter(pk=campaign.pk)
    locked = found.first()
    if locked is None or (
        actor is not None
        and not scope_of(actor).everything
        and not locked.org_unit.path.startswith(scope_of(actor).unit_path or "\0")
    ):
        raise NotFound(_("营销活动不存在或无权管理"))
    return locked


@transaction.atomic
def activate(actor: Any, campaign: Campaign, *, today: dt.date | None = None) -> Campaign:
    """筹备中 → 进行中: the period must not be over and the target rules not empty."""
    _require(actor, MANAGE)
    campaign = _locked(actor, campaign)
    today = today or business_date.current_or_none() or timezone.localdate()
    if campaign.status != CampaignStatus.DRAFT:
        raise CampaignRefused(_("只有筹备中的活动可以启动"), code="not_draft")
    problems = []
    if campaign.ends_on < today:
        problems.append(_("活动期限已过，请先修改结束日期"))
    if not domain.has_rules(campaign.rules):
        problems.append(_("请先设置目标客户规则"))
    if problems:
        raise CampaignRefused("；".join(problems), code="cannot_activate", details=problems)
    campaign.status = CampaignStatus.ACTIVE
    campaign.save(update_fields=["status"])
    audit.record(
        "marketing.campaign_activated",
        actor=actor,
        object_type="marketing.campaign",
        object_id=campaign.pk,
    )
    return campaign


@transaction.atomic
def close(actor: Any, campaign: Campaign) -> Campaign:
    """进行中 / 筹备中 → 已结束; the open targets stay for the record."""
    _require(actor, MANAGE)
    campaign = _locked(actor, campaign)
    if campaign.status == CampaignStatus.CLOSED:
        raise CampaignRefused(_("活动已结束"), code="campaign_closed")
    campaign.status = CampaignStatus.CLOSED
    campaign.save(update_fields=["status"])
    audit.record(
        "marketing.campaign_closed",
        actor=actor,
        object_type="marketing.campaign",
        object_id=campaign.pk,
    )
    return campaign


def progress(campaign: Campaign) -> dict[str, Any]:
    """Targets by status, and the goals."""
    counts = dict(
        campaign.targets.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    total = sum(counts.values())
    return {
        "total": total,
        "counts": counts,
        "assigned": campaign.targets.filter(manager__isnull=False).count(),
        "reached": total - counts.get(TargetStatus.NEW, 0) - counts.get(TargetStatus.EXCLUDED, 0),
    }


# ---- materials -------------------------------------------------------------------------------


def _rate(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        rate = Decimal(str(value))
    except InvalidOperation as exc:
        raise FormInvalid(
            _("年化利率有误"), details={"annual_rate": [_("请输入小数，如 0.0435")]}
        ) from exc
    if not Decimal(0) < rate < Decimal(1):
        raise FormInvalid(_("年化利率有误"), details={"annual_rate": [_("请输入小数，如 0.0435")]})
    return rate


@transaction.atomic
def submit_material(actor: Any, data: dict[str, Any]) -> Material:
    """A material submitted for review, with the automatic findings. ``data``: campaign (id or
    None), kind, title, body, annual_rate (fraction), loan (bool, default True: loan marketing
    must show the annualised rate)."""
    _require(actor, ADD_MATERIAL)
    errors: dict[str, list[str]] = {}
    campaign = None
    wanted: Any = data.get("campaign")
    if wanted not in (None, ""):
        campaign = visible_campaigns(actor).filter(pk=wanted).first()
        if campaign is None:
            errors["campaign"] = [_("营销活动不存在或无权查看")]
        elif campaign.status == CampaignStatus.CLOSED:
            errors["campaign"] = [_("活动已结束")]
    kind = str(data.get("kind") or "")
    if kind not in MaterialKind.values:
        errors["kind"] = [_("请选择材料类型")]
    title = str(data.get("title") or "").strip()
    body = str(data.get("body") or "").strip()
    if not title:
        errors["title"] = [_("请填写标题")]
    if not body:
        errors["body"] = [_("请填写内容")]
    if errors:
        raise FormInvalid(_("材料信息有误，请检查"), details=errors)
    rate = _rate(data.get("annual_rate"))
    loan = data.get("loan", True) not in (False, "false", "0", "", None)
    findings = domain.check_material(body, annual_rate=rate, loan=loan)
    material = Material.objects.create(
        campaign=campaign,
        kind=kind,
        title=title[:100],
        body=body,
        annual_rate=rate,
        findings=findings,
        submitted_by=actor,
    )
    audit.record(
        "marketing.material_submitted",
        actor=actor,
        object_type="marketing.material",
        object_id=material.pk,
        changes={"title": material.title, "findings": [f["code"] for f in findings]},
    )
    return material


@transaction.atomic
def review_material(actor: Any, material: Material, approve: bool, note: str = "") -> Material:
    """风险合规's decision. Approval is refused while automatic findings remain (resubmit a
    corrected text); a return needs its reason; the submitter may not review his own."""
    _require(actor, REVIEW)
    material = Material.objects.select_for_update().get(pk=material.pk)
    note = (note or "").strip()
    if material.status != ReviewStatus.PENDING:
        raise MaterialRefused(_("该材料已审查"), code="not_pending")
    if actor is not None and material.submitted_by_id == actor.pk:
        raise MaterialRefused(
            _("提交人不能审查自己的材料（职责分离）"), code="separation_of_duties"
        )
    if approve and material.findings:
        texts = [f["message"] for f in material.findings]
        raise MaterialRefused(
            _("材料存在以下问题，不能通过：") + "；".join(texts),
            code="findings_remain",
            details=material.findings,
        )
    if not approve and not note:
        raise FormInvalid(_("请填写退回原因"), details={"note": [_("请填写退回原因")]})
    material.status = ReviewStatus.APPROVED if approve else ReviewStatus.REJECTED
    material.reviewed_by = actor
    material.reviewed_at = timezone.now()
    material.review_note = note[:500]
    material.save()
    audit.record(
        "marketing.material_approved" if approve else "marketing.material_rejected",
        actor=actor,
        object_type="marketing.material",
        object_id=material.pk,
        reason=note,
    )
    return material


def approved_materials(campaign: Campaign | None) -> QuerySet[Material]:
    """The materials managers may use for ``campaign`` (its own and the general ones)."""
    found = Material.objects.filter(status=ReviewStatus.APPROVED)
    if campaign is None:
        return found.filter(campaign__isnull=True)
    return found.filter(Q(campaign=campaign) | Q(campaign__isnull=True))


# ---- targets ---------------------------------------------------------------------------------


def _holdings(customer_nos: list[str], as_of: dt.date) -> dict[str, frozenset[str]]:
    from xindai.marketing.crosssell import holdings_of

    return {no: frozenset(p) for no, p in holdings_of(customer_nos, as_of).items()}


def in_credit_process(archive_ids: set[int]) -> set[int]:
    """The archives (customers.Customer ids) with an application not ended or a loan running."""
    from xindai.credit.models import CreditApplication
    from xindai.loans.models import LoanAccount

    if not archive_ids:
        return set()
    busy = set(
        CreditApplication.objects.filter(customer_id__in=archive_ids)
        .exclude(stage__in=[s.value for s in ENDS])
        .values_list("customer_id", flat=True)
    )
    busy |= set(
        LoanAccount.objects.filter(customer_id__in=archive_ids, status__in=LOAN_OPEN).values_list(
            "customer_id", flat=True
        )
    )
    return busy


@transaction.atomic
def build_targets(campaign: Campaign, actor: Any, *, as_of: dt.date | None = None) -> BuildResult:
    """Add to the list every customer of the campaign's unit scored on the run of ``as_of``
    (default ``rules["as_of"]``, else the latest run) who meets the rules — except those
    already listed, opted out of personalised marketing, or already in the credit process
    (each skip counted by reason). Building again adds only new customers."""
    from xindai.scoring.models import CustomerScore, RunStatus, ScoreRun

    _require(actor, MANAGE)
    campaign = _locked(actor, campaign) if actor is not None else campaign
    if campaign.status == CampaignStatus.CLOSED:
        raise CampaignRefused(_("活动已结束，不能生成名单"), code="campaign_closed")
    if not domain.has_rules(campaign.rules):
        raise CampaignRefused(_("请先设置目标客户规则"), code="no_rules")
    runs = ScoreRun.objects.filter(status=RunStatus.DONE)
    wanted = as_of or (
        dt.date.fromisoformat(campaign.rules["as_of"]) if campaign.rules.get("as_of") else None
    )
    run = runs.filter(as_of=wanted).first() if wanted else runs.order_by("-as_of").first()
    if run is None:
        raise CampaignRefused(_("没有可用的评分结果，请先运行批量评分"), code="no_scores")
    scores = list(
        CustomerScore.objects.filter(
            run=run, customer__org_unit__path__startswith=campaign.org_unit.path
        )
        .select_related("customer")
        .order_by("customer_id")
    )
    rules = campaign.rules
    need_holdings = bool(rules.get("holdings_required") or rules.get("holdings_absent"))
    holdings = (
        _holdings([s.customer.customer_no for s in scores], run.as_of) if need_holdings else {}
    )
    listed = set(campaign.targets.values_list("customer_id", flat=True))
    busy = in_credit_process({s.customer.archive_id for s in scores if s.customer.archive_id})
    skipped: dict[str, int] = {}
    rows: list[Target] = []

    def skip(reason: str) -> None:
        skipped[reason] = skipped.get(reason, 0) + 1

    for score in scores:
        c = score.customer
        met = domain.match(
            rules,
            domain.Candidate(
                grade=score.grade,
                propensity=score.propensity,
                points=score.points,
                kind=c.kind,
                village_code=c.village_code,
                village_name=c.village_name,
                industry_code=c.industry_code,
                holdings=holdings.get(c.customer_no, frozenset()),
            ),
        )
        if met is None:
            continue  # not a skip: simply not in the campaign's population
        if c.pk in listed:
            skip("already_listed")
        elif c.opted_out_at is not None:
            skip("opted_out")
        elif c.archive_id is not None and c.archive_id in busy:
            skip("in_credit_process")
        else:
            texts = [r.get("text", "") for r in (score.reasons or []) if r.get("text")]
            rows.append(
                Target(
                    campaign=campaign,
                    customer=c,
                    org_unit_id=c.org_unit_id,
                    village_code=c.village_code,
                    grade=score.grade,
                    propensity=score.propensity,
                    points=score.points,
                    reasons=met + texts[:3],
                )
            )
    Target.objects.bulk_create(rows, batch_size=1000)
    audit.record(
        "marketing.targets_built",
        actor=actor,
        object_type="marketing.campaign",
        object_id=campaign.pk,
        changes={"as_of": run.as_of, "added": len(rows), "skipped": skipped},
    )
    return BuildResult(added=len(rows), skipped=skipped, as_of=run.as_of)


def open_load(manager_ids: list[int]) -> dict[int, int]:
    """Open targets per manager, over all campaigns."""
    found = (
        Target.objects.filter(manager_id__in=manager_ids, status__in=OPEN_STATUSES)
        .values_list("manager_id")
        .annotate(n=Count("pk"))
    )
    return {m: n for m, n in found}


@transaction.atomic
def assign_targets(campaign: Campaign, actor: Any) -> tuple[int, int]:
    """Assign the campaign's unassigned open targets to the 客户经理 of each customer's unit,
    the least loaded first, up to ``manager_target_capacity`` open targets each. Returns
    (assigned, left unassigned)."""
    from xindai.credit.facts import current_policy

    _require(actor, MANAGE)
    campaign = _locked(actor, campaign) if actor is not None else campaign
    capacity = current_policy()[1].manager_target_capacity
    pending = list(
        campaign.targets.filter(manager__isnull=True, status__in=OPEN_STATUSES)
        .order_by("grade", "-propensity", "pk")
        .values_list("pk", "org_unit_id")
    )
    units = sorted({unit for _pk, unit in pending})
    staff: dict[int, list[int]] = {}
    for user_id, unit in managers_of(units).values_list("pk", "org_unit_id"):
        staff.setdefault(unit, []).append(user_id)
    load = open_load([m for ids in staff.values() for m in ids])
    done, left = domain.assign(pending, staff, load, capacity)
    now = timezone.now()
    by_manager: dict[int, list[int]] = {}
    for target, manager in done.items():
        by_manager.setdefault(manager, []).append(target)
    for manager, ids in by_manager.items():
        Target.objects.filter(pk__in=ids).update(manager_id=manager, assigned_at=now)
    audit.record(
        "marketing.targets_assigned",
        actor=actor,
        object_type="marketing.campaign",
        object_id=campaign.pk,
        changes={"assigned": len(done), "left": len(left), "capacity": capacity},
    )
    return len(done), len(left)


@transaction.atomic
def reassign(actor: Any, target: Target, manager: User) -> Target:
    """The branch head moves one target to another 客户经理 of his scope."""
    _require(actor, MANAGE)
    locked = visible_targets(actor).select_for_update(of=("self",)).filter(pk=target.pk).first()
    if locked is None:
        raise NotFound(_("目标客户不存在或无权查看"))
    target = locked
    scope = scope_of(actor)
    allowed = managers_of(list(visible_units(actor).values_list("pk", flat=True)))
    if not scope.everything and not allowed.filter(pk=manager.pk).exists():
        raise CampaignRefused(_("只能分派给本人管辖范围内的客户经理"), code="manager_out_of_scope")
    if not manager.groups.filter(name=group_name(Role.MANAGER)).exists():
        raise CampaignRefused(_("只能分派给客户经理"), code="not_a_manager")
    if target.status not in OPEN_STATUSES:
        raise CampaignRefused(_("该目标客户已有结果，不能改派"), code="target_closed")
    old = target.manager_id
    target.manager = manager
    target.assigned_at = timezone.now()
    target.save(update_fields=["manager", "assigned_at", "updated_at"])
    audit.record(
        "marketing.target_reassigned",
        actor=actor,
        object_type="marketing.target",
        object_id=target.pk,
        changes={"from": old, "to": manager.pk},
    )
    return target


def why_selected(target: Target) -> list[str]:
    """Why this customer is on the list, in plain Chinese (the customer's right to know how
    automated decisions about him were made)."""
    lines = [
        _("营销活动：{name}（{scenario}）").format(
            name=target.campaign.name, scenario=target.campaign.get_scenario_display()
        )
    ]
    lines += [str(r) for r in target.reasons or []]
    if target.status == TargetStatus.EXCLUDED and target.exclusion_reason:
        lines.append(_("已排除：{reason}").format(reason=target.exclusion_reason))
    return lines


def skip_labels(skipped: dict[str, int]) -> list[tuple[str, int]]:
    return [(SKIP_LABELS.get(k, k), n) for k, n in sorted(skipped.items())]
