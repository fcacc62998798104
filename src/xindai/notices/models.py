"""Notices (通知书) to borrowers and guarantors — 到期通知书, 还款/结息提示, 逾期通知书,
催收通知书 — with the amounts owed on the business date they were issued, the DOCX (stored with
its SHA-256), the deliveries (送达) and the signed receipt (回执)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xindai.core import fields

USER = settings.AUTH_USER_MODEL


class NoticeKind(models.TextChoices):
    MATURITY = "maturity", _("到期通知书")
    REMINDER = "reminder", _("还款（结息）提示书")
    OVERDUE = "overdue", _("逾期通知书")
    COLLECTION = "collection", _("催收通知书")


class NoticeStatus(models.TextChoices):
    ISSUED = "issued", _("待送达")
    DELIVERED = "delivered", _("已送达")
    RECEIPTED = "receipted", _("已签收回执")


class RecipientRole(models.TextChoices):
    BORROWER = "borrower", _("借款人")
    GUARANTOR = "guarantor", _("保证人")


class DeliveryMethod(models.TextChoices):
    IN_PERSON = "in_person", _("面送签收")
    MAIL = "mail", _("邮寄")
    SMS = "sms", _("短信")
    NOTARY = "notary", _("公证送达")
    PUBLIC = "public", _("公告")


class Notice(models.Model):
    """One notice to one recipient. Unique per loan, kind, period and recipient: the
    post-loan day and a second click never make it twice. ``period`` names the occasion
    (the maturity date, the installment's due date, the date overdue since, or the date of an
    on-demand collection notice)."""

    loan = models.ForeignKey(
        "loans.LoanAccount",
        on_delete=models.PROTECT,
        related_name="notices",
        verbose_name=_("贷款"),
    )
    kind = models.CharField(_("通知书类型"), max_length=12, choices=NoticeKind.choices)
    recipient = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="+", verbose_name=_("收件人")
    )
    recipient_role = models.CharField(_("收件人身份"), max_length=10, choices=RecipientRole.choices)
    period = models.DateField(_("所属期间"))
    issued_on = models.DateField(_("出具日期"))
    due_date = models.DateField(_("应还日期"), null=True, blank=True)
    days_past_due = models.PositiveIntegerField(_("逾期天数"), default=0)
    principal = fields.money(_("应还本金（元）"))
    interest = fields.money(_("应还利息（元）"))
    penalty = fields.money(_("罚息及复利（元）"))
    total = fields.money(_("合计（元）"))
    outstanding = fields.money(_("贷款余额（元）"))
    status = models.CharField(
        _("状态"), max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.ISSUED
    )
    docx = models.FileField(_("通知书（DOCX）"), upload_to="notices/%Y/%m/", blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    reason = models.CharField(_("发出原因"), max_length=200, blank=True)
    issued_by = models.ForeignKey(
        USER,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("发出人"),
    )
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("通知书")
        verbose_name_plural = _("通知书")
        ordering = ["-issued_on", "-pk"]
        permissions = [("send_notice", _("可发出和送达通知书"))]
        constraints = [
            models.UniqueConstraint(
                fields=["loan", "kind", "period", "recipient"], name="notice_once"
            )
        ]
        indexes = [
            models.Index(fields=["status", "kind"], name="notice_status"),
            models.Index(fields=["issued_on"], name="notice_issued"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"TZ{self.issued_on:%Y%m%d}{self.pk:06d}"


class Delivery(models.Model):
    """One delivery (送达) of a notice: how, when (business date), by whom, to whom."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="deliveries")
    method = models.CharField(_("送达方式"), max_length=10, choices=DeliveryMethod.choices)
    delivered_on = models.DateField(_("送达日期"))
    received_by = models.CharField(_("签收人/接收人"), max_length=50, blank=True)
    reference = models.CharField(_("邮件单号/公证书号/公告载体"), max_length=100, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    delivered_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("送达人")
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("送达记录")
        verbose_name_plural = _("送达记录")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.notice_id} {self.method}"


class Receipt(models.Model):
    """The signed receipt (回执) of a notice: the scan, its SHA-256 and the signing date. On a
    逾期 or 催收 notice it interrupts the recipient's limitation period (诉讼时效中断)."""

    notice = models.OneToOneField(Notice, on_delete=models.CASCADE, related_name="receipt")
    file = models.FileField(_("回执扫描件"), upload_to="notice_receipts/%Y/%m/")
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    signed_on = models.DateField(_("签收日期"))
    signed_by = models.CharField(_("签收人"), max_length=50)
    interrupts = models.BooleanField(_("中断诉讼时效"), default=False)
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("通知书回执")
        verbose_name_plural = _("通知书回执")

    def __str__(self) -> str:
        return f"{self.notice_id} {self.signed_on}"
