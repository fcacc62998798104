"""整村授信 over REST (``/api/v1/village-credit``): rosters (list, one with its totals, its
households), import of a roster file (multipart, CSV or XLSX), the rating weights, publishing
the list (公示), a household's decision or objection, and the batch conversion of accepted
households into credit applications.

Refusals by the rules (already published, period not over, ...) are 409 ``roster_refused``;
bad input 400 / 422; ID numbers and phones are masked."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from ninja import File, Form, Query, Router, Schema, UploadedFile
from ninja.responses import Status
from pydantic import Field

from xindai.api import requires
from xindai.core.errors import InvalidInput
from xindai.core.masking import mask_id_number, mask_phone
from xindai.core.schemas import Paged, PageQuery, paged
from xindai.ledger.domain import fen_text
from xindai.marketing import village
from xindai.marketing.models import RosterHousehold, VillageRoster

router = Router(tags=["整村授信"])

MAX_UPLOAD = 5 * 1024 * 1024


class RosterFilter(PageQuery):
    campaign: int | None = Field(None, description="营销活动 id")
    status: str = Field("", description="rated 已评定 / published 公示中 / closed 公示结束")


class HouseholdFilter(PageQuery):
    rating: str = Field("", description="excellent / good / fair / not_rated")
    decision: str = Field("", description="pending / accepted / declined / objected")


class RosterOut(Schema):
    id: int
    campaign_id: int
    campaign: str
    village_code: str
    village_name: str
    weights: dict[str, str]
    status: str
    status_label: str
    publish_from: dt.date | None
    publish_until: dt.date | None
    file_name: str
    households: int
    rated: int
    total_limit: str = Field(description="预授信总额（元）")
    by_rating: dict[str, int]
    by_decision: dict[str, int]


class HouseholdOut(Schema):
    id: int
    row: int
    name: str
    id_number: str = Field(description="已脱敏")
    phone: str = Field(description="已脱敏")
    members: int
    labourers: int
    assets: str
    net_income: str
    debts: str
    repayment_record: str
    village_evaluation: int
    existing_customer: bool
    factor_points: dict[str, int]
    score: str
    rating: str
    rating_label: str
    limit: str = Field(description="预授信额度（元）")
    rating_reasons: list[str]
    decision: str
    objection: str
    application_id: int | None


class RowError(Schema):
    row: int
    column: str
    value: str
    message: str


class ImportOut(Schema):
    roster: RosterOut
    imported: int
    errors: list[RowError]


class WeightsIn(Schema):
    members: Decimal
    assets: Decimal
    net_income: Decimal
    repayment: Decimal
    village: Decimal


class PublishIn(Schema):
    from_day: dt.date = Field(description="公示开始日期")


class DecisionIn(Schema):
    decision: str = Field(description="accepted 接受 / declined 放弃 / objected 公示异议")
    objection: str = ""


class Skipped(Schema):
    household_id: int
    name: str
    reason: str


class ConvertOut(Schema):
    created: int
    application_ids: list[int]
    skipped: list[Skipped]
    skipped_by_reason: dict[str, int]


def roster_of(r: VillageRoster) -> dict[str, Any]:
    totals = village.summary(r)
    return {
        "id": r.pk,
        "campaign_id": r.campaign_id,
        "campaign": r.campaign.name,
        "village_code": r.village_code,
        "village_name": r.village_name,
        "weights": {k: str(v) for k, v in village.weights_of(r).items()},
        "status": r.status,
        "status_label": r.get_status_display(),
        "publish_from": r.publish_from,
        "publish_until": r.publish_until,
        "file_name": r.file_name,
        "households": totals["households"],
        "rated": totals["rated"],
        "total_limit": f"{totals['total_limit']:.2f}",
        "by_rating": totals["by_rating"],
        "by_decision": totals["by_decision"],
    }


def household_of(h: RosterHousehold) -> dict[str, Any]:
    return {
        "id": h.pk,
        "row": h.row,
        "name": h.name,
        "id_number": mask_id_number(h.id_number),
        "phone": mask_phone(h.phone),
        "members": h.members,
        "labourers": h.labourers,
        "assets": fen_text(h.assets_fen),
        "net_income": fen_text(h.net_income_fen),
        "debts": fen_text(h.debts_fen),
        "repayment_record": h.repayment_record,
        "village_evaluation": h.village_evaluation,
        "existing_customer": h.customer_id is not None,
        "factor_points": village.factor_points(h),
        "score": f"{h.score:.2f}",
        "rating": h.rating,
        "rating_label": h.get_rating_display(),
        "limit": fen_text(h.limit_fen),
        "rating_reasons": h.rating_reasons,
        "decision": h.decision,
        "objection": h.objection,
        "application_id": h.application_id,
    }


def _roster(request: HttpRequest, roster_id: int) -> VillageRoster:
    return get_object_or_404(village.visible_rosters(request.user), pk=roster_id)


@router.get(
    "/rosters", response=Paged[RosterOut], summary="整村授信花名册", auth=requires(village.VIEW)
)
def list_rosters(request: HttpRequest, filters: Query[RosterFilter]) -> dict[str, Any]:
    found = village.visible_rosters(request.user).order_by("-imported_at", "-pk")
    if filters.campaign is not None:
        found = found.filter(campaign_id=filters.campaign)
    if filters.status:
        found = found.filter(status=filters.status)
    page = paged(found, filters)
    return page | {"items": [roster_of(r) for r in page["items"]]}


@router.get(
    "/rosters/{roster_id}",
    response=RosterOut,
    summary="花名册（含评定汇总）",
    auth=requires(village.VIEW),
)
def get_roster(request: HttpRequest, roster_id: int) -> dict[str, Any]:
    return roster_of(_roster(request, roster_id))


@router.get(
    "/rosters/{roster_id}/households",
    response=Paged[HouseholdOut],
    summary="花名册农户（评定得分、等级、预授信额度、农户意愿）",
    auth=requires(village.VIEW),
)
def list_households(
    request: HttpRequest, roster_id: int, filters: Query[HouseholdFilter]
) -> dict[str, Any]:
    found = _roster(request, roster_id).households.order_by("row")
    if filters.rating:
        found = found.filter(rating=filters.rating)
    if filters.decision:
        found = found.filter(decision=filters.decision)
    page = paged(found, filters)
    return page | {"items": [household_of(h) for h in page["items"]]}


@router.post(
    "/campaigns/{campaign_id}/rosters",
    response={201: ImportOut},
    summary="导入花名册（CSV 或 XLSX；公示前可重新导入替换）",
    auth=requires(village.IMPORT),
)
def import_roster(
    request: HttpRequest,
    campaign_id: int,
    file: File[UploadedFile],
    village_code: Form[str],
    village_name: Form[str],
) -> Status[dict[str, Any]]:
    campaign = get_object_or_404(village.visible_campaigns(request.user), pk=campaign_id)
    if (file.size or 0) > MAX_UPLOAD:
        raise InvalidInput(gettext("文件超过 5 MB"))
    made = village.import_roster(
        request.user,
        campaign,
        village_code=village_code,
        village_name=village_name,
        file_name=file.name or "roster.csv",
        content=file.read(),
    )
    body = {"roster": roster_of(made.roster), "imported": made.imported, "errors": made.errors}
    return Status(201, body)


@router.put(
    "/rosters/{roster_id}/weights",
    response=RosterOut,
    summary="调整评定权重（公示前；各项之和须为 1，全部农户重新评定）",
    auth=requires(village.MANAGE),
)
def set_weights(request: HttpRequest, roster_id: int, body: WeightsIn) -> dict[str, Any]:
    roster = village.set_weights(request.user, _roster(request, roster_id), body.dict())
    return roster_of(roster)


@router.post(
    "/rosters/{roster_id}/publish",
    response=RosterOut,
    summary="公示预授信名单（公示期按政策天数）",
    auth=requires(village.MANAGE),
)
def publish(request: HttpRequest, roster_id: int, body: PublishIn) -> dict[str, Any]:
    roster = village.publish(request.user, _roster(request, roster_id), body.from_day)
    return roster_of(roster)


@router.post(
    "/households/{household_id}/decision",
    response=HouseholdOut,
    summary="登记农户意愿（接受 / 放弃）或公示异议",
    auth=requires(village.DECIDE),
)
def decide(request: HttpRequest, household_id: int, body: DecisionIn) -> dict[str, Any]:
    rosters = village.visible_rosters(request.user)
    household = get_object_or_404(
        RosterHousehold.objects.select_related("roster", "roster__campaign").filter(
            roster__in=rosters
        ),
        pk=household_id,
    )
    made = village.record_decision(request.user, household, body.decision, body.objection)
    return household_of(made)


@router.post(
    "/rosters/{roster_id}/convert",
    response=ConvertOut,
    summary="批量转入申请（公示期满后；已转入的不重复）",
    auth=requires(village.MANAGE),
)
def convert(request: HttpRequest, roster_id: int) -> dict[str, Any]:
    result = village.convert_accepted(request.user, _roster(request, roster_id))
    return {
        "created": len(result.created),
        "application_ids": [h.application_id for h in result.created],
        "skipped": [
            {"household_id": h.pk, "name": h.name, "reason": reason} for h, reason in result.skipped
        ],
        "skipped_by_reason": result.skipped_by_reason(),
    }
