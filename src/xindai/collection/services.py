"""不良清收 use cases: open and assign cases, log actions and recoveries, the limitation clocks,
restructurings and write-offs. Each owns its transaction and writes an audit event.

Recoveries (money really received):

- a loan still on the books: a repayment through ``xindai.repayments.services`` (its
  allocation, its entries, its exactly-once key ``collect:{key}``);
- a written-off loan (账销案存): the claim kept on the servicing state is reduced principal
  first, then interest, then penalty (``domain.WRITTEN_OFF_ORDER``), with two entries (key
  ``recover:{key}``): Dr 300101 清算资金往来 (cash) or 201101 (the repayment account) / Cr 130401
  贷款损失准备 for the principal part (the provision used at write-off is restored, as the
  accounting standard books a recovery of a written-off loan), Cr 601101 / 601102 for the
  interest and penalty parts; and off balance Dr 701202 / Cr 701201 for the whole amount.

Restructuring (重组): overdue and due interest, penalty and compound interest are paid first,
never capitalised; the restructured amount is the whole principal (not yet due, due today and
overdue). On approval overdue principal goes back to normal (Dr 130101 / Cr 130102), the
current period's interest accrued to the restructuring date falls due that day (collected by the
next end-of-day), the rows not yet due are replaced by a new schedule from the schedule engine
starting on the restructuring date, and the classification's observation period starts.

Write-off (核销): requested with reason and evidence for a loan classified 可疑 or 损失;
approved by 风险合规 (``collection.approve_writeoff``), not the requester — one level; the
books by ``xindai.loans.writeoff.post_write_off`` exactly once (the request row is locked,
a second approval finds it decided; the posting itself is once per loan).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext

from xindai.audit import services as audit
from xindai.core import business_date
from xindai.core.errors import DomainError, FormInvalid, InvalidInput
from xindai.core.money import fen
from xindai.core.problems import Problem, by_field
from xindai.credit.facts import current_policy
from xindai.ledger import domain as books
from xindai.ledger import services as ledger
from xindai.ledger.models import EntryKind
from xindai.loans.accounts import loan_terms, ppm, refresh_period
from xindai.loans.models import LoanAccount, LoanState, LoanStatus, ScheduleRow
from xindai.loans.schedule import Method, build
from xindai.org.models import OrgUnit, User
from xindai.org.roles import Role, group_name
from xindai.org.scope import visible

from . import domain
from .models import (
    ActionKind,
    CaseStatus,
    CloseReason,
    CollectionAction,
    CollectionCase,
    Interruption,
    InterruptionKind,
    LimitationParty,
    PartyRole,
    Recovery,
    RecoveryKind,
    RequestStatus,
    Restructuring,
    WriteOff,
)

VIEW = "collection.view_collectioncase"
WORK = "collection.work_case"
ASSIGN = "collection.assign_case"
APPROVE_RESTRUCTURING = "collection.approve_restructuring"
APPROVE_WRITEOFF = "collection.approve_writeoff"
CASE = "collection.collectioncase"
RESTRUCTURING = "collection.restructuring"
WRITEOFF = "collection.writeoff"
PARTY = "collection.limitationparty"
LIVE = (LoanStatus.NORMAL, LoanStatus.OVERDUE)


class CollectionRefused(DomainError):
    code = "collection_refused"


def _refuse(problems: list[Problem]) -> None:
    message = gettext("；").join(p.text(gettext) for p in problems)
    raise CollectionRefused(message, details=by_field(problems, gettext))


def _require(actor: Any, permission: str) -> None:
    if actor is not None and not actor.has_perm(permission):
        raise PermissionDenied(permission)


def today() -> dt.date:
    return business_date.current()


def yuan(value: int) -> Decimal:
    return (Decimal(value) / 100).quantize(Decimal("0.01"))


# ---- reads -------------------------------------------------------------------------------------


def visible_cases(user: Any) -> QuerySet[CollectionCase]:
    found = CollectionCase.objects.select_related(
        "loan", "loan__customer", "loan__org_unit", "officer"
    )
    return visible(found, user, unit_field="loan__org_unit", owner_field="loan__manager")


def class_of(loan: LoanAccount) -> str:
    """The loan's class: the classification's (when that app provides it), never better than
    the floor by days past due."""
    floor = LoanState.objects.filter(loan=loan).values_list("class_floor", flat=True).first()
    found = floor or "normal"
    try:
        from xindai.classification import services as classification

        found = domain.worse(str(classification.current_class(loan)), found)
    except (ImportError, AttributeError):
        pass
    return found


def owed(state: LoanState) -> dict[str, int]:
    """What the loan owes, fen by bucket."""
    return {
        "principal": state.principal_fen,
        "principal_due": state.principal_due_fen,
        "overdue_principal": state.overdue_principal_fen,
        "interest_accrued": state.interest_accrued_fen,
        "interest_due": state.interest_due_fen,
        "overdue_interest": state.overdue_interest_fen,
        "penalty_due": state.penalty_due_fen,
        "compound_due": state.compound_due_fen,
    }


def parties_of(loan: LoanAccount) -> QuerySet[LimitationParty]:
    return (
        LimitationParty.objects.filter(loan=loan).select_related("customer").order_by("role", "pk")
    )


def alerts(day: dt.date | None = None, user: Any = None) -> QuerySet[LimitationParty]:
    """Parties whose limitation or guarantee period expires within the alert window (即将届满),
    not yet released or expired long ago."""
    day = day or today()
    days = current_policy()[1].limitation_alert_days
    found = LimitationParty.objects.filter(
        expires_on__gte=day, expires_on__lte=day + dt.timedelta(days=days)
    ).select_related("loan", "loan__customer", "customer")
    found = found.filter(loan__collection_cases__isnull=False).distinct()
    if user is not None:
        found = visible(found, user, unit_field="loan__org_unit", owner_field="loan__manager")
    return found.order_by("expires_on", "pk")


# ---- limitation --------------------------------------------------------------------------------


def _clock(party: LimitationParty) -> domain.Clock:
    return domain.Clock(
        party.starts_on, party.last_interruption, party.guarantee_ends_on, party.asked_on
    )


def ensure_parties(loan: LoanAccount) -> list[LimitationParty]:
    """The limitation clocks of the debtor and each guarantor of ``loan`` (made once)."""
    state = LoanState.objects.filter(loan=loan).first()
    start = (state.overdue_since if state else None) or loan.maturity_date
    made = []
    debtor, _c = LimitationParty.objects.get_or_create(
        loan=loan,
        customer=loan.customer,
        defaults={
            "role": PartyRole.DEBTOR,
            "starts_on": start,
            "expires_on": domain.limitation_expires(start),
        },
    )
    made.append(debtor)
    application = loan.application
    if application is not None:
        ends = domain.guarantee_ends(loan.maturity_date)
        for item in application.guarantors.select_related("guarantor"):
            party, _c = LimitationParty.objects.get_or_create(
                loan=loan,
                customer=item.guarantor,
                defaults={
                    "role": PartyRole.GUARANTOR,
                    "starts_on": start,
                    "guarantee_ends_on": ends,
                    "expires_on": ends,
                },
            )
            made.append(party)
    return made


def record_interruption(
    loan: LoanAccount, customer: Any, on: dt.date, *, kind: str, evidence: str, actor: Any
) -> None:
    """A valid collection notice receipt, acknowledgment or lawsuit on ``on`` restarts that
    party's limitation clock (a guarantor's: asks him within the guarantee period)."""
    if kind not in InterruptionKind.values:
        raise InvalidInput(gettext("未知的时效中断事由：%(kind)s") % {"kind": kind})
    with transaction.atomic():
        ensure_parties(loan)
        party = (
            LimitationParty.objects.select_for_update().filter(loan=loan, customer=customer).first()
        )
        if party is None:
            raise InvalidInput(gettext("该客户不是此贷款的借款人或保证人"))
        clock, counted = _clock(party).interrupted(on)
        Interruption.objects.create(
            party=party, on=on, kind=kind, evidence=evidence[:200], effective=counted, actor=actor
        )
        if counted:
            party.last_interruption = clock.last_interruption
            party.asked_on = clock.asked_on
            party.expires_on = clock.expires_on
            party.alerted_on = None
            party.save(update_fields=["last_interruption", "asked_on", "expires_on", "alerted_on"])
        audit.record(
            "collection.interrupted",
            actor=actor,
            object_type=PARTY,
            object_id=party.pk,
            changes={
                "loan": loan.number,
                "party": customer.name,
                "on": on.isoformat(),
                "kind": kind,
                "effective": counted,
                "expires_on": party.expires_on.isoformat(),
            },
            reason=evidence[:200],
        )


def set_guarantee_end(
    actor: Any, loan: LoanAccount, customer: Any, ends_on: dt.date | None, reason: str
) -> LimitationParty:
    """The guarantee period the contract agrees (instead of 6 months after maturity)."""
    _require(actor, WORK)
    if ends_on is None:
        message = gettext("请填写保证期间届满日")
        raise FormInvalid(message, details={"ends_on": [message]})
    if not reason.strip():
        message = gettext("请填写依据（保证合同条款）")
        raise FormInvalid(message, details={"reason": [message]})
    with transaction.atomic():
        ensure_parties(loan)
        party = (
            LimitationParty.objects.select_for_update()
            .filter(loan=loan, customer=customer, role=PartyRole.GUARANTOR)
            .first()
        )
        if party is None:
            raise InvalidInput(gettext("该客户不是此贷款的保证人"))
        old = party.guarantee_ends_on
        party.guarantee_ends_on = ends_on
        party.expires_on = _clock(party).expires_on
        party.alerted_on = None
        party.save(update_fields=["guarantee_ends_on", "expires_on", "alerted_on"])
        audit.record(
            "collection.guarantee_period",
            actor=actor,
            object_type=PARTY,
            object_id=party.pk,
            changes={
                "loan": loan.number,
                "party": customer.name,
                "from": old.isoformat() if old else None,
                "to": ends_on.isoformat(),
            },
            reason=reason[:200],
        )
    return party


# ---- cases ---------------------------------------------------------------------------------


def _branch_of(unit: OrgUnit) -> OrgUnit:
    """The unit's branch (支行): the ancestor right under the root, or the unit itself."""
    found = unit
    while found.parent_id is not None and found.parent is not None and found.parent.parent_id:
        found = found.parent
    return found


