from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EarlywarningConfig(AppConfig):
    name = "xindai.earlywarning"
    label = "earlywarning"
    verbose_name = _("风险预警")
