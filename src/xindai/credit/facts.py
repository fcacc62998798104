"""What the pure modules need, read from the database: the current policy, an application's
admission facts and the facts the stage machine's guards read. Reads only; no writes except
the first policy version, created from the defaults the first time a policy is asked for."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import DatabaseError, transaction
from django.db.models import Max

from xindai.analysis.repayment import monthly_payment
from xindai.core.errors import DomainError
from xindai.core.identity import birth_date, sex_of
from xindai.core.money import to_fen
from xindai.core.problems import Problem
from xindai.credit import authority, intake, investigation_items, stages
from xindai.credit.admission import (
    AdmissionFacts,
    Capacity,
    CreditReportFacts,
    IndustryStance,
    LicenceFacts,
    PermitFacts,
)
from xindai.credit.models import (
    AdmissionCheck,
    CreditApplication,
    IndustryPolicy,
    Investigation,
    PolicyVersion,
    RiskListEntry,
    RiskListKind,
)
from xindai.credit.policy import Policy
from xindai.customers import section_models as sm
from xindai.customers.models import Customer, CustomerKind, DocumentType
from xindai.loans.schedule import LoanTerms, Method, build

INITIAL_REASON = "初始版本：shared/RULES.md 默认值"


def current_policy() -> tuple[PolicyVersion, Policy]:
    version = PolicyVersion.objects.order_by("-number").first()
    if version is None:
        with transaction.atomic():
            version, _created = PolicyVersion.objects.get_or_create(
                number=1, defaults={"params": Policy().to_params(), "reason": INITIAL_REASON}
            )
    return version, Policy.from_params(version.params)


def product_terms(application: CreditApplication) -> intake.ProductTerms:
    p = application.product
    return intake.ProductTerms(
        name=p.name,
        purpose=p.purpose,
        customer_kinds=frozenset(p.customer_kinds),
        min_amount=p.min_amount,
        max_amount=p.max_amount,
        min_term=p.min_term,
        max_term=p.max_term,
        methods=frozenset(p.repayment_methods),
        guarantees=frozenset(p.guarantee_methods),
        active=p.is_active,
    )


def request_of(application: CreditApplication) -> intake.Request:
    return intake.Request(
        customer_kind=application.customer.kind,
        amount=application.amount,
        term_months=application.term_months,
        purpose=application.purpose,
        repayment_method=application.repayment_method,
        guarantees=frozenset(application.guarantee_methods),
    )


def product_problems(application: CreditApplication) -> list[Problem]:
    return intake.product_fit(product_terms(application), request_of(application))


def missing_documents(application: CreditApplication, as_of: dt.date) -> list[str]:
    """Checklist document types the archive lacks (or holds only expired)."""
    customer = application.customer
    needed = intake.checklist(
        customer.kind, application.purpose, frozenset(application.guarantee_methods)
    )
    valid = set()
    for doc_type, expires_on in customer.documents.values_list("doc_type", "expires_on"):
        if expires_on is None or expires_on >= as_of:
            valid.add(doc_type)
    return [doc for doc in needed if doc not in valid]


def document_label(doc_type: str) -> str:
    return str(DocumentType(doc_type).label)


# ---- admission facts ---------------------------------------------------------------------


def _borrower_id(customer: Customer) -> str | None:
    if customer.kind == CustomerKind.FARMER:
        return customer.id_number
    if customer.kind == CustomerKind.BUSINESS:
        operator = (
            sm.HouseholdMember.objects.filter(customer=customer, relation__in=["operator", "head"])
            .exclude(id_number="")
            .order_by("relation")  # "head" before "operator": either is the person who borrows
            .values_list("id_number", flat=True)
            .first()
        )
        return operator
    return None


def _industry(code: str) -> IndustryPolicy | None:
    prefixes = [code[:n] for n in range(len(code), 1, -1)]
    rows = {row.code: row for row in IndustryPolicy.objects.filter(code__in=prefixes)}
    return next((rows[p] for p in prefixes if p in rows), None)


def _licence(customer: Customer) -> LicenceFacts | None:
    row = sm.Licence.objects.filter(customer=customer).first()
    if row is None:
        return None
    return LicenceFacts(
        row.registered_on, row.valid_until, row.annual_report, row.annual_report_year
    )


def _account_here(customer: Customer) -> bool:
    if customer.kind == CustomerKind.FARMER:
        return sm.FinancialAsset.objects.filter(customer=customer, category="deposit_here").exists()
    return sm.BankAccount.objects.filter(
        customer=customer, held_here=True, account_type__in=["basic", "general", "personal"]
    ).exists()


def monthly_income(customer: Customer) -> Decimal | None:
    """Household income of last year / 12 (农户), the business's monthly profit (个体工商户),
    the latest year's net profit / 12 (企业)."""
    if customer.kind == CustomerKind.FARMER:
        items = sm.IncomeItem.objects.filter(customer=customer, period="last_year")
        yearly = sum((item.amount for item in items), Decimal(0))
        return to_fen(yearly / 12) if yearly else None
    if customer.kind == CustomerKind.BUSINESS:
        operations = sm.BusinessOperations.objects.filter(customer=customer).first()
        return operations.monthly_profit if operations else None
    statement = sm.FinancialStatement.objects.filter(customer=customer).order_by("-period_end")
    latest = statement.first()
    return to_fen(latest.net_profit / 12) if latest else None


