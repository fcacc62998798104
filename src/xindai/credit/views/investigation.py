"""The investigation record of an application (实地调查), made for a phone in the field: the
visit and its checklist, the soft information of the three circles, photos and evidence, the
two investigators' confirmations and what is still missing before 提交调查.

Every change goes through :mod:`xindai.credit.investigation`, which checks that the user is
one of the case's two investigators and that the application is in 实地调查.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xindai.core.access import requires
from xindai.core.errors import DomainError
from xindai.credit import investigation
from xindai.credit.investigation import FileForm, RecordForm
from xindai.credit.models import CreditApplication, InvestigationFile
from xindai.credit.views.common import VIEW, application_for
from xindai.customers.forms import SoftInfoForm
from xindai.customers.models import Circle, Customer
from xindai.customers.services import as_of_today
from xindai.customers.views.common import with_errors

PHOTO = InvestigationFile.Kind.PHOTO
EDIT_ARCHIVE = "customers.change_customer"


@requires(VIEW)
def investigation_page(request: HttpRequest, pk: int) -> HttpResponse:
    return render_investigation(request, application_for(request.user, pk))


def render_investigation(
    request: HttpRequest, application: CreditApplication, bound: dict[str, Any] | None = None
) -> HttpResponse:
    """The record page; ``bound`` carries a refused form to show with its errors."""
    context = page_context(request.user, application) | (bound or {})
    form = context["record_form"]
    context["rows"] = [
        (item, form[f"{item.key}_result"], form[f"{item.key}_note"]) for item in form.items
    ]
    return render(request, "credit/investigation.html", context)


def page_context(user: Any, application: CreditApplication) -> dict[str, Any]:
    record = investigation.record_of(application)
    editable = investigation.may_edit(user, application)
    files = application.investigation_files.select_related("uploaded_by").order_by("pk")
    confirmations = investigation.current_confirmations(application)
    return {
        "application": application,
        "record": record,
        "editable": editable,
        "record_form": record_form(application, initial=investigation.record_initial(record)),
        "circles": circles_of(application.customer),
        "soft_form": soft_form() if editable and user.has_perm(EDIT_ARCHIVE) else None,
        "photos": [f for f in files if f.kind == PHOTO],
        "evidence": [f for f in files if f.kind != PHOTO],
        "photo_form": FileForm(initial={"kind": PHOTO}) if editable else None,
        "evidence_form": evidence_form() if editable else None,
        "confirmations": confirmation_rows(application, confirmations),
        "can_confirm": editable and user.pk not in {c.investigator_id for c in confirmations},
        "record_complete": not investigation.incomplete(application, record),
        "outstanding": outstanding_rows(application),
    }


def record_form(application: CreditApplication, *args: Any, **kwargs: Any) -> RecordForm:
    return RecordForm(*args, kind=application.customer.kind, **kwargs)


def soft_form(data: Any = None) -> forms.BaseForm:
    return SoftInfoForm(data, initial={"noted_on": as_of_today()})


def evidence_form(*args: Any) -> FileForm:
    form = FileForm(*args)
    kind: Any = form.fields["kind"]
    kind.choices = [(k, label) for k, label in InvestigationFile.Kind.choices if k != PHOTO]
    return form


def circles_of(customer: Customer) -> list[tuple[str, Any, list[Any]]]:
    """The archive's soft information, by circle (生意圈, 生活圈, 社交圈)."""
    notes = list(customer.soft_info.select_related("author"))
    return [
        (value, label, [n for n in notes if n.circle == value]) for value, label in Circle.choices
    ]


def confirmation_rows(
    application: CreditApplication, confirmations: list[Any]
) -> list[dict[str, Any]]:
    """The two investigators, each with the time he confirmed (or None)."""
    at = {c.investigator_id: c.confirmed_at for c in confirmations}
    people = [(_("主调查人"), application.manager), (_("协办调查人"), application.co_investigator)]
    return [
        {"role": role, "person": person, "at": at.get(person.pk) if person else None}
        for role, person in people
    ]


def outstanding_rows(application: CreditApplication) -> list[dict[str, str]]:
    """The unmet conditions of 提交调查 (the template links each to where it is done); the
    checklist items not yet done make one row (the checklist marks which they are)."""
    problems = investigation.outstanding(application)
    unanswered = sum(problem.field == "checklist" for problem in problems)
    rows: list[dict[str, str]] = []
    for problem in problems:
        if problem.field != "checklist":
            rows.append({"key": problem.field, "text": problem.text(gettext)})
        elif not any(row["key"] == "checklist" for row in rows):
            text = ngettext(
                "调查核实事项尚有 %(count)s 项未完成",
                "调查核实事项尚有 %(count)s 项未完成",
                unanswered,
            )
            rows.append({"key": "checklist", "text": text % {"count": unanswered}})
    return rows


# ---- changes -------------------------------------------------------------------------------


def record_post(
    request: HttpRequest,
    pk: int,
    section: str,
    form_name: str,
    make_form: Callable[[CreditApplication], forms.BaseForm],
    save: Callable[[CreditApplication], Any],
    done: str = "",
) -> HttpResponse:
    """Save through the service; a refusal shows the page again with the errors (or, with
    no form, says why)."""
    application = application_for(request.user, pk)
    try:
        save(application)
    except DomainError as error:
        if form_name:
            bound = {form_name: with_errors(make_form(application), error)}
            return render_investigation(request, application, bound)
        messages.error(request, error.message)
    else:
        messages.success(request, done or _("已保存"))
    return redirect(f"{reverse('credit:investigation', args=[application.pk])}#{section}")


@requires(VIEW)
@require_POST
def investigation_save(request: HttpRequest, pk: int) -> HttpResponse:
    return record_post(
        request,
        pk,
        "record",
        "record_form",
        lambda app: record_form(app, request.POST),
        lambda app: investigation.save_record(request.user, app, request.POST),
    )


@requires(VIEW)
@require_POST
def investigation_upload(request: HttpRequest, pk: int) -> HttpResponse:
    photo = request.POST.get("kind") == PHOTO
    return record_post(
        request,
        pk,
        "photos" if photo else "evidence",
        "photo_form" if photo else "evidence_form",
        lambda app: (FileForm if photo else evidence_form)(request.POST, request.FILES),
        lambda app: investigation.add_file(request.user, app, request.POST, request.FILES),
    )


@requires(VIEW)
@require_POST
def investigation_soft_info(request: HttpRequest, pk: int) -> HttpResponse:
    return record_post(
        request,
        pk,
        "soft-info",
        "soft_form",
        lambda app: soft_form(request.POST),
        lambda app: investigation.add_soft_info(request.user, app, request.POST),
    )


@requires(VIEW)
@require_POST
def investigation_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    return record_post(
        request,
        pk,
        "confirmations",
        "",
        lambda app: forms.Form(),
        lambda app: investigation.confirm(request.user, app),
        _("已确认调查结果"),
    )


@requires(VIEW)
def investigation_file(request: HttpRequest, pk: int, file: int) -> FileResponse:
    """A photo shown in the page, or evidence downloaded (never through a public media URL)."""
    application = application_for(request.user, pk)
    item = get_object_or_404(application.investigation_files, pk=file)
    inline = item.content_type in investigation.IMAGES
    name = f"{item.get_kind_display()}-{item.pk}{item.file.name[item.file.name.rfind('.') :]}"
    return FileResponse(
        item.file.open("rb"),
        as_attachment=not inline,
        filename=name,
        content_type=item.content_type,
    )
