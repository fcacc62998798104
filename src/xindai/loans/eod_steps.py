"""The steps of the end-of-day (日终) as set-based SQL over one chunk of loans.

Each function works on the loans with ``lo < loan_id <= hi`` for the business date ``day``
being closed, inside the caller's transaction, and returns a :class:`ChunkResult`: how many
loans it changed, the amounts for the summary, and the ledger entries (aggregated over the
chunk) that the caller posts in the same transaction.

The SQL runs unchanged on SQLite (≥ 3.33: ``UPDATE … FROM``) and PostgreSQL; only the date
arithmetic, the two-argument minimum/maximum and the row locks differ (see the helpers).
Amounts are integers of fen, rates ppm, so both databases compute the same figures exactly.
Interest from a 积数: ``(base × rate_ppm × 2 + 1,000,000 × basis) / (2 × 1,000,000 × basis)``
with integer division = round half-up (all values ≥ 0), as ``servicing.interest_from_base``.

While the end-of-day runs for a date, nothing else may change the loans' state (the teller's
repayments wait for it: 日终期间暂停柜面交易). Each step sums what it changes for the ledger in
the same transaction.

Speed (a million loans): the steps read ``loans_loanstate`` alone — the loan's facts they need
(in account, 按期付息 or not, start date, the current schedule row's due date, interest and
days) are copied onto it (see :func:`refresh`). The accrual is one UPDATE per chunk over every
loan in account (PostgreSQL: aggregated through ``RETURNING`` in the same statement); it changes
no indexed column, so its updates can stay on their page (HOT). The other steps touch the few
loans concerned through partial indexes (``state_owing``, ``state_watched``,
``state_collected``) or the schedule's due-date index.
"""

# ruff: noqa: S608 — the SQL is assembled from this module's constant fragments (column names,
# policy constants); every value from outside goes in as a query parameter.
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from xindai.deposits.models import DepositMovement, MovementKind
from xindai.ledger.domain import Leg, credit, debit
from xindai.loans import servicing

ACTIVE = "('normal', 'overdue')"
INTEREST_ONLY = "a.repayment_method = 'interest_only'"
NPL = f"s.days_past_due > {servicing.NON_PERFORMING_AFTER}"
PERFORMING = f"s.days_past_due <= {servicing.NON_PERFORMING_AFTER}"
IN_CHUNK = "s.loan_id > %(lo)s AND s.loan_id <= %(hi)s"
# The conditions of the partial indexes (models_servicing.OWING / WATCHED), written the same
# way so that both databases use them.
OWING = "(" + " OR ".join(f"s.{b} > 0" for b in servicing.COLLECTION_ORDER) + ")"
WATCHED = "(s.overdue_since IS NOT NULL OR s.days_past_due > 0 OR NOT (s.class_floor = 'normal'))"

# Chart accounts (ledger/domain.py).
LOAN = "130101"
LOAN_OVERDUE = "130102"
INTEREST_RECEIVABLE = "113201"
PENALTY_RECEIVABLE = "113202"
DEPOSITS = "201101"
INTEREST_INCOME = "601101"
PENALTY_INCOME = "601102"
OFF_INTEREST = "701101"
OFF_INTEREST_CONTRA = "701102"


@dataclass
class Entry:
    """One ledger entry of a chunk: ``suffix`` distinguishes the off-balance one (表外)."""

    suffix: str
    kind: str
    legs: list[Leg]
    memo: str


@dataclass
class ChunkResult:
    loans: int = 0
    amounts: dict[str, int] = field(default_factory=dict)
    entries: list[Entry] = field(default_factory=list)

    def add(self, name: str, fen: int) -> None:
        self.amounts[name] = self.amounts.get(name, 0) + int(fen)


class Legs:
    """Legs of one entry built from net amounts per (debit account, credit account) pair: a
    negative amount posts the other way round; zero posts nothing."""

    def __init__(self) -> None:
        self.legs: list[Leg] = []

    def pair(self, debit_account: str, credit_account: str, net: int) -> None:
        if net > 0:
            self.legs += [debit(debit_account, net), credit(credit_account, net)]
        elif net < 0:
            self.legs += [debit(credit_account, -net), credit(debit_account, -net)]


