from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from xindai.core.admin_mixins import AuditedAdmin
from xindai.products.models import LoanProduct, LprRate


@admin.register(LoanProduct)
class LoanProductAdmin(SimpleHistoryAdmin, AuditedAdmin):
    list_display = ("code", "name", "marketing_role", "purpose", "pricing", "max_term", "is_active")
    list_filter = ("is_active", "marketing_role", "purpose", "pricing")
    search_fields = ("code", "name")
    fieldsets = (
        (None, {"fields": ("code", "name", "marketing_role", "description", "is_active")}),
        (
            _("适用范围"),
            {
                "fields": (
                    "customer_kinds",
                    "purpose",
                    "long_cycle",
                    ("min_amount", "max_amount"),
                    ("min_term", "max_term"),
                )
            },
        ),
        (
            _("定价"),
            {"fields": ("pricing", "fixed_rate", "spread_bp", ("floor_rate", "ceiling_rate"))},
        ),
        (
            _("还款与计息"),
            {
                "fields": (
                    "repayment_methods",
                    "day_count",
                    "interest_basis",
                    "settlement_cycle",
                )
            },
        ),
        (
            _("担保、罚息与支付"),
            {
                "fields": (
                    "guarantee_methods",
                    ("penalty_markup", "misuse_markup"),
                    "entrusted_threshold",
                )
            },
        ),
        (_("贷后检查"), {"fields": ("first_inspection_days", "inspection_cycle")}),
    )


@admin.register(LprRate)
class LprRateAdmin(AuditedAdmin):
    list_display = ("effective_date", "one_year", "five_year")
    date_hierarchy = "effective_date"

    def get_readonly_fields(self, request: Any, obj: Any = None) -> Any:
        return ("effective_date",) if obj is not None else ()
