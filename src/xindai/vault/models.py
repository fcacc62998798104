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
