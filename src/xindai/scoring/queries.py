"""Read-side queries of the scoring pages: the stock-customer list with its latest score and
filters, and the grade distribution by branch and by village."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import (
    CharField,
    Count,
    F,
    FilteredRelation,
    FloatField,
    IntegerField,
    Q,
    QuerySet,
    Value,
)

from xindai.customers.models import CustomerKind
from xindai.org.models import OrgUnit, UnitKind
from xindai.scoring.models import CustomerScore, Grade, ScoreRun, StockCustomer

FILTERS = ("q", "grade", "unit", "village", "kind")
GRADES = tuple(Grade.values)


def unit_of(value: Any) -> OrgUnit | None:
    text = str(value or "")
    return OrgUnit.objects.filter(pk=int(text)).first() if text.isdigit() else None


def with_score(found: QuerySet[StockCustomer], as_of: dt.date | None) -> QuerySet[StockCustomer]:
    """Each customer with his grade, propensity and points of ``as_of`` (None if not scored)."""
    found = found.select_related("org_unit")
    if as_of is None:
        return found.annotate(
            grade=Value(None, output_field=CharField()),
            propensity=Value(None, output_field=FloatField()),
            points=Value(None, output_field=IntegerField()),
        )
    # One LEFT JOIN on (customer, as_of), unique: customers not scored that day stay listed.
    scored = found.annotate(day=FilteredRelation("scores", condition=Q(scores__as_of=as_of)))
    return scored.annotate(
        grade=F("day__grade"), propensity=F("day__propensity"), points=F("day__points")
    )


def filtered(found: QuerySet[StockCustomer], params: Any) -> QuerySet[StockCustomer]:
    """``found`` as annotated by :func:`with_score`, narrowed by the list's filters."""
    q = (params.get("q") or "").strip()
    if q:
        found = found.filter(Q(name__icontains=q) | Q(customer_no__icontains=q))
    if params.get("grade") in GRADES:
        found = found.filter(Q(grade=params["grade"]))  # the annotation of with_score
    if params.get("kind") in CustomerKind.values:
        found = found.filter(kind=params["kind"])
    unit = unit_of(params.get("unit"))
    if unit is not None:
        found = found.filter(org_unit__path__startswith=unit.path)
    village = (params.get("village") or "").strip()
    if village:
        found = found.filter(village_code=village)
    return found


def ordered(found: QuerySet[StockCustomer]) -> QuerySet[StockCustomer]:
    """Best prospects first: by grade, then by propensity; customers not scored last."""
    return found.order_by(
        F("grade").asc(nulls_last=True), F("propensity").desc(nulls_last=True), "customer_no"
    )


def villages(found: QuerySet[StockCustomer]) -> list[tuple[str, str]]:
    rows = (
        found.exclude(village_code="")
        .values_list("village_code", "village_name")
        .distinct()
        .order_by("village_code")
    )
    return [(code, name or code) for code, name in rows]


def run_dates() -> list[dt.date]:
    return list(ScoreRun.objects.order_by("-as_of").values_list("as_of", flat=True)[:60])


def _table(rows: list[dict[str, Any]], key: str, label: str) -> list[dict[str, Any]]:
    """Rows of {key, label, grade, n} → one row per key with counts and shares by grade."""
    table: dict[Any, dict[str, Any]] = {}
    for row in rows:
        entry = table.setdefault(
            row[key], {"key": row[key], "label": row[label] or row[key], "total": 0}
        )
        entry[row["grade"]] = entry.get(row["grade"], 0) + row["n"]
        entry["total"] += row["n"]
    result = []
    for entry in sorted(table.values(), key=lambda e: (-e["total"], str(e["key"]))):
        total = entry["total"]
        entry["cells"] = [
            {"grade": g, "count": entry.get(g, 0), "share": entry.get(g, 0) / total} for g in GRADES
        ]
        result.append(entry)
    return result


def branch_of(unit: OrgUnit, branches: dict[str, OrgUnit]) -> OrgUnit:
    """The 支行 a unit belongs to (itself when it is a branch or above)."""
    for path, branch in branches.items():
        if unit.path.startswith(path):
            return branch
    return unit


def by_branch(scores: QuerySet[CustomerScore]) -> list[dict[str, Any]]:
    """Grade counts and shares per 支行 (outlets rolled up into their branch)."""
    rows = scores.values("customer__org_unit", "grade").annotate(n=Count("pk")).order_by()
    units = OrgUnit.objects.in_bulk({r["customer__org_unit"] for r in rows})
    branches = {u.path: u for u in OrgUnit.objects.filter(kind=UnitKind.BRANCH).order_by("-path")}
    flat = []
    for row in rows:
        branch = branch_of(units[row["customer__org_unit"]], branches)
        flat.append({"key": branch.pk, "label": branch.name, "grade": row["grade"], "n": row["n"]})
    return _table(flat, "key", "label")


def by_village(scores: QuerySet[CustomerScore], limit: int = 30) -> list[dict[str, Any]]:
    """Grade counts and shares per village (the ``limit`` largest villages)."""
    rows = (
        scores.exclude(customer__village_code="")
        .values("customer__village_code", "customer__village_name", "grade")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return _table(list(rows), "customer__village_code", "customer__village_name")[:limit]


def totals(scores: QuerySet[CustomerScore]) -> dict[str, int]:
    rows = scores.values("grade").annotate(n=Count("pk")).order_by()
    by = {row["grade"]: row["n"] for row in rows}
    return {g: by.get(g, 0) for g in GRADES}


def chart_series(table: list[dict[str, Any]]) -> dict[str, Any]:
    """The stacked-bar data of a distribution table: categories and one series per grade."""
    return {
        "categories": [str(row["label"]) for row in table],
        "series": [
            {"grade": g, "data": [row["cells"][i]["count"] for row in table]}
            for i, g in enumerate(GRADES)
        ],
    }
