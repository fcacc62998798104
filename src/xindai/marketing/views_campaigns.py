"""Pages of campaigns: the list, the form (支行行长), a campaign with its progress, materials and
actions (activate, build the list, assign, close — each confirmed), its target list with
filters, reasons and cross-selling hints, and the materials with 风险合规's review."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from xindai.core.access import requires
from xindai.core.errors import DomainError, InvalidInput
from xindai.core.paging import page_of
from xindai.marketing import campaigns as services
from xindai.marketing import domain_campaigns as domain
from xindai.marketing.api_campaigns import filter_targets
from xindai.marketing.crosssell import cross_sell_many
from xindai.marketing.models import (
    Campaign,
    CampaignStatus,
    MaterialKind,
    ReviewStatus,
    Scenario,
    TargetStatus,
)
from xindai.org.models import User
from xindai.products.models import LoanProduct
from xindai.scoring.models import Grade, StockCustomer

KIND_CHOICES = list(domain.KIND_TEXT.items())
HOLDING_CHOICES = list(domain.HOLDING_TEXT.items())


def _villages(user: Any) -> list[tuple[str, str]]:
    from xindai.org.scope import visible

    found = visible(StockCustomer.objects.exclude(village_code=""), user, unit_field="org_unit")
    return list(
        found.values_list("village_code", "village_name").distinct().order_by("village_code")
    )


def rules_text(rules: dict[str, Any]) -> list[str]:
    """The rules as plain Chinese lines."""
    lines = []
    if rules.get("grades"):
        lines.append(gettext("客户等级：") + "、".join(rules["grades"]))
    if rules.get("min_propensity") not in (None, ""):
        lines.append(gettext("借款意愿不低于 ") + f"{float(rules['min_propensity']):.0%}")
    if rules.get("min_points") not in (None, ""):
        lines.append(gettext("信用评分不低于 ") + str(rules["min_points"]))
    if rules.get("max_points") not in (None, ""):
        lines.append(gettext("信用评分不高于 ") + str(rules["max_points"]))
    if rules.get("kinds"):
        lines.append(
            gettext("客户类型：") + "、".join(domain.KIND_TEXT.get(k, k) for k in rules["kinds"])
        )
    if rules.get("village_codes"):
        names = dict(
            StockCustomer.objects.filter(village_code__in=rules["village_codes"])
            .values_list("village_code", "village_name")
            .distinct()
        )
        lines.append(
            gettext("所在村：") + "、".join(names.get(c, c) for c in rules["village_codes"])
        )
    if rules.get("industry_codes"):
        lines.append(gettext("行业代码：") + "、".join(rules["industry_codes"]))
    for key, label in (("holdings_required", "已办理："), ("holdings_absent", "未办理：")):
        if rules.get(key):
            lines.append(
                gettext(label) + "、".join(domain.HOLDING_TEXT.get(p, p) for p in rules[key])
            )
    if rules.get("as_of"):
        lines.append(gettext("评分日期：") + rules["as_of"])
    return lines


def _form_data(post: Any) -> dict[str, Any]:
    propensity = post.get("min_propensity_pct", "").strip()
    try:
        low: Any = str(Decimal(propensity) / 100) if propensity else ""
    except ArithmeticError:
        low = "x"
    return {
        "name": post.get("name", ""),
        "scenario": post.get("scenario", ""),
        "org_unit": post.get("org_unit") or None,
        "owner": post.get("owner") or None,
        "starts_on": post.get("starts_on", ""),
        "ends_on": post.get("ends_on", ""),
        "goal_contacts": post.get("goal_contacts", ""),
        "goal_applications": post.get("goal_applications", ""),
        "goal_amount_wan": post.get("goal_amount_wan", ""),
        "description": post.get("description", ""),
        "products": post.getlist("products"),
        "rules": {
            "grades": post.getlist("grades"),
            "min_propensity": low,
            "min_points": post.get("min_points", "").strip(),
            "max_points": post.get("max_points", "").strip(),
            "kinds": post.getlist("kinds"),
            "village_codes": post.getlist("village_codes"),
            "industry_codes": post.get("industry_codes", ""),
            "holdings_required": post.getlist("holdings_required"),
            "holdings_absent": post.getlist("holdings_absent"),
        },
    }


def _initial(campaign: Campaign | None, user: Any) -> dict[str, Any]:
    if campaign is None:
        today = dt.date.today()
        return {
            "scenario": "",
            "org_unit": getattr(user, "org_unit_id", None),
            "owner": user.pk,
            "starts_on": today.isoformat(),
            "ends_on": (today + dt.timedelta(days=90)).isoformat(),
            "rules": {},
            "products": [],
        }
    rules = campaign.rules
    return {
        "name": campaign.name,
        "scenario": campaign.scenario,
        "org_unit": campaign.org_unit_id,
        "owner": campaign.owner_id,
        "starts_on": campaign.starts_on.isoformat(),
        "ends_on": campaign.ends_on.isoformat(),
        "goal_contacts": campaign.goal_contacts,
        "goal_applications": campaign.goal_applications,
        "goal_amount_wan": Decimal(campaign.goal_amount_fen) / 1_000_000,
        "description": campaign.description,
        "products": [p.pk for p in campaign.products.all()],
        "rules": rules,
        "min_propensity_pct": (
            round(float(rules["min_propensity"]) * 100, 1)
            if rules.get("min_propensity") not in (None, "")
            else ""
        ),
    }


def _form(
    request: HttpRequest,
    campaign: Campaign | None,
    values: dict[str, Any],
    errors: dict[str, Any] | None = None,
) -> HttpResponse:
    units = services.visible_units(request.user)
    context = {
        "campaign": campaign,
        "values": values,
        "errors": errors or {},
        "scenarios": Scenario.choices,
        "units": units,
        "owners": User.objects.filter(org_unit__in=units, is_active=True).order_by("username"),
        "products": LoanProduct.objects.filter(is_active=True).order_by("code"),
        "grades": Grade.choices,
        "kinds": KIND_CHOICES,
        "holdings": HOLDING_CHOICES,
        "villages": _villages(request.user),
    }
    return render(request, "marketing/campaigns/form.html", context, status=422 if errors else 200)


def _posted_values(request: HttpRequest) -> dict[str, Any]:
    data = _form_data(request.POST)
    return data | {
        "min_propensity_pct": request.POST.get("min_propensity_pct", ""),
        "products": [int(p) for p in data["products"] if p.isdigit()],
        "rules": data["rules"]
        | {"industry_codes": [c.strip() for c in data["rules"]["industry_codes"].split(",")]},
    }


@requires(services.VIEW_CAMPAIGNS)
def campaign_list(request: HttpRequest) -> HttpResponse:
    found = services.visible_campaigns(request.user)
    status = request.GET.get("status", "")
    scenario = request.GET.get("scenario", "")
    if status in CampaignStatus.values:
        found = found.filter(status=status)
    if scenario in Scenario.values:
        found = found.filter(scenario=scenario)
    context = {
        "page": page_of(found, request.GET.get("page")),
        "status": status,
        "scenario": scenario,
        "statuses": CampaignStatus.choices,
        "scenarios": Scenario.choices,
        "may_manage": request.user.has_perm(services.MANAGE),
    }
    return render(request, "marketing/campaigns/list.html", context)


@requires(services.MANAGE)
def campaign_new(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            campaign = services.create_campaign(request.user, _form_data(request.POST))
        except DomainError as exc:
            messages.error(request, exc.message)
            return _form(request, None, _posted_values(request), getattr(exc, "details", {}))
        messages.success(request, gettext("已创建营销活动，设置好规则后即可生成名单"))
        return redirect("marketing:campaign", campaign.pk)
    return _form(request, None, _initial(None, request.user))


@requires(services.MANAGE)
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _get(request, pk)
    if request.method == "POST":
        try:
            services.update_campaign(request.user, campaign, _form_data(request.POST))
        except DomainError as exc:
            messages.error(request, exc.message)
            return _form(request, campaign, _posted_values(request), getattr(exc, "details", {}))
        messages.success(request, gettext("已保存营销活动"))
        return redirect("marketing:campaign", campaign.pk)
    return _form(request, campaign, _initial(campaign, request.user))


def _get(request: HttpRequest, pk: int) -> Campaign:
    try:
        return services.get_campaign(request.user, pk)
    except DomainError:
        from django.http import Http404

        raise Http404 from None


@requires(services.VIEW_CAMPAIGNS)
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _get(request, pk)
    progress = services.progress(campaign)
    context = {
        "campaign": campaign,
        "rules": rules_text(campaign.rules),
        "progress": progress,
        "statuses": [(v, label, progress["counts"].get(v, 0)) for v, label in TargetStatus.choices],
        "goal_amount_wan": Decimal(campaign.goal_amount_fen) / 1_000_000,
        "approved": services.approved_materials(campaign),
        "materials": campaign.materials.select_related("submitted_by"),
        "may_manage": request.user.has_perm(services.MANAGE)
        and campaign.org_unit.path.startswith(
            getattr(getattr(request.user, "org_unit", None), "path", "\0")
        ),
        "may_submit": request.user.has_perm(services.ADD_MATERIAL),
        "build": request.session.pop(f"campaign-build-{campaign.pk}", None),
    }
    return render(request, "marketing/campaigns/detail.html", context)


@requires(services.MANAGE)
@require_POST
def campaign_action(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _get(request, pk)
    action = request.POST.get("action")
    try:
        if action == "activate":
            services.activate(request.user, campaign)
            messages.success(request, gettext("活动已启动"))
        elif action == "close":
            services.close(request.user, campaign)
            messages.success(request, gettext("活动已结束"))
        elif action == "build":
            result = services.build_targets(campaign, request.user)
            request.session[f"campaign-build-{campaign.pk}"] = {
                "added": result.added,
                "skipped": services.skip_labels(result.skipped),
                "as_of": result.as_of.isoformat() if result.as_of else "",
            }
            messages.success(request, gettext("名单已生成：新增 %(n)s 户") % {"n": result.added})
        elif action == "assign":
            assigned, left = services.assign_targets(campaign, request.user)
            text = gettext("已分派 %(n)s 户") % {"n": assigned}
            if left:
                text += gettext("；%(n)s 户因所在网点无客户经理或已满额未分派") % {"n": left}
            messages.success(request, text)
        else:
            raise InvalidInput(gettext("未知操作"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("marketing:campaign", campaign.pk)


@requires(services.VIEW_TARGETS)
def campaign_targets(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _get(request, pk)

    class F:
        status = request.GET.get("status", "")
        grade = request.GET.get("grade", "")
        village = request.GET.get("village", "")
        manager = int(request.GET["manager"]) if request.GET.get("manager", "").isdigit() else None
        q = request.GET.get("q", "").strip()

    mine = services.visible_targets(request.user).filter(campaign=campaign)
    page = page_of(
        filter_targets(mine, F).order_by("grade", "-propensity", "pk"), request.GET.get("page")
    )
    rows = list(page.object_list)
    hints = cross_sell_many(
        [t.customer for t in rows],
        {t.customer_id: t.grade for t in rows},
        campaign.rules.get("as_of") and dt.date.fromisoformat(campaign.rules["as_of"]),
    )
    may_manage = request.user.has_perm(services.MANAGE)
    managers = (
        services.managers_of(
            list(services.visible_units(request.user).values_list("pk", flat=True))
        )
        if may_manage
        else User.objects.none()
    )
    context = {
        "campaign": campaign,
        "page": page,
        "rows": [(t, hints.get(t.customer_id, [])[:2]) for t in rows],
        "filters": {
            "status": F.status,
            "grade": F.grade,
            "village": F.village,
            "manager": F.manager,
            "q": F.q,
        },
        "statuses": TargetStatus.choices,
        "grades": Grade.choices,
        "villages": sorted(
            set(mine.values_list("village_code", "customer__village_name").distinct())
        ),
        "managers": managers,
        "may_manage": may_manage,
        "any_target": mine.exists(),
    }
    return render(request, "marketing/campaigns/targets.html", context)


@requires(services.MANAGE)
@require_POST
def target_reassign(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(services.visible_targets(request.user), pk=pk)
    manager = User.objects.filter(pk=request.POST.get("manager") or 0).first()
    try:
        if manager is None:
            raise InvalidInput(gettext("请选择客户经理"))
        services.reassign(request.user, target, manager)
        messages.success(
            request,
            gettext("已将 %(name)s 改派给 %(manager)s")
            % {"name": target.customer.name, "manager": str(manager)},
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("marketing:campaign_targets", target.campaign_id)


@requires(services.VIEW_MATERIALS)
def material_list(request: HttpRequest) -> HttpResponse:
    found = services.visible_materials(request.user)
    status = request.GET.get("status", "")
    if status in ReviewStatus.values:
        found = found.filter(status=status)
    values: dict[str, Any] = {"campaign": request.GET.get("campaign", ""), "loan": True}
    errors: dict[str, Any] = {}
    status_code = 200
    if request.method == "POST":
        if not request.user.has_perm(services.ADD_MATERIAL):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied(services.ADD_MATERIAL)
        data: dict[str, Any] = {
            key: request.POST.get(key, "")
            for key in ("campaign", "kind", "title", "body", "annual_rate_pct")
        }
        rate = data.pop("annual_rate_pct").strip()
        try:
            data["annual_rate"] = str(Decimal(rate) / 100) if rate else ""
        except ArithmeticError:
            data["annual_rate"] = "x"
        data["loan"] = bool(request.POST.get("loan"))
        try:
            material = services.submit_material(request.user, data)
        except DomainError as exc:
            messages.error(request, exc.message)
            values = data | {"annual_rate_pct": rate}
            errors = getattr(exc, "details", {}) or {}
            status_code = 422
        else:
            if material.findings:
                messages.warning(request, gettext("已提交，自动检查发现问题，请修改后重新提交"))
            else:
                messages.success(request, gettext("已提交风险合规审查"))
            return redirect("marketing:material", material.pk)
    context = {
        "page": page_of(found, request.GET.get("page")),
        "status": status,
        "statuses": ReviewStatus.choices,
        "kinds": MaterialKind.choices,
        "campaigns": services.visible_campaigns(request.user).exclude(status=CampaignStatus.CLOSED),
        "values": values,
        "errors": errors,
        "may_submit": request.user.has_perm(services.ADD_MATERIAL),
    }
    return render(request, "marketing/campaigns/materials.html", context, status=status_code)


@requires(services.VIEW_MATERIALS)
def material_detail(request: HttpRequest, pk: int) -> HttpResponse:
    material = get_object_or_404(services.visible_materials(request.user), pk=pk)
    if request.method == "POST":
        if not request.user.has_perm(services.REVIEW):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied(services.REVIEW)
        decision = request.POST.get("decision")
        try:
            if decision not in ("approve", "reject"):
                raise InvalidInput(gettext("请选择通过或退回"))
            services.review_material(
                request.user, material, decision == "approve", request.POST.get("note", "")
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                gettext("审查通过，客户经理可使用该材料")
                if decision == "approve"
                else gettext("已退回"),
            )
            return redirect("marketing:material", material.pk)
    context = {
        "material": material,
        "rate_pct": material.annual_rate * 100 if material.annual_rate is not None else None,
        "may_review": request.user.has_perm(services.REVIEW)
        and material.status == ReviewStatus.PENDING
        and material.submitted_by_id != request.user.pk,
    }
    return render(request, "marketing/campaigns/material.html", context)
