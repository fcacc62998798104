"""Moving money in and out of deposit accounts: once per key, never below zero."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext

from xindai.core.errors import DomainError
from xindai.deposits.models import DepositAccount, DepositMovement
from xindai.ledger.domain import fen_text


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
