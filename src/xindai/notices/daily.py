"""This app's part of the post-loan day (see ``xindai.postloan.jobs``): the notices due on
business date ``today``, each kind found by one indexed query —

* 到期通知书: loans maturing within ``maturity_notice_days`` from today (their last
  installment's due date, index ``schedule_due``) — on the 30th day before maturity, or later
  for a loan that had none (migrated, or a day the post-loan day did not run);
* 还款/结息提示: loans whose current installment (``LoanState.next_due_date``, index
  ``state_next_due``) falls within ``interest_reminder_days`` from today;
* 逾期通知书: loans overdue (from their first day overdue, ``days_past_due ≥ 1``);
* 催收通知书: loans overdue more than ``collection_notice_after_days``, to the borrower and to
  each guarantor.

Each query leaves out the loans that already have that notice for that period (the maturity
date, the installment's due date, the overdue spell's first day), so a notice missed on its
day comes the next run and a second run makes nothing (a notice is also unique per loan, kind,
period and recipient). The DOCX is rendered when a notice is first opened
(``services.ensure_document``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, F, OuterRef

from xindai.credit.facts import current_policy
from xindai.loans.models import LoanStatus, ScheduleRow
from xindai.loans.models_servicing import LoanState
from xindai.notices import domain, services
from xindai.notices.models import Notice, NoticeKind, RecipientRole

ACTIVE = (LoanStatus.NORMAL, LoanStatus.OVERDUE)
STATE = tuple(f"loan__state__{column}" for column in services.FIGURE_FIELDS.values())


def run(today: dt.date) -> dict[str, int]:
    """Bring this app's work up to business date ``today``; idempotent for a date."""
    policy = current_policy()[1]
    counts = {
        "maturity": _maturity(today, today + dt.timedelta(days=policy.maturity_notice_days)),
        "reminder": _reminder(today, today + dt.timedelta(days=policy.interest_reminder_days)),
        "overdue": _overdue(today, 1, NoticeKind.OVERDUE),  # from the first day overdue
        "collection": _overdue(
            today, policy.collection_notice_after_days + 1, NoticeKind.COLLECTION
        ),
    }
    return {kind: n for kind, n in counts.items() if n}


def _state(row: dict[str, Any]) -> domain.Figures:
    return services.figures_of(
        {column: row[f"loan__state__{column}"] for column in services.FIGURE_FIELDS.values()}
    )


def _sent(kind: str, period: str) -> Exists:
    """The loan (``loan_id`` of the outer row) has its ``kind`` notice for the period."""
    return Exists(
        Notice.objects.filter(loan_id=OuterRef("loan_id"), kind=kind, period=OuterRef(period))
    )


def _maturity(today: dt.date, target: dt.date) -> int:
    rows = (
        ScheduleRow.objects.filter(
            due_date__gte=today,
            due_date__lte=target,
            loan__maturity_date=F("due_date"),
            loan__status__in=ACTIVE,
        )
        .exclude(_sent(NoticeKind.MATURITY, "due_date"))
        .values("loan_id", "loan__customer_id", "due_date", *STATE)
    )
    made = [
        services.notice_for(
            loan_id=row["loan_id"],
            kind=NoticeKind.MATURITY,
            recipient_id=row["loan__customer_id"],
            role=RecipientRole.BORROWER,
            period=row["due_date"],
            today=today,
            owed=domain.owed(domain.Kind.MATURITY, _state(row)),
            due_date=row["due_date"],
        )
        for row in rows
    ]
    return services.save_new(made)


def _reminder(today: dt.date, target: dt.date) -> int:
    rows = (
        ScheduleRow.objects.filter(
            due_date__gte=today,
            due_date__lte=target,
            loan__state__next_due_date=F("due_date"),
            loan__state__active=True,
        )
        .exclude(_sent(NoticeKind.REMINDER, "due_date"))
        .values("loan_id", "loan__customer_id", "due_date", "principal_fen", "interest_fen", *STATE)
    )
    made = [
        services.notice_for(
            loan_id=row["loan_id"],
            kind=NoticeKind.REMINDER,
            recipient_id=row["loan__customer_id"],
            role=RecipientRole.BORROWER,
            period=row["due_date"],
            today=today,
            due_date=row["due_date"],
            owed=domain.owed(
                domain.Kind.REMINDER, _state(row), (row["principal_fen"], row["interest_fen"])
            ),
        )
        for row in rows
    ]
    return services.save_new(made)


def _overdue(today: dt.date, days: int, kind: str) -> int:
    rows = list(
        LoanState.objects.filter(active=True, days_past_due__gte=days)
        .exclude(overdue_since=None)
        .exclude(_sent(kind, "overdue_since"))
        .values(
            "loan_id",
            "loan__customer_id",
            "overdue_since",
            "days_past_due",
            *services.FIGURE_FIELDS.values(),
        )
    )
    guarantors = (
        services.guarantors_of({r["loan_id"] for r in rows})
        if kind == NoticeKind.COLLECTION
        else {}
    )
    made: list[Notice] = []
    for row in rows:
        owed = domain.owed(kind, services.figures_of(row))
        parties = [(row["loan__customer_id"], RecipientRole.BORROWER)] + [
            (g, RecipientRole.GUARANTOR) for g in guarantors.get(row["loan_id"], [])
        ]
        made += [
            services.notice_for(
                loan_id=row["loan_id"],
                kind=kind,
                recipient_id=recipient,
                role=role,
                period=row["overdue_since"],
                today=today,
                owed=owed,
                due_date=row["overdue_since"],
                days_past_due=row["days_past_due"],
            )
            for recipient, role in parties
        ]
    return services.save_new(made)
