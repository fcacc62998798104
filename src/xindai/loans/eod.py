"""End-of-day (日终批处理) for a business date: claimed by one process, run step by step in
chunks of loan ids, each chunk committed with its ledger entries and the run's position, so a
run killed midway resumes at the next chunk and ends with the balances of an uninterrupted run.

Steps for the business date D (closing D; the business date then becomes D + 1):
``collect`` → ``overdue`` → ``accrue`` → ``settle`` → ``due`` → ``classify`` → ``advance``
(see ``eod_steps``). A date already done runs again as a no-op. A second process that starts
while a run is alive is refused; a run whose heartbeat is older than ten minutes, or whose
process on this host is gone, may be taken over (resumed) by another.

Test hook: the environment variable ``XINDAI_EOD_CRASH_AFTER=<step>:<chunks>`` ends the
process (``os._exit(1)``, no clean-up) right after that many chunks of that step have been
committed — the crash-and-resume test uses it. It is for tests only.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import socket
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext

from xindai.audit import services as audit
from xindai.core import business_date
from xindai.core.errors import DomainError
from xindai.ledger import services as ledger
from xindai.loans import eod_steps
from xindai.loans.models_servicing import EodRun, LoanState, RunStatus
from xindai.loans.reconcile import reconcile
from xindai.loans.signals import eod_closed

__all__ = ["EodRefused", "Summary", "reconcile", "run_date", "run_until"]

STEPS: tuple[str, ...] = ("collect", "overdue", "accrue", "settle", "due", "classify", "advance")
STEP_LABELS = {
    "collect": "扣款",
    "overdue": "转逾期",
    "accrue": "计提",
    "settle": "结息",
    "due": "到期",
    "classify": "分类",
    "advance": "日切",
}
DEFAULT_CHUNK = 50_000
STALE_AFTER = dt.timedelta(minutes=10)
CRASH_ENV = "XINDAI_EOD_CRASH_AFTER"

Progress = Callable[[str, int], Any]  # (step, total chunks) → an object with update(n)/close()


class EodRefused(DomainError):
    code = "eod_refused"


class EodRunning(DomainError):
    code = "eod_running"


def refuse_while_running() -> None:
    """Counter work (repayments, reversals, cash) waits while the end-of-day of the current
    business date runs: the engine reads each chunk's balances once and assumes nobody else
    changes them until it commits."""
    day = business_date.current()
    if EodRun.objects.filter(business_date=day, status=RunStatus.RUNNING).exists():
        raise EodRunning(
            gettext("%(date)s 的日终批处理正在运行，请在日终完成后再办理")
            % {"date": day.isoformat()}
        )


@dataclass
class Summary:
    business_date: dt.date
    status: str  # "done" (ran now) or "already_done"
    loans: dict[str, int] = field(default_factory=dict)
    fen: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "business_date": self.business_date.isoformat(),
            "status": self.status,
            "loans": self.loans,
            "amounts_fen": self.fen,
            "timings": self.timings,
        }


def chunk_size() -> int:
    return int(getattr(settings, "EOD_CHUNK_SIZE", DEFAULT_CHUNK))


def new_owner() -> str:
    """host:pid:token — the token tells two runs of one process (threads) apart."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _gone(owner: str) -> bool:
    """Whether ``owner`` names a process of this host that no longer exists."""
    host, _, rest = owner.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def claim(day: dt.date, owner: str) -> EodRun | None:
    """Claim the run of ``day`` for ``owner`` (None: the date is already done). Refuses
    (``EodRefused``) while another live process holds it."""
    run = EodRun.objects.filter(business_date=day).first()
    if run is None:
        try:
            with transaction.atomic():
                run = EodRun.objects.create(
                    business_date=day, status=RunStatus.RUNNING, step=STEPS[0]
                )
        except IntegrityError:  # created at the same moment by another process
            run = EodRun.objects.get(business_date=day)
    if run.status == RunStatus.DONE:
        return None
    now = timezone.now()
    free = Q(owner="") | Q(heartbeat__lt=now - STALE_AFTER)
    if run.owner and _gone(run.owner):
        free |= Q(owner=run.owner)
    taken = (
        EodRun.objects.filter(pk=run.pk)
        .exclude(status=RunStatus.DONE)
        .filter(free)
        .update(owner=owner, heartbeat=now, status=RunStatus.RUNNING, error="")
    )
    run.refresh_from_db()
    if run.status == RunStatus.DONE:
        return None
    if not taken:
        beat = timezone.localtime(run.heartbeat).strftime("%H:%M:%S") if run.heartbeat else "-"
        raise EodRefused(
            gettext("%(date)s 的日终正在由另一进程运行（%(owner)s，心跳 %(beat)s），本次不运行")
            % {"date": day.isoformat(), "owner": run.owner, "beat": beat}
        )
    return run