def new_monthly_payment(application: CreditApplication, as_of: dt.date) -> Decimal:
    """The applied loan's largest regular monthly payment (``AdmissionFacts``), at the
    product's rate on ``as_of``: the installment (等额本息, 平息), the first and largest
    payment (等额本金), the monthly interest (付息到期还本: the principal repaid at maturity is
    no regular payment). A 利随本清 loan has no regular payment: its whole repayment counts,
    spread over the term."""
    rate = application.product.effective_rate(as_of)
    terms = LoanTerms(
        principal=application.amount,
        annual_rate=rate,
        periods=application.term_months,
        method=Method(application.repayment_method),
        start=as_of,
    )
    return to_fen(monthly_payment(build(terms)))


def _listed(id_numbers: set[str], kind: RiskListKind) -> RiskListEntry | None:
    return (
        RiskListEntry.objects.filter(kind=kind, active=True, id_number__in=id_numbers)
        .order_by("pk")
        .first()
    )


def admission_facts(application: CreditApplication, as_of: dt.date) -> AdmissionFacts:
    customer = application.customer
    person = _borrower_id(customer)
    industry = _industry(customer.industry_code or "")
    report = getattr(application, "credit_report", None)
    consent = hasattr(application, "consent")
    # the customer (a credit code or the household head's ID) and the person who borrows
    # (a business's operator): either on a list puts the application on it
    listed_ids = {customer.id_number} | ({person} if person else set())
    blacklist = _listed(listed_ids, RiskListKind.BLACKLIST)
    return AdmissionFacts(
        as_of=as_of,
        customer_kind=customer.kind,
        borrower_birth_date=birth_date(person) if person else None,
        borrower_sex=sex_of(person) if person else None,
        legal_capacity=Capacity(application.legal_capacity),
        amount=application.amount,
        term_months=application.term_months,
        purpose=application.purpose,
        long_cycle=application.product.long_cycle,
        repayment_method=application.repayment_method,
        guarantees=frozenset(application.guarantee_methods),
        industry_code=customer.industry_code or "",
        industry_stance=IndustryStance(industry.stance) if industry else None,
        industry_requires_permit=bool(industry and industry.requires_permit),
        licence=_licence(customer),
        permits=tuple(
            PermitFacts(p.name, p.expires_on)
            for p in sm.SpecialPermit.objects.filter(customer=customer)
        ),
        account_here=_account_here(customer),
        credit_report=_report_facts(report, consent),
        monthly_income=monthly_income(customer),
        new_monthly_payment=new_monthly_payment(application, as_of),
        related_party=_listed(listed_ids, RiskListKind.RELATED_PARTY) is not None,
        blacklisted=blacklist is not None,
        blacklist_reason=blacklist.reason if blacklist else "",
    )


def _report_facts(report: Any, consent: bool) -> CreditReportFacts | None:
    if report is None:
        return None
    return CreditReportFacts(
        consent_recorded=consent,
        max_consecutive_overdue_24m=report.max_consecutive_overdue_24m,
        total_overdue_24m=report.total_overdue_24m,
        current_overdue_amount=report.current_overdue_amount,
        other_bank_lenders=report.other_bank_lenders,
        other_bank_debt=report.other_bank_debt,
        monthly_debt_service=report.monthly_debt_service,
    )


