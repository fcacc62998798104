"""审贷小组 (issue 7, point 2): the committee's use cases. A meeting is opened on an application
at 审批, the minutes-taker records the members' attendance and votes, and closing computes the
decision (``committee``, pure) with the policy version and makes the minutes (DOCX, SHA-256)."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext

from xindai.core.errors import DomainError
from xindai.core.problems import Problem, by_field
from xindai.core.problems import mark as _
from xindai.credit import committee, facts, minutes_docx, stages
from xindai.credit.approval import VIEW, refuse_form, require_at_approval, roles_of
from xindai.credit.models import CreditApplication
from xindai.credit.models_approval import CommitteeMeeting, CommitteeVote, MeetingStatus
from xindai.credit.services import audit_event
from xindai.customers.services import require
from xindai.org.models import User

COMMITTEE = "committee"


def _name(user: Any) -> str:
    return (user.full_name or user.username) if user else "—"


def committee_members(application: CreditApplication) -> Any:
    """Who may vote: holders of the committee role in the application's unit or above, not
    the case's investigators (审贷分离)."""
    from xindai.org.roles import Role, group_name

    path = application.org_unit.path
    ancestors = [path[: i + 1] for i, ch in enumerate(path) if ch == "/"][1:]
    investigators = [application.manager_id, application.co_investigator_id]
    return (
        User.objects.filter(
            is_active=True, groups__name=group_name(Role.COMMITTEE), org_unit__path__in=ancestors
        )
        .exclude(pk__in=[pk for pk in investigators if pk])
        .distinct()
        .order_by("username")
    )


def open_meeting(
    actor: Any, application: CreditApplication, data: dict[str, Any]
) -> CommitteeMeeting:
    """A meeting on the application; the actor (a committee member or approver) keeps the
    minutes; ``data``: held_at, place, chair (a user id)."""
    require(actor, VIEW)
    if not roles_of(actor) & {COMMITTEE, stages.APPROVER}:
        raise DomainError(gettext("只有审贷小组成员或审批人可以召开审贷小组会议"), code="role")
    require_at_approval(application)
    problems = []
    held_at = data.get("held_at")
    if isinstance(held_at, str):
        held_at = parse_datetime(held_at)
    if not isinstance(held_at, dt.datetime):
        problems.append(Problem("held_at", _("请填写会议时间")))
    elif timezone.is_naive(held_at):
        held_at = timezone.make_aware(held_at)
    place = str(data.get("place") or "").strip()
    if not place:
        problems.append(Problem("place", _("请填写会议地点")))
    chair = User.objects.filter(pk=data.get("chair") or 0).first()
    if chair is None or not roles_of(chair) & {COMMITTEE, stages.APPROVER}:
        problems.append(Problem("chair", _("主持人须为审贷小组成员或审批人")))
    elif chair.pk in (application.manager_id, application.co_investigator_id):
        problems.append(Problem("chair", _("调查人不能主持审议自己调查的申请（审贷分离）")))
    if problems:
        raise refuse_form(gettext("会议信息有误，未保存"), problems)
    assert isinstance(held_at, dt.datetime) and chair is not None  # checked above
    with transaction.atomic():
        CreditApplication.objects.select_for_update().get(pk=application.pk)
        if application.meetings.filter(status=MeetingStatus.OPEN).exists():
            raise DomainError(gettext("该申请已有进行中的审贷小组会议"), code="meeting_open")
        meeting = CommitteeMeeting.objects.create(
            application=application, held_at=held_at, place=place, chair=chair,
            minutes_taker=actor,
        )  # fmt: skip
        changes = {"meeting": meeting.pk, "chair": chair.username, "place": place}
        audit_event(actor, "credit.meeting_opened", application, changes=changes)
    return meeting


def _may_record(actor: Any, meeting: CommitteeMeeting) -> None:
    if actor.pk not in (meeting.chair_id, meeting.minutes_taker_id):
        raise DomainError(gettext("只有会议主持人或记录人可以记录表决和结束会议"), code="not_clerk")
    if meeting.status != MeetingStatus.OPEN:
        raise DomainError(gettext("会议已结束，不能再修改"), code="meeting_closed")


def record_vote(actor: Any, meeting: CommitteeMeeting, data: dict[str, Any]) -> CommitteeVote:
    """A member's attendance, vote and opinion (recorded by the chair or minutes-taker)."""
    require(actor, VIEW)
    application = meeting.application
    with transaction.atomic():
        meeting = CommitteeMeeting.objects.select_for_update().get(pk=meeting.pk)
        _may_record(actor, meeting)
        member = User.objects.filter(pk=data.get("member") or 0).first()
        present = data.get("present") in (True, "true", "on", "1", 1)
        vote = str(data.get("vote") or "")
        problems = []
        if member is None or COMMITTEE not in roles_of(member):
            problems.append(Problem("member", _("表决人须持有审贷小组成员岗位")))
        elif member.pk in (application.manager_id, application.co_investigator_id):
            problems.append(Problem("member", _("调查人不能参与表决自己调查的申请（审贷分离）")))
        if present and vote not in set(committee.Vote):
            problems.append(Problem("vote", _("出席成员须表决：同意、不同意或弃权")))
        if problems:
            raise refuse_form(gettext("表决信息有误，未保存"), problems)
        assert member is not None  # checked above
        row, _created = CommitteeVote.objects.update_or_create(
            meeting=meeting,
            member=member,
            defaults={
                "present": present,
                "vote": vote if present else "",
                "opinion": str(data.get("opinion") or "").strip(),
            },
        )
        changes = {"meeting": meeting.pk, "member": member.username, "present": present}
        audit_event(actor, "credit.vote_recorded", application, changes=changes | {"vote": vote})
    return row


