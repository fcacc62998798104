"""贷后检查 use cases: the plan of each loan, triggered inspections, reassignment, and the
inspection record (which closes the task, files what it collected into the customer's
archive and reports an adverse conclusion to early warning)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext

from xindai.audit import services as audit
from xindai.core import business_date
from xindai.core.errors import DomainError, FormInvalid, InvalidInput
from xindai.core.problems import by_field
from xindai.credit.facts import current_policy
from xindai.credit.policy import Policy
from xindai.loans.models import LoanAccount, LoanState, LoanStatus, PaymentMode
from xindai.org.scope import visible
from xindai.postloan import domain
from xindai.postloan.models import (
    InspectionPlan,
    InspectionRecord,
    InspectionTask,
    KindChoice,
    TaskStatus,
)

VIEW = "postloan.view_inspectiontask"
INSPECT = "postloan.inspect"
ASSIGN = "postloan.assign_inspection"
TASK = "postloan.inspectiontask"
RECORD = "postloan.inspectionrecord"
CLOSED_LOANS = (LoanStatus.SETTLED, LoanStatus.WRITTEN_OFF)
TRIGGERED_DUE_DAYS = 7  # a triggered inspection is made within a week
SCOPE = {"unit_field": "loan__org_unit", "owner_field": "assignee"}


def visible_tasks(user: Any) -> QuerySet[InspectionTask]:
    found = InspectionTask.objects.select_related(
        "loan", "loan__customer", "loan__org_unit", "loan__manager", "assignee"
    )
    # an officer sees the tasks given to him even on a loan outside his unit (reassigned)
    scoped = visible(InspectionTask.objects.all(), user, **SCOPE).values("pk")
    return found.filter(Q(pk__in=scoped) | Q(assignee_id=user.pk))


def task_for(user: Any, pk: int) -> InspectionTask:
    return get_object_or_404(visible_tasks(user), pk=pk)


def policy() -> Policy:
    return current_policy()[1]


# ---- the plan ------------------------------------------------------------------------------


def facts_of(loan_row: dict[str, Any], klass: str, rules: Policy) -> domain.LoanFacts:
    """The calendar facts of a loan from its row (``plan_rows``) and its class."""
    return domain.LoanFacts(
        disbursed_on=loan_row["start_date"],
        maturity=loan_row["maturity_date"],
        term_months=loan_row["term_months"],
        first_inspection_days=loan_row["product__first_inspection_days"]
        or rules.first_inspection_days,
        monthly_product=loan_row["product__inspection_cycle"] == "monthly",
        class_floor=klass,
        monthly_up_to_months=rules.monthly_inspection_up_to_months,
    )


PLAN_FIELDS = (
    "pk",
    "start_date",
    "maturity_date",
    "term_months",
    "product__first_inspection_days",
    "product__inspection_cycle",
)


def plan_rows(loans: QuerySet[LoanAccount]) -> list[dict[str, Any]]:
    return list(loans.values(*PLAN_FIELDS))


def classes_of(loan_ids: list[int]) -> dict[int, str]:
    from xindai.classification import services as classification

    return classification.classes_of(loan_ids)


def next_for(loan: LoanAccount, after: dt.date) -> domain.Planned | None:
    """The loan's next planned inspection after ``after``, with its class now."""
    row = plan_rows(LoanAccount.objects.filter(pk=loan.pk))[0]
    klass = classes_of([loan.pk]).get(loan.pk, "normal")
    return domain.next_planned(facts_of(row, klass, policy()), after)


def _replan(task: InspectionTask, today: dt.date) -> None:
    """After a planned task is closed: the next planned date, from the later of its due date
    and today (missed periods are not piled up)."""
    if task.kind == KindChoice.TRIGGERED or task.loan.status in CLOSED_LOANS:
        return
    upcoming = next_for(task.loan, max(task.due_date, today))
    InspectionPlan.objects.update_or_create(
        loan=task.loan,
        defaults={
            "next_due": upcoming.due if upcoming else None,
            "next_kind": upcoming.kind.value if upcoming else KindChoice.PERIODIC,
        },
    )


# ---- triggered inspections -----------------------------------------------------------------


