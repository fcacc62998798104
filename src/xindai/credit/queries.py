"""Reads for pages and the API: the applications a user may see, and his work queue."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from xindai.core.problems import mark as _
from xindai.credit import stages
from xindai.credit.admission import Outcome
from xindai.credit.facts import actor_of
from xindai.credit.models import AdmissionCheck, CreditApplication
from xindai.org.scope import scope_of, visible

# Problems that say "not yours to do" rather than "not done yet": a queue leaves out the
# applications where the user meets only the former.
# "accepted" too: accepting twice, or investigating before acceptance, is not a next step.
_NOT_YOURS = frozenset({"stage", "role", "own_case", "separation", "investigator", "accepted"})


def visible_applications(user: Any) -> QuerySet[CreditApplication]:
    """The applications of the user's org subtree; a 客户经理 or 协办调查人 sees those he
    manages or investigates (and those shared with him)."""
    everything = CreditApplication.objects.select_related("customer", "product", "manager")
    if scope_of(user).own_records_only and scope_of(user).unit_path is not None:
        mine = visible(everything, user, owner_field="manager")
        return everything.filter(Q(pk__in=mine.values("pk")) | Q(co_investigator=user.pk))
    return visible(everything, user)


def application_for(user: Any, pk: object) -> CreditApplication:
    """An application the user may see, or 404: another branch's is not even acknowledged."""
    return get_object_or_404(visible_applications(user), pk=pk)


def late_q(today: dt.date) -> Q:
    """The applications ``is_late`` says are late, as a query."""
    return Q(answer_due__lt=today, stage__in=[s.value for s in stages.BEFORE_APPROVAL])


def applications_for(
    user: Any, *, today: dt.date, stage: str = "", late: bool | None = None, q: str = ""
) -> QuerySet[CreditApplication]:
    """The user's applications, filtered: ``stage``; ``late`` (true: past the answer time,
    false: not); ``q`` a part of the application number or of the customer's name. Newest
    first."""
    found = visible_applications(user)
    if stage:
        found = found.filter(stage=stage)
    if late is not None:
        found = found.filter(late_q(today)) if late else found.exclude(late_q(today))
    if q.strip():
        text = q.strip()
        found = found.filter(Q(number__icontains=text) | Q(customer__name__icontains=text))
    return found.order_by("-created_at", "-pk")


def light_case(application: CreditApplication) -> stages.Case:
    """Who is who on the case, without the intake facts (enough to tell whose turn it is)."""
    return stages.Case(
        stage=stages.Stage(application.stage),
        manager_id=application.manager_id,
        co_investigator_id=application.co_investigator_id,
        accepted=application.accepted_at is not None,
    )


def actions_for(user: Any, application: CreditApplication) -> list[stages.Transition]:
    """The transitions the user may take on this application by role and person (conditions
    such as documents may still be missing: that is the work to do)."""
    actor = actor_of(user)
    case = light_case(application)
    found = []
    for move in stages.available(case, actor):
        problems = stages.unmet(move.name, case, actor, reason="-")
        if not {p.field for p in problems} & _NOT_YOURS:
            found.append(move)
    return found


def queue(user: Any) -> list[tuple[CreditApplication, list[stages.Transition]]]:
    """Applications waiting for an action the user may take, oldest in its stage first.
    A withdraw alone does not put an application in the queue."""
    actor = actor_of(user)
    open_stages = [
        stage.value
        for stage in stages.PROCESS
        if any(stage in t.sources and actor.roles & t.roles_in(stage) for t in stages.TRANSITIONS)
    ]
    candidates = visible_applications(user).filter(stage__in=open_stages).order_by("stage_since")
    awaiting = awaiting_escalation(user) if stages.BRANCH_HEAD in actor.roles else set()
    found = []
    for application in candidates:
        actions = [t for t in actions_for(user, application) if t.name != "withdraw"]
        if application.pk in awaiting:
            actions = [ESCALATE, *(t for t in actions if t.name != "accept")]
        if actions:
            found.append((application, actions))
    return found


# Not a transition (the stage does not change): a branch head letting a 审慎 decision go on.
# Listed in the queue so that the branch head sees it waiting for him.
ESCALATE = stages.Transition(
    "escalate",
    _("审慎放行审核"),
    frozenset({stages.Stage.INTAKE}),
    None,
    frozenset({stages.BRANCH_HEAD}),
)


def awaiting_escalation(user: Any) -> set[int]:
    """Applications at intake whose latest admission check is 审慎 and not yet agreed to."""
    latest = AdmissionCheck.objects.filter(application=OuterRef("pk")).order_by(
        "-checked_at", "-pk"
    )
    rows = (
        visible_applications(user)
        .filter(stage=stages.Stage.INTAKE, accepted_at__isnull=True)
        .annotate(
            outcome=Subquery(latest.values("outcome")[:1]),
            escalated=Subquery(latest.values("escalated_at")[:1]),
        )
        .filter(outcome=Outcome.PRUDENT, escalated__isnull=True)
    )
    return set(rows.values_list("pk", flat=True))


def is_late(application: CreditApplication, today: dt.date) -> bool:
    """Not yet answered (approved or rejected) past the answer time of 贷款通则 第23条."""
    return (
        application.answer_due is not None
        and application.stage in stages.BEFORE_APPROVAL
        and today > application.answer_due
    )


# ---- 审查与审批 (issue 7) ------------------------------------------------------------------------


def review_queue(user: Any) -> QuerySet[CreditApplication]:
    """审查岗's queue: the applications at 审贷分析 he may see and did not investigate."""
    if stages.REVIEWER not in actor_of(user).roles:
        return CreditApplication.objects.none()
    found = visible_applications(user).filter(stage=stages.Stage.REVIEW)
    return found.exclude(manager=user.pk).exclude(co_investigator=user.pk).order_by("stage_since")


def approval_queue(user: Any) -> list[tuple[CreditApplication, Any, Any]]:
    """审批人's queue: the applications at 审批 he may see and did not investigate, each with
    his authority and the latest escalation. An escalated case shows only to approvers whose
    authority covers the amount escalated (or to the one it was escalated to)."""
    from xindai.credit import facts

    if stages.APPROVER not in actor_of(user).roles:
        return []
    found = visible_applications(user).filter(stage=stages.Stage.APPROVAL)
    found = found.exclude(manager=user.pk).exclude(co_investigator=user.pk)
    rules = facts.authority_rules()
    rows = []
    for application in found.select_related("org_unit").order_by("stage_since"):
        escalation = application.escalations.select_related("from_user", "to_user").first()
        limit = facts.authority_of(user, application, None, rules)
        if escalation is not None and escalation.from_user_id != user.pk:
            enough = limit is not None and limit >= escalation.amount
            if not (enough or escalation.to_user_id == user.pk):
                continue
        rows.append((application, limit, escalation))
    rows.sort(key=lambda row: row[2] is None)  # escalated first
    return rows