def close_meeting(actor: Any, meeting: CommitteeMeeting, conditions: str = "") -> CommitteeMeeting:
    """Close the meeting: the decision by the policy's quorum and share (refused, with nothing
    saved, without a quorum or with a present member's vote missing), and the minutes."""
    require(actor, VIEW)
    version, policy = facts.current_policy()
    with transaction.atomic():
        meeting = CommitteeMeeting.objects.select_for_update().get(pk=meeting.pk)
        _may_record(actor, meeting)
        votes = list(meeting.votes.select_related("member"))
        count = committee.tally((v.present, v.vote) for v in votes)
        problems = committee.quorum_problems(count, policy.committee_min_present)
        if problems:
            message = gettext("不能结束会议：") + gettext("；").join(
                p.text(gettext) for p in problems
            )
            raise DomainError(message, code="no_quorum", details=by_field(problems, gettext))
        decision = committee.decide(
            count,
            policy.committee_min_present,
            policy.committee_pass_numerator,
            policy.committee_pass_denominator,
        )
        meeting.status = MeetingStatus.CLOSED
        meeting.decision = decision.value
        meeting.conditions = conditions.strip()
        meeting.present, meeting.agree = count.present, count.agree
        meeting.policy_version = version
        meeting.closed_at = timezone.now()
        docx = minutes_docx.render(minutes_data(meeting, votes, count, policy))
        meeting.minutes_sha256 = hashlib.sha256(docx).hexdigest()
        name = f"{meeting.application.number}-minutes-{meeting.pk}.docx"
        meeting.minutes.save(name, ContentFile(docx), save=False)
        meeting.save()
        changes = {
            "meeting": meeting.pk,
            "decision": decision.value,
            "present": count.present,
            "agree": count.agree,
            "disagree": count.disagree,
            "abstain": count.abstain,
            "policy": version.number,
            "sha256": meeting.minutes_sha256,
        }
        audit_event(actor, "credit.meeting_closed", meeting.application, changes=changes)
    return meeting


def rule_text(policy: Any) -> str:
    return gettext(
        "表决规则：出席不少于 %(min)s 人，同意票不少于出席人数的 %(num)s/%(den)s 为通过。"
    ) % {
        "min": policy.committee_min_present,
        "num": policy.committee_pass_numerator,
        "den": policy.committee_pass_denominator,
    }


def minutes_data(
    meeting: CommitteeMeeting, votes: list[CommitteeVote], count: committee.Tally, policy: Any
) -> minutes_docx.MinutesData:
    application = meeting.application
    labels = {v.value: gettext(label) for v, label in committee.VOTE_LABELS.items()}
    return minutes_docx.MinutesData(
        number=application.number or "",
        customer=application.customer.name,
        product=application.product.name,
        amount=f"{application.amount:,.2f}",
        term_months=application.term_months,
        held_at=timezone.localtime(meeting.held_at).strftime("%Y-%m-%d %H:%M"),
        place=meeting.place,
        chair=_name(meeting.chair),
        minutes_taker=_name(meeting.minutes_taker),
        members=[
            (
                _name(v.member),
                gettext("出席") if v.present else gettext("缺席"),
                labels.get(v.vote, "—"),
                v.opinion or "—",
            )
            for v in votes
        ],
        present=count.present,
        agree=count.agree,
        disagree=count.disagree,
        abstain=count.abstain,
        rule=rule_text(policy),
        decision=gettext(committee.DECISION_LABELS[committee.Decision(meeting.decision)]),
        conditions=[line.strip() for line in meeting.conditions.splitlines() if line.strip()],
    )


def open_minutes(actor: Any, meeting: CommitteeMeeting) -> Any:
    """The stored minutes (checked against their SHA-256); the download is audited."""
    require(actor, VIEW)
    if not meeting.minutes:
        raise DomainError(gettext("会议尚未结束，还没有会议纪要"), code="no_minutes")
    with meeting.minutes.open("rb") as stored:
        content = stored.read()
    if hashlib.sha256(content).hexdigest() != meeting.minutes_sha256:
        raise DomainError(gettext("会议纪要文件与登记的 SHA-256 不符"), code="tampered")
    audit_event(
        actor,
        "credit.minutes_downloaded",
        meeting.application,
        changes={"meeting": meeting.pk, "sha256": meeting.minutes_sha256},
    )
    return content
