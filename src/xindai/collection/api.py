"""/api/v1/collection: cases, actions, limitation clocks, restructurings, write-offs, alerts
and the recovery dashboard's figures."""

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from xindai.api import requires
from xindai.core.masking import mask_id_number
from xindai.core.schemas import Paged, PageQuery, paged
from xindai.ledger.domain import fen_text
from xindai.org.models import User

from . import services
from .models import CaseStatus, CollectionAction, CollectionCase, Restructuring, WriteOff
from .views import dashboard_data

router = Router(tags=["不良清收"])


class CaseOut(Schema):
    id: int
    loan_id: int
    loan_number: str
    customer: str
    id_number: str = Field(description="证件号（脱敏）")
    opened_on: str
    opened_because: str
    officer: str | None
    status: str
    stage: str
    close_reason: str
    owed_at_opening: str = Field(description="立案时欠款（元）")
    recovered: str = Field(description="累计收回（元）")
    next_follow_up: str | None


class PartyOut(Schema):
    customer_id: int
    name: str
    role: str
    starts_on: str
    last_interruption: str | None
    expires_on: str = Field(description="诉讼时效届满日（未主张的保证人：保证期间届满日）")
    guarantee_ends_on: str | None
    asked_on: str | None
    alerted_on: str | None


class ActionOut(Schema):
    id: int
    kind: str
    business_date: str
    party: str | None
    outcome: str
    next_step: str
    follow_up_on: str | None
    acknowledged: bool
    amount: str


class CaseDetailOut(CaseOut):
    owed: dict[str, str] = Field(description="当前欠款（元），按科目")
    parties: list[PartyOut]
    actions: list[ActionOut]


class ActionIn(Schema):
    kind: str = Field(description="call/visit/notice/negotiation/litigation/enforcement/settlement")
    outcome: str
    party: int | None = Field(None, description="对象客户 id（借款人或保证人），默认借款人")
    next_step: str = ""
    follow_up_on: str | None = None
    acknowledged: bool = Field(False, description="债务人确认债务（电话、上门）/签收催收通知")
    amount: str = Field("", description="收回金额（元）；实际收到的钱")
    source: str = Field("cash", description="cash 现金 / deposit 还款账户")
    idempotency_key: str = ""


class AssignIn(Schema):
    officer: int


class CloseIn(Schema):
    reason: str = Field(description="repaid/settled/restructured/other")
    note: str = ""


class RestructuringIn(Schema):
    term_months: int
    annual_rate: str = Field(description="新执行年利率，如 0.05")
    repayment_method: str
    reason: str


class WriteOffIn(Schema):
    reason: str
    evidence: str = Field(description="核销依据：诉讼终结、债务人死亡/破产等")


class GuaranteeIn(Schema):
    ends_on: str = Field(description="合同约定的保证期间届满日 YYYY-MM-DD")
    reason: str = Field(description="依据（保证合同条款）")


class DecisionIn(Schema):
    note: str = ""


class RequestOut(Schema):
    id: int
    case_id: int
    loan_number: str
    kind: str
    status: str
    reason: str
    requested_by: str
    requested_on: str
    decided_by: str | None
    note: str


class CaseFilter(PageQuery):
    status: str | None = None
    mine: bool = False
    q: str | None = None


def _name(user: Any) -> str | None:
    return (user.get_full_name() or user.username) if user else None


def case_of(case: CollectionCase) -> dict[str, Any]:
    return {
        "id": case.pk,
        "loan_id": case.loan_id,
        "loan_number": case.loan.number,
        "customer": case.loan.customer.name,
        "id_number": mask_id_number(case.loan.customer.id_number),
        "opened_on": case.opened_on.isoformat(),
        "opened_because": case.opened_because,
        "officer": _name(case.officer),
        "status": case.status,
        "stage": case.stage,
        "close_reason": case.close_reason,
        "owed_at_opening": fen_text(case.owed_at_opening_fen),
        "recovered": fen_text(case.recovered_fen),
        "next_follow_up": case.next_follow_up.isoformat() if case.next_follow_up else None,
    }


def _iso(day: Any) -> str | None:
    return day.isoformat() if day else None


def action_of(a: CollectionAction) -> dict[str, Any]:
    return {
        "id": a.pk,
        "kind": a.kind,
        "business_date": a.business_date.isoformat(),
        "party": a.party.name if a.party else None,
        "outcome": a.outcome,
        "next_step": a.next_step,
        "follow_up_on": _iso(a.follow_up_on),
        "acknowledged": a.acknowledged,
        "amount": f"{a.amount:.2f}",
    }


