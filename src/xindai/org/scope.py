"""The one data-scope helper behind every list, detail and API query (数据权限).

A user sees the records of his org unit's subtree. A user whose every role works on his own
records (客户经理, 协办调查人) sees, on models that have an owner, only the records he owns
and those shared with him. Superusers see everything; a user without an org unit sees nothing.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet
from django.shortcuts import get_object_or_404

from xindai.org.domain import Scope
from xindai.org.models import Share

M = TypeVar("M", bound=Model)


def scope_of(user: Any) -> Scope:
    if getattr(user, "is_superuser", False):
        return Scope(unit_path="/", own_records_only=False, everything=True)
    unit = getattr(user, "org_unit", None)
    if not getattr(user, "is_authenticated", False) or unit is None:
        return Scope(unit_path=None, own_records_only=True)
    specs = user.role_specs()
    own_only = bool(specs) and all(spec.own_records_only for spec in specs)
    return Scope(unit_path=unit.path, own_records_only=own_only)


def visible(
    queryset: QuerySet[M],
    user: Any,
    *,
    unit_field: str | None = "org_unit",
    owner_field: str | None = None,
) -> QuerySet[M]:
    """Narrow ``queryset`` to what ``user`` may see.

    ``unit_field`` names the record's org unit (``None`` when the records are org units);
    ``owner_field`` names its owner (the assigned manager), where the model has one.
    """
    scope = scope_of(user)
    if scope.everything:
        return queryset
    if scope.unit_path is None:
        return queryset.none()
    if scope.own_records_only and owner_field is not None:
        content_type = ContentType.objects.get_for_model(queryset.model)
        shared = Share.objects.filter(content_type=content_type, grantee=user).values("object_id")
        return queryset.filter(Q(**{owner_field: user.pk}) | Q(pk__in=shared))
    path_lookup = "path__startswith" if unit_field is None else f"{unit_field}__path__startswith"
    return queryset.filter(**{path_lookup: scope.unit_path})


def get_visible_or_404(
    queryset: QuerySet[M],
    user: Any,
    pk: object,
    *,
    unit_field: str | None = "org_unit",
    owner_field: str | None = None,
) -> M:
    """A record the user may see, or 404: another branch's record is not even acknowledged."""
    return get_object_or_404(
        visible(queryset, user, unit_field=unit_field, owner_field=owner_field), pk=pk
    )
