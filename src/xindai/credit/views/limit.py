"""The credit-limit page (授信额度测算): the inputs prefilled from the data and editable, each
method's steps and the suggestion, saving the assessment; the collateral register and the
guarantors' capacity on the same page, editable by the case's investigators."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xindai.core.access import requires
from xindai.core.errors import DomainError
from xindai.credit import limit, services, stages
from xindai.credit.forms import CollateralForm, GuarantorCapacityForm, LimitForm
from xindai.credit.limit_data import prefill
from xindai.credit.models import ApplicationGuarantor, CreditApplication
from xindai.credit.views.common import VIEW, application_for, styled, texts
from xindai.customers.services import as_of_today
from xindai.customers.views.common import with_errors

TEN_THOUSAND = 10_000


def limit_url(application: CreditApplication, section: str = "") -> str:
    url = reverse("credit:limit", args=[application.pk])
    return f"{url}#{section}" if section else url


@requires(VIEW)
def limit_page(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the last saved inputs (``?fresh=1``: those of the data) and their results; POST:
    the results of the inputs typed (``action=preview``), or the assessment saved."""
    application = application_for(request.user, pk)
    if request.method != "POST":
        return render_limit(request, application, start_form(application, request.GET))
    if request.POST.get("action") != "save":
        return render_limit(request, application, LimitForm(request.POST))
    try:
        saved = limit.assess(request.user, application, request.POST, as_of_today())
    except DomainError as error:
        return render_limit(request, application, with_errors(LimitForm(request.POST), error))
    shown = {"limit": f"{saved.suggested:,.2f}"}
    messages.success(request, _("授信额度测算已保存：建议额度 %(limit)s 元") % shown)
    return redirect(limit_url(application))


def start_form(application: CreditApplication, query: Any = None) -> LimitForm:
    today = as_of_today()
    if query is not None and query.get("fresh") == "1":
        inputs = prefill(application, today).inputs
    else:
        inputs = limit.starting_inputs(application, today)
    return LimitForm(limit.form_data(inputs))


def render_limit(
    request: HttpRequest,
    application: CreditApplication,
    form: forms.BaseForm,
    refused: tuple[int, forms.BaseForm] | None = None,
    **bound: Any,
) -> HttpResponse:
    """The page; ``bound`` replaces a form of the context by one refused with its errors,
    ``refused`` the form of one guarantor (its pk, the form)."""
    context = limit_context(request.user, application, form) | bound
    if refused is not None:
        context["guarantors"] = [
            (view, shown, refused[1] if view.row.pk == refused[0] else form_)
            for view, shown, form_ in context["guarantors"]
        ]
    return render(request, "credit/limit.html", context)


def limit_context(user: Any, application: CreditApplication, form: Any) -> dict[str, Any]:
    today = as_of_today()
    editable = can_edit(user, application)
    checked = LimitForm(form.data)  # the results of the inputs, even when saving was refused
    result = None
    if checked.is_valid():
        computation = limit.compute(application, limit.inputs_of(checked.cleaned_data), today)
        result = limit.result_json(application, computation, gettext)
    methods = limit.methods_of(application)
    return {
        "application": application,
        "today": today,
        "form": form,
        "result": result,
        "chart": _chart(result),
        "yuan_unit": gettext("元"),
        "groups": field_groups(form, methods),
        "sources": texts(prefill(application, today).sources),
        "latest": limit.latest(application),
        "editable": editable,
        "collateral": application.collateral.order_by("pk"),
        "collateral_form": styled(CollateralForm()) if editable else None,
        "guarantors": [
            (view, limit.guarantor_json(view, gettext), guarantor_form(view.row, view))
            for view in limit.guarantors(application)
        ],
    }


def field_groups(form: Any, methods: tuple[Any, ...]) -> list[tuple[str, str, list[Any]]]:
    """The inputs of the methods that apply to this customer, and the loan's terms."""
    groups: list[tuple[str, str, tuple[str, ...]]] = []
    if limit.WC in methods:
        groups.append(("working-capital", _("流动资金需求测算"), LimitForm.WORKING_CAPITAL))
    if limit.CF in methods:
        groups.append(("cash-flow", _("可支配现金流测算"), LimitForm.CASH_FLOW))
    groups.append(("terms", _("贷款条件"), LimitForm.TERMS))
    return [(key, legend, [form[name] for name in names]) for key, legend, names in groups]


def can_edit(user: Any, application: CreditApplication) -> bool:
    """The case's investigators during 实地调查 (the services decide; the page only offers)."""
    return application.stage == stages.Stage.INVESTIGATION and user.pk in (
        application.manager_id,
        application.co_investigator_id,
    )


def _chart(result: dict[str, Any] | None) -> list[list[Any]]:
    """Each method's limit in 万元, for the bar chart."""
    if result is None:
        return []
    return [
        [method["label"], round(float(method["limit"]) / TEN_THOUSAND, 2)]
        for method in result["methods"]
        if method["limit"] is not None
    ]


def guarantor_form(
    row: ApplicationGuarantor, view: limit.GuarantorView | None = None, data: Any = None
) -> forms.BaseForm:
    initial: dict[str, Any] = {}
    if view is not None:
        initial = {"net_assets": view.net_assets, "guarantees_given": view.guarantees_given}
    initial["willing"] = row.willing
    return GuarantorCapacityForm(data, initial=initial, prefix=f"g{row.pk}")


@requires(VIEW)
@require_POST
def limit_collateral(request: HttpRequest, pk: int) -> HttpResponse:
    """An item added to the collateral register during the investigation."""
    application = application_for(request.user, pk)
    try:
        services.add_collateral(request.user, application, request.POST)
    except DomainError as error:
        bound = with_errors(styled(CollateralForm(request.POST)), error)
        return render_limit(request, application, start_form(application), collateral_form=bound)
    messages.success(request, _("押品已登记"))
    return redirect(limit_url(application, "collateral"))


@requires(VIEW)
@require_POST
def guarantor_capacity(request: HttpRequest, pk: int, guarantor: int) -> HttpResponse:
    """A guarantor's net assets, guarantees given and willingness, as investigated."""
    application = application_for(request.user, pk)
    row = get_object_or_404(application.guarantors, pk=guarantor)
    form = guarantor_form(row, data=request.POST)
    try:
        limit.assess_guarantor(
            request.user, row, {name: form[name].value() for name in form.fields}
        )
    except DomainError as error:
        return render_limit(
            request,
            application,
            start_form(application),
            refused=(row.pk, with_errors(form, error)),
        )
    messages.success(request, _("保证人担保能力已保存"))
    return redirect(limit_url(application, "guarantors"))
