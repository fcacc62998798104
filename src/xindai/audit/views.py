from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xindai.audit import queries, services
from xindai.audit.forms import EventFilterForm
from xindai.audit.messages import describe
from xindai.core.access import requires
from xindai.core.paging import page_of


@requires("audit.view_auditevent")
def events(request: HttpRequest) -> HttpResponse:
    form = EventFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    found = queries.events_for(request.user, **filters)
    context = {
        "form": form,
        "page": page_of(found, request.GET.get("page")),
        "per_day": queries.events_per_day(found),
        "object_types": queries.object_types(queries.events_for(request.user)),
        "query": request.GET.copy(),
    }
    return render(request, "audit/events.html", context)


@requires("audit.verify_chain")
def verify(request: HttpRequest) -> HttpResponse:
    checked, broken = services.verify()
    problem = describe(broken) if broken else ""
    context = {"checked": checked, "broken": broken, "problem": problem}
    return render(request, "audit/verify.html", context)
