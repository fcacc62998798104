"""审贷小组、授权审批与批复条款 through their services: separation of duties, the quorum,
authority and escalation, frozen terms and their change, the disbursement gate's part."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.credit.approval_factories import at_approval, meeting, members, passed, terms_for
from tests.credit.factories import TODAY, set_today
from xindai.audit.models import AuditEvent
from xindai.core.errors import DomainError, FormInvalid
from xindai.credit import approval, approved, meetings, services
from xindai.credit.models_approval import ApprovalEscalation, ApprovedTerms, MeetingStatus
from xindai.credit.services import TransitionRefused
from xindai.org.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(manager, farmer, co_investigator, reviewer):
    return at_approval(manager, farmer, co_investigator, reviewer)


@pytest.fixture
def people(make_user, tree):
    return members(make_user, tree["B1"])


def test_committee_then_approval_freezes_the_terms(case, people, approver) -> None:
    found = passed(case, people[0], people)
    assert (found.status, found.decision, found.present, found.agree) == ("closed", "pass", 5, 5)
    assert len(found.minutes_sha256) == 64 and found.minutes.name.endswith(".docx")
    data = terms_for(case, amount="80000", conditions="落实保证人签字\n\n开立还款账户\n")
    result = approval.approve(approver, case, data)
    case.refresh_from_db()
    assert case.stage == "disbursement"
    assert (result.version, result.amount, result.approved_by) == (1, Decimal(80_000), approver)
    assert result.valid_until == TODAY + dt.timedelta(days=90)  # policy default 90 days
    assert [c.text for c in result.conditions.all()] == ["落实保证人签字", "开立还款账户"]
    assert len(result.fingerprint) == 64
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"credit.meeting_closed", "credit.terms_approved", "credit.approve"} <= actions


def test_the_fingerprint_changes_with_any_term(case) -> None:
    base = {
        "amount": Decimal(80_000),
        "term_months": 12,
        "annual_rate": Decimal("0.0435"),
        "repayment_method": "equal_installment",
        "guarantee_methods": ["credit"],
        "approved_on": TODAY,
        "valid_until": TODAY,
        "conditions": [],
    }
    first = approval.fingerprint(case, 1, base)
    assert first == approval.fingerprint(case, 1, dict(base))
    assert first != approval.fingerprint(case, 1, base | {"annual_rate": Decimal("0.0436")})


def test_no_approval_without_a_committee_decision_and_nothing_saved(case, approver) -> None:
    with pytest.raises(TransitionRefused) as refused:
        approval.approve(approver, case, terms_for(case))
    assert list(refused.value.details) == ["committee"]
    assert "审贷小组" in refused.value.message
    assert not ApprovedTerms.objects.exists()
    case.refresh_from_db()
    assert case.stage == "approval"


def test_without_a_quorum_the_meeting_does_not_close(case, people) -> None:
    votes = [(m, True, "agree") for m in people[:4]] + [(people[4], False, "")]
    found = meeting(case, people[0], votes, close=False)
    with pytest.raises(DomainError) as refused:
        meetings.close_meeting(people[0], found)
    assert refused.value.code == "no_quorum"
    assert "出席 4 人" in refused.value.message and "5 人" in refused.value.message
    found.refresh_from_db()
    assert (found.status, found.decision, found.minutes_sha256) == (MeetingStatus.OPEN, "", "")


def test_a_failed_committee_blocks_approval_and_the_approver_rejects(
    case, people, approver
) -> None:
    votes = [(m, True, "agree") for m in people[:3]] + [(m, True, "disagree") for m in people[3:]]
    found = meeting(case, people[0], votes)
    assert (found.present, found.agree, found.decision) == (6, 3, "fail")
    with pytest.raises(TransitionRefused) as refused:
        approval.approve(approver, case, terms_for(case))
    assert "未通过" in refused.value.message
    services.take(approver, case, "reject", "审贷小组审议未通过")
    assert case.stage == "rejected"


def test_the_investigators_cannot_vote(case, people, manager, make_user, tree) -> None:
    manager.groups.add(*make_user("x", tree["O11"], Role.COMMITTEE).groups.all())
    found = meeting(case, people[0], [], close=False)
    with pytest.raises(FormInvalid) as refused:
        meetings.record_vote(
            people[0], found, {"member": manager.pk, "present": True, "vote": "agree"}
        )
    assert "审贷分离" in refused.value.details["member"][0]
    assert not found.votes.exists()


def test_only_the_chair_or_minutes_taker_records_votes(case, people) -> None:
    found = meeting(case, people[0], [], close=False)
    with pytest.raises(DomainError) as refused:
        meetings.record_vote(
            people[1], found, {"member": people[1].pk, "present": True, "vote": "agree"}
        )
    assert refused.value.code == "not_clerk"


def test_beyond_authority_refused_then_escalated(
    manager, farmer, co_investigator, reviewer, people, make_user, tree, approver
) -> None:
    case = at_approval(manager, farmer, co_investigator, reviewer, amount="120000")
    outlet = make_user("wu", tree["O11"], Role.APPROVER, full_name="吴审批")
    assert approval.authority_for(outlet, case) == Decimal(100_000)  # 网点 信用 ≤ 10 万
    assert approval.authority_for(approver, case) == Decimal(300_000)  # 支行 信用 ≤ 30 万
    passed(case, people[0], people)
    with pytest.raises(TransitionRefused) as refused:
        approval.approve(outlet, case, terms_for(case, amount="120000"))
    assert list(refused.value.details) == ["authority"]
    assert "120,000.00" in refused.value.message and "100,000.00" in refused.value.message
    assert not ApprovedTerms.objects.exists()
    # within his authority once the amount is cut to 10 万
    found = approval.escalate(outlet, case, {"reason": "超出本人权限", "to_user": approver.pk})
    assert (found.from_user, found.to_user, found.amount) == (outlet, approver, Decimal(120_000))
    assert AuditEvent.objects.filter(action="credit.approval_escalated").count() == 1
    approval.approve(approver, case, terms_for(case, amount="120000"))
    case.refresh_from_db()
    assert case.stage == "disbursement"


def test_escalation_is_refused_within_authority_or_to_someone_without_enough(
    case, make_user, tree, approver
) -> None:
    outlet = make_user("wu", tree["O11"], Role.APPROVER)
    with pytest.raises(FormInvalid) as refused:
        approval.escalate(approver, case, {"reason": "想请示"})
    assert "无需上报" in refused.value.details["amount"][0]
    with pytest.raises(FormInvalid) as refused:
        approval.escalate(outlet, case, {"reason": "x", "amount": "150000", "to_user": outlet.pk})
    assert "to_user" in refused.value.details
    assert not ApprovalEscalation.objects.exists()


def test_terms_beyond_the_request_or_the_product_rate_are_refused(case, people, approver) -> None:
    passed(case, people[0], people)
    with pytest.raises(FormInvalid) as refused:
        approval.approve(approver, case, terms_for(case, amount="100000.01", annual_rate="0.01"))
    assert set(refused.value.details) == {"amount", "annual_rate"}
    assert "100,000.00" in refused.value.details["amount"][0]
    assert not ApprovedTerms.objects.exists()


def test_a_change_supersedes_the_terms_and_needs_the_committee_again(
    case, people, approver, manager
) -> None:
    passed(case, people[0], people)
    first = approval.approve(approver, case, terms_for(case))
    with pytest.raises(TransitionRefused) as refused:
        approval.change_terms(manager, case, "")
    assert "reason" in refused.value.details
    approval.change_terms(manager, case, "客户要求降低金额")
    first.refresh_from_db()
    case.refresh_from_db()
    assert case.stage == "approval" and first.superseded_reason == "客户要求降低金额"
    assert first.superseded_at is not None and approved.current_terms(case) is None
    with pytest.raises(TransitionRefused):
        approval.approve(approver, case, terms_for(case, amount="90000"))
    passed(case, people[0], people)
    second = approval.approve(approver, case, terms_for(case, amount="90000"))
    assert second.version == 2 and approved.current_terms(case) == second


def test_expired_approval_and_unmet_conditions_stop_disbursement(
    case, people, approver, manager, make_user, tree
) -> None:
    passed(case, people[0], people)
    terms = approval.approve(approver, case, terms_for(case, conditions="落实保证金"))
    assert [p.field for p in approved.disbursement_problems(case, TODAY)] == ["conditions"]
    condition = terms.conditions.get()
    with pytest.raises(DomainError):
        approval.mark_condition_met(make_user("other", tree["O11"], Role.MANAGER), condition, "x")
    with pytest.raises(FormInvalid):
        approval.mark_condition_met(manager, condition, " ")
    approval.mark_condition_met(manager, condition, "保证金 1 万元已存入")
    assert approved.disbursement_problems(case, TODAY) == []
    expired = TODAY + dt.timedelta(days=91)
    set_today(expired)
    problems = approved.disbursement_problems(case, expired)
    assert [p.field for p in problems] == ["approval"]
    assert terms.valid_until.isoformat() in problems[0].text()
