"""What the credit pages share: the permissions they require, the application looked up in the
user's scope, problems shown in the user's language, and a refused form shown again."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext

from xindai.core.problems import Problem
from xindai.credit import facts, queries
from xindai.credit.models import AdmissionCheck, CreditApplication
from xindai.customers.services import as_of_today

VIEW, ADD, CHANGE, VIEW_CHECK = (
    "credit.view_creditapplication",
    "credit.add_creditapplication",
    "credit.change_creditapplication",
    "credit.view_admissioncheck",
)


def application_for(user: Any, pk: int) -> CreditApplication:
    """An application the user may see, or 404: another branch's is not even acknowledged."""
    found = queries.visible_applications(user).select_related(
        "customer", "product", "manager", "co_investigator", "org_unit", "policy_version"
    )
    return get_object_or_404(found, pk=pk)


def texts(problems: Iterable[Problem]) -> list[str]:
    """Problems as sentences in the user's language."""
    return [problem.text(gettext) for problem in problems]


def detail_url(application: CreditApplication, section: str = "") -> str:
    url = reverse("credit:detail", args=[application.pk])
    return f"{url}#{section}" if section else url


def styled(form: forms.BaseForm) -> forms.BaseForm:
    """Checkbox lists as Bootstrap checks, multiple selects a few rows high (the archive's
    field include styles every other widget)."""
    for field in form.fields.values():
        if isinstance(field.widget, forms.CheckboxSelectMultiple):
            field.widget.attrs["class"] = "form-check-input"
        elif isinstance(field.widget, forms.SelectMultiple):
            field.widget.attrs["size"] = "5"
    return form


def is_current(application: CreditApplication, check: AdmissionCheck | None) -> bool:
    """The check still holds: the application, the archive and the policy have not changed."""
    return check is not None and facts.current_check(application, as_of_today()) == check
