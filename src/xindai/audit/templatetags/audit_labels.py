from __future__ import annotations

from typing import Any

from django import template

from xindai.audit.messages import ACTION_LABELS, OBJECT_LABELS

register = template.Library()


@register.filter
def action_label(code: str) -> str:
    return str(ACTION_LABELS.get(code, code))


@register.filter
def object_label(code: str) -> str:
    return str(OBJECT_LABELS.get(code, code))


@register.filter
def change_text(value: Any) -> str:
    """``[old, new]`` → ``old → new``; anything else as it is."""
    if isinstance(value, list) and len(value) == 2:
        old, new = ("—" if v in (None, "", []) else _flat(v) for v in value)
        return f"{old} → {new}"
    return _flat(value)


def _flat(value: Any) -> str:
    return "、".join(map(str, value)) if isinstance(value, list) else str(value)
