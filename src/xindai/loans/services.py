"""放款 and what follows it for the borrower: the disbursement (exactly once), the use-of-funds
report of a self-paid loan, and the reads of the pages and the API.

Exactly once: a request carries an idempotency key. A retry with the same key finds the
disbursement it made and returns it; another request after success is refused (409
``already_disbursed``). Two requests at once queue on the application's row lock
(``select_for_update``), and the unique application, contract and key of the loan and the
disbursement refuse a second one even without it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext

from xindai.audit import services as audit
from xindai.core.errors import DomainError, FormInvalid, InvalidInput
from xindai.core.money import fen, to_fen
from xindai.core.problems import by_field
from xindai.credit import queries as credit_queries
from xindai.credit import services as credit_services
from xindai.credit.models import ApprovedTerms, CreditApplication
from xindai.customers.forms import errors_of
from xindai.customers.services import as_of_today, require
from xindai.loans import disbursement, gate
from xindai.loans.accounts import loan_terms, open_account
from xindai.loans.forms_accounts import DisbursementForm, PaymentLineForm, UseOfFundsForm
from xindai.loans.models import (
    Disbursement,
    LoanAccount,
    LoanSource,
    Payment,
    UseOfFundsReport,
)
from xindai.org.scope import visible
from xindai.products.domain import PurposeClass

DISBURSE = gate.DISBURSE
VIEW = "loans.view_loanaccount"
LOAN = "loans.loanaccount"
MAX_KEY = 64


class AlreadyDisbursed(DomainError):
    code = "already_disbursed"


class DisbursementRefused(DomainError):
    code = "disbursement_refused"


# ---- the payment plan ----------------------------------------------------------------------


def earlier_payments(
    application: CreditApplication, as_of: dt.date
) -> tuple[disbursement.Earlier, ...]:
    """The payments of the customer's disbursements in the split window before ``as_of``."""
    since = as_of - dt.timedelta(days=disbursement.SPLIT_WINDOW_DAYS)
    rows = Payment.objects.filter(
        disbursement__loan__customer_id=application.customer_id,
        disbursement__value_date__gte=since,
        disbursement__value_date__lte=as_of,
    ).select_related("disbursement")
    return tuple(
        disbursement.Earlier(
            row.disbursement.value_date,
            disbursement.Line(row.counterparty_name, row.amount, row.account, row.bank),
        )
        for row in rows
    )


def plan_of(
    application: CreditApplication,
    values: dict[str, Any],
    lines: list[dict[str, Any]],
    as_of: dt.date,
) -> disbursement.Plan:
    """The pure plan from the cleaned form ``values`` and payment ``lines``."""
    return disbursement.Plan(
        purpose=PurposeClass(application.purpose),
        amount=to_fen(values["amount"]),
        mode=disbursement.PaymentMode(values["payment_mode"]),
        lines=tuple(
            disbursement.Line(
                line["counterparty_name"],
                to_fen(line["amount"] or Decimal(0)),
                line["account"],
                line["bank"],
            )
            for line in lines
        ),
        product_threshold=application.product.entrusted_threshold,
        cash_reason=values.get("cash_reason", ""),
        new_customer_average_credit=bool(values.get("new_customer_average_credit")),
        earlier=earlier_payments(application, as_of),
        as_of=as_of,
    )


def suggested_plan(
    application: CreditApplication, terms: ApprovedTerms | None, as_of: dt.date
) -> disbursement.Plan:
    """The plan a page starts from: the approved amount in one payment, self payment."""
    amount = terms.amount if terms is not None else application.amount
    values = {"amount": amount, "payment_mode": disbursement.PaymentMode.SELF}
    return plan_of(application, values, [], as_of)


def parse(
    application: CreditApplication, data: dict[str, Any], as_of: dt.date
) -> tuple[dict[str, Any], list[dict[str, Any]], disbursement.Plan]:
    """The request's values and payment lines, cleaned, and the plan; or FormInvalid."""
    form = DisbursementForm(data)
    errors = {} if form.is_valid() else errors_of(form)
    lines = []
    for number, raw in enumerate(data.get("payments") or [], start=1):
        line_form = PaymentLineForm(raw)
        if not line_form.is_valid():
            for field, messages in errors_of(line_form).items():
                label = line_form.fields[field].label if field in line_form.fields else field
                prefix = gettext("第 %(n)s 笔支付") % {"n": number} + f"（{label}）："
                errors.setdefault("payments", []).extend(prefix + m for m in messages)
            continue
        lines.append(line_form.cleaned_data)
    if errors:
        raise FormInvalid(gettext("放款信息有误，未放款"), details=errors)
    values = form.cleaned_data
    return values, lines, plan_of(application, values, lines, as_of)


