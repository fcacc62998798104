"""Template helpers of the archive pages: labels of gaps, masked section cells, form widgets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms, template
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from xindai.core import masking
from xindai.customers.domain import Gap, RequirementKind
from xindai.customers.models import ArchiveStatus, Customer, DocumentType
from xindai.customers.sections import SECTION_BY_KEY, SectionSpec

register = template.Library()

STATUS_BADGES = {
    ArchiveStatus.DRAFT: "text-bg-secondary",
    ArchiveStatus.CONFIRMED: "text-bg-success",
    ArchiveStatus.RECONFIRM: "text-bg-warning",
}


@register.filter
def gap_label(gap: Gap) -> str:
    """What is missing, in the words of the page: a field, a section or a document type."""
    if gap.kind == RequirementKind.FIELD:
        return label_of(Customer, gap.key)
    if gap.kind == RequirementKind.SECTION:
        return str(SECTION_BY_KEY[gap.key].label)
    return str(DocumentType(gap.key).label)


@register.filter
def status_badge(status: str) -> str:
    return STATUS_BADGES.get(ArchiveStatus(status), "text-bg-secondary")


@register.filter
def completeness_band(score: int) -> str:
    """The colour band of a completeness score (the same bands as the list filter)."""
    if score >= 100:
        return "complete"
    return "high" if score >= 80 else "medium" if score >= 50 else "low"


def model_field(model: type[Model], name: str) -> Any:
    return model._meta.get_field(name)


def label_of(model: type[Model], name: str) -> str:
    return str(model_field(model, name).verbose_name)


@register.filter
def column_label(spec: SectionSpec, name: str) -> str:
    return label_of(spec.model, name)


def mask(name: str, value: str) -> str:
    if "phone" in name:
        return masking.mask_phone(value)
    if "account" in name:
        return masking.mask_account(value)
    return masking.mask_id_number(value)


@register.simple_tag
def cell(row: Model, spec: SectionSpec, name: str) -> str:
    """A section row's value for a table: choices by label, personal data masked."""
    value = getattr(row, name)
    if value in (None, ""):
        return "—"
    if name in spec.pii_fields:
        return mask(name, str(value))
    if model_field(spec.model, name).choices:
        return str(getattr(row, f"get_{name}_display")())
    if isinstance(value, bool):
        return str(_("是") if value else _("否"))
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:,}"  # 8,289,900.00: amounts are read at a glance
    return str(value)


def widget_class(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


@register.simple_tag
def widget(field: forms.BoundField) -> str:
    """The field's input with Bootstrap classes; dates as the browser's date picker."""
    control = field.field.widget
    if isinstance(control, forms.DateInput):
        control.input_type = "date"
        control.format = "%Y-%m-%d"
    css = widget_class(control)
    if field.errors:
        css += " is-invalid"
    attrs: dict[str, str | bool] = {"class": css}
    if field.errors:
        attrs["aria-describedby"] = f"{field.auto_id}_errors"
    return field.as_widget(attrs=attrs)


@register.filter
def attr_filled(row: Model, name: str) -> bool:
    return getattr(row, name) not in (None, "")
