"""Filters of the classification pages: a class as a coloured badge, a ratio as a percentage."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from xindai.loans.models import FiveCategory

register = template.Library()

COLOURS = {
    "normal": "text-bg-success",
    "special_mention": "text-bg-warning",
    "substandard": "text-bg-danger",
    "doubtful": "text-bg-danger",
    "loss": "text-bg-dark",
}


@register.filter
def class_badge(value: Any) -> SafeString:
    """``substandard`` → a red badge 次级 (blank → 正常)."""
    value = value or "normal"
    label = dict(FiveCategory.choices).get(value, value)
    return format_html(
        '<span class="badge {}" data-class="{}">{}</span>', COLOURS.get(value, ""), value, label
    )


@register.filter
def class_label(value: Any) -> str:
    return str(dict(FiveCategory.choices).get(value or "normal", value))


@register.filter
def percent(value: Any) -> str:
    """0.1234 → "12.34%" (None → "—")."""
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.2f}%"
