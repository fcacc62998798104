"""Loans for the end-of-day tests, opened the way disbursement opens them (``open_account``),
with a repayment deposit account and the opening entries in the ledger, so that the
reconciliation (subledger = general ledger) holds from the first day:

* disbursed into the customer's deposit account: Dr 130101 / Cr 201101 (and the deposit);
* paid out to a third party (受托支付): Dr 130101 / Cr 300101.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from xindai.core import business_date
from xindai.core.money import fen
from xindai.deposits import services as deposits
from xindai.deposits.models import DepositAccount
from xindai.ledger import services as ledger
from xindai.ledger.domain import credit, debit
from xindai.loans.accounts import loan_terms, open_account
from xindai.loans.models import LoanAccount, LoanState
from xindai.products.models import LoanProduct

_numbers = itertools.count(1)


def product(code: str = "EOD-M", *, cycle: str = "monthly", **changes: Any) -> LoanProduct:
    found = LoanProduct.objects.filter(code=code).first()
    if found is not None:
        return found
    fields: dict[str, Any] = {
        "code": code,
        "name": f"日终测试{code}",
        "marketing_role": "profit",
        "customer_kinds": ["farmer"],
        "purpose": "personal_business",
        "min_amount": Decimal(1_000),
        "max_amount": Decimal(1_000_000),
        "min_term": 1,
        "max_term": 60,
        "pricing": "fixed",
        "fixed_rate": Decimal("0.0435"),
        "repayment_methods": [
            "equal_installment",
            "equal_principal",
            "interest_only",
            "bullet",
        ],
        "guarantee_methods": ["credit"],
        "settlement_cycle": cycle,
    }
    return LoanProduct.objects.create(**(fields | changes))


def deposit_account(customer: Any, opened_on: dt.date, balance_fen: int = 0) -> DepositAccount:
    account = DepositAccount.objects.create(
        number=f"6217{next(_numbers):012d}", customer=customer, opened_on=opened_on
    )
    if balance_fen:
        cash_in(account, balance_fen, opened_on)
    return account


def cash_in(account: DepositAccount, amount_fen: int, day: dt.date | None = None) -> None:
    """The customer pays cash in at the counter: Dr 300101 / Cr 201101."""
    day = day or business_date.current()
    key = f"test:cash:{account.pk}:{next(_numbers)}"
    deposits.move(account, key, day, "cash_in", amount_fen)
    ledger.post(key, day, "deposit", [debit("300101", amount_fen), credit("201101", amount_fen)])


def loan(
    customer: Any,
    *,
    principal: Decimal,
    rate: Decimal,
    months: int,
    method: str,
    start: dt.date,
    product_code: str = "EOD-M",
    cycle: str = "monthly",
    account: DepositAccount | None = None,
    into_account: bool = True,
) -> LoanAccount:
    """A loan opened on ``start``, its repayment account ``account`` (a new empty one when
    None); the principal paid into that account (``into_account``) or to a third party."""
    made = product(product_code, cycle=cycle)
    terms = loan_terms(made, principal, rate, months, method, start)
    manager = customer.manager
    created, _schedule = open_account(
        terms,
        customer=customer,
        product=made,
        org_unit=customer.org_unit,
        manager=manager,
        created_by=manager,
        source="disbursed",
        term_months=months,
    )
    account = account or deposit_account(customer, start)
    LoanState.objects.filter(loan=created).update(repayment_account=account)
    amount = fen(principal)
    key = f"test:disburse:{created.pk}"
    if into_account:
        deposits.move(account, key, start, "disbursement", amount)
        legs = [debit("130101", amount), credit("201101", amount)]
    else:
        legs = [debit("130101", amount), credit("300101", amount)]
    ledger.post(key, start, "disbursement", legs, loan=created)
    return created


def portfolio(customer: Any) -> list[LoanAccount]:
    """Loans of every method, due and settled around 2026-12-18..22: funded, empty and
    partly funded repayment accounts, one account shared by three loans."""
    loans: list[LoanAccount] = []
    d = dt.date

    def add(principal: int, months: int, method: str, start: dt.date, **kw: Any) -> None:
        loans.append(
            loan(
                customer,
                principal=Decimal(principal),
                rate=kw.pop("rate", Decimal("0.0435")),
                months=months,
                method=method,
                start=start,
                **kw,
            )
        )

    add(100_000, 12, "interest_only", d(2026, 11, 2), product_code="EOD-Q", cycle="quarterly")
    add(50_000, 6, "interest_only", d(2026, 10, 20))
    add(10_000, 12, "equal_installment", d(2026, 11, 19), into_account=False)
    add(20_000, 12, "equal_installment", d(2026, 11, 20), rate=Decimal("0.06"))
    add(30_000, 6, "equal_principal", d(2026, 10, 21), into_account=False)
    shared = deposit_account(customer, d(2026, 11, 1), balance_fen=120_000)
    for day in (19, 20, 21):
        add(5_000, 6, "equal_installment", d(2026, 11, day), account=shared, into_account=False)
    partly = deposit_account(customer, d(2026, 9, 1), balance_fen=30_000)
    add(8_000, 3, "bullet", d(2026, 9, 19), account=partly, into_account=False)
    for n in range(8):
        add(
            6_000 + 1_000 * n,
            12 if n % 2 else 6,
            ("equal_installment", "equal_principal", "interest_only")[n % 3],
            d(2026, 11, 15 + n),
            rate=Decimal("0.0525"),
            into_account=n % 2 == 0,
        )
    add(40_000, 12, "interest_only", d(2026, 6, 21), product_code="EOD-Q", cycle="quarterly")
    return loans
