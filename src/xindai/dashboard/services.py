"""What the workbench shows a member of staff today."""

from __future__ import annotations

from typing import Any

from xindai.audit.models import AuditEvent
from xindai.core import business_date
from xindai.org.models import OrgUnit, User
from xindai.org.scope import visible


def workbench_for(user: Any) -> dict[str, Any]:
    return {
        "today": business_date.current_or_none(),
        "unit": user.org_unit,
        "roles": user.role_specs(),
        "visible_units": visible(OrgUnit.objects.all(), user, unit_field=None).count(),
        "visible_staff": visible(User.objects.filter(is_active=True), user).count(),
        "recent_actions": AuditEvent.objects.filter(actor=user).order_by("-seq")[:8],
    }
