"""The sections of an economic archive, one small model each (outline 第二部分 二).

Every section row belongs to one customer and keeps its history. Which sections and fields a
kind of customer must fill is policy (:mod:`xindai.customers.policy`), not schema.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from xindai.core import fields

__all__ = [
    "BankAccount",
    "BusinessOperations",
    "EnterpriseGovernance",
    "ExpenseItem",
    "FarmProduction",
    "FinancialAsset",
    "FinancialStatement",
    "FixedAsset",
    "HouseholdMember",
    "IncomeItem",
    "LandHolding",
    "Liability",
    "Licence",
    "Premises",
    "Shareholder",
    "SpecialPermit",
    "TradePartner",
    "VillageEvaluation",
]


class Section(models.Model):
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("客户"),
        on_delete=models.CASCADE,
        related_name="%(class)s_set",
    )

    class Meta:
        abstract = True


class SingleSection(models.Model):
    """A section with one row per customer (licence, evaluation, ...)."""

    customer = models.OneToOneField(
        "customers.Customer",
        verbose_name=_("客户"),
        on_delete=models.CASCADE,
        related_name="%(class)s",
    )

    class Meta:
        abstract = True


# ---- 农户 --------------------------------------------------------------------------------------


class Sex(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class MemberRelation(models.TextChoices):
    HEAD = "head", _("户主")
    SPOUSE = "spouse", _("配偶")
    CHILD = "child", _("子女")
    PARENT = "parent", _("父母")
    SIBLING = "sibling", _("兄弟姐妹")
    OPERATOR = "operator", _("经营者")
    OTHER = "other", _("其他")


class HouseholdMember(Section):
    relation = models.CharField(_("与户主关系"), max_length=10, choices=MemberRelation.choices)
    name = models.CharField(_("姓名"), max_length=50)
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices)
    id_number = fields.resident_id(_("身份证号"))
    occupation = models.CharField(_("职业"), max_length=50, blank=True)
    phone = fields.mobile(_("手机号"), blank=True)
    is_labour = models.BooleanField(_("劳动力"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("家庭成员")
        verbose_name_plural = _("家庭成员")

    def __str__(self) -> str:
        return self.name


class LandKind(models.TextChoices):
    CONTRACTED = "contracted", _("承包地")
    TRANSFERRED = "transferred", _("流转地")


class LandHolding(Section):
    kind = models.CharField(_("土地类型"), max_length=12, choices=LandKind.choices)
    area_mu = fields.quantity(_("面积（亩）"))
    location = models.CharField(_("坐落"), max_length=100, blank=True)
    contract_no = models.CharField(_("合同/证书编号"), max_length=50, blank=True)
    expires_on = models.DateField(_("到期日"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("土地")
        verbose_name_plural = _("土地")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.area_mu} 亩"


class ProductionCategory(models.TextChoices):
    CROP = "crop", _("种植")
    LIVESTOCK = "livestock", _("养殖")
    OTHER = "other", _("其他")


class FarmProduction(Section):
    category = models.CharField(_("类别"), max_length=10, choices=ProductionCategory.choices)
    kind = models.CharField(_("品种"), max_length=50)
    scale = fields.quantity(_("规模"))
    unit = models.CharField(_("单位"), max_length=10, default="亩")
    yearly_output = models.CharField(_("年产量"), max_length=50, blank=True)
    yearly_income = fields.money(_("年收入（元）"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("种养殖")
        verbose_name_plural = _("种养殖")

    def __str__(self) -> str:
        return self.kind


class AssetCategory(models.TextChoices):
    HOUSE = "house", _("房屋")
    MACHINERY = "machinery", _("农机具")
    VEHICLE = "vehicle", _("车辆")
    OTHER = "other", _("其他")


class FixedAsset(Section):
    category = models.CharField(_("类别"), max_length=10, choices=AssetCategory.choices)
    description = models.CharField(_("描述"), max_length=100)
    quantity = fields.quantity(_("数量"), default=1)
    value = fields.money(_("估值（元）"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("房产/机具/车辆")
        verbose_name_plural = _("房产/机具/车辆")

    def __str__(self) -> str:
        return self.description


class FinancialAssetCategory(models.TextChoices):
    DEPOSIT_HERE = "deposit_here", _("本行存款")
    DEPOSIT_ELSEWHERE = "deposit_elsewhere", _("他行存款")
    SHARES = "shares", _("股金")
    RECEIVABLE = "receivable", _("应收款")


class FinancialAsset(Section):
    category = models.CharField(_("类别"), max_length=20, choices=FinancialAssetCategory.choices)
    institution = models.CharField(_("机构/债务人"), max_length=100, blank=True)
    account_no = models.CharField(_("账号"), max_length=32, blank=True)
    amount = fields.money(_("金额（元）"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("存款与股金")
        verbose_name_plural = _("存款与股金")

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.amount}"


class LiabilityCategory(models.TextChoices):
    THIS_BANK = "this_bank", _("本行贷款")
    OTHER_BANK = "other_bank", _("他行贷款")
    PRIVATE = "private", _("民间借贷")
    GUARANTEE = "guarantee", _("对外担保")
    NONE = "none", _("无负债（已核实）")


class Liability(Section):
    category = models.CharField(_("类别"), max_length=12, choices=LiabilityCategory.choices)
    creditor = models.CharField(_("债权人/被担保人"), max_length=100, blank=True)
    amount = fields.money(_("金额（元）"))
    balance = fields.money(_("余额（元）"))
    matures_on = models.DateField(_("到期日"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("负债与对外担保")
        verbose_name_plural = _("负债与对外担保")

    def __str__(self) -> str:
        return f"{self.creditor} {self.balance}"

    def clean(self) -> None:
        """A household without debts records that it was checked: one "none" row, no amounts."""
        if self.category == LiabilityCategory.NONE:
            if self.amount or self.balance or self.creditor:
                raise ValidationError(_("“无负债”不应填写债权人和金额"))
        elif not self.creditor:
            raise ValidationError({"creditor": _("请填写债权人或被担保人")})


class IncomePeriod(models.TextChoices):
    LAST_YEAR = "last_year", _("上年实际")
    THIS_YEAR = "this_year", _("本年预计")


class IncomeSource(models.TextChoices):
    PLANTING = "planting", _("种植")
    BREEDING = "breeding", _("养殖")
    WAGES = "wages", _("务工")
    BUSINESS = "business", _("经营")
    TRANSFER = "transfer", _("补贴与转移")
    OTHER = "other", _("其他")


class IncomeItem(Section):
    period = models.CharField(_("期间"), max_length=10, choices=IncomePeriod.choices)
    source = models.CharField(_("来源"), max_length=10, choices=IncomeSource.choices)
    amount = fields.money(_("金额（元）"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("收入")
        verbose_name_plural = _("收入")

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.amount}"


class ExpenseCategory(models.TextChoices):
    LIVING = "living", _("生活")
    EDUCATION = "education", _("教育")
    MEDICAL = "medical", _("医疗")
    FAVOURS = "favours", _("人情往来")
    PRODUCTION = "production", _("生产")
    OTHER = "other", _("其他")


class ExpenseItem(Section):
    period = models.CharField(_("期间"), max_length=10, choices=IncomePeriod.choices)
    category = models.CharField(_("类别"), max_length=10, choices=ExpenseCategory.choices)
    amount = fields.money(_("金额（元）"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("支出")
        verbose_name_plural = _("支出")

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.amount}"


class Rating(models.TextChoices):
    GOOD = "good", _("好")
    FAIR = "fair", _("一般")
    POOR = "poor", _("差")


class VillageEvaluation(SingleSection):
    rating = models.CharField(_("评价"), max_length=6, choices=Rating.choices)
    comment = models.TextField(_("村委会意见"))
    evaluator = models.CharField(_("评价人（村干部）"), max_length=50)
    evaluated_on = models.DateField(_("评价日期"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("村委会评价")
        verbose_name_plural = _("村委会评价")

    def __str__(self) -> str:
        return self.get_rating_display()


# ---- 个体工商户 and 企业 -----------------------------------------------------------------------


class AnnualReport(models.TextChoices):
    REPORTED = "reported", _("已年报")
    NOT_REPORTED = "not_reported", _("未年报")
    ABNORMAL = "abnormal", _("经营异常")


class Licence(SingleSection):
    registered_on = models.DateField(_("成立日期"))
    valid_until = models.DateField(_("营业期限至"), null=True, blank=True, help_text=_("长期留空"))
    annual_report = models.CharField(_("年报状态"), max_length=12, choices=AnnualReport.choices)
    annual_report_year = models.PositiveSmallIntegerField(_("最近年报年度"), null=True, blank=True)
    scope = models.TextField(_("经营范围"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("营业执照")
        verbose_name_plural = _("营业执照")

    def __str__(self) -> str:
        return self.get_annual_report_display()


class Ownership(models.TextChoices):
    OWNED = "owned", _("自有")
    LEASED = "leased", _("租赁")


class Premises(Section):
    ownership = models.CharField(_("产权"), max_length=6, choices=Ownership.choices)
    address = models.CharField(_("地址"), max_length=200)
    area_sqm = fields.quantity(_("面积（平方米）"), null=True, blank=True)
    lease_expires_on = models.DateField(_("租约到期日"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("经营场所")
        verbose_name_plural = _("经营场所")

    def __str__(self) -> str:
        return self.address


class BusinessOperations(SingleSection):
    employees = models.PositiveIntegerField(_("从业人数"))
    monthly_turnover = fields.money(_("月均营业额（元）"))
    monthly_profit = models.DecimalField(_("月均利润（元）"), max_digits=18, decimal_places=2)
    inventory_value = fields.money(_("存货（元）"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("经营情况")
        verbose_name_plural = _("经营情况")

    def __str__(self) -> str:
        return f"{self.monthly_turnover}"


class PartnerRole(models.TextChoices):
    SUPPLIER = "supplier", _("主要供应商")
    BUYER = "buyer", _("主要客户")


class TradePartner(Section):
    role = models.CharField(_("类型"), max_length=10, choices=PartnerRole.choices)
    name = models.CharField(_("名称"), max_length=100)
    share_pct = fields.percent(_("占比（%）"), null=True, blank=True)
    years = models.PositiveSmallIntegerField(_("合作年限"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("主要上下游")
        verbose_name_plural = _("主要上下游")

    def __str__(self) -> str:
        return self.name


class AccountType(models.TextChoices):
    BASIC = "basic", _("基本存款账户")
    GENERAL = "general", _("一般存款账户")
    SPECIAL = "special", _("专用存款账户")
    PERSONAL = "personal", _("个人结算账户")


class BankAccount(Section):
    held_here = models.BooleanField(_("本行账户"), default=True)
    bank = models.CharField(_("开户行"), max_length=100)
    account_type = models.CharField(_("账户性质"), max_length=10, choices=AccountType.choices)
    account_no = models.CharField(_("账号"), max_length=32)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("结算账户")
        verbose_name_plural = _("结算账户")

    def __str__(self) -> str:
        return f"{self.bank} {self.get_account_type_display()}"


class EnterpriseGovernance(SingleSection):
    legal_rep_name = models.CharField(_("法定代表人"), max_length=50)
    legal_rep_id = fields.resident_id(_("法定代表人身份证号"))
    controller_name = models.CharField(_("实际控制人"), max_length=50)
    controller_id = fields.resident_id(_("实际控制人身份证号"), blank=True)
    registered_capital = fields.money(_("注册资本（元）"))
    paid_in_capital = fields.money(_("实收资本（元）"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("法人治理与资本")
        verbose_name_plural = _("法人治理与资本")

    def __str__(self) -> str:
        return self.legal_rep_name


class Shareholder(Section):
    name = models.CharField(_("股东名称"), max_length=100)
    id_number = models.CharField(_("证件号码"), max_length=18)
    share_pct = fields.percent(_("持股比例（%）"))
    contribution = fields.money(_("出资额（元）"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("股东")
        verbose_name_plural = _("股东")

    def __str__(self) -> str:
        return self.name


class SpecialPermit(Section):
    name = models.CharField(_("许可证名称"), max_length=100)
    number = models.CharField(_("许可证编号"), max_length=50)
    expires_on = models.DateField(_("有效期至"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("特许经营许可")
        verbose_name_plural = _("特许经营许可")

    def __str__(self) -> str:
        return self.name


class FinancialStatement(Section):
    """Key figures of a period's statements; the full statements come with the analysis."""

    period_end = models.DateField(_("报表期末"))
    total_assets = fields.money(_("资产总额（元）"))
    total_liabilities = fields.money(_("负债总额（元）"))
    current_assets = fields.money(_("流动资产（元）"))
    current_liabilities = fields.money(_("流动负债（元）"))
    revenue = fields.money(_("营业收入（元）"))
    net_profit = models.DecimalField(_("净利润（元）"), max_digits=18, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("财务报表")
        verbose_name_plural = _("财务报表")
        constraints = [
            models.UniqueConstraint(fields=["customer", "period_end"], name="statement_period")
        ]

    def __str__(self) -> str:
        return self.period_end.isoformat()
