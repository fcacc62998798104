"""Cross-selling for stock customers: the products each holds on a date (the stock store's
holdings table) and his latest grade, turned into recommendations by product role (see
domain_crosssell)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd

from xindai.marketing.domain_crosssell import Recommendation, recommend
from xindai.scoring import store
from xindai.scoring.models import StockCustomer


def holdings_of(customer_nos: Iterable[str], as_of: dt.date | None = None) -> dict[str, set[str]]:
    """customer_no → the products held on ``as_of`` (open on that day; default today). An
    empty store answers an empty dict."""
    wanted = set(customer_nos)
    if not wanted:
        return {}
    try:
        frame = store.read_table("holdings")
    except FileNotFoundError:
        return {}
    if frame.empty:
        return {}
    day = pd.Timestamp(as_of or dt.date.today())
    frame = frame[frame["customer_no"].astype(str).isin(wanted)]
    opened = pd.to_datetime(frame["opened_on"].astype(str), errors="coerce")
    closed = pd.to_datetime(frame["closed_on"].astype(str), errors="coerce")
    held = frame[(opened.isna() | (opened <= day)) & (closed.isna() | (closed > day))]
    found: dict[str, set[str]] = {}
    for no, product in zip(
        held["customer_no"].astype(str), held["product"].astype(str), strict=True
    ):
        found.setdefault(no, set()).add(product)
    return found


def cross_sell(customer: StockCustomer, as_of: dt.date | None = None) -> list[Recommendation]:
    """What to offer this customer next, with why."""
    from xindai.scoring.services import latest_score

    score = latest_score(customer)
    day = as_of or (score.as_of if score is not None else None)
    held = holdings_of([customer.customer_no], day).get(customer.customer_no, set())
    if not held:  # nothing known about his products: nothing to say
        return []
    return recommend(held, grade=score.grade if score else None, kind=customer.kind)


def cross_sell_many(
    customers: Iterable[StockCustomer], grades: dict[int, str], as_of: dt.date | None = None
) -> dict[int, list[Recommendation]]:
    """Recommendations for a batch (customer pk → list), reading the store once."""
    customers = list(customers)
    held = holdings_of([c.customer_no for c in customers], as_of)
    return {
        c.pk: recommend(held[c.customer_no], grade=grades.get(c.pk), kind=c.kind)
        for c in customers
        if held.get(c.customer_no)
    }