def detail_of(case: CollectionCase) -> dict[str, Any]:
    state = getattr(case.loan, "state", None)
    owed = services.owed(state) if state else {}
    return case_of(case) | {
        "owed": {k: fen_text(v) for k, v in owed.items()},
        "parties": [party_of(p) for p in services.parties_of(case.loan)],
        "actions": [action_of(a) for a in case.actions.select_related("party")[:100]],
    }


def party_of(p: Any) -> dict[str, Any]:
    return {
        "customer_id": p.customer_id,
        "name": p.customer.name,
        "role": p.role,
        "starts_on": p.starts_on.isoformat(),
        "last_interruption": _iso(p.last_interruption),
        "expires_on": p.expires_on.isoformat(),
        "guarantee_ends_on": _iso(p.guarantee_ends_on),
        "asked_on": _iso(p.asked_on),
        "alerted_on": _iso(p.alerted_on),
    }


def request_of(made: Restructuring | WriteOff) -> dict[str, Any]:
    return {
        "id": made.pk,
        "case_id": made.case_id,
        "loan_number": made.case.loan.number,
        "kind": "restructuring" if isinstance(made, Restructuring) else "writeoff",
        "status": made.status,
        "reason": made.reason,
        "requested_by": _name(made.requested_by) or "",
        "requested_on": made.requested_on.isoformat(),
        "decided_by": _name(made.decided_by),
        "note": made.note,
    }


def _case(request: HttpRequest, case_id: int) -> CollectionCase:
    return get_object_or_404(services.visible_cases(request.user), pk=case_id)


@router.get("/cases", response=Paged[CaseOut], summary="清收案件", auth=requires(services.VIEW))
def list_cases(request: HttpRequest, filters: Query[CaseFilter]) -> dict[str, Any]:
    found = services.visible_cases(request.user).order_by("-opened_on", "-pk")
    if filters.status in CaseStatus.values:
        found = found.filter(status=filters.status)
    if filters.mine:
        found = found.filter(officer_id=request.user.pk)
    if filters.q:
        found = found.filter(loan__number__icontains=filters.q) | found.filter(
            loan__customer__name__icontains=filters.q
        )
    page = paged(found, filters)
    return page | {"items": [case_of(c) for c in page["items"]]}


@router.get(
    "/cases/{case_id}", response=CaseDetailOut, summary="案件详情", auth=requires(services.VIEW)
)
def get_case(request: HttpRequest, case_id: int) -> dict[str, Any]:
    return detail_of(_case(request, case_id))


@router.post(
    "/cases/{case_id}/actions",
    response={201: ActionOut},
    summary="登记清收记录（收回金额为实际收款；确认债务中断诉讼时效）",
    auth=requires(services.WORK),
)
def add_action(request: HttpRequest, case_id: int, body: ActionIn) -> Status[dict[str, Any]]:
    case = _case(request, case_id)
    data = body.dict()
    key = request.headers.get("Idempotency-Key")
    if key:
        data["idempotency_key"] = key
    return Status(201, action_of(services.log_action(request.user, case, data)))


@router.post(
    "/cases/{case_id}/guarantors/{customer_id}/guarantee-period",
    response=PartyOut,
    summary="按保证合同约定修改保证期间届满日",
    auth=requires(services.WORK),
)
def set_guarantee_period(
    request: HttpRequest, case_id: int, customer_id: int, body: GuaranteeIn
) -> dict[str, Any]:
    case = _case(request, case_id)
    party = get_object_or_404(services.parties_of(case.loan), customer_id=customer_id)
    ends_on = services.parse_date(body.ends_on, "ends_on")
    made = services.set_guarantee_end(request.user, case.loan, party.customer, ends_on, body.reason)
    return party_of(made)


@router.post(
    "/cases/{case_id}/assign",
    response=CaseOut,
    summary="改派清收人员",
    auth=requires(services.ASSIGN),
)
def assign(request: HttpRequest, case_id: int, body: AssignIn) -> dict[str, Any]:
    case = _case(request, case_id)
    officer = User.objects.filter(pk=body.officer).first()
    return case_of(services.assign_case(request.user, case, officer))


