from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketingConfig(AppConfig):
    name = "xindai.marketing"
    label = "marketing"
    verbose_name = _("精准营销")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from xindai.audit.messages import register_labels

        register_labels(
            {
                "marketing.campaign_created": _("发起营销活动"),
                "marketing.campaign_changed": _("修改营销活动"),
                "marketing.campaign_activated": _("启动营销活动"),
                "marketing.campaign_closed": _("结束营销活动"),
                "marketing.material_submitted": _("提交营销材料"),
                "marketing.material_approved": _("营销材料审查通过"),
                "marketing.material_rejected": _("营销材料审查退回"),
                "marketing.targets_built": _("生成目标客户名单"),
                "marketing.targets_assigned": _("分派目标客户"),
                "marketing.target_reassigned": _("改派目标客户"),
                "marketing.contact_logged": _("登记营销接触"),
                "marketing.consent_granted": _("记录客户授权"),
                "marketing.consent_withdrawn": _("记录客户撤回授权"),
                "marketing.channel_refused": _("记录客户拒绝渠道"),
                "marketing.channel_refusal_lifted": _("解除渠道拒绝"),
                "marketing.lead_converted": _("商机转入信贷申请"),
                "marketing.lead_dropped": _("放弃商机"),
                "marketing.roster.import": _("导入整村授信花名册"),
                "marketing.roster.weights": _("调整信用户评定权重"),
                "marketing.roster.publish": _("公示预授信名单"),
                "marketing.roster.decision": _("记录农户授信意愿"),
                "marketing.roster.convert": _("整村授信批量转入申请"),
                "marketing.funnel_exported": _("导出营销漏斗"),
            },
            {
                "marketing.campaign": _("营销活动"),
                "marketing.material": _("营销材料"),
                "marketing.target": _("目标客户"),
                "marketing.contact": _("营销接触"),
                "marketing.lead": _("营销商机"),
                "marketing.consent": _("客户授权"),
                "marketing.channelrefusal": _("渠道拒绝"),
                "marketing.villageroster": _("整村授信花名册"),
                "marketing.rosterhousehold": _("花名册农户"),
            },
        )
