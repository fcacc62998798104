from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from xindai.core.admin_mixins import AuditedAdmin
from xindai.core.changes import form_changes
from xindai.org.models import ApiToken, OrgUnit, User
from xindai.org.services import record_change, save_audited


@admin.register(OrgUnit)
class OrgUnitAdmin(AuditedAdmin):
    list_display = ("name", "code", "kind", "parent", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "code")
    readonly_fields = ("path",)


@admin.register(User)
class StaffAdmin(UserAdmin):
    list_display = ("username", "full_name", "employee_no", "org_unit", "is_active")
    list_filter = ("org_unit", "groups", "is_active")
    search_fields = ("username", "full_name", "employee_no")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("员工信息"), {"fields": ("full_name", "employee_no", "phone", "org_unit")}),
        (_("角色与权限"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("时间"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"fields": ("username", "password1", "password2")}),
        (_("员工信息"), {"fields": ("full_name", "employee_no", "phone", "org_unit", "groups")}),
    )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # The admin's change view is one transaction: user, groups and audit event together.
        super().save_related(request, form, formsets, change)
        record_change(
            form.instance,
            actor=request.user,
            changes=form_changes(form),
            created=not change,
            reason="后台管理",
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "name", "user", "created_at", "expires_at", "last_used_at", "revoked")
    list_filter = ("revoked",)
    readonly_fields = ("user", "name", "prefix", "created_at", "expires_at", "last_used_at")
    fields = ("user", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # tokens are issued by `xindai token create`, which shows the value once

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        save_audited(obj, actor=request.user, changes=form_changes(form), reason="后台管理")
