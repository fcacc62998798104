"""审查 (issue 7, point 1): the reviewer's opinion with the checklist of the outline, pure part
and use cases. A reviewer who did not investigate the case writes the opinion; "pass" lets the
``review`` transition go on, "return" sends the case back to 实地调查 with reasons.

The page (``views/approval.py``) and the API (``api_approval.py``) show the items with the
collateral ratio computed from the register, and pass, return or reject through ``decide``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from xindai.core.errors import DomainError, FormInvalid
from xindai.core.problems import Problem, by_field
from xindai.core.problems import mark as _
from xindai.credit import stages
from xindai.credit.facts import actor_of
from xindai.credit.models import CreditApplication, ReviewOpinion
from xindai.credit.services import audit_event, take


@dataclass(frozen=True)
class ReviewItem:
    key: str
    label: str


# 审查要点 (outline 第二部分 七): what the reviewer states an opinion on, item by item.
REVIEW_ITEMS: tuple[ReviewItem, ...] = (
    ReviewItem("legality", _("借款人主体资格及贷款用途合法合规")),
    ReviewItem("investigation", _("调查内容合理、准确，调查尽职")),
    ReviewItem("repayment", _("还款能力与还款来源")),
    ReviewItem("credit", _("借款人信用状况")),
    ReviewItem("security", _("担保的合法性、有效性与充足性（抵押率）")),
    ReviewItem("risks", _("主要风险点及防范措施")),
)


def checklist_problems(answers: dict[str, dict[str, str]]) -> list[Problem]:
    """Items without an opinion (each needs a result and, when not 无异议, a note)."""
    found = []
    for item in REVIEW_ITEMS:
        answer = answers.get(item.key) or {}
        result = answer.get("result")
        if result not in ("ok", "concern") or (result == "concern" and not answer.get("note")):
            found.append(Problem(item.key, _("审查要点未完成：%(item)s"), {"item": item.label}))
    return found


def record_opinion(
    actor: Any, application: CreditApplication, answers: dict[str, dict[str, str]], text: str
) -> ReviewOpinion:
    """The reviewer's opinion; refused for the case's own investigators (审贷分离) and
    outside 审贷分析."""
    roles = actor_of(actor).roles
    if stages.REVIEWER not in roles:
        raise DomainError(gettext("只有审查员可以填写审查意见"), code="not_reviewer")
    if application.stage != stages.Stage.REVIEW:
        raise DomainError(gettext("申请不在审贷分析阶段"), code="wrong_stage")
    if actor.pk in (application.manager_id, application.co_investigator_id):
        raise DomainError(gettext("调查人不能审查自己调查的申请（审贷分离）"), code="separation")
    problems = checklist_problems(answers)
    if not text.strip():
        problems.append(Problem("opinion", _("请填写审查意见")))
    if problems:
        details = by_field(problems, gettext)
        raise FormInvalid(gettext("审查意见不完整，未保存"), details=details)
    with transaction.atomic():
        opinion = ReviewOpinion.objects.create(
            application=application, reviewer=actor, checklist=answers, opinion=text.strip()
        )
        audit_event(
            actor,
            "credit.review_opinion",
            application,
            changes={"items": {k: v.get("result") for k, v in answers.items()}},
            reason=text.strip(),
        )
    return opinion


@dataclass(frozen=True)
class CollateralCover:
    """抵押率: the amount asked over the appraised value of the collateral registered."""

    value: Decimal  # total appraised value (元)
    ratio: Decimal | None  # amount / value, to 4 places; None without collateral


def collateral_cover(application: CreditApplication) -> CollateralCover:
    values = [item.estimated_value for item in application.collateral.all()]
    total = sum(values, Decimal(0))
    ratio = (application.amount / total).quantize(Decimal("0.0001")) if total > 0 else None
    return CollateralCover(total, ratio)


def latest_opinion(application: CreditApplication, reviewer: Any = None) -> ReviewOpinion | None:
    found = application.review_opinions.select_related("reviewer")
    if reviewer is not None:
        found = found.filter(reviewer=reviewer)
    return found.first()


DECISIONS = {"pass": "review", "return": "return_for_rework", "reject": "reject"}


def decide(
    actor: Any,
    application: CreditApplication,
    decision: str,
    answers: dict[str, dict[str, str]],
    text: str,
    reason: str = "",
) -> ReviewOpinion:
    """The opinion saved and the reviewer's decision taken in one transaction: 审查通过
    (``review``), 退回补充调查 (``return_for_rework``, with reasons) or 否决 (``reject``)."""
    if decision not in DECISIONS:
        raise DomainError(gettext("未知的审查结论"), code="unknown_decision")
    with transaction.atomic():
        opinion = record_opinion(actor, application, answers, text)
        take(actor, application, DECISIONS[decision], reason if decision != "pass" else "")
    return opinion
