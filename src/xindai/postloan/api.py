"""贷后检查 over REST (``/api/v1/inspections``): the tasks (filters), a task with its record,
submitting the record (JSON, or multipart with photos), reassigning a task, and the
compliance summary.

A record with a missing or inconsistent answer answers 422 with the messages by field and
changes nothing; a task already done 409 ``task_closed``.
"""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status
from pydantic import Field

from xindai.api import requires
from xindai.core import business_date
from xindai.core.schemas import Paged, PageQuery, paged
from xindai.ledger.domain import fen_text
from xindai.postloan import compliance, services
from xindai.postloan.models import InspectionRecord, InspectionTask

router = Router(tags=["贷后检查"])


class TaskOut(Schema):
    id: int
    loan_id: int
    loan_number: str
    customer: str
    kind: str
    kind_label: str
    due_date: str
    reason: str
    source: str
    assignee_id: int
    assignee: str
    status: str
    created_on: str
    done_on: str | None
    late: bool
    record_id: int | None


class RecordOut(Schema):
    id: int
    task_id: int
    inspected_on: str
    inspector: str
    answers: dict[str, Any] = Field(description="各检查项的回答与说明")
    conclusion: str
    findings: str
    loan_figures: dict[str, Any] = Field(description="提交时贷款的欠息情况（元、天）")
    photos: list[dict[str, Any]] = Field(description="归入客户档案的现场照片")


class TaskDetailOut(TaskOut):
    record: RecordOut | None


class RecordIn(Schema):
    borrower_ok: bool | None = Field(None, description="借款人生产经营、财务状况正常")
    borrower_note: str = ""
    guarantor_ok: bool | None = Field(
        None, description="担保人生产经营、财务状况正常（有保证人时必答）"
    )
    guarantor_note: str = ""
    major_changes: bool | None = Field(None, description="资产、机构、体制或高层人事有重大变化")
    major_changes_note: str = ""
    collateral_ok: bool | None = Field(
        None, description="抵（质）押物完整、安全（有抵质押物时必答，须附照片）"
    )
    collateral_note: str = ""
    archive_updated: bool | None = Field(None, description="借款户档案已更新")
    interest_as_contracted: bool | None = Field(None, description="按合同约定结息")
    interest_note: str = ""
    maturity_notice_sent: bool | None = Field(
        None, description="已送达到期通知书（到期前 30 天内必答）"
    )
    funds_use_ok: bool | None = Field(None, description="资金按约定用途使用（自主支付时必答）")
    funds_use_note: str = Field("", description="资金用途核实情况及凭证（自主支付时必填）")
    conclusion: str = Field(
        "", description="检查结论：normal 正常 / attention 关注 / risk 发现风险"
    )
    findings: str = Field("", description="检查发现（结论为关注或发现风险时必填）")


class ReassignIn(Schema):
    assignee_id: int = Field(description="新的检查人（用户 id）")
    reason: str = Field("", description="分派原因")


class TaskFilter(PageQuery):
    status: str | None = Field(None, description="open 待检查 / done 已完成 / cancelled 已取消")
    kind: str | None = Field(None, description="first / periodic / triggered")
    assignee: int | None = Field(None, description="检查人 id")
    loan: int | None = Field(None, description="贷款账户 id")
    late: bool | None = Field(None, description="只看逾期检查")
    due_before: dt.date | None = Field(None, description="应检查日不晚于")


def _name(user: Any) -> str:
    return user.full_name or user.username


def task_of(task: InspectionTask) -> dict[str, Any]:
    record = getattr(task, "record", None)
    return {
        "id": task.pk,
        "loan_id": task.loan_id,
        "loan_number": task.loan.number,
        "customer": task.loan.customer.name,
        "kind": task.kind,
        "kind_label": str(task.get_kind_display()),
        "due_date": task.due_date.isoformat(),
        "reason": task.reason,
        "source": task.source,
        "assignee_id": task.assignee_id,
        "assignee": _name(task.assignee),
        "status": task.status,
        "created_on": task.created_on.isoformat(),
        "done_on": task.done_on.isoformat() if task.done_on else None,
        "late": task.late,
        "record_id": record.pk if record else None,
    }


