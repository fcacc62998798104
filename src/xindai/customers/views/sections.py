"""Changing the archive from the detail page: section rows, soft information and relations."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xindai.core.access import requires
from xindai.core.errors import DomainError
from xindai.customers import queries, services
from xindai.customers.forms import SoftInfoForm, section_form
from xindai.customers.models import Customer
from xindai.customers.sections import SECTION_BY_KEY
from xindai.customers.views.common import CHANGE, tab_url, with_errors
from xindai.customers.views.detail import relation_form, tab_post

# ---- sections -------------------------------------------------------------------------------


def section_row(customer: Customer, key: str, row_id: int | None) -> Model | None:
    """The row to edit (the single row of a one-row section), or None to add; 404 if unknown."""
    try:
        rows = services.section_rows(customer, key)
    except DomainError as error:
        raise Http404 from error
    if row_id:
        return get_object_or_404(rows, pk=row_id)
    return rows.first() if SECTION_BY_KEY[key].single else None


@requires(CHANGE)
def section_add(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    return section_page(request, pk, key, None)


@requires(CHANGE)
def section_edit(request: HttpRequest, pk: int, key: str, row: int) -> HttpResponse:
    return section_page(request, pk, key, row)


def section_page(request: HttpRequest, pk: int, key: str, row_id: int | None) -> HttpResponse:
    customer = queries.customer_for(request.user, pk)
    instance = section_row(customer, key, row_id)
    row_pk = instance.pk if instance else None
    if request.method == "POST":
        try:
            services.save_section_row(request.user, customer, key, request.POST, row_id=row_pk)
        except DomainError as error:
            form = with_errors(section_form(key)(request.POST, instance=instance), error)
        else:
            messages.success(request, _("已保存"))
            return redirect(tab_url(customer, key))
    else:
        form = section_form(key)(instance=instance)
    context = {"customer": customer, "spec": SECTION_BY_KEY[key], "form": form, "row": instance}
    return render(request, "customers/section_form.html", context)


@requires(CHANGE)
@require_POST
def section_delete(request: HttpRequest, pk: int, key: str, row: int) -> HttpResponse:
    customer = queries.customer_for(request.user, pk)
    section_row(customer, key, row)
    services.delete_section_row(request.user, customer, key, row)
    messages.success(request, _("已删除"))
    return redirect(tab_url(customer, key))


# ---- soft information and relations ---------------------------------------------------------


@requires(CHANGE)
@require_POST
def soft_info_add(request: HttpRequest, pk: int) -> HttpResponse:
    return tab_post(
        request,
        pk,
        "soft",
        "soft_form",
        lambda customer: SoftInfoForm(request.POST),
        lambda customer: services.add_soft_info(request.user, customer, request.POST),
    )


@requires(CHANGE)
@require_POST
def relation_add(request: HttpRequest, pk: int) -> HttpResponse:
    return tab_post(
        request,
        pk,
        "relations",
        "relation_form",
        lambda customer: relation_form(request, customer),
        lambda customer: services.add_relationship(request.user, customer, request.POST),
    )
