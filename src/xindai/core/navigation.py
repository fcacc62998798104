"""The navigation of the UI shell: one list, filtered by what the user may open.

Entries whose capability is not built yet carry ``url_name=None`` and are shown disabled
("即将上线"), so staff see where the workbench is going without reaching an empty page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    key: str
    label: Any
    icon: str
    url_name: str | None = None
    permission: str | None = None
    children: tuple[NavItem, ...] = field(default_factory=tuple)


NAVIGATION: tuple[NavItem, ...] = (
    NavItem(
        "workbench", _("工作台"), "speedometer2", "dashboard:workbench", "dashboard.view_workbench"
    ),
    NavItem(
        "customers", _("客户档案"), "person-vcard", "customers:list", "customers.view_customer"
    ),
    NavItem(
        "marketing",
        _("精准营销"),
        "bullseye",
        children=(
            NavItem(
                "stock_customers",
                _("存量客户"),
                "people",
                "scoring:customers",
                "scoring.view_stockcustomer",
            ),
            NavItem(
                "grades",
                _("客户分级"),
                "bar-chart-steps",
                "scoring:grades",
                "scoring.view_customerscore",
            ),
            NavItem(
                "scoring_models",
                _("评分模型"),
                "cpu",
                "scoring:models",
                "scoring.view_scoringmodel",
            ),
            NavItem(
                "score_runs", _("批量评分"), "play-circle", "scoring:runs", "scoring.view_scorerun"
            ),
            NavItem(
                "stock_imports",
                _("存量数据导入"),
                "cloud-upload",
                "scoring:imports",
                "scoring.view_importbatch",
            ),
            NavItem(
                "workbench_marketing",
                _("营销工作台"),
                "briefcase",
                "marketing:workbench",
                "marketing.work_targets",
            ),
            NavItem(
                "campaigns",
                _("营销活动"),
                "megaphone",
                "marketing:campaigns",
                "marketing.view_campaign",
            ),
            NavItem(
                "materials",
                _("营销材料"),
                "file-earmark-richtext",
                "marketing:materials",
                "marketing.view_material",
            ),
            NavItem("leads", _("营销商机"), "lightbulb", "marketing:leads", "marketing.view_lead"),
            NavItem(
                "contacts",
                _("接触记录"),
                "chat-left-text",
                "marketing:contacts",
                "marketing.view_contact",
            ),
            NavItem(
                "village_credit",
                _("整村授信"),
                "houses",
                "marketing:rosters",
                "marketing.view_villageroster",
            ),
            NavItem("funnel", _("营销漏斗"), "funnel", "marketing:funnel", "marketing.view_funnel"),
        ),
    ),
    NavItem(
        "credit",
        _("信贷流程"),
        "diagram-3",
        children=(
            NavItem(
                "products", _("贷款产品"), "box-seam", "products:list", "products.view_loanproduct"
            ),
            NavItem(
                "calculator",
                _("贷款试算"),
                "calculator",
                "loans:calculator",
                "loans.use_calculator",
            ),
            NavItem(
                "intake", _("申请受理"), "inbox", "credit:list", "credit.view_creditapplication"
            ),
            NavItem("investigation", _("实地调查"), "geo-alt"),
            NavItem(
                "review",
                _("审贷分析"),
                "clipboard-check",
                "credit:review_queue",
                "credit.view_creditapplication",
            ),
            NavItem(
                "approval",
                _("审批"),
                "check2-square",
                "credit:approval_queue",
                "credit.view_creditapplication",
            ),
            NavItem("disbursement", _("贷款拨付"), "cash-coin", "loans:queue", "loans.disburse"),
            NavItem(
                "contracts",
                _("信贷合同"),
                "file-earmark-text",
                "contracts:list",
                "contracts.view_contract",
            ),
        ),
    ),
    NavItem(
        "postloan",
        _("贷后管理"),
        "binoculars",
        children=(
            NavItem(
                "loan_accounts",
                _("贷款账户"),
                "wallet2",
                "loans:accounts",
                "loans.view_loanaccount",
            ),
            NavItem(
                "repayments",
                _("柜面还款"),
                "cash-stack",
                "repayments:counter",
                "repayments.add_repayment",
            ),
            NavItem(
                "reversals",
                _("冲正审批"),
                "arrow-counterclockwise",
                "repayments:reversals",
                "repayments.view_repayment",
            ),
            NavItem(
                "deposits",
                _("存款账户"),
                "piggy-bank",
                "deposits:accounts",
                "deposits.view_depositaccount",
            ),
            NavItem(
                "classification",
                _("五级分类"),
                "clipboard-data",
                "classification:ledger",
                "classification.view_loanclass",
            ),
            NavItem(
                "class_proposals",
                _("分类认定审批"),
                "check2-square",
                "classification:proposals",
                "classification.view_loanclass",
            ),
            NavItem(
                "asset_quality",
                _("资产质量"),
                "graph-up",
                "classification:quality",
                "classification.view_loanclass",
            ),
            NavItem(
                "quarterly_classification",
                _("季度分类"),
                "calendar3",
                "classification:quarterly",
                "classification.view_loanclass",
            ),
            NavItem(
                "inspections",
                _("我的检查任务"),
                "clipboard-check",
                "postloan:queue",
                "postloan.view_inspectiontask",
            ),
            NavItem(
                "inspection_unit",
                _("机构检查任务"),
                "list-task",
                "postloan:unit",
                "postloan.view_inspectiontask",
            ),
            NavItem(
                "inspection_compliance",
                _("检查合规"),
                "bar-chart",
                "postloan:compliance",
                "postloan.view_inspectiontask",
            ),
            NavItem(
                "notices", _("通知书"), "envelope-paper", "notices:list", "notices.view_notice"
            ),
            NavItem(
                "warnings",
                _("风险预警"),
                "exclamation-triangle",
                "earlywarning:list",
                "earlywarning.view_warning",
            ),
            NavItem("vault", _("库房登记簿"), "safe", "vault:items", "vault.view_vaultitem"),
            NavItem(
                "off_balance",
                _("表外登记"),
                "journal-text",
                "vault:off_balance",
                "vault.view_vaultitem",
            ),
            NavItem(
                "vault_reconciliation",
                _("库房对账"),
                "check2-all",
                "vault:reconciliation",
                "vault.view_vaultitem",
            ),
        ),
    ),
    NavItem(
        "collection",
        _("不良清收"),
        "exclamation-octagon",
        children=(
            NavItem(
                "collection_cases",
                _("清收案件"),
                "folder2-open",
                "collection:list",
                "collection.view_collectioncase",
            ),
            NavItem(
                "collection_mine",
                _("我的清收案件"),
                "person-check",
                "collection:mine",
                "collection.work_case",
            ),
            NavItem(
                "collection_approvals",
                _("重组与核销审批"),
                "check2-square",
                "collection:approvals",
                "collection.view_collectioncase",
            ),
            NavItem(
                "collection_alerts",
                _("诉讼时效即将届满"),
                "hourglass-split",
                "collection:alerts",
                "collection.view_collectioncase",
            ),
            NavItem(
                "collection_dashboard",
                _("清收看板"),
                "graph-up",
                "collection:dashboard",
                "collection.view_collectioncase",
            ),
        ),
    ),
    NavItem("reports", _("报表"), "bar-chart-line"),
    NavItem(
        "system",
        _("系统管理"),
        "gear",
        children=(
            NavItem("units", _("机构"), "diagram-2", "org:units", "org.view_orgunit"),
            NavItem("staff", _("员工"), "people", "org:staff", "org.view_user"),
            NavItem(
                "audit", _("审计日志"), "shield-check", "audit:events", "audit.view_auditevent"
            ),
            NavItem(
                "trial_balance",
                _("试算平衡表"),
                "journal-check",
                "ledger:trial_balance",
                "ledger.view_journalentry",
            ),
            NavItem(
                "ledger_reconciliation",
                _("总分核对"),
                "check2-circle",
                "ledger:reconciliation",
                "ledger.view_journalentry",
            ),
            NavItem(
                "eod_runs",
                _("日终批处理"),
                "moon-stars",
                "loans:eod_runs",
                "loans.view_loanaccount",
            ),
            NavItem(
                "contract_templates",
                _("合同模板版本"),
                "files",
                "contracts:templates",
                "contracts.view_contracttemplate",
            ),
            NavItem(
                "loan_import",
                _("存量贷款导入"),
                "file-earmark-arrow-up",
                "loans:import",
                "loans.import_loans",
            ),
        ),
    ),
)


@dataclass(frozen=True)
class ShownItem:
    key: str
    label: Any
    icon: str
    url: str | None
    active: bool
    children: tuple[ShownItem, ...] = ()


def _shown(item: NavItem, user: Any, path: str) -> ShownItem | None:
    if item.children:
        children = tuple(c for c in (_shown(ch, user, path) for ch in item.children) if c)
        if not children:
            return None
        return ShownItem(
            item.key, item.label, item.icon, None, any(c.active for c in children), children
        )
    if item.url_name is None:
        return ShownItem(item.key, item.label, item.icon, None, False)
    if item.permission and not user.has_perm(item.permission):
        return None
    url = reverse(item.url_name)
    active = path == url if url == "/" else path.startswith(url)
    return ShownItem(item.key, item.label, item.icon, url, active)


def navigation_for(user: Any, path: str) -> list[ShownItem]:
    return [shown for shown in (_shown(item, user, path) for item in NAVIGATION) if shown]
