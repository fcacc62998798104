"""Full personal data, for those allowed to see it; every look is an audit event."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from xindai.audit import services as audit
from xindai.core.errors import InvalidInput
from xindai.customers.models import Customer
from xindai.customers.sections import SECTION_BY_KEY

CUSTOMER_PII = ("id_number", "phone")


def reveal(actor: Any, customer: Customer, field: str, section: str = "", row_id: int = 0) -> str:
    """The clear value of ``field`` of the customer (or of a section row); audited."""
    if not actor.has_perm("customers.view_full_pii"):
        raise PermissionDenied("customers.view_full_pii")
    if section:
        spec = SECTION_BY_KEY.get(section)
        if spec is None or field not in spec.pii_fields:
            raise InvalidInput("该字段不是可查看的个人信息", code="not_pii")
        row = spec.model._default_manager.get(customer=customer, pk=row_id)
        value = str(getattr(row, field))
    else:
        if field not in CUSTOMER_PII:
            raise InvalidInput("该字段不是可查看的个人信息", code="not_pii")
        value = str(getattr(customer, field))
    with transaction.atomic():
        audit.record(
            "customers.pii.view",
            actor=actor,
            object_type="customers.customer",
            object_id=customer.pk,
            changes={"field": f"{section}.{field}" if section else field, "row": row_id or None},
        )
    return value
