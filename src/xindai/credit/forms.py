"""Input of the intake steps, validated the same way for pages and the API."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xindai.credit.models import (
    ApplicationCollateral,
    ApplicationGuarantor,
    CollateralKind,
    CollateralType,
    CreditApplication,
    CreditQueryConsent,
    CreditReportSummary,
)
from xindai.customers.models import Customer
from xindai.org.models import User
from xindai.org.scope import visible
from xindai.products.models import LoanProduct, RepaymentMethod


class ApplicationForm(forms.ModelForm):
    guarantors = forms.ModelMultipleChoiceField(
        Customer.objects.none(), label=_("保证人"), required=False
    )

    class Meta:
        model = CreditApplication
        fields = [
            "product",
            "amount",
            "term_months",
            "purpose",
            "purpose_text",
            "repayment_method",
            "guarantee_methods",
            "legal_capacity",
            "source",
            "source_note",
        ]

    def __init__(self, *args: Any, actor: Any = None, customer: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        product: Any = self.fields["product"]
        product.queryset = LoanProduct.objects.filter(is_active=True).order_by("code")
        if customer is not None:  # JSON list membership, in Python: SQLite cannot query it
            fitting = [p.pk for p in product.queryset if customer.kind in p.customer_kinds]
            product.queryset = product.queryset.filter(pk__in=fitting)
        guarantors: Any = self.fields["guarantors"]
        people = Customer.objects.all()
        if customer is not None:
            people = people.exclude(pk=customer.pk)
        guarantors.queryset = visible(people, actor) if actor else people

    def clean_amount(self) -> Any:
        amount = self.cleaned_data["amount"]
        if amount is not None and amount <= 0:
            raise forms.ValidationError(_("申请金额必须大于 0"))
        return amount

    def clean_term_months(self) -> Any:
        term = self.cleaned_data["term_months"]
        if term is not None and term <= 0:
            raise forms.ValidationError(_("期限必须大于 0"))
        return term


class CollateralForm(forms.ModelForm):
    """An item of the collateral register (押品登记): what it is, whose, its certificate, its
    appraisal, and whether anyone disputes its ownership (民法典 第399条: property whose
    ownership is unclear or disputed may not be mortgaged)."""

    class Meta:
        model = ApplicationCollateral
        fields = [
            "kind",
            "collateral_type",
            "description",
            "owner_name",
            "certificate_no",
            "estimated_value",
            "appraiser",
            "appraised_on",
            "ownership_dispute",
            "dispute_note",
        ]
        widgets = {"appraised_on": forms.DateInput(attrs={"type": "date"})}
        help_texts = {"collateral_type": _("抵质押测算按押品种类的抵（质）押率计算")}

    def clean_estimated_value(self) -> Any:
        value = self.cleaned_data["estimated_value"]
        if value is not None and value <= 0:
            raise forms.ValidationError(_("评估价值必须大于 0"))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, kind_of_item = data.get("kind"), data.get("collateral_type")
        if kind_of_item and kind and kind not in ALLOWED_KINDS[kind_of_item]:
            self.add_error("kind", _("该种类押品不能以此方式担保：不动产只能抵押，存单只能质押"))
        if data.get("ownership_dispute") and not (data.get("dispute_note") or "").strip():
            self.add_error("dispute_note", _("存在权属争议时请说明争议情况"))
        return data


# Real property is mortgaged (抵押), a deposit pledged (质押); machines may be either.
ALLOWED_KINDS: dict[str, frozenset[str]] = {
    CollateralType.RESIDENTIAL: frozenset({CollateralKind.MORTGAGE}),
    CollateralType.COMMERCIAL: frozenset({CollateralKind.MORTGAGE}),
    CollateralType.LAND_USE: frozenset({CollateralKind.MORTGAGE}),
    CollateralType.DEPOSIT: frozenset({CollateralKind.PLEDGE}),
    CollateralType.MACHINERY: frozenset({CollateralKind.MORTGAGE, CollateralKind.PLEDGE}),
}


class GuarantorCapacityForm(forms.ModelForm):
    """保证人担保能力: the guarantor's net assets, the guarantees he has already given, and
    whether his willingness to guarantee was verified."""

    class Meta:
        model = ApplicationGuarantor
        fields = ["net_assets", "guarantees_given", "willing"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("net_assets", "guarantees_given"):
            self.fields[name].required = True

    def clean_guarantees_given(self) -> Any:
        value = self.cleaned_data["guarantees_given"]
        if value is not None and value < 0:
            raise forms.ValidationError(_("已对外担保金额不能为负数"))
        return value


class ConsentForm(forms.ModelForm):
    class Meta:
        model = CreditQueryConsent
        fields = ["signed_by", "signed_on", "purpose", "scan"]
        widgets = {"signed_on": forms.DateInput(attrs={"type": "date"})}


class CreditReportForm(forms.ModelForm):
    class Meta:
        model = CreditReportSummary
        fields = [
            "report_date",
            "max_consecutive_overdue_24m",
            "total_overdue_24m",
            "current_overdue_amount",
            "other_bank_lenders",
            "other_bank_debt",
            "monthly_debt_service",
            "note",
        ]
        widgets = {"report_date": forms.DateInput(attrs={"type": "date"})}


class CoInvestigatorForm(forms.Form):
    co_investigator = forms.ModelChoiceField(User.objects.none(), label=_("协办调查人"))

    def __init__(self, *args: Any, actor: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = User.objects.filter(
            is_active=True,
            org_unit__isnull=False,
            groups__name__in=["客户经理", "协办调查人"],
        ).distinct()
        field: Any = self.fields["co_investigator"]
        if actor is not None:
            staff = staff.exclude(pk=actor.pk)
            branch = _branch_of(actor.org_unit)
            staff = staff.filter(org_unit__path__startswith=branch.path) if branch else staff.none()
        field.queryset = staff.order_by("username")


def _branch_of(unit: Any) -> Any:
    """The 支行 a unit belongs to (an outlet's parent), where a co-investigator is chosen:
    both investigators go on site, so they work in the same branch."""
    if unit is None:
        return None
    return unit.parent if unit.kind == "outlet" and unit.parent is not None else unit


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}))


# ---- the credit limit and the investigation report ---------------------------------------


def _money(label: Any, *, signed: bool = False) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=None if signed else 0,
        max_digits=18,
        decimal_places=2,
        required=False,
    )


def _figure(label: Any, **bounds: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, max_digits=12, decimal_places=4, required=False, **bounds
    )


class LimitForm(forms.Form):
    """The inputs of the credit-limit methods (授信额度测算), prefilled from the data and
    editable by the investigator; percentages as the page shows them (13.33 for 13.33%). Every
    field may be left blank: a method missing one of its figures says which and is skipped."""

    # (a) 流动资金需求测算
    sales = _money(_("上年度销售收入（元）"))
    sales_margin = _figure(_("上年度销售利润率（%）"), max_value=Decimal("99.9999"))
    growth = _figure(_("预计销售收入年增长率（%）"), min_value=Decimal("-99.9999"))
    inventory_days = _figure(_("存货周转天数"), min_value=0)
    receivable_days = _figure(_("应收账款周转天数"), min_value=0)
    payable_days = _figure(_("应付账款周转天数"), min_value=0)
    prepayment_days = _figure(_("预付账款周转天数"), min_value=0)
    advance_days = _figure(_("预收账款周转天数"), min_value=0)
    own_funds = _money(_("借款人自有资金（元）"))
    existing_loans = _money(_("现有流动资金贷款（元）"))
    other_financing = _money(_("其他渠道提供的营运资金（元）"))
    # (b) 可支配现金流测算
    monthly_income = _money(_("月均净收入（元）"), signed=True)
    monthly_living_costs = _money(_("月生活支出（元）"))
    monthly_debt_service = _money(_("现有债务月还款（元）"))
    max_debt_service_ratio = _figure(
        _("还款收入比上限（%）"), min_value=Decimal("0.01"), max_value=100
    )
    # the loan the cash flow must repay
    annual_rate = _figure(_("年利率（%）"), min_value=0, max_value=100)
    term_months = forms.IntegerField(
        label=_("期限（月）"), min_value=1, max_value=360, required=False
    )
    repayment_method = forms.ChoiceField(
        label=_("还款方式"), choices=[("", "---------"), *RepaymentMethod.choices], required=False
    )

    WORKING_CAPITAL = (
        "sales",
        "sales_margin",
        "growth",
        "inventory_days",
        "receivable_days",
        "payable_days",
        "prepayment_days",
        "advance_days",
        "own_funds",
        "existing_loans",
        "other_financing",
    )
    CASH_FLOW = (
        "monthly_income",
        "monthly_living_costs",
        "monthly_debt_service",
        "max_debt_service_ratio",
    )
    TERMS = ("annual_rate", "term_months", "repayment_method")


class ReportSectionsForm(forms.Form):
    """The manager's narrative of each of the report's seven sections."""

    def __init__(self, *args: Any, sections: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, title in sections:
            self.fields[key] = forms.CharField(
                label=title,
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
