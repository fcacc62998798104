"""The general ledger (总账): journal entries and their postings, in integer fen."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from xindai.ledger.domain import CHART


class EntryKind(models.TextChoices):
    DISBURSEMENT = "disbursement", _("放款")
    ACCRUAL = "accrual", _("计提利息")
    SETTLEMENT = "settlement", _("结息")
    REPAYMENT = "repayment", _("还款")
    OVERDUE = "overdue", _("转逾期")
    WRITE_OFF = "write_off", _("核销")
    DEPOSIT = "deposit", _("存款收付")
    REVERSAL = "reversal", _("冲正")
    OTHER = "other", _("其他")


ACCOUNT_CHOICES = [(account.code, f"{account.code} {account.name}") for account in CHART]


class JournalEntry(models.Model):
    """一笔分录 (a balanced journal entry). ``key`` makes posting idempotent: the same business
    event (e.g. ``eod:2026-11-30:accrual:loan:42``) is posted once however often it is sent."""

    key = models.CharField(_("业务唯一键"), max_length=120, unique=True)
    business_date = models.DateField(_("会计日期"), db_index=True)
    kind = models.CharField(_("类型"), max_length=16, choices=EntryKind.choices)
    memo = models.CharField(_("摘要"), max_length=200, blank=True)
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    created_at = models.DateTimeField(_("记账时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("会计分录")
        verbose_name_plural = _("会计分录")
        ordering = ["-business_date", "-pk"]

    def __str__(self) -> str:
        return self.key


class Posting(models.Model):
    """One leg of an entry. ``loan`` ties a posting to a loan account (the loan subledger)."""

    entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, related_name="postings")
    business_date = models.DateField(_("会计日期"))
    account = models.CharField(_("科目"), max_length=8, choices=ACCOUNT_CHOICES)
    loan = models.ForeignKey(
        "loans.LoanAccount", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    debit_fen = models.BigIntegerField(_("借方（分）"), default=0)
    credit_fen = models.BigIntegerField(_("贷方（分）"), default=0)

    class Meta:
        verbose_name = _("分录明细")
        verbose_name_plural = _("分录明细")
        indexes = [
            models.Index(fields=["account", "business_date"], name="posting_account_date"),
            models.Index(fields=["loan", "account"], name="posting_loan_account"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(debit_fen__gt=0, credit_fen=0))
                | models.Q(debit_fen=0, credit_fen__gt=0),
                name="posting_one_side",
            )
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.debit_fen}/{self.credit_fen}"
