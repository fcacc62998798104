"""The committee's pure rule (审贷小组): quorum and the 2/3 share, at the boundaries worked by
hand: agree × 3 ≥ present × 2."""

from __future__ import annotations

import pytest

from xindai.credit import committee
from xindai.credit.committee import Decision, Tally


def votes(present: int, agree: int, absent: int = 0) -> Tally:
    ballots = [(True, "agree")] * agree + [(True, "disagree")] * (present - agree)
    return committee.tally(ballots + [(False, "agree")] * absent)


@pytest.mark.parametrize(
    ("present", "agree", "expected"),
    [
        (5, 4, Decision.PASS),  # 4/5 = 0.8 ≥ 2/3: 12 ≥ 10
        (5, 3, Decision.FAIL),  # 3/5 = 0.6 < 2/3: 9 < 10
        (6, 4, Decision.PASS),  # exactly 2/3: 12 ≥ 12
        (6, 3, Decision.FAIL),  # 1/2: 9 < 12
        (7, 5, Decision.PASS),  # 15 ≥ 14
        (7, 4, Decision.FAIL),  # 12 < 14
        (9, 6, Decision.PASS),  # exactly 2/3 again: 18 ≥ 18
    ],
)
def test_the_two_thirds_rule_is_exact(present, agree, expected) -> None:
    count = votes(present, agree)
    assert committee.quorum_problems(count, 5) == []
    assert committee.decide(count, 5, 2, 3) == expected


def test_four_present_is_no_quorum_even_if_all_agree() -> None:
    count = votes(4, 4, absent=3)
    assert count.present == 4 and count.agree == 4
    problems = committee.quorum_problems(count, 5)
    assert [p.field for p in problems] == ["quorum"]
    assert "出席 4 人" in problems[0].text() and "5 人" in problems[0].text()


def test_absent_members_do_not_count_and_abstentions_count_as_present() -> None:
    count = committee.tally(
        [(True, "agree")] * 4 + [(True, "abstain"), (True, "abstain"), (False, "disagree")]
    )
    assert count == Tally(present=6, agree=4, disagree=0, abstain=2)
    assert committee.decide(count, 5, 2, 3) == Decision.PASS  # 4 of 6 = 2/3


def test_a_present_member_without_a_vote_blocks_the_decision() -> None:
    count = committee.tally([(True, "agree")] * 5 + [(True, "")])
    assert [p.field for p in committee.quorum_problems(count, 5)] == ["votes"]
