from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "xindai.contracts"
    label = "contracts"
    verbose_name = _("信贷合同")

    def ready(self) -> None:
        from xindai.audit.messages import register_labels

        register_labels(
            {
                "contracts.generated": _("生成合同"),
                "contracts.voided": _("合同作废"),
                "contracts.checked": _("合同核对通过"),
                "contracts.signed": _("面签"),
                "contracts.signing_verified": _("签约复核通过"),
                "contracts.signing_rejected": _("签约复核未通过"),
                "contracts.downloaded": _("下载合同"),
                "contracts.template_uploaded": _("上传合同模板版本"),
                "contracts.template_approved": _("批准启用合同模板"),
            },
            {
                "contracts.contract": _("信贷合同"),
                "contracts.contracttemplate": _("合同模板"),
            },
        )
