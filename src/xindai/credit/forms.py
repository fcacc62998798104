"""Input of the intake steps, validated the same way for pages and the API."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xindai.credit.models import (
    ApplicationCollateral,
    CreditApplication,
    CreditQueryConsent,
    CreditReportSummary,
)
from xindai.customers.models import Customer
from xindai.org.models import User
from xindai.org.scope import visible
from xindai.products.models import LoanProduct


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
    class Meta:
        model = ApplicationCollateral
        fields = ["kind", "description", "owner_name", "estimated_value"]


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
