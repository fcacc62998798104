"""Credit applications and what the process records about them (申请受理 onwards).

The stage machine itself is pure (``stages``); these tables keep its state and history:
each move is a ``StageEvent`` (the timeline), each admission check an ``AdmissionCheck`` with
the policy version it used, each policy edit a new ``PolicyVersion``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from xindai.core import fields
from xindai.credit.admission import Capacity, IndustryStance, Outcome
from xindai.credit.stages import Stage
from xindai.products.models import ChoiceListField, Guarantee, Purpose, RepaymentMethod

USER = settings.AUTH_USER_MODEL


class PolicyVersion(models.Model):
    """One version of the credit policy: never edited; a change is a new version."""

    number = models.PositiveIntegerField(_("版本号"), unique=True)
    params = models.JSONField(_("参数"))
    reason = models.TextField(_("修改理由"))
    created_by = models.ForeignKey(
        USER, verbose_name=_("修改人"), null=True, blank=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(_("生效时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("信贷政策版本")
        verbose_name_plural = _("信贷政策版本")
        ordering = ["-number"]
        permissions = [("edit_policy", _("可修改信贷政策（形成新版本）"))]

    def __str__(self) -> str:
        return f"V{self.number}"


class IndustryStanceChoice(models.TextChoices):
    ENCOURAGED = IndustryStance.ENCOURAGED.value, _("鼓励")
    ALLOWED = IndustryStance.ALLOWED.value, _("允许")
    RESTRICTED = IndustryStance.RESTRICTED.value, _("限制")
    ELIMINATED = IndustryStance.ELIMINATED.value, _("淘汰")


class IndustryPolicy(models.Model):
    """The bank's stance on an industry (GB/T 4754 code of 2–4 digits); the longest code that
    prefixes a customer's industry code applies."""

    code = models.CharField(_("行业代码"), max_length=4, unique=True)
    stance = models.CharField(_("信贷政策"), max_length=12, choices=IndustryStanceChoice.choices)
    requires_permit = models.BooleanField(_("须特许经营许可"), default=False)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("行业信贷政策")
        verbose_name_plural = _("行业信贷政策")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.get_stance_display()}"


class RiskListKind(models.TextChoices):
    BLACKLIST = "blacklist", _("黑名单")
    RELATED_PARTY = "related_party", _("关系人")


