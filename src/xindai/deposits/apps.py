from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DepositsConfig(AppConfig):
    name = "xindai.deposits"
    label = "deposits"
    verbose_name = _("存款账户")
