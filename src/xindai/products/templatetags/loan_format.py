"""Amounts and rates as bank staff read them: 100,000.00 元, 10 万元, 4.35%."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template

register = template.Library()

TEN_THOUSAND = Decimal(10_000)


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


@register.filter
def yuan(value: Any) -> str:
    """100000 → "100,000.00" (two decimals, thousands separated)."""
    number = _decimal(value)
    return "—" if number is None else f"{number:,.2f}"


@register.filter
def wan(value: Any) -> str:
    """100000 → "10", 1234567 → "123.46": the amount in 万元, without needless zeros."""
    number = _decimal(value)
    if number is None:
        return "—"
    text = f"{number / TEN_THOUSAND:,.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@register.filter
def pct(value: Any, places: int = 2) -> str:
    """0.0435 → "4.35%" (a fraction shown as a percentage)."""
    number = _decimal(value)
    return "—" if number is None else f"{number * 100:.{int(places)}f}%"
