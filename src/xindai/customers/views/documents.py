"""Archive documents on the detail page: upload, expiry correction and download (never through
a public media URL)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xindai.core.access import requires
from xindai.customers import documents, queries
from xindai.customers.forms import DocumentForm
from xindai.customers.responses import document_response
from xindai.customers.views.common import CHANGE, VIEW, tab_url
from xindai.customers.views.detail import tab_post


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
    return document_response(documents.open_document(request.user, document))
