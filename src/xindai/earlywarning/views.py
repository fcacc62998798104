"""Pages of 风险预警: the list (counts by severity at the top), a warning with its handling
(take, note, close with the resolution), and the collateral revaluation form of a loan."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from xindai.core.access import requires
from xindai.core.errors import DomainError
from xindai.core.paging import page_of
from xindai.earlywarning import queries, services
from xindai.earlywarning.models import (
    CollateralRevaluation,
    Severity,
    WarningKind,
    WarningStatus,
)
from xindai.loans.services import visible_loans
from xindai.org.models import OrgUnit
from xindai.org.scope import visible


@requires(services.VIEW)
def warning_list(request: HttpRequest) -> HttpResponse:
    mine = services.visible_warnings(request.user)
    found = queries.ordered(queries.filtered(mine, request.GET))
    managers = (
        get_user_model().objects.filter(pk__in=mine.values("loan__manager_id")).order_by("username")
    )
    context = {
        "page": page_of(found, request.GET.get("page")),
        "filters": {key: request.GET.get(key, "") for key in queries.FILTERS},
        "counts": queries.counts(mine),
        "severities": Severity.choices,
        "kinds": WarningKind.choices,
        "statuses": [
            ("active", gettext("未关闭")),
            *WarningStatus.choices,
            ("all", gettext("全部")),
        ],
        "units": visible(OrgUnit.objects.all(), request.user, unit_field=None).order_by("path"),
        "managers": managers,
    }
    return render(request, "earlywarning/list.html", context)


def _warning(request: HttpRequest, pk: int) -> Any:
    return get_object_or_404(services.visible_warnings(request.user), pk=pk)


@requires(services.VIEW)
def detail(request: HttpRequest, pk: int, error: DomainError | None = None) -> HttpResponse:
    warning = _warning(request, pk)
    context = {
        "warning": warning,
        "notes": warning.notes.select_related("author"),
        "may_handle": request.user.has_perm(services.HANDLE),
        "may_signal": request.user.has_perm(services.ADD_SIGNAL),
        "error": error,
        "values": request.POST if request.method == "POST" else {},
    }
    return render(
        request, "earlywarning/detail.html", context, status=error.status if error else 200
    )


def _handle(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    warning = _warning(request, pk)
    data = request.POST
    try:
        if step == "take":
            services.take(request.user, warning, data.get("note", ""))
            messages.success(request, gettext("已受理预警"))
        elif step == "note":
            services.add_note(request.user, warning, data.get("note", ""))
            messages.success(request, gettext("已记录处理情况"))
        else:
            services.close(request.user, warning, data.get("resolution", ""))
            messages.success(request, gettext("已关闭预警"))
    except DomainError as exc:
        return detail(request, pk, error=exc)
    return redirect("earlywarning:detail", pk)


@requires(services.HANDLE)
@require_POST
def take(request: HttpRequest, pk: int) -> HttpResponse:
    return _handle(request, pk, "take")


@requires(services.HANDLE)
@require_POST
def note(request: HttpRequest, pk: int) -> HttpResponse:
    return _handle(request, pk, "note")


@requires(services.HANDLE)
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    return _handle(request, pk, "close")


@requires(services.ADD_SIGNAL)
def revaluation(request: HttpRequest, loan_pk: int) -> HttpResponse:
    loan = get_object_or_404(visible_loans(request.user), pk=loan_pk)
    error = None
    if request.method == "POST":
        data = request.POST
        try:
            made = services.revalue(
                request.user,
                loan,
                data.get("collateral"),
                data.get("value", ""),
                appraiser=data.get("appraiser", ""),
                note=data.get("note", ""),
            )
        except DomainError as exc:
            error = exc
        else:
            if made.warning is not None:
                messages.warning(request, gettext("押品价值下降超过预警比例，已发出风险预警"))
                return redirect("earlywarning:detail", made.warning.pk)
            messages.success(request, gettext("已录入押品重估"))
            return redirect("earlywarning:revaluation", loan.pk)
    context = {
        "loan": loan,
        "collateral": services.collateral_of(loan),
        "history": CollateralRevaluation.objects.filter(loan=loan).select_related(
            "collateral", "entered_by"
        )[:20],
        "error": error,
        "values": request.POST if request.method == "POST" else {},
    }
    return render(
        request, "earlywarning/revaluation.html", context, status=error.status if error else 200
    )
