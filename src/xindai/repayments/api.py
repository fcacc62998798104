"""Repayments over REST (``/api/v1/repayments``): what a loan owes today (quote and payoff),
taking a repayment exactly once (``Idempotency-Key`` header), reading repayments, and the
reversal (冲正) request and its approval by a second person.

A repayment answers 201; the same request again (same key) 200 with the same repayment; the
key reused for another payment 409 ``idempotency_key_reused``; a rule that refuses (more than
is due from the deposit account, a payoff of the wrong amount, …) 409 ``repayment_refused``;
bad input 422.
"""

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from xindai.api import requires
from xindai.core.schemas import Paged, PageQuery, paged
from xindai.ledger.domain import fen_text
from xindai.repayments import services
from xindai.repayments.models import Repayment, Reversal

router = Router(tags=["repayments"])


class RepaymentIn(Schema):
    amount: str = Field(description="还款金额（元）", examples=["8530.99"])
    source: str = Field(description="资金来源：cash 现金 / deposit 还款账户扣款")
    prepayment: str | None = Field(
        None,
        description="提前还款方式：shorter_term 缩短期限 / lower_installment 减少月供 / "
        "payoff 全部结清；不填为按期或部分还款",
    )
    idempotency_key: str = Field(
        "", description="请求幂等键（也可用 Idempotency-Key 请求头）：重试时用同一个"
    )


class QuoteOut(Schema):
    loan_id: int
    loan_number: str
    as_of: str = Field(description="会计日期")
    due: dict[str, str] = Field(description="今日应还（元），按扣款顺序：罚息、复利、逾期利息…")
    due_total: str
    principal_not_due: str
    interest_to_date: str = Field(description="当期利息计至今日（算头不算尾）")
    penalty_to_date: str
    compound_to_date: str
    payoff: str = Field(description="全部结清金额（元）")
    prepay_floor: str = Field(description="提前还款金额须超过此数（应还款项与当期利息）")


class RepaymentOut(Schema):
    id: int
    loan_id: int
    loan_number: str
    business_date: str
    amount: str
    source: str
    kind: str
    status: str
    allocation: dict[str, str] = Field(description="分配明细（元）")
    idempotency_key: str
    created_by: str
    entries: list[str] = Field(description="会计分录业务键")


class ReversalIn(Schema):
    reason: str = Field(description="冲正原因")


class DecisionIn(Schema):
    note: str = Field("", description="审批意见")


class ReversalOut(Schema):
    id: int
    repayment_id: int
    reason: str
    status: str
    requested_by: str
    approved_by: str | None
    note: str


class RepaymentFilter(PageQuery):
    loan: int | None = Field(None, description="贷款账户 id")


def _name(user: Any) -> str:
    return user.get_full_name() or user.username


def repayment_of(made: Repayment) -> dict[str, Any]:
    return {
        "id": made.pk,
        "loan_id": made.loan_id,
        "loan_number": made.loan.number,
        "business_date": made.business_date.isoformat(),
        "amount": fen_text(made.amount_fen),
        "source": made.source,
        "kind": made.kind,
        "status": made.status,
        "allocation": {part: fen_text(v) for part, v in made.allocation["parts"].items()},
        "idempotency_key": made.idempotency_key,
        "created_by": _name(made.created_by),
        "entries": made.entries,
    }


def reversal_of(reversal: Reversal) -> dict[str, Any]:
    return {
        "id": reversal.pk,
        "repayment_id": reversal.repayment_id,
        "reason": reversal.reason,
        "status": reversal.status,
        "requested_by": _name(reversal.requested_by),
        "approved_by": _name(reversal.approved_by) if reversal.approved_by else None,
        "note": reversal.note,
    }


def quote_of(loan: Any) -> dict[str, Any]:
    q = services.quote(loan)
    return {
        "loan_id": loan.pk,
        "loan_number": loan.number,
        "as_of": q.as_of.isoformat(),
        "due": {bucket: fen_text(v) for bucket, v in q.due.items()},
        "due_total": fen_text(q.due_total),
        "principal_not_due": fen_text(q.principal),
        "interest_to_date": fen_text(q.interest_to_date),
        "penalty_to_date": fen_text(q.penalty_to_date),
        "compound_to_date": fen_text(q.compound_to_date),
        "payoff": fen_text(q.payoff),
        "prepay_floor": fen_text(q.prepay_floor),
    }


@router.get(
    "/loans/{loan_id}/quote",
    response=QuoteOut,
    summary="今日应还与结清金额（含计至今日的利息、罚息、复利）",
    auth=requires(services.VIEW),
)
def get_quote(request: HttpRequest, loan_id: int) -> dict[str, Any]:
    return quote_of(services.loan_for(request.user, loan_id))


@router.post(
    "/loans/{loan_id}",
    response={200: RepaymentOut, 201: RepaymentOut},
    summary="还款（恰好一次：同一幂等键重试返回同一笔）",
    auth=requires(services.TAKE),
)
def take_repayment(request: HttpRequest, loan_id: int, body: RepaymentIn) -> Status[dict[str, Any]]:
    loan = services.loan_for(request.user, loan_id)
    key = request.headers.get("Idempotency-Key") or body.idempotency_key
    made, created = services.repay(
        request.user, loan, body.amount, body.source, key, prepayment=body.prepayment
    )
    return Status(201 if created else 200, repayment_of(made))


@router.get("", response=Paged[RepaymentOut], summary="还款记录", auth=requires(services.VIEW))
def list_repayments(request: HttpRequest, filters: Query[RepaymentFilter]) -> dict[str, Any]:
    found = services.visible_repayments(request.user).order_by("-pk")
    if filters.loan is not None:
        found = found.filter(loan_id=filters.loan)
    page = paged(found, filters)
    return page | {"items": [repayment_of(made) for made in page["items"]]}


@router.get(
    "/{repayment_id}", response=RepaymentOut, summary="还款详情", auth=requires(services.VIEW)
)
def get_repayment(request: HttpRequest, repayment_id: int) -> dict[str, Any]:
    made = get_object_or_404(services.visible_repayments(request.user), pk=repayment_id)
    return repayment_of(made)


@router.post(
    "/{repayment_id}/reversal",
    response={201: ReversalOut},
    summary="申请冲正（须另一人审批）",
    auth=requires(services.REQUEST),
)
def request_reversal(
    request: HttpRequest, repayment_id: int, body: ReversalIn
) -> Status[dict[str, Any]]:
    made = get_object_or_404(services.visible_repayments(request.user), pk=repayment_id)
    return Status(201, reversal_of(services.request_reversal(request.user, made, body.reason)))


def _reversal(request: HttpRequest, reversal_id: int) -> Reversal:
    return get_object_or_404(services.visible_reversals(request.user), pk=reversal_id)


@router.post(
    "/reversals/{reversal_id}/approve",
    response=ReversalOut,
    summary="审批冲正：恢复贷款各项余额，冲销分录与存款交易",
    auth=requires(services.APPROVE),
)
def approve_reversal(request: HttpRequest, reversal_id: int) -> dict[str, Any]:
    reversal = _reversal(request, reversal_id)
    return reversal_of(services.approve_reversal(request.user, reversal))


@router.post(
    "/reversals/{reversal_id}/reject",
    response=ReversalOut,
    summary="驳回冲正申请",
    auth=requires(services.APPROVE),
)
def reject_reversal(request: HttpRequest, reversal_id: int, body: DecisionIn) -> dict[str, Any]:
    reversal = _reversal(request, reversal_id)
    return reversal_of(services.reject_reversal(request.user, reversal, body.note))
