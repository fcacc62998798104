from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from xindai.core.models import BusinessDate


@admin.register(BusinessDate)
class BusinessDateAdmin(admin.ModelAdmin):
    """Shown for reference; the date is moved by end-of-day or `xindai business-date set`."""

    list_display = ("value", "updated_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
