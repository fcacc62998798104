"""Integers of fen on the repayment pages: ``{{ r.amount_fen|fen_yuan }}`` → 8,530.99."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from xindai.products.templatetags.loan_format import yuan

register = template.Library()


@register.filter
def fen_yuan(value: Any) -> str:
    if value in (None, ""):
        return ""
    return yuan(Decimal(int(value)).scaleb(-2))
