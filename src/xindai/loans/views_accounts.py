"""Pages of 放款 and the loan accounts: the disbursement queue, the disbursement page of an
application (gate checklist, approved terms, payment mode and lines, confirmation), the loan
accounts list and a loan's page with its schedule and use-of-funds reports. Thin: the services
decide."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from xindai.core.access import requires
from xindai.core.errors import DomainError, FormInvalid
from xindai.core.paging import page_of
from xindai.credit import approved
from xindai.credit import queries as credit_queries
from xindai.customers.services import as_of_today
from xindai.loans import gate, services
from xindai.loans.forms_accounts import (
    DisbursementForm,
    PaymentLineForm,
    UseOfFundsForm,
    payment_lines_of,
)
from xindai.loans.models import LoanAccount, LoanSource, LoanStatus, PaymentMode
from xindai.products.models import LoanProduct

VIEW = services.VIEW
BLANK_LINES = 2


@requires(VIEW)
def disbursement_queue(request: HttpRequest) -> HttpResponse:
    rows = []
    for application, checked in services.queue(request.user, as_of_today()):
        terms = approved.current_terms(application)
        rows.append({"application": application, "terms": terms, "gate": checked})
    return render(request, "loans/queue.html", {"rows": rows})


@requires(VIEW)
def disburse_page(request: HttpRequest, pk: int) -> HttpResponse:
    application = credit_queries.application_for(request.user, pk)
    if request.method == "POST":
        return _disburse(request, application)
    return _page(request, application)


def _disburse(request: HttpRequest, application: Any) -> HttpResponse:
    data: dict[str, Any] = request.POST.dict()
    data["payments"] = payment_lines_of(request.POST)
    key = request.POST.get("idempotency_key", "")
    try:
        made, created = services.disburse(request.user, application, data, key)
    except DomainError as exc:
        return _page(request, application, error=exc, status=exc.status)
    if created:
        messages.success(
            request, gettext("已放款，贷款账号 %(number)s") % {"number": made.loan.number}
        )
    else:
        messages.info(request, gettext("此笔放款已办理（重复提交未再次放款）"))
    return redirect("loans:account", made.loan_id)


def _page(
    request: HttpRequest, application: Any, *, error: DomainError | None = None, status: int = 200
) -> HttpResponse:
    today = as_of_today()
    checked = gate.check(application, request.user, today)
    terms = checked.terms
    posted = request.method == "POST"
    if posted:
        form = DisbursementForm(request.POST)
        form.is_valid()
        lines = payment_lines_of(request.POST)
        key = request.POST.get("idempotency_key") or uuid.uuid4().hex
    else:
        amount = terms.amount if terms is not None else application.amount
        form = DisbursementForm(initial={"amount": amount, "payment_mode": ""})
        lines, key = [], uuid.uuid4().hex  # a new key for each page load
    plan = _plan(application, form, lines, today)
    decision = services.decision_of(plan)
    if not posted:
        form.initial["payment_mode"] = decision["mode"]
    line_forms = [
        PaymentLineForm(prefix=f"payments-{n}", initial=line) for n, line in enumerate(lines)
    ]
    line_forms += [
        PaymentLineForm(prefix=f"payments-{n}") for n in range(len(lines), len(lines) + BLANK_LINES)
    ]
    context = {
        "application": application,
        "terms": terms,
        "conditions": terms.conditions.all() if terms is not None else [],
        "gate": checked,
        "gate_rows": services.gate_rows(checked),
        "decision": decision,
        "form": form,
        "line_forms": line_forms,
        "empty_line": PaymentLineForm(prefix="payments-__n__"),
        "idempotency_key": key,
        "error": error,
        "error_details": error.details if isinstance(error, DomainError) else {},
        "purpose_is_working_capital": application.purpose == "working_capital",
        "done": getattr(application, "disbursement", None),
        "modes": PaymentMode.choices,
    }
    return render(request, "loans/disburse.html", context, status=status)


def _plan(application: Any, form: DisbursementForm, lines: list[dict[str, Any]], today: Any) -> Any:
    """The plan of what the page shows (for the rule's advice; the service checks again)."""
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    values = {
        "amount": data.get("amount") or form.initial.get("amount") or application.amount,
        "payment_mode": data.get("payment_mode") or PaymentMode.SELF,
        "cash_reason": data.get("cash_reason", ""),
        "new_customer_average_credit": data.get("new_customer_average_credit", False),
    }
    clean = []
    for line in lines:
        try:
            amount = Decimal(line.get("amount") or 0)
        except ArithmeticError:
            amount = Decimal(0)
        clean.append(line | {"amount": amount})
    return services.plan_of(application, values, clean, today)


# ---- 贷款账户 ---------------------------------------------------------------------------------


@requires(VIEW)
def account_list(request: HttpRequest) -> HttpResponse:
    filters = {key: request.GET.get(key, "").strip() for key in services.LOAN_FILTERS}
    page = page_of(services.loans_for(request.user, filters), request.GET.get("page"))
    used = services.visible_loans(request.user).values("product")
    context = {
        "page": page,
        "filters": filters,
        "statuses": LoanStatus.choices,
        "sources": LoanSource.choices,
        "products": LoanProduct.objects.filter(pk__in=used).order_by("code"),
    }
    return render(request, "loans/accounts.html", context)


def _loan(request: HttpRequest, pk: int) -> LoanAccount:
    return get_object_or_404(services.visible_loans(request.user), pk=pk)


@requires(VIEW)
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _account_page(request, _loan(request, pk), UseOfFundsForm())


def _account_page(
    request: HttpRequest, loan: LoanAccount, report_form: UseOfFundsForm, status: int = 200
) -> HttpResponse:
    rows = list(loan.schedule.all())
    chart = {
        "labels": [row.due_date.isoformat() for row in rows],
        "series": [
            {"name": gettext("本金"), "data": [str(row.principal) for row in rows]},
            {"name": gettext("利息"), "data": [str(row.interest) for row in rows]},
        ],
    }
    totals = {
        "principal": sum((r.principal for r in rows), Decimal(0)),
        "interest": sum((r.interest for r in rows), Decimal(0)),
        "payment": sum((r.payment for r in rows), Decimal(0)),
    }
    made = getattr(loan, "disbursement", None)
    context = {
        "loan": loan,
        "rows": rows,
        "totals": totals,
        "chart": chart,
        "made": made,
        "payments": list(made.payments.all()) if made is not None else [],
        "reports": list(loan.use_reports.all()),
        "report_form": report_form,
        "self_paid": made is not None and made.payment_mode == PaymentMode.SELF,
        "may_report": made is not None
        and (request.user.pk == loan.manager_id or request.user.has_perm(services.DISBURSE)),
    }
    return render(request, "loans/account.html", context, status=status)


@requires(VIEW)
@require_POST
def use_report(request: HttpRequest, pk: int) -> HttpResponse:
    loan = _loan(request, pk)
    try:
        services.file_use_report(request.user, loan, request.POST, request.FILES)
    except FormInvalid as exc:
        form = UseOfFundsForm(request.POST, request.FILES)
        form.is_valid()
        for field, texts in exc.details.items():
            for text in texts:
                if text not in form.errors.get(field, []):
                    form.add_error(field if field in form.fields else None, text)
        return _account_page(request, loan, form, status=422)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("loans:account", loan.pk)
    messages.success(request, gettext("已登记资金使用报告"))
    return redirect(reverse("loans:account", args=[loan.pk]) + "#use-of-funds")
