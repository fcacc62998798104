"""Five-category classification over REST (``/api/v1/classification``): the ledger of classes,
a loan's history, manual proposals and their two-level approval, the quarterly run, and the
asset-quality figures (balances by class, 不良率, overdue buckets, migration matrix).

Amounts are 元 as strings with 2 decimals; classes are FiveCategory values (normal,
special_mention, substandard, doubtful, loss). A rule that refuses answers 409
(``classification_refused``, ``same_person``, ``better_than_floor``, ``already_run``); bad input
422.
"""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from xindai.api import requires
from xindai.classification import services
from xindai.classification.models import ClassChange, ClassProposal, QuarterlyRun
from xindai.core.errors import InvalidInput
from xindai.core.schemas import Paged, PageQuery, paged
from xindai.ledger.domain import fen_text
from xindai.loans.services import visible_loans

router = Router(tags=["五级分类"])


class LoanClassOut(Schema):
    loan_id: int
    loan_number: str
    customer: str
    org_unit: str
    product: str
    manager: str
    category: str = Field(description="五级分类")
    floor: str = Field(description="逾期天数对应的分类下限")
    days_past_due: int
    balance: str = Field(description="贷款余额（元）")


class ChangeOut(Schema):
    loan_id: int
    business_date: str
    old: str
    new: str
    source: str = Field(
        description="auto 日终 / manual 人工认定 / quarterly 季度 / upgrade 上调 / "
        "restructure 重组观察"
    )
    reason: str
    actor: str | None


class LoanHistoryOut(Schema):
    loan: LoanClassOut
    manual_floor: str
    debtor_floor: str
    observation_until: str | None
    history: list[ChangeOut]


class ProposalIn(Schema):
    proposed: str = Field(description="认定分类（FiveCategory 值）")
    reason: str = Field(description="认定理由")
    reasons: list[str] = Field(default_factory=list, description="认定依据（可多条）")
    evidence: str = Field("", description="证据材料说明")


class ProposalOut(Schema):
    id: int
    loan_id: int
    loan_number: str
    business_date: str
    current: str
    proposed: str
    reasons: list[str]
    reason: str
    evidence: str
    status: str
    proposed_by: str
    first_by: str | None
    final_by: str | None
    rejected_by: str | None
    rejection: str


class NoteIn(Schema):
    note: str = Field("", description="审批意见")


class RejectIn(Schema):
    reason: str = Field(description="驳回理由")


class RunOut(Schema):
    id: int
    quarter: str
    quarter_end: str
    business_date: str
    status: str
    total: int
    processed: int
    changed: int
    before: dict[str, dict[str, Any]]
    after: dict[str, dict[str, Any]]
    started_by: str


class LedgerFilter(PageQuery):
    q: str = Field("", description="贷款账号或客户名称")
    category: str = Field("", description="五级分类")
    branch: int | None = Field(None, description="机构 id（含下级）")
    product: int | None = None
    manager: int | None = None


class ProposalFilter(PageQuery):
    status: str = Field("", description="proposed / first_approved / approved / rejected")


class MatrixQuery(Schema):
    start: dt.date = Field(description="期初会计日期")
    end: dt.date = Field(description="期末会计日期")


def _name(user: Any) -> str | None:
    if user is None:
        return None
    return str(user.get_full_name() or user.username)


def class_row(s: Any) -> dict[str, Any]:
    loan = s.loan
    return {
        "loan_id": loan.pk,
        "loan_number": loan.number,
        "customer": loan.customer.name,
        "org_unit": loan.org_unit.name,
        "product": loan.product.name,
        "manager": _name(loan.manager) or "",
        "category": s.category,
        "floor": s.class_floor,
        "days_past_due": s.days_past_due,
        "balance": fen_text(s.balance),
    }


def change_of(c: ClassChange) -> dict[str, Any]:
    return {
        "loan_id": c.loan_id,
        "business_date": c.business_date.isoformat(),
        "old": c.old,
        "new": c.new,
        "source": c.source,
        "reason": c.reason,
        "actor": _name(c.actor),
    }


def proposal_of(p: ClassProposal) -> dict[str, Any]:
    return {
        "id": p.pk,
        "loan_id": p.loan_id,
        "loan_number": p.loan.number,
        "business_date": p.business_date.isoformat(),
        "current": p.current,
        "proposed": p.proposed,
        "reasons": list(p.reasons or []),
        "reason": p.reason,
        "evidence": p.evidence,
        "status": p.status,
        "proposed_by": _name(p.proposed_by) or "",
        "first_by": _name(p.first_by),
        "final_by": _name(p.final_by),
        "rejected_by": _name(p.rejected_by),
        "rejection": p.rejection,
    }


def run_of(run: QuarterlyRun) -> dict[str, Any]:
    return {
        "id": run.pk,
        "quarter": run.quarter,
        "quarter_end": run.quarter_end.isoformat(),
        "business_date": run.business_date.isoformat(),
        "status": run.status,
        "total": run.total,
        "processed": run.processed,
        "changed": run.changed,
        "before": run.before,
        "after": run.after,
        "started_by": _name(run.started_by) or "",
    }


@router.get("", response=Paged[LoanClassOut], summary="五级分类台账", auth=requires(services.VIEW))
def list_classes(request: HttpRequest, filters: Query[LedgerFilter]) -> dict[str, Any]:
    found = services.ledger(request.user, filters.dict())
    page = paged(found, filters)
    return page | {"items": [class_row(s) for s in page["items"]]}


