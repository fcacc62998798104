"""Use cases of the credit process: each loads, asks the pure modules, saves once in one
transaction and writes an audit event. Pages, the API and the CLI all come through here."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from xindai.audit import services as audit
from xindai.core.errors import DomainError, FormInvalid
from xindai.core.problems import Problem, by_field
from xindai.credit import admission, facts, intake, stages
from xindai.credit.forms import (
    ApplicationForm,
    CoInvestigatorForm,
    CollateralForm,
    ConsentForm,
    CreditReportForm,
    ReasonForm,
)
from xindai.credit.models import (
    AdmissionCheck,
    ApplicationCollateral,
    ApplicationGuarantor,
    CreditApplication,
    CreditQueryConsent,
    CreditReportSummary,
    PolicyVersion,
    StageEvent,
)
from xindai.credit.policy import Policy
from xindai.customers.forms import errors_of
from xindai.customers.models import Customer
from xindai.customers.services import as_of_today, require, unit_of
from xindai.org.scope import visible

OBJECT_TYPE = "credit.creditapplication"


class TransitionRefused(DomainError):
    """A transition whose conditions are not met; ``details`` lists them by key."""

    status = 409
    code = "transition_refused"


def _texts(problems: list[Problem]) -> dict[str, list[str]]:
    return by_field(problems, gettext)


def _invalid(message: str, form: Any) -> FormInvalid:
    return FormInvalid(message, details=errors_of(form))


def audit_event(actor: Any, action: str, application: CreditApplication, **kwargs: Any) -> None:
    """An audit event about an application (every credit use case writes one)."""
    audit.record(action, actor=actor, object_type=OBJECT_TYPE, object_id=application.pk, **kwargs)


# ---- intake ------------------------------------------------------------------------------


def create_application(
    actor: Any, customer: Customer, data: dict[str, Any], *, submit: bool = True
) -> CreditApplication:
    """A new application for a customer the actor manages, submitted (申请受理) at once unless
    ``submit`` is false (then it stays in 营销 as a lead's application)."""
    require(actor, "credit.add_creditapplication")
    if not visible(Customer.objects.filter(pk=customer.pk), actor, owner_field="manager").exists():
        raise PermissionDenied("customer")
    form = ApplicationForm(data, actor=actor, customer=customer)
    if not form.is_valid():
        raise _invalid(gettext("申请信息有误，未保存"), form)
    with transaction.atomic():
        application = form.save(commit=False)
        application.customer = customer
        application.manager = actor
        application.org_unit = unit_of(actor)
        problems = facts.product_problems(application)
        if problems:
            raise FormInvalid(gettext("申请超出产品范围，未保存"), details=_texts(problems))
        application.save()
        application.number = f"SQ{as_of_today():%Y}{application.pk:06d}"
        application.save(update_fields=["number"])
        for guarantor in form.cleaned_data["guarantors"]:
            ApplicationGuarantor.objects.create(application=application, guarantor=guarantor)
        audit_event(actor, "credit.application_created", application, changes=_summary(application))
        if submit:
            take(actor, application, "submit")
    return application


def _summary(application: CreditApplication) -> dict[str, Any]:
    return {
        "number": application.number,
        "customer": application.customer_id,
        "product": application.product.code,
        "amount": str(application.amount),
        "term_months": application.term_months,
        "purpose": application.purpose,
        "repayment_method": application.repayment_method,
        "guarantee_methods": list(application.guarantee_methods),
    }


def _editable(actor: Any, application: CreditApplication) -> None:
    require(actor, "credit.change_creditapplication")
    if actor.pk != application.manager_id:
        raise DomainError(gettext("只有本笔申请的管户客户经理可以办理"), code="not_manager")
    if application.stage not in (stages.Stage.MARKETING, stages.Stage.INTAKE):
        raise DomainError(gettext("申请已进入实地调查，受理资料不能再修改"), code="not_in_intake")
    if application.accepted_at is not None:
        raise DomainError(gettext("申请已受理，受理资料不能再修改"), code="already_accepted")


def register_editable(actor: Any, application: CreditApplication) -> None:
    """Who may add to the collateral register and assess the guarantors: the manager at
    intake (as any intake record), either investigator during 实地调查."""
    if application.stage != stages.Stage.INVESTIGATION:
        _editable(actor, application)
        return
    require(actor, "credit.view_creditapplication")
    if actor.pk not in (application.manager_id, application.co_investigator_id):
        raise DomainError(gettext("只有本笔申请的调查人可以办理"), code="not_investigator")


def add_collateral(
    actor: Any, application: CreditApplication, data: dict[str, Any]
) -> ApplicationCollateral:
    """An item of the collateral register, at intake or during the investigation."""
    register_editable(actor, application)
    form = CollateralForm(data)
    if not form.is_valid():
        raise _invalid(gettext("押品信息有误，未保存"), form)
    with transaction.atomic():
        item = form.save(commit=False)
        item.application = application
        item.save()
        audit_event(actor, "credit.collateral_added", application, changes=form.cleaned_data)
    return item


def record_consent(
    actor: Any, application: CreditApplication, data: dict[str, Any], files: Any
) -> CreditQueryConsent:
    """征信查询授权: who signed, when, for what purpose, and the scanned authorisation."""
    from xindai.customers.documents import check_upload  # the archive's upload checks

    _editable(actor, application)
    if hasattr(application, "consent"):
        raise DomainError(gettext("已登记征信查询授权"), code="consent_exists")
    form = ConsentForm(data, files)
    if not form.is_valid():
        raise _invalid(gettext("授权信息有误，未保存"), form)
    try:
        _content_type, sha256 = check_upload(form.cleaned_data["scan"])
    except FormInvalid as exc:  # the archive's checks name their field "file"
        raise FormInvalid(exc.message, details={"scan": exc.details.get("file", [])}) from exc
    if form.cleaned_data["signed_on"] > as_of_today():
        raise FormInvalid(
            gettext("授权日期不能晚于今天"),
            details={"signed_on": [gettext("授权日期不能晚于今天")]},
        )
    with transaction.atomic():
        consent = form.save(commit=False)
        consent.application = application
        consent.scan_sha256 = sha256
        consent.recorded_by = actor
        consent.save()
        changes = {"signed_by": consent.signed_by, "signed_on": consent.signed_on}
        changes |= {"purpose": consent.purpose, "sha256": sha256}
        audit_event(actor, "credit.consent_recorded", application, changes=changes)
    return consent


def record_credit_report(
    actor: Any, application: CreditApplication, data: dict[str, Any]
) -> CreditReportSummary:
    _editable(actor, application)
    if not hasattr(application, "consent"):
        raise DomainError(
            gettext("须先登记客户书面征信查询授权，才能查询和录入征信报告"), code="no_consent"
        )
    existing = getattr(application, "credit_report", None)
    form = CreditReportForm(data, instance=existing)
    if not form.is_valid():
        raise _invalid(gettext("征信摘要有误，未保存"), form)
    with transaction.atomic():
        report = form.save(commit=False)
        report.application = application
        report.entered_by = actor
        report.save()
        audit_event(actor, "credit.credit_report_entered", application, changes=form.cleaned_data)
    return report


def set_co_investigator(
    actor: Any, application: CreditApplication, data: dict[str, Any]
) -> CreditApplication:
    require(actor, "credit.change_creditapplication")
    if application.stage not in (stages.Stage.INTAKE, stages.Stage.INVESTIGATION):
        raise DomainError(gettext("只能在受理或调查阶段指定协办调查人"), code="wrong_stage")
    if actor.pk != application.manager_id:
        raise DomainError(gettext("只有管户客户经理可以指定协办调查人"), code="not_manager")
    form = CoInvestigatorForm(data, actor=actor)
    if not form.is_valid():
        raise _invalid(gettext("请选择协办调查人"), form)
    with transaction.atomic():
        application.co_investigator = form.cleaned_data["co_investigator"]
        application.save(update_fields=["co_investigator", "updated_at"])
        changes = {"co_investigator": application.co_investigator.username}
        audit_event(actor, "credit.co_investigator_set", application, changes=changes)
    return application


# ---- admission ---------------------------------------------------------------------------


def check_admission(actor: Any, application: CreditApplication) -> AdmissionCheck:
    """Run the admission engine on today's facts and keep the decision with its reasons and
    the policy version it used."""
    require(actor, "credit.change_creditapplication")
    # The facts as stored, not as an instance in memory may hold them (an amount just typed
    # as "100000" is stored as 100000.00; a consent recorded since is not cached as missing).
    application = CreditApplication.objects.select_related("customer", "product").get(
        pk=application.pk
    )
    as_of = as_of_today()
    version, policy = facts.current_policy()
    found = facts.admission_facts(application, as_of)
    decision = admission.evaluate(found, policy)
    with transaction.atomic():
        check = AdmissionCheck.objects.create(
            application=application,
            outcome=decision.outcome.value,
            results=[_result_json(r) for r in decision.results],
            facts=facts.plain(found),
            fingerprint=facts.fingerprint(found, version),
            policy_version=version,
            as_of=as_of,
            checked_by=actor,
        )
        unmet = [r.rule for r in decision.unmet]
        changes = {"outcome": decision.outcome.value, "unmet": unmet, "policy": version.number}
        audit_event(actor, "credit.admission_checked", application, changes=changes)
    return check


def _result_json(result: admission.RuleResult) -> dict[str, Any]:
    return {
        "rule": result.rule,
        "outcome": result.outcome.value,
        "template": result.message.template,
        "params": dict(result.message.params),
        "facts": dict(result.facts),
    }


def escalate(actor: Any, check: AdmissionCheck, data: dict[str, Any]) -> AdmissionCheck:
    """A branch head lets a 审慎 decision go on, with his reason (审慎 needs an escalation)."""
    require(actor, "credit.change_creditapplication")
    roles = facts.actor_of(actor).roles
    if stages.BRANCH_HEAD not in roles:
        raise DomainError(gettext("只有支行行长可以审核审慎类申请"), code="not_branch_head")
    form = ReasonForm(data)
    if not form.is_valid():
        raise _invalid(gettext("请填写同意的理由"), form)
    application = check.application
    with transaction.atomic():
        locked = AdmissionCheck.objects.select_for_update().get(pk=check.pk)
        if locked.outcome != admission.Outcome.PRUDENT:
            raise DomainError(gettext("只有结论为审慎的检查需要审核"), code="not_prudent")
        if locked.escalated_at is not None:
            raise DomainError(gettext("该检查已审核同意"), code="already_escalated")
        if facts.current_check(application, as_of_today()) != locked:
            raise DomainError(
                gettext("申请或档案在检查后已有变动：请重新进行准入检查"), code="stale_check"
            )
        locked.escalated_by = actor
        locked.escalation_reason = form.cleaned_data["reason"]
        locked.escalated_at = timezone.now()
        locked.save(update_fields=["escalated_by", "escalation_reason", "escalated_at"])
        audit_event(
            actor,
            "credit.admission_escalated",
            application,
            changes={"check": locked.pk},
            reason=locked.escalation_reason,
        )
    return locked


# ---- transitions -------------------------------------------------------------------------


def unmet(actor: Any, application: CreditApplication, name: str, reason: str = "") -> list[Problem]:
    case = facts.case_of(application, as_of_today())
    return stages.unmet(name, case, facts.actor_of(actor), reason=reason)


def take(actor: Any, application: CreditApplication, name: str, reason: str = "") -> StageEvent:
    """Take transition ``name``, or ``TransitionRefused`` listing every unmet condition. The
    application row is locked, so two clicks at once move it once."""
    require(actor, "credit.view_creditapplication")
    stages.transition(name)  # UnknownTransition for a name that does not exist
    with transaction.atomic():
        locked = CreditApplication.objects.select_for_update().get(pk=application.pk)
        problems = unmet(actor, locked, name, reason)
        if problems:
            label = gettext(stages.BY_NAME[name].label)
            message = gettext("不能“%(action)s”：") % {"action": label}
            message += gettext("；").join(p.text(gettext) for p in problems)
            raise TransitionRefused(message, details=_texts(problems))
        event = _apply(actor, locked, name, reason.strip())
    application.refresh_from_db()
    return event


def _apply(actor: Any, application: CreditApplication, name: str, reason: str) -> StageEvent:
    version, policy = facts.current_policy()
    today = as_of_today()
    source = stages.Stage(application.stage)
    target = stages.transition(name).target or source
    details: dict[str, Any] = {}
    if name == "submit":
        application.submitted_on = today
        application.answer_due = intake.answer_due(today, application.term_months, policy)
        application.policy_version = version
        details["answer_due"] = application.answer_due.isoformat()
    if name == "accept":
        application.accepted_at = timezone.now()
        check = facts.current_check(application, today)
        details["admission"] = {"check": check.pk, "outcome": check.outcome} if check else {}
    if target in stages.ENDS:
        application.closed_on = today
    if target != source:
        application.stage = target.value
        application.stage_since = timezone.now()
    application.save()
    event = StageEvent.objects.create(
        application=application,
        transition=name,
        from_stage=source.value,
        to_stage=target.value,
        actor=actor,
        business_date=today,
        reason=reason,
        details=details,
        policy_version=version,
    )
    changes = {"from": source.value, "to": target.value, "policy": version.number} | details
    audit_event(actor, f"credit.{name}", application, changes=changes, reason=reason)
    return event


# ---- policy ------------------------------------------------------------------------------


def new_policy_version(actor: Any, params: dict[str, Any], reason: str) -> PolicyVersion:
    """风险合规 changes the policy: a new version with a required reason. ``params`` are the
    parameters to change; those not given keep the current version's values."""
    require(actor, "credit.edit_policy")
    if not reason.strip():
        raise FormInvalid(
            gettext("请填写修改理由"), details={"reason": [gettext("请填写修改理由")]}
        )
    with transaction.atomic():
        facts.current_policy()  # the first version, if there is none yet
        # One writer at a time: lock the latest version, then read it again, since another
        # writer may have added one while this one waited for the lock.
        PolicyVersion.objects.select_for_update().order_by("-number").first()
        current, old = facts.current_policy()
        try:
            policy = Policy.from_params(old.to_params() | dict(params))
        except ValueError as exc:
            raise FormInvalid(gettext("参数有误"), details={"params": [str(exc)]}) from exc
        problems = policy.problems()
        if problems:
            raise FormInvalid(gettext("参数有误"), details=_texts(problems))
        version = PolicyVersion.objects.create(
            number=current.number + 1, params=policy.to_params(), reason=reason, created_by=actor
        )
        changed = {
            key: {"from": before, "to": after}
            for key, before in old.to_params().items()
            if (after := policy.to_params()[key]) != before
        }
        audit.record(
            "credit.policy_changed",
            actor=actor,
            object_type="credit.policyversion",
            object_id=version.pk,
            changes={"number": version.number, "changed": changed},
            reason=reason,
        )
    return version
