"""This app's part of the post-loan day (see ``xindai.postloan.jobs``)."""

from __future__ import annotations

import datetime as dt


def run(today: dt.date) -> dict[str, int]:
    """Bring this app's work up to business date ``today``; idempotent for a date: open cases
    for loans newly 次级 or worse or overdue past the policy's days, close cases of loans paid
    off, flag limitation alerts."""
    from xindai.collection.services import run_day

    return run_day(today)
