"""审贷小组 (issue 7, point 2), the pure rule: a meeting decides only with a quorum present,
and a case passes when the members who agree are at least the policy's share of those present.

The share is a fraction (numerator/denominator, 2/3 by default) compared in integers, so the
boundary is exact: with 6 present, 4 agreeing is exactly 2/3 and passes; with 5 present, 4
agreeing (4/5 ≥ 2/3) passes and 3 (3/5 < 2/3) fails. Abstentions count as present, not as
agreement. Members absent do not count at all. Pure: stdlib and ``core.problems``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from xindai.core.problems import Problem
from xindai.core.problems import mark as _


class Vote(StrEnum):
    AGREE = "agree"  # 同意
    DISAGREE = "disagree"  # 不同意
    ABSTAIN = "abstain"  # 弃权


class Decision(StrEnum):
    PASS = "pass"  # noqa: S105 (通过)
    FAIL = "fail"  # 不通过


VOTE_LABELS = {Vote.AGREE: _("同意"), Vote.DISAGREE: _("不同意"), Vote.ABSTAIN: _("弃权")}
DECISION_LABELS = {Decision.PASS: _("通过"), Decision.FAIL: _("不通过")}


@dataclass(frozen=True)
class Tally:
    present: int
    agree: int
    disagree: int
    abstain: int


def tally(ballots: Iterable[tuple[bool, str | None]]) -> Tally:
    """Count ``(present, vote)`` pairs; an absent member's vote is not counted."""
    counts = {Vote.AGREE: 0, Vote.DISAGREE: 0, Vote.ABSTAIN: 0}
    present = 0
    for here, vote in ballots:
        if not here:
            continue
        present += 1
        if vote in counts:
            counts[Vote(vote)] += 1
    return Tally(present, counts[Vote.AGREE], counts[Vote.DISAGREE], counts[Vote.ABSTAIN])


def quorum_problems(count: Tally, min_present: int) -> list[Problem]:
    """Why the meeting cannot decide (empty: it can): too few present, or a present member
    who has not voted."""
    found = []
    if count.present < min_present:
        params = {"present": str(count.present), "min": str(min_present)}
        found.append(
            Problem(
                "quorum",
                _("出席 %(present)s 人，不足审贷小组会议最少出席人数 %(min)s 人：不能表决"),
                params,
            )
        )
    unvoted = count.present - count.agree - count.disagree - count.abstain
    if unvoted:
        params = {"count": str(unvoted)}
        found.append(Problem("votes", _("尚有 %(count)s 名出席成员未表决"), params))
    return found


def passes(count: Tally, numerator: int, denominator: int) -> bool:
    """agree / present ≥ numerator / denominator, in integers (exact)."""
    return count.present > 0 and count.agree * denominator >= count.present * numerator


def decide(count: Tally, min_present: int, numerator: int, denominator: int) -> Decision:
    """The decision of a meeting that may decide (see ``quorum_problems``)."""
    return Decision.PASS if passes(count, numerator, denominator) else Decision.FAIL
