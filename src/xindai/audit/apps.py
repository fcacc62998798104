from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "xindai.audit"
    label = "audit"
    verbose_name = _("审计")

    def ready(self) -> None:
        from xindai.audit import signals

        signals.connect()
