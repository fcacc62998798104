"""The end-of-day run: refusals, the command's output, the audit, a deposit account shared by
several loans, non-performing loans, and the claim (two runs at once; stale runs)."""

from __future__ import annotations

import datetime as dt
import io
import json
import socket
import subprocess
import threading
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import close_old_connections, connection
from django.utils import timezone

from tests.credit.factories import set_today
from tests.loans.factories_eod import cash_in, deposit_account, loan
from xindai.audit.models import AuditEvent
from xindai.core import business_date
from xindai.deposits.models import DepositMovement
from xindai.ledger import services as ledger
from xindai.ledger.domain import trial_balance
from xindai.ledger.models import JournalEntry
from xindai.loans import eod, reconcile
from xindai.loans.models import EodRun, LoanState

D = dt.date


def balances() -> dict[str, int]:
    lines, balanced = trial_balance(ledger.totals())
    assert balanced
    return {line.account.code: line.balance for line in lines if line.balance}


START = D(2026, 11, 5)


def small_loan(customer: Any, start: dt.date = START, **kw: Any) -> Any:
    kw.setdefault("principal", Decimal(10_000))
    kw.setdefault("rate", Decimal("0.06"))
    kw.setdefault("months", 12)
    kw.setdefault("method", "equal_installment")
    return loan(customer, start=start, **kw)


def world() -> tuple[Any, ...]:
    return (
        list(LoanState.objects.order_by("loan_id").values()),
        JournalEntry.objects.count(),
        DepositMovement.objects.count(),
        business_date.current(),
        list(EodRun.objects.values("business_date", "status", "step", "cursor")),
    )


@pytest.mark.django_db
def test_only_the_current_business_date_may_be_closed(farmer: Any) -> None:
    set_today(D(2026, 11, 5))
    small_loan(farmer)
    before = world()
    with pytest.raises(eod.EodRefused, match="当前会计日期是 2026-11-05"):
        eod.run_date(D(2026, 11, 6))
    with pytest.raises(CommandError, match="只能对当前会计日期做日终") as raised:
        call_command("eod", "--date=2026-11-04")
    assert raised.value.returncode == 1
    with pytest.raises(CommandError, match="须为日期") as raised:
        call_command("eod", "--date=2026-13-01")
    assert raised.value.returncode == 1
    assert world() == before


@pytest.mark.django_db
def test_the_command_prints_a_summary_or_json_and_audits_once_per_run(farmer: Any) -> None:
    set_today(D(2026, 12, 4))
    small_loan(farmer, into_account=False)
    out = io.StringIO()
    call_command("eod", "--date=2026-12-04", "--no-progress", stdout=out)
    text = out.getvalue()
    assert "2026-12-04 日终完成，会计日期进入 2026-12-05" in text
    # The first end-of-day of a loan opened 11-05 accrues the whole first row: 50.00 元.
    assert "计提利息：50.00 元" in text
    assert "到期本金：810.66 元" in text
    out = io.StringIO()
    call_command("eod", "--until=2026-12-05", "--json", stdout=out)
    [summary] = json.loads(out.getvalue())
    assert summary["business_date"] == "2026-12-05"
    assert summary["status"] == "done"
    assert summary["loans"]["overdue"] == 1
    assert summary["amounts_fen"]["overdue_principal_fen"] == 81_066
    assert set(summary["timings"]) >= {"collect", "accrue", "classify", "advance", "total"}
    run = EodRun.objects.get(business_date=D(2026, 12, 5))
    assert (run.status, run.owner, run.counts["loans"]["overdue"]) == ("done", "", 1)
    assert run.finished_at is not None
    events = AuditEvent.objects.filter(action__startswith="loans.eod")
    assert [(e.action, e.changes["business_date"]) for e in events.order_by("seq")] == [
        ("loans.eod_done", "2026-12-04"),
        ("loans.eod_done", "2026-12-05"),
    ]
    out = io.StringIO()
    call_command("eod", "--date=2026-12-05", stdout=out)
    assert "2026-12-05 日终已完成，本次未做任何变动" in out.getvalue()
    out = io.StringIO()
    call_command("eod", "--until=2026-12-01", stdout=out)
    assert "无需补跑" in out.getvalue()
    assert reconcile.differences() == {}


@pytest.mark.django_db
def test_loans_sharing_one_account_are_collected_one_by_one_in_id_order(farmer: Any) -> None:
    """Three 利随本清 loans of 5,000.00 元 at 6% for one month from 11-05, due 12-05, each
    owing 5,000 × 0.06 / 12 = 25.00 interest; one account with 7,000.00 pays them.
    Lowest id first: loan 1 takes 2,500 + 500,000 = 502,500 fen (197,500 left); loan 2
    takes its interest 2,500 then 195,000 of the principal (0 left); loan 3 nothing."""
    set_today(D(2026, 12, 4))
    shared = deposit_account(farmer, D(2026, 11, 1), balance_fen=700_000)
    loans = [
        small_loan(
            farmer,
            principal=Decimal(5_000),
            months=1,
            method="bullet",
            account=shared,
            into_account=False,
        )
        for _ in range(3)
    ]
    eod.run_until(D(2026, 12, 5))
    first, second, third = (LoanState.objects.get(loan=x) for x in loans)
    assert (first.overdue_principal_fen, first.overdue_interest_fen) == (0, 0)
    assert (second.overdue_principal_fen, second.overdue_interest_fen) == (305_000, 0)
    assert (third.overdue_principal_fen, third.overdue_interest_fen) == (500_000, 2_500)
    assert (first.overdue_since, second.overdue_since) == (None, D(2026, 12, 5))
    moves = DepositMovement.objects.filter(kind="collection").order_by("pk")
    assert [(m.key, m.amount_fen, m.balance_after_fen) for m in moves] == [
        (f"eod:2026-12-05:collect:{loans[0].pk}", -502_500, 197_500),
        (f"eod:2026-12-05:collect:{loans[1].pk}", -197_500, 0),
    ]
    shared.refresh_from_db()
    assert shared.balance_fen == 0
    loans[0].refresh_from_db()
    assert (loans[0].status, loans[0].outstanding_principal) == ("settled", Decimal(0))
    assert reconcile.differences() == {}


