"""审批 (issue 7): the terms an approver fixed. Contracts, the disbursement gate and the loan
account read these, never the application's requested figures: once approved, the terms are
frozen; a change supersedes them and sends the case back to 审批."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xindai.core import fields
from xindai.products.models import ChoiceListField, Guarantee, RepaymentMethod

USER = settings.AUTH_USER_MODEL


class ApprovedTerms(models.Model):
    """The approved terms of an application (one version per approval; the current one is the
    newest not superseded). ``fingerprint`` is the SHA-256 of the canonical terms, so a contract
    can show it was made from exactly these."""

    application = models.ForeignKey(
        "credit.CreditApplication", on_delete=models.PROTECT, related_name="approved_terms"
    )
    version = models.PositiveSmallIntegerField(_("版本"))
    amount = fields.money(_("批准金额（元）"))
    term_months = models.PositiveSmallIntegerField(_("批准期限（月）"))
    annual_rate = models.DecimalField(_("执行年利率"), max_digits=9, decimal_places=6)
    repayment_method = models.CharField(
        _("还款方式"), max_length=20, choices=RepaymentMethod.choices
    )
    guarantee_methods: Any = ChoiceListField(
        _("担保方式"), item_choices=Guarantee.choices, default=list
    )
    approved_on = models.DateField(_("批准日期（会计日期）"))
    valid_until = models.DateField(_("批复有效期至"))
    approved_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(_("审批时间"), auto_now_add=True)
    fingerprint = models.CharField(_("条款指纹（SHA-256）"), max_length=64)
    superseded_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    superseded_reason = models.TextField(_("变更理由"), blank=True)

    class Meta:
        verbose_name = _("批复条款")
        verbose_name_plural = _("批复条款")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["application", "version"], name="terms_version")
        ]

    def __str__(self) -> str:
        return f"{self.application} V{self.version}"


class ApprovalCondition(models.Model):
    """A condition of the approval (用信条件 / 放款前提条件), met before disbursement with the
    evidence noted by the person who checked it."""

    terms = models.ForeignKey(ApprovedTerms, on_delete=models.CASCADE, related_name="conditions")
    text = models.CharField(_("批复条件"), max_length=300)
    met_at = models.DateTimeField(_("落实时间"), null=True, blank=True)
    met_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    evidence = models.CharField(_("落实情况"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("批复条件")
        verbose_name_plural = _("批复条件")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text
