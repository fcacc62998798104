"""Moving money in and out of deposit accounts: once per key, never below zero."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils.translation import gettext

from xindai.audit import services as audit
from xindai.core.errors import DomainError, FormInvalid, InvalidInput
from xindai.core.money import fen
from xindai.customers.models import Customer
from xindai.deposits.models import DepositAccount, DepositMovement, MovementKind
from xindai.ledger.domain import fen_text
from xindai.org.scope import visible


class InsufficientFunds(DomainError):
    code = "insufficient_funds"


def move(
    account: DepositAccount,
    key: str,
    business_date: dt.date,
    kind: str,
    amount_fen: int,
    memo: str = "",
) -> DepositMovement:
    """Credit (positive) or debit (negative) ``account`` once: a repeated ``key`` returns the
    first movement. A debit beyond the balance is refused and changes nothing."""
    existing = DepositMovement.objects.filter(key=key).first()
    if existing is not None:
        return existing
    try:
        return _move(account, key, business_date, kind, amount_fen, memo)
    except IntegrityError:  # the same key at the same moment: that one won, and is the answer
        return DepositMovement.objects.get(key=key)
    except InsufficientFunds:
        # A retry that waited for its own first attempt: the money went, by that attempt.
        existing = DepositMovement.objects.filter(key=key).first()
        if existing is None:
            raise
        return existing


def _move(
    account: DepositAccount, key: str, business_date: dt.date, kind: str, amount_fen: int, memo: str
) -> DepositMovement:
    with transaction.atomic():
        updated = DepositAccount.objects.filter(
            pk=account.pk, balance_fen__gte=-amount_fen if amount_fen < 0 else 0
        ).update(balance_fen=F("balance_fen") + amount_fen)
        locked = DepositAccount.objects.get(pk=account.pk)
        if not updated:
            raise InsufficientFunds(
                gettext("账户 %(number)s 余额 %(balance)s 元，不足支付 %(amount)s 元")
                % {
                    "number": locked.number,
                    "balance": fen_text(locked.balance_fen),
                    "amount": fen_text(-amount_fen),
                }
            )
        return DepositMovement.objects.create(
            account=locked,
            key=key,
            business_date=business_date,
            kind=kind,
            amount_fen=amount_fen,
            balance_after_fen=locked.balance_fen,
            memo=memo,
        )


# ---- opening an account ---------------------------------------------------------------------

NUMBER_PREFIX = "6230"  # 16 digits like a debit card: the prefix and the account's id


def number_for(pk: int) -> str:
    """The account number of the account with id ``pk``: 6230 and the id in 12 digits."""
    return f"{NUMBER_PREFIX}{pk:012d}"


def open_account(customer: Any, opened_on: dt.date) -> DepositAccount:
    """A new (empty) deposit account of ``customer``; the caller owns the transaction."""
    account = DepositAccount.objects.create(
        number=f"tmp-{uuid.uuid4().hex[:24]}", customer=customer, opened_on=opened_on
    )
    account.number = number_for(account.pk)
    account.save(update_fields=["number"])
    return account


def repayment_account_for(customer: Any, opened_on: dt.date) -> tuple[DepositAccount, bool]:
    """The customer's deposit account for his loans: his oldest active one, or a new one
    (whether it was opened now). Locks the customer's row, so two loans of one customer
    disbursed at once open one account, not two. Inside the caller's transaction."""
    Customer.objects.select_for_update().filter(pk=customer.pk).first()
    found = (
        DepositAccount.objects.filter(customer_id=customer.pk, is_active=True)
        .order_by("pk")
        .first()
    )
    if found is not None:
        return found, False
    return open_account(customer, opened_on), True


# ---- the teller: cash in and cash out -----------------------------------------------------------

TELLER = "deposits.cash_teller"
VIEW = "deposits.view_depositaccount"
CASH_ACCOUNT = "300101"  # 清算资金往来: the cash the teller takes or pays
DEPOSITS_ACCOUNT = "201101"
MAX_KEY = 64


