"""Request and response shapes of the customers API (:mod:`xindai.customers.api`), and the
functions that present the archive's records in them.

Personal data leaves the API masked: resident ID numbers, phones and account numbers; a
credit code identifies a business, not a person, and is shown in full. Amounts are strings.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, Model
from django.utils.translation import gettext_lazy
from ninja import Schema
from pydantic import Field

from xindai.core.masking import mask_account, mask_id_number, mask_phone
from xindai.core.schemas import PageQuery
from xindai.customers.domain import Assessment, Gap, GapStatus, RequirementKind
from xindai.customers.models import Customer, Document, DocumentType, IdType, Relationship, SoftInfo
from xindai.customers.queries import party_of
from xindai.customers.sections import SECTION_BY_KEY, SectionSpec


class CustomerFilter(PageQuery):
    q: str = Field("", description="客户名称（包含）或证件号码尾号")
    kind: str = Field("", description="farmer / business / enterprise")
    village: str = Field("", description="区划代码：村，或乡镇/县的代码（含下辖各村）")
    manager: str = Field("", description="管户客户经理的用户名或姓名")
    completeness: str = Field("", description="complete / high / medium / low")
    status: str = Field("", description="档案状态：draft / confirmed / reconfirm")


class CustomerRow(Schema):
    id: int
    kind: str
    name: str
    id_type: str
    id_number: str = Field(description="居民身份证号已脱敏；统一社会信用代码全显")
    phone: str = Field(description="已脱敏")
    village: str | None = Field(description="所在村名称")
    manager: str = Field(description="管户客户经理用户名")
    org_unit: str = Field(description="管户机构代码")
    completeness: int
    archive_status: str


class GapOut(Schema):
    kind: str = Field(description="field / section / document")
    key: str
    status: str = Field(description="missing / expired")
    label: str = Field(description="缺什么：字段名、栏目名或资料类型")
    status_label: str


class CustomerDetail(CustomerRow):
    kind_label: str
    address: str
    village_code: str | None
    industry_code: str
    manager_id: int
    gaps: list[GapOut]
    confirmed_at: dt.datetime | None
    confirmed_by: str | None
    created_at: dt.datetime
    updated_at: dt.datetime


class CustomerIn(Schema):
    kind: str = Field(description="farmer / business / enterprise")
    name: str
    id_number: str = Field(description="农户：户主居民身份证号；其他：统一社会信用代码")
    phone: str = ""
    address: str = ""
    village: str | None = Field(None, description="所在村的 12 位区划代码（农户必填）")
    industry_code: str = ""
    manager: int | None = Field(None, description="管户客户经理的用户 id，默认为调用者")


class CustomerPatch(Schema):
    """Only the fields sent are changed; the kind of a customer cannot change."""

    name: str | None = None
    id_number: str | None = None
    phone: str | None = None
    address: str | None = None
    village: str | None = Field(None, description="12 位区划代码；空串或 null 清除")
    industry_code: str | None = None
    manager: int | None = None


class SectionField(Schema):
    name: str
    label: str
    pii: bool


class SectionOut(Schema):
    key: str
    label: str
    single: bool = Field(description="每户一条：POST 即新增或覆盖")
    fields: list[SectionField]
    rows: list[dict[str, Any]] = Field(description="每行含 id 与各字段值；个人信息已脱敏")


class ChangeOut(Schema):
    field: str
    old: str
    new: str


class HistoryEntryOut(Schema):
    when: dt.datetime
    who: str
    section: str
    record: str
    action: str = Field(description="+ 新增，~ 修改，- 删除")
    changes: list[ChangeOut]


class RevealIn(Schema):
    field: str = Field(description="id_number / phone，或栏目中的个人信息字段")
    section: str = Field("", description="栏目键，如 members；空为客户本身")
    row_id: int = Field(0, description="栏目行 id")


class RevealOut(Schema):
    value: str


class DocumentOut(Schema):
    id: int
    doc_type: str
    doc_type_label: str
    title: str
    original_name: str
    content_type: str
    size: int
    sha256: str
    expires_on: dt.date | None
    expired: bool = Field(description="有效期早于会计日期")
    uploaded_at: dt.datetime
    uploaded_by: str


class DocumentPatch(Schema):
    expires_on: dt.date | None


class SoftInfoIn(Schema):
    circle: str = Field(description="business / life / social")
    note: str
    source: str
    noted_on: str = Field(description="YYYY-MM-DD")


class SoftInfoOut(Schema):
    id: int
    circle: str
    circle_label: str
    note: str
    source: str
    noted_on: dt.date
    author: str


class RelationshipIn(Schema):
    target: int = Field(description="关系人的客户 id（须在调用者的数据范围内）")
    kind: str = Field(description="spouse / family / shareholder / guarantor / ...")
    note: str = ""


class PartyOut(Schema):
    id: int
    name: str
    kind: str


class RelationshipOut(Schema):
    id: int
    kind: str
    label: str
    note: str
    direction: str = Field(description="out：本客户是对方的“关系”；in：对方是本客户的“关系”")
    other: PartyOut


class GraphLink(Schema):
    source: int
    target: int
    kind: str
    label: str


class GraphOut(Schema):
    nodes: list[PartyOut]
    links: list[GraphLink]


GAP_STATUS_LABELS = {
    GapStatus.MISSING: gettext_lazy("缺失"),
    GapStatus.EXPIRED: gettext_lazy("已过期"),
}


# ---- presenting ----------------------------------------------------------------------------


def shown_id_number(customer: Customer) -> str:
    """A resident ID is personal data and masked; a credit code identifies a business."""
    if customer.id_type == IdType.RESIDENT_ID:
        return mask_id_number(customer.id_number)
    return customer.id_number


def row_of(customer: Customer) -> dict[str, Any]:
    return {
        "id": customer.pk,
        "kind": customer.kind,
        "name": customer.name,
        "id_type": customer.id_type,
        "id_number": shown_id_number(customer),
        "phone": mask_phone(customer.phone),
        "village": customer.village.name if customer.village else None,
        "manager": customer.manager.username,
        "org_unit": customer.org_unit.code,
        "completeness": customer.completeness,
        "archive_status": customer.archive_status,
    }


def field_label(model: type[Model], name: str) -> str:
    return str(getattr(model._meta.get_field(name), "verbose_name", name))


def gap_label(gap: Gap) -> str:
    if gap.kind == RequirementKind.SECTION:
        return str(SECTION_BY_KEY[gap.key].label)
    if gap.kind == RequirementKind.DOCUMENT:
        return str(DocumentType(gap.key).label)
    return field_label(Customer, gap.key)


def detail_of(customer: Customer, assessment: Assessment) -> dict[str, Any]:
    """The customer with its assessment's score and labelled gaps."""
    gaps = [
        {
            "kind": gap.kind,
            "key": gap.key,
            "status": gap.status,
            "label": gap_label(gap),
            "status_label": str(GAP_STATUS_LABELS[gap.status]),
        }
        for gap in assessment.gaps
    ]
    return {
        **row_of(customer),
        "completeness": assessment.score,
        "gaps": gaps,
        "kind_label": customer.get_kind_display(),
        "address": customer.address,
        "village_code": customer.village.code if customer.village else None,
        "industry_code": customer.industry_code,
        "manager_id": customer.manager_id,
        "confirmed_at": customer.confirmed_at,
        "confirmed_by": customer.confirmed_by.username if customer.confirmed_by else None,
        "created_at": customer.created_at,
        "updated_at": customer.updated_at,
    }


