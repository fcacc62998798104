from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RepaymentsConfig(AppConfig):
    name = "xindai.repayments"
    label = "repayments"
    verbose_name = _("还款与冲正")

    def ready(self) -> None:
        from xindai.audit.messages import register_labels

        register_labels(
            {
                "repayments.posted": _("柜面还款"),
                "repayments.reversal_requested": _("申请还款冲正"),
                "repayments.reversed": _("审批冲正（已冲正）"),
                "repayments.reversal_rejected": _("驳回冲正申请"),
            },
            {
                "repayments.repayment": _("还款记录"),
                "repayments.reversal": _("冲正申请"),
            },
        )
