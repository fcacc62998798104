from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DepositsConfig(AppConfig):
    name = "xindai.deposits"
    label = "deposits"
    verbose_name = _("存款账户")

    def ready(self) -> None:
        from xindai.audit.messages import register_labels

        register_labels(
            {"deposits.cash_in": _("柜面现金存入"), "deposits.cash_out": _("柜面现金支取")},
            {"deposits.depositaccount": _("存款账户")},
        )
