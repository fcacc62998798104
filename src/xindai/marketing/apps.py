from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketingConfig(AppConfig):
    name = "xindai.marketing"
    label = "marketing"
    verbose_name = _("精准营销")
    default_auto_field = "django.db.models.BigAutoField"
