"""REST API of the vault app (`/api/v1/vault`): registration of an approved application's
mortgages and pledges, receiving certificates and pledged items into the vault, the two-step
release, the vault register, the off-balance-sheet list and the reconciliation.

Records are looked up in the caller's scope (another branch's is a 404); the services check
the permission and the rules (409 ``vault_refused`` with every reason, 422 for bad input)."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from xindai.api import requires
from xindai.core.schemas import PageQuery, paged
from xindai.credit import queries as credit_queries
from xindai.vault import presenters, queries, services

router = Router(tags=["vault"])

VIEW_REGISTRATION = "vault.view_registration"
VIEW_ITEMS = "vault.view_vaultitem"


class RegistrationIn(Schema):
    registry: str = Field(description="登记机关", examples=["多福县不动产登记中心"])
    registered_on: dt.date = Field(description="登记日期（不能晚于会计日期）")
    certificate_no: str = Field(description="他项权证号/不动产登记证明号")
    secured_amount: str = Field(description="担保债权金额（元）", examples=["100000.00"])


class ReceiveIn(Schema):
    kind: str = Field("certificate", description="certificate 他项权证 / pledged_item 质物 / other")
    description: str = Field("", description="物品名称（留空自动生成）")
    value: str | None = Field(None, description="表外登记金额（元），留空按担保债权金额")


class ReleaseIn(Schema):
    reason: str = Field(description="出库事由")
    acknowledge: bool = Field(False, description="贷款未结清仍申请出库（将被标记）")


class DecisionIn(Schema):
    note: str = Field("", description="审批意见（驳回时必填）")


class ItemFilter(PageQuery):
    q: str = Field("", description="入库编号、申请编号、客户名称、物品名称或权证号（包含）")
    status: str = Field("", description="in 在库 / out 已出库")
    kind: str = Field("", description="certificate / pledged_item / other")
    unit: str = Field("", description="经办机构代码")
    pending: bool = Field(False, description="只看有待审批出库申请的")


class OffBalanceFilter(PageQuery):
    q: str = ""
    kind: str = ""
    unit: str = ""


def _criteria(filters: Schema, *names: str) -> dict[str, Any]:
    return filters.dict(include=set(names))


@router.get(
    "/applications/{application_id}",
    response=dict[str, Any],
    summary="申请的押品、抵质押登记与入库情况",
    auth=requires(VIEW_REGISTRATION),
)
def application_panel(request: HttpRequest, application_id: int) -> dict[str, Any]:
    application = credit_queries.application_for(request.user, application_id)
    rows = []
    for row in queries.panel(application):
        registration = row["registration"]
        rows.append(
            {
                "collateral_id": row["collateral"].pk,
                "kind": row["collateral"].kind,
                "description": row["collateral"].description,
                "estimated_value": f"{row['collateral'].estimated_value:.2f}",
                "registration": presenters.registration_json(registration)
                if registration
                else None,
                "items": [presenters.item_json(i) for i in row["items"]],
            }
        )
    return {"application_id": application.pk, "number": application.number, "collateral": rows}


@router.post(
    "/applications/{application_id}/collateral/{collateral_id}/registration",
    response={201: dict[str, Any]},
    summary="办理抵押/质押登记（每件押品一次）",
    auth=requires("vault.add_registration"),
)
def register(
    request: HttpRequest, application_id: int, collateral_id: int, body: RegistrationIn
) -> Status[dict[str, Any]]:
    application = credit_queries.application_for(request.user, application_id)
    collateral = get_object_or_404(application.collateral, pk=collateral_id)
    registration = services.register(request.user, collateral, body.dict())
    return Status(201, presenters.registration_json(registration))


@router.post(
    "/registrations/{registration_id}/items",
    response={201: dict[str, Any]},
    summary="他项权证/质物入库（编号 KF<年><序号>，记入表外登记）",
    auth=requires("vault.keep_vault"),
)
def receive(request: HttpRequest, registration_id: int, body: ReceiveIn) -> Status[dict[str, Any]]:
    registration = queries.registration_for(request.user, registration_id)
    data = body.dict() | {"value": body.value or ""}
    item = services.receive(request.user, registration, data)
    return Status(201, presenters.item_json(item, movements=True))


@router.get(
    "/items",
    response=dict[str, Any],
    summary="库房登记簿（分页、筛选）",
    auth=requires(VIEW_ITEMS),
)
def list_items(request: HttpRequest, filters: Query[ItemFilter]) -> dict[str, Any]:
    criteria = _criteria(filters, "q", "status", "kind", "unit", "pending")
    page = paged(queries.items_for(request.user, **criteria), filters)
    return page | {"items": [presenters.item_json(i) for i in page["items"]]}


@router.get(
    "/items/{item_id}",
    response=dict[str, Any],
    summary="库房物品及其出入库记录",
    auth=requires(VIEW_ITEMS),
)
def get_item(request: HttpRequest, item_id: int) -> dict[str, Any]:
    return presenters.item_json(queries.item_for(request.user, item_id), movements=True)


@router.post(
    "/items/{item_id}/release-requests",
    response={201: dict[str, Any]},
    summary="申请出库（须另一人审批后才出库）",
    auth=requires("vault.keep_vault"),
)
def request_release(request: HttpRequest, item_id: int, body: ReleaseIn) -> Status[dict[str, Any]]:
    item = queries.item_for(request.user, item_id)
    movement = services.request_release(request.user, item, body.dict())
    return Status(201, presenters.movement_json(movement))


@router.post(
    "/movements/{movement_id}/approve",
    response=dict[str, Any],
    summary="审批同意出库（审批人不能是申请人）",
    auth=requires("vault.approve_release"),
)
def approve_release(request: HttpRequest, movement_id: int, body: DecisionIn) -> dict[str, Any]:
    movement = queries.movement_for(request.user, movement_id)
    return presenters.movement_json(services.approve_release(request.user, movement, body.dict()))


@router.post(
    "/movements/{movement_id}/refuse",
    response=dict[str, Any],
    summary="驳回出库申请（须写明理由）",
    auth=requires("vault.approve_release"),
)
def refuse_release(request: HttpRequest, movement_id: int, body: DecisionIn) -> dict[str, Any]:
    movement = queries.movement_for(request.user, movement_id)
    return presenters.movement_json(services.refuse_release(request.user, movement, body.dict()))


@router.get(
    "/off-balance",
    response=dict[str, Any],
    summary="表外登记清单：在库物品及按类别、按机构的合计（元、万元）",
    auth=requires(VIEW_ITEMS),
)
def off_balance(request: HttpRequest, filters: Query[OffBalanceFilter]) -> dict[str, Any]:
    found = queries.items_for(request.user, status="in", **_criteria(filters, "q", "kind", "unit"))
    page = paged(found, filters)
    return (
        page
        | {"items": [presenters.item_json(i) for i in page["items"]]}
        | {"totals": presenters.totals_json(queries.totals(found))}
    )


@router.get(
    "/reconciliation",
    response=dict[str, Any],
    summary="库房对账：登记、在库物品、表外余额与业务状态逐项核对",
    auth=requires(VIEW_ITEMS),
)
def reconciliation(request: HttpRequest) -> dict[str, Any]:
    return presenters.reconciliation_json(queries.reconcile(request.user))
