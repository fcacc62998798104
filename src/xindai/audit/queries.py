"""Read side of the audit trail: scoped and filtered, for the page and the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate

from xindai.audit.models import AuditEvent
from xindai.org.domain import is_root
from xindai.org.models import OrgUnit
from xindai.org.scope import scope_of, visible


def events_for(
    user: Any,
    *,
    q: str = "",
    actor: str = "",
    object_type: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.all()
    scope = scope_of(user)
    if not scope.everything:
        codes = visible(OrgUnit.objects.all(), user, unit_field=None).values("code")
        in_scope = Q(org_unit_code__in=codes)
        if scope.unit_path and is_root(scope.unit_path):  # the union sees system events too
            in_scope |= Q(org_unit_code="")
        events = events.filter(in_scope)
    if q:
        events = events.filter(Q(action__icontains=q) | Q(reason__icontains=q))
    if actor:
        events = events.filter(actor_username__icontains=actor)
    if object_type:
        events = events.filter(object_type=object_type)
    if date_from:
        events = events.filter(occurred_at__date__gte=date_from)
    if date_to:
        events = events.filter(occurred_at__date__lte=date_to)
    return events.order_by("-seq")


def events_per_day(events: QuerySet[AuditEvent]) -> list[tuple[str, int]]:
    rows = (
        events.order_by()
        .annotate(day=TruncDate("occurred_at"))
        .values("day")
        .annotate(n=Count("id"))
        .order_by("day")
    )
    return [(row["day"].isoformat(), row["n"]) for row in rows]


def object_types(events: QuerySet[AuditEvent]) -> list[str]:
    return list(
        events.order_by().exclude(object_type="").values_list("object_type", flat=True).distinct()
    )