def add_triggered(
    loan: LoanAccount, today: dt.date, *, reason: str, source: str
) -> InspectionTask | None:
    """A triggered inspection of ``loan`` (once per loan, source and date); None when an open
    triggered task for the same source exists already, or the loan is closed."""
    if loan.status in CLOSED_LOANS:
        return None
    source = source[:100]
    open_one = InspectionTask.objects.filter(
        loan=loan, kind=KindChoice.TRIGGERED, source=source, status=TaskStatus.OPEN
    )
    if open_one.exists():
        return None
    try:
        with transaction.atomic():
            made = InspectionTask.objects.create(
                loan=loan,
                kind=KindChoice.TRIGGERED,
                due_date=today + dt.timedelta(days=TRIGGERED_DUE_DAYS),
                reason=reason[:200],
                source=source,
                assignee_id=loan.manager_id,
                created_on=today,
            )
            audit.record(
                "postloan.triggered",
                actor=None,
                object_type=TASK,
                object_id=made.pk,
                changes={"loan": loan.pk, "source": source, "due_date": made.due_date.isoformat()},
                reason=reason,
            )
    except IntegrityError:
        return None
    return made


# ---- reassignment --------------------------------------------------------------------------


def reassign(
    actor: Any, task: InspectionTask, assignee_id: int, reason: str = ""
) -> InspectionTask:
    """A branch head hands an open task to another officer of his unit's subtree."""
    from xindai.org.models import User

    if not actor.has_perm(ASSIGN):
        raise DomainError(gettext("无权分派检查任务"), code="forbidden")
    officer = visible(User.objects.filter(is_active=True), actor).filter(pk=assignee_id).first()
    if officer is None or not officer.has_perm(INSPECT):
        raise InvalidInput(
            gettext("所选人员不能执行贷后检查"),
            details={"assignee": [gettext("请选择本机构的检查人员")]},
        )
    with transaction.atomic():
        locked = InspectionTask.objects.select_for_update().get(pk=task.pk)
        if locked.status != TaskStatus.OPEN:
            raise DomainError(gettext("任务已完成或已取消，不能再分派"), code="task_closed")
        old = locked.assignee_id
        locked.assignee = officer
        locked.save(update_fields=["assignee"])
        audit.record(
            "postloan.reassigned",
            actor=actor,
            object_type=TASK,
            object_id=locked.pk,
            changes={"assignee": [old, officer.pk]},
            reason=reason,
        )
    return locked


# ---- the inspection record -----------------------------------------------------------------


def context_of(loan: LoanAccount, today: dt.date) -> domain.RecordContext:
    application = loan.application
    disbursement = getattr(loan, "disbursement", None) if loan.application_id else None
    return domain.RecordContext(
        has_guarantors=bool(application and application.guarantors.exists()),
        has_collateral=bool(application and application.collateral.exists()),
        self_paid=bool(disbursement and disbursement.payment_mode == PaymentMode.SELF),
        maturity_near=domain.maturity_near(
            today, loan.maturity_date, policy().maturity_notice_days
        ),
    )


BOOLEAN_ITEMS = (
    "borrower_ok",
    "guarantor_ok",
    "major_changes",
    "collateral_ok",
    "archive_updated",
    "interest_as_contracted",
    "maturity_notice_sent",
    "funds_use_ok",
)
TEXT_ITEMS = (
    "borrower_note",
    "guarantor_note",
    "major_changes_note",
    "collateral_note",
    "interest_note",
    "funds_use_note",
    "conclusion",
    "findings",
)


def _yes_no(value: Any) -> bool | None:
    if isinstance(value, bool) or value is None:
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "y", "on", "是"):
        return True
    if text in ("0", "false", "no", "n", "off", "否"):
        return False
    return None


def answers_of(data: Any, photos: int) -> domain.Answers:
    """The answers of a form post or an API body (booleans as true/false, 1/0, 是/否)."""
    values: dict[str, Any] = {name: _yes_no(data.get(name)) for name in BOOLEAN_ITEMS}
    values |= {name: str(data.get(name) or "").strip()[:4000] for name in TEXT_ITEMS}
    return domain.Answers(photos=photos, **values)


def _checked_photos(files: list[Any]) -> list[tuple[Any, str, str]]:
    """(upload, content type, sha256) of each photo: JPG or PNG, size limited."""
    from xindai.customers.documents import check_upload

    checked = []
    for upload in files:
        try:
            content_type, sha256 = check_upload(upload)
        except FormInvalid as exc:
            raise FormInvalid(exc.message, details={"photos": exc.details.get("file", [])}) from exc
        if not content_type.startswith("image/"):
            raise FormInvalid(
                gettext("现场照片只接受 JPG、PNG 图片"),
                details={"photos": [gettext("只接受 JPG、PNG 图片（按文件内容判断）")]},
            )
        checked.append((upload, content_type, sha256))
    return checked


