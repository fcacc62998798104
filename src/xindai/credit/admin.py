"""风险合规 keeps the policy, the industry catalogue and the risk lists in the admin. A policy
is never edited: "add" starts from the current values and saves a new version with a reason."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from xindai.core.admin_mixins import AuditedAdmin
from xindai.core.masking import mask_id_number
from xindai.credit import facts, services
from xindai.credit.models import IndustryPolicy, PolicyVersion, RiskListEntry
from xindai.credit.models_approval import AuthorityRule
from xindai.credit.policy import Policy, parameters


class PolicyVersionForm(forms.ModelForm):
    """Every parameter as a field, filled with the current version's values."""

    class Meta:
        model = PolicyVersion
        fields = ["reason"]
        labels = {"reason": _("修改理由（必填）")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _version, current = facts.current_policy()
        values = current.to_params()
        for info in parameters():
            field_class = (
                forms.IntegerField if isinstance(info.default, int) else forms.DecimalField
            )
            label = gettext(info.label)
            if info.unit:
                label = gettext("%(label)s（%(unit)s）") % {
                    "label": label,
                    "unit": gettext(info.unit),
                }
            self.fields[info.key] = field_class(
                label=label, initial=values[info.key], help_text=gettext(info.source)
            )
        self.order_fields([*(info.key for info in parameters()), "reason"])

    def params(self) -> dict[str, Any]:
        return {info.key: self.cleaned_data[info.key] for info in parameters()}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors:
            for problem in Policy.from_params(self.params()).problems():
                self.add_error(problem.field, problem.text(gettext))
        return data


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin):
    form = PolicyVersionForm
    list_display = ("__str__", "created_at", "created_by", "reason")
    readonly_fields = ("number", "parameter_table", "reason", "created_by", "created_at")

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return [*(info.key for info in parameters()), "reason"]
        return self.readonly_fields

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:  # the parameter fields are added by the form itself, not the model
            kwargs["fields"] = ["reason"]
        return super().get_form(request, obj, change, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.readonly_fields if obj is not None else ()

    @admin.display(description=_("参数"))
    def parameter_table(self, obj: PolicyVersion) -> str:
        policy = Policy.from_params(obj.params).to_params()
        rows = [(gettext(info.label), policy[info.key]) for info in parameters()]
        return format_html_join("", "<div>{}：<strong>{}</strong></div>", rows)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        version = services.new_policy_version(
            request.user, form.params(), form.cleaned_data["reason"]
        )
        obj.pk, obj.number = version.pk, version.number

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a version is never edited; add a new one

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(IndustryPolicy)
class IndustryPolicyAdmin(SimpleHistoryAdmin, AuditedAdmin):
    list_display = ("code", "stance", "requires_permit", "note")
    list_filter = ("stance", "requires_permit")
    search_fields = ("code", "note")


@admin.register(RiskListEntry)
class RiskListEntryAdmin(SimpleHistoryAdmin, AuditedAdmin):
    list_display = ("kind", "name", "masked_id", "reason", "active")
    list_filter = ("kind", "active")
    search_fields = ("name", "id_number")

    @admin.display(description=_("证件号码"))
    def masked_id(self, obj: RiskListEntry) -> str:
        return mask_id_number(obj.id_number)


@admin.register(AuthorityRule)
class AuthorityRuleAdmin(SimpleHistoryAdmin, AuditedAdmin):
    """审批授权 matrix (see ``credit.authority`` for how lines combine), with history."""

    list_display = ("role", "unit_kind", "org_unit", "product", "guarantee_method", "max_amount")
    list_filter = ("unit_kind", "guarantee_method", "role")
    list_select_related = ("org_unit", "product")
