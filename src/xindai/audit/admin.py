from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from xindai.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: audit events are appended by services, never edited."""

    list_display = (
        "seq",
        "occurred_at",
        "actor_username",
        "org_unit_code",
        "action",
        "object_type",
        "object_id",
    )
    list_filter = ("action", "object_type")
    search_fields = ("actor_username", "action", "object_id", "reason")
    date_hierarchy = "occurred_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
