"""Use cases of the economic archive. Each validates, saves, recomputes completeness and writes
an audit event in one transaction; bad input raises FormInvalid and changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from xindai.audit import services as audit
from xindai.core import business_date
from xindai.core.changes import form_changes
from xindai.core.errors import DomainError, FormInvalid, NotFound
from xindai.customers import domain
from xindai.customers.forms import (
    CustomerForm,
    RelationshipForm,
    SoftInfoForm,
    errors_of,
    model_label,
    section_form,
)
from xindai.customers.models import ArchiveStatus, Customer, Relationship, SoftInfo
from xindai.customers.policy import REQUIREMENTS
from xindai.customers.sections import SECTION_BY_KEY, SectionSpec, sections_for


def as_of_today() -> dt.date:
    return business_date.current_or_none() or timezone.localdate()


def stamp(obj: Model, actor: Any) -> None:
    """Who makes this change, for the record's history (django-simple-history)."""
    setattr(obj, "_history_user", actor)  # noqa: B010


def unit_of(manager: Any) -> Any:
    if manager.org_unit is None:
        raise DomainError("管户客户经理没有所属机构", code="manager_without_unit")
    return manager.org_unit


def require(actor: Any, permission: str) -> None:
    if not actor.has_perm(permission):
        raise PermissionDenied(permission)


def audit_change(
    actor: Any, action: str, obj: Model, changes: dict[str, Any], reason: str = ""
) -> None:
    audit.record(
        action,
        actor=actor,
        object_type=model_label(type(obj)),
        object_id=obj.pk,
        changes=changes,
        reason=reason,
    )


def record_export(actor: Any, count: int, filters: dict[str, str]) -> None:
    """An exported customer list is audited: the filters used and how many rows left."""
    require(actor, "customers.view_customer")
    changes = {"filters": {k: v for k, v in filters.items() if v}, "count": count}
    with transaction.atomic():
        audit.record(
            "customers.export", actor=actor, object_type="customers.customer", changes=changes
        )


# ---- the customer --------------------------------------------------------------------------


def create_customer(actor: Any, data: dict[str, Any]) -> Customer:
    require(actor, "customers.add_customer")
    form = CustomerForm(data, actor=actor)
    if not form.is_valid():
        raise FormInvalid("客户信息有误，未保存", details=errors_of(form))
    with transaction.atomic():
        customer = form.save(commit=False)
        customer.org_unit = unit_of(customer.manager)
        stamp(customer, actor)
        customer.save()
        refresh_completeness(customer)
        audit_change(actor, "customers.customer.create", customer, form_changes(form))
    return customer


def update_customer(actor: Any, customer: Customer, data: dict[str, Any]) -> Customer:
    require(actor, "customers.change_customer")
    merged = {**CustomerForm(instance=customer).initial, **data}
    form = CustomerForm(merged, instance=customer, actor=actor)
    if not form.is_valid():
        raise FormInvalid("客户信息有误，未保存", details=errors_of(form))
    if not form.has_changed():
        return customer
    with transaction.atomic():
        customer = form.save(commit=False)
        customer.org_unit = unit_of(customer.manager)
        touch(actor, customer)
        audit_change(actor, "customers.customer.change", customer, form_changes(form))
    return customer


def touch(actor: Any, customer: Customer) -> None:
    """After any change: a confirmed archive needs re-confirming; completeness is recomputed."""
    if customer.archive_status == ArchiveStatus.CONFIRMED:
        customer.archive_status = ArchiveStatus.RECONFIRM
    stamp(customer, actor)
    customer.save()
    refresh_completeness(customer)


# ---- sections -----------------------------------------------------------------------------


def section_spec(customer: Customer, key: str) -> SectionSpec:
    spec = SECTION_BY_KEY.get(key)
    if spec is None or customer.kind not in spec.kinds:
        raise NotFound(f"{customer.get_kind_display()}档案没有此栏目：{key}", code="no_section")
    return spec


def section_rows(customer: Customer, key: str) -> Any:
    spec = section_spec(customer, key)
    return spec.model._default_manager.filter(customer=customer).order_by("pk")


def save_section_row(
    actor: Any, customer: Customer, key: str, data: dict[str, Any], row_id: int | None = None
) -> Model:
    """Add a row to a section, or change one (``row_id``). A single-row section is upserted."""
    require(actor, "customers.change_customer")
    spec = section_spec(customer, key)
    rows = spec.model._default_manager.filter(customer=customer)
    instance = rows.get(pk=row_id) if row_id else (rows.first() if spec.single else None)
    form = section_form(key)(data, instance=instance)
    if not form.is_valid():
        raise FormInvalid(f"{spec.label}有误，未保存", details=errors_of(form))
    row = form.save(commit=False)
    row.customer = customer
    try:  # constraints that involve the customer (one statement per period, ...)
        row.validate_constraints()
    except ValidationError as error:
        raise FormInvalid(f"{spec.label}有误，未保存", details=error.message_dict) from error
    with transaction.atomic():
        stamp(row, actor)
        row.save()
        touch(actor, customer)
        action = "change" if instance else "create"
        audit_change(actor, f"customers.{key}.{action}", row, form_changes(form))
    return row