def record_of(record: InspectionRecord) -> dict[str, Any]:
    return {
        "id": record.pk,
        "task_id": record.task_id,
        "inspected_on": record.inspected_on.isoformat(),
        "inspector": _name(record.inspector),
        "answers": {
            name: getattr(record, name) for name in services.BOOLEAN_ITEMS + services.TEXT_ITEMS
        },
        "conclusion": record.conclusion,
        "findings": record.findings,
        "loan_figures": {
            "interest_due": fen_text(record.interest_due_fen),
            "overdue_interest": fen_text(record.overdue_interest_fen),
            "days_past_due": record.days_past_due,
        },
        "photos": [
            {
                "document_id": d.pk,
                "sha256": d.sha256,
                "size": d.size,
                "content_type": d.content_type,
            }
            for d in record.photos.all()
        ],
    }


@router.get("", response=Paged[TaskOut], summary="检查任务", auth=requires(services.VIEW))
def list_tasks(request: HttpRequest, filters: Query[TaskFilter]) -> dict[str, Any]:
    found = services.visible_tasks(request.user).select_related("record")
    for field, lookup in (
        ("status", "status"),
        ("kind", "kind"),
        ("assignee", "assignee_id"),
        ("loan", "loan_id"),
        ("late", "late"),
        ("due_before", "due_date__lte"),
    ):
        value = getattr(filters, field)
        if value is not None:
            found = found.filter(**{lookup: value})
    page = paged(found.order_by("due_date", "pk"), filters)
    return page | {"items": [task_of(task) for task in page["items"]]}


@router.get(
    "/compliance",
    response=dict[str, Any],
    summary="检查合规：按月、按检查人、按支行的应检、按时完成、逾期检查",
    auth=requires(services.VIEW),
)
def get_compliance(request: HttpRequest) -> dict[str, Any]:
    today = business_date.current()
    found = compliance.summary(services.visible_tasks(request.user), today)
    return found | {"as_of": today.isoformat()}


def _detail(task: InspectionTask) -> dict[str, Any]:
    record = getattr(task, "record", None)
    return task_of(task) | {"record": record_of(record) if record else None}


@router.get(
    "/{task_id}", response=TaskDetailOut, summary="检查任务详情", auth=requires(services.VIEW)
)
def get_task(request: HttpRequest, task_id: int) -> dict[str, Any]:
    return _detail(services.task_for(request.user, task_id))


@router.post(
    "/{task_id}/record",
    response={201: TaskDetailOut},
    summary="提交检查记录（JSON）：完成任务，归档，结论不正常时报预警",
    auth=requires(services.INSPECT),
)
def submit_record(request: HttpRequest, task_id: int, body: RecordIn) -> Status[dict[str, Any]]:
    task = services.task_for(request.user, task_id)
    services.submit_record(request.user, task, body.dict())
    return Status(201, _detail(services.task_for(request.user, task_id)))


@router.post(
    "/{task_id}/record/multipart",
    response={201: TaskDetailOut},
    summary="提交检查记录（multipart，附现场照片 photos）",
    auth=requires(services.INSPECT),
)
def submit_record_with_photos(
    request: HttpRequest,
    task_id: int,
    body: Form[RecordIn],
    photos: File[list[UploadedFile]] | None = None,
) -> Status[dict[str, Any]]:
    task = services.task_for(request.user, task_id)
    # read from the request: ninja leaves an optional file list empty
    services.submit_record(request.user, task, body.dict(), request.FILES.getlist("photos"))
    return Status(201, _detail(services.task_for(request.user, task_id)))


@router.post(
    "/{task_id}/reassign",
    response=TaskOut,
    summary="分派检查任务给本机构的其他检查人",
    auth=requires(services.ASSIGN),
)
def reassign(request: HttpRequest, task_id: int, body: ReassignIn) -> dict[str, Any]:
    task = services.task_for(request.user, task_id)
    return task_of(services.reassign(request.user, task, body.assignee_id, body.reason))
