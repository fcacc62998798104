"""授权审批与批复条款 (issue 7, points 3–4): the use cases (the committee's are in ``meetings``).

* Approval: the approver fixes the terms; the terms are created and the ``approve``
  transition taken in one transaction, so its guards (committee passed, within authority) read
  the amount being approved. An approver beyond his authority escalates (上报).
* Terms are frozen: a change (变更) supersedes them and sends the case back to 审批.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext

from xindai.core.errors import DomainError, FormInvalid
from xindai.core.problems import Problem, by_field
from xindai.core.problems import mark as _
from xindai.credit import facts, stages
from xindai.credit.models import CreditApplication
from xindai.credit.models_approval import (
    ApprovalCondition,
    ApprovalEscalation,
    ApprovedTerms,
)
from xindai.credit.services import audit_event, take
from xindai.customers.services import as_of_today, require
from xindai.org.models import User
from xindai.products.models import Guarantee, RepaymentMethod

VIEW = "credit.view_creditapplication"


def roles_of(user: Any) -> frozenset[str]:
    return facts.actor_of(user).roles


def refuse_form(message: str, problems: list[Problem]) -> FormInvalid:
    return FormInvalid(message, details=by_field(problems, gettext))


def require_at_approval(application: CreditApplication) -> None:
    if application.stage != stages.Stage.APPROVAL:
        raise DomainError(gettext("申请不在审批阶段"), code="wrong_stage")


# ---- 授权 ----------------------------------------------------------------------------------


def authority_for(user: Any, application: CreditApplication) -> Decimal | None:
    return facts.authority_of(user, application)


def escalate(actor: Any, application: CreditApplication, data: dict[str, Any]) -> Any:
    """上报: an approver whose authority is below the amount passes the case up, with a
    reason, optionally to a named approver who has enough authority."""
    require(actor, VIEW)
    if stages.APPROVER not in roles_of(actor):
        raise DomainError(gettext("只有审批人可以上报"), code="role")
    require_at_approval(application)
    reason = str(data.get("reason") or "").strip()
    amount = _decimal(data.get("amount")) or application.amount
    limit = authority_for(actor, application)
    problems = []
    if not reason:
        problems.append(Problem("reason", _("请填写上报理由")))
    if limit is not None and amount <= limit:
        problems.append(Problem("amount", _("金额在您的审批权限之内，无需上报")))
    target = None
    if data.get("to_user"):
        target = User.objects.filter(pk=data["to_user"]).first()
        their = authority_for(target, application) if target else None
        if target is None or their is None or their < amount:
            problems.append(Problem("to_user", _("上报对象须为有足够审批权限的审批人")))
    if problems:
        raise refuse_form(gettext("不能上报"), problems)
    with transaction.atomic():
        found = ApprovalEscalation.objects.create(
            application=application, from_user=actor, to_user=target, amount=amount,
            reason=reason,
        )  # fmt: skip
        changes = {"amount": str(amount), "limit": str(limit) if limit is not None else None}
        changes |= {"to": target.username if target else None}
        audit_event(actor, "credit.approval_escalated", application, changes=changes, reason=reason)
    return found


# ---- 审批与批复条款 -----------------------------------------------------------------------------


def _decimal(raw: Any) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        value = Decimal(str(raw).replace(",", "").strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def default_rate(application: CreditApplication, as_of: dt.date) -> Decimal | None:
    try:
        return application.product.effective_rate(as_of)
    except Exception:
        return None


def defaults(application: CreditApplication, as_of: dt.date) -> dict[str, Any]:
    """The approval form's starting values: the request, the product's rate today, the
    committee's conditions, the policy's validity."""
    _version, policy = facts.current_policy()
    meeting = facts.committee_meeting(application)
    return {
        "amount": application.amount,
        "term_months": application.term_months,
        "annual_rate": default_rate(application, as_of),
        "repayment_method": application.repayment_method,
        "guarantee_methods": list(application.guarantee_methods),
        "conditions": meeting.conditions if meeting else "",
        "valid_until": as_of + dt.timedelta(days=policy.approval_valid_days),
    }


def computed_limit(application: CreditApplication) -> Decimal | None:
    found = application.limit_assessments.order_by("-pk").first()
    return getattr(found, "suggested", None) if found else None


def terms_problems(
    application: CreditApplication, data: dict[str, Any], as_of: dt.date
) -> tuple[dict[str, Any], list[Problem]]:
    """The terms typed, checked against the request, the credit limit and the product."""
    product = application.product
    problems: list[Problem] = []
    amount = _decimal(data.get("amount"))
    if amount is None or amount <= 0:
        problems.append(Problem("amount", _("请填写批准金额")))
    elif amount > application.amount:
        params = {"amount": f"{application.amount:,.2f}"}
        problems.append(Problem("amount", _("批准金额不能超过申请金额 %(amount)s 元"), params))
    else:
        limit = computed_limit(application)
        if limit is not None and amount > limit:
            params = {"limit": f"{limit:,.2f}"}
            problems.append(
                Problem("amount", _("批准金额不能超过测算的授信额度 %(limit)s 元"), params)
            )
    try:
        term = int(str(data.get("term_months") or "0"))
    except ValueError:
        term = 0
    if term <= 0:
        problems.append(Problem("term_months", _("请填写批准期限")))
    elif not product.min_term <= term <= product.max_term:
        params = {"min": str(product.min_term), "max": str(product.max_term)}
        problems.append(
            Problem("term_months", _("期限须在产品范围 %(min)s–%(max)s 个月之内"), params)
        )
    rate = _decimal(data.get("annual_rate"))
    if rate is None or rate <= 0 or rate >= 1:
        problems.append(Problem("annual_rate", _("请以小数填写执行年利率，如 0.0435")))
    elif (product.floor_rate is not None and rate < product.floor_rate) or (
        product.ceiling_rate is not None and rate > product.ceiling_rate
    ):
        params = {
            "floor": str(product.floor_rate or "—"),
            "ceiling": str(product.ceiling_rate or "—"),
        }
        problems.append(
            Problem("annual_rate", _("利率须在产品下限 %(floor)s 与上限 %(ceiling)s 之间"), params)
        )
    method = str(data.get("repayment_method") or "")
    if method not in product.repayment_methods or method not in RepaymentMethod.values:
        problems.append(Problem("repayment_method", _("请选择产品允许的还款方式")))
    guarantees = list(data.get("guarantee_methods") or [])
    if not guarantees or not set(guarantees) <= set(product.guarantee_methods) & set(
        Guarantee.values
    ):
        problems.append(Problem("guarantee_methods", _("请选择产品允许的担保方式")))
    valid_until = data.get("valid_until") or None
    if isinstance(valid_until, str):
        valid_until = parse_date(valid_until)
    if valid_until is None:
        _version, policy = facts.current_policy()
        valid_until = as_of + dt.timedelta(days=policy.approval_valid_days)
    elif valid_until <= as_of:
        problems.append(Problem("valid_until", _("批复有效期须晚于今天")))
    conditions = data.get("conditions") or ""
    if isinstance(conditions, str):
        conditions = conditions.splitlines()
    lines = [str(line).strip() for line in conditions if str(line).strip()]
    if any(len(line) > 300 for line in lines):
        problems.append(Problem("conditions", _("每条批复条件不超过 300 字")))
    cleaned = {
        "amount": amount,
        "term_months": term,
        "annual_rate": rate,
        "repayment_method": method,
        "guarantee_methods": sorted(guarantees),
        "valid_until": valid_until,
        "conditions": lines,
    }
    return cleaned, problems


def fingerprint(application: CreditApplication, version: int, terms: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of the terms (sorted keys, amounts as strings)."""
    canonical = {
        "application": application.number,
        "version": version,
        "amount": f"{terms['amount']:.2f}",
        "term_months": terms["term_months"],
        "annual_rate": f"{terms['annual_rate']:.6f}",
        "repayment_method": terms["repayment_method"],
        "guarantee_methods": sorted(terms["guarantee_methods"]),
        "approved_on": terms["approved_on"].isoformat(),
        "valid_until": terms["valid_until"].isoformat(),
        "conditions": list(terms["conditions"]),
    }
    text = json.dumps(canonical, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def approve(actor: Any, application: CreditApplication, data: dict[str, Any]) -> ApprovedTerms:
    """审批通过 with the terms: the terms (a new version) and the ``approve`` transition in
    one transaction; any refusal (terms, committee, authority, separation) saves nothing."""
    require(actor, VIEW)
    as_of = as_of_today()
    cleaned, problems = terms_problems(application, data, as_of)
    if problems:
        raise refuse_form(gettext("批准条款有误，未审批"), problems)
    with transaction.atomic():
        locked = CreditApplication.objects.select_for_update().get(pk=application.pk)
        require_at_approval(locked)
        version = ApprovedTerms.objects.filter(application=locked).count() + 1
        cleaned["approved_on"] = as_of
        terms = ApprovedTerms.objects.create(
            application=locked,
            version=version,
            amount=cleaned["amount"],
            term_months=cleaned["term_months"],
            annual_rate=cleaned["annual_rate"],
            repayment_method=cleaned["repayment_method"],
            guarantee_methods=cleaned["guarantee_methods"],
            approved_on=as_of,
            valid_until=cleaned["valid_until"],
            approved_by=actor,
            fingerprint=fingerprint(locked, version, cleaned),
        )
        for text in cleaned["conditions"]:
            ApprovalCondition.objects.create(terms=terms, text=text)
        take(actor, locked, "approve")
        changes = {
            "version": version,
            "amount": str(terms.amount),
            "term_months": terms.term_months,
            "annual_rate": str(terms.annual_rate),
            "repayment_method": terms.repayment_method,
            "guarantee_methods": terms.guarantee_methods,
            "valid_until": terms.valid_until.isoformat(),
            "conditions": cleaned["conditions"],
            "fingerprint": terms.fingerprint,
        }
        audit_event(actor, "credit.terms_approved", locked, changes=changes)
    application.refresh_from_db()
    return terms


def change_terms(actor: Any, application: CreditApplication, reason: str) -> ApprovedTerms:
    """变更: the current terms are superseded (with the reason) and the case goes back to 审批
    (transition ``change_terms``: the manager or an approver; refused once a loan exists)."""
    require(actor, VIEW)
    with transaction.atomic():
        locked = CreditApplication.objects.select_for_update().get(pk=application.pk)
        terms = facts.drafted_terms(locked)
        if terms is None:
            raise DomainError(gettext("没有有效的批复条款可变更"), code="no_terms")
        take(actor, locked, "change_terms", reason)
        terms.superseded_at = timezone.now()
        terms.superseded_reason = reason.strip()
        terms.save(update_fields=["superseded_at", "superseded_reason"])
        changes = {"version": terms.version, "fingerprint": terms.fingerprint}
        audit_event(actor, "credit.terms_superseded", locked, changes=changes, reason=reason)
    application.refresh_from_db()
    return terms


def mark_condition_met(
    actor: Any, condition: ApprovalCondition, evidence: str
) -> ApprovalCondition:
    """落实: the case's manager or a disbursement clerk notes how a condition was met."""
    require(actor, VIEW)
    application = condition.terms.application
    if actor.pk != application.manager_id and stages.DISBURSEMENT not in roles_of(actor):
        raise DomainError(
            gettext("只有本笔申请的客户经理或放款岗可以落实批复条件"), code="not_allowed"
        )
    if not evidence.strip():
        raise refuse_form(
            gettext("请填写落实情况"), [Problem("evidence", _("请填写落实情况（依据、凭证）"))]
        )
    with transaction.atomic():
        locked = (
            ApprovalCondition.objects.select_for_update()
            .select_related("terms")
            .get(pk=condition.pk)
        )
        if locked.terms.superseded_at is not None:
            raise DomainError(gettext("该批复已变更作废"), code="superseded")
        if locked.met_at is not None:
            raise DomainError(gettext("该条件已落实"), code="already_met")
        locked.met_at = timezone.now()
        locked.met_by = actor
        locked.evidence = evidence.strip()[:300]
        locked.save(update_fields=["met_at", "met_by", "evidence"])
        changes = {"condition": locked.text, "terms_version": locked.terms.version}
        audit_event(
            actor, "credit.condition_met", application, changes=changes, reason=locked.evidence
        )
    return locked
