"""This app's part of the post-loan day (see ``xindai.postloan.jobs``): classes follow the
days-past-due floor, NPL loans are upgraded once they qualify, restructured loans are watched.

Set-based: only loans whose floor differs from their class (a loan without a ``LoanClass`` row
is 正常), or in observation, are looked at — a million loans that stay 正常 cost two indexed
queries. Idempotent for a date: a second run finds every class already where it should be.
"""

from __future__ import annotations

import datetime as dt

from xindai.classification import services


def run(today: dt.date) -> dict[str, int]:
    """Bring the classes up to business date ``today``; what was looked at and changed."""
    loan_ids = services.candidates(today)
    changed = 0
    for start in range(0, len(loan_ids), services.CHUNK):
        changed += services.classify(loan_ids[start : start + services.CHUNK], today)
    return {"checked": len(loan_ids), "changed": changed} if loan_ids else {}
