"""REST API of the deposit accounts (`/api/v1/deposits`): the accounts in the caller's scope
(numbers masked, balances in yuan), one account's movements, and the teller's cash in and cash
out with an ``Idempotency-Key`` header (a retry with the same key returns the first movement
and moves nothing; 409 ``insufficient_funds`` when a withdrawal exceeds the balance)."""

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from xindai.api import requires
from xindai.core.schemas import PageQuery, paged
from xindai.deposits import services
from xindai.deposits.models import DepositAccount, DepositMovement
from xindai.ledger.domain import fen_text

router = Router(tags=["deposits"])


class AccountFilter(PageQuery):
    q: str = Field("", description="客户名称（包含）或账号末几位")


class CashIn(Schema):
    amount: str = Field(description="金额（元），最多两位小数", examples=["500.00"])
    memo: str = Field("", description="摘要")
    idempotency_key: str = Field("", description="幂等键（也可用 Idempotency-Key 请求头）")


def _account(found: DepositAccount) -> dict[str, Any]:
    return {
        "id": found.pk,
        "number": services.masked(found.number),
        "customer": found.customer.name,
        "customer_id": found.customer_id,
        "balance": fen_text(found.balance_fen),
        "opened_on": found.opened_on.isoformat(),
        "is_active": found.is_active,
    }


def _movement(found: DepositMovement) -> dict[str, Any]:
    return {
        "id": found.pk,
        "business_date": found.business_date.isoformat(),
        "kind": found.kind,
        "kind_label": found.get_kind_display(),
        "amount": fen_text(found.amount_fen),
        "balance_after": fen_text(found.balance_after_fen),
        "memo": found.memo,
    }


@router.get("", auth=requires(services.VIEW), summary="存款账户列表")
def accounts(request: HttpRequest, filters: Query[AccountFilter]) -> dict[str, Any]:
    found = services.visible_accounts(request.user)
    if filters.q:
        found = found.filter(customer__name__icontains=filters.q) | found.filter(
            number__endswith=filters.q
        )
    result = paged(found.order_by("number"), filters)
    result["items"] = [_account(a) for a in result["items"]]
    return result


@router.get("/{pk}", auth=requires(services.VIEW), summary="存款账户及交易明细")
def account(request: HttpRequest, pk: int, page: Query[PageQuery]) -> dict[str, Any]:
    found = get_object_or_404(services.visible_accounts(request.user), pk=pk)
    movements = paged(found.movements.order_by("-pk"), page)
    movements["items"] = [_movement(m) for m in movements["items"]]
    return _account(found) | {"movements": movements}


def _cash(request: HttpRequest, pk: int, direction: str, body: CashIn) -> Any:
    found = get_object_or_404(services.visible_accounts(request.user), pk=pk)
    key = request.headers.get("Idempotency-Key") or body.idempotency_key
    data = body.dict(exclude={"idempotency_key"})
    movement, created = services.cash(request.user, found, direction, data, key)
    return Status(201 if created else 200, _movement(movement) | {"created": created})


@router.post(
    "/{pk}/cash-in",
    response={200: dict[str, Any], 201: dict[str, Any]},
    auth=requires(services.TELLER),
    summary="现金存入",
)
def cash_in(request: HttpRequest, pk: int, body: CashIn) -> Any:
    """存入: Dr 300101 清算资金往来 / Cr 201101 吸收存款, once per ``Idempotency-Key``."""
    return _cash(request, pk, "in", body)


@router.post(
    "/{pk}/cash-out",
    response={200: dict[str, Any], 201: dict[str, Any]},
    auth=requires(services.TELLER),
    summary="现金支取",
)
def cash_out(request: HttpRequest, pk: int, body: CashIn) -> Any:
    """支取: Dr 201101 / Cr 300101, once per key; refused beyond the balance."""
    return _cash(request, pk, "out", body)