class RiskListEntry(models.Model):
    """A person or business on the bank's blacklist or its list of related parties (关系人,
    商业银行法 第40条), matched by ID number or credit code."""

    kind = models.CharField(_("名单"), max_length=16, choices=RiskListKind.choices)
    id_number = models.CharField(_("证件号码"), max_length=18, db_index=True)
    name = models.CharField(_("名称"), max_length=100)
    reason = models.CharField(_("原因"), max_length=200)
    active = models.BooleanField(_("有效"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("黑名单/关系人名单")
        verbose_name_plural = _("黑名单/关系人名单")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"


class Source(models.TextChoices):
    WALK_IN = "walk_in", _("客户上门")
    MARKETING = "marketing", _("营销走访")
    REFERRAL = "referral", _("转介绍")
    ONLINE = "online", _("线上申请")


class StageChoice(models.TextChoices):
    MARKETING = Stage.MARKETING.value, _("营销")
    INTAKE = Stage.INTAKE.value, _("申请受理")
    INVESTIGATION = Stage.INVESTIGATION.value, _("实地调查")
    REVIEW = Stage.REVIEW.value, _("审贷分析")
    APPROVAL = Stage.APPROVAL.value, _("审批")
    DISBURSEMENT = Stage.DISBURSEMENT.value, _("贷款拨付")
    POSTLOAN = Stage.POSTLOAN.value, _("贷后管理")
    NPL = Stage.NPL.value, _("不良清收")
    SETTLED = Stage.SETTLED.value, _("结清")
    WRITTEN_OFF = Stage.WRITTEN_OFF.value, _("核销")
    REJECTED = Stage.REJECTED.value, _("否决")
    WITHDRAWN = Stage.WITHDRAWN.value, _("撤回")


class CapacityChoice(models.TextChoices):
    FULL = Capacity.FULL.value, _("完全民事行为能力")
    LIMITED = Capacity.LIMITED.value, _("限制民事行为能力")
    NONE = Capacity.NONE.value, _("无民事行为能力")


class CreditApplication(models.Model):
    # NULL only inside the creating transaction, until the number is made from the pk.
    number = models.CharField(  # noqa: DJ001
        _("申请编号"), max_length=20, unique=True, null=True, editable=False
    )
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("客户"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    product = models.ForeignKey(
        "products.LoanProduct", verbose_name=_("贷款产品"), on_delete=models.PROTECT
    )
    amount = fields.money(_("申请金额（元）"))
    term_months = models.PositiveSmallIntegerField(_("期限（月）"))
    purpose = models.CharField(_("用途类别"), max_length=20, choices=Purpose.choices)
    purpose_text = models.CharField(_("具体用途"), max_length=200)
    repayment_method = models.CharField(
        _("还款方式"), max_length=20, choices=RepaymentMethod.choices
    )
    guarantee_methods = ChoiceListField(_("担保方式"), item_choices=Guarantee.choices)
    legal_capacity = models.CharField(
        _("民事行为能力"), max_length=8, choices=CapacityChoice.choices, default=Capacity.FULL
    )
    source = models.CharField(_("来源"), max_length=12, choices=Source.choices)
    source_note = models.CharField(_("来源说明"), max_length=200, blank=True)
    manager = models.ForeignKey(
        USER, verbose_name=_("客户经理"), on_delete=models.PROTECT, related_name="+"
    )
    co_investigator = models.ForeignKey(
        USER,
        verbose_name=_("协办调查人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    org_unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("经办机构"), on_delete=models.PROTECT
    )
    stage = models.CharField(
        _("阶段"), max_length=16, choices=StageChoice.choices, default=Stage.MARKETING
    )
    stage_since = models.DateTimeField(_("进入本阶段时间"), auto_now_add=True)
    submitted_on = models.DateField(_("提交日期"), null=True, blank=True)
    answer_due = models.DateField(_("答复期限"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    policy_version = models.ForeignKey(
        PolicyVersion,
        verbose_name=_("受理时政策版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("信贷申请")
        verbose_name_plural = _("信贷申请")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["stage", "org_unit"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="application_amount"),
            models.CheckConstraint(condition=models.Q(term_months__gt=0), name="application_term"),
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"


class ApplicationGuarantor(models.Model):
    application = models.ForeignKey(
        CreditApplication, on_delete=models.CASCADE, related_name="guarantors"
    )
    guarantor = models.ForeignKey(
        "customers.Customer", verbose_name=_("保证人"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    # 保证人担保能力, assessed at the investigation
    net_assets = models.DecimalField(
        _("净资产（元）"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    guarantees_given = models.DecimalField(
        _("已对外担保（元）"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    willing = models.BooleanField(_("保证意愿已核实"), default=False)

    class Meta:
        verbose_name = _("保证人")
        verbose_name_plural = _("保证人")
        constraints = [
            models.UniqueConstraint(fields=["application", "guarantor"], name="guarantor_once")
        ]

    def __str__(self) -> str:
        return str(self.guarantor)


class CollateralKind(models.TextChoices):
    MORTGAGE = "mortgage", _("抵押")
    PLEDGE = "pledge", _("质押")


class CollateralType(models.TextChoices):
    RESIDENTIAL = "residential", _("住房")
    COMMERCIAL = "commercial", _("商业用房")
    LAND_USE = "land_use", _("土地使用权")
    DEPOSIT = "deposit", _("存单、保证金等存款")
    MACHINERY = "machinery", _("机器设备、农机具")


class ApplicationCollateral(models.Model):
    """The collateral register of an application (押品登记)."""

    application = models.ForeignKey(
        CreditApplication, on_delete=models.CASCADE, related_name="collateral"
    )
    kind = models.CharField(_("类型"), max_length=10, choices=CollateralKind.choices)
    collateral_type = models.CharField(
        _("押品种类"), max_length=12, choices=CollateralType.choices, blank=True
    )
    description = models.CharField(_("押品"), max_length=200)
    owner_name = models.CharField(_("所有权人"), max_length=100)
    certificate_no = models.CharField(_("权属证书编号"), max_length=100, blank=True)
    estimated_value = fields.money(_("评估价值（元）"))
    appraiser = models.CharField(_("评估机构/评估人"), max_length=100, blank=True)
    appraised_on = models.DateField(_("评估日期"), null=True, blank=True)
    ownership_dispute = models.BooleanField(_("存在权属争议"), default=False)
    dispute_note = models.CharField(_("权属争议说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("押品")
        verbose_name_plural = _("押品")

    def __str__(self) -> str:
        return self.description


class ConsentPurpose(models.TextChoices):
    LOAN_APPROVAL = "loan_approval", _("贷款审批")
    GUARANTEE_REVIEW = "guarantee_review", _("担保资格审查")
    POSTLOAN = "postloan", _("贷后管理")


class CreditQueryConsent(models.Model):
    """The customer's written authorisation to query the credit reference centre (征信查询
    授权书): who signed, when, for what, and the scanned document."""

    application = models.OneToOneField(
        CreditApplication, on_delete=models.CASCADE, related_name="consent"
    )
    signed_by = models.CharField(_("授权人"), max_length=100)
    signed_on = models.DateField(_("授权日期"))
    purpose = models.CharField(_("查询用途"), max_length=20, choices=ConsentPurpose.choices)
    scan = models.FileField(_("授权书扫描件"), upload_to="consents/%Y/%m/")
    scan_sha256 = models.CharField(_("SHA-256"), max_length=64)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("征信查询授权")
        verbose_name_plural = _("征信查询授权")

    def __str__(self) -> str:
        return f"{self.signed_by} {self.signed_on}"


class CreditReportSummary(models.Model):
    """What the manager read from the credit report (征信报告摘要)."""

    application = models.OneToOneField(
        CreditApplication, on_delete=models.CASCADE, related_name="credit_report"
    )
    report_date = models.DateField(_("报告日期"))
    max_consecutive_overdue_24m = models.PositiveSmallIntegerField(_("近24个月最长连续逾期期数"))
    total_overdue_24m = models.PositiveSmallIntegerField(_("近24个月累计逾期次数"))
    current_overdue_amount = fields.money(_("当前逾期金额（元）"))
    other_bank_lenders = models.PositiveSmallIntegerField(_("他行授信机构数"))
    other_bank_debt = fields.money(_("他行贷款余额（元）"))
    monthly_debt_service = fields.money(_("他行月还款额（元）"))
    note = models.TextField(_("其他说明"), blank=True)
    entered_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(_("录入时间"), auto_now=True)

    class Meta:
        verbose_name = _("征信报告摘要")
        verbose_name_plural = _("征信报告摘要")

    def __str__(self) -> str:
        return str(self.report_date)


class OutcomeChoice(models.TextChoices):
    ADMIT = Outcome.ADMIT.value, _("准入")
    PRUDENT = Outcome.PRUDENT.value, _("审慎")
    PROHIBIT = Outcome.PROHIBIT.value, _("禁入")


class AdmissionCheck(models.Model):
    """One run of the admission engine: its decision, every rule's result, the facts and the
    policy version it used. ``fingerprint`` identifies the facts: a check is current while the
    application and archive still give the same facts."""

    application = models.ForeignKey(
        CreditApplication, on_delete=models.CASCADE, related_name="admission_checks"
    )
    outcome = models.CharField(_("结论"), max_length=10, choices=OutcomeChoice.choices)
    results = models.JSONField(_("规则结果"))
    facts = models.JSONField(_("所用事实"))
    fingerprint = models.CharField(max_length=64)
    policy_version = models.ForeignKey(
        PolicyVersion, verbose_name=_("政策版本"), on_delete=models.PROTECT
    )
    as_of = models.DateField(_("检查日（会计日期）"))
    checked_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField(_("检查时间"), auto_now_add=True)
    escalated_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    escalation_reason = models.TextField(_("审慎放行理由"), blank=True)
    escalated_at = models.DateTimeField(_("放行时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("准入检查")
        verbose_name_plural = _("准入检查")
        ordering = ["-checked_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.application} {self.get_outcome_display()}"


class StageEvent(models.Model):
    """A transition taken: the application's timeline."""

    application = models.ForeignKey(
        CreditApplication, on_delete=models.CASCADE, related_name="events"
    )
    transition = models.CharField(_("操作"), max_length=32)
    from_stage = models.CharField(_("原阶段"), max_length=16, choices=StageChoice.choices)
    to_stage = models.CharField(_("新阶段"), max_length=16, choices=StageChoice.choices)
    actor = models.ForeignKey(USER, verbose_name=_("经办人"), on_delete=models.PROTECT)
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    business_date = models.DateField(_("会计日期"))
    reason = models.TextField(_("理由"), blank=True)
    details: Any = models.JSONField(_("详情"), default=dict)
    policy_version = models.ForeignKey(
        PolicyVersion, verbose_name=_("政策版本"), on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("流程记录")
        verbose_name_plural = _("流程记录")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.application} {self.transition}"


from xindai.credit.models_approval import ApprovalCondition, ApprovedTerms  # noqa: E402
from xindai.credit.models_investigation import (  # noqa: E402 (the investigation's tables)
    CreditLimitAssessment,
    Investigation,
    InvestigationFile,
    InvestigationReport,
    InvestigatorConfirmation,
    ReportSection,
    ReviewOpinion,
)

__all__ = [
    "ApprovalCondition",
    "ApprovedTerms",
    "CreditLimitAssessment",
    "Investigation",
    "InvestigationFile",
    "InvestigationReport",
    "InvestigatorConfirmation",
    "ReportSection",
    "ReviewOpinion",
]
