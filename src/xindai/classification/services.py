"""Five-category classification use cases: the interfaces the other post-loan apps call
(``current_class``, ``classes_of``, ``downgraded_on``, ``start_observation``), re-classifying
loans (the daily job and the quarterly run), manual proposals with two-level approval, and
the asset-quality analysis (balances by class, 不良率, overdue buckets, migration matrix).

Rows are lazy: a loan without a ``LoanClass`` is 正常; the row is created the first time the
loan's class changes, so the daily job costs nothing for loans that stay 正常.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Case, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext

from xindai.audit import services as audit
from xindai.classification import domain
from xindai.classification.models import (
    ChangeSource,
    ClassChange,
    ClassProposal,
    LoanClass,
    ProposalStatus,
    QuarterlyRun,
    RunState,
)
from xindai.core import business_date
from xindai.core.errors import DomainError, FormInvalid
from xindai.core.problems import by_field
from xindai.credit.facts import current_policy
from xindai.customers.models import CustomerKind
from xindai.loans.models import FiveCategory, LoanAccount, LoanState, ScheduleRow
from xindai.loans.services import visible_loans

VIEW = "classification.view_loanclass"
PROPOSE = "classification.propose_class"
APPROVE_FIRST = "classification.approve_class_first"
APPROVE_FINAL = "classification.approve_class_final"
RUN_QUARTERLY = "classification.run_quarterly"
LOAN_CLASS = "classification.loanclass"
PROPOSAL = "classification.classproposal"
QUARTERLY = "classification.quarterlyrun"
CHUNK = 500

# The balance of a loan (fen): principal not yet due, due today and overdue.
BALANCE = F("principal_fen") + F("principal_due_fen") + F("overdue_principal_fen")


class ClassificationRefused(DomainError):
    code = "classification_refused"


def today() -> dt.date:
    return business_date.current()


# ---- interfaces for the other post-loan apps ----------------------------------------------------


def current_class(loan: Any) -> str:
    """The loan's class (FiveCategory value); "normal" when it has no record."""
    loan_id = loan if isinstance(loan, int) else loan.pk
    found = LoanClass.objects.filter(loan_id=loan_id).values_list("category", flat=True).first()
    return found or FiveCategory.NORMAL


def classes_of(loan_ids: Iterable[int]) -> dict[int, str]:
    """The class of each loan in ``loan_ids`` (missing ones are 正常)."""
    ids = list(loan_ids)
    found = dict(LoanClass.objects.filter(loan_id__in=ids).values_list("loan_id", "category"))
    return {pk: found.get(pk, FiveCategory.NORMAL) for pk in ids}


def downgraded_on(day: dt.date) -> QuerySet[ClassChange]:
    """The changes on business date ``day`` to a worse class."""
    worse = Q()
    for old in domain.ORDER:
        news = [c for c in domain.ORDER if domain.rank(c) > domain.rank(old)]
        if news:
            worse |= Q(old=old, new__in=news)
    return ClassChange.objects.filter(worse, business_date=day).select_related("loan")


def start_observation(loan: Any, day: dt.date, *, actor: Any, reason: str) -> None:
    """A restructured loan: observation for ``restructure_observation_months`` from ``day``;
    at least 关注 and not upgraded during it; overdue during it → at least 次级."""
    months = current_policy()[1].restructure_observation_months
    until = domain.add_months(day, months) - dt.timedelta(days=1)
    with transaction.atomic():
        row = _row_for_update(loan.pk, day)
        row.observation_start, row.observation_until = day, until
        row.save(update_fields=["observation_start", "observation_until", "updated_at"])
        state = LoanState.objects.get(loan_id=loan.pk)
        target = domain.worst(
            row.category,
            state.class_floor,
            row.manual_floor,
            row.debtor_floor,
            domain.observation_floor(True, state.days_past_due),
        )
        if target != row.category:
            row.debtor_raised = False
            _change(row, target, day, ChangeSource.RESTRUCTURE, reason, actor)
        audit.record(
            "classification.observation_started",
            actor=actor,
            object_type=LOAN_CLASS,
            object_id=loan.pk,
            changes={"observation": [day.isoformat(), until.isoformat()]},
            reason=reason,
        )


