from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditConfig(AppConfig):
    name = "xindai.credit"
    label = "credit"
    verbose_name = _("信贷申请")

    def ready(self) -> None:
        from xindai.audit.messages import register_labels

        register_labels(
            {
                "credit.application_created": _("新建信贷申请"),
                "credit.collateral_added": _("登记押品"),
                "credit.consent_recorded": _("登记征信查询授权"),
                "credit.credit_report_entered": _("录入征信报告摘要"),
                "credit.co_investigator_set": _("指定协办调查人"),
                "credit.admission_checked": _("准入检查"),
                "credit.admission_escalated": _("审慎类申请同意继续办理"),
                "credit.policy_changed": _("修改信贷政策"),
                "credit.submit": _("提交申请"),
                "credit.accept": _("受理"),
                "credit.start_investigation": _("开始实地调查"),
                "credit.submit_investigation": _("提交调查"),
                "credit.review": _("审查通过"),
                "credit.approve": _("审批通过"),
                "credit.reject": _("否决"),
                "credit.return_for_rework": _("退回补充调查"),
                "credit.withdraw": _("撤回申请"),
                "credit.disburse": _("放款"),
                "credit.settle": _("结清"),
                "credit.transfer_to_npl": _("移交不良清收"),
                "credit.write_off": _("核销"),
                "credit.investigation_saved": _("保存实地调查记录"),
                "credit.investigation_file_added": _("上传调查照片/证明"),
                "credit.investigation_confirmed": _("调查人确认"),
                "credit.investigation_confirmations_cleared": _("调查记录变动，确认作废"),
                "credit.limit_assessed": _("授信额度测算"),
                "credit.guarantor_assessed": _("保证人担保能力评估"),
                "credit.report_sections_saved": _("保存调查报告内容"),
                "credit.report_finalised": _("调查报告定稿"),
                "credit.report_downloaded": _("下载调查报告"),
                "credit.review_opinion": _("填写审查意见"),
                "credit.meeting_opened": _("召开审贷小组会议"),
                "credit.vote_recorded": _("记录审贷小组表决"),
                "credit.meeting_closed": _("审贷小组会议结束（形成决议）"),
                "credit.minutes_downloaded": _("下载审贷小组会议纪要"),
                "credit.approval_escalated": _("审批上报"),
                "credit.terms_approved": _("批复条款"),
                "credit.change_terms": _("变更批复"),
                "credit.terms_superseded": _("批复条款作废（变更）"),
                "credit.condition_met": _("落实批复条件"),
            },
            {
                "credit.creditapplication": _("信贷申请"),
                "credit.policyversion": _("信贷政策版本"),
                "credit.authorityrule": _("审批授权"),
            },
        )
