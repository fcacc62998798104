"""What the workbench shows a member of staff today."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from xindai.audit.models import AuditEvent
from xindai.core import business_date
from xindai.customers.models import ArchiveStatus
from xindai.customers.queries import customers_for
from xindai.org.models import OrgUnit, User
from xindai.org.scope import visible


def archive_todo(user: Any) -> dict[str, int] | None:
    """The archive work waiting for this user: customers not yet organised, to re-confirm, thin."""
    if not user.has_perm("customers.view_customer"):
        return None
    counts = customers_for(user).aggregate(
        total=Count("pk"),
        draft=Count("pk", filter=Q(archive_status=ArchiveStatus.DRAFT)),
        reconfirm=Count("pk", filter=Q(archive_status=ArchiveStatus.RECONFIRM)),
        low=Count("pk", filter=Q(completeness__lt=50)),
    )
    return {key: value or 0 for key, value in counts.items()}


def workbench_for(user: Any) -> dict[str, Any]:
    return {
        "archives": archive_todo(user),
        "today": business_date.current_or_none(),
        "unit": user.org_unit,
        "roles": user.role_specs(),
        "visible_units": visible(OrgUnit.objects.all(), user, unit_field=None).count(),
        "visible_staff": visible(User.objects.filter(is_active=True), user).count(),
        "recent_actions": AuditEvent.objects.filter(actor=user).order_by("-seq")[:8],
    }