# ---- changing a class ---------------------------------------------------------------------------


def _row_for_update(loan_id: int, day: dt.date) -> LoanClass:
    row = LoanClass.objects.select_for_update().filter(loan_id=loan_id).first()
    if row is None:
        try:
            with transaction.atomic():
                row = LoanClass.objects.create(
                    loan_id=loan_id, category=FiveCategory.NORMAL, since=day
                )
        except IntegrityError:  # created meanwhile by someone else
            row = LoanClass.objects.select_for_update().get(loan_id=loan_id)
    return row


def _change(
    row: LoanClass, new: str, day: dt.date, source: str, reason: str, actor: Any = None
) -> ClassChange:
    old = row.category
    row.category, row.since = new, day
    row.save()
    return ClassChange.objects.create(
        loan_id=row.loan_id,
        business_date=day,
        old=old,
        new=new,
        source=source,
        reason=reason[:300],
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )


def candidates(day: dt.date) -> list[int]:
    """The loans the daily job must look at: active loans whose floor differs from their class
    (a loan without a row is 正常), and loans in observation (set-based, two queries)."""
    category = Coalesce(F("loan__five_class__category"), Value(FiveCategory.NORMAL))
    off_floor = (
        LoanState.objects.filter(active=True)
        .exclude(class_floor=FiveCategory.NORMAL)
        .annotate(category=category)
        .exclude(category=F("class_floor"))
        .values_list("loan_id", flat=True)
    )
    classed = (
        LoanClass.objects.filter(loan__state__active=True)
        .filter(
            ~Q(category=F("loan__state__class_floor"))
            | Q(observation_until__gte=day)
            | (Q(cleared_on__isnull=False) & ~Q(category=FiveCategory.NORMAL))
        )
        .values_list("loan_id", flat=True)
    )
    return sorted(set(off_floor) | set(classed))


def classify(loan_ids: Sequence[int], day: dt.date, *, source: str = "", actor: Any = None) -> int:
    """Re-classify ``loan_ids`` on business date ``day``; the number of changes. ``source``
    overrides the change's source (the quarterly run)."""
    if not loan_ids:
        return 0
    policy = current_policy()[1]
    changed = 0
    with transaction.atomic():
        states = {
            s.loan_id: s
            for s in LoanState.objects.filter(loan_id__in=loan_ids).only(
                "loan_id", "class_floor", "days_past_due"
            )
        }
        rows = {
            r.loan_id: r for r in LoanClass.objects.select_for_update().filter(loan_id__in=loan_ids)
        }
        # Loans whose overdue is cleared: when, and the installments due since.
        for held in rows.values():
            state = states.get(held.loan_id)
            if state is None:
                continue
            if state.days_past_due > 0:
                if held.cleared_on is not None:
                    held.cleared_on = None
                    held.save(update_fields=["cleared_on", "updated_at"])
            elif held.cleared_on is None and domain.is_npl(held.category):
                held.cleared_on = day
                held.save(update_fields=["cleared_on", "updated_at"])
        waiting = {r.loan_id: r.cleared_on for r in rows.values() if r.cleared_on is not None}
        on_time: dict[int, int] = dict.fromkeys(waiting, 0)
        if waiting:
            due = ScheduleRow.objects.filter(
                loan_id__in=list(waiting), due_date__lt=day, due_date__gte=min(waiting.values())
            ).values_list("loan_id", "due_date")
            for loan_id, due_date in due:
                cleared = waiting[loan_id]
                if cleared is not None and due_date >= cleared:
                    on_time[loan_id] += 1
        for loan_id in loan_ids:
            state = states.get(loan_id)
            if state is None:
                continue
            row: LoanClass | None = rows.get(loan_id)
            facts = domain.Facts(
                current=row.category if row else FiveCategory.NORMAL,
                floor=state.class_floor,
                today=day,
                days_past_due=state.days_past_due,
                manual_floor=row.manual_floor if row else "",
                debtor_floor=row.debtor_floor if row else "",
                observation_until=row.observation_until if row else None,
                cleared_on=row.cleared_on if row else None,
                periods_on_time=on_time.get(loan_id, 0),
                need_periods=policy.npl_upgrade_periods,
                need_months=policy.npl_upgrade_months,
            )
            decision = domain.decide(facts)
            if decision.category == facts.current:
                continue
            if row is None:
                row = _row_for_update(loan_id, day)
            if decision.source == "upgrade" or not domain.is_npl(decision.category):
                row.cleared_on = None
            row.debtor_raised = decision.reason == domain.DEBTOR_REASON
            _change(
                row,
                decision.category,
                day,
                source or decision.source,
                decision.problem().text(gettext),
                actor,
            )
            changed += 1
    return changed


