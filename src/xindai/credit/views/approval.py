"""Pages of 审查、审贷小组 and 审批 (issue 7): the reviewer's checklist and decision, the
committee meeting (votes, close, minutes), the approval with the approver's authority and the
terms, escalation, conditions and the change of terms; and the reviewer's and approver's
queues. Thin: every change goes through ``review`` or ``approval``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xindai.core.access import requires
from xindai.core.errors import DomainError
from xindai.credit import (
    approval,
    approved,
    committee,
    facts,
    meetings,
    queries,
    review,
    stages,
)
from xindai.credit.api_approval import minutes_response
from xindai.credit.models_approval import ApprovalCondition, MeetingStatus
from xindai.credit.views.common import VIEW, application_for
from xindai.customers.services import as_of_today
from xindai.products.models import Guarantee, RepaymentMethod


def _error(request: HttpRequest, error: DomainError) -> None:
    """The refusal as one message: the sentence and every detail."""
    details = [text for texts in (error.details or {}).values() for text in texts]
    extra = [d for d in details if d not in error.message]
    messages.error(request, " ".join([error.message, *extra]))


def _url(name: str, application: Any) -> str:
    return reverse(f"credit:{name}", args=[application.pk])


# ---- queues ----------------------------------------------------------------------------------


@requires(VIEW)
def review_queue(request: HttpRequest) -> HttpResponse:
    rows = queries.review_queue(request.user)
    return render(request, "credit/review_queue.html", {"rows": rows})


@requires(VIEW)
def approval_queue(request: HttpRequest) -> HttpResponse:
    rows = queries.approval_queue(request.user)
    return render(request, "credit/approval_queue.html", {"rows": rows})


# ---- 审查 ------------------------------------------------------------------------------------


def _answers(post: Any) -> dict[str, dict[str, str]]:
    return {
        item.key: {
            "result": post.get(f"{item.key}-result", ""),
            "note": post.get(f"{item.key}-note", "").strip(),
        }
        for item in review.REVIEW_ITEMS
    }


@requires(VIEW)
def review_page(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for(request.user, pk)
    mine = review.latest_opinion(application, request.user)
    answers = mine.checklist if mine else {}
    text = mine.opinion if mine else ""
    if request.method == "POST":
        answers, text = _answers(request.POST), request.POST.get("opinion", "")
        decision = request.POST.get("decision", "")
        try:
            if decision in review.DECISIONS:
                review.decide(
                    request.user, application, decision, answers, text,
                    request.POST.get("reason", ""),
                )  # fmt: skip
                messages.success(request, _("审查意见已保存，已办理。"))
                return redirect(_url("detail", application))
            review.record_opinion(request.user, application, answers, text)
            messages.success(request, _("审查意见已保存。"))
            return redirect(_url("review", application))
        except DomainError as error:
            _error(request, error)
    actor = facts.actor_of(request.user)
    can_review = (
        application.stage == stages.Stage.REVIEW
        and stages.REVIEWER in actor.roles
        and request.user.pk not in (application.manager_id, application.co_investigator_id)
    )
    items = [
        {
            "key": item.key,
            "label": _(item.label),
            "result": (answers.get(item.key) or {}).get("result", ""),
            "note": (answers.get(item.key) or {}).get("note", ""),
        }
        for item in review.REVIEW_ITEMS
    ]
    context = {
        "application": application,
        "items": items,
        "opinion_text": text,
        "cover": review.collateral_cover(application),
        "collateral": application.collateral.order_by("pk"),
        "limit": approval.computed_limit(application),
        "opinions": application.review_opinions.select_related("reviewer"),
        "can_review": can_review,
    }
    return render(request, "credit/review.html", context)


# ---- 审贷小组 --------------------------------------------------------------------------------


@requires(VIEW)
def committee_page(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for(request.user, pk)
    held = list(application.meetings.select_related("chair", "minutes_taker"))
    current = next((m for m in held if m.status == MeetingStatus.OPEN), None)
    votes = {v.member_id: v for v in current.votes.all()} if current else {}
    members = list(meetings.committee_members(application))
    _version, policy = facts.current_policy()
    roles = facts.actor_of(request.user).roles
    context = {
        "application": application,
        "meetings": held,
        "current": current,
        "rows": [(m, votes.get(m.pk)) for m in members],
        "vote_choices": [(v.value, _(label)) for v, label in committee.VOTE_LABELS.items()],
        "decision_labels": {d.value: _(label) for d, label in committee.DECISION_LABELS.items()},
        "rule": meetings.rule_text(policy),
        "chairs": members + list(facts.approvers_for(application)),
        "can_open": application.stage == stages.Stage.APPROVAL
        and current is None
        and bool(roles & {meetings.COMMITTEE, stages.APPROVER}),
        "can_record": current is not None
        and request.user.pk in (current.chair_id, current.minutes_taker_id),
        "now": as_of_today(),
    }
    return render(request, "credit/committee.html", context)


@requires(VIEW)
@require_POST
def committee_open(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for(request.user, pk)
    data = {k: request.POST.get(k, "") for k in ("held_at", "place", "chair")}
    try:
        meetings.open_meeting(request.user, application, data)
        messages.success(request, _("审贷小组会议已开始：请逐一记录成员出席和表决。"))
    except DomainError as error:
        _error(request, error)
    return redirect(_url("committee", application))


@requires(VIEW)
@require_POST
def committee_votes(request: HttpRequest, pk: int, meeting: int) -> HttpResponse:
    """Every member's row of the form at once (present, vote, opinion)."""
    application = application_for(request.user, pk)
    found = get_object_or_404(application.meetings.all(), pk=meeting)
    try:
        for member in meetings.committee_members(application):
            if f"m{member.pk}-present" not in request.POST and not request.POST.get(
                f"m{member.pk}-vote"
            ):
                continue
            meetings.record_vote(
                request.user,
                found,
                {
                    "member": member.pk,
                    "present": request.POST.get(f"m{member.pk}-present") == "on",
                    "vote": request.POST.get(f"m{member.pk}-vote", ""),
                    "opinion": request.POST.get(f"m{member.pk}-opinion", ""),
                },
            )
        messages.success(request, _("表决已记录。"))
    except DomainError as error:
        _error(request, error)
    return redirect(_url("committee", application))


