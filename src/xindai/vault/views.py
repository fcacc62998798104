"""Pages of registration and the vault: an application's panel (register, receive, release),
the vault register and an item's history, the off-balance-sheet list with its Excel export, and
the reconciliation. Thin: they look records up in the user's scope and call the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xindai.audit import services as audit
from xindai.core.access import requires
from xindai.core.errors import DomainError, FormInvalid
from xindai.core.paging import page_of
from xindai.credit.models import CreditApplication
from xindai.credit.queries import application_for
from xindai.customers.responses import xlsx_response
from xindai.customers.views.common import with_errors
from xindai.org.models import OrgUnit
from xindai.vault import excel, presenters, queries, services
from xindai.vault.forms import DecisionForm, ReceiveForm, RegistrationForm, ReleaseForm
from xindai.vault.models import ItemKind, ItemStatus, MovementState, Registration

VIEW_REGISTRATION, VIEW_ITEMS = "vault.view_registration", "vault.view_vaultitem"
LIST_FILTERS = ("q", "status", "kind", "unit", "pending", "received_from", "received_to")


def panel_url(application: CreditApplication, anchor: str = "") -> str:
    url = reverse("vault:panel", args=[application.pk])
    return f"{url}#{anchor}" if anchor else url


def _message(error: DomainError) -> str:
    """The refusal and each of its reasons, in one line (for a flash message)."""
    details = error.details if isinstance(error.details, dict) else {}
    reasons = [str(text) for texts in details.values() for text in texts]
    return "；".join([error.message, *reasons])


def refused(form: forms.Form, error: DomainError) -> forms.Form:
    """The bound form with the service's refusal: each reason on its field."""
    with_errors(form, error)
    if not isinstance(error, FormInvalid) and isinstance(error.details, dict):
        for name, texts in error.details.items():
            for text in texts:
                form.add_error(name if name in form.fields else None, str(text))
    return form


# ---- the application's panel ----------------------------------------------------------------


@requires(VIEW_REGISTRATION)
def panel(request: HttpRequest, pk: int) -> HttpResponse:
    return render_panel(request, application_for(request.user, pk))


def render_panel(
    request: HttpRequest, application: CreditApplication, bound: dict[str, forms.Form] | None = None
) -> HttpResponse:
    bound = bound or {}
    rows = []
    for row in queries.panel(application):
        collateral, registration = row["collateral"], row["registration"]
        key = f"register-{collateral.pk}"
        row["register_form"] = bound.get(key) or RegistrationForm(
            initial={"secured_amount": application.amount}, prefix=key
        )
        if registration is not None:
            key = f"receive-{registration.pk}"
            default_kind = (
                ItemKind.CERTIFICATE if collateral.kind == "mortgage" else ItemKind.PLEDGED_ITEM
            )
            row["receive_form"] = bound.get(key) or ReceiveForm(
                initial={"kind": default_kind}, prefix=key
            )
            row["receive_open"] = key in bound
            row["has_in"] = any(item.status == ItemStatus.IN for item in row["items"])
        row["register_open"] = f"register-{collateral.pk}" in bound
        rows.append(row)
    context = {
        "application": application,
        "rows": rows,
        "today": services.as_of_today(),
        "can_register": application.stage == "disbursement",
        "release_form": ReleaseForm(),
    }
    return render(request, "vault/panel.html", context)


@require_POST
@requires("vault.add_registration")
def register(request: HttpRequest, pk: int, collateral_pk: int) -> HttpResponse:
    application = application_for(request.user, pk)
    collateral = get_object_or_404(application.collateral, pk=collateral_pk)
    key = f"register-{collateral.pk}"
    form = RegistrationForm(request.POST, prefix=key)
    data = {name: request.POST.get(f"{key}-{name}", "") for name in form.fields}
    try:
        registration = services.register(request.user, collateral, data)
    except DomainError as error:
        return render_panel(request, application, {key: refused(form, error)})
    messages.success(request, _("已登记：%(number)s") % {"number": registration.certificate_no})
    return redirect(panel_url(application, f"collateral-{collateral.pk}"))


@require_POST
@requires("vault.keep_vault")
def receive(request: HttpRequest, pk: int) -> HttpResponse:
    registration: Registration = queries.registration_for(request.user, pk)
    application = registration.collateral.application
    key = f"receive-{registration.pk}"
    form = ReceiveForm(request.POST, prefix=key)
    data = {name: request.POST.get(f"{key}-{name}", "") for name in form.fields}
    try:
        item = services.receive(request.user, registration, data)
    except DomainError as error:
        return render_panel(request, application, {key: refused(form, error)})
    shown = {"number": item.number, "value": f"{item.value:,.2f}"}
    messages.success(request, _("已入库：%(number)s，表外登记 %(value)s 元") % shown)
    return redirect(panel_url(application, f"collateral-{registration.collateral_id}"))


