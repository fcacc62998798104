"""Pages of 贷后检查: the officer's queue (我的检查任务), the unit's tasks with late inspections per
officer, a task with its record form (phone-friendly, photos from the camera), reassignment,
and the compliance dashboard. Thin: the services decide."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from xindai.core import business_date
from xindai.core.access import requires
from xindai.core.errors import DomainError, FormInvalid
from xindai.core.paging import page_of
from xindai.loans.models import LoanState
from xindai.org.models import User
from xindai.org.scope import visible
from xindai.postloan import compliance, services
from xindai.postloan.models import (
    ConclusionChoice,
    InspectionRecord,
    InspectionTask,
    KindChoice,
    TaskStatus,
)

SOON_DAYS = 7  # due within a week: 即将到期
STATUSES = (("open", TaskStatus.OPEN.label), ("done", TaskStatus.DONE.label), ("all", ""))


def _filtered(request: HttpRequest, tasks: QuerySet[InspectionTask]) -> QuerySet[InspectionTask]:
    status = request.GET.get("status", "open")
    if status in TaskStatus.values:
        tasks = tasks.filter(status=status)
    if request.GET.get("kind") in KindChoice.values:
        tasks = tasks.filter(kind=request.GET["kind"])
    if request.GET.get("late") == "1":
        tasks = tasks.filter(late=True)
    if request.GET.get("officer", "").isdigit():
        tasks = tasks.filter(assignee_id=int(request.GET["officer"]))
    q = request.GET.get("q", "").strip()
    if q:
        tasks = tasks.filter(Q(loan__number__icontains=q) | Q(loan__customer__name__icontains=q))
    return tasks.order_by("due_date", "pk")


def _list_context(request: HttpRequest, tasks: QuerySet[InspectionTask]) -> dict[str, Any]:
    today = business_date.current()
    return {
        "today": today,
        "soon": today + dt.timedelta(days=SOON_DAYS),
        "page": page_of(_filtered(request, tasks), request.GET.get("page")),
        "status": request.GET.get("status", "open"),
        "statuses": [(v, label or gettext("全部")) for v, label in STATUSES],
        "kinds": KindChoice.choices,
        "q": request.GET.get("q", ""),
    }


@requires(services.VIEW)
def queue(request: HttpRequest) -> HttpResponse:
    """我的检查任务: the tasks given to me, by due date; overdue ones in red."""
    mine = services.visible_tasks(request.user).filter(assignee_id=request.user.pk)
    context = _list_context(request, mine)
    context["late_count"] = mine.filter(status=TaskStatus.OPEN, late=True).count()
    return render(request, "postloan/queue.html", context)


@requires(services.VIEW)
def unit(request: HttpRequest) -> HttpResponse:
    """The unit's tasks, with the late inspections counted per officer."""
    tasks = services.visible_tasks(request.user)
    context = _list_context(request, tasks)
    context["officers"] = (
        tasks.exclude(status=TaskStatus.CANCELLED)
        .values("assignee_id", "assignee__full_name", "assignee__username")
        .annotate(
            n_open=Count("pk", filter=Q(status=TaskStatus.OPEN)),
            n_late=Count("pk", filter=Q(late=True)),
            n_late_open=Count("pk", filter=Q(late=True, status=TaskStatus.OPEN)),
        )
        .order_by("-n_late", "assignee__username")
    )
    context["officer"] = request.GET.get("officer", "")
    context["may_assign"] = request.user.has_perm(services.ASSIGN)
    context["inspectors"] = _inspectors(request.user) if context["may_assign"] else []
    return render(request, "postloan/unit.html", context)


def _inspectors(user: Any) -> list[User]:
    """The people of the user's unit tree who may inspect (for reassignment)."""
    people = visible(User.objects.filter(is_active=True), user).order_by("username")
    return [p for p in people if p.has_perm(services.INSPECT)]


def _yuan(fen: int) -> Decimal:
    return Decimal(fen).scaleb(-2).quantize(Decimal("0.01"))


# (answer, its note, whether it applies to the loan, "yes" is the bad answer)
ITEMS = (
    ("borrower_ok", "borrower_note", None, False),
    ("guarantor_ok", "guarantor_note", "has_guarantors", False),
    ("major_changes", "major_changes_note", None, True),
    ("collateral_ok", "collateral_note", "has_collateral", False),
    ("archive_updated", "", None, False),
    ("interest_as_contracted", "interest_note", None, False),
    ("maturity_notice_sent", "", "maturity_near", False),
    ("funds_use_ok", "funds_use_note", "self_paid", False),
)