# ---- 放款 -----------------------------------------------------------------------------------


def disburse(
    actor: Any, application: CreditApplication, data: dict[str, Any], idempotency_key: str
) -> tuple[Disbursement, bool]:
    """Disburse ``application`` once: (the disbursement, whether this call made it)."""
    require(actor, DISBURSE)
    key = _key(idempotency_key)
    if not credit_queries.visible_applications(actor).filter(pk=application.pk).exists():
        raise PermissionDenied("application")
    done = _made_by(key, application)
    if done is not None:
        return done, False
    if Disbursement.objects.filter(application=application).exists():
        raise _already(application)
    today = as_of_today()
    values, lines, plan = parse(application, data, today)
    try:
        with transaction.atomic():
            return _disburse_locked(actor, application, values, lines, plan, key, today)
    except IntegrityError:  # a concurrent request won the unique loan, contract or key
        done = _made_by(key, application)
        if done is not None:
            return done, False
        raise _already(application) from None


def _key(idempotency_key: str) -> str:
    key = (idempotency_key or "").strip()
    if not key or len(key) > MAX_KEY:
        message = gettext("缺少请求幂等键（Idempotency-Key），或超过 %(n)s 个字符") % {"n": MAX_KEY}
        raise InvalidInput(message, code="idempotency_key")
    return key


def _made_by(key: str, application: CreditApplication) -> Disbursement | None:
    """The disbursement this key made (a retry); a key used for another application is a
    client's mistake and refused."""
    done = Disbursement.objects.filter(idempotency_key=key).select_related("loan").first()
    if done is not None and done.application_id != application.pk:
        raise DomainError(gettext("此幂等键已用于另一笔申请的放款"), code="idempotency_key_reused")
    return done


def _already(application: CreditApplication) -> AlreadyDisbursed:
    done = Disbursement.objects.select_related("loan").get(application=application)
    message = gettext("本笔申请已放款（贷款账号 %(number)s），不能重复放款")
    return AlreadyDisbursed(message % {"number": done.loan.number}, details={"loan": done.loan_id})


def _disburse_locked(
    actor: Any,
    application: CreditApplication,
    values: dict[str, Any],
    lines: list[dict[str, Any]],
    plan: disbursement.Plan,
    key: str,
    today: dt.date,
) -> tuple[Disbursement, bool]:
    locked = (
        CreditApplication.objects.select_for_update()
        .select_related("product")
        .get(pk=application.pk)
    )
    done = _made_by(key, locked)
    if done is not None:  # the same request, retried while the first held the lock
        return done, False
    if Disbursement.objects.filter(application=locked).exists():
        raise _already(locked)
    checked = gate.check(locked, actor, today, plan)
    if not checked.ok:
        message = gettext("不能放款：") + gettext("；").join(
            p.text(gettext) for p in checked.problems
        )
        raise DisbursementRefused(message, details=by_field(checked.problems, gettext))
    terms = checked.terms
    assert terms is not None and checked.loan_contract is not None  # the gate said so
    if plan.amount > terms.amount:
        problem = gettext("放款金额不能超过批准金额 %(amount)s 元") % {
            "amount": f"{terms.amount:,.2f}"
        }
        raise FormInvalid(problem, details={"amount": [problem]})
    decision = disbursement.decide(plan)
    loan, _schedule = open_account(
        loan_terms(
            locked.product,
            plan.amount,
            terms.annual_rate,
            terms.term_months,
            terms.repayment_method,
            today,
        ),
        application=locked,
        contract=checked.loan_contract,
        customer=locked.customer,
        product=locked.product,
        org_unit=locked.org_unit,
        manager=locked.manager,
        created_by=actor,
        source=LoanSource.DISBURSED,
        term_months=terms.term_months,
    )
    made = Disbursement.objects.create(
        application=locked,
        loan=loan,
        approved_terms=terms,
        amount=plan.amount,
        value_date=today,
        payment_mode=plan.mode.value,
        cash_reason=values.get("cash_reason", ""),
        new_customer_average_credit=plan.new_customer_average_credit,
        entrusted_line=decision.line,
        flags=[flag.as_json() for flag in decision.flags],
        idempotency_key=key,
        disbursed_by=actor,
    )
    Payment.objects.bulk_create(
        Payment(
            disbursement=made,
            counterparty_name=line["counterparty_name"],
            account=line["account"],
            bank=line["bank"],
            amount=planned.amount,
            evidence=line["evidence"],
        )
        for line, planned in zip(lines, plan.lines, strict=True)
    )
    if plan.mode == disbursement.PaymentMode.SELF:
        due = today + dt.timedelta(days=disbursement.USE_REPORT_DAYS)
        UseOfFundsReport.objects.create(loan=loan, due_on=due)
    _book(made, loan, plan, today)
    credit_services.take(actor, locked, "disburse")
    _audit(actor, made, loan, decision)
    return made, True


