"""Pages of 柜面还款: find a loan, see what it owes today, take a repayment (with a
confirmation), print the receipt; request a reversal (冲正) and approve or reject it. Thin: the
services decide."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from xindai.core.access import requires
from xindai.core.errors import DomainError
from xindai.core.money import rmb_uppercase
from xindai.core.paging import page_of
from xindai.customers.services import as_of_today
from xindai.loans.models import LoanStatus
from xindai.loans.services import visible_loans
from xindai.repayments import domain, services
from xindai.repayments.models import RepaymentSource, Reversal, ReversalStatus

VIEW = services.VIEW


def _yuan(fen: int) -> Decimal:
    return Decimal(fen).scaleb(-2).quantize(Decimal("0.01"))


@requires(VIEW)
def counter(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    found = visible_loans(request.user).exclude(
        status__in=[LoanStatus.SETTLED, LoanStatus.WRITTEN_OFF]
    )
    if q:
        found = found.filter(
            Q(number__icontains=q)
            | Q(legacy_number__icontains=q)
            | Q(customer__name__icontains=q)
            | Q(customer__id_number__endswith=q)
        )
    today = as_of_today()
    mine = services.visible_repayments(request.user).filter(
        business_date=today, created_by_id=request.user.pk
    )
    context = {
        "q": q,
        "page": page_of(found.order_by("-start_date", "-pk"), request.GET.get("page")),
        "today": today,
        "mine": mine.order_by("-pk")[:20],
        "pending": services.visible_reversals(request.user)
        .filter(status=ReversalStatus.REQUESTED)
        .count(),
    }
    return render(request, "repayments/counter.html", context)


def _quote_rows(q: domain.Quote) -> list[dict[str, Any]]:
    rows = [
        {"key": bucket, "label": gettext(domain.BUCKET_LABELS[bucket]), "amount": _yuan(v)}
        for bucket, v in q.due.items()
    ]
    return rows


@requires(VIEW)
def loan_page(request: HttpRequest, pk: int) -> HttpResponse:
    loan = get_object_or_404(visible_loans(request.user), pk=pk)
    if request.method == "POST":
        return _take(request, loan)
    return _loan_page(request, loan)


def _take(request: HttpRequest, loan: Any) -> HttpResponse:
    data = request.POST
    try:
        made, created = services.repay(
            request.user,
            loan,
            data.get("amount", ""),
            data.get("source", ""),
            data.get("idempotency_key", ""),
            prepayment=data.get("prepayment") or None,
        )
    except DomainError as exc:
        return _loan_page(request, loan, error=exc, status=exc.status)
    if created:
        messages.success(request, gettext("已收款，请打印回单"))
    else:
        messages.info(request, gettext("此笔还款已办理（重复提交未再次收款）"))
    return redirect("repayments:receipt", made.pk)


def _loan_page(
    request: HttpRequest, loan: Any, *, error: DomainError | None = None, status: int = 200
) -> HttpResponse:
    q = services.quote(loan)
    state = loan.state
    posted = request.method == "POST"
    values = {
        "amount": request.POST.get("amount", "") if posted else f"{_yuan(q.due_total)}",
        "source": request.POST.get("source", "") if posted else RepaymentSource.CASH,
        "prepayment": request.POST.get("prepayment", "") if posted else "",
        "idempotency_key": (request.POST.get("idempotency_key") if posted else None)
        or uuid.uuid4().hex,
    }
    if not posted and not q.due_total:
        values["amount"] = ""
    account = state.repayment_account
    context = {
        "loan": loan,
        "quote": q,
        "due_rows": _quote_rows(q),
        "due_total": _yuan(q.due_total),
        "payoff": _yuan(q.payoff),
        "interest_to_date": _yuan(q.interest_to_date),
        "penalty_to_date": _yuan(q.penalty_to_date + q.compound_to_date),
        "principal_not_due": _yuan(q.principal),
        "prepay_floor": _yuan(q.prepay_floor),
        "account": account,
        "account_balance": _yuan(account.balance_fen) if account else None,
        "values": values,
        "sources": RepaymentSource.choices,
        "options": [(o.value, gettext(label)) for o, label in domain.OPTION_LABELS.items()],
        "reamortisable": loan.repayment_method in domain.REAMORTISABLE,
        "error": error,
        "error_details": error.details if error is not None else {},
        "recent": services.visible_repayments(request.user).filter(loan=loan).order_by("-pk")[:10],
        "rows": list(loan.schedule.filter(due_date__gte=q.as_of).order_by("period")[:3]),
        "may_take": request.user.has_perm(services.TAKE),
        "closed": loan.status in services.CLOSED,
    }
    return render(request, "repayments/loan.html", context, status=status)


@requires(VIEW)
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    made = get_object_or_404(services.visible_repayments(request.user), pk=pk)
    parts = [
        {
            "label": gettext(domain.BUCKET_LABELS[part]),
            "amount": _yuan(made.allocation["parts"][part]),
        }
        for part in domain.PART_ORDER
        if made.allocation["parts"].get(part)
    ]
    reversals = list(made.reversals.select_related("requested_by", "approved_by"))
    open_request = next((r for r in reversals if r.status == ReversalStatus.REQUESTED), None)
    context = {
        "made": made,
        "loan": made.loan,
        "amount": _yuan(made.amount_fen),
        "uppercase": rmb_uppercase(_yuan(made.amount_fen)),
        "parts": parts,
        "after_outstanding": made.after.get("loan.outstanding_principal"),
        "reversals": reversals,
        "open_request": open_request,
        "problems": services.reversal_problems(made) if made.status == "posted" else [],
        "may_request": request.user.has_perm(services.REQUEST),
        "version": getattr(made, "schedule_version", None),
    }
    return render(request, "repayments/receipt.html", context)


@requires(VIEW)
@require_POST
def reversal_request(request: HttpRequest, pk: int) -> HttpResponse:
    made = get_object_or_404(services.visible_repayments(request.user), pk=pk)
    try:
        services.request_reversal(request.user, made, request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("已提交冲正申请，待另一人审批"))
    return redirect("repayments:receipt", made.pk)


@requires(VIEW)
def reversals(request: HttpRequest) -> HttpResponse:
    found = services.visible_reversals(request.user)
    status = request.GET.get("status", ReversalStatus.REQUESTED)
    if status in ReversalStatus.values:
        found = found.filter(status=status)
    context = {
        "page": page_of(found.order_by("-pk"), request.GET.get("page")),
        "status": status,
        "statuses": ReversalStatus.choices,
        "may_approve": request.user.has_perm(services.APPROVE),
    }
    return render(request, "repayments/reversals.html", context)


def _decide(request: HttpRequest, pk: int, approve: bool) -> HttpResponse:
    reversal: Reversal = get_object_or_404(services.visible_reversals(request.user), pk=pk)
    try:
        if approve:
            services.approve_reversal(request.user, reversal)
        else:
            services.reject_reversal(request.user, reversal, request.POST.get("note", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, gettext("已冲正，贷款余额已恢复") if approve else gettext("已驳回冲正申请")
        )
    return redirect("repayments:reversals")


@requires(services.APPROVE)
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, approve=True)


@requires(services.APPROVE)
@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, approve=False)
