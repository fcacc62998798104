from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollectionConfig(AppConfig):
    name = "xindai.collection"
    label = "collection"
    verbose_name = _("不良清收")

    def ready(self) -> None:
        from xindai.audit.messages import register_labels

        register_labels(
            {
                "collection.opened": _("清收立案"),
                "collection.assigned": _("分派清收案件"),
                "collection.closed": _("清收结案"),
                "collection.action": _("登记清收记录"),
                "collection.interrupted": _("诉讼时效中断"),
                "collection.guarantee_period": _("修改保证期间"),
                "collection.restructuring_requested": _("申请贷款重组"),
                "collection.restructured": _("审批重组（已重组）"),
                "collection.restructuring_rejected": _("驳回重组申请"),
                "collection.writeoff_requested": _("申请贷款核销"),
                "collection.written_off": _("审批核销（已核销）"),
                "collection.writeoff_rejected": _("驳回核销申请"),
            },
            {
                "collection.collectioncase": _("清收案件"),
                "collection.restructuring": _("贷款重组"),
                "collection.writeoff": _("贷款核销"),
                "collection.limitationparty": _("诉讼时效"),
            },
        )
