from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xindai.core.access import requires
from xindai.core.paging import page_of
from xindai.org import queries
from xindai.org.roles import ROLE_SPECS


@requires("org.view_orgunit")
def units(request: HttpRequest) -> HttpResponse:
    return render(request, "org/units.html", {"units": queries.units_for(request.user)})


@requires("org.view_orgunit")
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = queries.unit_for(request.user, pk)
    staff = queries.staff_for(request.user, unit=unit.code)
    return render(request, "org/unit_detail.html", {"unit": unit, "staff": staff})


@requires("org.view_user")
def staff(request: HttpRequest) -> HttpResponse:
    filters = {key: request.GET.get(key, "").strip() for key in ("q", "unit", "role")}
    found = queries.staff_for(
        request.user, q=filters["q"], unit=filters["unit"], role=filters["role"]
    )
    page = page_of(found, request.GET.get("page"))
    context = {
        "page": page,
        "filters": filters,
        "units": queries.units_for(request.user),
        "roles": ROLE_SPECS,
    }
    template = "org/_staff_rows.html" if request.headers.get("HX-Request") else "org/staff.html"
    return render(request, template, context)


@requires("org.view_user")
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = queries.staff_member_for(request.user, pk)
    return render(request, "org/staff_detail.html", {"member": member})
