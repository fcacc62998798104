"""Precision marketing in daily work: campaigns by scenario with their reviewed materials,
target lists (who and why), the manager's contacts with SPIN notes, leads that become credit
applications, the customer's consents and channel refusals, 整村授信 rosters with 信用户评定,
预授信 and 公示.

Customers here are stock customers (``scoring.StockCustomer``): the bank's customers as the
core system knows them, scored and graded by the scoring app; a lead becomes an application on
the customer's economic archive (``customers.Customer``), created from the stock record when
missing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xindai.org.models import OrgUnit

USER = settings.AUTH_USER_MODEL


class Scenario(models.TextChoices):
    WHOLE_VILLAGE = "whole_village", _("整村授信")
    MARKET_STREET = "market_street", _("商圈")
    INDUSTRIAL_PARK = "industrial_park", _("园区")
    SUPPLY_CHAIN = "supply_chain", _("产业链")
    PAYROLL = "payroll", _("代发工资")
    STOCK_MINING = "stock_mining", _("存量挖掘")
    ONLINE = "online", _("线上")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("筹备中")
    ACTIVE = "active", _("进行中")
    CLOSED = "closed", _("已结束")


class Campaign(models.Model):
    """A marketing campaign of one scenario, with its target rules, products, period and goals."""

    name = models.CharField(_("活动名称"), max_length=100)
    scenario = models.CharField(_("营销场景"), max_length=16, choices=Scenario.choices)
    status = models.CharField(
        _("状态"), max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("组织机构"), on_delete=models.PROTECT, related_name="campaigns"
    )
    owner = models.ForeignKey(
        USER, verbose_name=_("负责人"), on_delete=models.PROTECT, related_name="campaigns_owned"
    )
    # Target rules: {"grades": ["A","B"], "min_propensity": 0.1, "min_points": 560,
    #  "max_points": null, "kinds": ["farmer"], "village_codes": [...], "industry_codes": [...],
    #  "holdings_required": ["payroll"], "holdings_absent": ["credit_line"], "as_of": "YYYY-MM-DD"}
    rules = models.JSONField(_("目标客户规则"), default=dict, blank=True)
    products = models.ManyToManyField(
        "products.LoanProduct", verbose_name=_("营销产品"), blank=True, related_name="+"
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    goal_contacts = models.PositiveIntegerField(_("目标触达户数"), default=0)
    goal_applications = models.PositiveIntegerField(_("目标申请笔数"), default=0)
    goal_amount_fen = models.BigIntegerField(_("目标授信金额（分）"), default=0)
    description = models.TextField(_("活动说明"), blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("营销活动")
        verbose_name_plural = _("营销活动")
        ordering = ["-starts_on", "-pk"]
        permissions = [
            ("manage_campaign", _("可发起和管理营销活动")),
            ("review_material", _("可审查营销材料")),
            ("work_targets", _("可营销名单客户并登记接触")),
            ("view_funnel", _("可查看营销漏斗")),
        ]

    def __str__(self) -> str:
        return self.name


class MaterialKind(models.TextChoices):
    SCRIPT = "script", _("营销话术")
    LEAFLET = "leaflet", _("宣传单")
    SMS = "sms", _("短信模板")
    POSTER = "poster", _("海报")


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("待审查")
    APPROVED = "approved", _("审查通过")
    REJECTED = "rejected", _("审查退回")


class Material(models.Model):
    """A script, leaflet or SMS template; used only after 风险合规 approved it (no promise of
    approval, no hidden conditions, the annualised rate shown)."""

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("营销活动"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="materials",
    )
    kind = models.CharField(_("材料类型"), max_length=10, choices=MaterialKind.choices)
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("内容"))
    annual_rate = models.DecimalField(
        _("年化利率"), max_digits=8, decimal_places=6, null=True, blank=True
    )
    status = models.CharField(
        _("审查状态"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    # Automatic checks at submission: [{"code": ..., "message": ...}] (empty = none found).
    findings = models.JSONField(_("检查发现"), default=list, blank=True)
    submitted_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("审查时间"), null=True, blank=True)
    review_note = models.CharField(_("审查意见"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("营销材料")
        verbose_name_plural = _("营销材料")
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return self.title


class TargetStatus(models.TextChoices):
    NEW = "new", _("待触达")
    REACHED = "reached", _("已触达")
    INTERESTED = "interested", _("有意向")
    APPLIED = "applied", _("已申请")
    APPROVED = "approved", _("已审批")
    DISBURSED = "disbursed", _("已放款")
    DECLINED = "declined", _("无意向")
    EXCLUDED = "excluded", _("已排除")


class Target(models.Model):
    """A customer on a campaign's list, assigned to a manager, with why he was chosen."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("营销活动"), on_delete=models.CASCADE, related_name="targets"
    )
    customer = models.ForeignKey(
        "scoring.StockCustomer",
        verbose_name=_("客户"),
        on_delete=models.CASCADE,
        related_name="targets",
    )
    manager = models.ForeignKey(
        USER,
        verbose_name=_("客户经理"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="targets",
    )
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("管户机构"), on_delete=models.PROTECT, related_name="+"
    )
    village_code = models.CharField(_("村代码"), max_length=12, blank=True, db_index=True)
    grade = models.CharField(_("客户等级"), max_length=1, blank=True)
    propensity = models.FloatField(_("借款意愿概率"), null=True, blank=True)
    points = models.IntegerField(_("信用评分"), null=True, blank=True)
    # Why chosen, in plain Chinese: the rules he met and his score reasons.
    reasons = models.JSONField(_("入选理由"), default=list)
    status = models.CharField(
        _("状态"), max_length=10, choices=TargetStatus.choices, default=TargetStatus.NEW
    )
    exclusion_reason = models.CharField(_("排除原因"), max_length=200, blank=True)
    next_follow_up = models.DateField(_("下次跟进日期"), null=True, blank=True)
    amount_fen = models.BigIntegerField(_("申请/批准/放款金额（分）"), default=0)
    application = models.ForeignKey(
        "credit.CreditApplication",
        verbose_name=_("信贷申请"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("分派时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("入选时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("目标客户")
        verbose_name_plural = _("目标客户")
        ordering = ["campaign", "grade", "-propensity"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "customer"], name="marketing_target_once")
        ]
        indexes = [models.Index(fields=["manager", "status"])]

    def __str__(self) -> str:
        return f"{self.campaign_id}:{self.customer_id}"


class Channel(models.TextChoices):
    VISIT = "visit", _("上门走访")
    PHONE = "phone", _("电话")
    SMS = "sms", _("短信")
    WECHAT = "wechat", _("微信")
    ONLINE = "online", _("线上")


class Outcome(models.TextChoices):
    NOT_REACHED = "not_reached", _("未联系上")
    NOT_INTERESTED = "not_interested", _("无意向")
    INTERESTED = "interested", _("有意向")
    APPLIED = "applied", _("已申请")


class Contact(models.Model):
    """One contact with a customer, with its SPIN notes (背景, 难点, 暗示, 价值) and next step."""

    customer = models.ForeignKey(
        "scoring.StockCustomer",
        verbose_name=_("客户"),
        on_delete=models.PROTECT,
        related_name="contacts",
    )
    target = models.ForeignKey(
        Target,
        verbose_name=_("目标客户"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contacts",
    )
    manager = models.ForeignKey(
        USER, verbose_name=_("客户经理"), on_delete=models.PROTECT, related_name="contacts"
    )
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    contacted_at = models.DateTimeField(_("接触时间"))
    outcome = models.CharField(_("结果"), max_length=16, choices=Outcome.choices)
    situation = models.TextField(_("背景问题（S）"), blank=True)
    problem = models.TextField(_("难点问题（P）"), blank=True)
    implication = models.TextField(_("暗示问题（I）"), blank=True)
    need_payoff = models.TextField(_("价值问题（N）"), blank=True)
    needs = models.CharField(_("发现的需求"), max_length=300, blank=True)
    products_discussed = models.ManyToManyField(
        "products.LoanProduct", verbose_name=_("介绍的产品"), blank=True, related_name="+"
    )
    next_step = models.CharField(_("下一步"), max_length=200, blank=True)
    next_follow_up = models.DateField(_("下次跟进日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("营销接触")
        verbose_name_plural = _("营销接触")
        ordering = ["-contacted_at", "-pk"]
        indexes = [models.Index(fields=["customer", "contacted_at"])]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.contacted_at:%Y-%m-%d}"


class LeadStatus(models.TextChoices):
    OPEN = "open", _("跟进中")
    CONVERTED = "converted", _("已转申请")
    DROPPED = "dropped", _("已放弃")


class Lead(models.Model):
    """An interested customer (商机), to be turned into a credit application (申请受理)."""

    customer = models.ForeignKey(
        "scoring.StockCustomer", verbose_name=_("客户"), on_delete=models.PROTECT, related_name="+"
    )
    target = models.ForeignKey(
        Target, null=True, blank=True, on_delete=models.SET_NULL, related_name="leads"
    )
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="leads"
    )
    manager = models.ForeignKey(USER, verbose_name=_("客户经理"), on_delete=models.PROTECT)
    product = models.ForeignKey(
        "products.LoanProduct",
        verbose_name=_("意向产品"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    amount_fen = models.BigIntegerField(_("意向金额（分）"), default=0)
    need = models.CharField(_("需求"), max_length=300, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=LeadStatus.choices, default=LeadStatus.OPEN
    )
    application = models.OneToOneField(
        "credit.CreditApplication",
        verbose_name=_("信贷申请"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lead",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("营销商机")
        verbose_name_plural = _("营销商机")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.get_status_display()}"


class ConsentPurpose(models.TextChoices):
    MARKETING_DATA = "marketing_data", _("个人信息用于营销")
    PERSONALISED = "personalised", _("个性化营销（自动化推荐）")
    ACCOUNT_DATA = "account_data", _("金融账户信息（敏感信息）")
    CREDIT_REPORT = "credit_report", _("征信查询")
    SHARING = "sharing", _("向第三方提供")


class Consent(models.Model):
    """One grant or withdrawal of a purpose-specific consent, with its evidence; the latest
    record per customer and purpose is in force (history is never overwritten)."""

    customer = models.ForeignKey(
        "scoring.StockCustomer",
        verbose_name=_("客户"),
        on_delete=models.PROTECT,
        related_name="consents",
    )
    purpose = models.CharField(_("授权事项"), max_length=16, choices=ConsentPurpose.choices)
    granted = models.BooleanField(_("同意"))  # False = withdrawn / refused
    stated_purpose = models.CharField(_("用途说明"), max_length=200, blank=True)
    evidence = models.CharField(_("凭证"), max_length=300)  # e.g. 纸质授权书编号, 录音编号
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    effective_at = models.DateTimeField(_("生效时间"))
    expires_on = models.DateField(_("有效期至"), null=True, blank=True)

    class Meta:
        verbose_name = _("客户授权")
        verbose_name_plural = _("客户授权")
        ordering = ["-effective_at", "-pk"]
        indexes = [models.Index(fields=["customer", "purpose", "effective_at"])]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.purpose} {self.granted}"


class ChannelRefusal(models.Model):
    """The customer refused being contacted by a channel: not contacted by it again (until he
    lifts it himself, recorded as ``lifted_at``)."""

    customer = models.ForeignKey(
        "scoring.StockCustomer",
        verbose_name=_("客户"),
        on_delete=models.PROTECT,
        related_name="channel_refusals",
    )
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    refused_at = models.DateTimeField(_("拒绝时间"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    lifted_at = models.DateTimeField(_("解除时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("渠道拒绝")
        verbose_name_plural = _("渠道拒绝")
        ordering = ["-refused_at"]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.channel}"


class RosterStatus(models.TextChoices):
    RATED = "rated", _("已评定")
    PUBLISHED = "published", _("公示中")
    CLOSED = "closed", _("公示结束")


class VillageRoster(models.Model):
    """整村授信: one village's household roster, rated (信用户评定) with the weights in force, with
    预授信 limits and a public list (公示) for a set period."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("营销活动"), on_delete=models.CASCADE, related_name="rosters"
    )
    village_code = models.CharField(_("村代码"), max_length=12)
    village_name = models.CharField(_("村名"), max_length=60)
    # {"members": 0.15, "assets": 0.25, "net_income": 0.3, "repayment": 0.2, "village": 0.1}
    weights = models.JSONField(_("评定权重"), default=dict)
    status = models.CharField(
        _("状态"), max_length=10, choices=RosterStatus.choices, default=RosterStatus.RATED
    )
    publish_from = models.DateField(_("公示开始"), null=True, blank=True)
    publish_until = models.DateField(_("公示截止"), null=True, blank=True)
    file_name = models.CharField(_("文件名"), max_length=200, blank=True)
    imported_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(_("导入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("整村授信花名册")
        verbose_name_plural = _("整村授信花名册")
        ordering = ["-imported_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "village_code"], name="marketing_roster_per_village"
            )
        ]

    def __str__(self) -> str:
        return self.village_name


class CreditRating(models.TextChoices):
    EXCELLENT = "excellent", _("优秀信用户")
    GOOD = "good", _("较好信用户")
    FAIR = "fair", _("一般信用户")
    NOT_RATED = "not_rated", _("不予评定")


class HouseholdDecision(models.TextChoices):
    PENDING = "pending", _("待确认")
    ACCEPTED = "accepted", _("接受授信")
    DECLINED = "declined", _("放弃")
    OBJECTED = "objected", _("公示异议")


class RosterHousehold(models.Model):
    """A household of the roster with the archive data it was rated on, its score, rating and
    pre-approved limit."""

    roster = models.ForeignKey(VillageRoster, on_delete=models.CASCADE, related_name="households")
    row = models.PositiveIntegerField(_("行号"))
    name = models.CharField(_("户主姓名"), max_length=50)
    id_number = models.CharField(_("身份证号"), max_length=18)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    members = models.PositiveSmallIntegerField(_("家庭人口"))
    labourers = models.PositiveSmallIntegerField(_("劳动力"), default=0)
    assets_fen = models.BigIntegerField(_("家庭资产（分）"))
    net_income_fen = models.BigIntegerField(_("家庭年纯收入（分）"))
    debts_fen = models.BigIntegerField(_("负债（分）"), default=0)
    repayment_record = models.CharField(_("还款记录"), max_length=10)  # good / late / bad / none
    village_evaluation = models.PositiveSmallIntegerField(_("村组评议（分）"))  # 0-100
    customer = models.ForeignKey(
        "scoring.StockCustomer",
        verbose_name=_("存量客户"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    score = models.DecimalField(_("评定得分"), max_digits=6, decimal_places=2)
    rating = models.CharField(_("信用等级"), max_length=10, choices=CreditRating.choices)
    limit_fen = models.BigIntegerField(_("预授信额度（分）"), default=0)
    rating_reasons = models.JSONField(_("评定说明"), default=list)
    decision = models.CharField(
        _("农户意愿"),
        max_length=10,
        choices=HouseholdDecision.choices,
        default=HouseholdDecision.PENDING,
    )
    objection = models.CharField(_("异议内容"), max_length=300, blank=True)
    application = models.ForeignKey(
        "credit.CreditApplication",
        verbose_name=_("信贷申请"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("花名册农户")
        verbose_name_plural = _("花名册农户")
        ordering = ["roster", "row"]
        constraints = [
            models.UniqueConstraint(fields=["roster", "id_number"], name="marketing_roster_once")
        ]

    def __str__(self) -> str:
        return self.name
