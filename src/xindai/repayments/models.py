"""Repayments taken at the counter or by API (还款), their reversals (冲正) and the schedules a
prepayment replaced. A repayment keeps the loan's servicing figures before and after it, so a
reversal restores them exactly."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class RepaymentSource(models.TextChoices):
    CASH = "cash", _("现金")
    DEPOSIT = "deposit", _("还款账户扣款")


class RepaymentKind(models.TextChoices):
    ON_TIME = "on_time", _("按期还款")
    PARTIAL = "partial", _("部分还款")
    OVERPAYMENT = "overpayment", _("溢缴（多出转存）")
    PREPAY_SHORTER = "prepay_shorter", _("提前还款·缩短期限")
    PREPAY_LOWER = "prepay_lower", _("提前还款·减少月供")
    PAYOFF = "payoff", _("全部结清")


class RepaymentStatus(models.TextChoices):
    POSTED = "posted", _("已入账")
    REVERSED = "reversed", _("已冲正")


class Repayment(models.Model):
    """One repayment, once per ``idempotency_key``. ``allocation`` maps each part (the buckets
    of the collection order, interest to date, prepaid principal, surplus) to fen; ``before``
    and ``after`` are the loan's figures around it; ``entries`` the ledger entries' keys."""

    loan = models.ForeignKey(
        "loans.LoanAccount",
        on_delete=models.PROTECT,
        related_name="repayments",
        verbose_name=_("贷款账户"),
    )
    business_date = models.DateField(_("会计日期"))
    amount_fen = models.BigIntegerField(_("还款金额（分）"))
    source = models.CharField(_("资金来源"), max_length=10, choices=RepaymentSource.choices)
    kind = models.CharField(_("类型"), max_length=16, choices=RepaymentKind.choices)
    status = models.CharField(
        _("状态"), max_length=10, choices=RepaymentStatus.choices, default=RepaymentStatus.POSTED
    )
    idempotency_key = models.CharField(_("请求幂等键"), max_length=64, unique=True)
    allocation: Any = models.JSONField(_("分配明细（分）"), default=dict)
    before: Any = models.JSONField(_("还款前状态"), default=dict)
    after: Any = models.JSONField(_("还款后状态"), default=dict)
    entries: Any = models.JSONField(_("会计分录"), default=list)
    deposit_movement = models.ForeignKey(
        "deposits.DepositMovement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("存款交易"),
    )
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("经办柜员")
    )
    created_at = models.DateTimeField(_("交易时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("还款记录")
        verbose_name_plural = _("还款记录")
        ordering = ["-pk"]
        permissions = [("approve_reversal", _("可审批还款冲正"))]
        indexes = [models.Index(fields=["loan", "business_date"], name="repayment_day")]

    def __str__(self) -> str:
        return f"{self.loan_id} {self.amount_fen}"


class ReversalStatus(models.TextChoices):
    REQUESTED = "requested", _("待审批")
    APPROVED = "approved", _("已冲正")
    REJECTED = "rejected", _("已驳回")


class Reversal(models.Model):
    """冲正 of a repayment: requested with a reason, carried out when a second person approves
    (at most one open or approved request per repayment)."""

    repayment = models.ForeignKey(
        Repayment, on_delete=models.PROTECT, related_name="reversals", verbose_name=_("还款记录")
    )
    reason = models.CharField(_("冲正原因"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=10, choices=ReversalStatus.choices, default=ReversalStatus.REQUESTED
    )
    requested_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("申请人")
    )
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    approved_by = models.ForeignKey(
        USER,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("审批人"),
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    note = models.CharField(_("审批意见"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("冲正申请")
        verbose_name_plural = _("冲正申请")
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["repayment"],
                condition=Q(status__in=["requested", "approved"]),
                name="one_open_reversal",
            )
        ]

    def __str__(self) -> str:
        return f"{self.repayment_id} {self.status}"


class ScheduleVersion(models.Model):
    """The schedule rows a prepayment or a payoff replaced (from ``from_period`` on), kept so
    the history shows them and a reversal puts them back."""

    loan = models.ForeignKey(
        "loans.LoanAccount", on_delete=models.PROTECT, related_name="schedule_versions"
    )
    repayment = models.OneToOneField(
        Repayment, on_delete=models.PROTECT, related_name="schedule_version"
    )
    from_period = models.PositiveSmallIntegerField(_("起始期次"))
    rows: Any = models.JSONField(_("被替换的还款计划"), default=list)
    maturity_date = models.DateField(_("原到期日"))
    created_at = models.DateTimeField(_("替换时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("历史还款计划")
        verbose_name_plural = _("历史还款计划")
        ordering = ["loan", "-pk"]

    def __str__(self) -> str:
        return f"{self.loan_id} v{self.pk}"
