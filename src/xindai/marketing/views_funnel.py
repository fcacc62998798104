"""The page of 定量营销管理: the marketing funnel with filters (campaign, grouping, period), the
funnel and weekly trend charts, the managers' ranking, the breakdown table, and the Excel
export of the current view."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xindai.core.access import requires
from xindai.core.errors import DomainError
from xindai.marketing import funnel as service

VIEW_FUNNEL = "marketing.view_funnel"


def _query(request: HttpRequest) -> dict[str, Any]:
    return {
        "by": service.parse_by(request.GET.get("by")),
        "campaign": service.campaign_of(request.GET.get("campaign")),
        "start": service.parse_date(request.GET.get("start"), "start"),
        "end": service.parse_date(request.GET.get("end"), "end"),
    }


@requires(VIEW_FUNNEL)
def funnel(request: HttpRequest) -> HttpResponse:
    try:
        query = _query(request)
        found = service.funnel(request.user, **query)
    except DomainError as error:
        messages.error(request, error.message)
        query = {"by": "campaign", "campaign": None, "start": None, "end": None}
        found = service.funnel(request.user, **query)
    ranks = service.ranking(
        request.user, campaign=query["campaign"], start=query["start"], end=query["end"]
    )
    weekly = service.trend(
        request.user, campaign=query["campaign"], start=query["start"], end=query["end"]
    )
    context = {
        "found": found,
        "query": query,
        "params": request.GET.urlencode(),
        "groupings": [(key, str(label)) for key, label in service.GROUPING_LABELS.items()],
        "campaigns": service.visible_campaigns(request.user),
        "ranks": ranks,
        "charts": service.chart_data(found, weekly),
        "stages": list(service.STAGE_NAMES.items()),
        "column": str(service.GROUPING_LABELS[found.by]),
    }
    return render(request, "marketing/funnel/funnel.html", context)


@requires(VIEW_FUNNEL)
def funnel_export(request: HttpRequest) -> HttpResponse:
    try:
        query = _query(request)
        content, name = service.export(request.user, **query)
    except DomainError as error:
        return HttpResponse(error.message, status=error.status, content_type="text/plain")
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