@require_POST
@requires("vault.keep_vault")
def request_release(request: HttpRequest, pk: int) -> HttpResponse:
    item = queries.item_for(request.user, pk)
    try:
        services.request_release(request.user, item, request.POST)
    except DomainError as error:
        messages.error(request, _message(error))
    else:
        messages.success(request, _("已提交出库申请，待审批：%(number)s") % {"number": item.number})
    return redirect(_back(request, reverse("vault:item", args=[item.pk])))


@require_POST
@requires("vault.approve_release")
def decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    movement = queries.movement_for(request.user, pk)
    act = services.approve_release if decision == "approve" else services.refuse_release
    try:
        act(request.user, movement, request.POST)
    except DomainError as error:
        messages.error(request, _message(error))
    else:
        done = (
            _("已同意出库：%(number)s")
            if decision == "approve"
            else _("已驳回出库申请：%(number)s")
        )
        messages.success(request, done % {"number": movement.item.number})
    return redirect(_back(request, reverse("vault:item", args=[movement.item_id])))


def _back(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") else default


# ---- the vault register and an item --------------------------------------------------------


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def filters_of(request: HttpRequest) -> dict[str, str]:
    return {key: request.GET.get(key, "").strip() for key in LIST_FILTERS}


def criteria(filters: dict[str, str]) -> dict[str, Any]:
    return {
        "q": filters["q"],
        "status": filters["status"],
        "kind": filters["kind"],
        "unit": filters["unit"],
        "pending": filters["pending"] == "1",
        "received_from": _date(filters["received_from"]),
        "received_to": _date(filters["received_to"]),
    }


def _choices(request: HttpRequest) -> dict[str, Any]:
    units = queries.visible_items(request.user).values("application__org_unit")
    return {
        "kinds": ItemKind.choices,
        "statuses": ItemStatus.choices,
        "units": OrgUnit.objects.filter(pk__in=units).order_by("code"),
    }


@requires(VIEW_ITEMS)
def items(request: HttpRequest) -> HttpResponse:
    filters = filters_of(request)
    page = page_of(queries.items_for(request.user, **criteria(filters)), request.GET.get("page"))
    if request.headers.get("HX-Request"):
        return render(request, "vault/_item_rows.html", {"page": page})
    return render(
        request, "vault/items.html", {"page": page, "filters": filters} | _choices(request)
    )


@requires(VIEW_ITEMS)
def item(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.item_for(request.user, pk)
    movements = found.movements.select_related("requested_by", "approved_by").order_by("at", "pk")
    context = {
        "item": found,
        "movements": movements,
        "pending": movements.filter(state=MovementState.PENDING).first(),
        "release_form": ReleaseForm(),
        "decision_form": DecisionForm(),
    }
    return render(request, "vault/item.html", context)


# ---- the off-balance-sheet list (表外登记) ------------------------------------------------------


@requires(VIEW_ITEMS)
def off_balance(request: HttpRequest) -> HttpResponse:
    filters = filters_of(request)
    found = queries.items_for(request.user, **(criteria(filters) | {"status": ItemStatus.IN}))
    context = {
        "page": page_of(found, request.GET.get("page")),
        "filters": filters,
        "totals": queries.totals(found),
    } | _choices(request)
    return render(request, "vault/off_balance.html", context)


@requires(VIEW_ITEMS)
def off_balance_export(request: HttpRequest) -> HttpResponse:
    filters = filters_of(request)
    found = queries.items_for(request.user, **(criteria(filters) | {"status": ItemStatus.IN}))
    content = excel.off_balance_workbook(found, queries.totals(found))
    audit.record(
        "vault.off_balance_exported",
        actor=request.user,
        object_type="vault.vaultitem",
        changes={"count": found.count(), "filters": {k: v for k, v in filters.items() if v}},
    )
    return xlsx_response(content, f"表外登记清单-{timezone.localdate():%Y%m%d}.xlsx")


# ---- reconciliation (对账) ---------------------------------------------------------------------


@requires(VIEW_ITEMS)
def reconciliation(request: HttpRequest) -> HttpResponse:
    result = presenters.reconciliation_json(queries.reconcile(request.user))
    return render(request, "vault/reconcile.html", {"result": result})