LOANS_NORMAL = "130101"  # 贷款—正常本金
DEPOSITS = "201101"  # 吸收存款
CLEARING = "300101"  # 清算资金往来: paid out to the counterparties' banks


def _book(made: Disbursement, loan: LoanAccount, plan: disbursement.Plan, today: dt.date) -> None:
    """The money side of the disbursement, in its transaction: the borrower's repayment
    deposit account (opened when he has none) linked to the loan; self payment credits that
    account (Dr 130101 / Cr 201101), entrusted payment goes to the counterparties (Dr 130101 /
    Cr 300101). Keyed by the disbursement, so each is booked once."""
    from xindai.deposits import services as deposits
    from xindai.ledger import services as ledger
    from xindai.ledger.domain import credit, debit
    from xindai.loans.models import LoanState

    account, _opened = deposits.repayment_account_for(loan.customer, today)
    LoanState.objects.filter(loan=loan).update(repayment_account=account)
    amount = fen(made.amount)
    key = f"disbursement:{made.pk}"
    memo = gettext("贷款发放 %(number)s") % {"number": loan.number}
    if plan.mode == disbursement.PaymentMode.SELF:
        deposits.move(account, key, today, "disbursement", amount, memo)
        legs = [debit(LOANS_NORMAL, amount), credit(DEPOSITS, amount)]
    else:
        legs = [debit(LOANS_NORMAL, amount), credit(CLEARING, amount)]
    ledger.post(key, today, "disbursement", legs, memo=memo, loan=loan)


def _audit(
    actor: Any, made: Disbursement, loan: LoanAccount, decision: disbursement.Decision
) -> None:
    payments = [
        {"counterparty": p.counterparty_name, "amount": str(p.amount)} for p in made.payments.all()
    ]
    changes = {
        "application": made.application.number,
        "loan": loan.number,
        "amount": str(made.amount),
        "payment_mode": made.payment_mode,
        "value_date": made.value_date.isoformat(),
        "payments": payments,
        "flags": made.flags,
    }
    audit.record(
        "loans.disbursed", actor=actor, object_type=LOAN, object_id=loan.pk, changes=changes
    )
    if decision.flags:
        audit.record(
            "loans.split_flagged",
            actor=actor,
            object_type=LOAN,
            object_id=loan.pk,
            changes={"flags": made.flags},
            reason=gettext("疑似化整为零，提请风险合规关注"),
        )


# ---- 自主支付：资金使用报告 ----------------------------------------------------------------


