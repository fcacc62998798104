"""The notice list's filters, shared by the page and the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

from xindai.notices.models import Notice, NoticeKind, NoticeStatus
from xindai.org.models import OrgUnit

FILTERS = ("q", "kind", "status", "unit", "due_from", "due_to")


def _day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def unit_of(value: Any) -> OrgUnit | None:
    text = str(value or "")
    return OrgUnit.objects.filter(pk=int(text)).first() if text.isdigit() else None


def filtered(found: QuerySet[Notice], params: Any) -> QuerySet[Notice]:
    q = (params.get("q") or "").strip()
    if q:
        found = found.filter(
            Q(loan__number__icontains=q)
            | Q(recipient__name__icontains=q)
            | Q(loan__customer__name__icontains=q)
        )
    if params.get("kind") in NoticeKind.values:
        found = found.filter(kind=params["kind"])
    if params.get("status") in NoticeStatus.values:
        found = found.filter(status=params["status"])
    unit = unit_of(params.get("unit"))
    if unit is not None:
        found = found.filter(loan__org_unit__path__startswith=unit.path)
    for key, lookup in (("due_from", "due_date__gte"), ("due_to", "due_date__lte")):
        day = _day(str(params.get(key) or ""))
        if day is not None:
            found = found.filter(**{lookup: day})
    return found.order_by("-issued_on", "-pk")
