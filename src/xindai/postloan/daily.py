"""This app's part of the post-loan day (see ``xindai.postloan.jobs``): inspection plans for
new loans, the planned tasks coming due, triggered inspections (a downgrade, interest overdue
too long), late tasks flagged, tasks of closed loans cancelled.

Set-based and idempotent for a date: new loans are found above the highest loan id that has a
plan (an index range on the primary key), planned tasks by an index range on the plans'
``next_due`` (cleared once the task exists), late ones by a partial index on open tasks. A
second run of the same date finds nothing more to do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TypeVar, cast

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext

from xindai.credit.policy import Policy
from xindai.loans.models import FiveCategory, LoanAccount, LoanState, LoanStatus
from xindai.postloan import domain, services
from xindai.postloan.models import InspectionPlan, InspectionTask, KindChoice, TaskStatus

LEAD_DAYS = 30  # a planned task appears this many days before it is due
BATCH = 5000
ACTIVE = (LoanStatus.NORMAL, LoanStatus.OVERDUE)
INTEREST_SOURCE = "interest_overdue:"
DOWNGRADE_SOURCE = "classification:downgrade"
T = TypeVar("T")


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def run(today: dt.date) -> dict[str, int]:
    """Bring this app's work up to business date ``today``; idempotent for a date."""
    rules = services.policy()
    counts = {
        "cancelled": cancel_closed(),
        "plans": new_plans(today, rules),
        "planned": planned_tasks(today),
        "triggered": downgrades(today) + interest_overdue(today, rules),
        "late": flag_late(today),
    }
    return {name: n for name, n in counts.items() if n}


def cancel_closed() -> int:
    """Open tasks of settled or written-off loans are cancelled."""
    return InspectionTask.objects.filter(
        status=TaskStatus.OPEN, loan__status__in=services.CLOSED_LOANS
    ).update(status=TaskStatus.CANCELLED)


def new_plans(today: dt.date, rules: Policy) -> int:
    """A plan for each loan that has none yet (loans opened since the last run, or the whole
    portfolio on the first run), its next date the first planned one from today on."""
    above = InspectionPlan.objects.aggregate(top=Max("loan_id"))["top"] or 0
    loans = LoanAccount.objects.filter(pk__gt=above, status__in=ACTIVE).order_by("pk")
    made = 0
    for ids in batched(loans.values_list("pk", flat=True).iterator(), BATCH):
        made += _plan_batch(list(ids), today, rules)
    return made


def _plan_batch(ids: list[int], today: dt.date, rules: Policy) -> int:
    classes = services.classes_of(ids)
    plans = []
    for row in services.plan_rows(LoanAccount.objects.filter(pk__in=ids)):
        facts = services.facts_of(row, classes.get(row["pk"], "normal"), rules)
        upcoming = domain.next_planned(facts, today - dt.timedelta(days=1))
        plans.append(
            InspectionPlan(
                loan_id=row["pk"],
                next_due=upcoming.due if upcoming else None,
                next_kind=upcoming.kind.value if upcoming else KindChoice.PERIODIC,
            )
        )
    InspectionPlan.objects.bulk_create(plans, ignore_conflicts=True)
    return len(plans)


def planned_tasks(today: dt.date) -> int:
    """A task for each plan coming due within ``LEAD_DAYS``, given to the loan's manager; the
    plan then waits for the task to be closed."""
    horizon = today + dt.timedelta(days=LEAD_DAYS)
    due = InspectionPlan.objects.filter(next_due__isnull=False, next_due__lte=horizon)
    rows = due.values_list("loan_id", "next_due", "next_kind", "loan__manager_id", "loan__status")
    made = 0
    for chunk in batched(rows.iterator(), BATCH):
        tasks = [
            InspectionTask(
                loan_id=loan_id,
                kind=kind,
                due_date=cast(dt.date, next_due),  # the filter left out NULLs
                assignee_id=manager_id,
                created_on=today,
            )
            for loan_id, next_due, kind, manager_id, status in chunk
            if status in ACTIVE
        ]
        with transaction.atomic():
            InspectionTask.objects.bulk_create(tasks, ignore_conflicts=True)
            InspectionPlan.objects.filter(loan_id__in=[row[0] for row in chunk]).update(
                next_due=None
            )
        made += len(tasks)
    return made


def downgrades(today: dt.date) -> int:
    """A triggered inspection for each loan downgraded today."""
    from xindai.classification import services as classification

    changes = list(classification.downgraded_on(today))
    loans = LoanAccount.objects.in_bulk([c.loan_id for c in changes])
    made = 0
    for change in changes:
        reason = gettext("五级分类下调：%(old)s → %(new)s") % {
            "old": FiveCategory(change.old).label,
            "new": FiveCategory(change.new).label,
        }
        loan = loans[change.loan_id]
        made += (
            services.add_triggered(loan, today, reason=reason, source=DOWNGRADE_SOURCE) is not None
        )
    return made


def interest_overdue(today: dt.date, rules: Policy) -> int:
    """A triggered inspection, once per overdue spell, for interest overdue more than the
    policy's days (欠息超过 60 天)."""
    limit = rules.inspection_interest_overdue_days
    candidates = LoanState.objects.filter(
        active=True, days_past_due__gt=limit, overdue_interest_fen__gt=0
    ).values_list("loan_id", "overdue_since")
    reason = gettext("欠息超过 %(days)s 天") % {"days": limit}
    made = 0
    for chunk in batched(candidates.iterator(), BATCH):
        wanted = {loan_id: f"{INTEREST_SOURCE}{since}" for loan_id, since in chunk}
        done = set(
            InspectionTask.objects.filter(
                kind=KindChoice.TRIGGERED,
                loan_id__in=wanted,
                source__startswith=INTEREST_SOURCE,
            ).values_list("loan_id", "source")
        )
        missing = [loan_id for loan_id, source in wanted.items() if (loan_id, source) not in done]
        for loan in LoanAccount.objects.filter(pk__in=missing):
            found = services.add_triggered(loan, today, reason=reason, source=wanted[loan.pk])
            made += found is not None
    return made


def flag_late(today: dt.date) -> int:
    """Open tasks past their due date are late (the flag stays when they are done)."""
    return InspectionTask.objects.filter(
        status=TaskStatus.OPEN, late=False, due_date__lt=today
    ).update(late=True)
