"""Loan accounts (贷款账户): made once by a disbursement (issue 7) or by the import of an old
system's portfolio, with the schedule the schedule engine built. End-of-day (issue 8) adds the
servicing state."""

from __future__ import annotations

from typing import Any

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
    # The same figures in fen, for the end-of-day's SQL (exact on SQLite too).
    principal_fen = models.BigIntegerField(default=0)
    interest_fen = models.BigIntegerField(default=0)
    days = models.PositiveSmallIntegerField(_("计息天数"), default=0)

    class Meta:
        verbose_name = _("还款计划")
        verbose_name_plural = _("还款计划")
        ordering = ["loan", "period"]
        constraints = [models.UniqueConstraint(fields=["loan", "period"], name="schedule_period")]
        indexes = [models.Index(fields=["due_date", "loan"], name="schedule_due")]

    def __str__(self) -> str:
        return f"{self.loan} #{self.period}"


# ---- 放款 (issue 7) ---------------------------------------------------------------------------


class PaymentMode(models.TextChoices):
    ENTRUSTED = "entrusted", _("受托支付")
    SELF = "self", _("自主支付")


class Disbursement(models.Model):
    """放款: once per application (``application`` and ``loan`` unique) and once per request
    (``idempotency_key`` unique: a retry of the same request finds this row instead of paying
    again). ``flags`` are the rules' findings for 风险合规 (e.g. a split payment)."""

    application = models.OneToOneField(
        "credit.CreditApplication", on_delete=models.PROTECT, related_name="disbursement"
    )
    loan = models.OneToOneField(LoanAccount, on_delete=models.PROTECT, related_name="disbursement")
    approved_terms = models.ForeignKey(
        "credit.ApprovedTerms", on_delete=models.PROTECT, related_name="+"
    )
    amount = fields.money(_("放款金额（元）"))
    value_date = models.DateField(_("放款日（会计日期）"))
    payment_mode = models.CharField(_("支付方式"), max_length=10, choices=PaymentMode.choices)
    cash_reason = models.CharField(
        _("交易对象不具备非现金结算条件的说明"), max_length=200, blank=True
    )
    new_customer_average_credit = models.BooleanField(_("新客户且信用一般"), default=False)
    entrusted_line = fields.money(_("受托支付起点（元）"))
    flags: Any = models.JSONField(_("风险提示"), default=list, blank=True)
    idempotency_key = models.CharField(_("请求幂等键"), max_length=64, unique=True)
    disbursed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("放款时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("放款记录")
        verbose_name_plural = _("放款记录")
        ordering = ["-value_date", "-pk"]

    def __str__(self) -> str:
        return f"{self.loan} {self.amount}"


class Payment(models.Model):
    """A payment of a disbursement: paid by the bank to the counterparty (受托支付), or the
    borrower's declared use (自主支付)."""

    disbursement = models.ForeignKey(
        Disbursement, on_delete=models.CASCADE, related_name="payments"
    )
    counterparty_name = models.CharField(_("收款方（交易对手）"), max_length=100)
    account = models.CharField(_("收款账号"), max_length=40, blank=True)
    bank = models.CharField(_("开户行"), max_length=100, blank=True)
    amount = fields.money(_("支付金额（元）"))
    evidence = models.CharField(_("用途证明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("支付明细")
        verbose_name_plural = _("支付明细")
        ordering = ["disbursement", "pk"]

    def __str__(self) -> str:
        return f"{self.counterparty_name} {self.amount}"


class UseOfFundsReport(models.Model):
    """自主支付: the borrower's report of how the money was used, due ``due_on``; filed when
    ``reported_on`` is set."""

    loan = models.ForeignKey(LoanAccount, on_delete=models.CASCADE, related_name="use_reports")
    due_on = models.DateField(_("应报告日"))
    reported_on = models.DateField(_("报告日期"), null=True, blank=True)
    amount_used = fields.money(_("已使用金额（元）"))
    description = models.TextField(_("资金使用情况"), blank=True)
    evidence = models.FileField(_("凭证"), upload_to="use_of_funds/%Y/%m/", blank=True)
    reported_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("贷款资金使用报告")
        verbose_name_plural = _("贷款资金使用报告")
        ordering = ["loan", "due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.loan} {self.due_on}"


from xindai.loans.models_servicing import EodRun, FiveCategory, LoanState, RunStatus  # noqa: E402

__all__ = ["EodRun", "FiveCategory", "LoanState", "RunStatus"]
