"""The credit services beyond the intake flow: the versioned policy and the version every
decision records, the escalation of a 审慎 check, separation of duties, refusals that say the
same through the page, the API and the service, a step taken twice, and the data scope."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.db import connection, connections
from django.http import Http404

from tests.credit.factories import (
    TODAY,
    application_data,
    farmer_product,
    prudent,
    ready_to_accept,
    submitted,
)
from tests.customers.ids import credit_code, resident_id
from xindai.audit.models import AuditEvent
from xindai.core.errors import DomainError, FormInvalid
from xindai.credit import facts, queries, services
from xindai.credit.models import (
    AdmissionCheck,
    CreditApplication,
    PolicyVersion,
    RiskListEntry,
    StageEvent,
)
from xindai.credit.policy import Policy
from xindai.credit.services import TransitionRefused
from xindai.customers import section_models as sm
from xindai.customers.models import Customer
from xindai.org.models import User
from xindai.org.roles import Role

pytestmark = pytest.mark.django_db

STALE = "尚未进行准入检查，或检查后申请、档案已有变动：请重新检查"
REQUIRED = "这个字段是必填项。"


# ---- the policy and its versions -----------------------------------------------------------


def test_a_new_policy_version_keeps_what_it_does_not_change(risk_officer) -> None:
    v2 = services.new_policy_version(
        risk_officer, {"max_debt_to_income": "0.45"}, "2026年第四季度风险偏好调整"
    )
    assert (v2.number, v2.reason, v2.created_by) == (2, "2026年第四季度风险偏好调整", risk_officer)
    assert Policy.from_params(v2.params) == Policy(max_debt_to_income=Decimal("0.45"))
    v3 = services.new_policy_version(risk_officer, {"min_age": 20}, "提高最低年龄")
    assert Policy.from_params(v3.params) == Policy(max_debt_to_income=Decimal("0.45"), min_age=20)
    event = AuditEvent.objects.get(action="credit.policy_changed", object_id=str(v3.pk))
    assert event.changes == {"number": 3, "changed": {"min_age": {"from": 18, "to": 20}}}
    assert event.reason == "提高最低年龄"
    # the older versions are untouched
    assert PolicyVersion.objects.get(number=1).params["max_debt_to_income"] == "0.50"
    assert PolicyVersion.objects.get(number=2).params["min_age"] == 18


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_new_policy_version_needs_a_reason(risk_officer, reason) -> None:
    with pytest.raises(FormInvalid) as refused:
        services.new_policy_version(risk_officer, {"min_age": 20}, reason)
    assert refused.value.details == {"reason": ["请填写修改理由"]}
    assert list(PolicyVersion.objects.values_list("number", flat=True)) == [1]


@pytest.mark.parametrize(
    ("params", "details"),
    [
        ({"min_age": 0}, {"min_age": ["必须大于 0"]}),
        ({"max_debt_to_income": "1.2"}, {"max_debt_to_income": ["比例以小数表示，不能超过 1"]}),
        ({"min_archive_completeness": 101}, {"min_archive_completeness": ["完整度不能超过 100"]}),
        ({"min_age": 60}, {"min_age": ["最低年龄必须小于到期时年龄上限"]}),  # women: 60
        ({"max_age": 70}, {"params": ["unknown policy parameters: ['max_age']"]}),
        ({"min_age": "十八"}, {"params": ["min_age: not a number: '十八'"]}),
    ],
)
def test_invalid_parameters_are_refused_and_nothing_is_saved(risk_officer, params, details):
    with pytest.raises(FormInvalid) as refused:
        services.new_policy_version(risk_officer, params, "试验")
    assert refused.value.details == details
    assert list(PolicyVersion.objects.values_list("number", flat=True)) == [1]
    assert not AuditEvent.objects.filter(action="credit.policy_changed").exists()


def test_only_who_may_edit_the_policy_adds_a_version(manager, branch_head) -> None:
    for user in (manager, branch_head):
        with pytest.raises(PermissionDenied):
            services.new_policy_version(user, {"min_age": 20}, "我想改")
    assert PolicyVersion.objects.count() == 1


def test_every_decision_records_the_version_it_used(
    manager, farmer, branch_head, risk_officer
) -> None:
    application = ready_to_accept(manager, farmer)
    v1_check = application.admission_checks.get()
    assert (v1_check.outcome, v1_check.policy_version.number) == ("admit", 1)
    # V2 allows no lender besides this bank: the borrower's one other bank makes him 审慎
    services.new_policy_version(risk_officer, {"max_other_bank_lenders": 0}, "收紧多头授信")

    # A check under V1 is no longer current under V2: accepting needs a new check.
    with pytest.raises(TransitionRefused) as refused:
        services.take(manager, application, "accept")
    assert refused.value.details == {"admission": [STALE]}
    v2_check = services.check_admission(manager, application)
    assert (v2_check.outcome, v2_check.policy_version.number) == ("prudent", 2)
    services.escalate(branch_head, v2_check, {"reason": "其他银行授信为小额农资贷款"})
    services.take(manager, application, "accept")

    # The decision made under V1 keeps V1.
    v1_check.refresh_from_db()
    assert (v1_check.outcome, v1_check.policy_version.number) == ("admit", 1)
    application.refresh_from_db()
    assert application.policy_version.number == 1  # submitted under V1
    events = StageEvent.objects.filter(application=application).order_by("pk")
    assert [(e.transition, e.policy_version.number) for e in events] == [
        ("submit", 1),
        ("accept", 2),
    ]
    assert list(
        AdmissionCheck.objects.order_by("pk").values_list("policy_version__number", flat=True)
    ) == [1, 2]


# ---- escalation of a 审慎 check ------------------------------------------------------------


def latest(application: CreditApplication) -> AdmissionCheck:
    check = application.admission_checks.order_by("-pk").first()
    assert check is not None
    return check


def test_only_a_branch_head_escalates(manager, farmer, reviewer) -> None:
    check = latest(prudent(manager, farmer))
    with pytest.raises(DomainError) as refused:
        services.escalate(manager, check, {"reason": "我担保"})
    assert refused.value.code == "not_branch_head"
    with pytest.raises(PermissionDenied):
        services.escalate(reviewer, check, {"reason": "同意"})
    check.refresh_from_db()
    assert check.escalated_at is None


def test_only_a_prudent_check_is_escalated(manager, farmer, branch_head) -> None:
    check = latest(ready_to_accept(manager, farmer))
    assert check.outcome == "admit"
    with pytest.raises(DomainError) as refused:
        services.escalate(branch_head, check, {"reason": "同意"})
    assert refused.value.code == "not_prudent"


@pytest.mark.parametrize("reason", ["", "  "])
def test_an_escalation_needs_a_reason(manager, farmer, branch_head, reason) -> None:
    check = latest(prudent(manager, farmer))
    with pytest.raises(FormInvalid) as refused:
        services.escalate(branch_head, check, {"reason": reason})
    assert refused.value.details == {"reason": [REQUIRED]}


def test_a_stale_check_is_not_escalated(manager, farmer, branch_head) -> None:
    check = latest(prudent(manager, farmer))
    farmer.industry_code = "0111"  # the archive changed after the check
    farmer.save()
    with pytest.raises(DomainError) as refused:
        services.escalate(branch_head, check, {"reason": "同意"})
    assert refused.value.code == "stale_check"


def test_an_escalation_is_recorded_once(manager, farmer, branch_head) -> None:
    check = latest(prudent(manager, farmer))
    services.escalate(branch_head, check, {"reason": "风险可控"})
    check.refresh_from_db()
    assert (check.escalated_by, check.escalation_reason) == (branch_head, "风险可控")
    with pytest.raises(DomainError) as refused:
        services.escalate(branch_head, check, {"reason": "再次同意"})
    assert refused.value.code == "already_escalated"
    event = AuditEvent.objects.get(action="credit.admission_escalated")
    assert (event.actor_username, event.reason) == ("head1", "风险可控")


# ---- separation of duties ------------------------------------------------------------------


def test_a_co_investigator_who_is_also_a_reviewer_cannot_review_his_case(
    manager, farmer, reviewer, tree, make_user
) -> None:
    both = make_user("zhao", tree["O11"], Role.CO_INVESTIGATOR, Role.REVIEWER, full_name="赵兼岗")
    application = ready_to_accept(manager, farmer)
    services.take(manager, application, "accept")
    services.set_co_investigator(manager, application, {"co_investigator": both.pk})
    services.take(manager, application, "start_investigation")
    # The investigation itself (its report and submission) is a later issue: put the case in
    # 审贷分析 directly, as if the investigation had been submitted.
    CreditApplication.objects.filter(pk=application.pk).update(stage="review")
    application.refresh_from_db()

    with pytest.raises(TransitionRefused) as refused:
        services.take(both, application, "review")
    assert refused.value.details["separation"] == ["调查人不能审查或审批自己调查的申请（审贷分离）"]
    from xindai.credit import review

    answers = {item.key: {"result": "ok"} for item in review.REVIEW_ITEMS}
    review.record_opinion(reviewer, application, answers, "同意提交审批")
    services.take(reviewer, application, "review")
    application.refresh_from_db()
    assert application.stage == "approval"


# ---- one refusal, whichever way it is asked ------------------------------------------------


def test_a_refusal_says_the_same_through_the_service_the_api_and_the_page(
    manager, farmer, login
) -> None:
    application = submitted(manager, farmer)
    with pytest.raises(TransitionRefused) as refused:
        services.take(manager, application, "accept")
    details = {
        "consent": ["未登记客户书面征信查询授权（谁、何时、用途）"],
        "credit_report": ["尚未录入征信报告摘要"],
        "admission": [STALE],
    }
    assert refused.value.details == details
    message = "不能“受理”：" + "；".join(text for texts in details.values() for text in texts)
    assert refused.value.message == message

    client = login(manager)
    api = client.post(
        f"/api/v1/applications/{application.pk}/transitions/accept", content_type="application/json"
    )
    assert api.status_code == 409
    assert api.json() == {"code": "transition_refused", "message": message, "details": details}

    page = client.post(f"/credit/applications/{application.pk}/take/accept/")
    assert page.status_code == 302
    assert [m.message for m in get_messages(page.wsgi_request)] == [message]
    assert not StageEvent.objects.filter(transition="accept").exists()


# ---- a step taken twice --------------------------------------------------------------------


def test_submitting_twice_is_refused_the_second_time(manager, farmer) -> None:
    application = submitted(manager, farmer)
    with pytest.raises(TransitionRefused) as refused:
        services.take(manager, application, "submit")
    assert refused.value.details == {"stage": ["处于“申请受理”阶段的申请不能“提交申请”"]}
    assert StageEvent.objects.filter(transition="submit").count() == 1


def test_accepting_twice_is_refused_the_second_time(manager, farmer) -> None:
    application = ready_to_accept(manager, farmer)
    services.take(manager, application, "accept")
    with pytest.raises(TransitionRefused) as refused:
        services.take(manager, application, "accept")
    assert refused.value.details == {"accepted": ["申请已受理"]}
    assert StageEvent.objects.filter(transition="accept").count() == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's in-memory test database is one connection; PostgreSQL has many",
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migration_data")
@pytest.mark.parametrize(
    ("name", "refusal"),
    [
        ("submit", {"stage": ["处于“申请受理”阶段的申请不能“提交申请”"]}),
        ("accept", {"accepted": ["申请已受理"]}),
    ],
)
def test_two_clicks_at_once_move_the_application_once(manager, farmer, name, refusal) -> None:
    if name == "submit":
        data = application_data(farmer_product())
        application = services.create_application(manager, farmer, data, submit=False)
    else:
        application = ready_to_accept(manager, farmer)
    start = threading.Barrier(2)
    taken: list[object] = []
    refused: list[dict[str, list[str]]] = []
    failures: list[BaseException] = []

    def click() -> None:
        try:
            user = User.objects.get(pk=manager.pk)
            mine = CreditApplication.objects.get(pk=application.pk)
            start.wait()
            taken.append(services.take(user, mine, name))
        except TransitionRefused as exc:
            refused.append(exc.details)
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert (len(taken), refused) == (1, [refusal])
    assert StageEvent.objects.filter(application=application, transition=name).count() == 1


# ---- data scope ----------------------------------------------------------------------------


def test_another_branch_does_not_see_the_application(
    manager, farmer, colleague, branch_head, reviewer, tree, make_user
) -> None:
    application = submitted(manager, farmer)
    far_reviewer = make_user("feng", tree["B2"], Role.REVIEWER)
    assert queries.application_for(manager, application.pk) == application
    assert queries.application_for(branch_head, application.pk) == application  # B1 ⊃ O11
    assert queries.application_for(reviewer, application.pk) == application
    for user in (colleague, far_reviewer):
        with pytest.raises(Http404):
            queries.application_for(user, application.pk)
        assert not queries.visible_applications(user).exists()


# ---- facts ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "payment"),
    [
        # 100,000 元 at 4.00% (LPR 3.00% + 100 bp) for 12 months:
        ("interest_only", Decimal("333.33")),  # 100,000 × 4% / 12; the principal at maturity
        # is no regular payment
        ("equal_installment", Decimal("8514.99")),  # P·r / (1 − (1 + r)^−12), r = 4% / 12
    ],
)
def test_the_new_monthly_payment_is_the_largest_regular_one(
    manager, farmer, method, payment
) -> None:
    application = submitted(manager, farmer, repayment_method=method)
    assert facts.new_monthly_payment(application, TODAY) == payment


def test_a_business_whose_operator_is_blacklisted_is_blacklisted(manager, today) -> None:
    """The list holds people and businesses: the operator of a 个体工商户 who is on it puts his
    business's application on it too."""
    operator = resident_id(born=dt.date(1975, 3, 2), seq=789)
    business = Customer.objects.create(
        kind="business",
        name="大山农资店",
        id_type="credit_code",
        id_number=credit_code(),
        manager=manager,
        org_unit=manager.org_unit,
    )
    sm.HouseholdMember.objects.create(
        customer=business, relation="operator", name="王大山", sex="M", id_number=operator
    )
    RiskListEntry.objects.create(
        kind="blacklist", id_number=operator, name="王大山", reason="恶意逃废债"
    )
    application = CreditApplication.objects.create(
        customer=business,
        product=farmer_product(),
        amount=Decimal(100_000),
        term_months=12,
        purpose="personal_business",
        purpose_text="进货",
        repayment_method="equal_installment",
        guarantee_methods=["guarantee"],
        source="walk_in",
        manager=manager,
        org_unit=manager.org_unit,
    )
    found = facts.admission_facts(application, TODAY)
    assert (found.blacklisted, found.blacklist_reason, found.related_party) == (
        True,
        "恶意逃废债",
        False,
    )
    assert found.borrower_birth_date == dt.date(1975, 3, 2)
