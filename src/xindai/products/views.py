"""Pages of the loan product catalogue (贷款产品): the list with filters, and a product."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xindai.core.access import requires
from xindai.customers.models import CustomerKind
from xindai.products import queries
from xindai.products.models import MarketingRole, Purpose

VIEW = "products.view_loanproduct"
FILTERS = ("purpose", "role", "kind")


@requires(VIEW)
def product_list(request: HttpRequest) -> HttpResponse:
    filters = {key: request.GET.get(key, "").strip() for key in FILTERS}
    as_of = queries.pricing_date()
    found = queries.products(purpose=filters["purpose"], role=filters["role"], kind=filters["kind"])
    rows = [(p, queries.rate_or_none(p, as_of)) for p in found]
    context = {
        "rows": rows,
        "as_of": as_of,
        "filters": filters,
        "purposes": Purpose.choices,
        "roles": MarketingRole.choices,
        "kinds": CustomerKind.choices,
    }
    htmx = request.headers.get("HX-Request")
    return render(request, "products/_rows.html" if htmx else "products/list.html", context)


@requires(VIEW)
def product_detail(request: HttpRequest, code: str) -> HttpResponse:
    product = queries.product(code)
    as_of = queries.pricing_date()
    context = {"product": product, "as_of": as_of, "rate": queries.rate_or_none(product, as_of)}
    return render(request, "products/detail.html", context)
