"""The applications a user may see, searched and filtered, and his own work queue (我的待办)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xindai.core.access import requires
from xindai.core.paging import page_of
from xindai.credit import queries
from xindai.credit.models import CreditApplication, StageChoice
from xindai.credit.views.common import VIEW
from xindai.customers.services import as_of_today
from xindai.products.models import LoanProduct

LIST_FILTERS = ("q", "stage", "late", "product")


def filters_of(request: HttpRequest) -> dict[str, str]:
    return {key: request.GET.get(key, "").strip() for key in LIST_FILTERS}


def matching(user: Any, filters: dict[str, str], today: dt.date) -> QuerySet[CreditApplication]:
    """The user's applications: ``q`` matches the number or the customer's name; ``late`` keeps
    those past their answer time (``queries.is_late``)."""
    found = queries.visible_applications(user)
    if filters["q"]:
        q = filters["q"]
        found = found.filter(Q(number__icontains=q) | Q(customer__name__icontains=q))
    if filters["stage"]:
        found = found.filter(stage=filters["stage"])
    if filters["product"]:
        found = found.filter(product__code=filters["product"])
    if filters["late"]:
        open_ones = found.filter(answer_due__lt=today).select_related(None)
        open_ones = open_ones.only("pk", "stage", "answer_due")
        found = found.filter(pk__in=[a.pk for a in open_ones if queries.is_late(a, today)])
    return found.order_by("-created_at", "-pk")


@requires(VIEW)
def application_list(request: HttpRequest) -> HttpResponse:
    filters, today = filters_of(request), as_of_today()
    page = page_of(matching(request.user, filters, today), request.GET.get("page"))
    late_ids = {a.pk for a in page if queries.is_late(a, today)}
    context = {"page": page, "filters": filters, "late_ids": late_ids, "tab": "all"}
    if request.headers.get("HX-Request"):
        return render(request, "credit/_rows.html", context)
    return render(request, "credit/list.html", context | list_choices(request.user))


@requires(VIEW)
def application_queue(request: HttpRequest) -> HttpResponse:
    today = as_of_today()
    found = queries.queue(request.user)
    late_ids = {a.pk for a, _actions in found if queries.is_late(a, today)}
    context = {"queue": found, "late_ids": late_ids, "tab": "queue"}
    return render(request, "credit/queue.html", context)


def list_choices(user: Any) -> dict[str, Any]:
    """What the filters offer: the stages, and the products of the user's applications."""
    used = queries.visible_applications(user).values("product")
    return {
        "stages": StageChoice.choices,
        "products": LoanProduct.objects.filter(pk__in=used).order_by("code"),
    }
