"""申请受理 through the services: from a complete archive to 实地调查, with every refusal
saying why and every step on the timeline and in the audit chain."""

from __future__ import annotations

import pytest

from tests.credit.factories import CREDIT_REPORT, pdf, ready_to_accept, submitted
from xindai.audit.models import AuditEvent
from xindai.credit import services
from xindai.credit.models import StageEvent
from xindai.credit.services import TransitionRefused

pytestmark = pytest.mark.django_db


def test_a_walk_in_application_is_submitted_with_its_answer_time(manager, farmer) -> None:
    application = submitted(manager, farmer)
    assert application.stage == "intake"
    assert application.number == f"SQ2026{application.pk:06d}"
    # submitted 2026-11-27, a 12-month loan is short-term: answer within one month
    assert str(application.submitted_on) == "2026-11-27"
    assert str(application.answer_due) == "2026-12-27"
    assert application.policy_version.number == 1


def test_a_long_term_application_has_six_months_to_be_answered(manager, farmer) -> None:
    application = submitted(manager, farmer, term_months="24")
    assert str(application.answer_due) == "2027-05-27"


def test_acceptance_is_refused_until_consent_report_and_admission_are_there(
    manager, farmer
) -> None:
    application = submitted(manager, farmer)
    with pytest.raises(TransitionRefused) as refused:
        services.take(manager, application, "accept")
    assert set(refused.value.details) == {"consent", "credit_report", "admission"}
    application.refresh_from_db()
    assert application.accepted_at is None and application.stage == "intake"


def test_the_credit_report_needs_the_consent_first(manager, farmer) -> None:
    from xindai.core.errors import DomainError

    application = submitted(manager, farmer)
    with pytest.raises(DomainError) as refused:
        services.record_credit_report(manager, application, CREDIT_REPORT)
    assert refused.value.code == "no_consent"


def test_from_intake_to_investigation(manager, farmer, co_investigator) -> None:
    application = ready_to_accept(manager, farmer)
    check = application.admission_checks.get()
    assert check.outcome == "admit", check.results
    services.take(manager, application, "accept")
    with pytest.raises(TransitionRefused) as refused:
        services.take(manager, application, "start_investigation")
    assert list(refused.value.details) == ["investigators"]
    services.set_co_investigator(manager, application, {"co_investigator": co_investigator.pk})
    services.take(manager, application, "start_investigation")
    application.refresh_from_db()
    assert application.stage == "investigation"
    events = list(StageEvent.objects.filter(application=application))
    assert [(e.transition, e.from_stage, e.to_stage) for e in events] == [
        ("submit", "marketing", "intake"),
        ("accept", "intake", "intake"),
        ("start_investigation", "intake", "investigation"),
    ]
    assert all(e.policy_version.number == 1 for e in events)
    actions = AuditEvent.objects.filter(object_id=str(application.pk)).values_list(
        "action", flat=True
    )
    assert {"credit.submit", "credit.accept", "credit.start_investigation"} <= set(actions)
    assert "credit.admission_checked" in set(actions)


def test_a_change_after_the_check_makes_it_stale(manager, farmer) -> None:
    application = ready_to_accept(manager, farmer)
    farmer.industry_code = "0111"
    farmer.save()
    application.refresh_from_db()
    with pytest.raises(TransitionRefused) as refused:
        services.take(manager, application, "accept")
    assert list(refused.value.details) == ["admission"]


def test_a_consent_scan_must_be_a_real_document(manager, farmer) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from xindai.core.errors import FormInvalid

    application = submitted(manager, farmer)
    fake = SimpleUploadedFile("scan.pdf", b"not a pdf", content_type="application/pdf")
    consent = {"signed_by": "王大山", "signed_on": "2026-11-26", "purpose": "loan_approval"}
    with pytest.raises(FormInvalid):
        services.record_consent(manager, application, consent, {"scan": fake})
    assert not hasattr(application, "consent")
    services.record_consent(manager, application, consent, {"scan": pdf()})


def test_the_co_investigator_is_chosen_in_the_managers_branch(
    manager, farmer, co_investigator, colleague
) -> None:
    from xindai.core.errors import FormInvalid

    application = submitted(manager, farmer)
    with pytest.raises(FormInvalid) as refused:  # 李四 works in 二支行; 张三 in 一支行
        services.set_co_investigator(manager, application, {"co_investigator": colleague.pk})
    assert "co_investigator" in refused.value.details
    services.set_co_investigator(manager, application, {"co_investigator": co_investigator.pk})
    application.refresh_from_db()
    assert application.co_investigator == co_investigator


def test_a_prudent_application_waits_in_the_branch_heads_queue(
    manager, farmer, branch_head
) -> None:
    from tests.credit.factories import prudent
    from xindai.credit import queries

    application = prudent(manager, farmer)
    waiting = {a.pk: [t.name for t in actions] for a, actions in queries.queue(branch_head)}
    assert waiting[application.pk][0] == "escalate"
    assert "accept" not in waiting[application.pk]
    check = application.admission_checks.first()
    services.escalate(branch_head, check, {"reason": "他行授信为农机分期，风险可控"})
    waiting = {a.pk: [t.name for t in actions] for a, actions in queries.queue(branch_head)}
    assert "escalate" not in waiting[application.pk] and "accept" in waiting[application.pk]


def test_a_new_application_waits_for_acceptance_only(manager, farmer) -> None:
    from xindai.credit import queries

    application = submitted(manager, farmer)
    waiting = {a.pk: [t.name for t in actions] for a, actions in queries.queue(manager)}
    assert waiting[application.pk] == ["accept", "reject"]


def test_only_the_applications_manager_records_its_intake_data(
    manager, farmer, branch_head
) -> None:
    from xindai.core.errors import DomainError

    application = submitted(manager, farmer)
    with pytest.raises(DomainError) as refused:
        services.record_credit_report(branch_head, application, CREDIT_REPORT)
    assert refused.value.code == "not_manager"