def officers_for(loan: LoanAccount) -> list[int]:
    """Collection officers (清收) of the loan's branch subtree; none there: of the whole tree."""
    officers = User.objects.filter(
        groups__name=group_name(Role.COLLECTION), is_active=True
    ).exclude(org_unit=None)
    branch = _branch_of(loan.org_unit)
    near = list(
        officers.filter(org_unit__path__startswith=branch.path).values_list("pk", flat=True)
    )
    if near:
        return near
    root = loan.org_unit.path.split("/")
    prefix = "/".join(root[:2]) if len(root) > 1 else loan.org_unit.path
    return list(officers.filter(org_unit__path__startswith=prefix).values_list("pk", flat=True))


def _load(user_ids: Iterable[int]) -> dict[int, int]:
    return dict(
        CollectionCase.objects.filter(status=CaseStatus.OPEN, officer_id__in=list(user_ids))
        .values("officer_id")
        .annotate(n=Count("pk"))
        .values_list("officer_id", "n")
    )


def _auto_officer(loan: LoanAccount) -> int | None:
    candidates = officers_for(loan)
    return domain.least_busy(_load(candidates), candidates)


def open_case(
    loan: LoanAccount, day: dt.date, because: str, actor: Any = None
) -> CollectionCase | None:
    """Open a case for ``loan`` (None when one is already open or written off)."""
    if CollectionCase.objects.filter(loan=loan).exclude(status=CaseStatus.CLOSED).exists():
        return None
    state = LoanState.objects.get(loan=loan)
    try:
        with transaction.atomic():
            case = CollectionCase.objects.create(
                loan=loan,
                opened_on=day,
                opened_because=because[:200],
                owed_at_opening_fen=sum(owed(state).values()),
                officer_id=_auto_officer(loan),
            )
    except IntegrityError:
        return None
    ensure_parties(loan)
    audit.record(
        "collection.opened",
        actor=actor,
        object_type=CASE,
        object_id=case.pk,
        changes={
            "loan": loan.number,
            "because": because,
            "officer": _name(case.officer) if case.officer else None,
        },
    )
    return case


