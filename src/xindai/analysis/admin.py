"""风险合规 keeps the industry bounds of the ratio flags in the admin; saved statements can be
looked at there (they are entered through the customer's pages and the Excel import)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from xindai.analysis.models import IndustryThreshold, StatementSet
from xindai.core.admin_mixins import AuditedAdmin


@admin.register(IndustryThreshold)
class IndustryThresholdAdmin(SimpleHistoryAdmin, AuditedAdmin):
    list_display = ("code", "max_asset_liability_ratio", "min_current_ratio", "min_quick_ratio")
    search_fields = ("code", "note")


@admin.register(StatementSet)
class StatementSetAdmin(SimpleHistoryAdmin):
    list_display = ("customer", "kind", "period_end", "months", "updated_by", "updated_at")
    list_filter = ("kind",)
    search_fields = ("customer__name",)
    readonly_fields = ("customer", "kind", "period_end", "months", "items", "updated_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
