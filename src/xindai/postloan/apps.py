from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PostloanConfig(AppConfig):
    name = "xindai.postloan"
    label = "postloan"
    verbose_name = _("贷后检查")

    def ready(self) -> None:
        from xindai.audit.messages import register_labels
        from xindai.loans.signals import eod_closed

        eod_closed.connect(_after_eod, dispatch_uid="postloan.after_eod")
        register_labels(
            {
                "postloan.daily_done": _("贷后日批"),
                "postloan.triggered": _("生成触发检查任务"),
                "postloan.reassigned": _("分派检查任务"),
                "postloan.recorded": _("提交贷后检查记录"),
            },
            {
                "postloan.inspectiontask": _("贷后检查任务"),
                "postloan.inspectionrecord": _("贷后检查记录"),
            },
        )


def _after_eod(sender: Any, *, today: Any, actor: Any = None, **kwargs: Any) -> None:
    from xindai.postloan.jobs import run_all

    run_all(today, actor=actor)
