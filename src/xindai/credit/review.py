"""审查 (issue 7, point 1): the reviewer's opinion with the checklist of the outline, pure part
and use cases. A reviewer who did not investigate the case writes the opinion; "pass" lets the
``review`` transition go on, "return" sends the case back to 实地调查 with reasons.

Work in progress on a branch: the page and API are not built yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from xindai.core.errors import DomainError, FormInvalid
from xindai.core.problems import Problem, by_field
from xindai.core.problems import mark as _
from xindai.credit import stages
from xindai.credit.facts import actor_of
from xindai.credit.models import CreditApplication, ReviewOpinion
from xindai.credit.services import audit_event


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
