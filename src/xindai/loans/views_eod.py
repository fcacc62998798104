"""The history of the end-of-day runs (日终批处理记录), read-only: status, loans per step,
amounts and timings of each business date."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xindai.core.access import requires
from xindai.core.paging import page_of
from xindai.ledger.domain import fen_text
from xindai.loans.eod import STEP_LABELS, STEPS
from xindai.loans.models_servicing import EodRun

VIEW = "loans.view_loanaccount"
AMOUNTS = ("collected_fen", "accrued_fen", "overdue_principal_fen", "settled_penalty_fen")


@requires(VIEW)
def eod_runs(request: HttpRequest) -> HttpResponse:
    page = page_of(EodRun.objects.order_by("-business_date"), request.GET.get("page"))
    rows = [_row(run) for run in page.object_list]
    return render(request, "loans/eod_runs.html", {"page": page, "rows": rows})


def _row(run: EodRun) -> dict[str, Any]:
    counts = run.counts or {}
    loans, fen, timings = counts.get("loans", {}), counts.get("fen", {}), run.timings or {}
    return {
        "run": run,
        "steps": [
            (STEP_LABELS[step], loans.get(step, 0), timings.get(step, 0.0)) for step in STEPS[:-1]
        ],
        "amounts": {name: fen_text(int(fen.get(name, 0))) for name in AMOUNTS},
        "total": timings.get("total"),
        "step_label": STEP_LABELS.get(run.step, run.step),
    }
