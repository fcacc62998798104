from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xindai.core.access import requires
from xindai.dashboard import services


@requires("dashboard.view_workbench")
def workbench(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboard/workbench.html", services.workbench_for(request.user))
