"""REST API of the general ledger (`/api/v1/ledger`): the trial balance and the reconciliation
of the subledgers with it, for a date (default: the business date)."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router

from xindai.api import requires
from xindai.customers.services import as_of_today
from xindai.ledger import presenters, reconciliation

router = Router(tags=["ledger"])

VIEW = "ledger.view_journalentry"


@router.get("/trial-balance", auth=requires(VIEW), summary="试算平衡表")
def trial_balance(request: HttpRequest, date: dt.date | None = None) -> dict[str, Any]:
    """Each account's debits, credits and balance (yuan, two decimals) for postings up to
    ``date``; on- and off-balance-sheet accounts separately with totals and ``balanced``."""
    return presenters.trial_balance_json(date or as_of_today())


@router.get("/reconciliation", auth=requires(VIEW), summary="总分核对")
def reconcile(request: HttpRequest, date: dt.date | None = None) -> dict[str, Any]:
    """Per account: the GL balance (postings up to ``date``), the subledger (loan states,
    deposit balances) and the difference; ``ok`` when there is none."""
    return presenters.reconciliation_json(reconciliation.reconcile(date or as_of_today()))
