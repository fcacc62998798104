"""The page of the loan import (存量贷款迁移): upload with the dry-run and partial options, the
result with every row's problems, the template and the error report (xlsx and JSON)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from xindai.core.access import requires
from xindai.customers.responses import xlsx_response
from xindai.loans.importer import PERMISSION, error_report, import_loans, template_workbook

LAST_ERRORS = "loans_import_errors"  # session key: the last import's problems (masked)
MAX_BYTES = 20 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(label=_("导入文件（.xlsx 或 .csv）"))
    dry_run = forms.BooleanField(label=_("只检查，不导入"), required=False)
    partial = forms.BooleanField(label=_("只导入正确的行（有误的行列入错误清单）"), required=False)

    def clean_file(self) -> Any:
        file = self.cleaned_data["file"]
        if file.size > MAX_BYTES:
            raise forms.ValidationError(_("文件不能超过 20 MB"))
        return file


@requires(PERMISSION)
def import_page(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = import_loans(
            request.user,
            data["file"].read(),
            filename=data["file"].name,
            dry_run=data["dry_run"],
            partial=data["partial"],
        )
        request.session[LAST_ERRORS] = [error.as_json() for error in result.errors]
        context["result"] = result
    return render(request, "loans/import.html", context)


@requires(PERMISSION)
def import_template(request: HttpRequest) -> HttpResponse:
    return xlsx_response(template_workbook(), "存量贷款导入模板.xlsx")


def _last_errors(request: HttpRequest) -> list[dict[str, Any]]:
    errors = request.session.get(LAST_ERRORS)
    if not errors:
        raise Http404
    return list(errors)


@requires(PERMISSION)
def import_errors(request: HttpRequest) -> HttpResponse:
    return xlsx_response(error_report(_last_errors(request)), "存量贷款导入错误清单.xlsx")


@requires(PERMISSION)
def import_errors_json(request: HttpRequest) -> HttpResponse:
    return JsonResponse(
        {"errors": _last_errors(request)}, json_dumps_params={"ensure_ascii": False}
    )