@router.post(
    "/cases/{case_id}/close", response=CaseOut, summary="结案", auth=requires(services.WORK)
)
def close(request: HttpRequest, case_id: int, body: CloseIn) -> dict[str, Any]:
    case = _case(request, case_id)
    return case_of(services.close_case(request.user, case, body.reason, body.note))


@router.post(
    "/cases/{case_id}/restructurings",
    response={201: RequestOut},
    summary="申请重组",
    auth=requires(services.WORK),
)
def request_restructuring(
    request: HttpRequest, case_id: int, body: RestructuringIn
) -> Status[dict[str, Any]]:
    made = services.request_restructuring(request.user, _case(request, case_id), body.dict())
    return Status(201, request_of(made))


@router.post(
    "/cases/{case_id}/writeoffs",
    response={201: RequestOut},
    summary="申请核销（可疑、损失类）",
    auth=requires(services.WORK),
)
def request_writeoff(
    request: HttpRequest, case_id: int, body: WriteOffIn
) -> Status[dict[str, Any]]:
    made = services.request_writeoff(
        request.user, _case(request, case_id), body.reason, body.evidence
    )
    return Status(201, request_of(made))


def _restructuring(request: HttpRequest, pk: int) -> Restructuring:
    cases = services.visible_cases(request.user)
    return get_object_or_404(Restructuring.objects.filter(case__in=cases), pk=pk)


def _writeoff(request: HttpRequest, pk: int) -> WriteOff:
    cases = services.visible_cases(request.user)
    return get_object_or_404(WriteOff.objects.filter(case__in=cases), pk=pk)


@router.get(
    "/restructurings", response=list[RequestOut], summary="重组申请", auth=requires(services.VIEW)
)
def list_restructurings(request: HttpRequest, status: str = "requested") -> list[dict[str, Any]]:
    cases = services.visible_cases(request.user)
    found = Restructuring.objects.filter(case__in=cases, status=status).order_by("-pk")[:100]
    return [request_of(r) for r in found]


@router.post(
    "/restructurings/{pk}/approve",
    response=RequestOut,
    summary="批准重组：生成新还款计划，进入观察期",
    auth=requires(services.APPROVE_RESTRUCTURING),
)
def approve_restructuring(request: HttpRequest, pk: int, body: DecisionIn) -> dict[str, Any]:
    made = services.approve_restructuring(request.user, _restructuring(request, pk), body.note)
    return request_of(made)


@router.post(
    "/restructurings/{pk}/reject",
    response=RequestOut,
    summary="驳回重组申请",
    auth=requires(services.APPROVE_RESTRUCTURING),
)
def reject_restructuring(request: HttpRequest, pk: int, body: DecisionIn) -> dict[str, Any]:
    made = services.reject_restructuring(request.user, _restructuring(request, pk), body.note)
    return request_of(made)


@router.get(
    "/writeoffs", response=list[RequestOut], summary="核销申请", auth=requires(services.VIEW)
)
def list_writeoffs(request: HttpRequest, status: str = "requested") -> list[dict[str, Any]]:
    cases = services.visible_cases(request.user)
    found = WriteOff.objects.filter(case__in=cases, status=status).order_by("-pk")[:100]
    return [request_of(w) for w in found]


@router.post(
    "/writeoffs/{pk}/approve",
    response=RequestOut,
    summary="批准核销（恰好一次：表内转出，表外登记，账销案存）",
    auth=requires(services.APPROVE_WRITEOFF),
)
def approve_writeoff(request: HttpRequest, pk: int, body: DecisionIn) -> dict[str, Any]:
    return request_of(services.approve_writeoff(request.user, _writeoff(request, pk), body.note))


@router.post(
    "/writeoffs/{pk}/reject",
    response=RequestOut,
    summary="驳回核销申请",
    auth=requires(services.APPROVE_WRITEOFF),
)
def reject_writeoff(request: HttpRequest, pk: int, body: DecisionIn) -> dict[str, Any]:
    return request_of(services.reject_writeoff(request.user, _writeoff(request, pk), body.note))


@router.get(
    "/alerts",
    response=list[PartyOut],
    summary="诉讼时效/保证期间即将届满",
    auth=requires(services.VIEW),
)
def list_alerts(request: HttpRequest) -> list[dict[str, Any]]:
    return [party_of(p) for p in services.alerts(user=request.user)[:500]]


@router.get("/dashboard", summary="清收看板数据", auth=requires(services.VIEW))
def dashboard(request: HttpRequest) -> dict[str, Any]:
    return dashboard_data(request.user)