def plain(facts: AdmissionFacts, *, canonical: bool = False) -> dict[str, Any]:
    """The facts as JSON-ready data (dates ISO, amounts strings, sets sorted). ``canonical``
    writes equal amounts alike (``100000`` and ``100000.00`` are the same amount)."""

    def convert(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: convert(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [convert(v) for v in value]
        if isinstance(value, frozenset | set):
            return sorted(convert(v) for v in value)
        if isinstance(value, Decimal) and canonical:
            return format(value.normalize(), "f")
        if isinstance(value, dt.date | Decimal):
            return str(value)
        return value

    return {k: convert(v) for k, v in dataclasses.asdict(facts).items()}


def fingerprint(facts: AdmissionFacts, version: PolicyVersion) -> str:
    """The same facts under the same policy version give the same fingerprint; the business
    date is left out, so a check stays current across days while nothing changes."""
    data = plain(facts, canonical=True) | {"as_of": None, "policy_version": version.number}
    text = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


# ---- the stage machine's case ------------------------------------------------------------


def latest_check(application: CreditApplication) -> AdmissionCheck | None:
    return application.admission_checks.order_by("-checked_at", "-pk").first()


def current_check(application: CreditApplication, as_of: dt.date) -> AdmissionCheck | None:
    """The latest admission check if the facts and the policy version have not changed since."""
    check = latest_check(application)
    if check is None:
        return None
    version, _policy = current_policy()
    try:
        now = fingerprint(admission_facts(application, as_of), version)
    except DomainError:  # the facts cannot be read today (no LPR quote): not current
        return None
    return check if check.fingerprint == now else None


def case_of(application: CreditApplication, as_of: dt.date) -> stages.Case:
    _version, policy = current_policy()
    stage = stages.Stage(application.stage)
    stage_facts: dict[str, Any] = {}
    if stage == stages.Stage.INTAKE:  # accepted too: a second 受理 is refused for that alone
        check = current_check(application, as_of)
        stage_facts = {
            "archive_completeness": application.customer.completeness,
            "min_archive_completeness": policy.min_archive_completeness,
            "missing_documents": tuple(
                document_label(d) for d in missing_documents(application, as_of)
            ),
            "consent_recorded": hasattr(application, "consent"),
            "credit_report_entered": hasattr(application, "credit_report"),
            "admission_outcome": check.outcome if check else None,
            "escalated": bool(check and check.escalated_at),
        }
    if stage == stages.Stage.INVESTIGATION:
        stage_facts = investigation_facts(application)
    if stage == stages.Stage.APPROVAL:
        stage_facts = approval_facts(application, policy)
    if stage == stages.Stage.DISBURSEMENT:
        stage_facts = {"loan_exists": loan_exists(application)}
    return stages.Case(
        stage=stage,
        manager_id=application.manager_id,
        co_investigator_id=application.co_investigator_id,
        product_problems=tuple(product_problems(application))
        if stage in (stages.Stage.MARKETING, stages.Stage.INTAKE)
        else (),
        accepted=application.accepted_at is not None,
        reviewer_ids=frozenset(application.review_opinions.values_list("reviewer_id", flat=True)),
        **stage_facts,
    )


# ---- the investigation's facts (实地调查) ----------------------------------------------------


def investigation_facts(application: CreditApplication) -> dict[str, Any]:
    """What ``submit_investigation``'s guards read. Confirmations and a report count only when
    they are newer than the last return for rework: a case sent back is investigated again."""
    record = Investigation.objects.filter(application=application).first()
    reopened = reopened_at(application)
    return {
        "visit_recorded": visit_recorded(record),
        "checklist_missing": investigation_items.missing(
            application.customer.kind, record.checklist if record else {}
        ),
        "analysis_done": analysis_done(application.customer),
        "limit_computed": application.limit_assessments.exists(),
        "report_finalised": report_finalised(application, record, reopened),
        "confirmed_by": confirmed_by(application, reopened),
    }


def visit_recorded(record: Investigation | None) -> bool:
    return record is not None and record.visited_at is not None and bool(record.place.strip())


def analysis_done(customer: Customer) -> bool:
    """A farmer's household statement is built from the archive: it needs last year's income.
    A business or an enterprise needs statements entered in the analysis app (``StatementSet``);
    while that app is not installed or migrated, there is no analysis."""
    if customer.kind == CustomerKind.FARMER:
        return sm.IncomeItem.objects.filter(customer=customer, period="last_year").exists()
    try:
        statements = apps.get_model("analysis", "StatementSet")
    except LookupError:
        return False
    try:
        with transaction.atomic():  # a savepoint: a missing table must not break the caller's
            return bool(statements._default_manager.filter(customer=customer).exists())
    except DatabaseError:
        return False


def reopened_at(application: CreditApplication) -> dt.datetime | None:
    """When the case was last returned for rework (退回补充调查), if ever."""
    found = application.events.filter(transition="return_for_rework").aggregate(last=Max("at"))
    return found["last"]


def record_changed_at(
    application: CreditApplication, record: Investigation | None
) -> dt.datetime | None:
    """The last change to the investigation record: the visit and checklist, or a file added."""
    files = application.investigation_files.aggregate(last=Max("uploaded_at"))["last"]
    times = [t for t in (record.updated_at if record else None, files) if t is not None]
    return max(times, default=None)


def report_finalised(
    application: CreditApplication, record: Investigation | None, reopened: dt.datetime | None
) -> bool:
    """A report was finalised after the record last changed and after the last rework: a
    report written before the facts it reports on changed is out of date. (Simple on purpose:
    the time of the newest report against the times of those two events.)"""
    latest = application.reports.aggregate(last=Max("finalised_at"))["last"]
    if latest is None:
        return False
    after = [t for t in (record_changed_at(application, record), reopened) if t is not None]
    return all(latest > t for t in after)


def confirmed_by(application: CreditApplication, reopened: dt.datetime | None) -> frozenset[int]:
    confirmations = application.confirmations.all()
    if reopened is not None:
        confirmations = confirmations.filter(confirmed_at__gt=reopened)
    return frozenset(confirmations.values_list("investigator_id", flat=True))


def actor_of(user: Any) -> stages.Actor:
    return stages.Actor(user.pk, frozenset(spec.role.value for spec in user.role_specs()))


# ---- 审贷小组与审批 (issue 7) ------------------------------------------------------------------


def drafted_terms(application: CreditApplication) -> Any:
    """At 审批 the only terms not superseded are those the approval service is creating (in the
    approve transaction, before the transition): a change supersedes the current ones."""
    from xindai.credit.models_approval import ApprovedTerms

    return (
        ApprovedTerms.objects.filter(application=application, superseded_at__isnull=True)
        .order_by("-version")
        .first()
    )


def committee_required(application: CreditApplication, policy: Policy) -> bool:
    return application.amount > policy.committee_threshold


def committee_meeting(application: CreditApplication) -> Any:
    """The meeting closed since the case last entered 审批 (None: none yet): a decision taken
    before a rework or a change of terms does not count."""
    from xindai.credit.models_approval import CommitteeMeeting, MeetingStatus

    return (
        CommitteeMeeting.objects.filter(
            application=application,
            status=MeetingStatus.CLOSED,
            closed_at__gte=application.stage_since,
        )
        .order_by("-closed_at", "-pk")
        .first()
    )


def approval_facts(application: CreditApplication, policy: Policy) -> dict[str, Any]:
    terms = drafted_terms(application)
    meeting = committee_meeting(application)
    guarantees = terms.guarantee_methods if terms else application.guarantee_methods
    return {
        "committee_required": committee_required(application, policy),
        "committee_decision": meeting.decision if meeting else None,
        "terms_drafted": terms is not None,
        "approval_amount": terms.amount if terms else application.amount,
        "authority_limits": authority_limits(application, guarantees),
    }


def authority_rules() -> list[authority.Rule]:
    from xindai.credit.models_approval import AuthorityRule

    return [
        authority.Rule(
            role=row.role,
            max_amount=row.max_amount,
            unit_path=row.org_unit.path if row.org_unit else None,
            unit_kind=row.unit_kind or None,
            product_id=row.product_id,
            guarantee=row.guarantee_method or None,
        )
        for row in AuthorityRule.objects.select_related("org_unit")
    ]


def approver_of(user: Any) -> authority.Approver | None:
    unit = getattr(user, "org_unit", None)
    if unit is None:
        return None
    return authority.Approver(actor_of(user).roles, unit.path, unit.kind)


def authority_of(
    user: Any,
    application: CreditApplication,
    guarantees: Any = None,
    rules: list[authority.Rule] | None = None,
) -> Decimal | None:
    """The user's approval authority for this application (None: none)."""
    approver = approver_of(user)
    if approver is None:
        return None
    methods = application.guarantee_methods if guarantees is None else guarantees
    found = authority_rules() if rules is None else rules
    return authority.limit_of(found, approver, application.product_id, list(methods))


def approvers_for(application: CreditApplication) -> Any:
    """The approvers who can see the application: those of its unit and the units above."""
    from xindai.org.models import User
    from xindai.org.roles import Role, group_name

    unit_path = application.org_unit.path
    ancestors = [unit_path[: i + 1] for i, ch in enumerate(unit_path) if ch == "/"][1:]
    return (
        User.objects.filter(
            is_active=True,
            groups__name=group_name(Role.APPROVER),
            org_unit__path__in=ancestors,
        )
        .select_related("org_unit")
        .prefetch_related("groups")
        .distinct()
    )


def authority_limits(application: CreditApplication, guarantees: Any) -> dict[int, Decimal | None]:
    rules = authority_rules()
    return {
        user.pk: authority_of(user, application, guarantees, rules)
        for user in approvers_for(application)
    }


def loan_exists(application: CreditApplication) -> bool:
    from xindai.loans.models import LoanAccount

    return LoanAccount.objects.filter(application=application).exists()