def file_use_report(
    actor: Any, loan: LoanAccount, data: dict[str, Any], files: Any
) -> UseOfFundsReport:
    """The borrower's report of how a self-paid loan was used, recorded by the loan's manager
    (or a disbursement clerk); the next report is scheduled while money is left unreported."""
    require(actor, VIEW)
    if not visible_loans(actor).filter(pk=loan.pk).exists():
        raise PermissionDenied("loan")
    if actor.pk != loan.manager_id and not actor.has_perm(DISBURSE):
        raise DomainError(
            gettext("只有管户客户经理或放款岗可以登记资金使用报告"), code="not_manager"
        )
    made = getattr(loan, "disbursement", None)
    if made is None or made.payment_mode != disbursement.PaymentMode.SELF:
        raise DomainError(
            gettext("只有自主支付的贷款需要报告资金使用情况"), code="not_self_payment"
        )
    form = UseOfFundsForm(data, files)
    if not form.is_valid():
        raise FormInvalid(gettext("资金使用报告有误，未保存"), details=errors_of(form))
    if form.cleaned_data.get("evidence"):
        from xindai.customers.documents import check_upload  # the archive's upload checks

        try:
            check_upload(form.cleaned_data["evidence"])
        except FormInvalid as exc:
            raise FormInvalid(
                exc.message, details={"evidence": exc.details.get("file", [])}
            ) from exc
    today = as_of_today()
    with transaction.atomic():
        LoanAccount.objects.select_for_update().get(pk=loan.pk)
        used = _used(loan) + form.cleaned_data["amount_used"]
        if used > loan.principal:
            message = gettext("累计使用金额 %(used)s 元超过贷款金额 %(principal)s 元") % {
                "used": f"{used:,.2f}",
                "principal": f"{loan.principal:,.2f}",
            }
            raise FormInvalid(message, details={"amount_used": [message]})
        report = UseOfFundsReport.objects.filter(loan=loan, reported_on__isnull=True).order_by(
            "due_on"
        ).first() or UseOfFundsReport(loan=loan, due_on=today)
        report.amount_used = to_fen(form.cleaned_data["amount_used"])
        report.description = form.cleaned_data["description"]
        if form.cleaned_data.get("evidence"):
            report.evidence = form.cleaned_data["evidence"]
        report.reported_on = today
        report.reported_by = actor
        report.save()
        if used < loan.principal and not loan.use_reports.filter(reported_on__isnull=True).exists():
            due = max(report.due_on, today) + dt.timedelta(days=disbursement.USE_REPORT_DAYS)
            UseOfFundsReport.objects.create(loan=loan, due_on=due)
        changes = {
            "amount_used": str(report.amount_used),
            "total_used": str(used),
            "due_on": report.due_on.isoformat(),
        }
        audit.record(
            "loans.use_of_funds_reported",
            actor=actor,
            object_type=LOAN,
            object_id=loan.pk,
            changes=changes,
        )
    return report


def _used(loan: LoanAccount) -> Decimal:
    total = loan.use_reports.filter(reported_on__isnull=False).aggregate(s=Sum("amount_used"))["s"]
    return total or Decimal(0)


# ---- reads ------------------------------------------------------------------------------------


def visible_loans(user: Any) -> QuerySet[LoanAccount]:
    """The loan accounts of the user's org subtree; a 客户经理 sees his own."""
    found = LoanAccount.objects.select_related("customer", "product", "manager", "org_unit")
    return visible(found, user, owner_field="manager")


LOAN_FILTERS = ("q", "status", "product", "source")


def loans_for(user: Any, filters: dict[str, str]) -> QuerySet[LoanAccount]:
    """The user's loans: ``q`` a part of the loan number, the old system's number or the
    customer's name; ``status``, ``product`` (code) and ``source`` exactly."""
    found = visible_loans(user)
    if filters.get("q"):
        q = filters["q"]
        found = found.filter(
            Q(number__icontains=q) | Q(legacy_number__icontains=q) | Q(customer__name__icontains=q)
        )
    for name, lookup in (("status", "status"), ("product", "product__code"), ("source", "source")):
        if filters.get(name):
            found = found.filter(**{lookup: filters[name]})
    return found.order_by("-start_date", "-pk")


def queue(user: Any, as_of: dt.date) -> list[tuple[CreditApplication, gate.Gate]]:
    """The applications in 贷款拨付 the user may see, with their gate for him."""
    found = credit_queries.visible_applications(user).filter(stage="disbursement")
    return [
        (application, gate.check(application, user, as_of))
        for application in found.order_by("stage_since", "pk")
    ]


# ---- shown on pages and in the API ------------------------------------------------------------


def gate_rows(checked: gate.Gate) -> list[dict[str, Any]]:
    """The checklist in the user's language: key, label, ok and the reasons when not."""
    return [
        {
            "key": item.key,
            "label": gettext(item.label),
            "ok": item.ok,
            "problems": [problem.text(gettext) for problem in item.problems],
        }
        for item in checked.items
    ]


def decision_of(plan: disbursement.Plan) -> dict[str, Any]:
    """The payment-mode decision for ``plan``, in the user's language."""
    decision = disbursement.decide(plan)
    return {
        "mode": decision.mode.value,
        "mode_label": gettext(disbursement.MODE_LABELS[decision.mode]),
        "entrusted_required": decision.entrusted_required,
        "line": f"{decision.line:.2f}",
        "source": gettext(decision.source),
        "reasons": [problem.text(gettext) for problem in decision.reasons],
        "flags": [flag.as_json() for flag in decision.flags],
    }
