"""Pages of 不良清收: the case list (all / mine), a case with its action form, the approval
queues (restructuring, write-off), the limitation alerts and the recovery dashboard. Thin: the
services decide."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from xindai.core.access import requires
from xindai.core.errors import DomainError
from xindai.core.paging import page_of
from xindai.loans.models import FiveCategory, LoanState
from xindai.org.models import User
from xindai.products.models import RepaymentMethod

from . import services
from .models import (
    ActionKind,
    CaseStatus,
    CloseReason,
    CollectionCase,
    Recovery,
    RecoveryKind,
    RequestStatus,
    Restructuring,
    WriteOff,
)

VIEW = services.VIEW


def _cases(request: HttpRequest, *, mine: bool = False) -> HttpResponse:
    found = services.visible_cases(request.user)
    if mine:
        found = found.filter(officer_id=request.user.pk)
    q = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    if q:
        found = found.filter(
            Q(loan__number__icontains=q)
            | Q(loan__customer__name__icontains=q)
            | Q(loan__customer__id_number__endswith=q)
        )
    if status in CaseStatus.values:
        found = found.filter(status=status)
    officer = request.GET.get("officer", "")
    if officer.isdigit():
        found = found.filter(officer_id=int(officer))
    context = {
        "page": page_of(found.order_by("-opened_on", "-pk"), request.GET.get("page")),
        "q": q,
        "status": status,
        "statuses": CaseStatus.choices,
        "officer": officer,
        "officers": User.objects.filter(
            pk__in=services.visible_cases(request.user).values("officer_id")
        ),
        "mine": mine,
        "alerts": services.alerts(user=request.user).count(),
    }
    return render(request, "collection/cases.html", context)


@requires(VIEW)
def case_list(request: HttpRequest) -> HttpResponse:
    return _cases(request)


@requires(VIEW)
def my_cases(request: HttpRequest) -> HttpResponse:
    return _cases(request, mine=True)


def _case(request: HttpRequest, pk: int) -> CollectionCase:
    return get_object_or_404(services.visible_cases(request.user), pk=pk)


@requires(VIEW)
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    error: DomainError | None = None
    if request.method == "POST":
        try:
            services.log_action(request.user, case, request.POST.dict())
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, gettext("已登记清收记录"))
            return redirect("collection:case", case.pk)
    return _detail(request, case, error)


def _detail(request: HttpRequest, case: CollectionCase, error: DomainError | None) -> HttpResponse:
    loan = case.loan
    state = LoanState.objects.filter(loan=loan).first()
    owed = services.owed(state) if state else {}
    labels = {
        "principal": gettext("正常本金"),
        "principal_due": gettext("今日到期本金"),
        "overdue_principal": gettext("逾期本金"),
        "interest_accrued": gettext("已计提利息"),
        "interest_due": gettext("应收利息"),
        "overdue_interest": gettext("逾期利息"),
        "penalty_due": gettext("罚息"),
        "compound_due": gettext("复利"),
    }
    application = loan.application
    try:
        notices = f"{reverse('notices:list')}?loan={loan.pk}"
    except NoReverseMatch:
        notices = ""
    context = {
        "notices": notices,
        "case": case,
        "loan": loan,
        "state": state,
        "owed": [(labels[k], v) for k, v in owed.items() if v],
        "owed_total": sum(owed.values()),
        "klass": FiveCategory(services.class_of(loan)).label,
        "parties": services.parties_of(loan),
        "collateral": list(application.collateral.all()) if application else [],
        "actions": case.actions.select_related("actor", "party")[:50],
        "recoveries": case.recoveries.all(),
        "restructurings": case.restructurings.select_related("requested_by", "decided_by"),
        "writeoffs": case.writeoffs.select_related("requested_by", "decided_by"),
        "kinds": ActionKind.choices,
        "close_reasons": CloseReason.choices,
        "methods": RepaymentMethod.choices,
        "officers": User.objects.filter(pk__in=services.officers_for(loan)),
        "may_work": request.user.has_perm(services.WORK),
        "may_assign": request.user.has_perm(services.ASSIGN),
        "error": error,
        "details": error.details if error else {},
        "values": request.POST if request.method == "POST" else {},
        "key": uuid.uuid4().hex,
        "today": services.today(),
    }
    return render(request, "collection/case.html", context, status=error.status if error else 200)


def _act(request: HttpRequest, pk: int, work: Any, done: str) -> HttpResponse:
    case = _case(request, pk)
    try:
        work(case)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("collection:case", case.pk)


@requires(services.ASSIGN)
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    officer = User.objects.filter(pk=request.POST.get("officer") or 0).first()
    return _act(
        request,
        pk,
        lambda case: services.assign_case(request.user, case, officer),
        gettext("已分派清收人员"),
    )


@requires(services.WORK)
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    post = request.POST
    return _act(
        request,
        pk,
        lambda case: services.close_case(
            request.user, case, post.get("reason", ""), post.get("note", "")
        ),
        gettext("案件已结案"),
    )


@requires(services.WORK)
@require_POST
def restructure(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda case: services.request_restructuring(request.user, case, request.POST.dict()),
        gettext("已提交重组申请，待审批"),
    )


@requires(services.WORK)
@require_POST
def writeoff(request: HttpRequest, pk: int) -> HttpResponse:
    post = request.POST
    return _act(
        request,
        pk,
        lambda case: services.request_writeoff(
            request.user, case, post.get("reason", ""), post.get("evidence", "")
        ),
        gettext("已提交核销申请，待风险合规审批"),
    )


@requires(VIEW)
def approvals(request: HttpRequest) -> HttpResponse:
    cases = services.visible_cases(request.user)
    status = request.GET.get("status", RequestStatus.REQUESTED)
    if status not in RequestStatus.values:
        status = RequestStatus.REQUESTED
    context = {
        "restructurings": Restructuring.objects.filter(case__in=cases, status=status)
        .select_related("case__loan__customer", "requested_by", "decided_by")
        .order_by("-pk")[:100],
        "writeoffs": WriteOff.objects.filter(case__in=cases, status=status)
        .select_related("case__loan__customer", "requested_by", "decided_by")
        .order_by("-pk")[:100],
        "status": status,
        "statuses": RequestStatus.choices,
        "may_restructure": request.user.has_perm(services.APPROVE_RESTRUCTURING),
        "may_writeoff": request.user.has_perm(services.APPROVE_WRITEOFF),
    }
    return render(request, "collection/approvals.html", context)


def _decide(request: HttpRequest, model: Any, pk: int, work: Any, done: str) -> HttpResponse:
    cases = services.visible_cases(request.user)
    made = get_object_or_404(model.objects.filter(case__in=cases), pk=pk)
    try:
        work(made)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("collection:approvals")


@requires(services.APPROVE_RESTRUCTURING)
@require_POST
def restructuring_approve(request: HttpRequest, pk: int) -> HttpResponse:
    note = request.POST.get("note", "")
    return _decide(
        request,
        Restructuring,
        pk,
        lambda made: services.approve_restructuring(request.user, made, note),
        gettext("已批准重组，新还款计划已生成"),
    )


@requires(services.APPROVE_RESTRUCTURING)
@require_POST
def restructuring_reject(request: HttpRequest, pk: int) -> HttpResponse:
    note = request.POST.get("note", "")
    return _decide(
        request,
        Restructuring,
        pk,
        lambda made: services.reject_restructuring(request.user, made, note),
        gettext("已驳回重组申请"),
    )


@requires(services.APPROVE_WRITEOFF)
@require_POST
def writeoff_approve(request: HttpRequest, pk: int) -> HttpResponse:
    note = request.POST.get("note", "")
    return _decide(
        request,
        WriteOff,
        pk,
        lambda made: services.approve_writeoff(request.user, made, note),
        gettext("已核销：贷款转入表外，账销案存"),
    )


@requires(services.APPROVE_WRITEOFF)
@require_POST
def writeoff_reject(request: HttpRequest, pk: int) -> HttpResponse:
    note = request.POST.get("note", "")
    return _decide(
        request,
        WriteOff,
        pk,
        lambda made: services.reject_writeoff(request.user, made, note),
        gettext("已驳回核销申请"),
    )


@requires(VIEW)
def alerts(request: HttpRequest) -> HttpResponse:
    found = services.alerts(user=request.user)
    context = {"page": page_of(found, request.GET.get("page")), "today": services.today()}
    return render(request, "collection/alerts.html", context)


def dashboard_data(user: Any) -> dict[str, Any]:
    cases = services.visible_cases(user)
    open_cases = cases.filter(status=CaseStatus.OPEN)
    by_stage = {
        (row["stage"] or "new"): row["n"]
        for row in open_cases.values("stage").annotate(n=Count("pk")).order_by("stage")
    }
    tracked = cases.filter(status=CaseStatus.WRITTEN_OFF).count()
    if tracked:
        by_stage["written_off"] = tracked
    stage_labels = dict(ActionKind.choices) | {
        "new": gettext("新立案"),
        "written_off": gettext("已核销（账销案存）"),
    }
    by_officer = [
        (row["officer__full_name"] or row["officer__username"] or gettext("未分派"), row["n"])
        for row in open_cases.values("officer__full_name", "officer__username")
        .annotate(n=Count("pk"))
        .order_by("-n")
    ]
    recoveries = Recovery.objects.filter(case__in=cases)
    by_month = [
        (row["m"].strftime("%Y-%m"), row["s"] / 100)
        for row in recoveries.annotate(m=TruncMonth("business_date"))
        .values("m")
        .annotate(s=Sum("amount_fen"))
        .order_by("m")
    ]
    by_method = [
        (str(dict(ActionKind.choices).get(row["method"], row["method"])), row["s"] / 100)
        for row in recoveries.values("method").annotate(s=Sum("amount_fen")).order_by("method")
    ]
    owed = cases.aggregate(s=Sum("owed_at_opening_fen"))["s"] or 0
    recovered = recoveries.aggregate(s=Sum("amount_fen"))["s"] or 0
    written = cases.filter(status=CaseStatus.WRITTEN_OFF)
    stock = (
        WriteOff.objects.filter(case__in=written, status=RequestStatus.APPROVED).aggregate(
            s=Sum("claim_fen")
        )["s"]
        or 0
    )
    after = (
        recoveries.filter(kind=RecoveryKind.AFTER_WRITEOFF).aggregate(s=Sum("amount_fen"))["s"] or 0
    )
    return {
        "stages": [[str(stage_labels.get(k, k)), n] for k, n in by_stage.items()],
        "officers": [[name, n] for name, n in by_officer],
        "months": [[m, float(s)] for m, s in by_month],
        "methods": [[m, float(s)] for m, s in by_method],
        "open": open_cases.count(),
        "owed_fen": owed,
        "recovered_fen": recovered,
        "rate": round(recovered / owed * 100, 2) if owed else 0.0,
        "alerts": services.alerts(user=user).count(),
        "written_off_cases": written.count(),
        "written_off_fen": stock,
        "after_writeoff_fen": after,
    }


@requires(VIEW)
def dashboard(request: HttpRequest) -> HttpResponse:
    data = dashboard_data(request.user)
    return render(request, "collection/dashboard.html", {"data": data})
