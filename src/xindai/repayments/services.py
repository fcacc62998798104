"""Taking repayments (还款) and reversing them (冲正): the use cases behind the teller page and
the API.

Exactly once: a repayment carries an idempotency key; the same key returns the repayment it
made (200, nothing moves again). Repayments of one loan queue on its ``LoanState`` row lock
(``select_for_update``), and the unique key refuses a second row even without it.

Books: one entry per repayment (key ``repay:{key}``): Dr 300101 清算资金往来 (cash) or
201101 吸收存款 (the repayment account, debited with deposit key ``repay:{key}``), Cr per part:
113202 penalty and compound, 113201 interest, 130102 overdue principal, 130101 principal (due
and prepaid), 201101 a cash surplus credited to the repayment account. Interest to date that
the end-of-day has not yet booked is booked first (``repay:{key}:to-date``: Dr 113201 / 113202,
Cr 601101 / 601102). For a non-performing loan (more than 90 days past due) interest is kept off
the balance sheet: the interest parts are credited to income on receipt (601101 / 601102) and
the off-balance receivable is written down (``repay:{key}:off``: Dr 701102, Cr 701101).

Reversal (冲正): requested with a reason by a teller, carried out when a second person approves
(not the requester, not the teller who took the repayment; ``repayments.approve_reversal``:
branch head, 放款/会计). Only on the repayment's business date, only while it is the loan's
latest repayment, and only while nothing else has changed the loan since (no end-of-day, no
collection): the loan's figures must equal the ``after`` the repayment stored. Then the figures
go back to ``before``, every entry is reversed (``reverse:{entry key}``), the deposit movement is
compensated (``reverse:{key}``) and a replaced schedule is put back.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from xindai.audit import services as audit
from xindai.core.errors import DomainError, FormInvalid, InvalidInput
from xindai.core.money import fen
from xindai.core.problems import Problem, by_field
from xindai.customers.services import as_of_today, require
from xindai.deposits import services as deposits
from xindai.deposits.models import MovementKind
from xindai.ledger import domain as books
from xindai.ledger import services as ledger
from xindai.ledger.models import EntryKind, JournalEntry
from xindai.loans import servicing
from xindai.loans.accounts import loan_terms, refresh_period
from xindai.loans.eod import refuse_while_running
from xindai.loans.models import LoanAccount, LoanState, LoanStatus, ScheduleRow
from xindai.loans.schedule import Method
from xindai.loans.services import visible_loans
from xindai.repayments import domain
from xindai.repayments.models import (
    Repayment,
    RepaymentStatus,
    Reversal,
    ReversalStatus,
    ScheduleVersion,
)

VIEW = "repayments.view_repayment"
TAKE = "repayments.add_repayment"
REQUEST = "repayments.add_reversal"
APPROVE = "repayments.approve_reversal"
MAX_KEY = 64
REPAYMENT = "repayments.repayment"
REVERSAL = "repayments.reversal"

STATE_FIELDS = (
    "principal_fen",
    "principal_due_fen",
    "overdue_principal_fen",
    "interest_base",
    "interest_accrued_fen",
    "interest_due_fen",
    "overdue_interest_fen",
    "penalty_base",
    "compound_base",
    "penalty_due_fen",
    "compound_due_fen",
    "overdue_since",
    "days_past_due",
    "class_floor",
    "last_eod_date",
)
LOAN_FIELDS = ("status", "outstanding_principal", "maturity_date")
CLOSED = (LoanStatus.SETTLED, LoanStatus.WRITTEN_OFF)


class RepaymentRefused(DomainError):
    code = "repayment_refused"


class ReversalRefused(DomainError):
    code = "reversal_refused"


# ---- reads -------------------------------------------------------------------------------------


def visible_repayments(user: Any) -> QuerySet[Repayment]:
    return Repayment.objects.filter(loan__in=visible_loans(user)).select_related(
        "loan", "loan__customer", "created_by"
    )


def visible_reversals(user: Any) -> QuerySet[Reversal]:
    return Reversal.objects.filter(repayment__loan__in=visible_loans(user)).select_related(
        "repayment", "repayment__loan", "repayment__loan__customer", "requested_by", "approved_by"
    )


def state_of(loan_state: LoanState) -> domain.State:
    s = loan_state
    return domain.State(
        principal=s.principal_fen,
        principal_due=s.principal_due_fen,
        overdue_principal=s.overdue_principal_fen,
        interest_base=s.interest_base,
        interest_accrued=s.interest_accrued_fen,
        interest_due=s.interest_due_fen,
        overdue_interest=s.overdue_interest_fen,
        penalty_base=s.penalty_base,
        compound_base=s.compound_base,
        penalty_due=s.penalty_due_fen,
        compound_due=s.compound_due_fen,
        rate_ppm=s.rate_ppm,
        penalty_rate_ppm=s.penalty_rate_ppm,
        day_basis=s.day_basis,
        days_past_due=s.days_past_due,
        last_eod_date=s.last_eod_date,
    )


def rows_of(loan: LoanAccount) -> list[domain.Row]:
    return [
        domain.Row(r.period, r.due_date, r.principal_fen, r.interest_fen, fen(r.payment), r.days)
        for r in ScheduleRow.objects.filter(loan=loan).order_by("period")
    ]


def _rebuilt_on(loan: LoanAccount) -> dt.date | None:
    """The date of the latest prepayment that rebuilt the rows and still stands."""
    latest = (
        ScheduleVersion.objects.filter(loan=loan, repayment__status=RepaymentStatus.POSTED)
        .order_by("-repayment__business_date")
        .values_list("repayment__business_date", flat=True)
        .first()
    )
    return latest


def quote(loan: LoanAccount, as_of: dt.date | None = None) -> domain.Quote:
    """What the borrower owes today (or on ``as_of``): due buckets and the payoff amount."""
    as_of = as_of or as_of_today()
    return domain.quote(
        state_of(LoanState.objects.get(loan=loan)),
        rows_of(loan),
        method=Method(loan.repayment_method),
        start=loan.start_date,
        as_of=as_of,
        rebuilt_on=_rebuilt_on(loan),
    )


def loan_for(actor: Any, loan_id: int) -> LoanAccount:
    found = visible_loans(actor).filter(pk=loan_id).first()
    if found is None:
        raise LoanAccount.DoesNotExist
    return found


# ---- 还款 -------------------------------------------------------------------------------------


def repay(
    actor: Any,
    loan: LoanAccount,
    amount: Decimal | str,
    source: str,
    idempotency_key: str,
    *,
    prepayment: str | None = None,
) -> tuple[Repayment, bool]:
    """Take a repayment of ``amount`` yuan from ``source`` (cash / deposit), once per key:
    (the repayment, whether this call made it). ``prepayment``: shorter_term,
    lower_installment or payoff."""
    require(actor, TAKE)
    key = _key(idempotency_key)
    amount_fen = _amount(amount)
    src = _choice(domain.Source, source, "source", gettext("资金来源只能是 cash 或 deposit"))
    option = (
        _choice(
            domain.Option,
            prepayment,
            "prepayment",
            gettext("提前还款方式只能是 shorter_term、lower_installment 或 payoff"),
        )
        if prepayment
        else None
    )
    if not visible_loans(actor).filter(pk=loan.pk).exists():
        raise PermissionDenied("loan")
    request = (loan.pk, amount_fen, src, option)
    done = _made_by(key, request)
    if done is not None:
        return done, False
    refuse_while_running()
    try:
        with transaction.atomic():
            return _repay_locked(actor, loan, amount_fen, src, option, key, request)
    except IntegrityError:  # the same key at the same moment: that one is the answer
        done = _made_by(key, request)
        if done is None:
            raise
        return done, False


def repay_for_case(
    actor: Any, loan: LoanAccount, amount_fen: int, source: str, key: str
) -> Repayment:
    """A repayment recovered by a collection officer (清收回收款), inside the caller's
    transaction: the same allocation, entries and idempotency as :func:`repay`; the officer's
    authority is his case (checked by the collection app), not ``repayments.add_repayment``."""
    src = _choice(domain.Source, source, "source", gettext("资金来源只能是 cash 或 deposit"))
    request = (loan.pk, amount_fen, src, None)
    done = _made_by(key, request)
    if done is not None:
        return done
    refuse_while_running()
    made, _created = _repay_locked(actor, loan, amount_fen, src, None, key, request)
    return made


def _key(idempotency_key: str) -> str:
    key = (idempotency_key or "").strip()
    if not key or len(key) > MAX_KEY:
        message = gettext("缺少请求幂等键（Idempotency-Key），或超过 %(n)s 个字符") % {"n": MAX_KEY}
        raise InvalidInput(message, code="idempotency_key")
    return key


def _amount(amount: Decimal | str) -> int:
    try:
        value = Decimal(str(amount).replace(",", "").strip())
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or value <= 0 or value != value.quantize(Decimal("0.01")):
        message = gettext("还款金额须为大于 0 的金额，最多两位小数")
        raise FormInvalid(message, details={"amount": [message]})
    return fen(value)


def _choice(choices: Any, value: str | None, field: str, message: str) -> Any:
    try:
        return choices(value)
    except ValueError:
        raise FormInvalid(message, details={field: [message]}) from None


def _made_by(key: str, request: tuple[Any, ...]) -> Repayment | None:
    done = Repayment.objects.filter(idempotency_key=key).first()
    if done is None:
        return None
    loan_id, amount_fen, source, option = request
    same = (done.loan_id, done.amount_fen, done.source) == (loan_id, amount_fen, source) and (
        done.allocation.get("option") == (option.value if option else None)
    )
    if not same:
        raise DomainError(
            gettext("此幂等键已用于另一笔还款，请为新的还款使用新的幂等键"),
            code="idempotency_key_reused",
        )
    return done


def _repay_locked(
    actor: Any,
    loan: LoanAccount,
    amount_fen: int,
    source: domain.Source,
    option: domain.Option | None,
    key: str,
    request: tuple[Any, ...],
) -> tuple[Repayment, bool]:
    state = (
        LoanState.objects.select_for_update(of=("self",))
        .select_related("repayment_account")
        .get(loan=loan)
    )
    done = _made_by(key, request)  # the same request, retried while the first held the lock
    if done is not None:
        return done, False
    loan = LoanAccount.objects.select_related("product").get(pk=loan.pk)
    if loan.status in CLOSED:
        message = gettext("贷款 %(number)s 已%(status)s，不能再还款") % {
            "number": loan.number,
            "status": loan.get_status_display(),
        }
        raise RepaymentRefused(message)
    today = as_of_today()
    rows = rows_of(loan)
    method = Method(loan.repayment_method)
    q = domain.quote(
        state_of(state),
        rows,
        method=method,
        start=loan.start_date,
        as_of=today,
        rebuilt_on=_rebuilt_on(loan),
    )
    rows_left = [row for row in rows if row.due_date > today]
    account = state.repayment_account
    made, problems = domain.plan(
        q,
        amount_fen,
        option,
        source=source,
        method=method,
        has_account=account is not None,
        remaining_rows=len(rows_left),
    )
    if source == domain.Source.DEPOSIT and account is None:
        problems.append(Problem("source", gettext("该贷款未绑定还款账户，不能从账户扣款")))
    if made is None or problems:
        _refuse(problems)
    assert made is not None
    before = _snapshot(state, loan)
    entries = _post(key, loan, q, made, source, state, today)
    movement = _move_deposit(key, account, source, made, amount_fen, today, loan)
    _apply(state, loan, q, made, rows)
    repayment = Repayment.objects.create(
        loan=loan,
        business_date=today,
        amount_fen=amount_fen,
        source=source.value,
        kind=made.kind.value,
        idempotency_key=key,
        allocation={
            "parts": dict(made.parts),
            "option": option.value if option else None,
            "npl": state_of(state).npl,
        },
        before=before,
        entries=entries,
        deposit_movement=movement,
        created_by=actor,
    )
    if made.kind in (domain.Kind.PREPAY_SHORTER, domain.Kind.PREPAY_LOWER, domain.Kind.PAYOFF):
        _replace_schedule(loan, repayment, rows_left, made, state, today)
    repayment.after = _snapshot(state, loan)
    repayment.save(update_fields=["after"])
    audit.record(
        "repayments.posted",
        actor=actor,
        object_type=REPAYMENT,
        object_id=repayment.pk,
        changes={
            "loan": loan.number,
            "amount": books.fen_text(amount_fen),
            "source": source.value,
            "kind": made.kind.value,
            "parts": {part: books.fen_text(v) for part, v in made.parts.items()},
        },
    )
    return repayment, True


def _refuse(problems: list[Problem]) -> None:
    message = gettext("不能收款：") + gettext("；").join(p.text(gettext) for p in problems)
    raise RepaymentRefused(message, details=by_field(problems, gettext))


def _snapshot(state: LoanState, loan: LoanAccount) -> dict[str, Any]:
    def plain(value: Any) -> Any:
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, Decimal):
            return f"{value:.2f}"
        return value

    figures = {name: plain(getattr(state, name)) for name in STATE_FIELDS}
    return figures | {f"loan.{name}": plain(getattr(loan, name)) for name in LOAN_FIELDS}


INTEREST_PARTS = ("overdue_interest", "interest_due", "interest_to_date")
PENALTY_PARTS = ("penalty_due", "compound_due", "penalty_to_date", "compound_to_date")


def _legs(made: domain.Plan, source: domain.Source, amount: int, npl: bool) -> list[books.Leg]:
    parts = made.parts
    credits: dict[str, int] = {}

    def add(account: str, fen_: int) -> None:
        if fen_:
            credits[account] = credits.get(account, 0) + fen_

    for part in PENALTY_PARTS:
        add("601102" if npl else "113202", parts.get(part, 0))
    for part in INTEREST_PARTS:
        add("601101" if npl else "113201", parts.get(part, 0))
    add("130102", parts.get("overdue_principal", 0))
    add("130101", parts.get("principal_due", 0) + parts.get("principal", 0))
    add("201101", parts.get("surplus", 0))
    paying = "300101" if source == domain.Source.CASH else "201101"
    return [books.debit(paying, amount), *(books.credit(a, f) for a, f in credits.items())]


def _post(
    key: str,
    loan: LoanAccount,
    q: domain.Quote,
    made: domain.Plan,
    source: domain.Source,
    state: LoanState,
    today: dt.date,
) -> list[str]:
    """The repayment's entries: interest to date not yet booked, the repayment itself, and for
    a non-performing loan the write-down of the off-balance receivable."""
    npl = state_of(state).npl
    number = loan.number
    keys: list[str] = []
    top_up = made.parts.get("interest_to_date", 0) and q.interest_top_up
    penalty = made.parts.get("penalty_to_date", 0) + made.parts.get("compound_to_date", 0)
    legs: list[books.Leg] = []
    if npl:
        off = top_up + penalty
        if off > 0:
            legs += [books.debit("701101", off), books.credit("701102", off)]
        elif off < 0:
            legs += [books.debit("701102", -off), books.credit("701101", -off)]
    else:
        if top_up > 0:
            legs += [books.debit("113201", top_up), books.credit("601101", top_up)]
        elif top_up < 0:
            legs += [books.debit("601101", -top_up), books.credit("113201", -top_up)]
        if penalty:
            legs += [books.debit("113202", penalty), books.credit("601102", penalty)]
    if legs:
        to_date = f"repay:{key}:to-date"
        memo = gettext("还款：计至今日的利息 %(number)s") % {"number": number}
        ledger.post(to_date, today, EntryKind.ACCRUAL, legs, memo=memo, loan=loan)
        keys.append(to_date)
    main = f"repay:{key}"
    memo = gettext("还款 %(number)s") % {"number": number}
    ledger.post(
        main,
        today,
        EntryKind.REPAYMENT,
        _legs(made, source, sum(made.parts.values()), npl),
        memo=memo,
        loan=loan,
    )
    keys.append(main)
    if npl:
        received = sum(made.parts.get(p, 0) for p in (*INTEREST_PARTS, *PENALTY_PARTS))
        if received:
            off_key = f"repay:{key}:off"
            legs = [books.debit("701102", received), books.credit("701101", received)]
            memo = gettext("收回表外利息 %(number)s") % {"number": number}
            ledger.post(off_key, today, EntryKind.REPAYMENT, legs, memo=memo, loan=loan)
            keys.append(off_key)
    return keys


def _move_deposit(
    key: str,
    account: Any,
    source: domain.Source,
    made: domain.Plan,
    amount_fen: int,
    today: dt.date,
    loan: LoanAccount,
) -> Any:
    if source == domain.Source.DEPOSIT:
        memo = gettext("贷款还款 %(number)s") % {"number": loan.number}
        return deposits.move(
            account, f"repay:{key}", today, MovementKind.COLLECTION, -amount_fen, memo
        )
    surplus = made.parts.get("surplus", 0)
    if surplus:
        memo = gettext("还款溢缴转存 %(number)s") % {"number": loan.number}
        return deposits.move(account, f"repay:{key}", today, MovementKind.CASH_IN, surplus, memo)
    return None


def _apply(
    state: LoanState, loan: LoanAccount, q: domain.Quote, made: domain.Plan, rows: list[domain.Row]
) -> None:
    parts = made.parts
    for bucket in domain.COLLECTION_ORDER:
        field = f"{bucket}_fen"
        setattr(state, field, getattr(state, field) - parts.get(bucket, 0))
    if "interest_to_date" in parts:  # the accrual of the period (or the 积数) is paid
        state.interest_accrued_fen = 0
        if not q.schedule_interest:
            state.interest_base = 0
    state.principal_fen -= parts.get("principal", 0)
    if made.kind == domain.Kind.PAYOFF:
        state.interest_accrued_fen = 0
        state.interest_base = state.penalty_base = state.compound_base = 0
    # The oldest installment still unpaid (payments go to the oldest first). Days past due,
    # the class floor and whether the loan is performing are the end-of-day's to recompute
    # (with its postings), so the books and the figures stay in step here.
    unpaid = state.overdue_principal_fen + state.overdue_interest_fen
    fell_due = [
        (row.due_date, row.principal + row.interest) for row in rows if row.due_date < q.as_of
    ]
    state.overdue_since = servicing.oldest_unpaid(fell_due, unpaid) if unpaid else None
    state.save()
    outstanding = state.principal_fen + state.principal_due_fen + state.overdue_principal_fen
    loan.outstanding_principal = (Decimal(outstanding) / 100).quantize(Decimal("0.01"))
    if made.kind == domain.Kind.PAYOFF:
        loan.status = LoanStatus.SETTLED
    elif loan.status == LoanStatus.OVERDUE and state.overdue_since is None:
        loan.status = LoanStatus.NORMAL
    loan.save(update_fields=["outstanding_principal", "status"])


def _row_json(row: ScheduleRow) -> dict[str, Any]:
    return {
        "period": row.period,
        "due_date": row.due_date.isoformat(),
        "principal": str(row.principal),
        "interest": str(row.interest),
        "payment": str(row.payment),
        "balance": str(row.balance),
        "principal_fen": row.principal_fen,
        "interest_fen": row.interest_fen,
        "days": row.days,
    }


def _replace_schedule(
    loan: LoanAccount,
    repayment: Repayment,
    rows_left: list[domain.Row],
    made: domain.Plan,
    state: LoanState,
    today: dt.date,
) -> None:
    """Keep the rows not yet due as a version; put the rebuilt rows in their place (none after
    a payoff: nothing is owed any more)."""
    first = rows_left[0].period if rows_left else 0
    old = list(ScheduleRow.objects.filter(loan=loan, period__gte=first).order_by("period"))
    if not old:
        return
    ScheduleVersion.objects.create(
        loan=loan,
        repayment=repayment,
        from_period=first,
        rows=[_row_json(row) for row in old],
        maturity_date=loan.maturity_date,
    )
    ScheduleRow.objects.filter(pk__in=[row.pk for row in old]).delete()
    if made.option is None or made.option == domain.Option.PAYOFF:
        refresh_period(loan.pk)
        return
    template = loan_terms(
        loan.product,
        loan.principal,
        loan.annual_rate,
        loan.term_months,
        loan.repayment_method,
        loan.start_date,
    )
    new = domain.reamortise(template, rows_left, state.principal_fen, today, made.option)
    ScheduleRow.objects.bulk_create(
        ScheduleRow(
            loan=loan,
            period=first + n,
            due_date=row.due_date,
            principal=row.principal,
            interest=row.interest,
            payment=row.payment,
            balance=row.balance,
            principal_fen=fen(row.principal),
            interest_fen=fen(row.interest),
            days=row.days,
        )
        for n, row in enumerate(new.rows)
    )
    loan.maturity_date = new.rows[-1].due_date
    loan.save(update_fields=["maturity_date"])
    refresh_period(loan.pk)  # the end-of-day reads the current period from the state


# ---- 冲正 -------------------------------------------------------------------------------------


def request_reversal(actor: Any, repayment: Repayment, reason: str) -> Reversal:
    """A teller asks for the reversal of ``repayment`` with a reason; a second person approves."""
    require(actor, REQUEST)
    _visible(actor, repayment)
    reason = (reason or "").strip()
    if not reason:
        message = gettext("请填写冲正原因")
        raise FormInvalid(message, details={"reason": [message]})
    if len(reason) > 200:
        message = gettext("冲正原因不能超过 200 个字")
        raise FormInvalid(message, details={"reason": [message]})
    with transaction.atomic():
        locked = Repayment.objects.select_for_update().get(pk=repayment.pk)
        _check_reversible(locked)
        if locked.reversals.filter(status=ReversalStatus.REQUESTED).exists():
            raise ReversalRefused(gettext("这笔还款已有待审批的冲正申请"))
        reversal = Reversal.objects.create(repayment=locked, reason=reason, requested_by=actor)
        audit.record(
            "repayments.reversal_requested",
            actor=actor,
            object_type=REVERSAL,
            object_id=reversal.pk,
            changes={"repayment": locked.pk, "loan": locked.loan.number},
            reason=reason,
        )
    return reversal


def approve_reversal(actor: Any, reversal: Reversal) -> Reversal:
    """The second person approves: the repayment is undone in one transaction."""
    require(actor, APPROVE)
    _visible(actor, reversal.repayment)
    refuse_while_running()
    with transaction.atomic():
        repayment = reversal.repayment
        state = LoanState.objects.select_for_update().get(loan_id=repayment.loan_id)
        locked = Reversal.objects.select_for_update().get(pk=reversal.pk)
        if locked.status != ReversalStatus.REQUESTED:
            raise ReversalRefused(
                gettext("冲正申请已%(status)s，不能再审批")
                % {"status": locked.get_status_display()}
            )
        repayment = Repayment.objects.select_for_update().get(pk=locked.repayment_id)
        if actor.pk in (locked.requested_by_id, repayment.created_by_id):
            raise ReversalRefused(
                gettext("冲正须由申请人和经办柜员以外的第二人审批"), code="same_person"
            )
        loan = LoanAccount.objects.get(pk=repayment.loan_id)
        _check_reversible(repayment, state, loan)
        _undo(repayment, state, loan)
        locked.status = ReversalStatus.APPROVED
        locked.approved_by = actor
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "approved_by", "decided_at"])
        audit.record(
            "repayments.reversed",
            actor=actor,
            object_type=REVERSAL,
            object_id=locked.pk,
            changes={
                "repayment": repayment.pk,
                "loan": loan.number,
                "amount": books.fen_text(repayment.amount_fen),
            },
            reason=locked.reason,
        )
    return locked


def reject_reversal(actor: Any, reversal: Reversal, note: str) -> Reversal:
    require(actor, APPROVE)
    _visible(actor, reversal.repayment)
    note = (note or "").strip()[:200]
    with transaction.atomic():
        locked = Reversal.objects.select_for_update().get(pk=reversal.pk)
        if locked.status != ReversalStatus.REQUESTED:
            raise ReversalRefused(
                gettext("冲正申请已%(status)s，不能再审批")
                % {"status": locked.get_status_display()}
            )
        if actor.pk == locked.requested_by_id:
            raise ReversalRefused(gettext("不能审批自己提出的冲正申请"), code="same_person")
        locked.status = ReversalStatus.REJECTED
        locked.approved_by = actor
        locked.decided_at = timezone.now()
        locked.note = note
        locked.save(update_fields=["status", "approved_by", "decided_at", "note"])
        audit.record(
            "repayments.reversal_rejected",
            actor=actor,
            object_type=REVERSAL,
            object_id=locked.pk,
            changes={"repayment": locked.repayment_id},
            reason=note,
        )
    return locked


def _visible(actor: Any, repayment: Repayment) -> None:
    if not visible_loans(actor).filter(pk=repayment.loan_id).exists():
        raise PermissionDenied("repayment")


def reversal_problems(
    repayment: Repayment, state: LoanState | None = None, loan: LoanAccount | None = None
) -> list[str]:
    """Why ``repayment`` cannot be reversed now (empty: it can)."""
    found = []
    if repayment.status != RepaymentStatus.POSTED:
        return [gettext("这笔还款已冲正")]
    if repayment.business_date != as_of_today():
        found.append(gettext("只能冲正当日（会计日期当天）的还款；隔日请办理调账"))
    later = Repayment.objects.filter(
        loan_id=repayment.loan_id, status=RepaymentStatus.POSTED, pk__gt=repayment.pk
    )
    if later.exists():
        found.append(gettext("该贷款此后还有还款，须先冲正后面的还款"))
    state = state or LoanState.objects.get(loan_id=repayment.loan_id)
    loan = loan or LoanAccount.objects.get(pk=repayment.loan_id)
    if not later.exists() and _snapshot(state, loan) != repayment.after:
        found.append(gettext("还款后贷款已有变动（日终计息或扣款等），不能冲正"))
    return found


def _check_reversible(
    repayment: Repayment, state: LoanState | None = None, loan: LoanAccount | None = None
) -> None:
    found = reversal_problems(repayment, state, loan)
    if found:
        raise ReversalRefused(gettext("不能冲正：") + gettext("；").join(found))


def _undo(repayment: Repayment, state: LoanState, loan: LoanAccount) -> None:
    today = as_of_today()
    key = repayment.idempotency_key
    for entry_key in reversed(repayment.entries):
        entry = JournalEntry.objects.get(key=entry_key)
        memo = gettext("冲正：%(memo)s") % {"memo": entry.memo}
        ledger.reverse(entry, f"reverse:{entry_key}", today, memo[:200])
    movement = repayment.deposit_movement
    if movement is not None:
        memo = gettext("冲正还款 %(number)s") % {"number": loan.number}
        deposits.move(
            movement.account,
            f"reverse:{key}",
            today,
            MovementKind.REVERSAL,
            -movement.amount_fen,
            memo,
        )
    before = repayment.before
    for name in STATE_FIELDS:
        value = before[name]
        if name in ("overdue_since", "last_eod_date") and value is not None:
            value = dt.date.fromisoformat(value)
        setattr(state, name, value)
    state.save()
    loan.status = before["loan.status"]
    loan.outstanding_principal = Decimal(before["loan.outstanding_principal"])
    loan.maturity_date = dt.date.fromisoformat(before["loan.maturity_date"])
    loan.save(update_fields=["status", "outstanding_principal", "maturity_date"])
    version = ScheduleVersion.objects.filter(repayment=repayment).first()
    if version is not None:
        ScheduleRow.objects.filter(loan=loan, period__gte=version.from_period).delete()
        ScheduleRow.objects.bulk_create(
            ScheduleRow(
                loan=loan,
                period=row["period"],
                due_date=dt.date.fromisoformat(row["due_date"]),
                principal=Decimal(row["principal"]),
                interest=Decimal(row["interest"]),
                payment=Decimal(row["payment"]),
                balance=Decimal(row["balance"]),
                principal_fen=row["principal_fen"],
                interest_fen=row["interest_fen"],
                days=row["days"],
            )
            for row in version.rows
        )
    refresh_period(loan.pk)
    repayment.status = RepaymentStatus.REVERSED
    repayment.save(update_fields=["status"])
