from __future__ import annotations

from functools import cache
from typing import Any

from django import forms
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from xindai.core.validators import validate_credit_code, validate_resident_id
from xindai.customers.models import (
    Customer,
    CustomerKind,
    Document,
    DocumentType,
    Relationship,
    SoftInfo,
)
from xindai.customers.sections import SECTION_BY_KEY
from xindai.org.models import User
from xindai.org.scope import visible


class CustomerForm(forms.ModelForm):
    class Meta:
        model = Customer
        fields = [
            "kind",
            "name",
            "id_number",
            "phone",
            "address",
            "village",
            "industry_code",
            "manager",
        ]
        error_messages = {
            "id_number": {"unique": _("该证件号码已建档：一个证件只能对应一个客户")},
        }

    def __init__(self, *args: Any, actor: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = User.objects.filter(is_active=True, org_unit__isnull=False)
        manager_field: Any = self.fields["manager"]
        manager_field.queryset = visible(staff, actor) if actor else staff
        if self.instance.pk:
            self.fields["kind"].disabled = True  # the kind decides the identity document

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, number = data.get("kind"), data.get("id_number")
        if number:
            check = validate_resident_id if kind == CustomerKind.FARMER else validate_credit_code
            try:
                check(number)
            except forms.ValidationError as error:
                self.add_error("id_number", error)
        if kind == CustomerKind.FARMER and not data.get("village"):
            self.add_error("village", _("农户必须落到所在村"))
        return data


@cache
def section_form(key: str) -> type[forms.ModelForm]:
    spec = SECTION_BY_KEY[key]
    return forms.modelform_factory(spec.model, fields=spec.fields())


class SoftInfoForm(forms.ModelForm):
    class Meta:
        model = SoftInfo
        fields = ["circle", "note", "source", "noted_on"]


class RelationshipForm(forms.ModelForm):
    class Meta:
        model = Relationship
        fields = ["target", "kind", "note"]

    def __init__(self, *args: Any, actor: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        target: Any = self.fields["target"]
        target.queryset = visible(Customer.objects.all(), actor, owner_field="manager")
        target.error_messages["invalid_choice"] = _("关系人不存在或无权查看")


class DocumentForm(forms.Form):
    doc_type = forms.ChoiceField(label=_("资料类型"), choices=DocumentType.choices)
    title = forms.CharField(label=_("说明"), max_length=100, required=False)
    expires_on = forms.DateField(label=_("有效期至"), required=False)
    file = forms.FileField(label=_("文件"))


def errors_of(form: forms.BaseForm) -> dict[str, list[str]]:
    return {
        field: [str(e["message"]) for e in errs]
        for field, errs in form.errors.get_json_data().items()
    }


def model_label(model: type[Model]) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


__all__ = ["CustomerForm", "Document", "DocumentForm", "RelationshipForm", "SoftInfoForm"]
