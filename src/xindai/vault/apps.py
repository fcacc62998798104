from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VaultConfig(AppConfig):
    name = "xindai.vault"
    label = "vault"
    verbose_name = _("抵质押登记与库房")
