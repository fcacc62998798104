"""Through the real end-of-day: a loan whose repayment account stays empty goes overdue on its
first installment (10 April 2026); the post-loan day after each closed date plans its
inspections, triggers one when the classification drops and another once the interest is more
than 60 days overdue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from xindai.loans import eod
from xindai.loans.models import LoanAccount, LoanState
from xindai.postloan.models import InspectionTask

D = dt.date


def interest_triggers(loan: LoanAccount) -> list[tuple[dt.date, str]]:
    found = InspectionTask.objects.filter(loan=loan, source__startswith="interest_overdue:")
    return list(found.values_list("created_on", "reason"))


def test_the_end_of_day_plans_and_triggers_inspections(
    open_loan: Callable[..., LoanAccount],
) -> None:
    loan = open_loan(D(2026, 3, 10), months=12, paid_out=True)
    eod.run_until(D(2026, 3, 10))  # closing 10 March runs the post-loan day of 11 March
    first = InspectionTask.objects.get(loan=loan)
    assert (first.kind, first.due_date, first.created_on) == (
        "first",
        D(2026, 3, 25),
        D(2026, 3, 11),
    )

    eod.run_until(D(2026, 6, 8))  # post-loan day of 9 June: 20 + 31 + 9 = 60 days overdue
    state = LoanState.objects.get(loan=loan)
    assert (state.overdue_since, state.days_past_due) == (D(2026, 4, 10), 60)
    assert state.overdue_interest_fen > 0
    assert interest_triggers(loan) == []  # not more than 60 days yet
    reasons = InspectionTask.objects.filter(loan=loan, kind="triggered").values_list(
        "reason", flat=True
    )
    assert any(r.startswith("五级分类下调：正常 → 关注") for r in reasons)

    eod.run_until(D(2026, 6, 9))  # post-loan day of 10 June: 61 days
    assert interest_triggers(loan) == [(D(2026, 6, 10), "欠息超过 60 天")]
    eod.run_until(D(2026, 6, 10))  # the same overdue spell: once
    assert len(interest_triggers(loan)) == 1
