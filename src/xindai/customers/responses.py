"""Files the pages and the API hand out: archive documents and Excel workbooks, as attachments."""

from __future__ import annotations

from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header

from xindai.customers.models import Document

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def document_response(document: Document) -> FileResponse:
    """The stored file under its original name, as the type its content was checked to be."""
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename) or ""
    return response
