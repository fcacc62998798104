"""The pages of financial analysis: a customer's statements and ratios, entering a period's
statements, the Excel template and import. Every figure shown comes from ``report.py``'s JSON
(the same as ``xindai ratios`` and the API)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from xindai.analysis import report, services
from xindai.analysis.excel import WorkbookInvalid
from xindai.analysis.forms import StatementHeaderForm, statement_form
from xindai.analysis.models import StatementKindChoice, StatementSet
from xindai.analysis.statements import SECTIONS, StatementKind, items_of
from xindai.core.access import requires
from xindai.core.errors import DomainError, FormInvalid
from xindai.customers import queries
from xindai.customers.models import Customer

VIEW, CHANGE = services.VIEW, services.CHANGE
CHART_KEYS = ("asset_liability_ratio", "current_ratio", "quick_ratio")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@requires(VIEW)
def customer_page(request: HttpRequest, customer_id: int) -> HttpResponse:
    customer = queries.customer_for(request.user, customer_id)
    return render_page(request, customer)


@requires(CHANGE)
def statement_edit(request: HttpRequest, customer_id: int, pk: int | None = None) -> HttpResponse:
    customer = queries.customer_for(request.user, customer_id)
    row = get_object_or_404(StatementSet, customer=customer, pk=pk) if pk else None
    header, items = statement_forms(
        customer, request.POST if request.method == "POST" else None, row
    )
    if request.method == "POST":
        try:
            saved = services.save_statements(request.user, customer, request.POST)
        except FormInvalid as error:
            show_errors(header, items, error)
        else:
            messages.success(request, _("报表已保存：%(period)s") % {"period": saved.period_end})
            for problem in saved.warnings():
                messages.warning(request, problem.text(_))
            return redirect("analysis:customer", customer.pk)
    context = {"customer": customer, "row": row, "header": header, "form": items}
    return render(request, "analysis/statement_form.html", context)


@requires(VIEW)
def template_download(request: HttpRequest, customer_id: int) -> HttpResponse:
    customer = queries.customer_for(request.user, customer_id)
    response = HttpResponse(services.template(request.user, customer), content_type=XLSX)
    filename = f"statements-{customer.pk}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@requires(CHANGE)
@require_POST
def excel_import(request: HttpRequest, customer_id: int) -> HttpResponse:
    customer = queries.customer_for(request.user, customer_id)
    upload = request.FILES.get("file")
    if upload is None:
        return render_page(request, customer, [_("请选择要导入的 Excel 文件")])
    try:
        saved = services.import_excel(request.user, customer, upload)
    except WorkbookInvalid as error:
        return render_page(request, customer, [e.text() for e in error.errors])
    except DomainError as error:
        return render_page(request, customer, problems_of(error))
    text = ngettext("已导入 %(count)s 期报表", "已导入 %(count)s 期报表", len(saved))
    messages.success(request, text % {"count": len(saved)})
    return redirect("analysis:customer", customer.pk)


# ---- helpers --------------------------------------------------------------------------------


def render_page(
    request: HttpRequest, customer: Customer, import_errors: list[str] | None = None
) -> HttpResponse:
    kind = services.kind_of(customer)
    context: dict[str, Any] = {
        "customer": customer,
        "kind_label": StatementKindChoice(kind).label,
        "sets": services.statement_sets(customer),
        "import_errors": import_errors or [],
    }
    if kind == StatementKind.ENTERPRISE:
        result = services.analyse_customer(request.user, customer)
        data = report.analysis_json(
            result.analysis,
            _,
            industry_code=customer.industry_code or None,
            industry_threshold=result.industry_threshold,
        )
        context |= {"report": data, "periods": periods_of(data), "chart": chart_of(data)}
    else:
        context["archive"] = archive_rows(customer, kind)
    return render(request, "analysis/customer.html", context)


def periods_of(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The periods newest first, each ratio with its change from the period before."""
    shown = []
    for index, period in enumerate(data["periods"]):
        changes = [line["changes"][index] for line in data["trend"]]
        rows = list(zip(period["ratios"], changes, strict=True))
        shown.append({**period, "rows": rows})
    return shown[::-1]


def chart_of(data: dict[str, Any]) -> dict[str, Any]:
    lines = [line for line in data["trend"] if line["key"] in CHART_KEYS]
    return {
        "periods": [period["end"] for period in data["periods"]],
        "series": [
            {
                "name": f"{line['label']}（{line['unit']}）",
                "data": [p["value"] for p in line["points"]],
                "percent": line["key"] == "asset_liability_ratio",
            }
            for line in lines
        ],
    }


def archive_rows(customer: Customer, kind: StatementKind) -> list[tuple[str, Any]]:
    """The household or business statement the archive gives: (label, amount or None)."""
    if kind == StatementKind.HOUSEHOLD:
        statement: Any = services.household_statement(customer)
    else:
        statement = services.business_statement(customer)
    section = next(iter(SECTIONS[kind].values()))
    return [(_(info.label), getattr(statement, info.key)) for info in items_of(section)]


def statement_forms(
    customer: Customer, data: Any, row: StatementSet | None
) -> tuple[forms.Form, forms.Form]:
    initial: dict[str, Any] = {}
    if row is not None:
        initial = {"period_end": row.period_end, "months": row.months}
        initial |= {key: v for section in row.items.values() for key, v in section.items()}
    items_form = statement_form(services.kind_of(customer))
    return StatementHeaderForm(data, initial=initial), items_form(data, initial=initial)


def show_errors(header: forms.Form, items: forms.Form, error: FormInvalid) -> None:
    """The service's reasons at their fields (the forms' own checks run first)."""
    header.is_valid(), items.is_valid()
    for name, texts in error.details.items():
        form = header if name in header.fields else items
        field = name if name in form.fields else None
        for text in texts:
            if text not in form.errors.get(field or "__all__", []):
                form.add_error(field, text)


def problems_of(error: DomainError) -> list[str]:
    details = error.details if isinstance(error, FormInvalid) else {}
    texts = [f"{name}：{text}" for name, ts in details.items() for text in ts]
    return texts or [error.message]
