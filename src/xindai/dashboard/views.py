from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xindai.core.access import requires
from xindai.credit import queries as credit_queries
from xindai.dashboard import services

QUEUE_SHOWN = 5


@requires("dashboard.view_workbench")
def workbench(request: HttpRequest) -> HttpResponse:
    context = services.workbench_for(request.user) | {"credit_queue": credit_queue(request.user)}
    return render(request, "dashboard/workbench.html", context)


def credit_queue(user: Any) -> dict[str, Any] | None:
    """The applications waiting for this user (信贷待办), the oldest few of them shown."""
    if not user.has_perm("credit.view_creditapplication"):
        return None
    found = credit_queries.queue(user)
    return {"count": len(found), "first": found[:QUEUE_SHOWN]}
