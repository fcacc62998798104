"""抵质押登记与库房 (issue 7, point 6): registration of mortgages and pledges (他项权证), the vault
register of certificates and pledged items, and the off-balance-sheet list (表外登记)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xindai.core import fields

USER = settings.AUTH_USER_MODEL


class Registration(models.Model):
    """抵押/质押登记: the registry's record of a collateral item of an application."""

    collateral = models.OneToOneField(
        "credit.ApplicationCollateral", on_delete=models.PROTECT, related_name="registration"
    )
    registry = models.CharField(_("登记机关"), max_length=100)
    registered_on = models.DateField(_("登记日期"))
    certificate_no = models.CharField(_("他项权证号/登记证明号"), max_length=100)
    secured_amount = fields.money(_("担保债权金额（元）"))
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("抵质押登记")
        verbose_name_plural = _("抵质押登记")
        ordering = ["-registered_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["registry", "certificate_no"], name="certificate_once")
        ]

    def __str__(self) -> str:
        return self.certificate_no


class ItemKind(models.TextChoices):
    CERTIFICATE = "certificate", _("他项权证/登记证明")
    PLEDGED_ITEM = "pledged_item", _("质物/权利凭证")
    OTHER = "other", _("其他权利凭证")


class ItemStatus(models.TextChoices):
    IN = "in", _("在库")
    OUT = "out", _("已出库")


class VaultItem(models.Model):
    """An item kept in the vault (库房) as a valuable document (有价单证); while in, it is on the
    off-balance-sheet list at ``value``."""

    number = models.CharField(_("入库编号"), max_length=32, unique=True)
    application = models.ForeignKey(
        "credit.CreditApplication", on_delete=models.PROTECT, related_name="vault_items"
    )
    collateral = models.ForeignKey(
        "credit.ApplicationCollateral",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="vault_items",
    )
    registration = models.ForeignKey(
        Registration, null=True, blank=True, on_delete=models.PROTECT, related_name="vault_items"
    )
    kind = models.CharField(_("物品类别"), max_length=16, choices=ItemKind.choices)
    description = models.CharField(_("物品名称"), max_length=200)
    value = fields.money(_("表外登记金额（元）"))
    status = models.CharField(
        _("状态"), max_length=4, choices=ItemStatus.choices, default=ItemStatus.IN
    )
    received_on = models.DateField(_("入库日期"))
    received_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    released_on = models.DateField(_("出库日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("库房登记")
        verbose_name_plural = _("库房登记")
        ordering = ["-received_on", "-pk"]
        permissions = [("keep_vault", _("可办理出入库")), ("approve_release", _("可审批出库"))]

    def __str__(self) -> str:
        return self.number


class Direction(models.TextChoices):
    IN = "in", _("入库")
    OUT = "out", _("出库")


class MovementState(models.TextChoices):
    DONE = "done", _("已办理")
    PENDING = "pending", _("待审批")
    REFUSED = "refused", _("已驳回")


class VaultMovement(models.Model):
    """One movement of a vault item: 入库 (done at once), or 出库 — requested with a reason by a
    vault keeper, then approved (done) or refused by another person. ``amount`` is what the
    movement adds to (in) or takes from (out) the off-balance-sheet account (表外科目)."""

    item = models.ForeignKey(VaultItem, on_delete=models.PROTECT, related_name="movements")
    direction = models.CharField(_("方向"), max_length=4, choices=Direction.choices)
    state = models.CharField(_("状态"), max_length=8, choices=MovementState.choices)
    amount = fields.money(_("表外金额（元）"))
    reason = models.TextField(_("事由"), blank=True)
    unsettled_loan = models.BooleanField(_("贷款未结清出库"), default=False)
    requested_by = models.ForeignKey(
        USER, verbose_name=_("经办人"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("办理时间"), auto_now_add=True)
    business_date = models.DateField(_("会计日期"))
    approved_by = models.ForeignKey(
        USER,
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)

    class Meta:
        verbose_name = _("出入库记录")
        verbose_name_plural = _("出入库记录")
        ordering = ["item", "at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["item"],
                condition=models.Q(state="pending"),
                name="one_pending_release",
            )
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.get_direction_display()}"


class VaultSequence(models.Model):
    """The last 入库编号 of a year (KF<year><seq>), taken under a row lock."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("入库编号序列")
        verbose_name_plural = _("入库编号序列")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"
