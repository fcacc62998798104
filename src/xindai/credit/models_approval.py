"""审批 (issue 7): the terms an approver fixed. Contracts, the disbursement gate and the loan
account read these, never the application's requested figures: once approved, the terms are
frozen; a change supersedes them and sends the case back to 审批."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

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


# ---- 审贷小组 (committee) --------------------------------------------------------------------


class MeetingStatus(models.TextChoices):
    OPEN = "open", _("进行中")
    CLOSED = "closed", _("已结束")


class DecisionChoice(models.TextChoices):
    PASS = "pass", _("通过")
    FAIL = "fail", _("不通过")


class VoteChoice(models.TextChoices):
    AGREE = "agree", _("同意")
    DISAGREE = "disagree", _("不同意")
    ABSTAIN = "abstain", _("弃权")


class CommitteeMeeting(models.Model):
    """A meeting of the 审贷小组 on one application: the members' votes, the decision computed
    with the policy version when it closes, and the minutes (会议纪要) kept as a DOCX."""

    application = models.ForeignKey(
        "credit.CreditApplication", on_delete=models.PROTECT, related_name="meetings"
    )
    held_at = models.DateTimeField(_("会议时间"))
    place = models.CharField(_("会议地点"), max_length=100)
    chair = models.ForeignKey(
        USER, verbose_name=_("主持人"), on_delete=models.PROTECT, related_name="+"
    )
    minutes_taker = models.ForeignKey(
        USER, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=8, choices=MeetingStatus.choices, default=MeetingStatus.OPEN
    )
    decision = models.CharField(_("决议"), max_length=8, choices=DecisionChoice.choices, blank=True)
    conditions = models.TextField(_("审议条件"), blank=True)
    present = models.PositiveSmallIntegerField(_("出席人数"), default=0)
    agree = models.PositiveSmallIntegerField(_("同意票"), default=0)
    policy_version = models.ForeignKey(
        "credit.PolicyVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    minutes = models.FileField(_("会议纪要"), upload_to="credit/minutes/%Y/%m/", blank=True)
    minutes_sha256 = models.CharField(_("会议纪要 SHA-256"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("审贷小组会议")
        verbose_name_plural = _("审贷小组会议")
        ordering = ["-held_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.application} {self.held_at:%Y-%m-%d}"


class CommitteeVote(models.Model):
    meeting = models.ForeignKey(CommitteeMeeting, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(
        USER, verbose_name=_("成员"), on_delete=models.PROTECT, related_name="+"
    )
    present = models.BooleanField(_("出席"), default=True)
    vote = models.CharField(_("表决"), max_length=8, choices=VoteChoice.choices, blank=True)
    opinion = models.TextField(_("发表意见"), blank=True)
    recorded_at = models.DateTimeField(_("记录时间"), auto_now=True)

    class Meta:
        verbose_name = _("审贷小组表决")
        verbose_name_plural = _("审贷小组表决")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="one_vote_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.meeting} {self.member}"


# ---- 授权 (authority) ------------------------------------------------------------------------


class AuthorityRule(models.Model):
    """A line of the approval authority matrix (审批授权), edited by 风险合规 (with history);
    see ``credit.authority`` for how the lines combine."""

    role = models.CharField(_("岗位"), max_length=20, default="approver")
    org_unit = models.ForeignKey(
        "org.OrgUnit",
        verbose_name=_("适用机构（含下级）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("空：所有机构"),
    )
    unit_kind = models.CharField(
        _("适用机构层级"),
        max_length=10,
        blank=True,
        choices=[("union", _("联社/总行")), ("branch", _("支行")), ("outlet", _("网点"))],
        help_text=_("空：所有层级"),
    )
    product = models.ForeignKey(
        "products.LoanProduct",
        verbose_name=_("贷款产品"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("空：所有产品"),
    )
    guarantee_method = models.CharField(
        _("担保方式"),
        max_length=20,
        blank=True,
        choices=Guarantee.choices,
        help_text=_("空：所有担保方式"),
    )
    max_amount = fields.money(_("审批权限（元）"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("审批授权")
        verbose_name_plural = _("审批授权")
        ordering = ["role", "unit_kind", "max_amount"]

    def __str__(self) -> str:
        return f"{self.role} {self.get_unit_kind_display()} {self.max_amount}"


class ApprovalEscalation(models.Model):
    """上报: an approver beyond his authority passes the case to an approver with more."""

    application = models.ForeignKey(
        "credit.CreditApplication", on_delete=models.PROTECT, related_name="escalations"
    )
    from_user = models.ForeignKey(
        USER, verbose_name=_("上报人"), on_delete=models.PROTECT, related_name="+"
    )
    to_user = models.ForeignKey(
        USER,
        verbose_name=_("上报至"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    amount = fields.money(_("上报金额（元）"))
    reason = models.TextField(_("上报理由"))
    created_at = models.DateTimeField(_("上报时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("审批上报")
        verbose_name_plural = _("审批上报")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.application} → {self.to_user or '-'}"
