"""The customer list with its filters, and the list in and out of Excel: export, import, the
import template and the report of a refused import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xindai.core.access import requires
from xindai.core.errors import DomainError
from xindai.core.paging import page_of
from xindai.customers import excel, queries, services
from xindai.customers.forms import CustomerForm
from xindai.customers.models import ArchiveStatus, Area, CustomerKind
from xindai.customers.responses import xlsx_response
from xindai.customers.views.common import ADD, VIEW
from xindai.org.models import User

LIST_FILTERS = ("q", "kind", "village", "manager", "completeness", "status")
COMPLETENESS_BANDS = (
    ("complete", gettext_lazy("完整（100%）")),
    ("high", gettext_lazy("较完整（80%–99%）")),
    ("medium", gettext_lazy("一般（50%–79%）")),
    ("low", gettext_lazy("欠缺（50% 以下）")),
)


# ---- the list -------------------------------------------------------------------------------


def filters_of(request: HttpRequest) -> dict[str, str]:
    return {key: request.GET.get(key, "").strip() for key in LIST_FILTERS}


@requires(VIEW)
def customer_list(request: HttpRequest) -> HttpResponse:
    filters = filters_of(request)
    page = page_of(queries.customers_for(request.user, **filters), request.GET.get("page"))
    if request.headers.get("HX-Request"):
        return render(request, "customers/_rows.html", {"page": page})
    mine = queries.customers_for(request.user)
    context = {
        "page": page,
        "filters": filters,
        "kinds": CustomerKind.choices,
        "statuses": ArchiveStatus.choices,
        "bands": COMPLETENESS_BANDS,
        "villages": Area.objects.filter(pk__in=mine.values("village")).order_by("code"),
        "managers": User.objects.filter(pk__in=mine.values("manager")).order_by("username"),
    }
    return render(request, "customers/list.html", context)


# ---- Excel ----------------------------------------------------------------------------------

IMPORT_ERRORS = "customers_import_errors"  # session key: the last refused import's problems


@requires(VIEW)
def customer_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as Excel, personal data masked; the export itself is audited."""
    filters = filters_of(request)
    found = queries.customers_for(request.user, **filters)
    content = excel.export_customers(found)
    services.record_export(request.user, found.count(), filters)
    return xlsx_response(content, f"客户清单-{timezone.localdate():%Y%m%d}.xlsx")


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("导入文件（.xlsx）"))
    manager = forms.ModelChoiceField(
        label=gettext_lazy("管户客户经理"), queryset=User.objects.none()
    )

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        target: Any = self.fields["manager"]
        offered: Any = CustomerForm(actor=actor).fields["manager"]  # the same staff to choose
        target.queryset = offered.queryset


@requires(ADD)
def customer_import(request: HttpRequest) -> HttpResponse:
    """Upload a filled template: all rows are saved, or none and every problem is listed."""
    form = ImportForm(request.POST or None, request.FILES or None, actor=request.user)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = excel.import_workbook(request.user, data["file"], manager=data["manager"])
        except DomainError as error:
            form.add_error("manager", error.message)
        else:
            if result.ok:
                request.session.pop(IMPORT_ERRORS, None)
                messages.success(request, imported_message(result))
                return redirect("customers:list")
            request.session[IMPORT_ERRORS] = [
                [e.sheet, e.row, e.column, e.message] for e in result.errors
            ]
            context["errors"] = result.errors
    elif request.method == "GET":
        form.initial = {"manager": request.user.pk}
    return render(request, "customers/import.html", context)


def imported_message(result: excel.ImportResult) -> str:
    return _(
        "已导入：农户 %(households)d 户，家庭成员 %(members)d 人，个体工商户 %(businesses)d 户"
    ) % {
        "households": result.households,
        "members": result.members,
        "businesses": result.businesses,
    }


@requires(ADD)
def import_template(request: HttpRequest) -> HttpResponse:
    return xlsx_response(excel.template_workbook(), "客户导入模板.xlsx")


@requires(ADD)
def import_errors(request: HttpRequest) -> HttpResponse:
    """The error report of this user's last refused import (kept in his session)."""
    rows = request.session.get(IMPORT_ERRORS)
    if not rows:
        raise Http404
    errors = tuple(excel.RowError(*row) for row in rows)
    report = excel.error_report(excel.ImportResult(sha256="", errors=errors))
    return xlsx_response(report, "客户导入错误清单.xlsx")