@requires(VIEW)
@require_POST
def committee_close(request: HttpRequest, pk: int, meeting: int) -> HttpResponse:
    application = application_for(request.user, pk)
    found = get_object_or_404(application.meetings.all(), pk=meeting)
    try:
        closed = meetings.close_meeting(request.user, found, request.POST.get("conditions", ""))
        label = _(committee.DECISION_LABELS[committee.Decision(closed.decision)])
        messages.success(request, _("会议已结束，决议：%(decision)s。") % {"decision": label})
    except DomainError as error:
        _error(request, error)
    return redirect(_url("committee", application))


@requires(VIEW)
def committee_minutes(request: HttpRequest, pk: int, meeting: int) -> HttpResponse:
    application = application_for(request.user, pk)
    found = get_object_or_404(application.meetings.all(), pk=meeting)
    try:
        return minutes_response(meetings.open_minutes(request.user, found), found)
    except DomainError as error:
        _error(request, error)
        return redirect(_url("committee", application))


# ---- 审批 ------------------------------------------------------------------------------------


def _terms_data(post: Any) -> dict[str, Any]:
    keys = ("amount", "term_months", "annual_rate", "repayment_method", "valid_until")
    data: dict[str, Any] = {k: post.get(k, "") for k in keys}
    data["guarantee_methods"] = post.getlist("guarantee_methods")
    data["conditions"] = post.get("conditions", "")
    return data


@requires(VIEW)
def approval_page(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for(request.user, pk)
    today = as_of_today()
    values = approval.defaults(application, today)
    if request.method == "POST":
        values = _terms_data(request.POST)
        try:
            approval.approve(request.user, application, values)
            messages.success(request, _("审批通过：批复条款已生成并冻结。"))
            return redirect(_url("detail", application))
        except DomainError as error:
            _error(request, error)
    actor = facts.actor_of(request.user)
    case = facts.case_of(application, today)
    limit = approval.authority_for(request.user, application)
    problems = stages.unmet("approve", case, actor) if stages.APPROVER in actor.roles else []
    meeting = facts.committee_meeting(application)
    context = {
        "application": application,
        "values": values,
        "limit": limit,
        "beyond": limit is None or application.amount > limit,
        "is_approver": stages.APPROVER in actor.roles,
        "problems": [p.text(_) for p in problems if p.field != "terms"],
        "meeting": meeting,
        "committee_required": case.committee_required,
        "credit_limit": approval.computed_limit(application),
        "methods": [(v, label) for v, label in RepaymentMethod.choices
                    if v in application.product.repayment_methods],
        "guarantees": [(v, label) for v, label in Guarantee.choices
                       if v in application.product.guarantee_methods],
        "approvers": [
            (u, approval.authority_for(u, application))
            for u in facts.approvers_for(application)
            if u.pk != request.user.pk
        ],
        "escalations": application.escalations.select_related("from_user", "to_user"),
        "opinion": review.latest_opinion(application),
    }  # fmt: skip
    return render(request, "credit/approval.html", context)


@requires(VIEW)
@require_POST
def approval_escalate(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for(request.user, pk)
    data = {"reason": request.POST.get("reason", ""), "to_user": request.POST.get("to_user")}
    try:
        approval.escalate(request.user, application, data)
        messages.success(request, _("已上报有权审批人。"))
    except DomainError as error:
        _error(request, error)
    return redirect(_url("approval", application))


@requires(VIEW)
@require_POST
def terms_change(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for(request.user, pk)
    try:
        approval.change_terms(request.user, application, request.POST.get("reason", ""))
        messages.success(request, _("批复已变更作废，申请退回审批阶段。"))
    except DomainError as error:
        _error(request, error)
    return redirect(_url("conditions", application))


@requires(VIEW)
def conditions_page(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for(request.user, pk)
    actor = facts.actor_of(request.user)
    context = {
        "application": application,
        "terms": application.approved_terms.select_related("approved_by").order_by("-version"),
        "current": approved.current_terms(application),
        "problems": [p.text(_) for p in approved.disbursement_problems(application, as_of_today())],
        "can_meet": request.user.pk == application.manager_id or stages.DISBURSEMENT in actor.roles,
        "can_change": application.stage == stages.Stage.DISBURSEMENT
        and (request.user.pk == application.manager_id or stages.APPROVER in actor.roles),
    }
    return render(request, "credit/conditions.html", context)


@requires(VIEW)
@require_POST
def condition_met(request: HttpRequest, pk: int, condition: int) -> HttpResponse:
    application = application_for(request.user, pk)
    found = get_object_or_404(
        ApprovalCondition.objects.filter(terms__application=application), pk=condition
    )
    try:
        approval.mark_condition_met(request.user, found, request.POST.get("evidence", ""))
        messages.success(request, _("批复条件已落实。"))
    except DomainError as error:
        _error(request, error)
    return redirect(_url("conditions", application))
