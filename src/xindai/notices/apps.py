from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "xindai.notices"
    label = "notices"
    verbose_name = _("通知书与送达")

    def ready(self) -> None:
        from xindai.audit.messages import register_labels

        register_labels(
            {
                "notices.issued": _("发出催收通知书"),
                "notices.delivered": _("登记通知书送达"),
                "notices.receipted": _("上传通知书签收回执"),
            },
            {"notices.notice": _("通知书")},
        )
