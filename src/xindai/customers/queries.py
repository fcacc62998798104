"""Read side of the archives: scoped, filtered lists, a customer's relations and documents, and
the merged change history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from xindai.core.masking import mask_text
from xindai.customers.models import Customer, Document, Relationship, SoftInfo
from xindai.customers.sections import SectionSpec, sections_for
from xindai.org.scope import get_visible_or_404, visible

COMPLETENESS_BANDS = {
    "complete": Q(completeness=100),
    "high": Q(completeness__gte=80, completeness__lt=100),
    "medium": Q(completeness__gte=50, completeness__lt=80),
    "low": Q(completeness__lt=50),
}


def customers_for(
    user: Any,
    *,
    q: str = "",
    kind: str = "",
    village: str = "",
    manager: str = "",
    completeness: str = "",
    status: str = "",
) -> QuerySet[Customer]:
    """Customers the user may see, filtered: ``q`` matches the name or the end of the ID number;
    ``village`` an area code (the village or anything below a township/county code)."""
    found = visible(
        Customer.objects.select_related("village", "manager", "org_unit"),
        user,
        owner_field="manager",
    )
    if q:
        found = found.filter(Q(name__icontains=q) | Q(id_number__endswith=q.strip().upper()))
    if kind:
        found = found.filter(kind=kind)
    if village:
        found = found.filter(village__code__startswith=village.rstrip("0") or village)
    if manager:
        found = found.filter(Q(manager__username=manager) | Q(manager__full_name=manager))
    if completeness in COMPLETENESS_BANDS:
        found = found.filter(COMPLETENESS_BANDS[completeness])
    if status:
        found = found.filter(archive_status=status)
    return found.order_by("-updated_at", "-pk")


def customer_for(user: Any, pk: object) -> Customer:
    return get_visible_or_404(
        Customer.objects.select_related("village", "manager", "org_unit", "confirmed_by"),
        user,
        pk,
        owner_field="manager",
    )


def document_for(user: Any, doc_id: int) -> Document:
    """A document of a customer the user may see, or 404."""
    customer_id = Document.objects.filter(pk=doc_id).values_list("customer_id", flat=True).first()
    if customer_id is None:
        raise Http404
    customer = customer_for(user, customer_id)
    return customer.documents.select_related("uploaded_by").get(pk=doc_id)


# ---- relations -----------------------------------------------------------------------------


def links_of(customer: Customer) -> QuerySet[Relationship]:
    """The customer's relationships, both ways."""
    both_ways = Q(source=customer) | Q(target=customer)
    return Relationship.objects.filter(both_ways).select_related("source", "target")


def party_of(customer: Customer) -> dict[str, Any]:
    return {"id": customer.pk, "name": customer.name, "kind": customer.kind}


def graph_of(customer: Customer) -> dict[str, Any]:
    """The customer, its direct relations and the links among all of them (depth 1)."""
    ids = {customer.pk}
    for pair in links_of(customer).values_list("source_id", "target_id"):
        ids.update(pair)
    links = Relationship.objects.filter(source_id__in=ids, target_id__in=ids).order_by("pk")
    return {
        "nodes": [party_of(node) for node in Customer.objects.filter(pk__in=ids).order_by("pk")],
        "links": [
            {
                "source": link.source_id,
                "target": link.target_id,
                "kind": link.kind,
                "label": link.get_kind_display(),
            }
            for link in links
        ],
    }


# ---- history -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    when: dt.datetime
    who: str
    section: str
    record: str
    action: str  # "+" created, "~" changed, "-" deleted
    changes: tuple[Change, ...]


def _text(value: Any) -> str:
    return "—" if value in (None, "") else mask_text(str(value))


def _record(row: Any) -> str:
    """The record as its model names it, not simple-history's "<record> as of <UTC time>".
    (A relationship's name reads its two customers: two queries for each such row.)"""
    try:
        return mask_text(str(row.instance))
    except ObjectDoesNotExist:  # it names a related record deleted since
        return f"#{row.id}"


def _entries(model: type[Model], rows: list[Any], section: str) -> list[HistoryEntry]:
    """Diff consecutive historical rows of each record (no query per row)."""
    entries: list[HistoryEntry] = []
    previous: dict[Any, Any] = {}
    labels = {f.name: str(f.verbose_name) for f in model._meta.fields}
    for row in rows:
        before = previous.get(row.id)
        changes: tuple[Change, ...] = ()
        if before is not None and row.history_type == "~":
            delta = row.diff_against(before)
            changes = tuple(
                Change(labels.get(c.field, c.field), _text(c.old), _text(c.new))
                for c in delta.changes
            )
            if not changes:
                previous[row.id] = row
                continue
        user = row.history_user
        who = (user.full_name or user.username) if user else "系统"
        entries.append(
            HistoryEntry(row.history_date, who, section, _record(row), row.history_type, changes)
        )
        previous[row.id] = row
    return entries


def history_of(customer: Customer) -> list[HistoryEntry]:
    """Every version of the customer and of each of its records, newest first."""
    sources: list[tuple[type[Model], QuerySet[Any]]] = [
        (Customer, Customer.history.filter(id=customer.pk)),
        (SoftInfo, SoftInfo.history.filter(customer_id=customer.pk)),
        (Document, Document.history.filter(customer_id=customer.pk)),
        (Relationship, Relationship.history.filter(source_id=customer.pk)),
    ]
    spec: SectionSpec
    for spec in sections_for(customer.kind):
        history = spec.model.history  # type: ignore[attr-defined]
        sources.append((spec.model, history.filter(customer_id=customer.pk)))
    entries: list[HistoryEntry] = []
    for model, rows in sources:
        ordered = list(rows.select_related("history_user").order_by("history_date", "history_id"))
        entries += _entries(model, ordered, str(model._meta.verbose_name))
    return sorted(entries, key=lambda e: e.when, reverse=True)
