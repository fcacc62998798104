"""审批授权 (issue 7, point 3), the pure rule: how much an approver may approve.

A rule of the matrix gives a role, where it applies and a maximum amount. It applies to an
approver when:

* he holds the rule's role;
* the rule's unit, if any, is his unit or one of its ancestors (a rule for 一支行 covers every
  approver of 一支行 and its outlets);
* the rule's unit level (联社/支行/网点), if any, is the level of his unit;
* the rule's product, if any, is the application's product (none: any product).

Security: a rule naming a guarantee method is specific to it and, where such rules apply to
the approver, they replace his rules without a method for loans with that method (so
"支行 ≤ 100 万, 信用 ≤ 30 万" holds a 信用 loan to 30 万). For each method of the terms, the
approver's limit is the highest maximum among the applicable rules for that method (the
specific ones if any, else those without a method); his authority for the loan is the lowest
of those limits over the terms' methods (mixed security: the most restrictive method decides,
so a 信用 + 保证 loan is held to the 信用 limit). No applicable rule: no authority (None).
Pure: stdlib and ``core.problems``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from xindai.core.problems import Problem
from xindai.core.problems import mark as _


@dataclass(frozen=True)
class Rule:
    role: str
    max_amount: Decimal
    unit_path: str | None = None  # None: any unit
    unit_kind: str | None = None  # None: any level
    product_id: int | None = None  # None: any product
    guarantee: str | None = None  # None: any guarantee method


@dataclass(frozen=True)
class Approver:
    roles: frozenset[str]
    unit_path: str
    unit_kind: str


def applies(rule: Rule, approver: Approver, product_id: int) -> bool:
    return (
        rule.role in approver.roles
        and (rule.unit_path is None or approver.unit_path.startswith(rule.unit_path))
        and (rule.unit_kind is None or rule.unit_kind == approver.unit_kind)
        and (rule.product_id is None or rule.product_id == product_id)
    )


def limit_of(
    rules: Iterable[Rule], approver: Approver, product_id: int, guarantees: Iterable[str]
) -> Decimal | None:
    """The approver's authority for a loan of ``product_id`` secured by ``guarantees``."""
    mine = [rule for rule in rules if applies(rule, approver, product_id)]
    methods: list[str | None] = list(guarantees) or [None]
    limits = []
    for method in methods:
        covering = [r.max_amount for r in mine if method is not None and r.guarantee == method]
        covering = covering or [r.max_amount for r in mine if r.guarantee is None]
        if not covering:
            return None
        limits.append(max(covering))
    return min(limits)


def authority_problems(amount: Decimal, limit: Decimal | None) -> list[Problem]:
    """Why an approver may not approve ``amount`` (empty: he may)."""
    if limit is None:
        params = {"amount": f"{amount:,.2f}"}
        return [
            Problem(
                "authority",
                _("您没有该产品/担保方式的审批权限（批准金额 %(amount)s 元）：请上报"),
                params,
            )
        ]
    if amount > limit:
        params = {"amount": f"{amount:,.2f}", "limit": f"{limit:,.2f}"}
        return [
            Problem(
                "authority",
                _("批准金额 %(amount)s 元超出您的审批权限 %(limit)s 元：请上报有权审批人"),
                params,
            )
        ]
    return []