def submit_record(
    actor: Any, task: InspectionTask, data: Any, files: list[Any] | None = None
) -> InspectionRecord:
    """Record the inspection: checks every answer first (nothing changes when one is wrong),
    closes the task, files the photos and a note into the customer's archive, and reports an
    adverse conclusion to early warning."""
    if not actor.has_perm(INSPECT):
        raise DomainError(gettext("无权执行贷后检查"), code="forbidden")
    today = business_date.current()
    photos = _checked_photos(files or [])
    answers = answers_of(data, len(photos))
    problems = domain.record_problems(answers, context_of(task.loan, today))
    if problems:
        raise FormInvalid(gettext("检查记录有误，未提交"), details=by_field(problems, gettext))
    with transaction.atomic():
        locked = InspectionTask.objects.select_for_update().select_related("loan").get(pk=task.pk)
        if locked.status != TaskStatus.OPEN:
            raise DomainError(gettext("任务已完成或已取消"), code="task_closed")
        record = _save_record(actor, locked, answers, today)
        _file_into_archive(actor, record, photos, today)
        _close(actor, locked, record, today)
        if domain.is_adverse(record.conclusion):
            _report_finding(actor, record, today)
    return record


def _save_record(
    actor: Any, task: InspectionTask, a: domain.Answers, today: dt.date
) -> InspectionRecord:
    state = LoanState.objects.filter(loan_id=task.loan_id).first()
    values = {name: getattr(a, name) for name in BOOLEAN_ITEMS + TEXT_ITEMS}
    return InspectionRecord.objects.create(
        task=task,
        inspected_on=today,
        inspector=actor,
        interest_due_fen=state.interest_due_fen if state else 0,
        overdue_interest_fen=state.overdue_interest_fen if state else 0,
        days_past_due=state.days_past_due if state else 0,
        **values,
    )


def _file_into_archive(
    actor: Any, record: InspectionRecord, photos: list[tuple[Any, str, str]], today: dt.date
) -> None:
    from xindai.customers.models import Circle, Document, DocumentType, SoftInfo
    from xindai.customers.services import stamp, touch

    customer = record.task.loan.customer
    title = gettext("贷后检查现场照片 %(date)s") % {"date": today.isoformat()}
    for upload, content_type, sha256 in photos:
        document = Document(
            customer=customer,
            doc_type=DocumentType.PHOTO,
            title=title[:100],
            original_name=(upload.name or "")[:200],
            content_type=content_type,
            size=upload.size or 0,
            sha256=sha256,
            uploaded_by=actor,
        )
        suffix = settings.XINDAI_UPLOAD_TYPES[content_type]
        document.file.save(f"{sha256[:16]}{suffix}", upload, save=False)
        stamp(document, actor)
        document.save()
        record.photos.add(document)
    note = SoftInfo(
        customer=customer,
        circle=Circle.BUSINESS,
        note=summary_of(record),
        source=(gettext("贷后检查（%(loan)s）") % {"loan": record.task.loan.number})[:100],
        noted_on=today,
        author=actor,
    )
    stamp(note, actor)
    note.save()
    record.soft_info = note
    record.save(update_fields=["soft_info"])
    touch(actor, customer)


def label_of(name: str) -> Any:
    """The (translated) name of a record field, e.g. 借款人情况说明."""
    return getattr(InspectionRecord._meta.get_field(name), "verbose_name", name)


def summary_of(record: InspectionRecord) -> str:
    """The note filed in the archive: the conclusion and what was found."""
    lines = [
        gettext("贷后检查结论：%(conclusion)s") % {"conclusion": record.get_conclusion_display()}
    ]
    for name in ("borrower_note", "guarantor_note", "major_changes_note", "collateral_note"):
        text = getattr(record, name)
        if text:
            lines.append(f"{label_of(name)}：{text}")
    if record.findings:
        lines.append(gettext("检查发现：%(findings)s") % {"findings": record.findings})
    return "\n".join(lines)


def _close(actor: Any, task: InspectionTask, record: InspectionRecord, today: dt.date) -> None:
    task.status = TaskStatus.DONE
    task.done_on = today
    task.late = domain.is_late(task.due_date, today, today)
    task.save(update_fields=["status", "done_on", "late"])
    audit.record(
        "postloan.recorded",
        actor=actor,
        object_type=RECORD,
        object_id=record.pk,
        changes={
            "task": task.pk,
            "loan": task.loan_id,
            "conclusion": record.conclusion,
            "late": task.late,
            "photos": record.photos.count(),
        },
    )
    _replan(task, today)


def _report_finding(actor: Any, record: InspectionRecord, today: dt.date) -> None:
    from xindai.earlywarning.services import raise_signal

    detail = gettext("贷后检查结论为%(conclusion)s：%(findings)s") % {
        "conclusion": record.get_conclusion_display(),
        "findings": record.findings,
    }
    raise_signal(
        record.task.loan,
        today,
        kind="inspection_finding",
        detail=detail,
        source=f"inspection:{record.pk}",
        actor=actor,
    )
