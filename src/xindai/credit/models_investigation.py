"""What the on-site investigation (实地调查) records about an application: the visit and its
checklist, photos and evidence of the purpose, both investigators' confirmations, the credit
limit computed and the investigation report (调查报告) with its narratives and frozen file."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xindai.core import fields

USER = settings.AUTH_USER_MODEL


class Investigation(models.Model):
    application = models.OneToOneField(
        "credit.CreditApplication", on_delete=models.CASCADE, related_name="investigation"
    )
    visited_at = models.DateTimeField(_("走访时间"), null=True, blank=True)
    place = models.CharField(_("走访地点"), max_length=200, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(
        _("经度"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    # item key → {"result": yes/no/na, "note": text} (investigation_items.ITEMS)
    checklist: Any = models.JSONField(_("调查核实事项"), default=dict)
    repayment_source = models.TextField(_("还款来源"), blank=True)
    repayment_timing = models.TextField(_("还款时间安排"), blank=True)
    updated_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("实地调查")
        verbose_name_plural = _("实地调查")

    def __str__(self) -> str:
        return f"{self.application}"


class InvestigationFile(models.Model):
    """A photo of the visit, or evidence that the purpose and the trade are real."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("现场照片")
        CONTRACT = "contract", _("购销合同")
        INVOICE = "invoice", _("发票")
        QUOTE = "quote", _("报价单")
        OTHER = "other", _("其他证明")

    application = models.ForeignKey(
        "credit.CreditApplication", on_delete=models.CASCADE, related_name="investigation_files"
    )
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    caption = models.CharField(_("说明"), max_length=200, blank=True)
    file = models.FileField(_("文件"), upload_to="investigations/%Y/%m/")
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("调查附件")
        verbose_name_plural = _("调查附件")

    def __str__(self) -> str:
        return self.caption or self.get_kind_display()


class InvestigatorConfirmation(models.Model):
    """An investigator confirms the investigation as recorded (双人调查: both must)."""

    application = models.ForeignKey(
        "credit.CreditApplication", on_delete=models.CASCADE, related_name="confirmations"
    )
    investigator = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(_("确认时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("调查确认")
        verbose_name_plural = _("调查确认")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "investigator"], name="confirmation_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} {self.investigator}"


class CreditLimitAssessment(models.Model):
    """授信额度测算: the inputs, every method's steps and the suggested limit."""

    application = models.ForeignKey(
        "credit.CreditApplication", on_delete=models.CASCADE, related_name="limit_assessments"
    )
    inputs: Any = models.JSONField(_("测算参数"))
    result: Any = models.JSONField(_("测算过程"))
    suggested = fields.money(_("建议额度（元）"))
    computed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    computed_at = models.DateTimeField(_("测算时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("授信额度测算")
        verbose_name_plural = _("授信额度测算")
        ordering = ["-computed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.application} {self.suggested}"


class ReportSection(models.Model):
    """The manager's narrative for one of the report's seven sections."""

    application = models.ForeignKey(
        "credit.CreditApplication", on_delete=models.CASCADE, related_name="report_sections"
    )
    key = models.CharField(_("章节"), max_length=20)
    text = models.TextField(_("内容"), blank=True)
    updated_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("调查报告章节")
        verbose_name_plural = _("调查报告章节")
        constraints = [
            models.UniqueConstraint(fields=["application", "key"], name="report_section_once")
        ]

    def __str__(self) -> str:
        return f"{self.application} {self.key}"


class InvestigationReport(models.Model):
    """A finalised report: the DOCX (and PDF where LibreOffice is installed), frozen with its
    SHA-256. A case returned for rework gets a new version; old versions stay."""

    application = models.ForeignKey(
        "credit.CreditApplication", on_delete=models.CASCADE, related_name="reports"
    )
    version = models.PositiveSmallIntegerField(_("版本"))
    docx = models.FileField(_("调查报告（DOCX）"), upload_to="reports/%Y/%m/")
    docx_sha256 = models.CharField(max_length=64)
    pdf = models.FileField(_("调查报告（PDF）"), upload_to="reports/%Y/%m/", blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    suggested_amount = fields.money(_("建议金额（元）"))
    finalised_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    finalised_at = models.DateTimeField(_("定稿时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("调查报告")
        verbose_name_plural = _("调查报告")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["application", "version"], name="report_version")
        ]

    def __str__(self) -> str:
        return f"{self.application} V{self.version}"


class ReviewOpinion(models.Model):
    """审查意见: a reviewer's opinion on the investigated case, item by item."""

    application = models.ForeignKey(
        "credit.CreditApplication", on_delete=models.CASCADE, related_name="review_opinions"
    )
    reviewer = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    checklist: Any = models.JSONField(_("审查要点"), default=dict)
    opinion = models.TextField(_("审查意见"))
    created_at = models.DateTimeField(_("审查时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("审查意见")
        verbose_name_plural = _("审查意见")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.application} {self.reviewer}"
