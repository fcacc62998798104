"""What a form changed, as ``{field: [old, new]}`` for audit events (personal data masked)."""

from __future__ import annotations

from typing import Any

from xindai.core.masking import mask_text


def form_changes(form: Any) -> dict[str, Any]:
    """{field: [old, new]} for what a form changed; secrets are never written down."""
    changes: dict[str, Any] = {}
    for name in form.changed_data:
        if "password" in name:
            changes[name] = ["***", "***"]
            continue
        old = form.initial.get(name)
        new = form.cleaned_data.get(name)
        changes[name] = [_plain(old), _plain(new)]
    return changes


def _plain(value: Any) -> Any:
    if hasattr(value, "all") and callable(value.all):  # a queryset or related manager
        return sorted(str(item) for item in value.all())
    if isinstance(value, list | tuple):
        return sorted(str(item) for item in value)
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, str):
        return mask_text(value)
    return value