def masked(field: str, value: Any) -> Any:
    if not value:
        return value
    if field == "phone":
        return mask_phone(value)
    if field == "account_no":
        return mask_account(value)
    return mask_id_number(value)


def decimal_text(spec: SectionSpec, name: str, value: Decimal) -> str:
    """``12.5`` as ``"12.50"``: the column's places, whether just saved or read back."""
    field = spec.model._meta.get_field(name)
    places = field.decimal_places if isinstance(field, DecimalField) else 2
    return format(value, f".{places}f")


def section_row_of(spec: SectionSpec, row: Model) -> dict[str, Any]:
    values: dict[str, Any] = {"id": row.pk}
    for name in spec.fields():
        value = getattr(row, name)
        if name in spec.pii_fields:
            value = masked(name, value)
        values[name] = decimal_text(spec, name, value) if isinstance(value, Decimal) else value
    return values


def section_of(spec: SectionSpec, rows: Any) -> dict[str, Any]:
    return {
        "key": spec.key,
        "label": str(spec.label),
        "single": spec.single,
        "fields": [
            {
                "name": name,
                "label": field_label(spec.model, name),
                "pii": name in spec.pii_fields,
            }
            for name in spec.fields()
        ],
        "rows": [section_row_of(spec, row) for row in rows],
    }


def document_of(document: Document, as_of: dt.date) -> dict[str, Any]:
    return {
        "id": document.pk,
        "doc_type": document.doc_type,
        "doc_type_label": document.get_doc_type_display(),
        "title": document.title,
        "original_name": document.original_name,
        "content_type": document.content_type,
        "size": document.size,
        "sha256": document.sha256,
        "expires_on": document.expires_on,
        "expired": document.expires_on is not None and document.expires_on < as_of,
        "uploaded_at": document.uploaded_at,
        "uploaded_by": document.uploaded_by.username,
    }


def soft_info_of(note: SoftInfo) -> dict[str, Any]:
    return {
        "id": note.pk,
        "circle": note.circle,
        "circle_label": note.get_circle_display(),
        "note": note.note,
        "source": note.source,
        "noted_on": note.noted_on,
        "author": note.author.username,
    }


def relationship_of(link: Relationship, customer: Customer) -> dict[str, Any]:
    outgoing = link.source_id == customer.pk
    return {
        "id": link.pk,
        "kind": link.kind,
        "label": link.get_kind_display(),
        "note": link.note,
        "direction": "out" if outgoing else "in",
        "other": party_of(link.target if outgoing else link.source),
    }
