"""Archive documents: uploaded with the type checked by content, size limited and stored with
SHA-256; their expiry corrected; opened for download, each download audited."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from xindai.core.errors import FormInvalid
from xindai.customers.forms import DocumentForm, errors_of
from xindai.customers.models import Customer, Document
from xindai.customers.services import audit_change, require, stamp, touch

# What the first bytes of a file say it is, whatever its name claims.
_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
_OFFICE = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def sniff(head: bytes, name: str) -> str | None:
    for signature, content_type in _SIGNATURES:
        if head.startswith(signature):
            return content_type
    if head.startswith(b"PK\x03\x04"):
        suffix = name[name.rfind(".") :].lower() if "." in name else ""
        return _OFFICE.get(suffix)
    return None


def _size_text(size: int) -> str:
    return f"{size / 1024 / 1024:g} MB" if size >= 1024 * 1024 else f"{size / 1024:g} KB"


def check_upload(upload: UploadedFile) -> tuple[str, str]:
    """(content type, sha256) of an acceptable upload, or FormInvalid."""
    limit = settings.XINDAI_UPLOAD_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise FormInvalid("文件过大", details={"file": [f"文件不能超过 {_size_text(limit)}"]})
    if upload.size == 0:
        raise FormInvalid("文件为空", details={"file": ["文件为空"]})
    upload.seek(0)
    content_type = sniff(upload.read(16), upload.name or "")
    if content_type not in settings.XINDAI_UPLOAD_TYPES:
        raise FormInvalid(
            "文件类型不允许",
            details={"file": ["只接受 PDF、JPG、PNG、DOCX、XLSX 文件（按文件内容判断）"]},
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return content_type, digest.hexdigest()


def upload_document(actor: Any, customer: Customer, data: dict[str, Any], files: Any) -> Document:
    require(actor, "customers.change_customer")
    form = DocumentForm(data, files)
    if not form.is_valid():
        raise FormInvalid("资料有误，未上传", details=errors_of(form))
    upload = form.cleaned_data["file"]
    content_type, sha256 = check_upload(upload)
    with transaction.atomic():
        document = Document(
            customer=customer,
            doc_type=form.cleaned_data["doc_type"],
            title=form.cleaned_data["title"],
            expires_on=form.cleaned_data["expires_on"],
            original_name=(upload.name or "")[:200],
            content_type=content_type,
            size=upload.size or 0,
            sha256=sha256,
            uploaded_by=actor,
        )
        document.file.save(
            f"{sha256[:16]}{settings.XINDAI_UPLOAD_TYPES[content_type]}", upload, save=False
        )
        stamp(document, actor)
        document.save()
        touch(actor, customer)
        audit_change(
            actor,
            "customers.document.create",
            document,
            {"doc_type": document.doc_type, "sha256": sha256, "size": document.size},
        )
    return document


def set_document_expiry(actor: Any, document: Document, expires_on: Any) -> Document:
    """Record a new expiry date (e.g. a renewed ID card is uploaded as a new document)."""
    require(actor, "customers.change_customer")
    with transaction.atomic():
        old = document.expires_on
        document.expires_on = expires_on
        stamp(document, actor)
        document.save(update_fields=["expires_on"])
        touch(actor, document.customer)
        audit_change(
            actor,
            "customers.document.change",
            document,
            {"expires_on": [str(old) if old else None, str(expires_on) if expires_on else None]},
        )
    return document


def open_document(actor: Any, document: Document) -> Document:
    """The document about to be downloaded. The audit event names the file by its type and digest,
    never by its title or name, which may hold personal data."""
    require(actor, "customers.view_customer")
    changes = {
        "customer": document.customer_id,
        "doc_type": document.doc_type,
        "sha256": document.sha256,
    }
    with transaction.atomic():
        audit_change(actor, "customers.document.download", document, changes)
    return document
