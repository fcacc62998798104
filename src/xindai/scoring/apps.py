from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "xindai.scoring"
    label = "scoring"
    verbose_name = _("客户评分")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from xindai.audit.messages import register_labels

        register_labels(
            {
                "scoring.imported": _("导入存量客户数据"),
                "scoring.trained": _("训练评分模型"),
                "scoring.approved": _("批准评分模型"),
                "scoring.rejected": _("否决评分模型"),
                "scoring.retired": _("停用评分模型"),
                "scoring.scored": _("批量评分"),
                "scoring.monitored": _("模型监测"),
                "scoring.opted_out": _("客户拒绝个性化营销"),
            },
            {
                "scoring.importbatch": _("存量数据导入批次"),
                "scoring.scoringmodel": _("评分模型"),
                "scoring.scorerun": _("批量评分"),
                "scoring.stockcustomer": _("存量客户"),
            },
        )
