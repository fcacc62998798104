from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalysisConfig(AppConfig):
    name = "xindai.analysis"
    label = "analysis"
    verbose_name = _("财务分析")
