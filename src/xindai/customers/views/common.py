"""What the archive's pages share: the permissions they require, a refused form shown with the
service's reasons, and the link back to a tab of the detail page."""

from __future__ import annotations

from django import forms
from django.urls import reverse

from xindai.core.errors import DomainError, FormInvalid
from xindai.customers.forms import errors_of
from xindai.customers.models import Customer

VIEW, ADD, CHANGE, FULL_PII = (
    "customers.view_customer",
    "customers.add_customer",
    "customers.change_customer",
    "customers.view_full_pii",
)


def with_errors(form: forms.BaseForm, error: DomainError) -> forms.BaseForm:
    """The bound form showing what the service refused (its own checks run again first)."""
    shown = errors_of(form)  # validates the form
    details = error.details if isinstance(error, FormInvalid) else {}
    for name, messages_ in details.items():
        target = name if name in form.fields else None
        for message in messages_:
            if message not in shown.get(target or "__all__", []):
                form.add_error(target, message)
    if not details:
        form.add_error(None, error.message)
    return form


def tab_url(customer: Customer, tab: str) -> str:
    return f"{reverse('customers:detail', args=[customer.pk])}?tab={tab}"