def _name(user: Any) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def assign_case(actor: Any, case: CollectionCase, officer: Any) -> CollectionCase:
    _require(actor, ASSIGN)
    if officer is None or officer.pk not in officers_for(case.loan):
        message = gettext("只能分派给本支行的清收人员")
        raise FormInvalid(message, details={"officer": [message]})
    old = case.officer
    case.officer = officer
    case.save(update_fields=["officer"])
    audit.record(
        "collection.assigned",
        actor=actor,
        object_type=CASE,
        object_id=case.pk,
        changes={"loan": case.loan.number, "from": _name(old), "to": _name(officer)},
    )
    return case


def close_case(actor: Any, case: CollectionCase, reason: str, note: str = "") -> CollectionCase:
    _require(actor, WORK)
    if reason not in CloseReason.values:
        message = gettext("请选择结案原因")
        raise FormInvalid(message, details={"reason": [message]})
    with transaction.atomic():
        case = CollectionCase.objects.select_for_update().get(pk=case.pk)
        if case.status != CaseStatus.OPEN:
            raise CollectionRefused(gettext("案件不在清收中，不能结案"))
        if reason == CloseReason.REPAID and case.loan.status != LoanStatus.SETTLED:
            raise CollectionRefused(gettext("贷款尚未结清，不能以“已还清”结案"))
        case.status = CaseStatus.CLOSED
        case.close_reason = reason
        case.close_note = note[:200]
        case.closed_on = today()
        case.save(update_fields=["status", "close_reason", "close_note", "closed_on"])
        audit.record(
            "collection.closed",
            actor=actor,
            object_type=CASE,
            object_id=case.pk,
            changes={"loan": case.loan.number, "reason": reason},
            reason=note[:200],
        )
    return case


