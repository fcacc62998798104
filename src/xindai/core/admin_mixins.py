from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from xindai.org.services import save_audited


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
    return value


class AuditedAdmin(admin.ModelAdmin):
    """Admin changes go through the audited save; records are never deleted from the admin."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        save_audited(obj, actor=request.user, changes=form_changes(form), reason="后台管理")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
