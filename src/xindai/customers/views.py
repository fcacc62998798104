"""Pages of the customer archive (客户档案): thin views over :mod:`queries` and :mod:`services`.

Every record is looked up through ``queries.customer_for`` (404 outside the user's scope);
every change goes through a service, which checks the permission, validates, saves and audits.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xindai.audit import services as audit
from xindai.core.access import requires
from xindai.core.errors import DomainError, FormInvalid
from xindai.core.paging import page_of
from xindai.customers import documents, excel, pii, queries, services
from xindai.customers.api import graph_of
from xindai.customers.forms import (
    CustomerForm,
    DocumentForm,
    RelationshipForm,
    SoftInfoForm,
    errors_of,
    section_form,
)
from xindai.customers.models import (
    ArchiveStatus,
    Area,
    Circle,
    Customer,
    CustomerKind,
)
from xindai.customers.sections import SECTION_BY_KEY, sections_for
from xindai.org.models import User

VIEW, ADD, CHANGE, FULL_PII = (
    "customers.view_customer",
    "customers.add_customer",
    "customers.change_customer",
    "customers.view_full_pii",
)
LIST_FILTERS = ("q", "kind", "village", "manager", "completeness", "status")
COMPLETENESS_BANDS = (
    ("complete", gettext_lazy("完整（100%）")),
    ("high", gettext_lazy("较完整（80%–99%）")),
    ("medium", gettext_lazy("一般（50%–79%）")),
    ("low", gettext_lazy("欠缺（50% 以下）")),
)
HISTORY_PAGE_SIZE = 30


def with_errors(form: forms.BaseForm, error: DomainError) -> forms.BaseForm:
    """The bound form showing what the service refused (its own checks run again first)."""
    shown = errors_of(form)  # validates the form
    details = error.details if isinstance(error, FormInvalid) else {}
    for name, messages_ in details.items():
        target = name if name in form.fields else None
        for message in messages_:
            if message not in shown.get(target or "__all__", []):
                form.add_error(target, message)
    if not details:
        form.add_error(None, error.message)
    return form


def tab_url(customer: Customer, tab: str) -> str:
    return f"{reverse('customers:detail', args=[customer.pk])}?tab={tab}"


# ---- the list -------------------------------------------------------------------------------


@requires(VIEW)
def customer_list(request: HttpRequest) -> HttpResponse:
    filters = {key: request.GET.get(key, "").strip() for key in LIST_FILTERS}
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


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMPORT_ERRORS = "customers_import_errors"  # session key: the last refused import's problems


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename) or ""
    return response


@requires(VIEW)
def customer_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as Excel, personal data masked; the export itself is audited."""
    filters = {key: request.GET.get(key, "").strip() for key in LIST_FILTERS}
    found = queries.customers_for(request.user, **filters)
    content = excel.export_customers(found)
    audit.record(
        "customers.export",
        actor=request.user,
        object_type="customers.customer",
        changes={"filters": {k: v for k, v in filters.items() if v}, "count": found.count()},
    )
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
    graph = {"center": customer.pk, **graph_of(customer)}
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


# ---- soft information, relations, documents -------------------------------------------------


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


@requires(CHANGE)
@require_POST
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    return tab_post(
        request,
        pk,
        "documents",
        "document_form",
        lambda customer: DocumentForm(request.POST, request.FILES),
        lambda customer: documents.upload_document(
            request.user, customer, request.POST, request.FILES
        ),
    )


@requires(CHANGE)
@require_POST
def document_expiry(request: HttpRequest, pk: int, doc: int) -> HttpResponse:
    customer = queries.customer_for(request.user, pk)
    document = get_object_or_404(customer.documents, pk=doc)
    try:
        expires_on = forms.DateField(required=False).clean(request.POST.get("expires_on"))
    except forms.ValidationError:
        messages.error(request, _("有效期不是有效日期"))
    else:
        documents.set_document_expiry(request.user, document, expires_on)
        messages.success(request, _("有效期已更新"))
    return redirect(tab_url(customer, "documents"))


@requires(VIEW)
def document_download(request: HttpRequest, pk: int, doc: int) -> FileResponse:
    """The file, for users who may see the customer: never through a public media URL."""
    customer = queries.customer_for(request.user, pk)
    document = get_object_or_404(customer.documents, pk=doc)
    audit.record(
        "customers.document.download",
        actor=request.user,
        object_type="customers.document",
        object_id=document.pk,
        changes={"customer": customer.pk},
    )
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
