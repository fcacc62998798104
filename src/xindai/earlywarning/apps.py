from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EarlywarningConfig(AppConfig):
    name = "xindai.earlywarning"
    label = "earlywarning"
    verbose_name = _("风险预警")

    def ready(self) -> None:
        from xindai.audit.messages import register_labels

        register_labels(
            {
                "earlywarning.raised": _("发出风险预警"),
                "earlywarning.taken": _("受理风险预警"),
                "earlywarning.noted": _("记录预警处理情况"),
                "earlywarning.closed": _("关闭风险预警"),
                "earlywarning.revalued": _("录入押品重估"),
            },
            {
                "earlywarning.warning": _("风险预警"),
                "earlywarning.collateralrevaluation": _("押品重估"),
            },
        )
