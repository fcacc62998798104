from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class EventFilterForm(forms.Form):
    q = forms.CharField(label=_("操作或原因"), required=False)
    actor = forms.CharField(label=_("操作人"), required=False)
    object_type = forms.CharField(label=_("对象类型"), required=False)
    date_from = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("起始日期不能晚于截止日期"))
        return data