@router.get(
    "/loans/{loan_id}",
    response=LoanHistoryOut,
    summary="贷款的五级分类与变动历史",
    auth=requires(services.VIEW),
)
def loan_history(request: HttpRequest, loan_id: int) -> dict[str, Any]:
    loan = get_object_or_404(visible_loans(request.user), pk=loan_id)
    state = get_object_or_404(services.visible_classes(request.user), loan_id=loan.pk)
    row = getattr(loan, "five_class", None)
    until = row.observation_until if row else None
    return {
        "loan": class_row(state),
        "manual_floor": row.manual_floor if row else "",
        "debtor_floor": row.debtor_floor if row else "",
        "observation_until": until.isoformat() if until else None,
        "history": [change_of(c) for c in services.history(loan)],
    }


@router.post(
    "/loans/{loan_id}/proposals",
    response={201: ProposalOut},
    summary="提出五级分类认定（须两级审批）",
    auth=requires(services.PROPOSE),
)
def propose(request: HttpRequest, loan_id: int, body: ProposalIn) -> Status[dict[str, Any]]:
    loan = get_object_or_404(visible_loans(request.user), pk=loan_id)
    made = services.propose(
        request.user,
        loan,
        body.proposed,
        reason=body.reason,
        reasons=body.reasons,
        evidence=body.evidence,
    )
    return Status(201, proposal_of(made))


@router.get(
    "/proposals",
    response=Paged[ProposalOut],
    summary="五级分类认定（审批队列）",
    auth=requires(services.VIEW),
)
def list_proposals(request: HttpRequest, filters: Query[ProposalFilter]) -> dict[str, Any]:
    found = services.visible_proposals(request.user)
    if filters.status:
        found = found.filter(status=filters.status)
    page = paged(found, filters)
    return page | {"items": [proposal_of(p) for p in page["items"]]}


def _proposal(request: HttpRequest, proposal_id: int) -> ClassProposal:
    return get_object_or_404(services.visible_proposals(request.user), pk=proposal_id)


@router.post(
    "/proposals/{proposal_id}/approve-first",
    response=ProposalOut,
    summary="一级审批（支行行长）",
    auth=requires(services.APPROVE_FIRST),
)
def approve_first(request: HttpRequest, proposal_id: int, body: NoteIn) -> dict[str, Any]:
    p = services.approve_first(request.user, _proposal(request, proposal_id), body.note)
    return proposal_of(p)


@router.post(
    "/proposals/{proposal_id}/approve-final",
    response=ProposalOut,
    summary="二级审批（风险合规）：分类生效",
    auth=requires(services.APPROVE_FINAL),
)
def approve_final(request: HttpRequest, proposal_id: int, body: NoteIn) -> dict[str, Any]:
    p = services.approve_final(request.user, _proposal(request, proposal_id), body.note)
    return proposal_of(p)


@router.post(
    "/proposals/{proposal_id}/reject",
    response=ProposalOut,
    summary="驳回认定（一级或二级审批人）",
    auth=requires(services.VIEW),
)
def reject(request: HttpRequest, proposal_id: int, body: RejectIn) -> dict[str, Any]:
    return proposal_of(services.reject(request.user, _proposal(request, proposal_id), body.reason))


@router.get(
    "/quarterly", response=list[RunOut], summary="季度五级分类记录", auth=requires(services.VIEW)
)
def list_runs(request: HttpRequest) -> list[dict[str, Any]]:
    return [run_of(r) for r in QuarterlyRun.objects.select_related("started_by")[:20]]


@router.post(
    "/quarterly",
    response={201: RunOut},
    summary="发起本季度五级分类（每季度一次）",
    auth=requires(services.RUN_QUARTERLY),
)
def start_run(request: HttpRequest) -> Status[dict[str, Any]]:
    return Status(201, run_of(services.run_quarterly(request.user)))


@router.get("/matrix", summary="迁徙矩阵（笔数、余额、迁徙率）", auth=requires(services.VIEW))
def matrix(request: HttpRequest, query: Query[MatrixQuery]) -> dict[str, Any]:
    if query.start > query.end:
        raise InvalidInput(gettext("期初日期不得晚于期末日期"))
    return services.matrix_table(request.user, query.start, query.end)


@router.get("/npl", summary="不良率（按机构、产品或客户经理）", auth=requires(services.VIEW))
def npl(request: HttpRequest, by: str = "branch") -> list[dict[str, Any]]:
    if by not in services.GROUPS:
        raise InvalidInput(gettext("by 须为 branch、product 或 manager"))
    return [
        r | {"total": fen_text(r["total"]), "npl": fen_text(r["npl"])}
        for r in services.npl_ratios(request.user, by)
    ]


@router.get("/quality", summary="资产质量概览", auth=requires(services.VIEW))
def quality(request: HttpRequest) -> dict[str, Any]:
    q = services.quality(request.user)
    return {
        "as_of": q["as_of"].isoformat(),
        "total": fen_text(q["total"]),
        "npl": fen_text(q["npl"]),
        "npl_ratio": q["npl_ratio"],
        "by_class": {
            c: {"count": v["count"], "balance": fen_text(v["balance"])}
            for c, v in q["by_class"].items()
        },
        "overdue_buckets": [
            b | {"balance": fen_text(b["balance"])} for b in services.overdue_buckets(request.user)
        ],
    }