def run_date(
    day: dt.date,
    *,
    progress: Progress | None = None,
    chunk: int | None = None,
    actor: Any = None,
) -> Summary:
    """Close business date ``day`` (which must be the current one) and move to ``day + 1``."""
    done = EodRun.objects.filter(business_date=day, status=RunStatus.DONE).first()
    if done is not None:
        return _summary(done, "already_done")
    current = business_date.current()
    if day != current:
        raise EodRefused(
            gettext("当前会计日期是 %(current)s，只能对当前会计日期做日终（要求 %(day)s）")
            % {"current": current.isoformat(), "day": day.isoformat()}
        )
    owner = new_owner()
    run = claim(day, owner)
    if run is None:
        done = EodRun.objects.get(business_date=day)
        return _summary(done, "already_done")
    size = chunk or chunk_size()
    crash = _crash_point()
    try:
        start = STEPS.index(run.step) if run.step in STEPS else 0
        for step in STEPS[start:-1]:
            _run_step(run, owner, step, size, progress, crash)
        _advance(run, owner, actor)
    except BaseException as exc:
        EodRun.objects.filter(pk=run.pk, owner=owner).update(
            status=RunStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000], owner=""
        )
        if isinstance(exc, Exception):
            audit.record(
                "loans.eod_failed",
                actor=actor,
                object_type="loans.eodrun",
                object_id=run.pk,
                changes={"business_date": day.isoformat(), "step": run.step},
                reason=str(exc)[:200],
            )
        raise
    run.refresh_from_db()
    eod_closed.send(EodRun, day=day, today=day + dt.timedelta(days=1), actor=actor)
    return _summary(run, "done")


def run_until(
    until: dt.date,
    *,
    progress: Progress | None = None,
    chunk: int | None = None,
    actor: Any = None,
    on_done: Callable[[Summary], Any] | None = None,
) -> list[Summary]:
    """Catch up: one end-of-day per business date from the current one through ``until``."""
    summaries = []
    while (current := business_date.current()) <= until:
        summary = run_date(current, progress=progress, chunk=chunk, actor=actor)
        summaries.append(summary)
        if on_done is not None:
            on_done(summary)
        if summary.status == "already_done":  # the date is closed but was not moved on
            raise EodRefused(
                gettext("%(date)s 的日终已完成，但会计日期未前进；请检查会计日期")
                % {"date": current.isoformat()}
            )
    return summaries


def _crash_point() -> tuple[str, int] | None:
    value = os.environ.get(CRASH_ENV, "")
    step, _, count = value.partition(":")
    return (step, int(count)) if step and count.isdigit() else None


def _bounds(cursor: int, size: int) -> tuple[int, int] | None:
    """(first loan id, last loan id) of the next chunk after ``cursor``: the ``size`` loan ids
    from the first one after ``cursor`` (ids are dense, so a chunk holds about ``size`` loans;
    a gap only makes it smaller). One look-up in the primary key."""
    first = LoanState.objects.filter(loan_id__gt=cursor).aggregate(m=Min("loan_id"))["m"]
    if first is None:
        return None
    return int(first), int(first) + size - 1


