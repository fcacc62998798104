from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from xindai.core.changes import form_changes
from xindai.org.services import save_audited


class AuditedAdmin(admin.ModelAdmin):
    """Admin changes go through the audited save; records are never deleted from the admin."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        save_audited(obj, actor=request.user, changes=form_changes(form), reason="后台管理")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
