"""The post-loan calendar, worked by hand from RULES.md (Post-loan)."""

from __future__ import annotations

import datetime as dt

from xindai.postloan import domain
from xindai.postloan.domain import Kind, LoanFacts, Planned

D = dt.date


def test_a_one_year_loan_first_within_15_days_then_quarterly() -> None:
    facts = LoanFacts(disbursed_on=D(2026, 1, 31), maturity=D(2027, 1, 31), term_months=12)
    assert domain.plan(facts) == [
        Planned(Kind.FIRST, D(2026, 2, 15)),  # 31 Jan + 15 days
        Planned(Kind.PERIODIC, D(2026, 4, 30)),  # every 3 months from the 31st: month ends
        Planned(Kind.PERIODIC, D(2026, 7, 31)),
        Planned(Kind.PERIODIC, D(2026, 10, 31)),
    ]  # 2027-01-31 is the maturity itself: no periodic inspection on it


def test_a_six_month_loan_is_inspected_monthly() -> None:
    facts = LoanFacts(disbursed_on=D(2026, 3, 10), maturity=D(2026, 9, 10), term_months=6)
    due = [p.due for p in domain.plan(facts)]
    assert due == [
        D(2026, 3, 25),
        D(2026, 4, 10),
        D(2026, 5, 10),
        D(2026, 6, 10),
        D(2026, 7, 10),
        D(2026, 8, 10),
    ]


def test_a_worse_class_or_a_monthly_product_means_monthly() -> None:
    base = {"disbursed_on": D(2026, 1, 5), "maturity": D(2027, 1, 5), "term_months": 12}
    assert domain.cycle_months(LoanFacts(**base)) == 3
    assert domain.cycle_months(LoanFacts(**base, class_floor="special_mention")) == 1
    assert domain.cycle_months(LoanFacts(**base, monthly_product=True)) == 1


def test_the_first_inspection_comes_no_later_than_maturity() -> None:
    facts = LoanFacts(
        disbursed_on=D(2026, 1, 1), maturity=D(2026, 1, 10), term_months=1, first_inspection_days=30
    )
    assert domain.plan(facts) == [Planned(Kind.FIRST, D(2026, 1, 10))]


def test_triggers_say_why() -> None:
    assert domain.triggers("normal", "normal", 60) == []
    found = domain.triggers("normal", "substandard", 61, signals=2)
    assert [t.reason for t in found] == ["五级分类下调", "欠息超过 60 天", "出现预警信号"]
    assert domain.triggers("substandard", "special_mention", 0) == []  # an upgrade is no trigger


def test_maturity_notice_and_limitation_period() -> None:
    assert domain.maturity_notice_on(D(2027, 3, 1)) == D(2027, 1, 30)  # 30 days before
    assert domain.limitation_expires(D(2026, 11, 29)) == D(2029, 11, 29)
    assert domain.limitation_expires(D(2028, 2, 29)) == D(2031, 2, 28)
    assert domain.limitation_alert_on(D(2026, 11, 29)) == D(2029, 8, 31)  # 90 days before


def test_the_next_planned_inspection_skips_the_periods_already_past() -> None:
    facts = LoanFacts(disbursed_on=D(2026, 1, 31), maturity=D(2027, 1, 31), term_months=12)
    assert domain.next_planned(facts, D(2026, 2, 14)) == Planned(Kind.FIRST, D(2026, 2, 15))
    assert domain.next_planned(facts, D(2026, 2, 15)) == Planned(Kind.PERIODIC, D(2026, 4, 30))
    # done late on 5 May: the plan resumes at 31 July, not at the missed 30 April
    assert domain.next_planned(facts, D(2026, 5, 5)) == Planned(Kind.PERIODIC, D(2026, 7, 31))
    assert domain.next_planned(facts, D(2026, 10, 31)) is None  # only the maturity is left


def test_the_policy_sets_the_monthly_term_limit() -> None:
    base = {"disbursed_on": D(2026, 1, 5), "maturity": D(2027, 1, 5), "term_months": 12}
    assert domain.cycle_months(LoanFacts(**base, monthly_up_to_months=12)) == 1
    assert domain.cycle_months(LoanFacts(**base, monthly_up_to_months=6)) == 3


def test_late_means_done_after_the_due_date_or_still_open_past_it() -> None:
    due = D(2026, 6, 10)
    assert not domain.is_late(due, D(2026, 6, 10), D(2026, 6, 20))  # done on the day
    assert domain.is_late(due, D(2026, 6, 11), D(2026, 6, 20))
    assert not domain.is_late(due, None, D(2026, 6, 10))  # open, due today
    assert domain.is_late(due, None, D(2026, 6, 11))


FINE = domain.Answers(
    borrower_ok=True,
    major_changes=False,
    archive_updated=True,
    interest_as_contracted=True,
    conclusion="normal",
)


def fields(answers: domain.Answers, ctx: domain.RecordContext | None = None) -> list[str]:
    return [p.field for p in domain.record_problems(answers, ctx or domain.RecordContext())]


def test_a_plain_record_with_everything_fine_has_no_problems() -> None:
    assert fields(FINE) == []


def test_every_item_of_the_outline_must_be_answered() -> None:
    assert fields(domain.Answers()) == [
        "borrower_ok",
        "major_changes",
        "archive_updated",
        "interest_as_contracted",
        "conclusion",
    ]
    ctx = domain.RecordContext(
        has_guarantors=True, has_collateral=True, self_paid=True, maturity_near=True
    )
    assert fields(FINE, ctx) == [
        "guarantor_ok",
        "collateral_ok",
        "photos",
        "maturity_notice_sent",
        "funds_use_ok",
        "funds_use_note",
    ]


def test_a_bad_answer_needs_its_note_and_forbids_a_normal_conclusion() -> None:
    from dataclasses import replace

    changed = replace(FINE, major_changes=True)  # a change is noted, not in itself abnormal
    assert fields(changed) == ["major_changes_note"]
    bad = replace(FINE, borrower_ok=False, borrower_note="停产")
    assert fields(bad) == ["conclusion"]
    assert fields(replace(bad, conclusion="attention")) == ["findings"]
    assert fields(replace(bad, conclusion="attention", findings="停产两月")) == []
    assert domain.is_adverse("attention") and domain.is_adverse("risk")
    assert not domain.is_adverse("normal")


def test_the_maturity_window_and_the_on_time_rate() -> None:
    assert domain.maturity_near(D(2026, 3, 11), D(2026, 4, 10))  # 30 days before
    assert not domain.maturity_near(D(2026, 3, 10), D(2026, 4, 10))  # 31 days before
    assert domain.on_time_rate(3, 1) == 33.3
    assert domain.on_time_rate(0, 0) is None
