from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomersConfig(AppConfig):
    name = "xindai.customers"
    label = "customers"
    verbose_name = _("客户档案")

    def ready(self) -> None:
        from django.utils.text import format_lazy

        from xindai.audit.messages import register_labels
        from xindai.customers.sections import SECTIONS

        verbs = {"create": _("新增：{}"), "change": _("修改：{}"), "delete": _("删除：{}")}
        register_labels(
            {
                f"customers.{spec.key}.{verb}": format_lazy(pattern, spec.label)
                for spec in SECTIONS
                for verb, pattern in verbs.items()
            },
            {f"customers.{spec.model._meta.model_name}": spec.label for spec in SECTIONS},
        )

        register_labels(
            {
                "customers.customer.create": _("新建客户"),
                "customers.customer.change": _("修改客户"),
                "customers.archive.confirm": _("确认梳理"),
                "customers.pii.view": _("查看完整个人信息"),
                "customers.import": _("批量导入客户"),
                "customers.export": _("导出客户清单"),
                "customers.document.download": _("下载档案资料"),
                "customers.demo.seed": _("载入演示档案"),
                "customers.soft_info.create": _("记录软信息"),
                "customers.relationship.create": _("登记客户关系"),
                "customers.document.create": _("上传档案资料"),
                "customers.document.change": _("修改资料有效期"),
            },
            {
                "customers.customer": _("客户"),
                "customers.document": _("档案资料"),
                "customers.softinfo": _("软信息"),
                "customers.relationship": _("客户关系"),
            },
        )
