from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "xindai.scoring"
    verbose_name = _("客户评分")
    default_auto_field = "django.db.models.BigAutoField"
