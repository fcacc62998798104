"""Loan accounts (贷款账户): made once by a disbursement (issue 7) or by the import of an old
system's portfolio, with the schedule the schedule engine built. End-of-day (issue 8) adds the
servicing state."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xindai.core import fields
from xindai.products.models import RepaymentMethod

USER = settings.AUTH_USER_MODEL


class LoanStatus(models.TextChoices):
    NORMAL = "normal", _("正常")
    OVERDUE = "overdue", _("逾期")
    SETTLED = "settled", _("结清")
    WRITTEN_OFF = "written_off", _("核销")


class LoanSource(models.TextChoices):
    DISBURSED = "disbursed", _("本系统放款")
    IMPORTED = "imported", _("存量迁移")


class LoanAccount(models.Model):
    """A loan account. ``application`` and ``contract`` are unique: one application, one loan
    contract, one loan (the database refuses a second — disbursement happens exactly once).
    Imported loans have neither and carry the old system's number instead."""

    number = models.CharField(_("贷款账号"), max_length=32, unique=True)
    application = models.OneToOneField(
        "credit.CreditApplication",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="loan",
    )
    contract = models.OneToOneField(
        "contracts.Contract", null=True, blank=True, on_delete=models.PROTECT, related_name="loan"
    )
    legacy_number = models.CharField(  # NULL: not imported (unique when set)
        _("原系统借据号"), max_length=40, unique=True, null=True, blank=True
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="loans", verbose_name=_("客户")
    )
    product = models.ForeignKey(
        "products.LoanProduct", on_delete=models.PROTECT, verbose_name=_("贷款产品")
    )
    org_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("经办机构")
    )
    manager = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="managed_loans", verbose_name=_("管户客户经理")
    )
    source = models.CharField(_("来源"), max_length=10, choices=LoanSource.choices)
    principal = fields.money(_("贷款金额（元）"))
    annual_rate = models.DecimalField(_("执行年利率"), max_digits=9, decimal_places=6)
    term_months = models.PositiveSmallIntegerField(_("期限（月）"))
    repayment_method = models.CharField(
        _("还款方式"), max_length=20, choices=RepaymentMethod.choices
    )
    start_date = models.DateField(_("放款日"))
    maturity_date = models.DateField(_("到期日"))
    outstanding_principal = fields.money(_("贷款余额（元）"))
    status = models.CharField(
        _("状态"), max_length=12, choices=LoanStatus.choices, default=LoanStatus.NORMAL
    )
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("开户时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("贷款账户")
        verbose_name_plural = _("贷款账户")
        ordering = ["-start_date", "-pk"]
        permissions = [("disburse", _("可办理放款")), ("import_loans", _("可导入存量贷款"))]

    def __str__(self) -> str:
        return self.number


class ScheduleRow(models.Model):
    """One installment of a loan's repayment schedule (还款计划), as the engine built it."""

    loan = models.ForeignKey(LoanAccount, on_delete=models.CASCADE, related_name="schedule")
    period = models.PositiveSmallIntegerField(_("期次"))
    due_date = models.DateField(_("应还日"))
    principal = fields.money(_("应还本金（元）"))
    interest = fields.money(_("应还利息（元）"))
    payment = fields.money(_("应还合计（元）"))
    balance = fields.money(_("剩余本金（元）"))

    class Meta:
        verbose_name = _("还款计划")
        verbose_name_plural = _("还款计划")
        ordering = ["loan", "period"]
        constraints = [models.UniqueConstraint(fields=["loan", "period"], name="schedule_period")]

    def __str__(self) -> str:
        return f"{self.loan} #{self.period}"
