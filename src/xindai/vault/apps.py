from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VaultConfig(AppConfig):
    name = "xindai.vault"
    label = "vault"
    verbose_name = _("抵质押登记与库房")

    def ready(self) -> None:
        from xindai.audit.messages import register_labels

        register_labels(
            {
                "vault.registered": _("办理抵质押登记"),
                "vault.received": _("权证/质物入库"),
                "vault.release_requested": _("申请出库"),
                "vault.release_approved": _("审批同意出库"),
                "vault.release_refused": _("驳回出库申请"),
                "vault.reconciled": _("库房对账"),
                "vault.off_balance_exported": _("导出表外登记清单"),
                "loans.import": _("导入存量贷款"),
            },
            {
                "vault.registration": _("抵质押登记"),
                "vault.vaultitem": _("库房物品"),
                "loans.loanaccount": _("贷款账户"),
            },
        )
