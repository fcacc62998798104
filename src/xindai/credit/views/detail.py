"""One application: creating it from a customer's archive, its detail page with the intake
sections, saving a section's form, running the admission check and taking a transition."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xindai.core.access import requires
from xindai.core.errors import DomainError
from xindai.credit import facts, intake, queries, services, stages
from xindai.credit.forms import (
    ApplicationForm,
    CoInvestigatorForm,
    CollateralForm,
    ConsentForm,
    CreditReportForm,
)
from xindai.credit.models import CreditApplication, StageChoice
from xindai.credit.views.common import (
    ADD,
    CHANGE,
    VIEW,
    application_for,
    detail_url,
    is_current,
    styled,
    texts,
)
from xindai.customers import queries as customer_queries
from xindai.customers.services import as_of_today
from xindai.customers.views.common import with_errors
from xindai.products.models import Guarantee

GUARANTEES = dict(Guarantee.choices)

# ---- a new application ---------------------------------------------------------------------


@requires(ADD)
def application_create(request: HttpRequest, customer: int) -> HttpResponse:
    borrower = customer_queries.customer_for(request.user, customer)
    form: forms.BaseForm
    if request.method == "POST":
        try:
            application = services.create_application(request.user, borrower, request.POST)
        except DomainError as error:
            bound = ApplicationForm(request.POST, actor=request.user, customer=borrower)
            form = with_errors(bound, error)
        else:
            messages.success(request, _("申请已提交，进入申请受理"))
            return redirect(detail_url(application))
    else:
        initial = {"source": "walk_in", "legal_capacity": "full"}
        form = ApplicationForm(actor=request.user, customer=borrower, initial=initial)
    context = {"form": styled(form), "customer": borrower}
    return render(request, "credit/new.html", context)


# ---- the detail page -----------------------------------------------------------------------


@requires(VIEW)
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_detail(request, application_for(request.user, pk))


def render_detail(
    request: HttpRequest, application: CreditApplication, bound: dict[str, Any] | None = None
) -> HttpResponse:
    """The detail page; ``bound`` carries a refused form to show with its errors."""
    context = detail_context(request.user, application) | (bound or {})
    return render(request, "credit/detail.html", context)


def detail_context(user: Any, application: CreditApplication) -> dict[str, Any]:
    today = as_of_today()
    latest = facts.latest_check(application)
    return {
        "application": application,
        "today": today,
        "late": queries.is_late(application, today),
        "progress": progress_of(application),
        "guarantee_labels": [GUARANTEES.get(g, g) for g in application.guarantee_methods],
        "checklist": checklist_of(application, today),
        "min_completeness": facts.current_policy()[1].min_archive_completeness,
        "consent": getattr(application, "consent", None),
        "report": getattr(application, "credit_report", None),
        "collateral": application.collateral.all(),
        "guarantors": application.guarantors.select_related("guarantor"),
        "latest_check": latest,
        "check_is_current": is_current(application, latest),
        "actions": [
            (move, texts(services.unmet(user, application, move.name, reason="-")))
            for move in queries.actions_for(user, application)
        ],
        **forms_for(user, application),
    }


def progress_of(application: CreditApplication) -> list[dict[str, Any]]:
    """The eight stages, each done, current, stopped (where an ended application stopped) or
    still to come."""
    reached = stages.Stage(application.stage)
    ended = reached in stages.ENDS
    if ended:
        last = application.events.order_by("-at", "-pk").first()
        reached = stages.Stage(last.from_stage if last else stages.Stage.MARKETING)
    here = stages.PROCESS.index(reached)

    def state(index: int) -> str:
        if index == here:
            return "stopped" if ended else "current"
        return "done" if index < here else "todo"

    return [
        {"stage": stage.value, "label": StageChoice(stage.value).label, "state": state(index)}
        for index, stage in enumerate(stages.PROCESS)
    ]


def checklist_of(application: CreditApplication, today: Any) -> list[tuple[str, bool]]:
    """Each document the application needs, and whether the archive holds it valid today."""
    missing = set(facts.missing_documents(application, today))
    needed = intake.checklist(
        application.customer.kind, application.purpose, frozenset(application.guarantee_methods)
    )
    return [(facts.document_label(doc), doc not in missing) for doc in needed]


def forms_for(user: Any, application: CreditApplication) -> dict[str, Any]:
    """The forms of the intake steps this user may still take (the services decide)."""
    editable = (
        user.has_perm(CHANGE)
        and application.stage in (stages.Stage.MARKETING, stages.Stage.INTAKE)
        and application.accepted_at is None
    )
    consent = getattr(application, "consent", None)
    report = getattr(application, "credit_report", None)
    manager_here = user.pk == application.manager_id and application.stage in (
        stages.Stage.INTAKE,
        stages.Stage.INVESTIGATION,
    )
    initial = {"co_investigator": application.co_investigator_id}
    return {
        "editable": editable,
        "consent_form": ConsentForm() if editable and consent is None else None,
        "report_form": CreditReportForm(instance=report) if editable and consent else None,
        "collateral_form": CollateralForm() if editable else None,
        "co_form": CoInvestigatorForm(actor=user, initial=initial) if manager_here else None,
    }


# ---- saving a section ----------------------------------------------------------------------


def section_post(
    request: HttpRequest,
    pk: int,
    section: str,
    form_name: str,
    make_form: Callable[[], forms.BaseForm],
    save: Callable[[CreditApplication], Any],
) -> HttpResponse:
    """Save a section through its service; a refusal shows the page again with the errors."""
    application = application_for(request.user, pk)
    try:
        save(application)
    except DomainError as error:
        return render_detail(request, application, {form_name: with_errors(make_form(), error)})
    messages.success(request, _("已保存"))
    return redirect(detail_url(application, section))


@requires(CHANGE)
@require_POST
def consent(request: HttpRequest, pk: int) -> HttpResponse:
    return section_post(
        request,
        pk,
        "consent",
        "consent_form",
        lambda: ConsentForm(request.POST, request.FILES),
        lambda app: services.record_consent(request.user, app, request.POST, request.FILES),
    )


@requires(CHANGE)
@require_POST
def credit_report(request: HttpRequest, pk: int) -> HttpResponse:
    return section_post(
        request,
        pk,
        "report",
        "report_form",
        lambda: CreditReportForm(request.POST),
        lambda app: services.record_credit_report(request.user, app, request.POST),
    )


@requires(CHANGE)
@require_POST
def collateral(request: HttpRequest, pk: int) -> HttpResponse:
    return section_post(
        request,
        pk,
        "collateral",
        "collateral_form",
        lambda: CollateralForm(request.POST),
        lambda app: services.add_collateral(request.user, app, request.POST),
    )


@requires(CHANGE)
@require_POST
def co_investigator(request: HttpRequest, pk: int) -> HttpResponse:
    return section_post(
        request,
        pk,
        "investigators",
        "co_form",
        lambda: CoInvestigatorForm(request.POST, actor=request.user),
        lambda app: services.set_co_investigator(request.user, app, request.POST),
    )


# ---- admission check and transitions -------------------------------------------------------


@requires(CHANGE)
@require_POST
def check_admission(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for(request.user, pk)
    try:
        services.check_admission(request.user, application)
    except DomainError as refused:  # e.g. no LPR quotation to price the loan on that day
        messages.error(request, refused.message)
        return redirect(detail_url(application, "admission"))
    return redirect("credit:admission", application.pk)


@requires(VIEW)
@require_POST
def take(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """Take a transition after the page's confirmation; a refusal says every reason."""
    application = application_for(request.user, pk)
    if name not in stages.BY_NAME:
        raise Http404
    try:
        services.take(request.user, application, name, request.POST.get("reason", ""))
    except DomainError as refused:
        messages.error(request, refused.message)
    else:
        label = _(stages.BY_NAME[name].label)
        messages.success(request, _("已办理“%(action)s”") % {"action": label})
    return redirect(detail_url(application))
