"""对账: the loan and deposit subledgers against the general ledger, account by account.

The subledger of an account is a sum over the servicing state (``loans.LoanState``) or the
deposit balances, per the chart's mapping (issue 8 spec):

- 130101 贷款—正常本金: principal not yet due + principal due today;
- 130102 贷款—逾期本金: overdue principal;
- 113201 应收利息—贷款利息: accrued + due + overdue interest of performing loans;
- 113202 应收利息—罚息复利: penalty and compound interest due of performing loans;
- 701101 表外—应收未收利息: the same interest of non-performing loans (overdue > 90 days),
  kept off balance;
- 701201 表外—已核销贷款本息: principal and interest of written-off loans;
- 201101 吸收存款: the deposit accounts' balances.

Written-off loans count only in 701201. Accounts without a subledger (300101, income, ...) are
not compared. When ``xindai.loans.reconcile.reconcile`` exists (the end-of-day's own), it is
the subledger used; this module's sums are the fallback and the reference.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from xindai.ledger import domain
from xindai.ledger import services as ledger
from xindai.loans import servicing

NPL_DAYS = servicing.NON_PERFORMING_AFTER  # 不良: > 90 days past due, interest off balance

PRINCIPAL = ("principal_fen", "principal_due_fen")
OVERDUE_PRINCIPAL = ("overdue_principal_fen",)
INTEREST = ("interest_accrued_fen", "interest_due_fen", "overdue_interest_fen")
PENALTY = ("penalty_due_fen", "compound_due_fen")

WRITTEN_OFF = Q(loan__status="written_off")
PERFORMING = ~WRITTEN_OFF & Q(days_past_due__lte=NPL_DAYS)
NON_PERFORMING = ~WRITTEN_OFF & Q(days_past_due__gt=NPL_DAYS)

# account → (the loans it covers, the LoanState columns summed)
LOAN_MAPPING: Mapping[str, tuple[Q, tuple[str, ...]]] = {
    "130101": (~WRITTEN_OFF, PRINCIPAL),
    "130102": (~WRITTEN_OFF, OVERDUE_PRINCIPAL),
    "113201": (PERFORMING, INTEREST),
    "113202": (PERFORMING, PENALTY),
    "701101": (NON_PERFORMING, INTEREST + PENALTY),
    "701201": (WRITTEN_OFF, PRINCIPAL + OVERDUE_PRINCIPAL + INTEREST + PENALTY),
}
DEPOSITS = "201101"
ACCOUNTS = (*LOAN_MAPPING, DEPOSITS)


@dataclass(frozen=True)
class Line:
    account: domain.Account
    ledger: int  # the GL balance on the account's normal side, fen
    subledger: int  # fen

    @property
    def difference(self) -> int:
        return self.ledger - self.subledger


@dataclass(frozen=True)
class Result:
    as_of: dt.date | None
    lines: list[Line]
    source: str  # where the subledger came from: "loans.reconcile" or "ledger"

    @property
    def differences(self) -> list[Line]:
        return [line for line in self.lines if line.difference]

    @property
    def ok(self) -> bool:
        return not self.differences


def subledger(states: QuerySet[Any] | None = None) -> dict[str, int]:
    """Each compared account's subledger balance in fen, from the current state (of the loan
    states ``states``, default all; the deposits are always all)."""
    from xindai.deposits.models import DepositAccount
    from xindai.loans.models import LoanState

    states = LoanState.objects.all() if states is None else states
    sums: dict[str, int] = {}
    for code, (which, columns) in LOAN_MAPPING.items():
        total: Any = Coalesce(Sum(columns[0]), Value(0))
        for column in columns[1:]:
            total = total + Coalesce(Sum(column), Value(0))
        sums[code] = int(states.filter(which).aggregate(t=total)["t"] or 0)
    balance = DepositAccount.objects.aggregate(t=Sum("balance_fen"))["t"]
    sums[DEPOSITS] = int(balance or 0)
    return sums


def _engine() -> Callable[..., Any] | None:
    """The end-of-day's ``xindai.loans.reconcile.reconcile``, when it is there."""
    try:
        module = importlib.import_module("xindai.loans.reconcile")
    except ImportError:
        return None
    return getattr(module, "reconcile", None)


def _from_engine(found: Any) -> dict[str, int] | None:
    """Its answer as {account: subledger fen}: a mapping of that, or lines that carry
    ``account`` (code or Account) and ``subledger``; else None (not understood)."""
    items = getattr(found, "lines", found)
    if isinstance(items, Mapping):
        if all(isinstance(v, int) for v in items.values()):
            return {str(k): int(v) for k, v in items.items()}
        return None
    sums: dict[str, int] = {}
    try:
        for item in items:
            account: Any = item["account"] if isinstance(item, Mapping) else item.account
            figure: Any = item["subledger"] if isinstance(item, Mapping) else item.subledger
            sums[str(getattr(account, "code", account))] = int(figure)
    except (TypeError, AttributeError, KeyError):
        return None
    return sums


_asking = False  # the engine's reconcile may itself call this one: ask it once


def reconcile(as_of: dt.date | None = None) -> Result:
    """The GL (postings up to ``as_of``; all when None) against the subledger, per account.
    The subledger is the state now: a date is meant for the last closed business day."""
    global _asking
    source, sums = "ledger", subledger()
    engine = None if _asking else _engine()
    if engine is not None:
        _asking = True
        try:
            takes_date = bool(inspect.signature(engine).parameters)
            theirs = _from_engine(engine(as_of) if takes_date else engine())
        finally:
            _asking = False
        if theirs is not None:
            source, sums = "loans.reconcile", sums | theirs
    lines, _balanced = ledger.trial_balance(as_of)
    balances = {line.account.code: line.balance for line in lines}
    return Result(
        as_of,
        [Line(domain.BY_CODE[c], balances.get(c, 0), sums.get(c, 0)) for c in ACCOUNTS],
        source,
    )
