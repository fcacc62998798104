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