# ---- manual classification ----------------------------------------------------------------------


def visible_classes(user: Any) -> QuerySet[LoanState]:
    """The user's active loans' states with ``category`` (their class) and ``balance`` (fen)."""
    return (
        LoanState.objects.filter(active=True, loan__in=visible_loans(user))
        .select_related("loan", "loan__customer", "loan__product", "loan__org_unit")
        .select_related("loan__manager")
        .annotate(
            category=Coalesce(F("loan__five_class__category"), Value(FiveCategory.NORMAL)),
            balance=BALANCE,
        )
    )


def visible_proposals(user: Any) -> QuerySet[ClassProposal]:
    return ClassProposal.objects.filter(loan__in=visible_loans(user)).select_related(
        "loan", "loan__customer", "proposed_by", "first_by", "final_by", "rejected_by"
    )


def history(loan: LoanAccount) -> QuerySet[ClassChange]:
    return ClassChange.objects.filter(loan=loan).select_related("actor").order_by("-pk")


def _require(user: Any, perm: str) -> None:
    if not user.has_perm(perm):
        raise ClassificationRefused(gettext("您没有办理此项业务的权限"), code="forbidden")


def propose(
    user: Any,
    loan: LoanAccount,
    proposed: str,
    *,
    reason: str,
    reasons: Sequence[str] = (),
    evidence: str = "",
) -> ClassProposal:
    """A manual classification, to be approved at two levels."""
    _require(user, PROPOSE)
    day = today()
    reason = (reason or "").strip()
    with transaction.atomic():
        state = LoanState.objects.select_for_update().get(loan=loan)
        current = current_class(loan)
        problems = domain.proposal_problems(proposed, state.class_floor, current)
        details = by_field(problems, gettext)
        if not reason:
            details.setdefault("reason", []).append(gettext("请填写认定理由"))
        if details:
            raise FormInvalid(gettext("认定信息有误"), details=details)
        if ClassProposal.objects.filter(
            loan=loan, status__in=[ProposalStatus.PROPOSED, ProposalStatus.FIRST_APPROVED]
        ).exists():
            raise ClassificationRefused(gettext("该贷款已有待审批的分类认定"))
        made = ClassProposal.objects.create(
            loan=loan,
            business_date=day,
            current=current,
            proposed=proposed,
            reasons=[r for r in reasons if r],
            reason=reason,
            evidence=evidence.strip(),
            proposed_by=user,
        )
        audit.record(
            "classification.proposed",
            actor=user,
            object_type=PROPOSAL,
            object_id=made.pk,
            changes={"loan": loan.number, "class": [current, proposed]},
            reason=reason,
        )
    return made


def _locked(proposal: ClassProposal, *statuses: str) -> ClassProposal:
    locked = ClassProposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.status not in statuses:
        raise ClassificationRefused(gettext("该认定已处理，不能重复审批"))
    return locked


def _check_approver(stage: str, user: Any, proposal: ClassProposal) -> None:
    problem = domain.approver_problem(stage, user.pk, proposal.proposed_by_id, proposal.first_by_id)
    if problem is not None:
        raise ClassificationRefused(problem.text(gettext), code="same_person")


