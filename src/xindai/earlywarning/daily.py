"""This app's part of the post-loan day (see ``xindai.postloan.jobs``): the warning signals of
business date ``today``, each found by a set-based query touching only the loans it concerns —

* **overdue**: loans newly overdue (``days_past_due = 1``: the installment due yesterday was not
  paid at yesterday's end-of-day);
* **downgrade**: the class changes to a worse class recorded today
  (``classification.services.downgraded_on``);
* **guarantor overdue**: loans guaranteed by a customer whose own loan is newly overdue;
* **deposit outflow**: borrowers with a withdrawal (支取) yesterday whose 7-day outflows
  (``today - 7`` … ``today - 1``) exceed ``deposit_outflow_spike_ratio`` × the average weekly
  outflow of the 90 days before (``today - 97`` … ``today - 8``) and reach
  ``deposit_outflow_min``.

Idempotent for a date: each signal's source names the episode (the date overdue since, the
class change, the week), and a signal already raised for it — open or closed — is not raised
again."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext

from xindai.classification.services import downgraded_on
from xindai.core.money import fen
from xindai.credit.facts import current_policy
from xindai.credit.models import ApplicationGuarantor
from xindai.deposits.models import DepositAccount, DepositMovement, MovementKind
from xindai.earlywarning import domain, services
from xindai.earlywarning.models import Warning
from xindai.loans.models import LoanAccount, LoanStatus
from xindai.loans.models_servicing import FiveCategory, LoanState

OUTFLOW_KINDS = (MovementKind.CASH_OUT,)
ACTIVE = (LoanStatus.NORMAL, LoanStatus.OVERDUE)


def run(today: dt.date) -> dict[str, int]:
    """Bring this app's work up to business date ``today``; idempotent for a date."""
    counts = {
        "overdue": _overdue(today),
        "downgrade": _downgrade(today),
        "guarantor_overdue": _guarantor_overdue(today),
        "deposit_outflow": _deposit_outflow(today),
    }
    return {kind: n for kind, n in counts.items() if n}


def _already(kind: str, pairs: set[tuple[int, str]]) -> set[tuple[int, str]]:
    """The (loan, source) pairs of ``kind`` already raised, open or closed."""
    if not pairs:
        return set()
    loans = {loan for loan, _source in pairs}
    found = Warning.objects.filter(
        kind=kind, loan_id__in=loans, source__in={s for _loan, s in pairs}
    ).values_list("loan_id", "source")
    return set(found)


def _raise_all(today: dt.date, kind: str, wanted: dict[tuple[int, str], str]) -> int:
    """Raise each wanted (loan, source) → detail not raised before."""
    fresh = set(wanted) - _already(kind, set(wanted))
    loans = LoanAccount.objects.in_bulk({loan for loan, _source in fresh})
    made = 0
    for loan_id, source in sorted(fresh):
        made += (
            services.raise_signal(
                loans[loan_id], today, kind=kind, detail=wanted[(loan_id, source)], source=source
            )
            is not None
        )
    return made


def _newly_overdue() -> list[Any]:
    return list(
        LoanState.objects.filter(active=True, days_past_due=1).values(
            "loan_id",
            "loan__customer_id",
            "loan__number",
            "loan__customer__name",
            "overdue_since",
            "overdue_principal_fen",
            "overdue_interest_fen",
        )
    )


def _overdue(today: dt.date) -> int:
    wanted = {}
    for row in _newly_overdue():
        owed = domain.yuan_text(row["overdue_principal_fen"] + row["overdue_interest_fen"])
        wanted[(row["loan_id"], f"overdue:{row['overdue_since']}")] = gettext(
            "贷款 %(number)s 自 %(since)s 起逾期，逾期本息 %(owed)s 元"
        ) % {"number": row["loan__number"], "since": row["overdue_since"], "owed": owed}
    return _raise_all(today, domain.Kind.OVERDUE, wanted)


