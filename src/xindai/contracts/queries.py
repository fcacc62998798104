"""Reads for pages and the API: the contracts a user may see (those of the applications he may
see), searched and filtered, and the template versions."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from xindai.contracts.models import Contract, ContractTemplate
from xindai.credit.queries import visible_applications


def visible_contracts(user: Any) -> QuerySet[Contract]:
    found = Contract.objects.select_related(
        "application", "application__customer", "template", "approved_terms", "created_by"
    )
    return found.filter(application__in=visible_applications(user).values("pk"))


def contract_for(user: Any, pk: object) -> Contract:
    """A contract the user may see, or 404."""
    return get_object_or_404(visible_contracts(user), pk=pk)


def contracts_for(
    user: Any, *, q: str = "", kind: str = "", status: str = ""
) -> QuerySet[Contract]:
    """``q``: a part of the contract number, the application number or the customer's or
    party's name. Newest first."""
    found = visible_contracts(user)
    if q.strip():
        text = q.strip()
        found = found.filter(
            Q(number__icontains=text)
            | Q(application__number__icontains=text)
            | Q(application__customer__name__icontains=text)
            | Q(party_name__icontains=text)
        )
    if kind:
        found = found.filter(kind=kind)
    if status:
        found = found.filter(status=status)
    return found.order_by("-created_at", "-pk")


def template_versions() -> QuerySet[ContractTemplate]:
    return ContractTemplate.objects.select_related("uploaded_by", "approved_by").order_by(
        "kind", "-version"
    )
