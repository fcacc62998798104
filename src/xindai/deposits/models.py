"""Customers' deposit accounts (存款账户), simplified: a balance and its movements, enough for
disbursement into the account and automatic collection (扣款) on due dates. Balances are
integers of fen so that the end-of-day can collect in one SQL statement, exactly on SQLite and
PostgreSQL alike."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DepositAccount(models.Model):
    number = models.CharField(_("存款账号"), max_length=32, unique=True)
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        related_name="deposit_accounts",
        verbose_name=_("客户"),
    )
    balance_fen = models.BigIntegerField(_("余额（分）"), default=0)
    is_active = models.BooleanField(_("有效"), default=True)
    opened_on = models.DateField(_("开户日期"))

    class Meta:
        verbose_name = _("存款账户")
        verbose_name_plural = _("存款账户")
        ordering = ["number"]
        permissions = [("cash_teller", _("可办理柜面现金存取款"))]
        constraints = [
            models.CheckConstraint(condition=models.Q(balance_fen__gte=0), name="no_overdraft")
        ]

    def __str__(self) -> str:
        return self.number


class MovementKind(models.TextChoices):
    CASH_IN = "cash_in", _("存入")
    CASH_OUT = "cash_out", _("支取")
    DISBURSEMENT = "disbursement", _("贷款发放入账")
    COLLECTION = "collection", _("贷款扣款")
    TRANSFER_OUT = "transfer_out", _("转出（受托支付）")
    REVERSAL = "reversal", _("冲正")


class DepositMovement(models.Model):
    """One movement of a deposit account; ``key`` makes it idempotent (posted once)."""

    account = models.ForeignKey(DepositAccount, on_delete=models.PROTECT, related_name="movements")
    key = models.CharField(_("业务唯一键"), max_length=120, unique=True)
    business_date = models.DateField(_("会计日期"))
    kind = models.CharField(_("类型"), max_length=16, choices=MovementKind.choices)
    amount_fen = models.BigIntegerField(_("发生额（分，支出为负）"))
    balance_after_fen = models.BigIntegerField(_("余额（分）"))
    memo = models.CharField(_("摘要"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("交易时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("存款交易明细")
        verbose_name_plural = _("存款交易明细")
        ordering = ["account", "pk"]
        indexes = [
            models.Index(fields=["account", "business_date"], name="movement_day"),
            # the early warning's daily look at one day's withdrawals
            models.Index(fields=["business_date", "kind"], name="movement_date_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.amount_fen}"
