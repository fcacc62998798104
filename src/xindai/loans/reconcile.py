"""Reconciliation (对账): the loan subledger and the deposit balances against the general
ledger, account by account, in fen.

Subledger figures (loans not written off):

* 130101 = Σ (principal_fen + principal_due_fen); 130102 = Σ overdue_principal_fen;
* 113201 = Σ (interest_accrued + interest_due + overdue_interest) of performing loans,
  113202 = Σ (penalty_due + compound_due) of performing loans (days past due ≤ 90);
* 701101 = the same five buckets of non-performing loans (interest kept off balance);
* 701201 = principal and interest of written-off loans (表外已核销贷款本息);
* 201101 = Σ deposit balances.

The general ledger's figure is each account's balance on its normal side.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, Sum

from xindai.deposits.models import DepositAccount
from xindai.ledger import domain
from xindai.ledger import services as ledger
from xindai.loans import servicing
from xindai.loans.models import LoanStatus
from xindai.loans.models_servicing import LoanState

ACCOUNTS = ("130101", "130102", "113201", "113202", "701101", "701201", "201101")


@dataclass(frozen=True)
class Line:
    account: str
    subledger: int
    general_ledger: int

    @property
    def difference(self) -> int:
        return self.subledger - self.general_ledger


def subledger() -> dict[str, int]:
    """Each reconciled account's figure from the loan states and deposit balances (fen)."""
    written_off = Q(loan__status=LoanStatus.WRITTEN_OFF)
    states = LoanState.objects.all()
    npl = Q(days_past_due__gt=servicing.NON_PERFORMING_AFTER)

    def total(*fields: str, where: Q = ~written_off) -> int:
        rows = states.filter(where)
        sums = rows.aggregate(**{f: Sum(f) for f in fields})
        return sum(int(v or 0) for v in sums.values())

    interest = ("interest_accrued_fen", "interest_due_fen", "overdue_interest_fen")
    penalty = ("penalty_due_fen", "compound_due_fen")
    deposits = DepositAccount.objects.aggregate(s=Sum("balance_fen"))["s"]
    return {
        "130101": total("principal_fen", "principal_due_fen"),
        "130102": total("overdue_principal_fen"),
        "113201": total(*interest, where=~written_off & ~npl),
        "113202": total(*penalty, where=~written_off & ~npl),
        "701101": total(*interest, *penalty, where=~written_off & npl),
        "701201": total(
            "principal_fen",
            "principal_due_fen",
            "overdue_principal_fen",
            *interest,
            *penalty,
            where=written_off,
        ),
        "201101": int(deposits or 0),
    }


def general_ledger() -> dict[str, int]:
    lines, _balanced = domain.trial_balance(ledger.totals())
    return {line.account.code: line.balance for line in lines}


def reconcile() -> list[Line]:
    """Every reconciled account: subledger, general ledger (the difference is a property)."""
    sub, gl = subledger(), general_ledger()
    return [Line(code, sub[code], gl.get(code, 0)) for code in ACCOUNTS]


def differences() -> dict[str, int]:
    """The accounts that do not reconcile: account → subledger − general ledger (fen)."""
    return {line.account: line.difference for line in reconcile() if line.difference}
