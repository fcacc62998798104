"""Read side of the organisation: scoped, filtered lists for pages and the API alike."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from xindai.org.models import OrgUnit, User
from xindai.org.roles import SPEC_BY_ROLE_CODE
from xindai.org.scope import get_visible_or_404, visible


def units_for(user: Any) -> QuerySet[OrgUnit]:
    return visible(OrgUnit.objects.all(), user, unit_field=None).annotate(
        staff_count=Count("staff", filter=Q(staff__is_active=True))
    )


def unit_for(user: Any, pk: object) -> OrgUnit:
    return get_visible_or_404(OrgUnit.objects.all(), user, pk, unit_field=None)


def staff_for(
    user: Any, *, q: str = "", unit: str = "", role: str = "", active: bool | None = True
) -> QuerySet[User]:
    staff = visible(User.objects.select_related("org_unit"), user)
    if active is not None:
        staff = staff.filter(is_active=active)
    if q:
        staff = staff.filter(
            Q(full_name__icontains=q) | Q(username__icontains=q) | Q(employee_no__icontains=q)
        )
    if unit:
        staff = staff.filter(org_unit__path__contains=f"/{unit}/")  # the unit and below
    if role in SPEC_BY_ROLE_CODE:
        staff = staff.filter(groups__name=SPEC_BY_ROLE_CODE[role].group_name)
    elif role:
        staff = staff.none()  # an unknown role matches nobody
    return staff.prefetch_related("groups").distinct()


def staff_member_for(user: Any, pk: object) -> User:
    return get_visible_or_404(User.objects.select_related("org_unit"), user, pk)