def _downgrade(today: dt.date) -> int:
    labels = dict(FiveCategory.choices)
    wanted = {}
    for change in downgraded_on(today):
        detail = gettext("五级分类由“%(old)s”下调为“%(new)s”：%(reason)s") % {
            "old": labels.get(change.old, change.old),
            "new": labels.get(change.new, change.new),
            "reason": change.reason or change.source,
        }
        wanted[(change.loan_id, f"class:{change.business_date}:{change.new}")] = detail
    return _raise_all(today, domain.Kind.DOWNGRADE, wanted)


def _guarantor_overdue(today: dt.date) -> int:
    overdue = {row["loan__customer_id"]: row for row in _newly_overdue()}
    if not overdue:
        return 0
    guaranteed = ApplicationGuarantor.objects.filter(
        guarantor_id__in=overdue, application__loan__status__in=ACTIVE
    ).values_list("application__loan__id", "guarantor_id")
    wanted = {}
    for loan_id, guarantor_id in guaranteed:
        row = overdue[guarantor_id]
        if row["loan_id"] == loan_id:
            continue
        wanted[(loan_id, f"guarantor:{row['loan_id']}:{row['overdue_since']}")] = gettext(
            "保证人 %(name)s 本人的贷款 %(number)s 自 %(since)s 起逾期"
        ) % {
            "name": row["loan__customer__name"],
            "number": row["loan__number"],
            "since": row["overdue_since"],
        }
    return _raise_all(today, domain.Kind.GUARANTOR_OVERDUE, wanted)


def _outflows(accounts: set[int], first: dt.date, last: dt.date) -> dict[int, int]:
    rows = (
        DepositMovement.objects.filter(
            account_id__in=accounts,
            business_date__gte=first,
            business_date__lte=last,
            kind__in=OUTFLOW_KINDS,
            amount_fen__lt=0,
        )
        .values("account__customer_id")
        .annotate(total=Sum("amount_fen"))
    )
    return {row["account__customer_id"]: -row["total"] for row in rows}


def _deposit_outflow(today: dt.date) -> int:
    yesterday = today - dt.timedelta(days=1)
    customers = set(
        DepositMovement.objects.filter(
            business_date=yesterday,
            kind__in=OUTFLOW_KINDS,
            amount_fen__lt=0,
            account__customer__loans__status__in=ACTIVE,
        ).values_list("account__customer_id", flat=True)
    )
    if not customers:
        return 0
    accounts = set(
        DepositAccount.objects.filter(customer_id__in=customers).values_list("pk", flat=True)
    )
    week_start = today - dt.timedelta(days=domain.WEEK_DAYS)
    base_start = week_start - dt.timedelta(days=domain.BASE_DAYS)
    last_week = _outflows(accounts, week_start, yesterday)
    base = _outflows(accounts, base_start, week_start - dt.timedelta(days=1))
    policy = current_policy()[1]
    minimum = fen(policy.deposit_outflow_min)
    spiking = {
        c: last_week.get(c, 0)
        for c in customers
        if domain.outflow_spike(
            last_week.get(c, 0), base.get(c, 0), policy.deposit_outflow_spike_ratio, minimum
        )
    }
    if not spiking:
        return 0
    recent = set(
        Warning.objects.filter(
            kind=domain.Kind.DEPOSIT_OUTFLOW, raised_on__gte=week_start, customer_id__in=spiking
        ).values_list("loan_id", flat=True)
    )
    wanted = {}
    loans = LoanAccount.objects.filter(customer_id__in=spiking, status__in=ACTIVE)
    for loan_id, customer_id in loans.values_list("pk", "customer_id"):
        if loan_id in recent:
            continue
        wanted[(loan_id, f"outflow:{today}")] = gettext(
            "近 7 日存款支取 %(week)s 元，前 90 日周均 %(average)s 元"
        ) % {
            "week": domain.yuan_text(spiking[customer_id]),
            "average": domain.yuan_text(domain.weekly_average_fen(base.get(customer_id, 0))),
        }
    return _raise_all(today, domain.Kind.DEPOSIT_OUTFLOW, wanted)
