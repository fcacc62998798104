"""Early warnings over REST (``/api/v1/warnings``): the list (filters, counts by severity), a
warning with its handling notes, handling (take or note), closing with the resolution, and a
collateral revaluation (which raises a collateral-drop warning past the policy's ratio).

A closed warning refuses further handling: 409 ``warning_refused``; bad input 422."""

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from xindai.api import requires
from xindai.core.errors import FormInvalid
from xindai.core.schemas import Paged, PageQuery, paged
from xindai.earlywarning import queries, services
from xindai.earlywarning.models import CollateralRevaluation, Warning
from xindai.loans.services import visible_loans

router = Router(tags=["风险预警"])


class WarningFilter(PageQuery):
    q: str = Field("", description="贷款账号、客户名称或预警内容")
    severity: str = Field("", description="low 低 / medium 中 / high 高")
    kind: str = Field(
        "",
        description="overdue / downgrade / guarantor_overdue / "
        "collateral_drop / inspection_finding / deposit_outflow",
    )
    status: str = Field(
        "active", description="active 未关闭（默认）/ open / handling / closed / all"
    )
    unit: int | None = Field(None, description="机构 id（含下级）")
    manager: int | None = Field(None, description="管户客户经理 id")


class NoteOut(Schema):
    written_on: str
    author: str
    text: str


class WarningOut(Schema):
    id: int
    loan_id: int
    loan_number: str
    customer: str
    kind: str
    kind_label: str
    severity: str
    detail: str
    action: str = Field(description="应采取措施")
    source: str
    raised_on: str
    status: str
    handler: str | None
    resolution: str
    closed_on: str | None
    notes: list[NoteOut] = []


class WarningPage(Paged[WarningOut]):
    counts: dict[str, int] = Field(description="未关闭预警按级别计数")


class HandleIn(Schema):
    action: str = Field("take", description="take 受理 / note 记录处理情况")
    note: str = ""


class CloseIn(Schema):
    resolution: str = Field(description="处理结果")


class RevaluationIn(Schema):
    collateral_id: int
    value: str = Field(description="重估价值（元）", examples=["390000.00"])
    appraiser: str = ""
    note: str = ""


class RevaluationOut(Schema):
    id: int
    loan_id: int
    collateral_id: int
    estimated_value: str
    value: str
    revalued_on: str
    warning_id: int | None


def warning_of(w: Warning, full: bool = False) -> dict[str, Any]:
    found: dict[str, Any] = {
        "id": w.pk,
        "loan_id": w.loan_id,
        "loan_number": w.loan.number,
        "customer": w.customer.name,
        "kind": w.kind,
        "kind_label": w.get_kind_display(),
        "severity": w.severity,
        "detail": w.detail,
        "action": w.action,
        "source": w.source,
        "raised_on": w.raised_on.isoformat(),
        "status": w.status,
        "handler": str(w.handler) if w.handler else None,
        "resolution": w.resolution,
        "closed_on": w.closed_on.isoformat() if w.closed_on else None,
    }
    if full:
        found["notes"] = [
            {"written_on": n.written_on.isoformat(), "author": str(n.author), "text": n.text}
            for n in w.notes.select_related("author")
        ]
    return found


def _warning(request: HttpRequest, warning_id: int) -> Warning:
    return get_object_or_404(services.visible_warnings(request.user), pk=warning_id)


@router.get(
    "",
    response=WarningPage,
    summary="预警列表（按级别排序，含各级别计数）",
    auth=requires(services.VIEW),
)
def list_warnings(request: HttpRequest, filters: Query[WarningFilter]) -> dict[str, Any]:
    mine = services.visible_warnings(request.user)
    found = queries.ordered(queries.filtered(mine, filters.dict()))
    page = paged(found, filters)
    return page | {"items": [warning_of(w) for w in page["items"]], "counts": queries.counts(mine)}


@router.get(
    "/{warning_id}",
    response=WarningOut,
    summary="预警详情（含处理记录）",
    auth=requires(services.VIEW),
)
def get_warning(request: HttpRequest, warning_id: int) -> dict[str, Any]:
    return warning_of(_warning(request, warning_id), full=True)


@router.post(
    "/{warning_id}/handle",
    response=WarningOut,
    summary="受理预警或记录处理情况",
    auth=requires(services.HANDLE),
)
def handle(request: HttpRequest, warning_id: int, body: HandleIn) -> dict[str, Any]:
    warning = _warning(request, warning_id)
    if body.action == "take":
        services.take(request.user, warning, body.note)
    elif body.action == "note":
        services.add_note(request.user, warning, body.note)
    else:
        raise FormInvalid("action", details={"action": ["take / note"]})
    return warning_of(_warning(request, warning_id), full=True)


@router.post(
    "/{warning_id}/close",
    response=WarningOut,
    summary="关闭预警（须填写处理结果）",
    auth=requires(services.HANDLE),
)
def close(request: HttpRequest, warning_id: int, body: CloseIn) -> dict[str, Any]:
    services.close(request.user, _warning(request, warning_id), body.resolution)
    return warning_of(_warning(request, warning_id), full=True)


@router.post(
    "/loans/{loan_id}/revaluations",
    response={201: RevaluationOut},
    summary="录入押品重估（下降超过政策比例即发出高级别预警）",
    auth=requires(services.ADD_SIGNAL),
)
def revaluation(request: HttpRequest, loan_id: int, body: RevaluationIn) -> Status[dict[str, Any]]:
    loan = get_object_or_404(visible_loans(request.user), pk=loan_id)
    made: CollateralRevaluation = services.revalue(
        request.user,
        loan,
        body.collateral_id,
        body.value,
        appraiser=body.appraiser,
        note=body.note,
    )
    return Status(
        201,
        {
            "id": made.pk,
            "loan_id": loan.pk,
            "collateral_id": made.collateral_id,
            "estimated_value": f"{made.estimated_value:.2f}",
            "value": f"{made.value:.2f}",
            "revalued_on": made.revalued_on.isoformat(),
            "warning_id": made.warning_id,
        },
    )
