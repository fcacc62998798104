"""Pages of 整村授信: the rosters, importing a roster (with the template to download), a roster
with its households (factor points, rating, limit, decision), the rating weights, publishing,
the printable public list (公示) and its exports, the households' decisions, and the batch
conversion of accepted households into applications."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from xindai.core.access import requires
from xindai.core.errors import DomainError, InvalidInput
from xindai.core.paging import page_of
from xindai.customers.services import as_of_today
from xindai.marketing import village
from xindai.marketing.domain_village import FACTOR_LABELS, FACTORS
from xindai.marketing.models import (
    CreditRating,
    HouseholdDecision,
    RosterHousehold,
    RosterStatus,
    VillageRoster,
)

MAX_UPLOAD = 5 * 1024 * 1024


def _download(content: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@requires(village.VIEW)
def rosters(request: HttpRequest) -> HttpResponse:
    found = village.visible_rosters(request.user).order_by("-imported_at", "-pk")
    campaign, status = request.GET.get("campaign", ""), request.GET.get("status", "")
    if campaign.isdigit():
        found = found.filter(campaign_id=int(campaign))
    if status in RosterStatus.values:
        found = found.filter(status=status)
    campaigns = village.visible_campaigns(request.user).order_by("-starts_on", "-pk")
    context = {
        "page": page_of(found, request.GET.get("page")),
        "campaigns": campaigns,
        "importable": [c for c in campaigns if village.may_manage(request.user, c)],
        "statuses": RosterStatus.choices,
        "filters": {"campaign": campaign, "status": status},
    }
    return render(request, "marketing/village/rosters.html", context)


@requires(village.VIEW)
def roster_template(request: HttpRequest) -> HttpResponse:
    return _download(village.roster_template(), "整村授信花名册模板.xlsx", village.XLSX_TYPE)


@requires(village.IMPORT)
def roster_import(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(village.visible_campaigns(request.user), pk=pk)
    context: dict[str, Any] = {"campaign": campaign, "values": request.POST, "error": None}
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise InvalidInput(gettext("请选择花名册文件（CSV 或 XLSX）"))
            if (upload.size or 0) > MAX_UPLOAD:
                raise InvalidInput(gettext("文件超过 5 MB"))
            made = village.import_roster(
                request.user,
                campaign,
                village_code=request.POST.get("village_code", ""),
                village_name=request.POST.get("village_name", ""),
                file_name=upload.name or "roster.csv",
                content=upload.read(),
            )
        except DomainError as exc:
            context["error"] = exc
            context["row_errors"] = exc.details.get("rows", []) if exc.details else []
            return render(request, "marketing/village/import.html", context, status=exc.status)
        if not made.errors:
            messages.success(
                request, gettext("已导入 %(n)s 户并完成信用户评定") % {"n": made.imported}
            )
            return redirect("marketing:roster", made.roster.pk)
        context |= {"made": made, "row_errors": made.errors}
    return render(request, "marketing/village/import.html", context)


def _roster(request: HttpRequest, pk: int) -> VillageRoster:
    return get_object_or_404(village.visible_rosters(request.user), pk=pk)


def _household_rows(households: Any) -> list[dict[str, Any]]:
    return [{"h": h, "points": [village.factor_points(h)[k] for k in FACTORS]} for h in households]


@requires(village.VIEW)
def roster(request: HttpRequest, pk: int, error: DomainError | None = None) -> HttpResponse:
    found = _roster(request, pk)
    today = as_of_today()
    households = found.households.select_related("customer", "application").order_by("row")
    rating, decision = request.GET.get("rating", ""), request.GET.get("decision", "")
    if rating in CreditRating.values:
        households = households.filter(rating=rating)
    if decision in HouseholdDecision.values:
        households = households.filter(decision=decision)
    page = page_of(households, request.GET.get("page"), 50)
    totals = village.summary(found)
    weights = village.weights_of(found)
    context = {
        "roster": found,
        "page": page,
        "rows": _household_rows(page.object_list),
        "totals": totals,
        "rated_pct": (totals["rated_share"] * 100).quantize(Decimal("0.1")),
        "chart": {
            "labels": [str(label) for _v, label in CreditRating.choices],
            "counts": [totals["by_rating"][v] for v in CreditRating.values],
        },
        "factors": [(k, FACTOR_LABELS[k], weights[k]) for k in FACTORS],
        "ratings": CreditRating.choices,
        "decisions": HouseholdDecision.choices,
        "filters": {"rating": rating, "decision": decision},
        "may_manage": village.may_manage(request.user, found.campaign),
        "may_decide": village.may_decide(request.user, found),
        "in_period": village.in_period(found, today),
        "period_over": village.period_over(found, today),
        "today": today,
        "error": error,
    }
    return render(
        request, "marketing/village/roster.html", context, status=error.status if error else 200
    )


@requires(village.MANAGE)
@require_POST
def roster_weights(request: HttpRequest, pk: int) -> HttpResponse:
    found = _roster(request, pk)
    weights = {k: request.POST.get(k, "") for k in FACTORS}
    try:
        village.set_weights(request.user, found, weights)
    except DomainError as exc:
        return roster(request, pk, error=exc)
    messages.success(request, gettext("已按新权重重新评定全部农户"))
    return redirect("marketing:roster", pk)


@requires(village.MANAGE)
@require_POST
def roster_publish(request: HttpRequest, pk: int) -> HttpResponse:
    found = _roster(request, pk)
    try:
        from_day = dt.date.fromisoformat(request.POST.get("from_day", ""))
    except ValueError:
        return roster(request, pk, error=InvalidInput(gettext("请填写公示开始日期")))
    try:
        made = village.publish(request.user, found, from_day)
    except DomainError as exc:
        return roster(request, pk, error=exc)
    messages.success(
        request,
        gettext("已公示，公示期 %(start)s 至 %(end)s")
        % {"start": made.publish_from, "end": made.publish_until},
    )
    return redirect("marketing:roster", pk)


@requires(village.VIEW)
def roster_public(request: HttpRequest, pk: int) -> HttpResponse:
    found = _roster(request, pk)
    context = {"roster": found, "rows": village.public_rows(found)}
    return render(request, "marketing/village/public.html", context)


@requires(village.VIEW)
def roster_public_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    found = _roster(request, pk)
    name = f"{found.village_name}预授信公示名单"
    if fmt not in ("xlsx", "docx"):
        raise Http404(fmt)
    if fmt == "docx":
        return _download(village.public_docx(found), f"{name}.docx", village.DOCX_TYPE)
    return _download(village.public_xlsx(found), f"{name}.xlsx", village.XLSX_TYPE)


@requires(village.DECIDE)
@require_POST
def household_decision(request: HttpRequest, pk: int) -> HttpResponse:
    household = get_object_or_404(
        RosterHousehold.objects.select_related("roster").filter(
            roster__in=village.visible_rosters(request.user)
        ),
        pk=pk,
    )
    try:
        village.record_decision(
            request.user,
            household,
            request.POST.get("decision", ""),
            request.POST.get("objection", ""),
        )
    except DomainError as exc:
        return roster(request, household.roster_id, error=exc)
    messages.success(request, gettext("已登记 %(name)s 的意愿") % {"name": household.name})
    return redirect(f"{_roster_url(household.roster_id)}?{request.POST.get('back', '')}")


def _roster_url(pk: int) -> str:
    return reverse("marketing:roster", args=[pk])


@requires(village.MANAGE)
@require_POST
def roster_convert(request: HttpRequest, pk: int) -> HttpResponse:
    found = _roster(request, pk)
    try:
        result = village.convert_accepted(request.user, found)
    except DomainError as exc:
        return roster(request, pk, error=exc)
    context = {
        "roster": found,
        "result": result,
        "by_reason": sorted(result.skipped_by_reason().items(), key=lambda kv: -kv[1]),
    }
    return render(request, "marketing/village/converted.html", context)
