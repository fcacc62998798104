"""合同模板 in the admin: admin or 风险合规 uploads a new version (its SHA-256 and clause list
computed, not approved); 风险合规 approves it with the action. Versions are never edited or
deleted."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xindai.contracts import template_services
from xindai.contracts.models import ContractKind, ContractTemplate
from xindai.core.errors import DomainError


class TemplateUploadForm(forms.ModelForm):
    kind = forms.ChoiceField(label=_("合同种类"), choices=ContractKind.choices)
    file = forms.FileField(label=_("模板（DOCX）"))

    class Meta:
        model = ContractTemplate
        fields = ["kind", "file", "note"]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        upload.seek(0)
        self.content = upload.read()
        try:
            template_services.read_template(self.content)
        except DomainError as refused:
            raise forms.ValidationError(refused.details.get("file", [refused.message])) from None
        return upload


@admin.register(ContractTemplate)
class ContractTemplateAdmin(admin.ModelAdmin):
    list_display = ["kind", "version", "short_hash", "clause_count", "uploaded_at", "approved"]
    list_filter = ["kind"]
    actions = ["approve"]
    readonly_fields = [
        "kind",
        "version",
        "file",
        "sha256",
        "clauses",
        "note",
        "uploaded_by",
        "uploaded_at",
        "approved_by",
        "approved_at",
    ]

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            kwargs["form"] = TemplateUploadForm
        return super().get_form(request, obj, change, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.readonly_fields if obj is not None else ["kind", "file", "note"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a version is never edited: a change is a new version

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        made = template_services.upload(
            request.user, form.cleaned_data["kind"], form.content, form.cleaned_data["note"]
        )
        obj.pk, obj.version = made.pk, made.version

    @admin.display(description=_("SHA-256"))
    def short_hash(self, obj: ContractTemplate) -> str:
        return obj.sha256[:16] + "…"

    @admin.display(description=_("条款数"))
    def clause_count(self, obj: ContractTemplate) -> int:
        return len(obj.clauses)

    @admin.display(description=_("已批准启用"), boolean=True)
    def approved(self, obj: ContractTemplate) -> bool:
        return obj.approved_at is not None

    @admin.action(description=_("批准启用所选模板版本"), permissions=["approve"])
    def approve(self, request: HttpRequest, queryset: QuerySet[ContractTemplate]) -> None:
        for template in queryset:
            try:
                template_services.approve(request.user, template)
            except DomainError as refused:
                messages.error(request, f"{template}：{refused.message}")
            else:
                messages.success(request, gettext("已批准启用：%(t)s") % {"t": template})

    def has_approve_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm("contracts.approve_contracttemplate"))
