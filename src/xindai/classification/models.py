"""Five-category classification (五级分类): the class of each loan (kept lazily: a loan without
a row is 正常), the history of every change, manual proposals with two-level approval, and the
quarterly re-classification of the whole portfolio."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xindai.loans.models import FiveCategory

USER = settings.AUTH_USER_MODEL


class LoanClass(models.Model):
    """The current class of one loan (created the first time it leaves 正常)."""

    loan = models.OneToOneField(
        "loans.LoanAccount",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="five_class",
        verbose_name=_("贷款账户"),
    )
    category = models.CharField(
        _("五级分类"), max_length=16, choices=FiveCategory.choices, default=FiveCategory.NORMAL
    )
    since = models.DateField(_("分类日期"))
    manual_floor = models.CharField(
        _("人工认定分类"), max_length=16, choices=FiveCategory.choices, blank=True
    )
    debtor_floor = models.CharField(
        _("债务人整体分类"), max_length=16, choices=FiveCategory.choices, blank=True
    )
    debtor_raised = models.BooleanField(_("因债务人整体分类而下调"), default=False)
    observation_start = models.DateField(_("重组观察期起"), null=True, blank=True)
    observation_until = models.DateField(_("重组观察期止"), null=True, blank=True)
    cleared_on = models.DateField(_("逾期结清日"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("贷款五级分类")
        verbose_name_plural = _("贷款五级分类")
        permissions = [
            ("propose_class", _("可提出五级分类认定")),
            ("approve_class_first", _("可一级审批五级分类（支行行长）")),
            ("approve_class_final", _("可二级审批五级分类（风险合规）")),
            ("run_quarterly", _("可发起季度五级分类")),
        ]
        indexes = [models.Index(fields=["category"], name="class_category")]

    def __str__(self) -> str:
        return f"{self.loan_id}: {self.category}"


class ChangeSource(models.TextChoices):
    AUTO = "auto", _("日终自动")
    MANUAL = "manual", _("人工认定")
    QUARTERLY = "quarterly", _("季度分类")
    UPGRADE = "upgrade", _("上调")
    RESTRUCTURE = "restructure", _("重组观察")


class ClassChange(models.Model):
    """One change of a loan's class (the history the migration matrix reads)."""

    loan = models.ForeignKey(
        "loans.LoanAccount",
        on_delete=models.CASCADE,
        related_name="class_changes",
        verbose_name=_("贷款账户"),
    )
    business_date = models.DateField(_("会计日期"))
    old = models.CharField(_("原分类"), max_length=16, choices=FiveCategory.choices)
    new = models.CharField(_("新分类"), max_length=16, choices=FiveCategory.choices)
    source = models.CharField(_("来源"), max_length=12, choices=ChangeSource.choices)
    reason = models.CharField(_("原因"), max_length=300, blank=True)
    actor = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("五级分类变动")
        verbose_name_plural = _("五级分类变动")
        ordering = ["business_date", "pk"]
        indexes = [
            models.Index(fields=["business_date"], name="classchange_date"),
            models.Index(fields=["loan", "business_date"], name="classchange_loan_date"),
        ]

    def __str__(self) -> str:
        return f"{self.loan_id} {self.business_date}: {self.old} → {self.new}"


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("待一级审批")
    FIRST_APPROVED = "first_approved", _("待二级审批")
    APPROVED = "approved", _("已认定")
    REJECTED = "rejected", _("已驳回")


class ClassProposal(models.Model):
    """A manual classification: proposed with reasons and evidence, approved by the branch
    head (一级) and then by risk compliance (二级), three different people."""

    loan = models.ForeignKey(
        "loans.LoanAccount",
        on_delete=models.CASCADE,
        related_name="class_proposals",
        verbose_name=_("贷款账户"),
    )
    business_date = models.DateField(_("提出日期"))
    current = models.CharField(_("提出时分类"), max_length=16, choices=FiveCategory.choices)
    proposed = models.CharField(_("认定分类"), max_length=16, choices=FiveCategory.choices)
    reasons: Any = models.JSONField(_("认定理由"), default=list)
    reason = models.TextField(_("说明"))
    evidence = models.TextField(_("证据材料"), blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("提出人")
    )
    first_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    first_at = models.DateTimeField(_("一级审批时间"), null=True, blank=True)
    first_note = models.CharField(_("一级审批意见"), max_length=300, blank=True)
    final_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    final_at = models.DateTimeField(_("二级审批时间"), null=True, blank=True)
    final_note = models.CharField(_("二级审批意见"), max_length=300, blank=True)
    rejected_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rejection = models.CharField(_("驳回理由"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("提出时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("五级分类认定")
        verbose_name_plural = _("五级分类认定")
        ordering = ["-pk"]
        indexes = [models.Index(fields=["status"], name="classproposal_status")]

    def __str__(self) -> str:
        return f"{self.loan_id} → {self.proposed}"


class RunState(models.TextChoices):
    RUNNING = "running", _("运行中")
    DONE = "done", _("已完成")


class QuarterlyRun(models.Model):
    """The re-classification of the whole portfolio for one quarter (once per quarter)."""

    quarter = models.CharField(_("季度"), max_length=7, unique=True)
    quarter_end = models.DateField(_("季末日"))
    business_date = models.DateField(_("会计日期"))
    status = models.CharField(_("状态"), max_length=8, choices=RunState.choices)
    total = models.PositiveIntegerField(_("贷款笔数"), default=0)
    processed = models.PositiveIntegerField(_("已处理笔数"), default=0)
    changed = models.PositiveIntegerField(_("分类变动笔数"), default=0)
    before: Any = models.JSONField(_("运行前各类笔数与余额"), default=dict)
    after: Any = models.JSONField(_("运行后各类笔数与余额"), default=dict)
    started_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("发起人")
    )
    started_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("季度五级分类")
        verbose_name_plural = _("季度五级分类")
        ordering = ["-quarter_end"]

    def __str__(self) -> str:
        return self.quarter
