"""The investigation report pages (调查报告): the seven sections generated from the data with
the manager's narrative under each, a clean preview, finalising (DOCX, PDF where LibreOffice
is installed) and the audited download of a finalised version."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xindai.core.access import requires
from xindai.core.errors import DomainError
from xindai.credit import report
from xindai.credit.models import CreditApplication
from xindai.credit.views.common import VIEW, application_for
from xindai.credit.views.limit import can_edit
from xindai.customers.services import as_of_today
from xindai.customers.views.common import with_errors


def report_url(application: CreditApplication) -> str:
    return reverse("credit:report", args=[application.pk])


@requires(VIEW)
def report_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The report as it stands, each section's narrative editable; POST saves them."""
    application = application_for(request.user, pk)
    if request.method != "POST":
        return render_report(request, application, report.sections_form(application))
    try:
        report.save_sections(request.user, application, request.POST)
    except DomainError as error:
        form = with_errors(report.sections_form(application, request.POST), error)
        return render_report(request, application, form)
    messages.success(request, _("调查报告内容已保存"))
    return redirect(report_url(application))


def render_report(
    request: HttpRequest, application: CreditApplication, form: forms.BaseForm
) -> HttpResponse:
    editable = can_edit(request.user, application)
    data = report.build(application, as_of_today())
    context = {
        "application": application,
        "data": data,
        "sections": [(section, form[section.key]) for section in data.sections],
        "form": form,
        "editable": editable,
        "versions": report.reports_of(application),
        "has_limit": data.assessment is not None,
    }
    return render(request, "credit/report.html", context)


@requires(VIEW)
def report_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The report as it will read when finalised (in the page's language)."""
    application = application_for(request.user, pk)
    context: dict[str, Any] = {"application": application}
    context["data"] = report.build(application, as_of_today())
    return render(request, "credit/report_preview.html", context)


@requires(VIEW)
@require_POST
def report_finalise(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for(request.user, pk)
    try:
        made = report.finalise(request.user, application, as_of_today())
    except DomainError as refused:
        messages.error(request, refused.message)
    else:
        shown = {"version": made.version}
        messages.success(request, _("调查报告已定稿：第 %(version)s 版") % shown)
    return redirect(report_url(application))


@requires(VIEW)
def report_download(request: HttpRequest, pk: int, version: int, fmt: str) -> FileResponse:
    """A finalised version's DOCX or PDF; the application must be in the user's scope."""
    application = application_for(request.user, pk)
    found = get_object_or_404(application.reports, version=version)
    try:
        stored = report.open_report(request.user, found, fmt)
    except DomainError as missing:
        raise Http404(missing.message) from missing
    return FileResponse(
        stored.open("rb"),
        as_attachment=True,
        filename=report.download_name(found, fmt),
        content_type=report.FORMATS[fmt],
    )
