"""The template versions (合同模板): admin or 风险合规 uploads a new version of a kind (its hash
and clause list computed, not yet approved); 风险合规 approves it, never his own upload. A
version is never edited; contracts are made from the newest approved version of a kind."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from xindai.audit import services as audit
from xindai.contracts import documents, shipped
from xindai.contracts.models import ContractKind, ContractTemplate
from xindai.contracts.services import TEMPLATE_TYPE, intact_template
from xindai.core.errors import DomainError, FormInvalid
from xindai.customers.services import require

UPLOAD = "contracts.add_contracttemplate"
APPROVE = "contracts.approve_contracttemplate"
MAX_BYTES = 5 * 1024 * 1024


def known_placeholders() -> set[str]:
    """The variables a template may use: those the shipped templates use."""
    found: set[str] = set()
    for kind in shipped.KINDS:
        found |= documents.placeholders(documents.shipped_bytes(kind))
    return found


def invalid(message: str, field: str = "file") -> FormInvalid:
    return FormInvalid(gettext("模板有误，未上传"), details={field: [message]})


def read_template(content: bytes) -> list[str]:
    """The clause headings of an uploaded template, or FormInvalid."""
    if not content or len(content) > MAX_BYTES:
        raise invalid(gettext("模板须为不超过 5 MB 的 DOCX 文件"))
    try:
        clauses = documents.clauses(content)
        used = documents.placeholders(content)
    except Exception as error:  # python-docx and jinja raise many kinds on a broken file
        raise invalid(gettext("无法读取：不是有效的 DOCX 模板")) from error
    if not clauses:
        raise invalid(gettext("模板中没有条款（“第一条 …”单独成段）"))
    unknown = sorted(used - known_placeholders())
    if unknown:
        message = gettext("模板使用了系统不认识的占位符：%(names)s")
        raise invalid(message % {"names": "、".join(unknown)})
    return clauses


def upload(actor: Any, kind: str, content: bytes, note: str = "") -> ContractTemplate:
    require(actor, UPLOAD)
    if kind not in ContractKind.values:
        raise invalid(gettext("请选择合同种类"), field="kind")
    clauses = read_template(content)
    with transaction.atomic():
        ContractTemplate.objects.select_for_update().filter(kind=kind).exists()
        last = ContractTemplate.objects.filter(kind=kind).aggregate(n=Max("version"))["n"] or 0
        template = ContractTemplate(
            kind=kind,
            version=last + 1,
            sha256=documents.sha256(content),
            clauses=clauses,
            note=note.strip()[:200],
            uploaded_by=actor,
        )
        template.file.save(f"{kind}-v{last + 1}.docx", ContentFile(content), save=False)
        template.save()
        changes = {"kind": kind, "version": template.version, "sha256": template.sha256}
        audit.record(
            "contracts.template_uploaded",
            actor=actor,
            object_type=TEMPLATE_TYPE,
            object_id=template.pk,
            changes=changes | {"clauses": len(clauses)},
        )
    return template


def approve(actor: Any, template: ContractTemplate) -> ContractTemplate:
    require(actor, APPROVE)
    with transaction.atomic():
        template = ContractTemplate.objects.select_for_update().get(pk=template.pk)
        if template.approved_at is not None:
            raise DomainError(gettext("该模板版本已批准启用"), code="already_approved")
        if template.uploaded_by_id == actor.pk:
            raise DomainError(gettext("不能批准自己上传的模板版本"), code="own_upload")
        if intact_template(template) is None:
            message = gettext("模板文件缺失或与登记的 SHA-256 不符，不能批准")
            raise DomainError(message, code="template_tampered")
        template.approved_by, template.approved_at = actor, timezone.now()
        template.save(update_fields=["approved_by", "approved_at"])
        audit.record(
            "contracts.template_approved",
            actor=actor,
            object_type=TEMPLATE_TYPE,
            object_id=template.pk,
            changes={"kind": template.kind, "version": template.version},
        )
    return template


def seed() -> list[str]:
    """The shipped version 1 of every kind without any version (idempotent)."""
    return shipped.seed(ContractTemplate)
