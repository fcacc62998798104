"""Deposit movements: once per key, never below zero, also when many arrive at once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.concurrency import POSTGRES_ONLY, at_once
from tests.customers.ids import resident_id
from xindai.customers.models import Customer
from xindai.deposits import services
from xindai.deposits.models import DepositAccount, DepositMovement

DAY = dt.date(2026, 11, 30)


@pytest.fixture
def account(manager: Any) -> DepositAccount:
    customer = Customer.objects.create(
        kind="farmer",
        name="王大山",
        id_type="resident_id",
        id_number=resident_id(born=dt.date(1980, 5, 1), seq=321),
        manager=manager,
        org_unit=manager.org_unit,
    )
    return DepositAccount.objects.create(
        number="6230000000000001", customer=customer, opened_on=DAY
    )


def test_a_credit_then_a_debit_leave_the_difference(account: DepositAccount) -> None:
    services.move(account, "in:1", DAY, "cash_in", 1_000_000)
    out = services.move(account, "out:1", DAY, "collection", -853_099)
    account.refresh_from_db()
    assert (account.balance_fen, out.balance_after_fen) == (146_901, 146_901)


def test_the_same_key_moves_money_once(account: DepositAccount) -> None:
    first = services.move(account, "in:1", DAY, "cash_in", 1_000_000)
    again = services.move(account, "in:1", DAY, "cash_in", 1_000_000)
    account.refresh_from_db()
    assert (again.pk, account.balance_fen, DepositMovement.objects.count()) == (
        first.pk,
        1_000_000,
        1,
    )


def test_a_debit_beyond_the_balance_is_refused_and_changes_nothing(
    account: DepositAccount,
) -> None:
    services.move(account, "in:1", DAY, "cash_in", 10_000)
    with pytest.raises(services.InsufficientFunds) as refused:
        services.move(account, "out:1", DAY, "collection", -10_001)
    assert refused.value.message == "账户 6230000000000001 余额 100.00 元，不足支付 100.01 元"
    account.refresh_from_db()
    assert (account.balance_fen, DepositMovement.objects.count()) == (10_000, 1)


@POSTGRES_ONLY
@pytest.mark.django_db(transaction=True)
def test_twenty_debits_at_once_never_overdraw(account: DepositAccount) -> None:
    services.move(account, "in:1", DAY, "cash_in", 100_000)  # 1,000.00 元

    def debit(n: int) -> DepositMovement:
        # Ten different debits of 150.00 (only six fit), each sent twice with its key.
        return services.move(account, f"out:{n % 10}", DAY, "collection", -15_000)

    _done, refused = at_once(20, debit, (services.InsufficientFunds,))
    account.refresh_from_db()
    debits = DepositMovement.objects.filter(kind="collection").count()
    assert (debits, account.balance_fen, len(refused)) == (6, 100_000 - 6 * 15_000, 8)
