"""One customer: create and edit the profile, the detail page with its tabs, revealing a
personal-data field, and confirming the archive (梳理)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xindai.core.access import requires
from xindai.core.errors import DomainError
from xindai.customers import pii, queries, services
from xindai.customers.forms import CustomerForm, DocumentForm, RelationshipForm, SoftInfoForm
from xindai.customers.models import Circle, Customer, CustomerKind
from xindai.customers.sections import SECTION_BY_KEY, sections_for
from xindai.customers.views.common import ADD, CHANGE, FULL_PII, VIEW, tab_url, with_errors

HISTORY_PAGE_SIZE = 30


# ---- one customer ---------------------------------------------------------------------------


@requires(ADD)
def customer_create(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            customer = services.create_customer(request.user, request.POST)
        except DomainError as error:
            form = with_errors(CustomerForm(request.POST, actor=request.user), error)
        else:
            messages.success(request, _("客户已建档"))
            return redirect("customers:detail", customer.pk)
    else:
        kind = request.GET.get("kind") or CustomerKind.FARMER
        form = CustomerForm(actor=request.user, initial={"kind": kind, "manager": request.user.pk})
    return render(request, "customers/customer_form.html", {"form": form})


@requires(CHANGE)
def customer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    customer = queries.customer_for(request.user, pk)
    if request.method == "POST":
        try:
            services.update_customer(request.user, customer, request.POST.dict())
        except DomainError as error:
            customer = queries.customer_for(request.user, pk)  # the failed form touched it
            form = with_errors(
                CustomerForm(request.POST, instance=customer, actor=request.user), error
            )
        else:
            messages.success(request, _("客户信息已保存"))
            return redirect("customers:detail", customer.pk)
    else:
        form = CustomerForm(instance=customer, actor=request.user)
    return render(request, "customers/customer_form.html", {"form": form, "customer": customer})


# ---- the detail page and its tabs -----------------------------------------------------------


@requires(VIEW)
def customer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    customer = queries.customer_for(request.user, pk)
    return render_detail(request, customer, request.GET.get("tab", "profile"))


def tabs_of(customer: Customer) -> list[tuple[str, Any]]:
    sections = [(spec.key, spec.label) for spec in sections_for(customer.kind)]
    return [
        ("profile", gettext_lazy("基本信息")),
        *sections,
        ("soft", gettext_lazy("软信息")),
        ("documents", gettext_lazy("档案资料")),
        ("relations", gettext_lazy("客户关系")),
        ("history", gettext_lazy("变更历史")),
    ]


def render_detail(
    request: HttpRequest, customer: Customer, tab: str, bound: dict[str, Any] | None = None
) -> HttpResponse:
    """The detail page on one tab; ``bound`` carries a refused form to show with its errors."""
    tabs = tabs_of(customer)
    if tab not in dict(tabs):
        tab = "profile"
    assessment = services.assessment_of(customer)
    context = {
        "customer": customer,
        "assessment": assessment,
        "section_gaps": {gap.key for gap in assessment.gaps if gap.kind == "section"},
        "tabs": tabs,
        "tab": tab,
        "as_of": services.as_of_today(),
        **TAB_CONTENT.get(tab, section_tab)(request, customer, tab),
        **(bound or {}),
    }
    return render(request, "customers/detail.html", context)


def profile_tab(request: HttpRequest, customer: Customer, tab: str) -> dict[str, Any]:
    return {}


def section_tab(request: HttpRequest, customer: Customer, tab: str) -> dict[str, Any]:
    return {"spec": SECTION_BY_KEY[tab], "rows": services.section_rows(customer, tab)}


def soft_tab(request: HttpRequest, customer: Customer, tab: str) -> dict[str, Any]:
    notes = list(customer.soft_info.select_related("author"))
    circles = [
        (value, label, [n for n in notes if n.circle == value]) for value, label in Circle.choices
    ]
    return {"circles": circles, "soft_form": SoftInfoForm()}


def documents_tab(request: HttpRequest, customer: Customer, tab: str) -> dict[str, Any]:
    return {
        "documents": customer.documents.select_related("uploaded_by"),
        "document_form": DocumentForm(),
    }


def relations_tab(request: HttpRequest, customer: Customer, tab: str) -> dict[str, Any]:
    graph = {"center": customer.pk, **queries.graph_of(customer)}
    graph["categories"] = [{"name": _("本客户")}, {"name": _("关系人")}]
    return {
        "outgoing": customer.relations_out.select_related("target"),
        "incoming": customer.relations_in.select_related("source"),
        "graph": graph,
        "relation_form": relation_form(request, customer),
    }


def relation_form(request: HttpRequest, customer: Customer) -> forms.BaseForm:
    """The form offers the customers the user may see (the form's scope), less this one."""
    form = RelationshipForm(request.POST or None, actor=request.user)
    target: Any = form.fields["target"]
    target.queryset = target.queryset.exclude(pk=customer.pk).order_by("name")
    return form


def history_tab(request: HttpRequest, customer: Customer, tab: str) -> dict[str, Any]:
    entries = queries.history_of(customer)
    return {"page": Paginator(entries, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))}


TAB_CONTENT: dict[str, Callable[[HttpRequest, Customer, str], dict[str, Any]]] = {
    "profile": profile_tab,
    "soft": soft_tab,
    "documents": documents_tab,
    "relations": relations_tab,
    "history": history_tab,
}


# ---- revealing and confirming ---------------------------------------------------------------


@requires(FULL_PII)
@require_POST
def reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """The clear value of one personal-data field (audited by ``pii.reveal``), for htmx."""
    customer = queries.customer_for(request.user, pk)
    field, section = request.POST.get("field", ""), request.POST.get("section", "")
    try:
        row = int(request.POST.get("row") or 0)
        value = pii.reveal(request.user, customer, field, section, row)
    except (ValueError, DomainError):
        return HttpResponseBadRequest()
    except ObjectDoesNotExist as missing:
        raise Http404 from missing
    return render(request, "customers/_revealed.html", {"value": value})


@requires(CHANGE)
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    customer = queries.customer_for(request.user, pk)
    try:
        services.confirm_archive(request.user, customer)
    except DomainError as error:
        if error.code == "archive_incomplete":
            messages.error(request, _("档案尚不完整，不能确认梳理：请先补齐下列缺项"))
        else:
            messages.error(request, error.message)
    else:
        messages.success(request, _("档案已确认梳理"))
    return redirect("customers:detail", customer.pk)


# ---- saving a tab's form --------------------------------------------------------------------


def tab_post(
    request: HttpRequest,
    pk: int,
    tab: str,
    form_name: str,
    make_form: Callable[[Customer], forms.BaseForm],
    save: Callable[[Customer], Any],
) -> HttpResponse:
    """Save a tab's form through its service; a refusal shows the tab again with the errors."""
    customer = queries.customer_for(request.user, pk)
    try:
        save(customer)
    except DomainError as error:
        bound = {form_name: with_errors(make_form(customer), error)}
        return render_detail(request, customer, tab, bound)
    messages.success(request, _("已保存"))
    return redirect(tab_url(customer, tab))
