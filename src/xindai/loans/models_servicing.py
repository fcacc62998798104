"""Loan servicing state (贷后核算, issue 8): what the end-of-day moves, in integer units so that
one SQL statement computes the same figures on SQLite and PostgreSQL.

Units: amounts in fen (分); 积数 (balance × days) in fen·days; rates in parts per million of
the annual rate (0.0435 → 43,500 ppm). Interest from a 积数 is
``round_half_up(积数 × rate_ppm / (1,000,000 × day_basis))`` fen — one rounding, at
settlement (积数计息法).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class FiveCategory(models.TextChoices):
    NORMAL = "normal", _("正常")
    SPECIAL_MENTION = "special_mention", _("关注")
    SUBSTANDARD = "substandard", _("次级")
    DOUBTFUL = "doubtful", _("可疑")
    LOSS = "loss", _("损失")


# Something due or overdue (collect, overdue); overdue, past due or classified below 正常
# (classify). The end-of-day's SQL repeats these conditions (eod_steps.OWING / WATCHED).
OWING = (
    Q(penalty_due_fen__gt=0)
    | Q(compound_due_fen__gt=0)
    | Q(overdue_interest_fen__gt=0)
    | Q(interest_due_fen__gt=0)
    | Q(overdue_principal_fen__gt=0)
    | Q(principal_due_fen__gt=0)
)
WATCHED = Q(overdue_since__isnull=False) | Q(days_past_due__gt=0) | ~Q(class_floor="normal")


class LoanState(models.Model):
    """The servicing balances of one loan account (one row per loan, updated set-based)."""

    loan = models.OneToOneField(
        "loans.LoanAccount", primary_key=True, on_delete=models.CASCADE, related_name="state"
    )
    repayment_account = models.ForeignKey(
        "deposits.DepositAccount",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("还款账户"),
    )
    rate_ppm = models.BigIntegerField(_("执行年利率（百万分之一）"))
    penalty_rate_ppm = models.BigIntegerField(_("罚息年利率（百万分之一）"))
    day_basis = models.PositiveSmallIntegerField(_("年计息天数"), default=360)
    principal_fen = models.BigIntegerField(_("正常本金（分）"), default=0)
    principal_due_fen = models.BigIntegerField(_("今日到期本金（分）"), default=0)
    overdue_principal_fen = models.BigIntegerField(_("逾期本金（分）"), default=0)
    interest_base = models.BigIntegerField(_("正常利息积数（分·天）"), default=0)
    interest_accrued_fen = models.BigIntegerField(_("已计提未结利息（分）"), default=0)
    interest_due_fen = models.BigIntegerField(_("应收未收利息（分）"), default=0)
    overdue_interest_fen = models.BigIntegerField(_("逾期利息（分）"), default=0)
    penalty_base = models.BigIntegerField(_("罚息积数（分·天）"), default=0)
    compound_base = models.BigIntegerField(_("复利积数（分·天）"), default=0)
    penalty_due_fen = models.BigIntegerField(_("应收罚息（分）"), default=0)
    compound_due_fen = models.BigIntegerField(_("应收复利（分）"), default=0)
    overdue_since = models.DateField(_("逾期起始日"), null=True, blank=True)
    days_past_due = models.PositiveIntegerField(_("逾期天数"), default=0)
    class_floor = models.CharField(
        _("五级分类下限"), max_length=16, choices=FiveCategory.choices, default=FiveCategory.NORMAL
    )
    last_eod_date = models.DateField(_("最近日终日期"), null=True, blank=True)
    last_accrual_fen = models.BigIntegerField(_("最近日终计提利息（分）"), default=0)
    collected_on = models.DateField(_("最近日终扣款日"), null=True, blank=True)
    # Copies of the loan's facts that the end-of-day reads on every loan, so that it reads this
    # one table (no join, no look-up in the schedule): kept by ``loans.accounts.open_account``,
    # the end-of-day, and ``loans.accounts.refresh_period`` (call it after changing a loan's
    # schedule or status outside the end-of-day).
    active = models.BooleanField(_("在账（正常或逾期）"), default=True)
    interest_only = models.BooleanField(_("按期付息到期还本"), default=False)
    start_date = models.DateField(_("放款日"), null=True, blank=True)
    next_due_date = models.DateField(_("本期应还日"), null=True, blank=True)
    period_interest_fen = models.BigIntegerField(_("本期计划利息（分）"), default=0)
    period_days = models.PositiveSmallIntegerField(_("本期计息天数"), default=0)

    class Meta:
        verbose_name = _("贷款核算状态")
        verbose_name_plural = _("贷款核算状态")
        # The end-of-day's few-loan steps find their loans through these (the daily accrual
        # changes none of their columns, so its updates stay HOT on PostgreSQL).
        indexes = [
            models.Index(fields=["loan"], condition=OWING, name="state_owing"),
            models.Index(fields=["loan"], condition=WATCHED, name="state_watched"),
            models.Index(fields=["collected_on", "loan"], name="state_collected"),
            models.Index(fields=["next_due_date"], name="state_next_due"),
        ]

    def __str__(self) -> str:
        return f"{self.loan_id}"


class RunStatus(models.TextChoices):
    RUNNING = "running", _("运行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class EodRun(models.Model):
    """One end-of-day (日终) for a business date: claimed by one process at a time, resumed
    from ``step`` and ``cursor`` after a crash, never run twice once ``done``."""

    business_date = models.DateField(_("会计日期"), unique=True)
    status = models.CharField(_("状态"), max_length=8, choices=RunStatus.choices)
    step = models.CharField(_("当前步骤"), max_length=32, blank=True)
    cursor = models.BigIntegerField(_("已处理至贷款 ID"), default=0)
    owner = models.CharField(_("运行进程"), max_length=100, blank=True)
    heartbeat = models.DateTimeField(_("心跳时间"), null=True, blank=True)
    counts: Any = models.JSONField(_("处理笔数"), default=dict)
    timings: Any = models.JSONField(_("各步骤耗时（秒）"), default=dict)
    error = models.TextField(_("错误"), blank=True)
    started_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("日终批处理")
        verbose_name_plural = _("日终批处理")
        ordering = ["-business_date"]

    def __str__(self) -> str:
        return self.business_date.isoformat()