def approve_first(user: Any, proposal: ClassProposal, note: str = "") -> ClassProposal:
    """一级审批 (支行行长)."""
    _require(user, APPROVE_FIRST)
    with transaction.atomic():
        p = _locked(proposal, ProposalStatus.PROPOSED)
        _check_approver("first", user, p)
        p.status, p.first_by, p.first_at = ProposalStatus.FIRST_APPROVED, user, timezone.now()
        p.first_note = note.strip()[:300]
        p.save()
        audit.record(
            "classification.first_approved",
            actor=user,
            object_type=PROPOSAL,
            object_id=p.pk,
            changes={"status": [ProposalStatus.PROPOSED, p.status]},
            reason=p.first_note,
        )
    return p


def approve_final(user: Any, proposal: ClassProposal, note: str = "") -> ClassProposal:
    """二级审批 (风险合规): the class changes (never better than the days-past-due floor)."""
    _require(user, APPROVE_FINAL)
    day = today()
    with transaction.atomic():
        p = _locked(proposal, ProposalStatus.FIRST_APPROVED)
        _check_approver("final", user, p)
        state = LoanState.objects.get(loan_id=p.loan_id)
        if domain.rank(p.proposed) < domain.rank(state.class_floor):
            floor = gettext(domain.LABELS[state.class_floor])
            raise ClassificationRefused(
                gettext("认定分类不得优于逾期天数对应的分类下限（%(floor)s）") % {"floor": floor},
                code="better_than_floor",
            )
        p.status, p.final_by, p.final_at = ProposalStatus.APPROVED, user, timezone.now()
        p.final_note = note.strip()[:300]
        p.save()
        row = _row_for_update(p.loan_id, day)
        row.manual_floor = p.proposed
        observing = domain.in_observation(row.observation_until, day)
        target = domain.worst(
            state.class_floor,
            p.proposed,
            row.debtor_floor,
            domain.observation_floor(observing, state.days_past_due),
        )
        if target != row.category:
            row.cleared_on = None
            row.debtor_raised = False
            _change(row, target, day, ChangeSource.MANUAL, p.reason, user)
        else:
            row.save()
        audit.record(
            "classification.approved",
            actor=user,
            object_type=PROPOSAL,
            object_id=p.pk,
            changes={
                "class": [p.current, target],
                "status": [ProposalStatus.FIRST_APPROVED, p.status],
            },
            reason=p.final_note,
        )
    return p


