"""核销 in the books (issue 8, ledger): a written-off loan leaves the balance sheet and is kept
off balance with everything it still owes (账销案存), so recoveries can be tracked.

The approval of a write-off is the collection issue's; this is the posting it calls, once per
loan (keys ``writeoff:{loan}``):

- on balance: the loss is provided for and used at once — Dr 670101 资产减值损失 / Cr 130401
  贷款损失准备, then Dr 130401 / Cr 130101 正常本金, Cr 130102 逾期本金; interest still
  recognised as income on a performing loan is taken back (Dr 601101/601102, Cr 113201/113202);
- off balance: interest kept off balance for a non-performing loan leaves 701101, and the whole
  claim — principal, interest, penalty and compound interest — enters 701201 已核销贷款本息.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from xindai.ledger import services as ledger
from xindai.ledger.domain import Leg, credit, debit
from xindai.loans import servicing
from xindai.loans.models import LoanAccount, LoanState, LoanStatus


@dataclass(frozen=True)
class Claim:
    """What a loan still owes, in fen, by kind."""

    principal: int  # not yet overdue (incl. due today)
    overdue_principal: int
    interest: int  # accrued, due and overdue interest
    penalty: int  # penalty and compound interest due
    non_performing: bool

    @property
    def total(self) -> int:
        return self.principal + self.overdue_principal + self.interest + self.penalty


def claim_of(state: LoanState) -> Claim:
    return Claim(
        principal=state.principal_fen + state.principal_due_fen,
        overdue_principal=state.overdue_principal_fen,
        interest=state.interest_accrued_fen + state.interest_due_fen + state.overdue_interest_fen,
        penalty=state.penalty_due_fen + state.compound_due_fen,
        non_performing=state.days_past_due > servicing.NON_PERFORMING_AFTER,
    )


def on_balance_legs(claim: Claim) -> list[Leg]:
    loss = claim.principal + claim.overdue_principal
    legs = [debit("670101", loss), credit("130401", loss), debit("130401", loss)]
    legs += [credit("130101", claim.principal), credit("130102", claim.overdue_principal)]
    if not claim.non_performing:
        legs += [debit("601101", claim.interest), credit("113201", claim.interest)]
        legs += [debit("601102", claim.penalty), credit("113202", claim.penalty)]
    return [leg for leg in legs if leg.amount]


def off_balance_legs(claim: Claim) -> list[Leg]:
    legs = [debit("701201", claim.total), credit("701202", claim.total)]
    if claim.non_performing:
        kept = claim.interest + claim.penalty
        legs += [debit("701102", kept), credit("701101", kept)]
    return [leg for leg in legs if leg.amount]


def post_write_off(loan: LoanAccount, business_date: dt.date, memo: str = "核销") -> Claim:
    """Write ``loan`` off in the books (once: a written-off loan is left as it is) and mark it
    核销; its servicing state keeps what it owes, and the end-of-day no longer touches it."""
    with transaction.atomic():
        state = LoanState.objects.select_for_update().get(loan=loan)
        claim = claim_of(state)
        account = LoanAccount.objects.select_for_update().get(pk=loan.pk)
        if account.status == LoanStatus.WRITTEN_OFF:
            return claim
        for suffix, legs in (("", on_balance_legs(claim)), (":off", off_balance_legs(claim))):
            if len(legs) >= 2:
                key = f"writeoff:{loan.pk}{suffix}"
                ledger.post(key, business_date, "write_off", legs, loan=loan, memo=memo)
        account.status = LoanStatus.WRITTEN_OFF
        account.save(update_fields=["status"])
    return claim
