"""The pure rules, by hand-worked dates."""

from __future__ import annotations

import datetime as dt

from xindai.collection import domain

D = dt.date


def test_limitation_is_three_years_and_29_february_becomes_28() -> None:
    assert domain.limitation_expires(D(2027, 3, 10)) == D(2030, 3, 10)
    # 2028 is a leap year; 2031 is not: 29 February → 28 February
    assert domain.limitation_expires(D(2028, 2, 29)) == D(2031, 2, 28)


def test_guarantee_period_is_six_months_after_maturity() -> None:
    assert domain.guarantee_ends(D(2027, 11, 4)) == D(2028, 5, 4)
    # 31 August + 6 months → the last day of February (2028: the 29th)
    assert domain.guarantee_ends(D(2027, 8, 31)) == D(2028, 2, 29)
    assert domain.guarantee_ends(D(2027, 8, 31), months=12) == D(2028, 8, 31)


def test_debtor_clock_restarts_on_each_interruption_until_it_expires() -> None:
    clock = domain.Clock(D(2026, 12, 5), None, None, None)
    assert clock.expires_on == D(2029, 12, 5)
    clock, counted = clock.interrupted(D(2027, 2, 4))
    assert counted and clock.expires_on == D(2030, 2, 4)
    older, counted = clock.interrupted(D(2027, 1, 1))  # older than the last: nothing moves
    assert counted and older.expires_on == D(2030, 2, 4)
    late, counted = clock.interrupted(D(2030, 2, 5))  # after expiry: does not revive it
    assert not counted and late.expires_on == D(2030, 2, 4)
    assert clock.alert_on(90) == D(2029, 11, 6)  # 2030-02-04 − 90 days


def test_guarantor_asked_within_the_period_then_his_limitation_runs() -> None:
    g = domain.Clock(D(2026, 12, 5), None, D(2028, 5, 4), None)
    assert g.expires_on == D(2028, 5, 4)  # not asked: the guarantee period is what runs
    assert not g.released(D(2028, 5, 4)) and g.released(D(2028, 5, 5))
    asked, counted = g.interrupted(D(2028, 2, 29))
    assert counted and asked.asked_on == D(2028, 2, 29)
    assert asked.expires_on == D(2031, 2, 28)
    assert not asked.released(D(2029, 1, 1))
    late, counted = g.interrupted(D(2028, 5, 5))  # one day after the period: released
    assert not counted and late.asked_on is None


def test_written_off_recovery_goes_to_principal_first() -> None:
    claim = {"overdue_principal": 500, "principal": 300, "overdue_interest": 80, "penalty_due": 20}
    parts, left = domain.allocate(claim, 850)
    assert parts == {"overdue_principal": 500, "principal": 300, "overdue_interest": 50}
    assert left == 0
    assert domain.recovery_problems(900, 901) and not domain.recovery_problems(900, 900)


def test_least_busy_officer() -> None:
    assert domain.least_busy({1: 3, 2: 1, 3: 1}, [1, 2, 3]) == 2
    assert domain.least_busy({}, [7, 5]) == 5
    assert domain.least_busy({}, []) is None


def test_write_off_only_for_doubtful_or_loss() -> None:
    assert domain.writeoff_problems("substandard")
    assert not domain.writeoff_problems("doubtful") and not domain.writeoff_problems("loss")