def reject(user: Any, proposal: ClassProposal, reason: str) -> ClassProposal:
    """Either approver refuses, with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise FormInvalid(
            gettext("请填写驳回理由"), details={"reason": [gettext("请填写驳回理由")]}
        )
    with transaction.atomic():
        p = _locked(proposal, ProposalStatus.PROPOSED, ProposalStatus.FIRST_APPROVED)
        perm = APPROVE_FIRST if p.status == ProposalStatus.PROPOSED else APPROVE_FINAL
        _require(user, perm)
        _check_approver("first" if perm == APPROVE_FIRST else "final", user, p)
        old = p.status
        p.status, p.rejected_by, p.rejection = ProposalStatus.REJECTED, user, reason[:300]
        p.save()
        audit.record(
            "classification.rejected",
            actor=user,
            object_type=PROPOSAL,
            object_id=p.pk,
            changes={"status": [old, p.status]},
            reason=reason,
        )
    return p


# ---- the quarterly run ---------------------------------------------------------------


def summary(states: QuerySet[LoanState] | None = None) -> dict[str, dict[str, int]]:
    """Active loans by class: ``{class: {"count": n, "balance": fen}}`` (every class)."""
    found = states if states is not None else LoanState.objects.filter(active=True)
    rows = (
        found.annotate(cat=Coalesce(F("loan__five_class__category"), Value(FiveCategory.NORMAL)))
        .values("cat")
        .annotate(n=Sum(Value(1, output_field=IntegerField())), fen=Sum(BALANCE))
    )
    out = {c: {"count": 0, "balance": 0} for c in domain.ORDER}
    for row in rows:
        out[row["cat"]] = {"count": row["n"] or 0, "balance": row["fen"] or 0}
    return out


def _debtor_rule(day: dt.date, actor: Any = None) -> list[int]:
    """Non-retail debtors with more than 10% of their claims here non-performing (on the
    claims' own merits: a loan made 次级 by this rule itself does not count): all their loans
    get the debtor floor 次级. Debtors no longer above 10% lose it, and a loan that only this
    rule had made non-performing goes back to its own class. The loans to re-classify."""
    npl = Case(
        When(
            Q(loan__five_class__category__in=sorted(domain.NPL))
            & Q(loan__five_class__debtor_raised=False),
            then=BALANCE,
        ),
        default=Value(0),
        output_field=IntegerField(),
    )
    per_debtor = (
        LoanState.objects.filter(active=True, loan__customer__kind=CustomerKind.ENTERPRISE)
        .values("loan__customer_id")
        .annotate(npl=Sum(npl), total=Sum(BALANCE))
    )
    flagged = {
        r["loan__customer_id"]
        for r in per_debtor
        if domain.debtor_non_performing(r["npl"] or 0, r["total"] or 0)
    }
    touched: list[int] = []
    loans = LoanState.objects.filter(active=True, loan__customer_id__in=flagged).values_list(
        "loan_id", flat=True
    )
    for loan_id in loans:
        row = _row_for_update(loan_id, day)
        if row.debtor_floor != domain.SUBSTANDARD:
            row.debtor_floor = domain.SUBSTANDARD
            row.save(update_fields=["debtor_floor", "updated_at"])
        touched.append(loan_id)
    released = LoanClass.objects.select_for_update(of=("self",)).exclude(debtor_floor="")
    share = {"share": f"{domain.DEBTOR_NPL_SHARE_PERCENT}%"}
    for row in released.exclude(loan__customer_id__in=flagged).select_related("loan__state"):
        row.debtor_floor = ""
        state = row.loan.state
        if row.debtor_raised:
            row.debtor_raised = False
            observing = domain.in_observation(row.observation_until, day)
            target = domain.worst(
                state.class_floor,
                row.manual_floor,
                domain.observation_floor(observing, state.days_past_due),
            )
            if target != row.category:
                reason = gettext(domain.DEBTOR_RELEASED) % share
                _change(row, target, day, ChangeSource.QUARTERLY, reason, actor)
        row.save()
        touched.append(row.loan_id)
    return touched


def _reclassify_all(run: QuarterlyRun, day: dt.date, user: Any) -> None:
    """The quarterly run's work, in chunks (``processed`` shows the progress)."""
    loan_ids = candidates(day)
    run.total = len(loan_ids)
    run.save(update_fields=["total"])
    for start in range(0, len(loan_ids), CHUNK):
        chunk = loan_ids[start : start + CHUNK]
        classify(chunk, day, source=ChangeSource.QUARTERLY, actor=user)
        run.processed = start + len(chunk)
        run.save(update_fields=["processed"])
    with transaction.atomic():
        debtors = _debtor_rule(day, user)
    classify(sorted(set(debtors)), day, source=ChangeSource.QUARTERLY, actor=user)
    run.total += len(debtors)
    run.processed = run.total


def run_quarterly(user: Any) -> QuarterlyRun:
    """Re-classify the whole portfolio for the current quarter (once per quarter): every loan
    the daily rules would change, then the 10% debtor rule; counts by class before and after."""
    _require(user, RUN_QUARTERLY)
    day = today()
    label, end = domain.quarter_of(day)
    try:
        with transaction.atomic():
            run = QuarterlyRun.objects.create(
                quarter=label,
                quarter_end=end,
                business_date=day,
                status=RunState.RUNNING,
                started_by=user,
                before=summary(),
            )
    except IntegrityError:
        raise ClassificationRefused(
            gettext("%(quarter)s 的季度分类已经运行过") % {"quarter": label},
            code="already_run",
        ) from None
    try:
        _reclassify_all(run, day, user)
    except Exception:
        run.delete()  # nothing half-done blocks the quarter: the run can be started again
        raise
    run.changed = ClassChange.objects.filter(
        source=ChangeSource.QUARTERLY, business_date=day
    ).count()
    run.after = summary()
    run.status = RunState.DONE
    run.finished_at = timezone.now()
    run.save()
    audit.record(
        "classification.quarterly_run",
        actor=user,
        object_type=QUARTERLY,
        object_id=run.pk,
        changes={"quarter": label, "changed": run.changed},
    )
    return run


# ---- analysis ------------------------------------------------------------------------


def classes_at(day: dt.date, loan_ids: Iterable[int] | None = None) -> dict[int, str]:
    """The class of loans on ``day`` from the history (the last change on or before it); loans
    with no change by then are 正常 (left out)."""
    found = ClassChange.objects.filter(business_date__lte=day)
    if loan_ids is not None:
        found = found.filter(loan_id__in=list(loan_ids))
    out: dict[int, str] = {}
    for loan_id, new in found.order_by("loan_id", "business_date", "pk").values_list(
        "loan_id", "new"
    ):
        out[loan_id] = new
    return out


def migration(user: Any, start: dt.date, end: dt.date) -> domain.Matrix:
    """Loans on the books on ``start`` (disbursed by then), their class on ``start`` and on
    ``end``, weighted with their current balance."""
    loans = LoanState.objects.filter(
        loan__in=visible_loans(user), loan__start_date__lte=start
    ).annotate(balance=BALANCE)
    ids_balances = list(loans.values_list("loan_id", "balance"))
    ids = [pk for pk, _b in ids_balances]
    at_start = classes_at(start, ids)
    at_end = classes_at(end, ids)
    return domain.matrix(
        (at_start.get(pk, domain.NORMAL), at_end.get(pk, domain.NORMAL), balance or 0)
        for pk, balance in ids_balances
    )


GROUPS = {
    "branch": ("loan__org_unit", "loan__org_unit__name"),
    "product": ("loan__product", "loan__product__name"),
    "manager": ("loan__manager", "loan__manager__full_name"),
}


def npl_ratios(user: Any, by: str) -> list[dict[str, Any]]:
    """不良率 by branch (each unit's subtree, the user's own unit and its children), product or
    manager: ``[{key, name, total, npl, ratio}]`` (balances in fen)."""
    states = visible_classes(user)
    npl = Case(
        When(category__in=sorted(domain.NPL), then=BALANCE),
        default=Value(0),
        output_field=IntegerField(),
    )
    if by == "branch":
        return _by_branch(user, states, npl)
    key, name = GROUPS[by]
    rows = states.values(key, name).annotate(total=Sum(BALANCE), npl=Sum(npl)).order_by(name)
    return [
        {
            "key": r[key],
            "name": r[name] or "",
            "total": r["total"] or 0,
            "npl": r["npl"] or 0,
            "ratio": domain.ratio(r["npl"] or 0, r["total"] or 0),
        }
        for r in rows
    ]


def _by_branch(user: Any, states: QuerySet[LoanState], npl: Any) -> list[dict[str, Any]]:
    from xindai.org.models import OrgUnit

    per_unit = {
        r["loan__org_unit__path"]: (r["total"] or 0, r["npl"] or 0)
        for r in states.values("loan__org_unit__path").annotate(total=Sum(BALANCE), npl=Sum(npl))
    }
    home = getattr(user, "org_unit", None)
    if home is not None and not user.is_superuser:
        units = list(OrgUnit.objects.filter(Q(pk=home.pk) | Q(parent=home)).order_by("path"))
    else:
        roots = OrgUnit.objects.filter(parent__isnull=True)
        units = list(OrgUnit.objects.filter(Q(parent__in=roots) | Q(pk__in=roots)).order_by("path"))
    out = []
    for unit in units:
        total = sum(t for path, (t, _n) in per_unit.items() if path.startswith(unit.path))
        bad = sum(n for path, (_t, n) in per_unit.items() if path.startswith(unit.path))
        out.append(
            {
                "key": unit.pk,
                "name": unit.name,
                "total": total,
                "npl": bad,
                "ratio": domain.ratio(bad, total),
            }
        )
    return out


def overdue_buckets(user: Any) -> list[dict[str, Any]]:
    """Active loans by days past due (1–30, 31–90, 91–180, 181–360, > 360): count, balance."""
    states = visible_classes(user).filter(days_past_due__gt=0)
    out = {key: {"key": key, "count": 0, "balance": 0} for key, _lo, _hi in domain.BUCKETS}
    whens = [
        When(
            Q(days_past_due__gte=lo) & (Q() if hi is None else Q(days_past_due__lte=hi)),
            then=Value(key),
        )
        for key, lo, hi in domain.BUCKETS
    ]
    rows = (
        states.annotate(bucket=Case(*whens, default=Value("")))
        .values("bucket")
        .annotate(n=Sum(Value(1, output_field=IntegerField())), fen=Sum(BALANCE))
    )
    for r in rows:
        if r["bucket"] in out:
            out[r["bucket"]]["count"] = r["n"] or 0
            out[r["bucket"]]["balance"] = r["fen"] or 0
    return list(out.values())


def quality(user: Any) -> dict[str, Any]:
    """The asset-quality summary: balances by class and the 不良率."""
    by_class = summary(visible_classes(user))
    balances = {c: v["balance"] for c, v in by_class.items()}
    return {
        "as_of": today(),
        "by_class": by_class,
        "total": sum(balances.values()),
        "npl": sum(v for c, v in balances.items() if c in domain.NPL),
        "npl_ratio": domain.npl_ratio(balances),
    }


LEDGER_FILTERS = ("q", "category", "branch", "product", "manager")


def ledger(user: Any, filters: dict[str, Any]) -> QuerySet[LoanState]:
    """The 五级分类台账: the user's active loans with class, floor, days past due and balance;
    ``q`` part of the loan number or the customer name, ``category`` a class, ``branch`` an org
    unit (its subtree), ``product`` and ``manager`` ids."""
    found = visible_classes(user)
    q = str(filters.get("q") or "").strip()
    if q:
        found = found.filter(Q(loan__number__icontains=q) | Q(loan__customer__name__icontains=q))
    category = filters.get("category")
    if category == FiveCategory.NORMAL:
        found = found.filter(
            Q(loan__five_class__isnull=True) | Q(loan__five_class__category=category)
        )
    elif category:
        found = found.filter(loan__five_class__category=category)
    if filters.get("branch"):
        from xindai.org.models import OrgUnit

        unit = OrgUnit.objects.filter(pk=filters["branch"]).first()
        if unit is not None:
            found = found.filter(loan__org_unit__path__startswith=unit.path)
    for key in ("product", "manager"):
        if filters.get(key):
            found = found.filter(**{f"loan__{key}_id": filters[key]})
    return found.order_by("-days_past_due", "loan_id")


def matrix_table(user: Any, start: dt.date, end: dt.date) -> dict[str, Any]:
    """The migration matrix as rows for a page or the API: counts, balances (元 text) and the
    migration rate (to a worse class) of each class at ``start``, by count and by balance."""
    from xindai.ledger.domain import fen_text

    m = migration(user, start, end)
    rows = []
    for a in domain.ORDER:
        rows.append(
            {
                "category": a,
                "label": gettext(domain.LABELS[a]),
                "counts": [m.counts[a][b] for b in domain.ORDER],
                "balances": [fen_text(m.balances[a][b]) for b in domain.ORDER],
                "count": m.row_count(a),
                "balance": fen_text(m.row_balance(a)),
                "rate": m.rate(a),
                "balance_rate": m.rate(a, by_balance=True),
            }
        )
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "classes": list(domain.ORDER),
        "labels": [gettext(domain.LABELS[c]) for c in domain.ORDER],
        "rows": rows,
    }
