"""不良清收: collection cases, their actions and recoveries, the limitation-period tracker
(诉讼时效 / 保证期间), restructurings (重组) and write-offs (核销).

Amounts in 元 (``money``) except where noted in fen (分) for what the end-of-day sums."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xindai.core import fields

USER = settings.AUTH_USER_MODEL


class CaseStatus(models.TextChoices):
    OPEN = "open", _("清收中")
    WRITTEN_OFF = "written_off", _("已核销")  # 账销案存: still tracked
    CLOSED = "closed", _("已结案")


class CloseReason(models.TextChoices):
    REPAID = "repaid", _("已还清")
    SETTLED = "settled", _("和解结案")
    RESTRUCTURED = "restructured", _("已重组")
    OTHER = "other", _("其他")


class CollectionCase(models.Model):
    """One case per loan while open (a unique constraint refuses a second)."""

    loan = models.ForeignKey(
        "loans.LoanAccount",
        on_delete=models.PROTECT,
        related_name="collection_cases",
        verbose_name=_("贷款账户"),
    )
    opened_on = models.DateField(_("立案日期"))
    opened_because = models.CharField(_("立案原因"), max_length=200)
    owed_at_opening_fen = models.BigIntegerField(_("立案时欠款（分）"), default=0)
    officer = models.ForeignKey(
        USER,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="collection_cases",
        verbose_name=_("清收人员"),
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    close_reason = models.CharField(
        _("结案原因"), max_length=12, choices=CloseReason.choices, blank=True
    )
    close_note = models.CharField(_("结案说明"), max_length=200, blank=True)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)
    written_off_on = models.DateField(_("核销日期"), null=True, blank=True)
    next_follow_up = models.DateField(_("下次跟进日期"), null=True, blank=True)
    stage = models.CharField(_("清收阶段"), max_length=12, blank=True)
    recovered_fen = models.BigIntegerField(_("累计收回（分）"), default=0)

    class Meta:
        verbose_name = _("清收案件")
        verbose_name_plural = _("清收案件")
        ordering = ["-opened_on", "-pk"]
        permissions = [
            ("work_case", _("办理清收案件")),
            ("assign_case", _("分派清收案件")),
            ("approve_restructuring", _("审批贷款重组")),
            ("approve_writeoff", _("审批贷款核销")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["loan"], condition=~Q(status="closed"), name="collection_one_case"
            )
        ]
        indexes = [models.Index(fields=["status", "officer"], name="collection_case_officer")]

    def __str__(self) -> str:
        return f"{self.loan} {self.get_status_display()}"


class ActionKind(models.TextChoices):
    CALL = "call", _("电话催收")
    VISIT = "visit", _("上门催收")
    NOTICE = "notice", _("催收通知")
    NEGOTIATION = "negotiation", _("协商谈判")
    LITIGATION = "litigation", _("提起诉讼")
    ENFORCEMENT = "enforcement", _("申请执行")
    SETTLEMENT = "settlement", _("和解")


class CollectionAction(models.Model):
    case = models.ForeignKey(CollectionCase, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(_("方式"), max_length=12, choices=ActionKind.choices)
    business_date = models.DateField(_("日期"))
    party = models.ForeignKey(
        "customers.Customer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("对象"),
    )
    outcome = models.CharField(_("结果"), max_length=300)
    next_step = models.CharField(_("下一步"), max_length=200, blank=True)
    follow_up_on = models.DateField(_("跟进日期"), null=True, blank=True)
    acknowledged = models.BooleanField(_("债务人确认债务"), default=False)
    amount = fields.money(_("收回金额（元）"))
    actor = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("清收记录")
        verbose_name_plural = _("清收记录")
        ordering = ["-business_date", "-pk"]

    def __str__(self) -> str:
        return f"{self.business_date} {self.get_kind_display()}"


class RecoveryKind(models.TextChoices):
    REPAYMENT = "repayment", _("还款（在账）")
    AFTER_WRITEOFF = "after_writeoff", _("核销后收回")


class Recovery(models.Model):
    """Money really received: a repayment of a loan on the books, or a recovery of a written-off
    loan (with its own entries)."""

    case = models.ForeignKey(CollectionCase, on_delete=models.PROTECT, related_name="recoveries")
    action = models.OneToOneField(
        CollectionAction, null=True, blank=True, on_delete=models.PROTECT, related_name="recovery"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=RecoveryKind.choices)
    method = models.CharField(_("方式"), max_length=12, choices=ActionKind.choices)
    business_date = models.DateField(_("日期"))
    amount_fen = models.BigIntegerField(_("金额（分）"))
    parts = models.JSONField(_("分配"), default=dict)
    idempotency_key = models.CharField(max_length=64, unique=True)
    repayment = models.ForeignKey(
        "repayments.Repayment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    entries = models.JSONField(default=list)
    actor = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("清收回款")
        verbose_name_plural = _("清收回款")
        ordering = ["-business_date", "-pk"]

    def __str__(self) -> str:
        return f"{self.business_date} {self.amount_fen}"


class PartyRole(models.TextChoices):
    DEBTOR = "debtor", _("借款人")
    GUARANTOR = "guarantor", _("保证人")


class LimitationParty(models.Model):
    """The limitation clock of one party of one loan (借款人 or a 保证人)."""

    loan = models.ForeignKey(
        "loans.LoanAccount", on_delete=models.CASCADE, related_name="limitation_parties"
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="+", verbose_name=_("当事人")
    )
    role = models.CharField(_("身份"), max_length=10, choices=PartyRole.choices)
    starts_on = models.DateField(_("时效起算日"))
    last_interruption = models.DateField(_("最近中断日"), null=True, blank=True)
    expires_on = models.DateField(_("诉讼时效届满日"))
    guarantee_ends_on = models.DateField(_("保证期间届满日"), null=True, blank=True)
    asked_on = models.DateField(_("保证期间内主张日"), null=True, blank=True)
    alerted_on = models.DateField(_("预警日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("诉讼时效")
        verbose_name_plural = _("诉讼时效")
        constraints = [
            models.UniqueConstraint(fields=["loan", "customer"], name="limitation_party_once")
        ]
        indexes = [models.Index(fields=["expires_on"], name="limitation_expires")]

    def __str__(self) -> str:
        return f"{self.customer} {self.expires_on}"


class InterruptionKind(models.TextChoices):
    NOTICE = "notice", _("催收通知书签收")
    ACKNOWLEDGMENT = "acknowledgment", _("债务人确认债务")
    LAWSUIT = "lawsuit", _("提起诉讼")
    GUARANTEE_CLAIM = "guarantee_claim", _("向保证人主张权利")


class Interruption(models.Model):
    party = models.ForeignKey(
        LimitationParty, on_delete=models.CASCADE, related_name="interruptions"
    )
    on = models.DateField(_("日期"))
    kind = models.CharField(_("中断事由"), max_length=16, choices=InterruptionKind.choices)
    evidence = models.CharField(_("证据"), max_length=200)
    effective = models.BooleanField(_("有效"), default=True)
    actor = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("时效中断")
        verbose_name_plural = _("时效中断")
        ordering = ["-on", "-pk"]

    def __str__(self) -> str:
        return f"{self.on} {self.get_kind_display()}"


class RequestStatus(models.TextChoices):
    REQUESTED = "requested", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已驳回")


class Restructuring(models.Model):
    case = models.ForeignKey(
        CollectionCase, on_delete=models.PROTECT, related_name="restructurings"
    )
    term_months = models.PositiveSmallIntegerField(_("新期限（月）"))
    annual_rate = models.DecimalField(_("新执行年利率"), max_digits=9, decimal_places=6)
    repayment_method = models.CharField(_("新还款方式"), max_length=20)
    reason = models.CharField(_("重组原因"), max_length=300)
    status = models.CharField(
        _("状态"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.REQUESTED
    )
    requested_on = models.DateField(_("申请日期"))
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(_("审批日期"), null=True, blank=True)
    note = models.CharField(_("审批意见"), max_length=200, blank=True)
    principal_fen = models.BigIntegerField(_("重组本金（分）"), default=0)
    old_rows = models.JSONField(default=list)
    old_terms = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("贷款重组")
        verbose_name_plural = _("贷款重组")
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="requested"), name="restructuring_one_open"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.get_status_display()}"


class WriteOff(models.Model):
    case = models.ForeignKey(CollectionCase, on_delete=models.PROTECT, related_name="writeoffs")
    reason = models.CharField(_("核销原因"), max_length=300)
    evidence = models.CharField(_("核销依据"), max_length=300)
    status = models.CharField(
        _("状态"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.REQUESTED
    )
    requested_on = models.DateField(_("申请日期"))
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(_("审批日期"), null=True, blank=True)
    note = models.CharField(_("审批意见"), max_length=200, blank=True)
    claim_fen = models.BigIntegerField(_("核销本息（分）"), default=0)

    class Meta:
        verbose_name = _("贷款核销")
        verbose_name_plural = _("贷款核销")
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="requested"), name="writeoff_one_open"
            ),
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="approved"), name="writeoff_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.get_status_display()}"
