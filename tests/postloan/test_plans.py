"""The inspection plan, worked by hand: the first follow-up 15 days after disbursement, then
monthly or quarterly from the disbursement day; one planned task open at a time; late flags."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from tests.postloan.conftest import FINE, on
from xindai.loans.models import LoanAccount, LoanStatus
from xindai.postloan import daily, services
from xindai.postloan.models import InspectionTask, TaskStatus

D = dt.date


def tasks(loan: LoanAccount) -> list[tuple[str, dt.date, str, bool]]:
    return [
        (t.kind, t.due_date, t.status, t.late)
        for t in InspectionTask.objects.filter(loan=loan).order_by("due_date", "pk")
    ]


def do(user: Any, loan: LoanAccount, day: dt.date) -> None:
    on(day)
    task = InspectionTask.objects.get(loan=loan, status=TaskStatus.OPEN)
    services.submit_record(user, task, FINE)


def test_a_twelve_month_loan_first_after_15_days_then_quarterly(
    open_loan: Callable[..., LoanAccount], manager: Any
) -> None:
    loan = open_loan(D(2026, 3, 10), months=12)  # matures 2027-03-10
    assert daily.run(D(2026, 3, 11)) == {"plans": 1, "planned": 1}
    # 10 March + 15 days = 25 March, given to the loan's manager at once (due within 30 days)
    assert tasks(loan) == [("first", D(2026, 3, 25), "open", False)]
    assert InspectionTask.objects.get(loan=loan).assignee == manager
    assert daily.run(D(2026, 3, 11)) == {}  # the same date again: nothing more

    do(manager, loan, D(2026, 3, 20))  # on time
    # quarterly from the 10th of March: 10 June is more than 30 days ahead until 11 May
    assert daily.run(D(2026, 5, 10)) == {}
    assert daily.run(D(2026, 5, 11)) == {"planned": 1}
    assert tasks(loan)[-1] == ("periodic", D(2026, 6, 10), "open", False)

    assert daily.run(D(2026, 6, 10)) == {}  # due today: not late yet
    assert daily.run(D(2026, 6, 11)) == {"late": 1}
    do(manager, loan, D(2026, 6, 15))  # five days late: stays late
    assert tasks(loan)[1] == ("periodic", D(2026, 6, 10), "done", True)
    # next: 10 September (after 15 June), created 30 days before, then 10 December
    daily.run(D(2026, 8, 11))
    do(manager, loan, D(2026, 9, 1))
    daily.run(D(2026, 11, 10))
    do(manager, loan, D(2026, 12, 1))
    daily.run(D(2027, 2, 10))  # 10 March 2027 is the maturity: no periodic task on it
    assert [(k, d, s, late) for k, d, s, late in tasks(loan)] == [
        ("first", D(2026, 3, 25), "done", False),
        ("periodic", D(2026, 6, 10), "done", True),
        ("periodic", D(2026, 9, 10), "done", False),
        ("periodic", D(2026, 12, 10), "done", False),
    ]


def test_a_six_month_loan_is_inspected_monthly(
    open_loan: Callable[..., LoanAccount], manager: Any
) -> None:
    loan = open_loan(D(2026, 3, 10), months=6)  # matures 2026-09-10
    daily.run(D(2026, 3, 11))
    do(manager, loan, D(2026, 3, 24))
    daily.run(D(2026, 3, 24))  # 10 April is within 30 days: the next task at once
    do(manager, loan, D(2026, 4, 9))
    daily.run(D(2026, 4, 10))  # 10 May is 30 days ahead
    assert [d for _k, d, _s, _l in tasks(loan)] == [D(2026, 3, 25), D(2026, 4, 10), D(2026, 5, 10)]


def test_a_loan_classified_worse_than_normal_is_inspected_monthly(
    open_loan: Callable[..., LoanAccount], manager: Any
) -> None:
    from xindai.classification.models import LoanClass

    loan = open_loan(D(2026, 3, 10), months=12)
    daily.run(D(2026, 3, 11))
    LoanClass.objects.create(loan=loan, category="special_mention", since=D(2026, 3, 20))
    do(manager, loan, D(2026, 3, 24))
    daily.run(D(2026, 3, 24))
    # monthly from the 10th: 10 April, not the quarterly 10 June
    assert tasks(loan)[-1] == ("periodic", D(2026, 4, 10), "open", False)


def test_only_one_planned_task_is_open_at_a_time(
    open_loan: Callable[..., LoanAccount], manager: Any
) -> None:
    loan = open_loan(D(2026, 3, 10), months=6)
    for day in (11, 20, 31):
        daily.run(D(2026, 3, day))
    daily.run(D(2026, 4, 30))  # the first (25 March) is still not done: no second one
    assert tasks(loan) == [("first", D(2026, 3, 25), "open", True)]


def test_tasks_of_a_settled_loan_are_cancelled(open_loan: Callable[..., LoanAccount]) -> None:
    loan = open_loan(D(2026, 3, 10), months=6)
    daily.run(D(2026, 3, 11))
    LoanAccount.objects.filter(pk=loan.pk).update(status=LoanStatus.SETTLED)
    assert daily.run(D(2026, 3, 12)) == {"cancelled": 1}
    assert tasks(loan) == [("first", D(2026, 3, 25), "cancelled", False)]
    assert daily.run(D(2026, 3, 26)) == {}  # cancelled tasks are never late


def test_an_old_loan_gets_its_next_planned_date_not_a_first_follow_up(
    open_loan: Callable[..., LoanAccount],
) -> None:
    loan = open_loan(D(2026, 1, 10), months=12)  # plans start on 20 March: long after
    daily.run(D(2026, 3, 20))
    # quarterly from 10 January: 10 April is the first date still ahead (within 30 days)
    assert tasks(loan) == [("periodic", D(2026, 4, 10), "open", False)]


def test_the_daily_run_is_set_based(open_loan: Callable[..., LoanAccount]) -> None:
    """The queries do not grow with the number of loans: plans and tasks are made in bulk."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(day: dt.date) -> int:
        with CaptureQueriesContext(connection) as seen:
            daily.run(day)
        return len(seen.captured_queries)

    open_loan(D(2026, 3, 10))
    one = queries(D(2026, 3, 11))
    for start in (11, 12, 13):
        open_loan(D(2026, 3, start))
    assert queries(D(2026, 3, 14)) == one  # three new loans cost what one did
    assert InspectionTask.objects.count() == 4
    assert queries(D(2026, 3, 14)) < one  # nothing left to do on the same date
