from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoansConfig(AppConfig):
    name = "xindai.loans"
    label = "loans"
    verbose_name = _("贷款")

    def ready(self) -> None:
        from xindai.audit.messages import register_labels

        register_labels(
            {
                "loans.disbursed": _("放款"),
                "loans.split_flagged": _("疑似化整为零支付"),
                "loans.use_of_funds_reported": _("登记资金使用报告"),
                "loans.eod_done": _("日终批处理完成"),
                "loans.eod_failed": _("日终批处理失败"),
            },
            {"loans.loanaccount": _("贷款账户"), "loans.eodrun": _("日终批处理")},
        )
