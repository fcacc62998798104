"""Reading the catalogue: products by purpose, marketing role and customer kind, and the date
their rates are quoted for (the business date)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from xindai.core import business_date
from xindai.products.lpr import NoLprQuotation
from xindai.products.models import LoanProduct, LprRate


def pricing_date() -> dt.date:
    """Rates are quoted as of the business date (会计日期), or today before one is set."""
    return business_date.current_or_none() or timezone.localdate()


def products(
    *, purpose: str = "", role: str = "", kind: str = "", active_only: bool = True
) -> QuerySet[LoanProduct]:
    found = LoanProduct.objects.all()
    if active_only:
        found = found.filter(is_active=True)
    if purpose:
        found = found.filter(purpose=purpose)
    if role:
        found = found.filter(marketing_role=role)
    if kind:  # a JSON list: matched in Python, the catalogue is a few dozen products
        found = found.filter(pk__in=[p.pk for p in found if kind in p.customer_kinds])
    return found


def product(code: str) -> LoanProduct:
    return get_object_or_404(LoanProduct, code=code)


def rate_or_none(item: LoanProduct, as_of: dt.date) -> Decimal | None:
    """The product's rate on ``as_of``, or None while no LPR has been quoted for that date."""
    try:
        return item.effective_rate(as_of)
    except NoLprQuotation:
        return None


def lpr_rates() -> QuerySet[LprRate]:
    return LprRate.objects.order_by("-effective_date")