# ---- actions and recoveries ---------------------------------------------------------------


def _amount_fen(value: Any) -> int:
    if value in (None, ""):
        return 0
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        message = gettext("收回金额须为不小于 0 的金额，最多两位小数")
        raise FormInvalid(message, details={"amount": [message]})
    return fen(amount)


def parse_date(value: Any, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        message = gettext("日期格式应为 YYYY-MM-DD")
        raise FormInvalid(message, details={field: [message]}) from None


def log_action(actor: Any, case: CollectionCase, data: dict[str, Any]) -> CollectionAction:
    """Record a collection action (dated the business date); an amount is money received (a
    recovery); for a call or visit, an acknowledgment restarts the party's limitation; a
    notice received likewise; a lawsuit restarts the debtor's and each guarantor's."""
    _require(actor, WORK)
    kind = str(data.get("kind") or "")
    problems: list[Problem] = []
    if kind not in ActionKind.values:
        problems.append(Problem("kind", gettext("请选择清收方式")))
    outcome = str(data.get("outcome") or "").strip()
    if not outcome:
        problems.append(Problem("outcome", gettext("请填写清收结果")))
    if problems:
        raise FormInvalid(
            gettext("；").join(p.text(gettext) for p in problems),
            details=by_field(problems, gettext),
        )
    amount = _amount_fen(data.get("amount"))
    if amount:
        from xindai.loans.eod import refuse_while_running

        refuse_while_running()
    follow_up = parse_date(data.get("follow_up_on"), "follow_up_on")
    day = today()
    if follow_up is not None and follow_up < day:
        message = gettext("跟进日期不能早于今天")
        raise FormInvalid(message, details={"follow_up_on": [message]})
    if case.status == CaseStatus.CLOSED:
        raise CollectionRefused(gettext("案件已结案，不能再登记清收记录"))
    loan = case.loan
    party = loan.customer
    party_id = data.get("party")
    if party_id not in (None, ""):
        found = parties_of(loan).filter(customer_id=str(party_id)).first()
        if found is None:
            message = gettext("该客户不是此贷款的借款人或保证人")
            raise FormInvalid(message, details={"party": [message]})
        party = found.customer
    acknowledged = bool(data.get("acknowledged")) and kind in (
        ActionKind.CALL,
        ActionKind.VISIT,
        ActionKind.NOTICE,
    )
    given = str(data.get("idempotency_key") or "").strip()[:48]
    key = given or uuid.uuid4().hex
    with transaction.atomic():
        CollectionCase.objects.select_for_update().get(pk=case.pk)
        done = CollectionAction.objects.filter(idempotency_key=f"{case.pk}:{key}").first()
        if done is not None:
            return done  # the same submission again (double click, retry): nothing twice
        action = CollectionAction.objects.create(
            idempotency_key=f"{case.pk}:{key}" if given else None,
            case=case,
            kind=kind,
            business_date=day,
            party=party,
            outcome=outcome[:300],
            next_step=str(data.get("next_step") or "")[:200],
            follow_up_on=follow_up,
            acknowledged=acknowledged,
            amount=yuan(amount),
            actor=actor,
        )
        if amount:
            _recover(actor, case, action, amount, key, str(data.get("source") or "cash"))
        updates: dict[str, Any] = {"stage": kind}
        if follow_up is not None:
            updates["next_follow_up"] = follow_up
        CollectionCase.objects.filter(pk=case.pk).update(**updates)
        audit.record(
            "collection.action",
            actor=actor,
            object_type=CASE,
            object_id=case.pk,
            changes={
                "loan": loan.number,
                "kind": kind,
                "party": party.name,
                "outcome": outcome[:300],
                "acknowledged": acknowledged,
                "amount": books.fen_text(amount),
            },
        )
    if acknowledged:
        interruption = (
            InterruptionKind.NOTICE
            if kind == ActionKind.NOTICE
            else InterruptionKind.ACKNOWLEDGMENT
        )
        record_interruption(loan, party, day, kind=interruption, evidence=outcome, actor=actor)
    if kind == ActionKind.LITIGATION:
        for each in parties_of(loan):
            record_interruption(
                loan,
                each.customer,
                day,
                kind=InterruptionKind.LAWSUIT,
                evidence=outcome,
                actor=actor,
            )
    return action


def _recover(
    actor: Any, case: CollectionCase, action: CollectionAction, amount: int, key: str, source: str
) -> Recovery:
    loan = LoanAccount.objects.get(pk=case.loan_id)
    if loan.status == LoanStatus.WRITTEN_OFF:
        return _recover_written_off(actor, case, action, amount, key, source)
    if loan.status == LoanStatus.SETTLED:
        raise CollectionRefused(gettext("贷款已结清，不能再收回"))
    repayment = _repay(actor, loan, amount, source, f"collect:{key}")
    recovery = Recovery.objects.create(
        case=case,
        action=action,
        kind=RecoveryKind.REPAYMENT,
        method=action.kind,
        business_date=action.business_date,
        amount_fen=amount,
        parts=dict(repayment.allocation.get("parts", {})),
        idempotency_key=f"collect:{key}",
        repayment=repayment,
        entries=list(repayment.entries),
        actor=actor,
    )
    CollectionCase.objects.filter(pk=case.pk).update(recovered_fen=case.recovered_fen + amount)
    case.recovered_fen += amount
    return recovery


def _repay(actor: Any, loan: LoanAccount, amount: int, source: str, key: str) -> Any:
    """A repayment through the repayments service (its allocation, entries and key); the
    case is the officer's authority."""
    from xindai.repayments import services as repayments

    return repayments.repay_for_case(
        actor, loan, amount, source if source in ("cash", "deposit") else "cash", key
    )


def _recover_written_off(
    actor: Any, case: CollectionCase, action: CollectionAction, amount: int, key: str, source: str
) -> Recovery:
    state = LoanState.objects.select_for_update().get(loan_id=case.loan_id)
    claim = owed(state)
    problems = domain.recovery_problems(sum(claim.values()), amount)
    if problems:
        _refuse(problems)
    parts, _left = domain.allocate(claim, amount)
    for bucket, value in parts.items():
        field = f"{bucket}_fen"
        setattr(state, field, getattr(state, field) - value)
    state.save()
    principal = sum(parts.get(p, 0) for p in domain.PRINCIPAL_PARTS)
    interest = sum(parts.get(p, 0) for p in domain.INTEREST_PARTS)
    penalty = sum(parts.get(p, 0) for p in domain.PENALTY_PARTS)
    paying = "201101" if source == "deposit" else "300101"
    legs = [books.debit(paying, amount)]
    for account, value in (("130401", principal), ("601101", interest), ("601102", penalty)):
        if value:
            legs.append(books.credit(account, value))
    number = case.loan.number
    main = f"recover:{key}"
    ledger.post(
        main,
        action.business_date,
        EntryKind.REPAYMENT,
        legs,
        memo=gettext("核销贷款收回 %(number)s") % {"number": number},
        loan=case.loan,
    )
    off = f"recover:{key}:off"
    ledger.post(
        off,
        action.business_date,
        EntryKind.REPAYMENT,
        [books.debit("701202", amount), books.credit("701201", amount)],
        memo=gettext("核销贷款收回（表外）%(number)s") % {"number": number},
        loan=case.loan,
    )
    if source == "deposit":
        from xindai.deposits import services as deposits
        from xindai.deposits.models import MovementKind

        repayment_account = state.repayment_account
        if repayment_account is None:
            raise CollectionRefused(gettext("该贷款未绑定还款账户，不能从账户扣款"))
        deposits.move(
            repayment_account,
            main,
            action.business_date,
            MovementKind.COLLECTION,
            -amount,
            gettext("核销贷款收回 %(number)s") % {"number": number},
        )
    recovery = Recovery.objects.create(
        case=case,
        action=action,
        kind=RecoveryKind.AFTER_WRITEOFF,
        method=action.kind,
        business_date=action.business_date,
        amount_fen=amount,
        parts=parts,
        idempotency_key=f"collect:{key}",
        entries=[main, off],
        actor=actor,
    )
    CollectionCase.objects.filter(pk=case.pk).update(recovered_fen=case.recovered_fen + amount)
    case.recovered_fen += amount
    return recovery


# ---- restructuring -------------------------------------------------------------------------


INTEREST_OWED = ("interest_due_fen", "overdue_interest_fen", "penalty_due_fen", "compound_due_fen")


def request_restructuring(actor: Any, case: CollectionCase, data: dict[str, Any]) -> Restructuring:
    _require(actor, WORK)
    loan = LoanAccount.objects.select_related("product").get(pk=case.loan_id)
    state = LoanState.objects.get(loan=loan)
    try:
        term = int(data.get("term_months") or 0)
    except (TypeError, ValueError):
        term = 0
    try:
        rate = Decimal(str(data.get("annual_rate") or "0").strip())
    except InvalidOperation:
        rate = Decimal(0)
    method = str(data.get("repayment_method") or "")
    reason = str(data.get("reason") or "").strip()
    problems = domain.restructuring_problems(
        klass=class_of(loan),
        interest_owed=sum(getattr(state, f) for f in INTEREST_OWED),
        principal=state.principal_fen + state.principal_due_fen + state.overdue_principal_fen,
        term_months=term,
        annual_rate_ppm=ppm(rate) if rate.is_finite() else 0,
        method=method,
        methods=loan.product.repayment_methods or [m.value for m in Method],
    )
    if not reason:
        problems.append(Problem("reason", gettext("请填写重组原因")))
    if case.status != CaseStatus.OPEN or loan.status not in LIVE:
        problems.append(Problem("loan", gettext("只有清收中的在账贷款可以申请重组")))
    if problems:
        _refuse(problems)
    try:
        with transaction.atomic():
            made = Restructuring.objects.create(
                case=case,
                term_months=term,
                annual_rate=rate,
                repayment_method=method,
                reason=reason[:300],
                requested_on=today(),
                requested_by=actor,
            )
    except IntegrityError:
        raise CollectionRefused(gettext("该案件已有待审批的重组申请")) from None
    audit.record(
        "collection.restructuring_requested",
        actor=actor,
        object_type=RESTRUCTURING,
        object_id=made.pk,
        changes={
            "loan": loan.number,
            "term_months": term,
            "annual_rate": str(rate),
            "method": method,
        },
        reason=reason[:300],
    )
    return made


def _row_json(row: ScheduleRow) -> dict[str, Any]:
    return {
        "period": row.period,
        "due_date": row.due_date.isoformat(),
        "principal": str(row.principal),
        "interest": str(row.interest),
        "payment": str(row.payment),
        "balance": str(row.balance),
    }


def approve_restructuring(actor: Any, made: Restructuring, note: str = "") -> Restructuring:
    _require(actor, APPROVE_RESTRUCTURING)
    if made.requested_by_id == actor.pk:
        raise CollectionRefused(gettext("申请人不能审批自己的重组申请"))
    from xindai.loans.eod import refuse_while_running

    refuse_while_running()
    with transaction.atomic():
        made = Restructuring.objects.select_for_update().get(pk=made.pk)
        if made.status != RequestStatus.REQUESTED:
            raise CollectionRefused(gettext("该申请已处理"))
        case = made.case
        loan = (
            LoanAccount.objects.select_for_update().select_related("product").get(pk=case.loan_id)
        )
        state = LoanState.objects.select_for_update().get(loan=loan)
        if loan.status not in LIVE or sum(getattr(state, f) for f in INTEREST_OWED):
            raise CollectionRefused(gettext("贷款已变化（欠息未清或已结清/核销），不能重组"))
        day = today()
        principal = state.principal_fen + state.principal_due_fen + state.overdue_principal_fen
        if state.overdue_principal_fen:
            ledger.post(
                f"restructure:{made.pk}",
                day,
                EntryKind.OTHER,
                [
                    books.debit("130101", state.overdue_principal_fen),
                    books.credit("130102", state.overdue_principal_fen),
                ],
                memo=gettext("贷款重组：逾期本金转正常 %(number)s") % {"number": loan.number},
                loan=loan,
            )
        terms = loan_terms(
            loan.product,
            yuan(principal),
            made.annual_rate,
            made.term_months,
            made.repayment_method,
            day,
        )
        schedule = build(terms)
        old = list(ScheduleRow.objects.filter(loan=loan, due_date__gt=day).order_by("period"))
        made.old_rows = [_row_json(r) for r in old]
        made.old_terms = {
            "annual_rate": str(loan.annual_rate),
            "term_months": loan.term_months,
            "repayment_method": loan.repayment_method,
            "maturity_date": loan.maturity_date.isoformat(),
        }
        ScheduleRow.objects.filter(pk__in=[r.pk for r in old]).delete()
        last = (
            ScheduleRow.objects.filter(loan=loan)
            .order_by("-period")
            .values_list("period", flat=True)
            .first()
            or 0
        )
        ScheduleRow.objects.bulk_create(
            ScheduleRow(
                loan=loan,
                period=last + row.period,
                due_date=row.due_date,
                principal=row.principal,
                interest=row.interest,
                payment=row.payment,
                balance=row.balance,
                principal_fen=fen(row.principal),
                interest_fen=fen(row.interest),
                days=row.days,
            )
            for row in schedule.rows
        )
        # The current period's interest to date falls due today (paid first, never capitalised).
        state.interest_due_fen += state.interest_accrued_fen
        state.interest_accrued_fen = 0
        state.interest_base = 0
        state.principal_fen = principal
        state.principal_due_fen = 0
        state.overdue_principal_fen = 0
        state.overdue_since = None
        state.rate_ppm = ppm(made.annual_rate)
        state.penalty_rate_ppm = ppm(made.annual_rate * (1 + loan.product.penalty_markup))
        state.interest_only = made.repayment_method == Method.INTEREST_ONLY
        state.save()
        loan.annual_rate = made.annual_rate
        loan.term_months = made.term_months
        loan.repayment_method = made.repayment_method
        loan.maturity_date = schedule.rows[-1].due_date
        loan.status = LoanStatus.NORMAL
        loan.save(
            update_fields=[
                "annual_rate",
                "term_months",
                "repayment_method",
                "maturity_date",
                "status",
            ]
        )
        refresh_period(loan.pk, after=day)
        made.status = RequestStatus.APPROVED
        made.decided_by = actor
        made.decided_on = day
        made.note = note[:200]
        made.principal_fen = principal
        made.save()
        case.status = CaseStatus.CLOSED
        case.close_reason = CloseReason.RESTRUCTURED
        case.closed_on = day
        case.save(update_fields=["status", "close_reason", "closed_on"])
        _start_observation(loan, day, actor, made.reason)
        audit.record(
            "collection.restructured",
            actor=actor,
            object_type=RESTRUCTURING,
            object_id=made.pk,
            changes={
                "loan": loan.number,
                "principal": books.fen_text(principal),
                "term_months": made.term_months,
                "annual_rate": str(made.annual_rate),
                "method": made.repayment_method,
                "maturity_date": loan.maturity_date.isoformat(),
            },
            reason=note[:200],
        )
    return made


def _start_observation(loan: LoanAccount, day: dt.date, actor: Any, reason: str) -> None:
    try:
        from xindai.classification import services as classification
    except ImportError:
        return
    start = getattr(classification, "start_observation", None)
    if start is not None:
        start(loan, day, actor=actor, reason=reason)


def reject_restructuring(actor: Any, made: Restructuring, note: str) -> Restructuring:
    _require(actor, APPROVE_RESTRUCTURING)
    return _reject(actor, made, note, "collection.restructuring_rejected", RESTRUCTURING)


def _reject(actor: Any, made: Any, note: str, action: str, object_type: str) -> Any:
    if not note.strip():
        message = gettext("请填写驳回意见")
        raise FormInvalid(message, details={"note": [message]})
    with transaction.atomic():
        made = type(made).objects.select_for_update().get(pk=made.pk)
        if made.status != RequestStatus.REQUESTED:
            raise CollectionRefused(gettext("该申请已处理"))
        made.status = RequestStatus.REJECTED
        made.decided_by = actor
        made.decided_on = today()
        made.note = note[:200]
        made.save(update_fields=["status", "decided_by", "decided_on", "note"])
        audit.record(action, actor=actor, object_type=object_type, object_id=made.pk, reason=note)
    return made


# ---- write-off -----------------------------------------------------------------------------


def request_writeoff(actor: Any, case: CollectionCase, reason: str, evidence: str) -> WriteOff:
    _require(actor, WORK)
    problems = domain.writeoff_problems(class_of(case.loan))
    if not reason.strip():
        problems.append(Problem("reason", gettext("请填写核销原因")))
    if not evidence.strip():
        problems.append(
            Problem("evidence", gettext("请填写核销依据（如诉讼终结、债务人死亡或破产）"))
        )
    if case.status != CaseStatus.OPEN:
        problems.append(Problem("loan", gettext("只有清收中的案件可以申请核销")))
    if problems:
        _refuse(problems)
    try:
        with transaction.atomic():
            made = WriteOff.objects.create(
                case=case,
                reason=reason.strip()[:300],
                evidence=evidence.strip()[:300],
                requested_on=today(),
                requested_by=actor,
            )
    except IntegrityError:
        raise CollectionRefused(gettext("该案件已有待审批或已批准的核销申请")) from None
    audit.record(
        "collection.writeoff_requested",
        actor=actor,
        object_type=WRITEOFF,
        object_id=made.pk,
        changes={"loan": case.loan.number, "evidence": made.evidence},
        reason=made.reason,
    )
    return made


def approve_writeoff(actor: Any, made: WriteOff, note: str = "") -> WriteOff:
    """Approve and write off: ``post_write_off`` exactly once (double click, retry and two
    approvers at once find the request decided)."""
    _require(actor, APPROVE_WRITEOFF)
    if made.requested_by_id == actor.pk:
        raise CollectionRefused(gettext("申请人不能审批自己的核销申请"))
    from xindai.loans.eod import refuse_while_running
    from xindai.loans.writeoff import post_write_off

    refuse_while_running()
    with transaction.atomic():
        made = WriteOff.objects.select_for_update().get(pk=made.pk)
        if made.status == RequestStatus.APPROVED:
            return made  # already done (a retry): nothing moves again
        if made.status != RequestStatus.REQUESTED:
            raise CollectionRefused(gettext("该申请已处理"))
        case = CollectionCase.objects.select_for_update().get(pk=made.case_id)
        loan = case.loan
        problems = domain.writeoff_problems(class_of(loan))
        if case.status != CaseStatus.OPEN or loan.status not in LIVE:
            problems.append(Problem("loan", gettext("只有清收中的在账贷款可以核销")))
        if problems:
            _refuse(problems)
        day = today()
        claim = post_write_off(loan, day, memo=gettext("核销 %(number)s") % {"number": loan.number})
        refresh_period(loan.pk, after=day)
        made.status = RequestStatus.APPROVED
        made.decided_by = actor
        made.decided_on = day
        made.note = note[:200]
        made.claim_fen = claim.total
        made.save()
        case.status = CaseStatus.WRITTEN_OFF
        case.written_off_on = day
        case.save(update_fields=["status", "written_off_on"])
        audit.record(
            "collection.written_off",
            actor=actor,
            object_type=WRITEOFF,
            object_id=made.pk,
            changes={"loan": loan.number, "claim": books.fen_text(claim.total)},
            reason=note[:200],
        )
    return made


def reject_writeoff(actor: Any, made: WriteOff, note: str) -> WriteOff:
    _require(actor, APPROVE_WRITEOFF)
    return _reject(actor, made, note, "collection.writeoff_rejected", WRITEOFF)


# ---- the daily job ---------------------------------------------------------------------------


def run_day(day: dt.date) -> dict[str, int]:
    """Open cases for loans that newly qualify, close cases of loans paid off, flag limitation
    alerts; idempotent for a date, set-based."""
    policy = current_policy()[1]
    after = policy.collection_case_after_days
    busy = CollectionCase.objects.exclude(status=CaseStatus.CLOSED).values("loan_id")
    qualifying = Q(state__days_past_due__gt=after) | Q(state__class_floor__in=domain.BAD_CLASSES)
    ids = set(
        LoanAccount.objects.filter(status__in=LIVE)
        .filter(qualifying)
        .exclude(pk__in=busy)
        .values_list("pk", flat=True)
    )
    ids |= _downgraded_bad(day, busy)
    opened = 0
    for loan in (
        LoanAccount.objects.filter(pk__in=ids)
        .select_related("org_unit", "customer", "state")
        .order_by("pk")
    ):
        dpd = loan.state.days_past_due
        because = (
            gettext("逾期 %(days)s 天") % {"days": dpd}
            if dpd > after
            else gettext("分类为次级及以下")
        )
        if open_case(loan, day, because) is not None:
            opened += 1
    closed = CollectionCase.objects.filter(
        status=CaseStatus.OPEN, loan__status=LoanStatus.SETTLED
    ).update(status=CaseStatus.CLOSED, close_reason=CloseReason.REPAID, closed_on=day)
    window = day + dt.timedelta(days=policy.limitation_alert_days)
    alerted = LimitationParty.objects.filter(
        alerted_on__isnull=True,
        expires_on__gte=day,
        expires_on__lte=window,
        loan__collection_cases__isnull=False,
    ).distinct()
    flagged = LimitationParty.objects.filter(
        pk__in=list(alerted.values_list("pk", flat=True))
    ).update(alerted_on=day)
    return {"cases_opened": opened, "cases_closed": closed, "limitation_alerts": flagged}


def _downgraded_bad(day: dt.date, busy: Any) -> set[int]:
    try:
        from xindai.classification import services as classification

        changes = classification.downgraded_on(day)
    except (ImportError, AttributeError):
        return set()
    return set(
        changes.filter(new__in=domain.BAD_CLASSES)
        .exclude(loan_id__in=busy)
        .filter(loan__status__in=LIVE)
        .values_list("loan_id", flat=True)
    )
