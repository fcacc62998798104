"""Posting to the ledger and reading it back: the one way money enters the books."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext

from xindai.core.errors import DomainError
from xindai.core.problems import by_field
from xindai.ledger import domain
from xindai.ledger.models import JournalEntry, Posting


class UnbalancedEntry(DomainError):
    status = 422
    code = "unbalanced_entry"


def post(
    key: str,
    business_date: dt.date,
    kind: str,
    legs: Iterable[domain.Leg],
    *,
    memo: str = "",
    loan: Any = None,
    reverses: JournalEntry | None = None,
) -> JournalEntry:
    """Post a balanced entry once: a second call with the same ``key`` returns the first
    entry and posts nothing. Refuses (``UnbalancedEntry``) an entry that does not balance."""
    legs = list(legs)
    found = domain.problems(legs)
    if found:
        message = gettext("分录不正确：") + "；".join(p.text(gettext) for p in found)
        raise UnbalancedEntry(message, details=by_field(found, gettext))
    existing = JournalEntry.objects.filter(key=key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            entry = JournalEntry.objects.create(
                key=key, business_date=business_date, kind=kind, memo=memo, reverses=reverses
            )
            Posting.objects.bulk_create(
                Posting(
                    entry=entry,
                    business_date=business_date,
                    account=leg.account,
                    loan=loan,
                    debit_fen=leg.debit,
                    credit_fen=leg.credit,
                )
                for leg in legs
            )
    except IntegrityError:  # the same key posted at the same moment by someone else
        return JournalEntry.objects.get(key=key)
    return entry


def reverse(entry: JournalEntry, key: str, business_date: dt.date, memo: str) -> JournalEntry:
    """冲正: the mirror entry (debits and credits swapped), posted once."""
    legs = [
        domain.Leg(p.account, debit=p.credit_fen, credit=p.debit_fen) for p in entry.postings.all()
    ]
    loans = {p.loan_id for p in entry.postings.all()}
    loan = entry.postings.first().loan if len(loans) == 1 else None  # type: ignore[union-attr]
    return post(key, business_date, "reversal", legs, memo=memo, loan=loan, reverses=entry)


def totals(*, until: dt.date | None = None, loan: Any = None) -> dict[str, tuple[int, int]]:
    """Each account's (debits, credits) in fen, up to and including ``until``."""
    postings = Posting.objects.all()
    if until is not None:
        postings = postings.filter(business_date__lte=until)
    if loan is not None:
        postings = postings.filter(loan=loan)
    rows = postings.values("account").annotate(d=Sum("debit_fen"), c=Sum("credit_fen"))
    return {row["account"]: (int(row["d"] or 0), int(row["c"] or 0)) for row in rows}


def trial_balance(until: dt.date | None = None) -> tuple[list[domain.TrialLine], bool]:
    return domain.trial_balance(totals(until=until))
