"""The authority matrix, pure: which rules apply and how guarantee methods combine."""

from __future__ import annotations

from decimal import Decimal

from xindai.credit import authority
from xindai.credit.authority import Approver, Rule

W = Decimal(10_000)
MATRIX = [
    Rule("approver", 30 * W, unit_kind="outlet"),
    Rule("approver", 10 * W, unit_kind="outlet", guarantee="credit"),
    Rule("approver", 100 * W, unit_kind="branch"),
    Rule("approver", 30 * W, unit_kind="branch", guarantee="credit"),
]
OUTLET = Approver(frozenset({"approver"}), "/HQ/B1/O11/", "outlet")
BRANCH = Approver(frozenset({"approver"}), "/HQ/B1/", "branch")


def test_the_level_and_the_method_pick_the_limit() -> None:
    assert authority.limit_of(MATRIX, OUTLET, 1, ["guarantee"]) == 30 * W
    assert authority.limit_of(MATRIX, OUTLET, 1, ["credit"]) == 10 * W
    assert authority.limit_of(MATRIX, BRANCH, 1, ["mortgage"]) == 100 * W


def test_mixed_security_takes_the_most_restrictive_method() -> None:
    assert authority.limit_of(MATRIX, BRANCH, 1, ["credit", "guarantee"]) == 30 * W


def test_a_unit_rule_covers_its_subtree_only_and_the_product_must_match() -> None:
    rules = [Rule("approver", 50 * W, unit_path="/HQ/B1/", product_id=7)]
    assert authority.limit_of(rules, OUTLET, 7, ["guarantee"]) == 50 * W
    assert authority.limit_of(rules, OUTLET, 8, ["guarantee"]) is None
    other = Approver(frozenset({"approver"}), "/HQ/B2/O21/", "outlet")
    assert authority.limit_of(rules, other, 7, ["guarantee"]) is None


def test_the_highest_of_several_applicable_rules() -> None:
    rules = [*MATRIX, Rule("approver", 60 * W, unit_path="/HQ/B1/O11/")]
    assert authority.limit_of(rules, OUTLET, 1, ["pledge"]) == 60 * W


def test_without_the_role_no_authority() -> None:
    reviewer = Approver(frozenset({"reviewer"}), "/HQ/B1/", "branch")
    assert authority.limit_of(MATRIX, reviewer, 1, ["guarantee"]) is None


def test_refusal_names_the_amount_and_the_limit() -> None:
    assert authority.authority_problems(10 * W, 10 * W) == []
    problems = authority.authority_problems(Decimal("100000.01"), 10 * W)
    assert "100,000.01" in problems[0].text() and "100,000.00" in problems[0].text()
    assert "上报" in authority.authority_problems(W, None)[0].text()
