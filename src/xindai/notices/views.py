"""Pages of 通知书: the list, a notice with its DOCX, the delivery and receipt forms (used on a
phone at the borrower's door), and issuing a 催收通知书 on a loan. Thin: the services decide."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from xindai.core.access import requires
from xindai.core.errors import DomainError
from xindai.core.paging import page_of
from xindai.customers.services import as_of_today
from xindai.loans.models_servicing import LoanState
from xindai.loans.services import visible_loans
from xindai.notices import queries, services
from xindai.notices.models import DeliveryMethod, NoticeKind, NoticeStatus
from xindai.org.models import OrgUnit
from xindai.org.scope import visible


def _units(user: Any) -> Any:
    return visible(OrgUnit.objects.all(), user, unit_field=None).order_by("path")


@requires(services.VIEW)
def notice_list(request: HttpRequest) -> HttpResponse:
    found = queries.filtered(services.visible_notices(request.user), request.GET)
    context = {
        "page": page_of(found, request.GET.get("page")),
        "filters": {key: request.GET.get(key, "") for key in queries.FILTERS},
        "kinds": NoticeKind.choices,
        "statuses": NoticeStatus.choices,
        "units": _units(request.user),
    }
    return render(request, "notices/list.html", context)


def _notice(request: HttpRequest, pk: int) -> Any:
    return get_object_or_404(services.visible_notices(request.user), pk=pk)


@requires(services.VIEW)
def detail(request: HttpRequest, pk: int, error: DomainError | None = None) -> HttpResponse:
    notice = services.ensure_document(_notice(request, pk))
    context = {
        "notice": notice,
        "deliveries": notice.deliveries.select_related("delivered_by"),
        "receipt": getattr(notice, "receipt", None),
        "methods": DeliveryMethod.choices,
        "may_send": request.user.has_perm(services.SEND),
        "today": as_of_today(),
        "error": error,
        "values": request.POST if request.method == "POST" else {},
    }
    return render(request, "notices/detail.html", context, status=error.status if error else 200)


@requires(services.VIEW)
def download(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _notice(request, pk)
    content = services.document_bytes(notice)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="{notice.number}.docx"'
    return response


@requires(services.SEND)
@require_POST
def deliver(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _notice(request, pk)
    data = request.POST
    try:
        services.deliver(
            request.user,
            notice,
            data.get("method", ""),
            received_by=data.get("received_by", ""),
            reference=data.get("reference", ""),
            note=data.get("note", ""),
        )
    except DomainError as exc:
        return detail(request, pk, error=exc)
    messages.success(request, gettext("已登记送达"))
    return redirect("notices:detail", pk)


@requires(services.SEND)
@require_POST
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _notice(request, pk)
    try:
        made = services.record_receipt(
            request.user,
            notice,
            request.FILES.get("file"),
            request.POST.get("signed_on", ""),
            request.POST.get("signed_by", ""),
        )
    except DomainError as exc:
        return detail(request, pk, error=exc)
    if made.interrupts:
        messages.success(request, gettext("已上传签收回执，诉讼时效自签收日起中断并重新计算"))
    else:
        messages.success(request, gettext("已上传签收回执"))
    return redirect("notices:detail", pk)


@requires(services.SEND)
def issue(request: HttpRequest, loan_pk: int) -> HttpResponse:
    loan = get_object_or_404(visible_loans(request.user), pk=loan_pk)
    state = LoanState.objects.get(loan=loan)
    guarantors = services.guarantors_of({loan.pk}).get(loan.pk, [])
    parties = [(loan.customer, gettext("借款人"))] + [
        (c, gettext("保证人"))
        for c in type(loan.customer).objects.filter(pk__in=guarantors).order_by("pk")
    ]
    error = None
    if request.method == "POST":
        chosen = [int(x) for x in request.POST.getlist("recipients") if x.isdigit()]
        try:
            made = services.issue_collection(
                request.user, loan, chosen, request.POST.get("reason", "")
            )
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, gettext("已发出 %(n)s 份催收通知书") % {"n": len(made)})
            query = urlencode({"q": loan.number, "kind": NoticeKind.COLLECTION})
            return redirect(f"{reverse('notices:list')}?{query}")
    context = {
        "loan": loan,
        "state": state,
        "parties": parties,
        "may_collect": services.may_collect(loan, state),
        "error": error,
        "recent": services.visible_notices(request.user).filter(loan=loan)[:10],
    }
    return render(request, "notices/issue.html", context, status=error.status if error else 200)
