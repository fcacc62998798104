"""Pages of 五级分类: the ledger of classes, a loan's classification (history and the propose
form), the approval queue (一级 支行行长, 二级 风险合规), the quarterly run and the 资产质量
dashboard. Thin: the services decide."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from xindai.classification import services
from xindai.classification.models import ProposalStatus, QuarterlyRun
from xindai.core.access import requires
from xindai.core.errors import DomainError
from xindai.core.paging import page_of
from xindai.ledger.domain import fen_text
from xindai.loans.models import FiveCategory
from xindai.loans.services import visible_loans
from xindai.org.models import OrgUnit, User
from xindai.products.models import LoanProduct

VIEW = services.VIEW
# Grounds of a manual classification (认定依据), offered as checkboxes.
REASONS = (
    _("借款人经营或财务状况恶化"),
    _("借款人涉及重大诉讼或被执行"),
    _("担保人代偿能力下降或押品贬值"),
    _("贷款用途与约定不符"),
    _("借款人失联或拒不配合贷后检查"),
    _("贷款重组或展期"),
)


def _categories() -> list[tuple[str, str]]:
    return [(str(v), str(label)) for v, label in FiveCategory.choices]


@requires(VIEW)
def ledger(request: HttpRequest) -> HttpResponse:
    filters = {key: request.GET.get(key, "").strip() for key in services.LEDGER_FILTERS}
    clean = {k: v for k, v in filters.items() if k in ("q", "category") or v.isdigit()}
    found = services.ledger(request.user, clean)
    loans = visible_loans(request.user)
    context = {
        "filters": filters,
        "page": page_of(found, request.GET.get("page")),
        "categories": _categories(),
        "branches": OrgUnit.objects.filter(is_active=True).order_by("path"),
        "products": LoanProduct.objects.filter(pk__in=loans.values("product")).order_by("name"),
        "managers": User.objects.filter(pk__in=loans.values("manager")).order_by("username"),
        "pending": services.visible_proposals(request.user)
        .filter(status__in=[ProposalStatus.PROPOSED, ProposalStatus.FIRST_APPROVED])
        .count(),
    }
    htmx = request.headers.get("HX-Request")
    template = "classification/_ledger_rows.html" if htmx else "classification/ledger.html"
    return render(request, template, context)


def _loan_page(
    request: HttpRequest, loan: Any, errors: dict[str, Any] | None = None
) -> HttpResponse:
    state = get_object_or_404(services.visible_classes(request.user), loan_id=loan.pk)
    row = getattr(loan, "five_class", None)
    proposals = services.visible_proposals(request.user).filter(loan=loan)
    context = {
        "loan": loan,
        "state": state,
        "row": row,
        "history": services.history(loan),
        "proposals": proposals,
        "open": proposals.filter(
            status__in=[ProposalStatus.PROPOSED, ProposalStatus.FIRST_APPROVED]
        ).first(),
        "categories": _categories(),
        "reasons": [str(r) for r in REASONS],
        "errors": errors or {},
        "form": request.POST if errors else {},
        "may_propose": request.user.has_perm(services.PROPOSE),
    }
    return render(request, "classification/loan.html", context, status=422 if errors else 200)


@requires(VIEW)
def loan_page(request: HttpRequest, pk: int) -> HttpResponse:
    loan = get_object_or_404(visible_loans(request.user), pk=pk)
    if request.method != "POST":
        return _loan_page(request, loan)
    try:
        services.propose(
            request.user,
            loan,
            request.POST.get("proposed", ""),
            reason=request.POST.get("reason", ""),
            reasons=request.POST.getlist("reasons"),
            evidence=request.POST.get("evidence", ""),
        )
    except DomainError as exc:
        if exc.details:
            return _loan_page(request, loan, exc.details)
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("已提交分类认定，待支行行长一级审批"))
    return redirect("classification:loan", loan.pk)


@requires(VIEW)
def proposals(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", ProposalStatus.PROPOSED)
    found = services.visible_proposals(request.user)
    if status != "all":
        found = found.filter(status=status)
    context = {
        "status": status,
        "statuses": [*ProposalStatus.choices, ("all", gettext("全部"))],
        "page": page_of(found, request.GET.get("page")),
        "may_first": request.user.has_perm(services.APPROVE_FIRST),
        "may_final": request.user.has_perm(services.APPROVE_FINAL),
    }
    return render(request, "classification/proposals.html", context)


def _decide(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    proposal = get_object_or_404(services.visible_proposals(request.user), pk=pk)
    note = request.POST.get("note", "")
    try:
        if action == "first":
            services.approve_first(request.user, proposal, note)
            done = gettext("一级审批通过，待风险合规二级审批")
        elif action == "final":
            services.approve_final(request.user, proposal, note)
            done = gettext("二级审批通过，分类已生效")
        else:
            services.reject(request.user, proposal, note)
            done = gettext("已驳回分类认定")
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect(request.POST.get("next") or "classification:proposals")


@requires(services.APPROVE_FIRST)
@require_POST
def approve_first(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, "first")


@requires(services.APPROVE_FINAL)
@require_POST
def approve_final(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, "final")


@requires(VIEW)
@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, "reject")


@requires(VIEW)
def quarterly(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            run = services.run_quarterly(request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                gettext("%(quarter)s 季度分类已完成，%(n)s 笔分类变动")
                % {"quarter": run.quarter, "n": run.changed},
            )
        return redirect("classification:quarterly")
    label, end = services.domain.quarter_of(services.today())
    runs = QuarterlyRun.objects.select_related("started_by")
    context = {
        "quarter": label,
        "quarter_end": end,
        "done": runs.filter(quarter=label).first(),
        "runs": [_run_rows(r) for r in runs[:12]],
        "may_run": request.user.has_perm(services.RUN_QUARTERLY),
    }
    return render(request, "classification/quarterly.html", context)


def _run_rows(run: QuarterlyRun) -> dict[str, Any]:
    rows = []
    for value, label in FiveCategory.choices:
        before = run.before.get(value, {"count": 0, "balance": 0})
        after = run.after.get(value, {"count": 0, "balance": 0})
        rows.append(
            {
                "label": label,
                "before": before["count"],
                "before_balance": fen_text(before["balance"]),
                "after": after["count"],
                "after_balance": fen_text(after["balance"]),
            }
        )
    percent = round(100 * run.processed / run.total) if run.total else 100
    return {"run": run, "rows": rows, "percent": percent}


@requires(VIEW)
def quarterly_progress(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(QuarterlyRun, pk=pk)
    return render(request, "classification/_progress.html", {"r": _run_rows(run)})


def _date(value: str, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return default


@requires(VIEW)
def quality(request: HttpRequest) -> HttpResponse:
    today = services.today()
    end = _date(request.GET.get("end", ""), today)
    start = _date(request.GET.get("start", ""), end - dt.timedelta(days=90))
    if start > end:
        start, end = end, start
    q = services.quality(request.user)
    labels = dict(_categories())
    by_class = [
        {"category": c, "label": labels[c], "count": v["count"], "balance": fen_text(v["balance"])}
        for c, v in q["by_class"].items()
    ]
    npl = {by: services.npl_ratios(request.user, by) for by in ("branch", "product", "manager")}
    buckets = services.overdue_buckets(request.user)
    matrix = services.matrix_table(request.user, start, end)
    charts = {
        "classes": [[r["label"], r["balance"]] for r in by_class],
        "npl": {
            by: [[r["name"], round(100 * (r["ratio"] or 0), 2)] for r in rows]
            for by, rows in npl.items()
        },
        "buckets": [[b["key"], fen_text(b["balance"]), b["count"]] for b in buckets],
        "matrix": {
            "labels": matrix["labels"],
            "cells": [
                [j, i, row["counts"][j]]
                for i, row in enumerate(matrix["rows"])
                for j in range(len(matrix["labels"]))
            ],
        },
    }
    context = {
        "q": q,
        "by_class": by_class,
        "npl": npl,
        "buckets": [b | {"yuan": fen_text(b["balance"])} for b in buckets],
        "matrix": matrix,
        "start": start,
        "end": end,
        "charts": charts,
        "total": fen_text(q["total"]),
        "npl_total": fen_text(q["npl"]),
    }
    return render(request, "classification/quality.html", context)
