"""The classification rules, by hand (pure: no database)."""

from __future__ import annotations

import datetime as dt

from xindai.classification import domain
from xindai.classification.domain import Facts, decide

D = dt.date
TODAY = D(2027, 3, 1)


def facts(**changes: object) -> Facts:
    base: dict[str, object] = {"current": "normal", "floor": "normal", "today": TODAY}
    return Facts(**(base | changes))  # type: ignore[arg-type]


def test_worst_and_blank_is_normal() -> None:
    assert domain.worst("normal", "", "substandard", "special_mention") == "substandard"
    assert domain.worst("", "") == "normal"
    assert domain.worst("loss", "doubtful") == "loss"


def test_add_months_keeps_the_day_or_takes_the_last_of_a_short_month() -> None:
    assert domain.add_months(D(2026, 12, 5), 6) == D(2027, 6, 5)
    assert domain.add_months(D(2026, 8, 31), 6) == D(2027, 2, 28)
    assert domain.add_months(D(2027, 11, 30), 3) == D(2028, 2, 29)  # leap year


def test_downgrade_follows_the_floor_at_once() -> None:
    d = decide(facts(floor="substandard", days_past_due=91, current="special_mention"))
    assert (d.category, d.source) == ("substandard", "auto")
    assert d.problem().text() == "逾期91天，分类下限为次级"


def test_special_mention_goes_back_to_normal_when_nothing_keeps_it() -> None:
    assert decide(facts(current="special_mention")).category == "normal"
    # …but a manual class 关注 keeps it there.
    assert decide(facts(current="special_mention", manual_floor="special_mention")).category == (
        "special_mention"
    )


def test_npl_is_held_until_repaid_on_time_for_two_periods_and_six_months() -> None:
    """Overdue cleared on 2027-03-01; policy 2 periods / 6 months: ready on 2027-09-01 when at
    least 2 installments fell due (and were paid) since."""
    base = {"current": "substandard", "floor": "normal", "cleared_on": D(2027, 3, 1)}
    # Five installments paid on time but only 5 months since: held.
    held = decide(facts(**base, today=D(2027, 8, 31), periods_on_time=5))
    assert (held.category, held.source) == ("substandard", "auto")
    # Six months, but only one installment (a quarterly loan): held.
    assert decide(facts(**base, today=D(2027, 9, 1), periods_on_time=1)).category == "substandard"
    # Six months and two installments: upgraded to what the floors give (正常).
    up = decide(facts(**base, today=D(2027, 9, 1), periods_on_time=2))
    assert (up.category, up.source) == ("normal", "upgrade")
    # Still something overdue: never.
    assert not domain.upgrade_ready(
        cleared_on=D(2027, 3, 1),
        today=D(2028, 1, 1),
        days_past_due=3,
        periods_on_time=10,
        need_periods=2,
        need_months=6,
    )
    # Not cleared at all: held even though the floor went down to 关注.
    held = decide(facts(current="doubtful", floor="special_mention", days_past_due=30))
    assert held.category == "doubtful"


def test_npl_gets_worse_with_the_floor() -> None:
    assert decide(facts(current="substandard", floor="doubtful", days_past_due=271)).category == (
        "doubtful"
    )


def test_observation_keeps_special_mention_and_overdue_in_it_forces_substandard() -> None:
    until = D(2027, 12, 31)
    d = decide(facts(current="normal", observation_until=until))
    assert (d.category, d.source) == ("special_mention", "restructure")
    # One day overdue (within the 7-day technical exemption, floor 正常) during observation.
    d = decide(facts(current="special_mention", observation_until=until, days_past_due=1))
    assert (d.category, d.source) == ("substandard", "restructure")
    # No upgrade during observation, even when an NPL would qualify.
    held = decide(
        facts(
            current="substandard",
            observation_until=until,
            cleared_on=D(2026, 1, 1),
            periods_on_time=12,
        )
    )
    assert held.category == "substandard"
    # After the observation period the 关注 floor is gone.
    assert decide(facts(current="special_mention", observation_until=D(2027, 2, 28))).category == (
        "normal"
    )


def test_debtor_floor_makes_a_performing_loan_substandard() -> None:
    d = decide(facts(debtor_floor="substandard"))
    assert d.category == "substandard"
    assert "10%" in d.problem().text()


def test_proposal_never_better_than_the_floor() -> None:
    problems = domain.proposal_problems("special_mention", "substandard", "substandard")
    assert len(problems) == 1
    assert problems[0].text() == "认定分类不得优于逾期天数对应的分类下限（次级）"
    same = domain.proposal_problems("substandard", "substandard", "substandard")
    assert [p.text() for p in same] == ["认定分类与当前分类相同"]
    assert domain.proposal_problems("doubtful", "substandard", "substandard") == []
    assert domain.proposal_problems("bogus", "normal", "normal")[0].text() == "请选择五级分类"


def test_three_different_people() -> None:
    assert domain.approver_problem("first", 1, 1) is not None
    assert domain.approver_problem("first", 2, 1) is None
    assert domain.approver_problem("final", 2, 1, first=2) is not None
    assert domain.approver_problem("final", 1, 1, first=2) is not None
    assert domain.approver_problem("final", 3, 1, first=2) is None


def test_debtor_share_strictly_more_than_ten_percent() -> None:
    assert not domain.debtor_non_performing(10_000, 100_000)  # exactly 10%
    assert domain.debtor_non_performing(10_001, 100_000)
    assert not domain.debtor_non_performing(0, 0)


def test_buckets_and_quarters() -> None:
    assert [domain.bucket_of(d) for d in (0, 1, 30, 31, 90, 91, 180, 181, 360, 361)] == [
        None, "1-30", "1-30", "31-90", "31-90", "91-180", "91-180", "181-360", "181-360", ">360",
    ]  # fmt: skip
    assert domain.quarter_of(D(2026, 11, 29)) == ("2026Q4", D(2026, 12, 31))
    assert domain.quarter_of(D(2027, 2, 1)) == ("2027Q1", D(2027, 3, 31))


def test_matrix_rates_by_hand() -> None:
    """Four 正常 loans at the start: two stay 正常 (100 + 200), one goes 关注 (300), one 次级
    (400). Rate by count 2/4 = 0.5; by balance (300 + 400) / 1,000 = 0.7. One 关注 loan (50)
    goes back to 正常: its rate 0."""
    m = domain.matrix(
        [
            ("normal", "normal", 100),
            ("normal", "normal", 200),
            ("normal", "special_mention", 300),
            ("normal", "substandard", 400),
            ("special_mention", "normal", 50),
        ]
    )
    assert m.counts["normal"] == {
        "normal": 2, "special_mention": 1, "substandard": 1, "doubtful": 0, "loss": 0,
    }  # fmt: skip
    assert (m.rate("normal"), m.rate("normal", by_balance=True)) == (0.5, 0.7)
    assert m.rate("special_mention") == 0.0
    assert m.rate("loss") is None
    assert m.row_balance("normal") == 1_000


def test_npl_ratio() -> None:
    # (300 + 200 + 100) / (9,000 + 400 + 300 + 200 + 100) = 600 / 10,000 = 6%.
    balances = {
        "normal": 9_000, "special_mention": 400, "substandard": 300, "doubtful": 200, "loss": 100,
    }  # fmt: skip
    assert domain.npl_ratio(balances) == 0.06
    assert domain.npl_ratio({}) is None
