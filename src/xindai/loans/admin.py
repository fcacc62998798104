"""The loan tables in the Django admin, read-only: loans are opened by a disbursement or an
import (with their audit events), never typed in here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from xindai.loans.models import Disbursement, LoanAccount, Payment, UseOfFundsReport


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(LoanAccount)
class LoanAccountAdmin(ReadOnly):
    list_display = ("number", "customer", "product", "principal", "start_date", "status", "source")
    list_filter = ("status", "source", "product")
    search_fields = ("number", "legacy_number", "customer__name")


class PaymentInline(admin.TabularInline):
    model = Payment
    extra = 0
    can_delete = False
    readonly_fields = ("counterparty_name", "account", "bank", "amount", "evidence")


@admin.register(Disbursement)
class DisbursementAdmin(ReadOnly):
    list_display = ("loan", "application", "amount", "value_date", "payment_mode", "disbursed_by")
    list_filter = ("payment_mode",)
    inlines = [PaymentInline]


@admin.register(UseOfFundsReport)
class UseOfFundsReportAdmin(ReadOnly):
    list_display = ("loan", "due_on", "reported_on", "amount_used")
