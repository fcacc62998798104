"""Deposit accounts in the Django admin, read-only: money moves only through the services
(teller, disbursement, collection), each movement with its ledger entry."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from xindai.deposits.models import DepositAccount, DepositMovement


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class MovementInline(admin.TabularInline):
    model = DepositMovement
    extra = 0
    can_delete = False
    fields = ("business_date", "kind", "amount_fen", "balance_after_fen", "key", "memo")
    readonly_fields = fields
    ordering = ("-pk",)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(DepositAccount)
class DepositAccountAdmin(ReadOnly):
    list_display = ("number", "customer", "balance_fen", "opened_on", "is_active")
    list_filter = ("is_active",)
    search_fields = ("number", "customer__name")
    inlines = [MovementInline]


@admin.register(DepositMovement)
class DepositMovementAdmin(ReadOnly):
    list_display = ("account", "business_date", "kind", "amount_fen", "balance_after_fen", "key")
    list_filter = ("kind", "business_date")
    search_fields = ("key", "account__number")