def _entry(result: ChunkResult, suffix: str, kind: str, legs: Legs, memo: str) -> None:
    if legs.legs:
        result.entries.append(Entry(suffix, kind, legs.legs, memo))


# ---- vendor differences ----------------------------------------------------------------------


def _sqlite() -> bool:
    return connection.vendor == "sqlite"


def _date(name: str) -> str:
    """A date parameter in SQL."""
    return f"%({name})s" if _sqlite() else f"CAST(%({name})s AS DATE)"


def _as_date(expression: str) -> str:
    """An expression as a date (PostgreSQL types the columns of a VALUES list)."""
    return expression if _sqlite() else f"CAST({expression} AS DATE)"


def _days(later: str, earlier: str) -> str:
    """SQL for the whole days from ``earlier`` to ``later`` (dates)."""
    if _sqlite():
        return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"
    return f"({later} - {earlier})"


def _least(a: str, b: str) -> str:
    return f"MIN({a}, {b})" if _sqlite() else f"LEAST({a}, {b})"


def _greatest(a: str, b: str) -> str:
    return f"MAX({a}, {b})" if _sqlite() else f"GREATEST({a}, {b})"


def _params(**values: Any) -> dict[str, Any]:
    if _sqlite():
        return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in values.items()}
    return values


def _interest(base: str, rate: str, basis: str) -> str:
    """Round-half-up interest of a 积数 in SQL (integer arithmetic)."""
    return f"(({base}) * {rate} * 2 + 1000000 * {basis}) / (2 * 1000000 * {basis})"


def _one(sql: str, params: dict[str, Any]) -> tuple[int, ...]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return tuple(int(value or 0) for value in row)


def _update(sql: str, params: dict[str, Any]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)


# ---- 1. collect (扣款) -------------------------------------------------------------------------


