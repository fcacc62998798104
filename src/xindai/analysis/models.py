"""Statements kept per customer and period, and the bounds of an industry's ratios."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from xindai.analysis import consistency
from xindai.analysis.schema import parse_sections
from xindai.analysis.statements import EnterpriseStatements, Period, StatementKind
from xindai.core.problems import Problem
from xindai.core.validators import validate_industry_code


class StatementKindChoice(models.TextChoices):
    ENTERPRISE = StatementKind.ENTERPRISE.value, _("企业财务报表")
    BUSINESS = StatementKind.BUSINESS.value, _("个体工商户简易报表")
    HOUSEHOLD = StatementKind.HOUSEHOLD.value, _("农户家庭收支表")


class StatementSet(models.Model):
    """One period's statements of a customer. ``items`` holds ``{section: {item: "amount"}}``
    (amounts as strings with two decimals; an item left out is not given)."""

    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("客户"),
        on_delete=models.CASCADE,
        related_name="statement_sets",
    )
    kind = models.CharField(_("报表类型"), max_length=12, choices=StatementKindChoice.choices)
    period_end = models.DateField(_("报表期末"))
    months = models.PositiveSmallIntegerField(
        _("期间月数"), default=12, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    items = models.JSONField(_("报表项目"), default=dict)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects: ClassVar[models.Manager[StatementSet]] = models.Manager()

    class Meta:
        verbose_name = _("财务报表（分析）")
        verbose_name_plural = _("财务报表（分析）")
        ordering = ["customer", "kind", "period_end"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "kind", "period_end"], name="analysis_statement_period"
            )
        ]

    def __str__(self) -> str:
        return f"{StatementKindChoice(self.kind).label} {self.period_end.isoformat()}"

    @property
    def period(self) -> Period:
        end = self.period_end
        return Period(end if isinstance(end, dt.date) else dt.date.fromisoformat(end), self.months)

    def sections(self) -> dict[str, Any]:
        """The stored items as statement sections (``BalanceSheet``, ...)."""
        sections, problems = parse_sections(StatementKind(self.kind), self.items)
        if problems:  # only the services write items, after the same parsing
            raise ValueError(f"stored statement {self.pk} is unreadable: {problems}")
        return sections

    def enterprise(self) -> EnterpriseStatements:
        s = self.sections()
        return EnterpriseStatements(
            self.period,
            s["balance_sheet"],
            s["income_statement"],
            s["cash_flow"],
            s["supplement"],
        )

    def warnings(self) -> list[Problem]:
        """Where an enterprise's statements do not add up (other kinds have no totals)."""
        if self.kind != StatementKind.ENTERPRISE:
            return []
        return consistency.check(self.enterprise())


class IndustryThreshold(models.Model):
    """Ratio bounds of an industry (GB/T 4754 code of 2–4 digits); the longest code that
    prefixes a customer's industry code applies, a blank bound keeps the default."""

    code = models.CharField(
        _("行业代码"), max_length=4, unique=True, validators=[validate_industry_code]
    )
    max_asset_liability_ratio = models.DecimalField(
        _("资产负债率上限（%）"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(100))],
    )
    min_current_ratio = models.DecimalField(
        _("流动比率下限（倍）"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    min_quick_ratio = models.DecimalField(
        _("速动比率下限（倍）"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    history = HistoricalRecords()
    objects: ClassVar[models.Manager[IndustryThreshold]] = models.Manager()

    class Meta:
        verbose_name = _("行业财务指标阈值")
        verbose_name_plural = _("行业财务指标阈值")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    def bounds(self) -> dict[str, Decimal | None]:
        return {
            "max_asset_liability_ratio": self.max_asset_liability_ratio,
            "min_current_ratio": self.min_current_ratio,
            "min_quick_ratio": self.min_quick_ratio,
        }
