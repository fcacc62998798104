"""The business date (会计日期): read here, moved only through :func:`set_date`."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from xindai.audit import services as audit
from xindai.core.models import BusinessDate


class BusinessDateNotSet(RuntimeError):
    pass


def current_or_none() -> dt.date | None:
    row = BusinessDate.objects.filter(pk=BusinessDate.SINGLETON_ID).first()
    return row.value if row else None


def current() -> dt.date:
    value = current_or_none()
    if value is None:
        raise BusinessDateNotSet("会计日期尚未设置：请运行 xindai business-date set YYYY-MM-DD")
    return value


def set_date(new: dt.date, *, actor: object | None, reason: str) -> dt.date:
    """Move the business date and audit the move; returns the previous date (or the new one)."""
    with transaction.atomic():
        row = BusinessDate.objects.select_for_update().filter(pk=BusinessDate.SINGLETON_ID).first()
        previous = row.value if row else None
        BusinessDate.objects.update_or_create(pk=BusinessDate.SINGLETON_ID, defaults={"value": new})
        audit.record(
            "core.business_date.set",
            actor=actor,
            object_type="core.businessdate",
            object_id=str(BusinessDate.SINGLETON_ID),
            changes={"value": [previous.isoformat() if previous else None, new.isoformat()]},
            reason=reason,
        )
    return previous or new
