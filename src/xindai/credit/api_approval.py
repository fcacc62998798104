"""审查、审贷小组、授权审批与批复条款 over REST (issue 7), mounted on ``/api/v1/applications``
by :mod:`xindai.credit.api`. The decisions 审查通过 / 退回 / 否决 are also transitions
(``POST /{id}/transitions/{name}``); the opinion must be written first."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from xindai.api import requires
from xindai.core.errors import NotFound
from xindai.credit import approval, approved, meetings, queries, review
from xindai.credit.models import CreditApplication
from xindai.credit.models_approval import ApprovedTerms, CommitteeMeeting
from xindai.customers.services import as_of_today

router = Router(tags=["credit-approval"])
VIEW = "credit.view_creditapplication"


# ---- shapes ----------------------------------------------------------------------------------


class ItemAnswer(Schema):
    result: str = Field(description="ok（无异议）/ concern（有异议，须附说明）")
    note: str = ""


class OpinionIn(Schema):
    answers: dict[str, ItemAnswer] = Field(description="审查要点 key → 结论")
    opinion: str = Field(description="审查意见")
    decision: str = Field("", description="可选：pass / return / reject（同时办理）")
    reason: str = Field("", description="退回或否决的理由")


class MeetingIn(Schema):
    held_at: dt.datetime
    place: str
    chair: int = Field(description="主持人用户 id")


class VoteIn(Schema):
    member: int
    present: bool = True
    vote: str = Field("", description="agree / disagree / abstain")
    opinion: str = ""


class CloseIn(Schema):
    conditions: str = Field("", description="审议条件，每行一条")


class TermsIn(Schema):
    amount: str | int
    term_months: str | int
    annual_rate: str = Field(description="小数，如 0.0435")
    repayment_method: str
    guarantee_methods: list[str]
    conditions: list[str] = []
    valid_until: dt.date | None = Field(None, description="默认：批准日 + 批复有效期")


class EscalateIn(Schema):
    reason: str
    to_user: int | None = None
    amount: str | None = None


class ReasonIn(Schema):
    reason: str


class EvidenceIn(Schema):
    evidence: str


# ---- presenters ------------------------------------------------------------------------------


def _person(user: Any) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": user.pk, "username": user.username, "name": user.full_name or user.username}


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def opinion_of(found: Any) -> dict[str, Any]:
    return {
        "id": found.pk,
        "reviewer": _person(found.reviewer),
        "checklist": found.checklist,
        "opinion": found.opinion,
        "created_at": found.created_at,
    }


def meeting_of(meeting: CommitteeMeeting) -> dict[str, Any]:
    return {
        "id": meeting.pk,
        "held_at": meeting.held_at,
        "place": meeting.place,
        "chair": _person(meeting.chair),
        "minutes_taker": _person(meeting.minutes_taker),
        "status": meeting.status,
        "decision": meeting.decision or None,
        "present": meeting.present,
        "agree": meeting.agree,
        "conditions": meeting.conditions,
        "minutes_sha256": meeting.minutes_sha256 or None,
        "votes": [
            {
                "member": _person(v.member),
                "present": v.present,
                "vote": v.vote or None,
                "opinion": v.opinion,
            }
            for v in meeting.votes.select_related("member")
        ],
    }


def terms_of(terms: ApprovedTerms) -> dict[str, Any]:
    return {
        "id": terms.pk,
        "version": terms.version,
        "amount": _money(terms.amount),
        "term_months": terms.term_months,
        "annual_rate": f"{terms.annual_rate:.6f}",
        "repayment_method": terms.repayment_method,
        "guarantee_methods": list(terms.guarantee_methods),
        "approved_on": terms.approved_on,
        "valid_until": terms.valid_until,
        "approved_by": _person(terms.approved_by),
        "fingerprint": terms.fingerprint,
        "superseded_at": terms.superseded_at,
        "superseded_reason": terms.superseded_reason,
        "conditions": [
            {
                "id": c.pk,
                "text": c.text,
                "met_at": c.met_at,
                "met_by": _person(c.met_by),
                "evidence": c.evidence,
            }
            for c in terms.conditions.select_related("met_by")
        ],
    }


def _app(request: HttpRequest, application_id: int) -> CreditApplication:
    return queries.application_for(request.user, application_id)


def _meeting(application: CreditApplication, meeting_id: int) -> CommitteeMeeting:
    return get_object_or_404(application.meetings.all(), pk=meeting_id)


def _row(application: CreditApplication) -> dict[str, Any]:
    return {
        "id": application.pk,
        "number": application.number,
        "customer": application.customer.name,
        "product": application.product.name,
        "amount": _money(application.amount),
        "stage_since": application.stage_since,
    }


# ---- queues ----------------------------------------------------------------------------------


@router.get("/queues/review", summary="审查岗待审查的申请（审贷分析阶段）", auth=requires(VIEW))
def review_queue(request: HttpRequest) -> list[dict[str, Any]]:
    return [_row(a) for a in queries.review_queue(request.user)]


@router.get(
    "/queues/approval",
    summary="审批人待审批的申请（含本人审批权限与上报记录）",
    auth=requires(VIEW),
)
def approval_queue(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        _row(a)
        | {
            "my_authority": _money(limit),
            "escalated": None
            if esc is None
            else {"from": _person(esc.from_user), "to": _person(esc.to_user), "reason": esc.reason},
        }
        for a, limit, esc in queries.approval_queue(request.user)
    ]


# ---- 审查 ------------------------------------------------------------------------------------


@router.get("/{application_id}/review", summary="审查要点、抵押率与审查意见", auth=requires(VIEW))
def get_review(request: HttpRequest, application_id: int) -> dict[str, Any]:
    application = _app(request, application_id)
    cover = review.collateral_cover(application)
    return {
        "items": [{"key": i.key, "label": _(i.label)} for i in review.REVIEW_ITEMS],
        "collateral_value": _money(cover.value),
        "collateral_ratio": None if cover.ratio is None else str(cover.ratio),
        "opinions": [opinion_of(o) for o in application.review_opinions.select_related("reviewer")],
    }


@router.post(
    "/{application_id}/review",
    response={201: dict[str, Any]},
    summary="填写审查意见（可同时审查通过、退回补充调查或否决）",
    auth=requires(VIEW),
)
def post_review(request: HttpRequest, application_id: int, body: OpinionIn) -> Status[Any]:
    application = _app(request, application_id)
    answers = {k: v.dict() for k, v in body.answers.items()}
    if body.decision:
        found = review.decide(
            request.user, application, body.decision, answers, body.opinion, body.reason
        )
    else:
        found = review.record_opinion(request.user, application, answers, body.opinion)
    application.refresh_from_db()
    return Status(201, opinion_of(found) | {"stage": application.stage})


# ---- 审贷小组 --------------------------------------------------------------------------------


@router.get("/{application_id}/meetings", summary="审贷小组会议及表决", auth=requires(VIEW))
def list_meetings(request: HttpRequest, application_id: int) -> list[dict[str, Any]]:
    return [meeting_of(m) for m in _app(request, application_id).meetings.all()]


@router.post(
    "/{application_id}/meetings",
    response={201: dict[str, Any]},
    summary="召开审贷小组会议（调用者为记录人）",
    auth=requires(VIEW),
)
def open_meeting(request: HttpRequest, application_id: int, body: MeetingIn) -> Status[Any]:
    found = meetings.open_meeting(request.user, _app(request, application_id), body.dict())
    return Status(201, meeting_of(found))


@router.post(
    "/{application_id}/meetings/{meeting_id}/votes",
    summary="记录成员出席与表决（主持人或记录人）",
    auth=requires(VIEW),
)
def record_vote(
    request: HttpRequest, application_id: int, meeting_id: int, body: VoteIn
) -> dict[str, Any]:
    meeting = _meeting(_app(request, application_id), meeting_id)
    meetings.record_vote(request.user, meeting, body.dict())
    return meeting_of(meeting)


@router.post(
    "/{application_id}/meetings/{meeting_id}/close",
    summary="结束会议：按政策计算决议并生成会议纪要（不足法定人数时 409）",
    auth=requires(VIEW),
)
def close_meeting(
    request: HttpRequest, application_id: int, meeting_id: int, body: CloseIn
) -> dict[str, Any]:
    meeting = _meeting(_app(request, application_id), meeting_id)
    return meeting_of(meetings.close_meeting(request.user, meeting, body.conditions))


@router.get(
    "/{application_id}/meetings/{meeting_id}/minutes",
    summary="下载会议纪要（DOCX；记入审计日志）",
    auth=requires(VIEW),
)
def download_minutes(request: HttpRequest, application_id: int, meeting_id: int) -> HttpResponse:
    meeting = _meeting(_app(request, application_id), meeting_id)
    return minutes_response(meetings.open_minutes(request.user, meeting), meeting)


def minutes_response(content: bytes, meeting: CommitteeMeeting) -> HttpResponse:
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    name = f"{meeting.application.number}-minutes-{meeting.pk}.docx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# ---- 授权与审批 ------------------------------------------------------------------------------


@router.get(
    "/{application_id}/authority", summary="调用者对本笔申请的审批权限", auth=requires(VIEW)
)
def my_authority(request: HttpRequest, application_id: int) -> dict[str, Any]:
    application = _app(request, application_id)
    limit = approval.authority_for(request.user, application)
    return {
        "amount": _money(application.amount),
        "my_authority": _money(limit),
        "within": limit is not None and application.amount <= limit,
    }


@router.post(
    "/{application_id}/escalations",
    response={201: dict[str, Any]},
    summary="上报有权审批人（超出本人审批权限时）",
    auth=requires(VIEW),
)
def escalate(request: HttpRequest, application_id: int, body: EscalateIn) -> Status[Any]:
    found = approval.escalate(request.user, _app(request, application_id), body.dict())
    return Status(
        201,
        {
            "id": found.pk,
            "amount": _money(found.amount),
            "from": _person(found.from_user),
            "to": _person(found.to_user),
            "reason": found.reason,
        },
    )


@router.post(
    "/{application_id}/approval",
    response={201: dict[str, Any]},
    summary="审批通过并确定批复条款（条款冻结，生成 SHA-256 指纹）",
    auth=requires(VIEW),
)
def approve(request: HttpRequest, application_id: int, body: TermsIn) -> Status[Any]:
    found = approval.approve(request.user, _app(request, application_id), body.dict())
    return Status(201, terms_of(found))


class NoTerms(NotFound):
    code = "no_terms"


@router.get("/{application_id}/terms", summary="批复条款（当前及历次版本）", auth=requires(VIEW))
def get_terms(request: HttpRequest, application_id: int) -> dict[str, Any]:
    application = _app(request, application_id)
    versions = [terms_of(t) for t in application.approved_terms.order_by("-version")]
    current = approved.current_terms(application)
    if not versions:
        raise NoTerms(_("该申请尚无批复条款"))
    problems = approved.disbursement_problems(application, as_of_today())
    return {
        "current": terms_of(current) if current else None,
        "versions": versions,
        "disbursement_problems": [p.text(_) for p in problems],
    }


@router.post(
    "/{application_id}/terms/change",
    summary="变更批复：作废当前条款并退回审批（须填理由；已放款的不能变更）",
    auth=requires(VIEW),
)
def change_terms(request: HttpRequest, application_id: int, body: ReasonIn) -> dict[str, Any]:
    found = approval.change_terms(request.user, _app(request, application_id), body.reason)
    return terms_of(found)


@router.post(
    "/{application_id}/conditions/{condition_id}/met",
    summary="落实批复条件（客户经理或放款岗，须填落实情况）",
    auth=requires(VIEW),
)
def condition_met(
    request: HttpRequest, application_id: int, condition_id: int, body: EvidenceIn
) -> dict[str, Any]:
    application = _app(request, application_id)
    from xindai.credit.models_approval import ApprovalCondition

    condition = get_object_or_404(
        ApprovalCondition.objects.filter(terms__application=application), pk=condition_id
    )
    found = approval.mark_condition_met(request.user, condition, body.evidence)
    return {"id": found.pk, "text": found.text, "met_at": found.met_at, "evidence": found.evidence}