@pytest.mark.django_db
def test_non_performing_interest_leaves_the_balance_sheet_and_comes_back(farmer: Any) -> None:
    """The 10,000.00 元 loan of the overdue scenario, never paid: overdue since 12-05, so on
    the end-of-day of 2027-03-05 it is 91 days past due (as of 03-06): 次级, non-performing.
    Its interest receivable (normal, overdue, penalty, compound) moves off balance (701101)
    and out of income; paid in full, it comes back on balance."""
    set_today(D(2026, 12, 4))
    account = small_loan(farmer, into_account=False)
    eod.run_until(D(2027, 3, 4))
    s = LoanState.objects.get(loan=account)
    assert (s.days_past_due, s.class_floor) == (90, "special_mention")
    before = balances()
    on_balance = before["113201"] + before["113202"]
    interest = s.interest_accrued_fen + s.interest_due_fen + s.overdue_interest_fen
    assert before["113201"] == interest
    assert before["113202"] == s.penalty_due_fen + s.compound_due_fen
    assert "701101" not in before
    eod.run_date(D(2027, 3, 5))
    s = LoanState.objects.get(loan=account)
    assert (s.days_past_due, s.class_floor) == (91, "substandard")
    after = balances()
    assert "113201" not in after and "113202" not in after
    buckets = (
        s.interest_accrued_fen
        + s.interest_due_fen
        + s.overdue_interest_fen
        + s.penalty_due_fen
        + s.compound_due_fen
    )
    assert after["701101"] == buckets == after["701102"]
    # Income: the day's accrual went off balance, and what had been recognised left income.
    income = before["601101"] + before["601102"]
    assert after.get("601101", 0) + after.get("601102", 0) == income - on_balance
    assert reconcile.differences() == {}
    # Paid in full on 03-06: the interest received is income; then performing again.
    owed = (
        s.penalty_due_fen
        + s.compound_due_fen
        + s.overdue_interest_fen
        + s.interest_due_fen
        + s.overdue_principal_fen
        + s.principal_due_fen
    )
    cash_in(LoanState.objects.get(loan=account).repayment_account, owed)
    eod.run_date(D(2027, 3, 6))
    s = LoanState.objects.get(loan=account)
    assert (s.overdue_principal_fen, s.overdue_interest_fen, s.days_past_due) == (0, 0, 0)
    assert s.class_floor == "normal"
    final = balances()
    assert final["113201"] == s.interest_accrued_fen
    assert final.get("701101", 0) == 0
    assert reconcile.differences() == {}


# ---- claiming the run ------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_live_run_elsewhere_is_refused_and_a_stale_one_is_taken_over(farmer: Any) -> None:
    set_today(D(2026, 11, 5))
    small_loan(farmer)
    EodRun.objects.create(
        business_date=D(2026, 11, 5),
        status="running",
        step="accrue",
        owner="other-host:4242:abcd",
        heartbeat=timezone.now(),
    )
    before = world()
    with pytest.raises(eod.EodRefused, match="正在由另一进程运行（other-host:4242:abcd"):
        eod.run_date(D(2026, 11, 5))
    assert world() == before
    # Silent for more than ten minutes: taken over and finished.
    EodRun.objects.update(heartbeat=timezone.now() - dt.timedelta(minutes=11))
    assert eod.run_date(D(2026, 11, 5)).status == "done"
    assert business_date.current() == D(2026, 11, 6)


@pytest.mark.django_db
def test_a_run_of_a_process_that_is_gone_is_taken_over_at_once(farmer: Any) -> None:
    set_today(D(2026, 11, 5))
    small_loan(farmer)
    gone = subprocess.Popen(["true"])
    gone.wait()
    EodRun.objects.create(
        business_date=D(2026, 11, 5),
        status="running",
        step="collect",
        owner=f"{socket.gethostname()}:{gone.pid}:dead",
        heartbeat=timezone.now(),
    )
    assert eod.run_date(D(2026, 11, 5)).status == "done"


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migration_data")
def test_two_runs_at_once_one_goes_on_the_other_refuses(farmer: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent connections: PostgreSQL")
    set_today(D(2026, 11, 5))
    small_loan(farmer)
    start = threading.Barrier(2)
    loser_done = threading.Event()
    outcomes: list[str] = []

    class Bar:
        def update(self, n: int) -> None:
            pass

        def close(self) -> None:
            pass

    def progress(label: str, total: int) -> Bar:
        loser_done.wait(timeout=30)  # the winner waits until the other has been refused
        return Bar()

    def attempt() -> None:
        try:
            start.wait()
            summary = eod.run_date(D(2026, 11, 5), progress=progress)
            outcomes.append(summary.status)
        except eod.EodRefused as exc:
            outcomes.append(f"refused: {exc.message}")
            loser_done.set()
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(o[:8] for o in outcomes) == ["done", "refused:"]
    refusal = next(o for o in outcomes if o.startswith("refused"))
    assert "2026-11-05 的日终正在由另一进程运行" in refusal
    assert business_date.current() == D(2026, 11, 6)
    assert EodRun.objects.get().status == "done"
    assert reconcile.differences() == {}