def collect(day: dt.date, lo: int, hi: int) -> ChunkResult:
    """Take what is due or overdue from the loans' repayment accounts, in COLLECTION_ORDER.

    The candidates (something due, an account with money) are read in one statement, the
    allocation is computed in loan id order — so that several loans sharing one deposit
    account are served one after the other, the lowest loan id first — and written back in
    one batch per table: the loans' buckets, the accounts' balances, one DepositMovement per
    loan (key ``eod:{D}:collect:{loan_id}``, kind ``collection``)."""
    buckets = ", ".join(f"s.{b}" for b in servicing.COLLECTION_ORDER)
    lock = "" if _sqlite() else " FOR UPDATE OF s, d"
    sql = (
        f"SELECT s.loan_id, s.repayment_account_id, d.balance_fen, s.days_past_due, "
        f"s.overdue_since, s.interest_only, {buckets} "
        f"FROM loans_loanstate s "
        f"JOIN deposits_depositaccount d ON d.id = s.repayment_account_id "
        f"WHERE {IN_CHUNK} AND {OWING} AND s.active AND d.is_active AND d.balance_fen > 0 "
        f"ORDER BY s.loan_id{lock}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, _params(lo=lo, hi=hi))
        rows = cursor.fetchall()
    result = ChunkResult()
    if not rows:
        return result
    opening = {int(row[1]): int(row[2]) for row in rows}
    balances = dict(opening)
    paid_rows: list[tuple[int, int, dict[str, int], dict[str, int], bool, Any, bool]] = []
    for loan_id, account_id, _balance, dpd, since, interest_only, *amounts in rows:
        available = balances[account_id]
        owed = dict(zip(servicing.COLLECTION_ORDER, (int(a) for a in amounts), strict=True))
        paid = servicing.allocate(available, owed)
        total = sum(paid.values())
        if total == 0:
            continue
        balances[account_id] = available - total
        npl = servicing.non_performing(int(dpd))
        paid_rows.append((loan_id, account_id, paid, owed, npl, since, bool(interest_only)))
    since_now = _overdue_since_after(day, paid_rows)
    movements: list[DepositMovement] = []
    state_updates = []
    running = dict(opening)
    on, off = Legs(), Legs()
    totals: dict[str, int] = defaultdict(int)
    for loan_id, account_id, paid, _owed, npl, _since, _method in paid_rows:
        total = sum(paid.values())
        running[account_id] -= total
        movements.append(
            DepositMovement(
                account_id=account_id,
                key=f"eod:{day.isoformat()}:collect:{loan_id}",
                business_date=day,
                kind=MovementKind.COLLECTION,
                amount_fen=-total,
                balance_after_fen=running[account_id],
                memo=f"贷款扣款 {loan_id}",
            )
        )
        state_updates.append(
            (*(paid[b] for b in servicing.COLLECTION_ORDER), since_now.get(loan_id), day, loan_id)
        )
        penalty = paid["penalty_due_fen"] + paid["compound_due_fen"]
        interest = paid["overdue_interest_fen"] + paid["interest_due_fen"]
        totals["deposit"] += total
        totals["penalty_npl" if npl else "penalty"] += penalty
        totals["interest_npl" if npl else "interest"] += interest
        totals["overdue_principal"] += paid["overdue_principal_fen"]
        totals["principal_due"] += paid["principal_due_fen"]
    n = len(servicing.COLLECTION_ORDER)
    minus = ", ".join(
        f"{b} = s.{b} - v.column{i}" for i, b in enumerate(servicing.COLLECTION_ORDER, 1)
    )
    _update_from_values(
        f"UPDATE loans_loanstate AS s SET {minus}, overdue_since = {_as_date(f'v.column{n + 1}')}, "
        f"collected_on = {_as_date(f'v.column{n + 2}')} FROM (VALUES {{values}}) AS v "
        f"WHERE s.loan_id = v.column{n + 3}",
        [_params_list(row) for row in state_updates],
    )
    _update_from_values(
        "UPDATE deposits_depositaccount AS d SET balance_fen = d.balance_fen - v.column1 "
        "FROM (VALUES {values}) AS v WHERE d.id = v.column2",
        [[opening[a] - left, a] for a, left in balances.items() if opening[a] != left],
    )
    DepositMovement.objects.bulk_create(movements, batch_size=2000)
    # Dr deposits / Cr the receivables (performing) or income (NPL: interest is income when
    # received, and leaves the off-balance register).
    on.legs.append(debit(DEPOSITS, totals["deposit"]))
    for account, amount in (
        (PENALTY_RECEIVABLE, totals["penalty"]),
        (INTEREST_RECEIVABLE, totals["interest"]),
        (LOAN_OVERDUE, totals["overdue_principal"]),
        (LOAN, totals["principal_due"]),
        (PENALTY_INCOME, totals["penalty_npl"]),
        (INTEREST_INCOME, totals["interest_npl"]),
    ):
        if amount:
            on.legs.append(credit(account, amount))
    off.pair(OFF_INTEREST_CONTRA, OFF_INTEREST, totals["penalty_npl"] + totals["interest_npl"])
    _entry(result, "", "repayment", on, "日终扣款")
    _entry(result, ":off", "repayment", off, "日终扣款（表外利息收回）")
    result.loans = len(paid_rows)
    result.add("collected_fen", totals["deposit"])
    return result


def _update_from_values(sql: str, rows: list[list[Any]], batch: int = 1000) -> None:
    """Run ``sql`` (an UPDATE … FROM (VALUES {values}) AS v) for ``rows`` (lists of equal
    length), ``batch`` rows per statement — one statement instead of one per row."""
    if not rows:
        return
    width = len(rows[0])
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            part = rows[start : start + batch]
            row = "(" + ", ".join(["%s"] * width) + ")"
            cursor.execute(
                sql.format(values=", ".join([row] * len(part))),
                [value for values in part for value in values],
            )


def _params_list(values: Iterable[Any]) -> list[Any]:
    return [v.isoformat() if _sqlite() and isinstance(v, dt.date) else v for v in values]


def _overdue_since_after(day: dt.date, paid_rows: list[Any]) -> dict[int, Any]:
    """The oldest unpaid due date after the collection, per loan: ``None`` when nothing
    overdue remains; for a schedule loan partly paid, the due date of the oldest installment
    not fully paid (payments go to the oldest first); else unchanged."""
    result: dict[int, Any] = {}
    partly: dict[int, int] = {}
    for loan_id, _account, paid, owed, _npl, since, interest_only in paid_rows:
        left = sum(owed[b] - paid[b] for b in ("overdue_interest_fen", "overdue_principal_fen"))
        result[loan_id] = since if left else None
        if left and since is not None and not interest_only:
            partly[loan_id] = left
    if partly:
        due: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
        with connection.cursor() as cursor:
            marks = ", ".join(["%s"] * len(partly))
            cursor.execute(
                "SELECT loan_id, due_date, principal_fen + interest_fen FROM loans_schedulerow "
                f"WHERE due_date < %s AND loan_id IN ({marks})",
                _params_list([day, *partly]),
            )
            for loan_id, due_date, amount in cursor.fetchall():
                if isinstance(due_date, str):
                    due_date = dt.date.fromisoformat(due_date)
                due[loan_id].append((due_date, int(amount)))
        for loan_id, left in partly.items():
            since = result[loan_id]
            if isinstance(since, str):
                since = dt.date.fromisoformat(since)
            oldest = servicing.oldest_unpaid(due[loan_id], left)
            result[loan_id] = max(since, oldest) if oldest else since
    return result


# ---- 2. overdue (转逾期) -----------------------------------------------------------------------


def overdue(day: dt.date, lo: int, hi: int) -> ChunkResult:
    """What is still due after the collection becomes overdue; ``overdue_since`` keeps the
    oldest unpaid due date (``day`` when nothing earlier is unpaid)."""
    where = f"{IN_CHUNK} AND {OWING} AND (s.principal_due_fen > 0 OR s.interest_due_fen > 0)"
    params = _params(lo=lo, hi=hi, day=day)
    (principal, interest) = _one(
        f"SELECT SUM(s.principal_due_fen), SUM(s.interest_due_fen) FROM loans_loanstate s "
        f"WHERE {where}",
        params,
    )
    count = _update(
        "UPDATE loans_loanstate AS s SET "
        "overdue_principal_fen = s.overdue_principal_fen + s.principal_due_fen, "
        "principal_due_fen = 0, "
        "overdue_interest_fen = s.overdue_interest_fen + s.interest_due_fen, "
        f"interest_due_fen = 0, overdue_since = COALESCE(s.overdue_since, {_date('day')}) "
        f"WHERE {where}",
        params,
    )
    result = ChunkResult(loans=count)
    legs = Legs()
    legs.pair(LOAN_OVERDUE, LOAN, principal)  # interest stays in 113201 (same account)
    _entry(result, "", "overdue", legs, "日终转逾期")
    result.add("overdue_principal_fen", principal)
    result.add("overdue_interest_fen", interest)
    return result


# ---- 3. accrue (计提) --------------------------------------------------------------------------


def accrue(day: dt.date, lo: int, hi: int) -> ChunkResult:
    """Day ``day``'s interest: 积数 of interest-only loans, the schedule accrual of the
    others, the penalty and compound 积数 of overdue loans; ledger postings of the day's
    deltas (NPL loans off balance).

    One UPDATE over the chunk's loans in account (started by ``day``); the day's delta of each
    loan is kept in ``last_accrual_fen`` and summed per performing / non-performing — on
    PostgreSQL in the same statement (``WITH … UPDATE … RETURNING``), on SQLite by a read
    after it. First, the loans whose current schedule row is unknown or already past (a new
    loan, a schedule changed since, dates skipped) look it up again (few loans, by index)."""
    params = _params(lo=lo, hi=hi, day=day)
    refresh(
        f"{IN_CHUNK} AND s.active AND NOT s.interest_only "
        f"AND (s.next_due_date IS NULL OR s.next_due_date <= {_date('day')})",
        params,
        _date("day"),
    )
    # Interest-only: 积数 += principal; accrued = round(积数).
    by_base = "s.interest_only AND s.principal_fen > 0"
    base_accrued = _interest("s.interest_base + s.principal_fen", "s.rate_ppm", "s.day_basis")
    # Schedule interest: the current row (the first due after ``day``), elapsed days of it.
    by_row = "NOT s.interest_only AND s.period_days > 0 AND s.next_due_date IS NOT NULL"
    elapsed = f"s.period_days - {_days('s.next_due_date', _date('day'))} + 1"
    clamped = _greatest("0", _least(elapsed, "s.period_days"))
    row_accrued = f"(s.period_interest_fen * {clamped} * 2 + s.period_days) / (2 * s.period_days)"
    new = (
        f"CASE WHEN {by_base} THEN {base_accrued} WHEN {by_row} THEN {row_accrued} "
        "ELSE s.interest_accrued_fen END"
    )
    update = (
        f"UPDATE loans_loanstate AS s SET interest_accrued_fen = {new}, "
        f"last_accrual_fen = {new} - s.interest_accrued_fen, "
        f"interest_base = CASE WHEN {by_base} THEN s.interest_base + s.principal_fen "
        "ELSE s.interest_base END, "
        # Penalty (罚息) and compound (复利) 积数 of what is overdue.
        "penalty_base = s.penalty_base + s.overdue_principal_fen, "
        "compound_base = s.compound_base + s.overdue_interest_fen, "
        f"last_eod_date = {_date('day')} "
        f"WHERE {IN_CHUNK} AND s.active AND s.start_date <= {_date('day')}"
    )
    sums = (
        f"SUM(CASE WHEN {PERFORMING} THEN s.last_accrual_fen ELSE 0 END), "
        f"SUM(CASE WHEN {NPL} THEN s.last_accrual_fen ELSE 0 END), "
        f"SUM(CASE WHEN ({by_base}) OR ({by_row}) THEN 1 ELSE 0 END)"
    )
    if _sqlite():
        _update(update, params)
        performing, npl, loans = _one(
            f"SELECT {sums} FROM loans_loanstate s WHERE {IN_CHUNK} AND s.active "
            f"AND s.start_date <= {_date('day')}",
            params,
        )
    else:
        returned = (
            "s.days_past_due, s.last_accrual_fen, s.interest_only, s.principal_fen, "
            "s.period_days, s.next_due_date"
        )
        performing, npl, loans = _one(
            f"WITH s AS ({update} RETURNING {returned}) SELECT {sums} FROM s", params
        )
    result = ChunkResult(loans=loans)
    on, off = Legs(), Legs()
    on.pair(INTEREST_RECEIVABLE, INTEREST_INCOME, performing)
    off.pair(OFF_INTEREST, OFF_INTEREST_CONTRA, npl)
    _entry(result, "", "accrual", on, "日终计提利息")
    _entry(result, ":off", "accrual", off, "日终计提利息（不良贷款表外）")
    result.add("accrued_fen", performing + npl)
    return result


def refresh(where: str, params: dict[str, Any], after: str) -> int:
    """Copy onto the states matching ``where`` (alias ``s``) the loan's facts the end-of-day
    reads — in account (正常/逾期), 按期付息 or not, start date — and the current schedule row:
    the first due after ``after`` (an SQL date), its due date, interest and days (none: NULL,
    0, 0). Correlated look-ups: meant for few loans (new, changed, or in the due step)."""

    def row(column: str) -> str:
        return (
            f"(SELECT r.{column} FROM loans_schedulerow r WHERE r.loan_id = s.loan_id "
            f"AND r.due_date > {after} ORDER BY r.due_date, r.period LIMIT 1)"
        )

    def loan(expression: str) -> str:
        return f"(SELECT {expression} FROM loans_loanaccount a WHERE a.id = s.loan_id)"

    return _update(
        f"UPDATE loans_loanstate AS s SET active = {loan(f'a.status IN {ACTIVE}')}, "
        f"interest_only = {loan(INTEREST_ONLY)}, "
        f"start_date = {loan('a.start_date')}, next_due_date = {row('due_date')}, "
        f"period_interest_fen = COALESCE({row('interest_fen')}, 0), "
        f"period_days = COALESCE({row('days')}, 0) WHERE {where}",
        params,
    )


# ---- 4. settle (结息) --------------------------------------------------------------------------


def settlement_cycles(day: dt.date) -> list[str]:
    """The products' settlement cycles for which ``day`` is a settlement day."""
    return [c for c in ("monthly", "quarterly") if servicing.is_settlement_day(day, c)]


def settle(day: dt.date, lo: int, hi: int) -> ChunkResult:
    """On a settlement day: interest-only loans' interest (积数) becomes due; penalty and
    compound 积数 become penalty and compound due (income, or off balance for NPL)."""
    result = ChunkResult()
    cycles = settlement_cycles(day)
    if not cycles:
        return result
    marks = ", ".join(f"'{c}'" for c in cycles)  # fixed literals, not input
    params = _params(lo=lo, hi=hi)
    settles = (
        f"a.id = s.loan_id AND {IN_CHUNK} AND s.active AND a.product_id IN "
        f"(SELECT id FROM products_loanproduct WHERE settlement_cycle IN ({marks}))"
    )
    on, off = Legs(), Legs()
    interest = _interest("s.interest_base", "s.rate_ppm", "s.day_basis")
    where = f"{settles} AND s.interest_only AND s.interest_base > 0"
    performing, npl, settled = _one(
        f"SELECT SUM(CASE WHEN {PERFORMING} THEN {interest} - s.interest_accrued_fen ELSE 0 END),"
        f" SUM(CASE WHEN {NPL} THEN {interest} - s.interest_accrued_fen ELSE 0 END), "
        f"SUM({interest}) FROM loans_loanstate s, loans_loanaccount a WHERE {where}",
        params,
    )
    result.loans += _update(
        f"UPDATE loans_loanstate AS s SET interest_due_fen = s.interest_due_fen + {interest}, "
        "interest_base = 0, interest_accrued_fen = 0 "
        f"FROM loans_loanaccount a WHERE {where}",
        params,
    )
    on.pair(INTEREST_RECEIVABLE, INTEREST_INCOME, performing)  # rounding remainder (0)
    off.pair(OFF_INTEREST, OFF_INTEREST_CONTRA, npl)

    penalty = _interest("s.penalty_base", "s.penalty_rate_ppm", "s.day_basis")
    compound = _interest("s.compound_base", "s.penalty_rate_ppm", "s.day_basis")
    where = f"{settles} AND (s.penalty_base > 0 OR s.compound_base > 0)"
    performing_p, npl_p = _one(
        f"SELECT SUM(CASE WHEN {PERFORMING} THEN {penalty} + {compound} ELSE 0 END), "
        f"SUM(CASE WHEN {NPL} THEN {penalty} + {compound} ELSE 0 END) "
        f"FROM loans_loanstate s, loans_loanaccount a WHERE {where}",
        params,
    )
    result.loans += _update(
        f"UPDATE loans_loanstate AS s SET penalty_due_fen = s.penalty_due_fen + {penalty}, "
        f"compound_due_fen = s.compound_due_fen + {compound}, penalty_base = 0, "
        f"compound_base = 0 FROM loans_loanaccount a WHERE {where}",
        params,
    )
    on.pair(PENALTY_RECEIVABLE, PENALTY_INCOME, performing_p)
    off.pair(OFF_INTEREST, OFF_INTEREST_CONTRA, npl_p)
    _entry(result, "", "settlement", on, "日终结息")
    _entry(result, ":off", "settlement", off, "日终结息（不良贷款表外）")
    result.add("settled_interest_fen", settled)
    result.add("settled_penalty_fen", performing_p + npl_p)
    return result


# ---- 5. due (到期) -----------------------------------------------------------------------------


def due(day: dt.date, lo: int, hi: int) -> ChunkResult:
    """Schedule rows due on ``day + 1`` become due: their principal, and for schedule-interest
    loans their interest (the accrual's rounding remainder posted, so accrued == the row's
    interest); interest-only loans maturing on ``day + 1`` settle their interest. The loans
    with a row due move on to their next row (the current period of ``day + 1``'s accrual).
    Driven by the schedule's index on the due date: only those loans are read."""
    tomorrow = day + dt.timedelta(days=1)
    params = _params(lo=lo, hi=hi, tomorrow=tomorrow)
    due_rows = (
        f"r.due_date = {_date('tomorrow')} AND r.loan_id > %(lo)s AND r.loan_id <= %(hi)s "
        "AND r.loan_id = s.loan_id"
    )
    base = f"{due_rows} AND {IN_CHUNK} AND s.active"
    tables = "loans_schedulerow r"
    result = ChunkResult()
    on, off = Legs(), Legs()
    moved = _least("s.principal_fen", "r.principal_fen")
    where = f"{base} AND r.principal_fen > 0 AND s.principal_fen > 0"
    (principal,) = _one(
        f"SELECT SUM({moved}) FROM loans_loanstate s, {tables} WHERE {where}", params
    )
    loans = _update(
        f"UPDATE loans_loanstate AS s SET principal_fen = s.principal_fen - {moved}, "
        f"principal_due_fen = s.principal_due_fen + {moved} FROM {tables} WHERE {where}",
        params,
    )
    where = f"{base} AND NOT s.interest_only"
    remainder = "r.interest_fen - s.interest_accrued_fen"
    performing, npl, interest = _one(
        f"SELECT SUM(CASE WHEN {PERFORMING} THEN {remainder} ELSE 0 END), "
        f"SUM(CASE WHEN {NPL} THEN {remainder} ELSE 0 END), SUM(r.interest_fen) "
        f"FROM loans_loanstate s, {tables} WHERE {where}",
        params,
    )
    loans = max(
        loans,
        _update(
            "UPDATE loans_loanstate AS s SET interest_due_fen = s.interest_due_fen + "
            f"r.interest_fen, interest_accrued_fen = 0 FROM {tables} WHERE {where}",
            params,
        ),
    )
    on.pair(INTEREST_RECEIVABLE, INTEREST_INCOME, performing)
    off.pair(OFF_INTEREST, OFF_INTEREST_CONTRA, npl)

    # Interest-only loans maturing tomorrow (their last row is due tomorrow).
    settled = _interest("s.interest_base", "s.rate_ppm", "s.day_basis")
    where = (
        f"{base} AND s.interest_only AND s.interest_base > 0 AND a.id = s.loan_id "
        f"AND a.maturity_date = {_date('tomorrow')}"
    )
    tables = "loans_schedulerow r, loans_loanaccount a"
    p2, n2, at_maturity = _one(
        f"SELECT SUM(CASE WHEN {PERFORMING} THEN {settled} - s.interest_accrued_fen ELSE 0 END),"
        f" SUM(CASE WHEN {NPL} THEN {settled} - s.interest_accrued_fen ELSE 0 END), "
        f"SUM({settled}) FROM loans_loanstate s, {tables} WHERE {where}",
        params,
    )
    _update(
        f"UPDATE loans_loanstate AS s SET interest_due_fen = s.interest_due_fen + {settled}, "
        f"interest_base = 0, interest_accrued_fen = 0 FROM {tables} WHERE {where}",
        params,
    )
    on.pair(INTEREST_RECEIVABLE, INTEREST_INCOME, p2)
    off.pair(OFF_INTEREST, OFF_INTEREST_CONTRA, n2)

    # The next row becomes the current period (none after the last: NULL).
    refresh(
        f"{IN_CHUNK} AND s.loan_id IN (SELECT r.loan_id FROM loans_schedulerow r "
        f"WHERE r.due_date = {_date('tomorrow')} AND r.loan_id > %(lo)s AND r.loan_id <= %(hi)s)",
        params,
        _date("tomorrow"),
    )
    _entry(result, "", "accrual", on, "日终到期转应收")
    _entry(result, ":off", "accrual", off, "日终到期转应收（不良贷款表外）")
    result.loans = loans
    result.add("due_principal_fen", principal)
    result.add("due_interest_fen", interest + at_maturity)
    return result


# ---- 6. classify (逾期天数、分类下限、状态) -----------------------------------------------------


def classify(day: dt.date, lo: int, hi: int) -> ChunkResult:
    """Days past due as of ``day + 1``, the class floor, NPL transfers of interest between the
    balance sheet and the off-balance register, the loan's status and balance copy.

    Only loans that can change are read: those overdue, past due or classified below 正常
    (``state_watched``) and those collected today (``state_collected``, their balance and
    status may have changed); for every other loan in account the figures stay 0 / 正常 /
    正常."""
    tomorrow = day + dt.timedelta(days=1)
    params = _params(lo=lo, hi=hi, tomorrow=tomorrow, day=day)
    owes = "(s.overdue_principal_fen > 0 OR s.overdue_interest_fen > 0)"
    dpd = (
        f"CASE WHEN s.overdue_since IS NOT NULL AND {owes} "
        f"THEN {_days(_date('tomorrow'), 's.overdue_since')} ELSE 0 END"
    )
    floor = "CASE " + " ".join(
        f"WHEN {dpd} > {after} THEN '{category}'" for after, category in servicing.CLASS_FLOORS
    )
    floor += " ELSE 'normal' END"
    limit = servicing.NON_PERFORMING_AFTER
    interest = "s.interest_accrued_fen + s.interest_due_fen + s.overdue_interest_fen"
    penalty = "s.penalty_due_fen + s.compound_due_fen"
    # (A union of two index look-ups, the chunk's bounds inside it: an OR of the two
    # conditions, or the bounds on ``s``, would read the whole chunk.)
    watched = WATCHED.replace("s.", "w.")
    candidates = (
        "s.active AND s.loan_id IN (SELECT w.loan_id FROM loans_loanstate w "
        f"WHERE w.loan_id > %(lo)s AND w.loan_id <= %(hi)s AND {watched} "
        "UNION SELECT c.loan_id FROM loans_loanstate c WHERE c.collected_on = "
        f"{_date('day')} AND c.loan_id > %(lo)s AND c.loan_id <= %(hi)s)"
    )
    becomes = f"s.days_past_due <= {limit} AND ({dpd}) > {limit}"
    recovers = f"s.days_past_due > {limit} AND ({dpd}) <= {limit}"
    i_out, p_out, i_in, p_in = _one(
        f"SELECT SUM(CASE WHEN {becomes} THEN {interest} ELSE 0 END), "
        f"SUM(CASE WHEN {becomes} THEN {penalty} ELSE 0 END), "
        f"SUM(CASE WHEN {recovers} THEN {interest} ELSE 0 END), "
        f"SUM(CASE WHEN {recovers} THEN {penalty} ELSE 0 END) "
        f"FROM loans_loanstate s WHERE {candidates}",
        params,
    )
    changed = _update(
        f"UPDATE loans_loanstate AS s SET days_past_due = {dpd}, class_floor = {floor}, "
        f"overdue_since = CASE WHEN {owes} THEN s.overdue_since ELSE NULL END "
        f"WHERE {candidates} AND (s.days_past_due <> ({dpd}) "
        f"OR s.class_floor <> ({floor}) OR (s.overdue_since IS NOT NULL AND NOT {owes}))",
        params,
    )
    principal = "(s.principal_fen + s.principal_due_fen + s.overdue_principal_fen)"
    nothing_left = (
        f"{principal} = 0 AND {interest} = 0 AND {penalty} = 0 AND s.interest_base = 0 "
        "AND s.penalty_base = 0 AND s.compound_base = 0"
    )
    status = (
        f"CASE WHEN {nothing_left} THEN 'settled' WHEN s.days_past_due > 0 THEN 'overdue' "
        "ELSE 'normal' END"
    )
    _update(
        f"UPDATE loans_loanaccount AS a SET status = {status}, "
        f"outstanding_principal = {principal} / 100.0 FROM loans_loanstate s "
        f"WHERE a.id = s.loan_id AND {candidates} AND a.status IN {ACTIVE} "
        f"AND (a.status <> ({status}) OR a.outstanding_principal * 100 <> {principal})",
        params,
    )
    # (A loan settled now leaves the steps: the status change sets its state's ``active``,
    # by the trigger of migration loans 0004.)
    result = ChunkResult(loans=changed)
    on, off = Legs(), Legs()
    # To NPL: the interest recognised leaves income and goes to the off-balance register;
    # back to performing: the other way round.
    on.pair(INTEREST_INCOME, INTEREST_RECEIVABLE, i_out - i_in)
    on.pair(PENALTY_INCOME, PENALTY_RECEIVABLE, p_out - p_in)
    off.pair(OFF_INTEREST, OFF_INTEREST_CONTRA, i_out + p_out - i_in - p_in)
    _entry(result, "", "other", on, "日终不良贷款利息转表外")
    _entry(result, ":off", "other", off, "日终不良贷款利息转表外（表外登记）")
    result.add("to_npl_interest_fen", i_out + p_out)
    result.add("from_npl_interest_fen", i_in + p_in)
    return result


STEPS = {
    "collect": collect,
    "overdue": overdue,
    "accrue": accrue,
    "settle": settle,
    "due": due,
    "classify": classify,
}
