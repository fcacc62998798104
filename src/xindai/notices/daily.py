"""This app's part of the post-loan day (see ``xindai.postloan.jobs``)."""

from __future__ import annotations

import datetime as dt


def run(today: dt.date) -> dict[str, int]:
    """Bring this app's work up to business date ``today``; idempotent for a date."""
    return {}