def _label(name: str) -> Any:
    return services.label_of(name)


def _items(ctx: Any, data: Any, errors: dict[str, list[str]]) -> list[dict[str, Any]]:
    """The record form's yes/no items that apply to the loan, with what was posted."""
    return [
        {
            "name": name,
            "label": _label(name),
            "value": str(data.get(name, "")).lower(),
            "errors": errors.get(name, []),
            "note": note,
            "note_label": _label(note) if note else "",
            "note_value": data.get(note, "") if note else "",
            "note_errors": errors.get(note, []) if note else [],
            "bad_yes": bad_yes,
        }
        for name, note, applies, bad_yes in ITEMS
        if applies is None or getattr(ctx, applies)
    ]


def _record_items(record: InspectionRecord | None) -> list[dict[str, Any]]:
    if record is None:
        return []
    return [
        {
            "label": _label(name),
            "answer": getattr(record, name),
            "note": getattr(record, note) if note else "",
        }
        for name, note, _applies, _bad in ITEMS
        if getattr(record, name) is not None or (note and getattr(record, note))
    ]


def _task_context(request: HttpRequest, task: InspectionTask) -> dict[str, Any]:
    today = business_date.current()
    state = LoanState.objects.filter(loan_id=task.loan_id).first()
    record = getattr(task, "record", None)
    ctx = services.context_of(task.loan, today)
    return {
        "task": task,
        "loan": task.loan,
        "today": today,
        "record": record,
        "ctx": ctx,
        "items": _items(ctx, {}, {}),
        "record_items": _record_items(record),
        "state": state,
        "interest_due": _yuan(state.interest_due_fen) if state else None,
        "overdue_interest": _yuan(state.overdue_interest_fen) if state else None,
        "conclusions": ConclusionChoice.choices,
        "may_inspect": request.user.has_perm(services.INSPECT) and task.is_open,
        "data": {},
        "errors": {},
    }


@requires(services.VIEW)
def task_page(request: HttpRequest, pk: int) -> HttpResponse:
    task = services.task_for(request.user, pk)
    return render(request, "postloan/task.html", _task_context(request, task))


@requires(services.INSPECT)
@require_POST
def record(request: HttpRequest, pk: int) -> HttpResponse:
    task = services.task_for(request.user, pk)
    try:
        services.submit_record(request.user, task, request.POST, request.FILES.getlist("photos"))
    except FormInvalid as exc:
        base = _task_context(request, task)
        context = base | {
            "items": _items(base["ctx"], request.POST, exc.details),
            "data": request.POST,
            "errors": exc.details,
            "message": exc.message,
        }
        return render(request, "postloan/task.html", context, status=422)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("postloan:task", pk=pk)
    messages.success(request, gettext("检查记录已提交，任务完成"))
    return redirect("postloan:task", pk=pk)


@requires(services.ASSIGN)
@require_POST
def reassign(request: HttpRequest, pk: int) -> HttpResponse:
    task = services.task_for(request.user, pk)
    assignee = request.POST.get("assignee", "")
    try:
        services.reassign(
            request.user,
            task,
            int(assignee) if assignee.isdigit() else 0,
            request.POST.get("reason", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("检查任务已分派"))
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("postloan:unit")


def _chart_of(summary: dict[str, Any]) -> dict[str, Any]:
    months = summary["months"]
    return {
        "labels": [m["month"] for m in months],
        "series": [
            {"name": gettext("按时完成"), "data": [m["on_time"] for m in months]},
            {"name": gettext("未按时完成"), "data": [m["due"] - m["on_time"] for m in months]},
        ],
    }


@requires(services.VIEW)
def dashboard(request: HttpRequest) -> HttpResponse:
    """检查合规: due, done and late by month; on-time rate by officer and by branch."""
    today = business_date.current()
    tasks = services.visible_tasks(request.user)
    summary = compliance.summary(tasks, today)
    context = {
        "today": today,
        "summary": summary,
        "months_chart": _chart_of(summary),
        "officer_chart": [[o["officer"], o["rate"] or 0] for o in summary["officers"]],
        "branch_chart": [[b["branch"], b["rate"] or 0] for b in summary["branches"]],
        "overdue": compliance.open_overdue(tasks, today)[:50],
    }
    return render(request, "postloan/dashboard.html", context)
