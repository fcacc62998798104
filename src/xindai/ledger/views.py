"""Pages of the general ledger: the trial balance (试算平衡表) and the reconciliation of the
loan and deposit subledgers with it (对账), each for a date."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xindai.core.access import requires
from xindai.customers.services import as_of_today
from xindai.ledger import presenters, reconciliation

VIEW = "ledger.view_journalentry"


def _date(request: HttpRequest) -> tuple[dt.date, bool]:
    """The date asked for (?date=YYYY-MM-DD), else the business date; and whether it read."""
    text = request.GET.get("date", "").strip()
    if not text:
        return as_of_today(), True
    try:
        return dt.date.fromisoformat(text), True
    except ValueError:
        return as_of_today(), False


@requires(VIEW)
def trial_balance(request: HttpRequest) -> HttpResponse:
    as_of, valid = _date(request)
    context = {
        "result": presenters.trial_balance_json(as_of),
        "as_of": as_of,
        "bad_date": not valid,
    }
    return render(request, "ledger/trial_balance.html", context)


@requires(VIEW)
def reconcile(request: HttpRequest) -> HttpResponse:
    as_of, valid = _date(request)
    result = presenters.reconciliation_json(reconciliation.reconcile(as_of))
    context = {"result": result, "as_of": as_of, "bad_date": not valid}
    return render(request, "ledger/reconcile.html", context)
