"""An application's timeline: every transition taken, and the time spent in each stage."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext

from xindai.core.access import requires
from xindai.credit import presenters
from xindai.credit.models import CreditApplication, StageEvent
from xindai.credit.views.common import VIEW, application_for

DAY = 86400


@requires(VIEW)
def timeline(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for(request.user, pk)
    events = list(application.events.select_related("actor", "policy_version"))
    spent = stage_times(application, events)
    chart = [[item["stage_label"], item["days"]] for item in spent]
    rows = [(e, presenters.transition_label(e.transition)) for e in events]
    context = {"application": application, "events": rows, "spent": spent, "chart": chart}
    return render(request, "credit/timeline.html", context)


def stage_times(application: CreditApplication, events: list[StageEvent]) -> list[dict[str, Any]]:
    """The time in each stage (``presenters.time_in_stages``), in words and in days."""
    moves = [presenters.Move(e.at, e.from_stage, e.to_stage) for e in events]
    found = presenters.time_in_stages(
        application.created_at, application.stage, moves, timezone.now()
    )
    return [
        {
            "stage_label": presenters.stage_label(item.stage),
            "text": presenters.duration_text(item.seconds, gettext),
            "days": round(item.seconds / DAY, 2),
            "current": item.current,
        }
        for item in found
    ]
