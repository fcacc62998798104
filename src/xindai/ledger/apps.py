from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "xindai.ledger"
    label = "ledger"
    verbose_name = _("总账")

    def ready(self) -> None:
        from xindai.audit.messages import register_labels

        register_labels(
            {"ledger.reconciled": _("总分核对")},
            {"ledger.journalentry": _("会计分录")},
        )
