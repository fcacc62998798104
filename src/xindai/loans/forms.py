"""The 贷款试算 form: it shows the inputs and hands them, as typed, to ``loans.terms.parse_terms``
(the one parser), except the rate, which people type as a percentage (4.35) and the parser
takes as a fraction (0.0435)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xindai.loans.schedule import DueDayRule, Frequency, Method
from xindai.products.calculator import method_label
from xindai.products.models import (
    CycleChoice,
    DayCountChoice,
    InterestBasisChoice,
    LoanProduct,
)

TERMS_FIELDS = (
    "principal",
    "annual_rate",
    "periods",
    "method",
    "start",
    "frequency",
    "due_day_rule",
    "first_due_day",
    "interest_basis",
    "day_count",
    "rounding_multiple",
    "grace_periods",
)
DUE_DAY_RULES = (
    (DueDayRule.DISBURSEMENT_DAY.value, _("放款日对应日")),
    (DueDayRule.FIXED_DAY.value, _("固定日")),
    (DueDayRule.MONTH_END.value, _("月末")),
)
ROUNDING = (("0.01", _("精确到分（0.01 元）")), ("1", _("取整到元（1 元）")))


def _select(choices: Any) -> forms.Select:
    return forms.Select(choices=choices, attrs={"class": "form-select"})


def _text(**attrs: str) -> forms.TextInput:
    return forms.TextInput(attrs={"class": "form-control", **attrs})


def _field(label: Any, widget: forms.Widget, help_text: Any = "") -> forms.CharField:
    """Every input is text handed on as typed: the terms parser alone judges it."""
    return forms.CharField(label=label, required=False, widget=widget, help_text=help_text)


class CalculatorForm(forms.Form):
    product = forms.ChoiceField(
        label=_("贷款产品"), required=False, widget=forms.Select(attrs={"class": "form-select"})
    )
    principal = _field(_("贷款金额（元）"), _text(inputmode="decimal", placeholder="100000"))
    annual_rate = _field(_("年利率（%）"), _text(inputmode="decimal", placeholder="4.35"))
    periods = _field(
        _("期数"), _text(inputmode="numeric", placeholder="12"), _("按月为月数，按季为季数")
    )
    method = _field(_("还款方式"), _select([(m.value, method_label(m)) for m in Method]))
    start = _field(_("放款日"), forms.DateInput(attrs={"class": "form-control", "type": "date"}))
    frequency = _field(_("还款频率"), _select(CycleChoice.choices))
    due_day_rule = _field(_("还款日"), _select(DUE_DAY_RULES))
    first_due_day = _field(
        _("固定还款日（日）"), _text(inputmode="numeric", placeholder="21"), _("仅“固定日”时填写")
    )
    interest_basis = _field(_("计息方式"), _select(InterestBasisChoice.choices))
    day_count = _field(_("计息天数规则"), _select(DayCountChoice.choices))
    rounding_multiple = _field(_("还款额取整"), _select(ROUNDING))
    grace_periods = _field(
        _("宽限期（期）"), _text(inputmode="numeric", placeholder="0"), _("只付息不还本的期数")
    )

    def __init__(self, *args: Any, products: list[LoanProduct], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["product"]
        field.choices = [("", gettext("不选产品，自行输入")), *((p.code, p.name) for p in products)]

    def mark_errors(self) -> None:
        """Bootstrap's red outline on the inputs that have an error."""
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"

    def terms_data(self) -> dict[str, object]:
        """The inputs for ``parse_terms``: as typed, the rate turned into a fraction."""
        data = {name: self.cleaned_data.get(name, "") for name in TERMS_FIELDS}
        if data["due_day_rule"] != DueDayRule.FIXED_DAY:
            data["first_due_day"] = ""
        data["annual_rate"] = _fraction(str(data["annual_rate"]))
        return {name: value for name, value in data.items() if value != ""}

    def clean_annual_rate(self) -> str:
        text = self.cleaned_data["annual_rate"].strip().rstrip("%").strip()
        if text and _number(text) is None:
            raise forms.ValidationError(gettext("年利率应为百分数，例如 4.35（即 4.35%）"))
        return text


def _number(text: str) -> Decimal | None:
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _fraction(percent: str) -> str:
    """ "4.35" → "0.0435" (exactly: a shift of the decimal point); empty stays empty."""
    value = _number(percent)
    return percent if value is None else str(value.scaleb(-2))


def initial_for(
    product: LoanProduct | None, rate: Decimal | None, start: dt.date
) -> dict[str, Any]:
    """What the form shows before anything is typed: the product's terms when one is chosen."""
    initial: dict[str, Any] = {
        "start": start.isoformat(),
        "method": Method.EQUAL_INSTALLMENT.value,
        "frequency": Frequency.MONTHLY.value,
        "grace_periods": "0",
    }
    if product is None:
        return initial
    return initial | product_terms(product, rate)


def product_terms(product: LoanProduct, rate: Decimal | None) -> dict[str, str]:
    """The calculator inputs a product implies (also put on its <option> for the page's JS)."""
    quarterly = product.settlement_cycle == CycleChoice.QUARTERLY
    months = max(product.min_term, min(12, product.max_term))
    values = {
        "product": product.code,
        "method": product.repayment_methods[0] if product.repayment_methods else "",
        "day_count": product.day_count,
        "interest_basis": product.interest_basis,
        "frequency": product.settlement_cycle,
        "periods": str(max(1, months // 3) if quarterly else months),
    }
    if rate is not None:
        values["annual_rate"] = _percent(rate)
    return values


def _percent(rate: Decimal) -> str:
    text = f"{rate.scaleb(2):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
