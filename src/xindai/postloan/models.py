"""贷后检查: each loan's inspection plan (the next planned date), the inspection tasks and the
record of each inspection."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xindai.postloan.domain import Conclusion, Kind

USER = settings.AUTH_USER_MODEL


class KindChoice(models.TextChoices):
    FIRST = Kind.FIRST.value, _("首次跟踪检查")
    PERIODIC = Kind.PERIODIC.value, _("常规检查")
    TRIGGERED = Kind.TRIGGERED.value, _("触发检查")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("待检查")
    DONE = "done", _("已完成")
    CANCELLED = "cancelled", _("已取消")


class ConclusionChoice(models.TextChoices):
    NORMAL = Conclusion.NORMAL.value, _("正常")
    ATTENTION = Conclusion.ATTENTION.value, _("关注")
    RISK = Conclusion.RISK.value, _("发现风险")


PLANNED_KINDS = (Kind.FIRST.value, Kind.PERIODIC.value)


class InspectionPlan(models.Model):
    """Where a loan's planned inspections stand: ``next_due`` is the date of the next planned
    task still to be created, NULL while a planned task is open (the next one is worked out
    when it is closed) or when no more are planned before maturity. The post-loan day finds
    the loans that need a task by an index range on ``next_due``."""

    loan = models.OneToOneField(
        "loans.LoanAccount",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="inspection_plan",
        verbose_name=_("贷款账户"),
    )
    next_due = models.DateField(_("下次检查日"), null=True, blank=True)
    next_kind = models.CharField(
        _("下次检查类型"), max_length=10, choices=KindChoice.choices, default=KindChoice.PERIODIC
    )

    class Meta:
        verbose_name = _("检查计划")
        verbose_name_plural = _("检查计划")
        indexes = [
            models.Index(
                fields=["next_due"], condition=Q(next_due__isnull=False), name="plan_next_due"
            )
        ]

    def __str__(self) -> str:
        return f"{self.loan_id} → {self.next_due}"


class InspectionTask(models.Model):
    """One inspection to make: planned (first follow-up or periodic, one open at a time per
    loan) or triggered (a downgrade, overdue interest, a warning signal)."""

    loan = models.ForeignKey(
        "loans.LoanAccount",
        on_delete=models.CASCADE,
        related_name="inspection_tasks",
        verbose_name=_("贷款账户"),
    )
    kind = models.CharField(_("检查类型"), max_length=10, choices=KindChoice.choices)
    due_date = models.DateField(_("应检查日"))
    reason = models.CharField(_("检查原因"), max_length=200, blank=True)
    source = models.CharField(_("触发来源"), max_length=100, blank=True)
    assignee = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        related_name="inspection_tasks",
        verbose_name=_("检查人"),
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    created_on = models.DateField(_("生成日期"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    late = models.BooleanField(_("逾期检查"), default=False)

    class Meta:
        verbose_name = _("贷后检查任务")
        verbose_name_plural = _("贷后检查任务")
        ordering = ["due_date", "pk"]
        permissions = [
            ("inspect", _("执行贷后检查")),
            ("assign_inspection", _("分派检查任务")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["loan", "kind", "due_date"],
                condition=Q(kind__in=PLANNED_KINDS),
                name="inspection_planned_once",
            ),
            models.UniqueConstraint(
                fields=["loan", "source", "created_on"],
                condition=Q(kind=Kind.TRIGGERED.value),
                name="inspection_triggered_once",
            ),
        ]
        indexes = [
            models.Index(
                fields=["due_date"], condition=Q(status="open"), name="inspection_open_due"
            ),
            models.Index(fields=["assignee", "status", "due_date"], name="inspection_queue"),
            models.Index(fields=["due_date", "status"], name="inspection_due_status"),
        ]

    def __str__(self) -> str:
        return f"{self.loan} {self.get_kind_display()} {self.due_date}"

    @property
    def is_open(self) -> bool:
        return self.status == TaskStatus.OPEN


class InspectionRecord(models.Model):
    """What the officer found (outline 第二部分 八): one per task."""

    task = models.OneToOneField(
        InspectionTask, on_delete=models.PROTECT, related_name="record", verbose_name=_("检查任务")
    )
    inspected_on = models.DateField(_("检查日期"))
    inspector = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("检查人")
    )
    borrower_ok = models.BooleanField(_("借款人生产经营、财务状况正常"))
    borrower_note = models.TextField(_("借款人情况说明"), blank=True)
    guarantor_ok = models.BooleanField(_("担保人生产经营、财务状况正常"), null=True, blank=True)
    guarantor_note = models.TextField(_("担保人情况说明"), blank=True)
    major_changes = models.BooleanField(_("资产、机构、体制或高层人事有重大变化"))
    major_changes_note = models.TextField(_("重大变化说明"), blank=True)
    collateral_ok = models.BooleanField(_("抵（质）押物完整、安全"), null=True, blank=True)
    collateral_note = models.TextField(_("抵（质）押物情况说明"), blank=True)
    archive_updated = models.BooleanField(_("借款户档案已更新"))
    interest_as_contracted = models.BooleanField(_("按合同约定结息"))
    interest_note = models.TextField(_("结息情况说明"), blank=True)
    maturity_notice_sent = models.BooleanField(_("已送达到期通知书"), null=True, blank=True)
    funds_use_ok = models.BooleanField(_("资金按约定用途使用"), null=True, blank=True)
    funds_use_note = models.TextField(_("资金用途核实情况及凭证"), blank=True)
    conclusion = models.CharField(_("检查结论"), max_length=10, choices=ConclusionChoice.choices)
    findings = models.TextField(_("检查发现"), blank=True)
    # The loan's figures when the record was made (fen), shown next to the interest answer.
    interest_due_fen = models.BigIntegerField(_("应收未收利息（分）"), default=0)
    overdue_interest_fen = models.BigIntegerField(_("逾期利息（分）"), default=0)
    days_past_due = models.PositiveIntegerField(_("逾期天数"), default=0)
    photos = models.ManyToManyField(
        "customers.Document", blank=True, related_name="+", verbose_name=_("现场照片")
    )
    soft_info = models.ForeignKey(
        "customers.SoftInfo",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("归档记录"),
    )
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("贷后检查记录")
        verbose_name_plural = _("贷后检查记录")
        ordering = ["-inspected_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.task} {self.get_conclusion_display()}"
