"""A loan to repay: 100,000.00 元 at 4.35% over 12 months, 等额本息, from 2026-01-15, with a
repayment deposit account; its servicing figures set directly for the day a test is about, and
booked so that the ledger reconciles (the opening entry stands for the end-of-days before).

The schedule (hand-checked: A = 100000 × i(1+i)^12 / ((1+i)^12 − 1), i = 0.0435 / 12 →
8,530.99; row interest = balance × i):

    period  due          principal   interest   balance after
      1     2026-02-15    8,168.49     362.50     91,831.51
      2     2026-03-15    8,198.10     332.89     83,633.41
      3     2026-04-15    8,227.82     303.17     75,405.59
      4     2026-05-15    8,257.64     273.35     67,147.95
      5     2026-06-15    8,287.58     243.41     58,860.37
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from tests.customers.ids import resident_id
from tests.products.conftest import product_fields
from xindai.core import business_date
from xindai.customers.models import Customer
from xindai.deposits import services as deposits
from xindai.deposits.models import DepositAccount
from xindai.ledger import domain as books
from xindai.ledger import services as ledger
from xindai.loans.accounts import loan_terms, open_account
from xindai.loans.models import LoanAccount, LoanState
from xindai.products.models import LoanProduct

START = dt.date(2026, 1, 15)
_serial = itertools.count(1)


def product() -> LoanProduct:
    found = LoanProduct.objects.filter(code="HK-01").first()
    if found is not None:
        return found
    made = LoanProduct(
        **product_fields(
            code="HK-01",
            name="还款测试贷",
            customer_kinds=["farmer"],
            purpose="farmer",
            min_term=3,
            max_term=12,
            repayment_methods=["equal_installment", "equal_principal", "interest_only", "bullet"],
            guarantee_methods=["credit"],
        )
    )
    made.full_clean()
    made.save()
    return made


def today(day: dt.date) -> None:
    business_date.set_date(day, actor=None, reason="test")


def loan(
    manager: Any,
    *,
    principal: str = "100000",
    method: str = "equal_installment",
    term: int = 12,
    start: dt.date = START,
    deposit_fen: int = 0,
) -> LoanAccount:
    n = next(_serial)
    customer = Customer.objects.create(
        kind="farmer",
        name=f"王大山{n}",
        id_type="resident_id",
        id_number=resident_id(born=dt.date(1980, 5, 1), seq=300 + n),
        manager=manager,
        org_unit=manager.org_unit,
    )
    terms = loan_terms(product(), Decimal(principal), Decimal("0.0435"), term, method, start)
    account, _schedule = open_account(
        terms,
        customer=customer,
        product=product(),
        org_unit=manager.org_unit,
        manager=manager,
        created_by=manager,
        source="disbursed",
        term_months=term,
    )
    deposit = DepositAccount.objects.create(
        number=f"62300000000{n:05d}", customer=customer, opened_on=start
    )
    LoanState.objects.filter(loan=account).update(repayment_account=deposit)
    if deposit_fen:
        fund(deposit, deposit_fen, start)
    return account


def fund(account: DepositAccount, amount_fen: int, day: dt.date) -> None:
    """Cash paid into the deposit account: Dr 300101 清算资金往来, Cr 201101 吸收存款."""
    key = f"test-fund:{account.pk}:{next(_serial)}"
    deposits.move(account, key, day, "cash_in", amount_fen)
    legs = [books.debit("300101", amount_fen), books.credit("201101", amount_fen)]
    ledger.post(key, day, "deposit", legs)


def set_state(loan: LoanAccount, day: dt.date, **figures: Any) -> LoanState:
    """Business date ``day`` and the loan's figures as the end-of-days would have left them,
    booked in one opening entry against 300101 (principal) and income (interest)."""
    today(day)
    LoanState.objects.filter(loan=loan).update(**figures)
    state = LoanState.objects.get(loan=loan)
    principal = state.principal_fen + state.principal_due_fen
    interest = state.interest_accrued_fen + state.interest_due_fen + state.overdue_interest_fen
    penalty = state.penalty_due_fen + state.compound_due_fen
    npl = state.days_past_due > 90
    legs = [books.debit("130101", principal), books.credit("300101", principal)]
    if state.overdue_principal_fen:
        legs += [
            books.debit("130102", state.overdue_principal_fen),
            books.credit("300101", state.overdue_principal_fen),
        ]
    if not npl:
        if interest:
            legs += [books.debit("113201", interest), books.credit("601101", interest)]
        if penalty:
            legs += [books.debit("113202", penalty), books.credit("601102", penalty)]
    key = f"test-opening:{loan.pk}:{next(_serial)}"
    ledger.post(key, day, "other", legs, loan=loan)
    if npl and interest + penalty:
        off = [
            books.debit("701101", interest + penalty),
            books.credit("701102", interest + penalty),
        ]
        ledger.post(key + ":off", day, "other", off, loan=loan)
    outstanding = principal + state.overdue_principal_fen
    LoanAccount.objects.filter(pk=loan.pk).update(
        outstanding_principal=Decimal(outstanding) / 100,
        status="overdue" if state.overdue_principal_fen or state.overdue_interest_fen else "normal",
    )
    loan.refresh_from_db()
    return state


def gl_balances() -> dict[str, int]:
    lines, balanced = ledger.trial_balance()
    assert balanced, "the trial balance does not balance"
    return {line.account.code: line.balance for line in lines}


def subledger() -> dict[str, int]:
    """The loan subledger and the deposits, summed the way the general ledger should hold them."""
    found = dict.fromkeys(("130101", "130102", "113201", "113202", "201101", "701101"), 0)
    for s in LoanState.objects.all():
        found["130101"] += s.principal_fen + s.principal_due_fen
        found["130102"] += s.overdue_principal_fen
        interest = s.interest_accrued_fen + s.interest_due_fen + s.overdue_interest_fen
        penalty = s.penalty_due_fen + s.compound_due_fen
        if s.days_past_due > 90:
            found["701101"] += interest + penalty
        else:
            found["113201"] += interest
            found["113202"] += penalty
    found["201101"] = sum(DepositAccount.objects.values_list("balance_fen", flat=True))
    return found


def assert_books() -> None:
    """The trial balance balances and the subledger equals the general ledger, account by
    account."""
    gl = gl_balances()
    for code, amount in subledger().items():
        assert gl.get(code, 0) == amount, f"{code}: GL {gl.get(code, 0)} ≠ subledger {amount}"