def cash(
    actor: Any,
    account: DepositAccount,
    direction: str,
    data: dict[str, Any],
    idempotency_key: str,
) -> tuple[DepositMovement, bool]:
    """存入 (``direction`` "in") or 支取 ("out") cash at the teller, once per key: the movement
    and the ledger entry (Dr 300101 / Cr 201101, or the reverse) in one transaction. Returns
    (the movement, whether this call made it). A withdrawal beyond the balance is refused
    (``InsufficientFunds``) and changes nothing."""
    from xindai.customers.services import as_of_today, require
    from xindai.ledger import services as ledger
    from xindai.ledger.domain import credit, debit

    require(actor, TELLER)
    key = _key(idempotency_key)
    if not visible_accounts(actor).filter(pk=account.pk).exists():
        raise PermissionDenied("deposit account")
    if direction not in ("in", "out"):
        raise InvalidInput(gettext("方向只能是存入（in）或支取（out）"), code="direction")
    movement_key = f"teller:{key}"
    amount, memo = _cash_values(data)
    if not account.is_active:
        raise DomainError(gettext("账户已销户，不能存取款"), code="account_closed")
    from xindai.loans.eod import refuse_while_running

    refuse_while_running()
    today = as_of_today()
    kind = MovementKind.CASH_IN if direction == "in" else MovementKind.CASH_OUT
    legs = (
        [debit(CASH_ACCOUNT, amount), credit(DEPOSITS_ACCOUNT, amount)]
        if direction == "in"
        else [debit(DEPOSITS_ACCOUNT, amount), credit(CASH_ACCOUNT, amount)]
    )
    with transaction.atomic():
        DepositAccount.objects.select_for_update().filter(pk=account.pk).first()  # queue here
        done = DepositMovement.objects.filter(key=movement_key).first()
        if done is None:
            done = move(
                account, movement_key, today, kind, amount if direction == "in" else -amount, memo
            )
            if done.account_id == account.pk:
                ledger.post(movement_key, today, "deposit", legs, memo=memo or str(kind.label))
                audit.record(
                    f"deposits.cash_{direction}",
                    actor=actor,
                    object_type=OBJECT_TYPE,
                    object_id=account.pk,
                    changes={
                        "amount": fen_text(amount),
                        "balance": fen_text(done.balance_after_fen),
                    },
                    reason=memo,
                )
                return done, True
        if done.account_id != account.pk:
            raise DomainError(gettext("此幂等键已用于另一笔存取款"), code="idempotency_key_reused")
        return done, False


OBJECT_TYPE = "deposits.depositaccount"


def _key(idempotency_key: str) -> str:
    key = (idempotency_key or "").strip()
    if not key or len(key) > MAX_KEY:
        message = gettext("缺少请求幂等键（Idempotency-Key），或超过 %(n)s 个字符") % {"n": MAX_KEY}
        raise InvalidInput(message, code="idempotency_key")
    return key


def _cash_values(data: dict[str, Any]) -> tuple[int, str]:
    raw = str(data.get("amount") or "").strip().replace(",", "")
    problem = ""
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        amount = Decimal(0)
        problem = gettext("请填写金额（元），如 500 或 500.00")
    if not problem and (not amount.is_finite() or amount <= 0):
        problem = gettext("金额必须大于 0")
    elif not problem and amount != amount.quantize(Decimal("0.01")):
        problem = gettext("金额最多精确到分（两位小数）")
    elif not problem and amount > MAX_CASH:
        problem = gettext("单笔现金存取不能超过 %(max)s 元") % {"max": f"{MAX_CASH:,}"}
    memo = str(data.get("memo") or "").strip()
    errors = {"amount": [problem]} if problem else {}
    if len(memo) > 200:
        errors["memo"] = [gettext("摘要不能超过 200 个字")]
    if errors:
        raise FormInvalid(gettext("存取款信息有误，未办理"), details=errors)
    return fen(amount), memo


MAX_CASH = Decimal(10_000_000)


# ---- reads ------------------------------------------------------------------------------------


def visible_accounts(user: Any) -> QuerySet[DepositAccount]:
    """The deposit accounts of the customers the user may see (his org subtree)."""
    found = DepositAccount.objects.select_related("customer", "customer__org_unit")
    return visible(found, user, unit_field="customer__org_unit", owner_field="customer__manager")


def masked(number: str) -> str:
    from xindai.core.masking import mask_account

    return mask_account(number)