def delete_section_row(actor: Any, customer: Customer, key: str, row_id: int) -> None:
    require(actor, "customers.change_customer")
    spec = section_spec(customer, key)
    with transaction.atomic():
        row = spec.model._default_manager.get(customer=customer, pk=row_id)
        stamp(row, actor)
        row.delete()
        touch(actor, customer)
        audit.record(
            f"customers.{key}.delete",
            actor=actor,
            object_type=model_label(spec.model),
            object_id=row_id,
            changes={"customer": customer.pk},
        )


def add_soft_info(actor: Any, customer: Customer, data: dict[str, Any]) -> SoftInfo:
    require(actor, "customers.change_customer")
    form = SoftInfoForm(data)
    if not form.is_valid():
        raise FormInvalid("软信息有误，未保存", details=errors_of(form))
    with transaction.atomic():
        note = form.save(commit=False)
        note.customer, note.author = customer, actor
        stamp(note, actor)
        note.save()
        touch(actor, customer)
        audit_change(actor, "customers.soft_info.create", note, form_changes(form))
    return note


def add_relationship(actor: Any, customer: Customer, data: dict[str, Any]) -> Relationship:
    require(actor, "customers.change_customer")
    form = RelationshipForm(data, actor=actor)
    if form.is_valid() and form.cleaned_data["target"].pk == customer.pk:
        form.add_error("target", "不能与客户本人建立关系")
    if not form.is_valid():
        raise FormInvalid("关系有误，未保存", details=errors_of(form))
    if Relationship.objects.filter(
        source=customer, target=form.cleaned_data["target"], kind=form.cleaned_data["kind"]
    ).exists():
        raise FormInvalid("该关系已登记", details={"target": ["该关系已登记"]})
    with transaction.atomic():
        link = form.save(commit=False)
        link.source = customer
        stamp(link, actor)
        link.save()
        audit_change(actor, "customers.relationship.create", link, form_changes(form))
    return link


# ---- completeness and the 梳理 step ---------------------------------------------------------


PROFILE_FIELDS = ("phone", "address", "village", "industry_code")


def filled_fields(customer: Customer) -> frozenset[str]:
    """The profile fields of the customer that count as filled for completeness."""
    return frozenset(
        name
        for name in PROFILE_FIELDS
        if getattr(customer, "village_id" if name == "village" else name)
    )


def facts_of(customer: Customer) -> domain.ArchiveFacts:
    filled = filled_fields(customer)
    sections: dict[str, list[dt.date | None]] = {}
    for spec in sections_for(customer.kind):
        rows = spec.model._default_manager.filter(customer=customer)
        if spec.expiry_field:
            sections[spec.key] = list(rows.values_list(spec.expiry_field, flat=True))
        else:
            sections[spec.key] = [None] * min(rows.count(), 1)
    documents: dict[str, list[dt.date | None]] = {}
    for doc_type, expires_on in customer.documents.values_list("doc_type", "expires_on"):
        documents.setdefault(doc_type, []).append(expires_on)
    return domain.ArchiveFacts(filled, sections, documents)


def assessment_of(customer: Customer, as_of: dt.date | None = None) -> domain.Assessment:
    return domain.assess(REQUIREMENTS[customer.kind], facts_of(customer), as_of or as_of_today())


def refresh_completeness(customer: Customer, as_of: dt.date | None = None) -> domain.Assessment:
    result = assessment_of(customer, as_of)
    if customer.completeness != result.score:
        Customer.objects.filter(pk=customer.pk).update(completeness=result.score)
        customer.completeness = result.score
    return result


def confirm_archive(actor: Any, customer: Customer) -> Customer:
    """梳理: the manager confirms the archive is organised; only a complete one can be."""
    require(actor, "customers.change_customer")
    result = assessment_of(customer)
    if not result.complete:
        raise DomainError(
            "档案尚不完整，不能确认梳理",
            code="archive_incomplete",
            details={"gaps": [f"{g.kind}:{g.key}:{g.status}" for g in result.gaps]},
        )
    with transaction.atomic():
        customer.archive_status = ArchiveStatus.CONFIRMED
        customer.confirmed_at, customer.confirmed_by = timezone.now(), actor
        stamp(customer, actor)
        customer.save()
        audit_change(actor, "customers.archive.confirm", customer, {"archive_status": "confirmed"})
    return customer
