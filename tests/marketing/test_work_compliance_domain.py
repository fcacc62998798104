"""The contact-compliance rules by hand: consent in force, quiet-hour boundaries, the 7- and
30-day windows, the target's status after a contact."""

from __future__ import annotations

import datetime as dt

import pytest

from xindai.marketing import domain_compliance as d

AT = dt.datetime(2026, 11, 27, 10, 0)
RULES = d.ContactRules(per_week=2, per_month=4, quiet_start=21, quiet_end=8)


def facts(**overrides: object) -> d.ContactFacts:
    base: dict[str, object] = {
        "at_local": AT,
        "marketing_consent": True,
        "opted_out": False,
        "from_scores": True,
        "channel_refused": False,
        "channel_label": "电话",
        "previous": (),
    }
    return d.ContactFacts(**(base | overrides))  # type: ignore[arg-type]


def test_consent_latest_effective_record_decides() -> None:
    grant = d.ConsentRecord(True, dt.datetime(2026, 1, 1, 9, 0))
    withdraw = d.ConsentRecord(False, dt.datetime(2026, 11, 1, 9, 0))
    assert d.consent_in_force([], AT) is False
    assert d.consent_in_force([grant], AT) is True
    assert d.consent_in_force([grant, withdraw], AT) is False
    # Before the withdrawal took effect, the grant was in force.
    assert d.consent_in_force([grant, withdraw], dt.datetime(2026, 10, 31, 23, 59)) is True
    # A record effective later is not yet in force.
    assert d.consent_in_force([d.ConsentRecord(True, AT + dt.timedelta(minutes=1))], AT) is False


def test_consent_expires_after_its_last_day() -> None:
    grant = d.ConsentRecord(True, dt.datetime(2026, 1, 1), expires_on=dt.date(2026, 11, 27))
    assert d.consent_in_force([grant], dt.datetime(2026, 11, 27, 23, 59)) is True
    assert d.consent_in_force([grant], dt.datetime(2026, 11, 28, 0, 0)) is False


@pytest.mark.parametrize(
    ("clock", "quiet"),
    [
        (dt.time(20, 59, 59), False),
        (dt.time(21, 0), True),  # 21:00 is quiet
        (dt.time(23, 30), True),
        (dt.time(0, 0), True),
        (dt.time(7, 59, 59), True),
        (dt.time(8, 0), False),  # 08:00 is not
        (dt.time(12, 0), False),
    ],
)
def test_quiet_hours_boundaries(clock: dt.time, quiet: bool) -> None:
    assert d.in_quiet_hours(clock, 21, 8) is quiet


def test_quiet_hours_within_a_day_and_none() -> None:
    assert d.in_quiet_hours(dt.time(12, 0), 12, 14) is True
    assert d.in_quiet_hours(dt.time(14, 0), 12, 14) is False
    assert d.in_quiet_hours(dt.time(3, 0), 8, 8) is False


def test_seven_day_window_edges() -> None:
    exactly_seven = AT - dt.timedelta(days=7)
    just_inside = exactly_seven + dt.timedelta(seconds=1)
    assert d.contacts_within([exactly_seven], AT, d.WEEK) == 0
    assert d.contacts_within([just_inside], AT, d.WEEK) == 1
    assert d.contacts_within([AT], AT, d.WEEK) == 1
    assert d.contacts_within([AT + dt.timedelta(seconds=1)], AT, d.WEEK) == 0


def test_allowed_when_nothing_applies() -> None:
    assert d.refusal_reasons(facts(), RULES) == []


def test_weekly_cap_two_contacts_in_seven_days() -> None:
    one = (AT - dt.timedelta(days=1),)
    two = (AT - dt.timedelta(days=1), AT - dt.timedelta(days=6, hours=23))
    assert d.refusal_reasons(facts(previous=one), RULES) == []
    reasons = d.refusal_reasons(facts(previous=two), RULES)
    assert reasons == ["近 7 天已接触 2 次，达到每 7 天最多 2 次的上限"]
    # The older one exactly 7 days back no longer counts.
    edge = (AT - dt.timedelta(days=1), AT - dt.timedelta(days=7))
    assert d.refusal_reasons(facts(previous=edge), RULES) == []


def test_monthly_cap_four_contacts_in_thirty_days() -> None:
    spread = tuple(AT - dt.timedelta(days=n) for n in (8, 15, 22, 29))
    reasons = d.refusal_reasons(facts(previous=spread), RULES)
    assert reasons == ["近 30 天已接触 4 次，达到每 30 天最多 4 次的上限"]
    shifted = tuple(AT - dt.timedelta(days=n) for n in (8, 15, 22, 30))
    assert d.refusal_reasons(facts(previous=shifted), RULES) == []


def test_every_reason_is_given() -> None:
    reasons = d.refusal_reasons(
        facts(
            at_local=dt.datetime(2026, 11, 27, 21, 0),
            marketing_consent=False,
            opted_out=True,
            channel_refused=True,
        ),
        RULES,
    )
    assert reasons == [
        "客户“个人信息用于营销”的授权未生效或已撤回/过期，不得营销接触",
        "客户已拒绝个性化营销，不得按评分名单营销",
        "客户已拒绝通过“电话”联系",
        "21:00 至次日 08:00 为免打扰时段，不得营销接触",
    ]


def test_opt_out_only_stops_contacts_chosen_from_scores() -> None:
    assert d.refusal_reasons(facts(opted_out=True, from_scores=False), RULES) == []


@pytest.mark.parametrize(
    ("current", "outcome", "after"),
    [
        ("new", "not_reached", "new"),
        ("reached", "not_reached", "reached"),
        ("new", "not_interested", "declined"),
        ("new", "interested", "interested"),
        ("interested", "applied", "applied"),
        ("applied", "not_interested", "applied"),
        ("excluded", "interested", "excluded"),
    ],
)
def test_target_status_after_contact(current: str, outcome: str, after: str) -> None:
    assert d.target_status_after(current, outcome) == after
