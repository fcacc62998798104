"""Triggered inspections: a downgrade, interest overdue more than 60 days (once per overdue
spell), a warning signal through ``add_triggered`` (once per source while open)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from tests.postloan.conftest import FINE, on
from xindai.classification import daily as classification_daily
from xindai.loans.models import LoanAccount, LoanState, LoanStatus
from xindai.postloan import daily, services
from xindai.postloan.models import InspectionTask, TaskStatus

D = dt.date


def triggered(loan: LoanAccount) -> list[tuple[dt.date, str, str]]:
    found = InspectionTask.objects.filter(loan=loan, kind="triggered").order_by("pk")
    return [(t.due_date, t.reason, t.status) for t in found]


def overdue(loan: LoanAccount, days: int, since: dt.date, interest_fen: int = 21_750) -> None:
    LoanState.objects.filter(loan=loan).update(
        days_past_due=days, overdue_since=since, overdue_interest_fen=interest_fen
    )


def test_a_downgrade_triggers_an_inspection_due_within_a_week(
    open_loan: Callable[..., LoanAccount],
) -> None:
    loan = open_loan(D(2026, 3, 10))
    daily.run(D(2026, 3, 11))
    # 10 days past due: the floor is 关注 — the classification job downgrades it on 20 April
    LoanState.objects.filter(loan=loan).update(
        days_past_due=10, overdue_since=D(2026, 4, 10), class_floor="special_mention"
    )
    on(D(2026, 4, 20))
    classification_daily.run(D(2026, 4, 20))
    assert daily.run(D(2026, 4, 20))["triggered"] == 1
    assert triggered(loan) == [(D(2026, 4, 27), "五级分类下调：正常 → 关注", "open")]
    assert "triggered" not in daily.run(D(2026, 4, 20))  # once


def test_interest_more_than_60_days_overdue_triggers_once_per_spell(
    open_loan: Callable[..., LoanAccount], manager: Any
) -> None:
    loan = open_loan(D(2026, 3, 10))
    daily.run(D(2026, 3, 11))
    overdue(loan, 60, D(2026, 4, 10))  # 60 days: not more than 60
    assert "triggered" not in daily.run(D(2026, 6, 9))
    overdue(loan, 61, D(2026, 4, 10))  # 61 days: more than 60
    assert daily.run(D(2026, 6, 10))["triggered"] == 1
    assert triggered(loan) == [(D(2026, 6, 17), "欠息超过 60 天", "open")]

    on(D(2026, 6, 12))
    task = InspectionTask.objects.get(loan=loan, kind="triggered")
    services.submit_record(
        manager,
        task,
        FINE
        | {
            "interest_as_contracted": "false",
            "interest_note": "欠息两期",
            "conclusion": "attention",
            "findings": "经营下滑",
        },
    )
    overdue(loan, 63, D(2026, 4, 10))  # the same spell, already inspected: no new task
    assert "triggered" not in daily.run(D(2026, 6, 12))
    overdue(loan, 61, D(2026, 9, 10))  # repaid, then overdue again: a new spell
    assert daily.run(D(2026, 11, 10))["triggered"] == 1
    assert len(triggered(loan)) == 2


def test_a_warning_signal_triggers_once_per_source_while_open(
    open_loan: Callable[..., LoanAccount],
) -> None:
    loan = open_loan(D(2026, 3, 10))
    first = services.add_triggered(
        loan, D(2026, 3, 12), reason="风险预警：担保人逾期", source="warning:7"
    )
    assert first is not None
    assert (first.kind, first.due_date, first.assignee_id) == (
        "triggered",
        D(2026, 3, 19),
        loan.manager_id,
    )
    assert services.add_triggered(loan, D(2026, 3, 13), reason="again", source="warning:7") is None
    other = services.add_triggered(loan, D(2026, 3, 13), reason="另一信号", source="warning:8")
    assert other is not None
    InspectionTask.objects.filter(pk=first.pk).update(status=TaskStatus.DONE)
    again = services.add_triggered(loan, D(2026, 3, 14), reason="再次", source="warning:7")
    assert again is not None  # the earlier one was done: a new inspection
    assert services.add_triggered(loan, D(2026, 3, 14), reason="x", source="warning:7") is None


def test_no_triggered_inspection_of_a_settled_loan(open_loan: Callable[..., LoanAccount]) -> None:
    loan = open_loan(D(2026, 3, 10))
    LoanAccount.objects.filter(pk=loan.pk).update(status=LoanStatus.SETTLED)
    loan.refresh_from_db()
    assert services.add_triggered(loan, D(2026, 3, 12), reason="r", source="warning:1") is None
