"""Early warnings (风险预警): one warning per loan, kind and source while it is open, raised by
the post-loan day or by another app (inspection findings), handled and closed by an officer;
and the staff's revaluations of collateral (押品重估) that raise a collateral-drop signal."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xindai.core import fields

USER = settings.AUTH_USER_MODEL


class WarningKind(models.TextChoices):
    OVERDUE = "overdue", _("贷款逾期")
    DOWNGRADE = "downgrade", _("五级分类下调")
    GUARANTOR_OVERDUE = "guarantor_overdue", _("保证人贷款逾期")
    COLLATERAL_DROP = "collateral_drop", _("押品价值下降")
    INSPECTION_FINDING = "inspection_finding", _("贷后检查发现问题")
    DEPOSIT_OUTFLOW = "deposit_outflow", _("存款异常流出")


class Severity(models.TextChoices):
    LOW = "low", _("低")
    MEDIUM = "medium", _("中")
    HIGH = "high", _("高")


class WarningStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    HANDLING = "handling", _("处理中")
    CLOSED = "closed", _("已关闭")


class Warning(models.Model):
    loan = models.ForeignKey(
        "loans.LoanAccount",
        on_delete=models.PROTECT,
        related_name="warnings",
        verbose_name=_("贷款"),
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="+", verbose_name=_("客户")
    )
    kind = models.CharField(_("预警类型"), max_length=20, choices=WarningKind.choices)
    severity = models.CharField(_("预警级别"), max_length=8, choices=Severity.choices)
    detail = models.TextField(_("预警内容"))
    action = models.CharField(_("应采取措施"), max_length=200)
    source = models.CharField(_("来源"), max_length=120, blank=True)
    raised_on = models.DateField(_("预警日期"))
    status = models.CharField(
        _("状态"), max_length=10, choices=WarningStatus.choices, default=WarningStatus.OPEN
    )
    handler = models.ForeignKey(
        USER,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("处理人"),
    )
    resolution = models.TextField(_("处理结果"), blank=True)
    closed_on = models.DateField(_("关闭日期"), null=True, blank=True)
    raised_by = models.ForeignKey(
        USER,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("报送人"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("风险预警")
        verbose_name_plural = _("风险预警")
        ordering = ["-raised_on", "-pk"]
        permissions = [
            ("handle_warning", _("可处理风险预警")),
            ("add_signal", _("可报送预警信号（押品重估）")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["loan", "kind", "source"],
                condition=~Q(status="closed"),
                name="warning_open_once",
            )
        ]
        indexes = [
            models.Index(fields=["status", "severity"], name="warning_status"),
            models.Index(fields=["loan", "kind", "raised_on"], name="warning_loan_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.loan_id}"


class WarningNote(models.Model):
    """A step of the handling (处理记录): what the officer did or found."""

    warning = models.ForeignKey(Warning, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("处理记录"))
    written_on = models.DateField(_("会计日期"))
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("预警处理记录")
        verbose_name_plural = _("预警处理记录")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text[:30]


class CollateralRevaluation(models.Model):
    """A revaluation of a loan's collateral entered by staff (押品重估)."""

    loan = models.ForeignKey(
        "loans.LoanAccount", on_delete=models.PROTECT, related_name="+", verbose_name=_("贷款")
    )
    collateral = models.ForeignKey(
        "credit.ApplicationCollateral",
        on_delete=models.PROTECT,
        related_name="revaluations",
        verbose_name=_("押品"),
    )
    estimated_value = fields.money(_("原评估价值（元）"))
    value = fields.money(_("重估价值（元）"))
    revalued_on = models.DateField(_("重估日期"))
    appraiser = models.CharField(_("评估机构/评估人"), max_length=100, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    warning = models.ForeignKey(
        Warning, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("押品重估")
        verbose_name_plural = _("押品重估")
        ordering = ["-revalued_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.collateral_id} {self.value}"