def _run_step(
    run: EodRun,
    owner: str,
    step: str,
    size: int,
    progress: Progress | None,
    crash: tuple[str, int] | None,
) -> None:
    day = run.business_date
    work = eod_steps.STEPS[step]
    cursor = run.cursor if run.step == step else 0
    bar = None
    if progress is not None:
        ids = LoanState.objects.filter(loan_id__gt=cursor).aggregate(
            first=Min("loan_id"), last=Max("loan_id")
        )
        span = ids["last"] - ids["first"] + 1 if ids["first"] is not None else 0
        bar = progress(STEP_LABELS[step], math.ceil(span / size))
    committed = 0
    try:
        while (bounds := _bounds(cursor, size)) is not None:
            first, last = bounds
            began = time.perf_counter()
            with transaction.atomic():
                result = work(day, cursor, last)
                for entry in result.entries:
                    ledger.post(
                        f"eod:{day.isoformat()}:{step}:{first}{entry.suffix}",
                        day,
                        entry.kind,
                        entry.legs,
                        memo=entry.memo,
                    )
                _save_position(run, owner, step, last, result, time.perf_counter() - began)
            cursor = last
            committed += 1
            if bar is not None:
                bar.update(1)
            if crash is not None and crash == (step, committed):
                os._exit(1)  # test hook (see the module's docstring)
    finally:
        if bar is not None:
            bar.close()
    with transaction.atomic():
        _save_position(run, owner, STEPS[STEPS.index(step) + 1], 0, None, 0.0)


def _save_position(
    run: EodRun,
    owner: str,
    step: str,
    cursor: int,
    result: eod_steps.ChunkResult | None,
    seconds: float,
) -> None:
    """Record the run's step and cursor (and add the chunk's counts and time), as owner."""
    locked = EodRun.objects.select_for_update().get(pk=run.pk)
    if locked.owner != owner:
        raise EodRefused(gettext("日终运行已被另一进程接管，本进程停止"))
    counts = locked.counts or {}
    timings = locked.timings or {}
    if result is not None:
        loans = counts.setdefault("loans", {})
        loans[step] = loans.get(step, 0) + result.loans
        amounts = counts.setdefault("fen", {})
        for name, value in result.amounts.items():
            amounts[name] = amounts.get(name, 0) + value
        timings[step] = round(timings.get(step, 0.0) + seconds, 3)
    locked.step, locked.cursor = step, cursor
    locked.counts, locked.timings, locked.heartbeat = counts, timings, timezone.now()
    locked.save(update_fields=["step", "cursor", "counts", "timings", "heartbeat"])
    run.step, run.cursor, run.counts, run.timings = step, cursor, counts, timings


def _advance(run: EodRun, owner: str, actor: Any) -> None:
    """The last step: move the business date to D + 1 and mark the run done, at once."""
    day = run.business_date
    began = time.perf_counter()
    with transaction.atomic():
        locked = EodRun.objects.select_for_update().get(pk=run.pk)
        if locked.owner != owner:
            raise EodRefused(gettext("日终运行已被另一进程接管，本进程停止"))
        business_date.set_date(
            day + dt.timedelta(days=1), actor=actor, reason=gettext("日终 %s") % day.isoformat()
        )
        timings = locked.timings or {}
        timings["advance"] = round(time.perf_counter() - began, 3)
        timings["total"] = round(sum(v for k, v in timings.items() if k != "total"), 3)
        locked.status, locked.step, locked.cursor, locked.owner = RunStatus.DONE, "done", 0, ""
        locked.timings, locked.finished_at, locked.heartbeat = timings, timezone.now(), None
        locked.save()
        audit.record(
            "loans.eod_done",
            actor=actor,
            object_type="loans.eodrun",
            object_id=locked.pk,
            changes={"business_date": day.isoformat(), **(locked.counts or {})},
        )


def _summary(run: EodRun, status: str) -> Summary:
    counts = run.counts or {}
    return Summary(
        business_date=run.business_date,
        status=status,
        loans=dict(counts.get("loans", {})),
        fen=dict(counts.get("fen", {})),
        timings=dict(run.timings or {}),
    )
