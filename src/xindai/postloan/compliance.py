"""Inspection compliance (检查合规): tasks due, done on time, done late and still open, by month of
their due date, by officer and by branch; the open overdue tasks. Counted in the database
(grouped counts), over the tasks the user may see."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth

from xindai.org.models import OrgUnit, UnitKind
from xindai.postloan import domain
from xindai.postloan.models import InspectionTask, TaskStatus

MONTHS = 12
# named apart from the model's fields (``late``): an annotation may not shadow a field
COUNTS = {
    "n_due": Count("pk"),
    "n_on_time": Count("pk", filter=Q(status=TaskStatus.DONE, late=False)),
    "n_done_late": Count("pk", filter=Q(status=TaskStatus.DONE, late=True)),
    "n_open": Count("pk", filter=Q(status=TaskStatus.OPEN)),
    "n_late": Count("pk", filter=Q(late=True)),
}


def window(tasks: QuerySet[InspectionTask], today: dt.date) -> QuerySet[InspectionTask]:
    """Tasks due in the twelve months up to today (cancelled ones do not count)."""
    start = dt.date(today.year - 1, today.month, 1) + dt.timedelta(days=32)
    start = start.replace(day=1)
    return tasks.exclude(status=TaskStatus.CANCELLED).filter(
        due_date__gte=start, due_date__lte=today
    )


def _rated(row: dict[str, Any]) -> dict[str, Any]:
    """The counts under their plain names (due, on_time, done_late, open, late) and the rate."""
    counts = {name[2:]: row[name] for name in COUNTS}
    return counts | {"rate": domain.on_time_rate(counts["due"], counts["on_time"])}


def by_month(tasks: QuerySet[InspectionTask]) -> list[dict[str, Any]]:
    rows = (
        tasks.annotate(month=TruncMonth("due_date"))
        .values("month")
        .annotate(**COUNTS)
        .order_by("month")
    )
    return [{"month": row["month"].strftime("%Y-%m")} | _rated(row) for row in rows]


def by_officer(tasks: QuerySet[InspectionTask]) -> list[dict[str, Any]]:
    rows = (
        tasks.values("assignee_id", "assignee__full_name", "assignee__username")
        .annotate(**COUNTS)
        .order_by("-n_late", "assignee__username")
    )
    return [
        {
            "officer_id": row["assignee_id"],
            "officer": row["assignee__full_name"] or row["assignee__username"],
        }
        | _rated(row)
        for row in rows
    ]


def _branch_of(unit_id: int, units: dict[int, OrgUnit]) -> OrgUnit | None:
    unit = units.get(unit_id)
    while unit is not None and unit.kind != UnitKind.BRANCH:
        unit = units.get(unit.parent_id) if unit.parent_id else None
    return unit or units.get(unit_id)


def by_branch(tasks: QuerySet[InspectionTask]) -> list[dict[str, Any]]:
    """Counts per 支行 (an outlet's tasks count for its branch)."""
    rows = tasks.values("loan__org_unit_id").annotate(**COUNTS)
    units = {u.pk: u for u in OrgUnit.objects.all()}
    found: dict[str, dict[str, Any]] = {}
    for row in rows:
        branch = _branch_of(row["loan__org_unit_id"], units)
        name = branch.name if branch else "—"
        into = found.setdefault(name, dict.fromkeys(COUNTS, 0))
        for key in COUNTS:
            into[key] += row[key]
    return [{"branch": name} | _rated(row) for name, row in sorted(found.items())]


def open_overdue(tasks: QuerySet[InspectionTask], today: dt.date) -> QuerySet[InspectionTask]:
    return tasks.filter(status=TaskStatus.OPEN, due_date__lt=today).order_by("due_date", "pk")


def summary(tasks: QuerySet[InspectionTask], today: dt.date) -> dict[str, Any]:
    recent = window(tasks, today)
    totals = recent.aggregate(**COUNTS)
    return {
        "as_of": today,
        "totals": _rated(totals),
        "months": by_month(recent),
        "officers": by_officer(recent),
        "branches": by_branch(recent),
        "open_overdue": open_overdue(tasks, today).count(),
    }
