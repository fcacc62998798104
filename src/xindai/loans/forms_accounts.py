"""Forms of 放款 and of the use-of-funds report (the page, the API and the service share them)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xindai.loans.models import PaymentMode, UseOfFundsReport


class DisbursementForm(forms.Form):
    amount = forms.DecimalField(
        label=_("放款金额（元）"),
        min_value=Decimal("0.01"),
        help_text=_("一次放款，不超过批准金额；未放部分的批复随之失效"),
        max_digits=18,
        decimal_places=2,
    )
    payment_mode = forms.ChoiceField(
        label=_("支付方式"), choices=PaymentMode.choices, widget=forms.RadioSelect
    )
    cash_reason = forms.CharField(
        label=_("交易对象不具备非现金结算条件的说明"),
        max_length=200,
        required=False,
        help_text=_("个人贷款：交易对象无法受理非现金支付时可自主支付，须说明情况"),
    )
    new_customer_average_credit = forms.BooleanField(
        label=_("新客户且信用状况一般（流动资金贷款须受托支付）"), required=False
    )


class PaymentLineForm(forms.Form):
    """A payment line; a line left wholly blank is no line."""

    counterparty_name = forms.CharField(
        label=_("收款方（交易对手）"), max_length=100, required=False
    )
    account = forms.CharField(label=_("收款账号"), max_length=40, required=False)
    bank = forms.CharField(label=_("开户行"), max_length=100, required=False)
    amount = forms.DecimalField(
        label=_("金额（元）"),
        min_value=Decimal("0.01"),
        required=False,
        max_digits=18,
        decimal_places=2,
    )
    evidence = forms.CharField(label=_("用途证明"), max_length=200, required=False)

    def is_blank(self) -> bool:
        return not any(
            str(self.data.get(self.add_prefix(name), "")).strip() for name in self.fields
        )


PAYMENT_FIELDS = tuple(PaymentLineForm.base_fields)


def payment_lines_of(data: Any, prefix: str = "payments") -> list[dict[str, str]]:
    """The payment lines posted by the page (``payments-<n>-<field>``), blank ones left out."""
    numbers = sorted(
        {
            int(key.split("-")[1])
            for key in data
            if key.startswith(f"{prefix}-") and key.split("-")[1].isdigit()
        }
    )
    lines = []
    for n in numbers:
        line = {name: str(data.get(f"{prefix}-{n}-{name}", "")).strip() for name in PAYMENT_FIELDS}
        if any(line.values()):
            lines.append(line)
    return lines


class UseOfFundsForm(forms.ModelForm):
    class Meta:
        model = UseOfFundsReport
        fields = ["amount_used", "description", "evidence"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["description"].required = True

    def clean_amount_used(self) -> Decimal:
        amount: Decimal = self.cleaned_data["amount_used"]
        if amount <= 0:
            raise forms.ValidationError(_("已使用金额须大于 0"))
        return amount
