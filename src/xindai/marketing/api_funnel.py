"""定量营销管理 over REST (``/api/v1/funnel``): the marketing funnel by campaign, manager,
branch or village with conversion rates, amounts and the campaign's goals; the managers'
ranking; the weekly trend; the Excel export of the same view (recorded in the audit log).

Bad input (a grouping that is not one, a date that is not one, an unknown campaign) answers
400 ``{code, message, details}``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router

from xindai.api import requires
from xindai.marketing import funnel as service

router = Router(tags=["精准营销"])

VIEW_FUNNEL = "marketing.view_funnel"


def _query(
    by: str | None, campaign: str | None, start: str | None, end: str | None
) -> dict[str, Any]:
    return {
        "by": service.parse_by(by),
        "campaign": service.campaign_of(campaign),
        "start": service.parse_date(start, "start"),
        "end": service.parse_date(end, "end"),
    }


def _period(query: dict[str, Any]) -> dict[str, Any]:
    return {"campaign": query["campaign"], "start": query["start"], "end": query["end"]}


@router.get(
    "",
    response=dict[str, Any],
    summary="营销漏斗（按活动、客户经理、支行或村分组，含转化率、金额和活动目标完成率）",
    auth=requires(VIEW_FUNNEL),
)
def get_funnel(
    request: HttpRequest,
    by: str | None = None,
    campaign: str | None = None,
    start: str | None = None,
    end: str | None = None,
) -> dict[str, Any]:
    query = _query(by, campaign, start, end)
    found = service.funnel(request.user, **query)
    return {
        "by": found.by,
        "campaign": found.campaign.pk if found.campaign else None,
        "start": query["start"].isoformat() if query["start"] else None,
        "end": query["end"].isoformat() if query["end"] else None,
        "rows": [row.as_dict() for row in found.rows],
        "total": found.total.as_dict(),
    }


@router.get(
    "/ranking",
    response=dict[str, Any],
    summary="客户经理排名（放款金额、申请笔数、接触次数）",
    auth=requires(VIEW_FUNNEL),
)
def get_ranking(
    request: HttpRequest,
    campaign: str | None = None,
    start: str | None = None,
    end: str | None = None,
) -> dict[str, Any]:
    query = _query(None, campaign, start, end)
    rows = service.ranking(request.user, **_period(query))
    return {"items": [{"rank": n, **row.as_dict()} for n, row in enumerate(rows, start=1)]}


@router.get(
    "/trend",
    response=dict[str, Any],
    summary="周趋势（接触、商机、申请、放款金额）",
    auth=requires(VIEW_FUNNEL),
)
def get_trend(
    request: HttpRequest,
    campaign: str | None = None,
    start: str | None = None,
    end: str | None = None,
) -> dict[str, Any]:
    query = _query(None, campaign, start, end)
    return service.trend(request.user, **_period(query))


@router.get(
    "/export",
    summary="导出当前漏斗视图（Excel）",
    auth=requires(VIEW_FUNNEL),
)
def export_funnel(
    request: HttpRequest,
    by: str | None = None,
    campaign: str | None = None,
    start: str | None = None,
    end: str | None = None,
) -> HttpResponse:
    content, name = service.export(request.user, **_query(by, campaign, start, end))
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
