from __future__ import annotations

from typing import Any

from django import template

from xindai.core import masking

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with some parameters replaced (filters survive paging)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        query[key] = value
    return query.urlencode()


register.filter("mask_phone", masking.mask_phone)
register.filter("mask_id", masking.mask_id_number)
register.filter("mask_account", masking.mask_account)
