"""Loan products (贷款产品) and the LPR quotations they are priced on.

Rates are fractions throughout, as the schedule engine takes them: 0.0435 is 4.35%.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from xindai.core import fields
from xindai.customers.models import CustomerKind
from xindai.loans.schedule import DayCount, InterestBasis, Method
from xindai.products import domain
from xindai.products.domain import Cycle, Pricing, PurposeClass


class LprRate(models.Model):
    """Loan Prime Rate (贷款市场报价利率) as published, effective from its date (the 20th)."""

    effective_date = models.DateField(_("生效日期"), unique=True)
    one_year = models.DecimalField(_("1年期 LPR"), max_digits=8, decimal_places=6)
    five_year = models.DecimalField(_("5年期以上 LPR"), max_digits=8, decimal_places=6)

    class Meta:
        verbose_name = _("LPR 报价")
        verbose_name_plural = _("LPR 报价")
        ordering = ["-effective_date"]

    def __str__(self) -> str:
        return f"{self.effective_date}: {self.one_year:.2%} / {self.five_year:.2%}"


# ---- the choices, with the engine's values and the bank's words ----------------------------


class MarketingRole(models.TextChoices):
    ACQUISITION = "acquisition", _("引流")
    RETENTION = "retention", _("粘性")
    PROFIT = "profit", _("利润")


class Purpose(models.TextChoices):
    CONSUMPTION = PurposeClass.CONSUMPTION.value, _("个人消费")
    PERSONAL_BUSINESS = PurposeClass.PERSONAL_BUSINESS.value, _("个人经营")
    WORKING_CAPITAL = PurposeClass.WORKING_CAPITAL.value, _("流动资金")
    FIXED_ASSET = PurposeClass.FIXED_ASSET.value, _("固定资产")
    FARMER = PurposeClass.FARMER.value, _("农户")


class PricingKind(models.TextChoices):
    FIXED = Pricing.FIXED.value, _("固定利率")
    LPR_1Y = Pricing.LPR_1Y.value, _("1年期 LPR 加点")
    LPR_5Y = Pricing.LPR_5Y.value, _("5年期以上 LPR 加点")


class RepaymentMethod(models.TextChoices):
    EQUAL_INSTALLMENT = Method.EQUAL_INSTALLMENT.value, _("等额本息")
    EQUAL_PRINCIPAL = Method.EQUAL_PRINCIPAL.value, _("等额本金")
    INTEREST_ONLY = Method.INTEREST_ONLY.value, _("按期付息、到期还本")
    BULLET = Method.BULLET.value, _("利随本清")


FLAT_LABEL = _("平息法（仅供比较）")


class DayCountChoice(models.TextChoices):
    ACTUAL_360 = DayCount.ACTUAL_360.value, _("实际天数/360")
    ACTUAL_365 = DayCount.ACTUAL_365.value, _("实际天数/365")
    THIRTY_360 = DayCount.THIRTY_360.value, _("30/360")


class InterestBasisChoice(models.TextChoices):
    PERIOD = InterestBasis.PERIOD.value, _("按期（年利率÷12 或 ÷4）")
    DAILY = InterestBasis.DAILY.value, _("按日（实际天数×日利率）")


class CycleChoice(models.TextChoices):
    MONTHLY = Cycle.MONTHLY.value, _("按月")
    QUARTERLY = Cycle.QUARTERLY.value, _("按季")


class Guarantee(models.TextChoices):
    CREDIT = "credit", _("信用")
    GUARANTEE = "guarantee", _("保证")
    MORTGAGE = "mortgage", _("抵押")
    PLEDGE = "pledge", _("质押")


class ChoiceListField(models.JSONField):
    """Several of a fixed set of choices, stored as a JSON list and edited as checkboxes."""

    def __init__(self, *args: Any, item_choices: Iterable[tuple[str, Any]] = (), **kwargs: Any):
        self.item_choices = list(item_choices)
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)  # "choose at least one" is a rule of the model's clean
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["item_choices"] = self.item_choices
        return name, path, args, kwargs

    def validate(self, value: Any, model_instance: Any) -> None:
        super().validate(value, model_instance)
        allowed = {key for key, _label in self.item_choices}
        if not isinstance(value, list) or not set(value) <= allowed:
            raise ValidationError(gettext("选项不在可选范围内"), code="invalid_choice")

    def formfield(self, **kwargs: Any) -> Any:  # type: ignore[override]
        return forms.MultipleChoiceField(
            label=self.verbose_name,
            help_text=self.help_text,
            required=False,
            choices=self.item_choices,
            widget=forms.CheckboxSelectMultiple,
        )


def _rate(label: Any, **kwargs: Any) -> models.DecimalField:
    """An annual rate as a fraction (0.0435 = 4.35%)."""
    kwargs.setdefault("help_text", _("小数表示，如 0.0435 即 4.35%"))
    return models.DecimalField(label, max_digits=8, decimal_places=6, **kwargs)


class LoanProduct(models.Model):
    """A loan product of the catalogue: who may borrow, for what, how much, how long, at what
    price, repaid how, secured how, and how it is paid out and watched after the loan."""

    code = models.CharField(_("产品代码"), max_length=20, unique=True)
    name = models.CharField(_("产品名称"), max_length=60)
    marketing_role = models.CharField(
        _("营销定位"), max_length=12, choices=MarketingRole.choices, default=MarketingRole.PROFIT
    )
    description = models.TextField(_("产品说明"), blank=True)
    customer_kinds = ChoiceListField(_("适用客户"), item_choices=CustomerKind.choices)
    purpose = models.CharField(_("贷款用途类别"), max_length=20, choices=Purpose.choices)
    long_cycle = models.BooleanField(
        _("长周期"),
        default=False,
        help_text=_("经营现金流回笼周期长：个人经营贷款最长可至 10 年、流动资金贷款可至 5 年"),
    )
    min_amount = fields.money(_("最低金额（元）"))
    max_amount = fields.money(_("最高金额（元）"))
    min_term = models.PositiveSmallIntegerField(_("最短期限（月）"), default=1)
    max_term = models.PositiveSmallIntegerField(_("最长期限（月）"))
    pricing = models.CharField(
        _("定价方式"), max_length=10, choices=PricingKind.choices, default=PricingKind.LPR_1Y
    )
    fixed_rate = _rate(_("固定年利率"), null=True, blank=True)
    spread_bp = models.IntegerField(
        _("LPR 加点（基点）"), null=True, blank=True, help_text=_("1 个基点 = 0.01%，可为负数")
    )
    floor_rate = _rate(_("利率下限"), null=True, blank=True)
    ceiling_rate = _rate(_("利率上限"), null=True, blank=True)
    repayment_methods = ChoiceListField(_("还款方式"), item_choices=RepaymentMethod.choices)
    day_count = models.CharField(
        _("计息天数惯例"),
        max_length=12,
        choices=DayCountChoice.choices,
        default=DayCountChoice.ACTUAL_360,
    )
    interest_basis = models.CharField(
        _("计息基础"),
        max_length=8,
        choices=InterestBasisChoice.choices,
        default=InterestBasisChoice.PERIOD,
    )
    settlement_cycle = models.CharField(
        _("结息周期"),
        max_length=10,
        choices=CycleChoice.choices,
        default=CycleChoice.MONTHLY,
        help_text=_("结息日为每月 20 日（按季：每季末月 20 日）"),
    )
    guarantee_methods = ChoiceListField(_("担保方式"), item_choices=Guarantee.choices)
    penalty_markup = models.DecimalField(
        _("逾期罚息上浮比例"),
        max_digits=4,
        decimal_places=2,
        default=domain.PENALTY_MARKUP_DEFAULT,
        help_text=_("罚息利率 = 合同利率 ×（1 + 上浮比例），0.3–0.5"),
    )
    misuse_markup = models.DecimalField(
        _("挪用罚息上浮比例"),
        max_digits=4,
        decimal_places=2,
        default=domain.MISUSE_MARKUP_DEFAULT,
        help_text=_("挤占挪用罚息利率 = 合同利率 ×（1 + 上浮比例），0.5–1.0"),
    )
    entrusted_threshold = fields.money(
        _("受托支付起点（元）"),
        null=True,
        blank=True,
        default=None,
        help_text=_("单笔支付超过此金额须受托支付；留空按用途类别的监管默认值"),
    )
    first_inspection_days = models.PositiveSmallIntegerField(
        _("首次跟踪检查（放款后天数）"), default=domain.FIRST_INSPECTION_DAYS_DEFAULT
    )
    inspection_cycle = models.CharField(
        _("常规检查频率"), max_length=10, choices=CycleChoice.choices, default=CycleChoice.QUARTERLY
    )
    is_active = models.BooleanField(_("在售"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    settlement_day = domain.SETTLEMENT_DAY  # 结息日, the same for every product

    class Meta:
        verbose_name = _("贷款产品")
        verbose_name_plural = _("贷款产品")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._default_threshold()
        super().save(*args, **kwargs)

    def _default_threshold(self) -> None:
        if self.entrusted_threshold is None and self.purpose in Purpose.values:
            self.entrusted_threshold = domain.ENTRUSTED_THRESHOLD[PurposeClass(self.purpose)]

    def clean(self) -> None:
        self._default_threshold()
        rules = self._rules()
        if rules is None:
            return  # a field is missing or malformed: clean_fields says which
        errors: dict[str, list[str]] = {}
        for problem in domain.problems_of(rules):
            errors.setdefault(problem.field, []).append(problem.text(gettext))
        if errors:
            raise ValidationError(errors)

    def _rules(self) -> domain.ProductRules | None:
        try:
            return domain.ProductRules(
                purpose=PurposeClass(self.purpose),
                long_cycle=self.long_cycle,
                customer_kinds=frozenset(self.customer_kinds or ()),
                min_amount=Decimal(self.min_amount),
                max_amount=Decimal(self.max_amount),
                min_term=int(self.min_term),
                max_term=int(self.max_term),
                pricing=Pricing(self.pricing),
                fixed_rate=self.fixed_rate,
                spread_bp=self.spread_bp,
                floor_rate=self.floor_rate,
                ceiling_rate=self.ceiling_rate,
                methods=frozenset(self.repayment_methods or ()),
                guarantees=frozenset(self.guarantee_methods or ()),
                penalty_markup=Decimal(self.penalty_markup),
                misuse_markup=Decimal(self.misuse_markup),
                entrusted_threshold=Decimal(self.entrusted_threshold or 0),
                first_inspection_days=int(self.first_inspection_days),
                inspection_cycle=Cycle(self.inspection_cycle),
            )
        except (TypeError, ValueError, ArithmeticError):
            return None

    def customer_kind_labels(self) -> list[str]:
        return _labels(CustomerKind, self.customer_kinds)

    def repayment_method_labels(self) -> list[str]:
        return _labels(RepaymentMethod, self.repayment_methods)

    def guarantee_labels(self) -> list[str]:
        return _labels(Guarantee, self.guarantee_methods)

    def effective_rate(self, as_of: dt.date) -> Decimal:
        """The annual rate of a loan priced on ``as_of``: the fixed rate, or the LPR quoted on
        that date plus the spread, kept within the floor and ceiling."""
        from xindai.products.lpr import lpr_on  # lpr reads this module's LprRate

        if self.pricing == PricingKind.FIXED:
            rate = self.fixed_rate or Decimal(0)
        else:
            quote = lpr_on(as_of)
            base = quote.one_year if self.pricing == PricingKind.LPR_1Y else quote.five_year
            rate = domain.lpr_priced(base, self.spread_bp or 0)
        return domain.clamped(rate, self.floor_rate, self.ceiling_rate)


def _labels(choices: type[models.TextChoices], values: Iterable[str]) -> list[str]:
    shown = dict(choices.choices)
    return [str(shown.get(value, value)) for value in values]
