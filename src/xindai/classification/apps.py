from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClassificationConfig(AppConfig):
    name = "xindai.classification"
    label = "classification"
    verbose_name = _("五级分类")

    def ready(self) -> None:
        from xindai.audit.messages import register_labels

        register_labels(
            {
                "classification.proposed": _("提出五级分类认定"),
                "classification.first_approved": _("一级审批五级分类认定"),
                "classification.approved": _("二级审批通过五级分类认定"),
                "classification.rejected": _("驳回五级分类认定"),
                "classification.quarterly_run": _("季度五级分类"),
                "classification.observation_started": _("重组贷款进入观察期"),
            },
            {
                "classification.loanclass": _("贷款五级分类"),
                "classification.classproposal": _("五级分类认定"),
                "classification.quarterlyrun": _("季度五级分类"),
            },
        )
