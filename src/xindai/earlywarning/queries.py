"""The warning list's filters and counts, shared by the page and the API."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from xindai.earlywarning.models import Severity, Warning, WarningKind, WarningStatus
from xindai.org.models import OrgUnit

FILTERS = ("q", "severity", "kind", "status", "unit", "manager")
SEVERITY_RANK = {Severity.HIGH: 0, Severity.MEDIUM: 1, Severity.LOW: 2}


def unit_of(value: Any) -> OrgUnit | None:
    text = str(value or "")
    return OrgUnit.objects.filter(pk=int(text)).first() if text.isdigit() else None


def filtered(found: QuerySet[Warning], params: Any) -> QuerySet[Warning]:
    """``status`` defaults to the open ones (待处理 and 处理中); ``all`` for every status."""
    q = (params.get("q") or "").strip()
    if q:
        found = found.filter(
            Q(loan__number__icontains=q) | Q(customer__name__icontains=q) | Q(detail__icontains=q)
        )
    for key, choices in (("severity", Severity), ("kind", WarningKind)):
        if params.get(key) in choices.values:
            found = found.filter(**{key: params[key]})
    status = params.get("status") or "active"
    if status in WarningStatus.values:
        found = found.filter(status=status)
    elif status == "active":
        found = found.exclude(status=WarningStatus.CLOSED)
    unit = unit_of(params.get("unit"))
    if unit is not None:
        found = found.filter(loan__org_unit__path__startswith=unit.path)
    manager = str(params.get("manager") or "")
    if manager.isdigit():
        found = found.filter(loan__manager_id=int(manager))
    return found


def ordered(found: QuerySet[Warning]) -> QuerySet[Warning]:
    from django.db.models import Case, IntegerField, Value, When

    rank = Case(
        *(When(severity=s, then=Value(n)) for s, n in SEVERITY_RANK.items()),
        output_field=IntegerField(),
    )
    return found.annotate(rank=rank).order_by("rank", "-raised_on", "-pk")


def counts(found: QuerySet[Warning]) -> dict[str, int]:
    """Open (not closed) warnings by severity."""
    rows = (
        found.exclude(status=WarningStatus.CLOSED)
        .values("severity")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by = {row["severity"]: row["n"] for row in rows}
    return {s.value: by.get(s.value, 0) for s in Severity}
