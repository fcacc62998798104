"""Which LPR applies on a date: the latest quotation effective on or before it."""

from __future__ import annotations

import datetime as dt

from xindai.core.errors import DomainError
from xindai.products.models import LprRate


class NoLprQuotation(DomainError):
    code = "no_lpr"


def lpr_on(as_of: dt.date) -> LprRate:
    rate = LprRate.objects.filter(effective_date__lte=as_of).order_by("-effective_date").first()
    if rate is None:
        raise NoLprQuotation(f"{as_of} 之前没有 LPR 报价，请先在后台录入 LPR")
    return rate
