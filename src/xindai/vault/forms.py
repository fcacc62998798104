"""Input of registration, receiving and release, validated the same way for pages and the API."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xindai.vault.models import ItemKind


class RegistrationForm(forms.Form):
    """The fields of ``Registration`` (the service checks duplicates with its own message)."""

    registry = forms.CharField(
        label=_("登记机关"),
        max_length=100,
        help_text=_("如：多福县不动产登记中心；存单质押填写止付的开户行"),
    )
    registered_on = forms.DateField(
        label=_("登记日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    certificate_no = forms.CharField(
        label=_("他项权证号/登记证明号"),
        max_length=100,
        help_text=_("他项权证号或不动产登记证明号；存单质押填写存单号"),
    )
    secured_amount = forms.DecimalField(
        label=_("担保债权金额（元）"), max_digits=18, decimal_places=2
    )


class ReceiveForm(forms.Form):
    kind = forms.ChoiceField(label=_("物品类别"), choices=ItemKind.choices)
    description = forms.CharField(label=_("物品名称"), max_length=200, required=False)
    value = forms.DecimalField(
        label=_("表外登记金额（元）"),
        max_digits=18,
        decimal_places=2,
        required=False,
        help_text=_("留空按担保债权金额登记"),
    )


class ReleaseForm(forms.Form):
    reason = forms.CharField(label=_("出库事由"), widget=forms.Textarea(attrs={"rows": 3}))
    acknowledge = forms.BooleanField(label=_("所担保的贷款尚未结清，确认申请出库"), required=False)


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=_("审批意见"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
