"""The roles of the outline's credit process as Django groups with their permissions."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy as _


class Role(StrEnum):
    MANAGER = "manager"
    CO_INVESTIGATOR = "co_investigator"
    REVIEWER = "reviewer"
    COMMITTEE = "committee"
    APPROVER = "approver"
    DISBURSEMENT = "disbursement"
    POSTLOAN = "postloan"
    COLLECTION = "collection"
    RISK = "risk"
    BRANCH_HEAD = "branch_head"
    ADMIN = "admin"


@dataclass(frozen=True)
class RoleSpec:
    role: Role
    group_name: str  # the Django group's name: Chinese, as bank staff call the role
    label: Any  # shown to users, translated
    permissions: tuple[str, ...]
    own_records_only: bool = False  # sees his own (and shared) records, not the whole unit
    admin_site: bool = False  # may use the Django admin


BASE = (
    "dashboard.view_workbench",
    "org.view_orgunit",
    "org.view_user",
    "products.view_loanproduct",
    "products.view_lprrate",
)
AUDIT = ("audit.view_auditevent", "audit.verify_chain")
VIEW_CUSTOMERS = ("customers.view_customer",)
EDIT_CUSTOMERS = ("customers.view_customer", "customers.add_customer", "customers.change_customer")
FULL_PII = ("customers.view_full_pii",)
CALCULATOR = ("loans.use_calculator",)
VIEW_APPLICATIONS = ("credit.view_creditapplication", "credit.view_admissioncheck")
EDIT_APPLICATIONS = (
    *VIEW_APPLICATIONS,
    "credit.add_creditapplication",
    "credit.change_creditapplication",
)
EDIT_POLICY = (
    "credit.edit_policy",
    "credit.view_policyversion",
    "credit.add_policyversion",
    "credit.view_industrypolicy",
    "credit.add_industrypolicy",
    "credit.change_industrypolicy",
    "credit.view_risklistentry",
    "credit.add_risklistentry",
    "credit.change_risklistentry",
    "credit.view_authorityrule",
    "credit.add_authorityrule",
    "credit.change_authorityrule",
    "contracts.view_contracttemplate",
    "contracts.add_contracttemplate",
    "contracts.approve_contracttemplate",
    "analysis.view_industrythreshold",
    "analysis.add_industrythreshold",
    "analysis.change_industrythreshold",
)
# Issue 7: contracts, signing, registration, vault, disbursement and loan accounts.
VIEW_LOANS = (
    "contracts.view_contract",
    "vault.view_registration",
    "vault.view_vaultitem",
    "loans.view_loanaccount",
)
MAKE_CONTRACTS = (
    "contracts.add_contract",
    "contracts.sign_contract",
    "vault.add_registration",
)
VERIFY = ("contracts.verify_signing",)
# Issue 8: deposits, repayments and the ledger.
VIEW_DEPOSITS = ("deposits.view_depositaccount",)
VIEW_REPAYMENTS = ("repayments.view_repayment",)
TELLER = (
    *VIEW_DEPOSITS,
    *VIEW_REPAYMENTS,
    "deposits.cash_teller",
    "repayments.add_repayment",
    "repayments.add_reversal",
    "repayments.approve_reversal",
    "ledger.view_journalentry",
)
KEEP_VAULT = ("vault.keep_vault", "loans.disburse")
# Issue 9: post-loan management and NPL collection.
VIEW_POSTLOAN = (
    "postloan.view_inspectiontask",
    "notices.view_notice",
    "earlywarning.view_warning",
    "classification.view_loanclass",
    "collection.view_collectioncase",
)
INSPECT = ("postloan.inspect", "notices.send_notice", "earlywarning.handle_warning")
# Issue 10: stock-customer data, scores, grades and the model registry.
VIEW_SCORES = (
    "scoring.view_stockcustomer",
    "scoring.view_customerscore",
    "scoring.view_scoringmodel",
)
SCORING_OPS = (
    "scoring.view_importbatch",
    "scoring.view_scorerun",
    "scoring.view_monitoringreport",
)
# Issue 11: campaigns, target lists, the workbench, consent, 整村授信 and the funnel.
VIEW_MARKETING = (
    "marketing.view_campaign",
    "marketing.view_material",
    "marketing.view_target",
    "marketing.view_contact",
    "marketing.view_lead",
    "marketing.view_consent",
    "marketing.view_channelrefusal",
    "marketing.view_villageroster",
    "marketing.view_funnel",
)
WORK_MARKETING = (
    "marketing.work_targets",
    "marketing.add_contact",
    "marketing.add_lead",
    "marketing.add_consent",
    "marketing.add_channelrefusal",
)
RUN_CAMPAIGNS = (
    "marketing.manage_campaign",
    "marketing.add_campaign",
    "marketing.change_campaign",
    "marketing.add_material",
    "marketing.add_villageroster",
    "marketing.change_villageroster",
)
EDIT_PRODUCTS = (
    "products.add_loanproduct",
    "products.change_loanproduct",
    "products.add_lprrate",
    "products.change_lprrate",
)

ROLE_SPECS: tuple[RoleSpec, ...] = (
    RoleSpec(
        Role.MANAGER,
        "客户经理",
        _("客户经理"),
        BASE
        + EDIT_CUSTOMERS
        + FULL_PII
        + CALCULATOR
        + EDIT_APPLICATIONS
        + VIEW_LOANS
        + MAKE_CONTRACTS
        + VIEW_DEPOSITS
        + VIEW_POSTLOAN
        + INSPECT
        + VIEW_SCORES
        + VIEW_MARKETING
        + WORK_MARKETING,
        own_records_only=True,
    ),
    RoleSpec(
        Role.CO_INVESTIGATOR,
        "协办调查人",
        _("协办调查人"),
        BASE + VIEW_CUSTOMERS + FULL_PII + CALCULATOR + VIEW_APPLICATIONS + VIEW_LOANS,
        own_records_only=True,
    ),
    RoleSpec(
        Role.REVIEWER,
        "审查员",
        _("审查员"),
        BASE + VIEW_CUSTOMERS + FULL_PII + CALCULATOR + VIEW_APPLICATIONS + VIEW_LOANS,
    ),
    RoleSpec(
        Role.COMMITTEE,
        "审贷小组成员",
        _("审贷小组成员"),
        BASE + VIEW_CUSTOMERS + CALCULATOR + VIEW_APPLICATIONS + VIEW_LOANS,
    ),
    RoleSpec(
        Role.APPROVER,
        "审批人",
        _("审批人"),
        BASE + VIEW_CUSTOMERS + CALCULATOR + VIEW_APPLICATIONS + VIEW_LOANS,
    ),
    RoleSpec(
        Role.DISBURSEMENT,
        "放款/会计",
        _("放款/会计"),
        BASE
        + VIEW_CUSTOMERS
        + VIEW_APPLICATIONS
        + VIEW_LOANS
        + VERIFY
        + KEEP_VAULT
        + TELLER
        + ("vault.add_registration",),
    ),
    RoleSpec(
        Role.POSTLOAN,
        "贷后",
        _("贷后"),
        BASE
        + VIEW_CUSTOMERS
        + VIEW_APPLICATIONS
        + VIEW_LOANS
        + VIEW_DEPOSITS
        + VIEW_REPAYMENTS
        + VIEW_POSTLOAN
        + INSPECT
        + ("earlywarning.add_signal", "classification.propose_class"),
    ),
    RoleSpec(
        Role.COLLECTION,
        "清收",
        _("清收"),
        BASE
        + VIEW_CUSTOMERS
        + FULL_PII
        + VIEW_APPLICATIONS
        + VIEW_LOANS
        + VIEW_REPAYMENTS
        + VIEW_POSTLOAN
        + (
            "collection.work_case",
            "notices.send_notice",
            "earlywarning.handle_warning",
            "classification.propose_class",
        ),
    ),
    RoleSpec(
        Role.RISK,
        "风险合规",
        _("风险合规"),
        BASE
        + AUDIT
        + VIEW_CUSTOMERS
        + FULL_PII
        + CALCULATOR
        + EDIT_PRODUCTS
        + VIEW_APPLICATIONS
        + VIEW_LOANS
        + VIEW_DEPOSITS
        + VIEW_REPAYMENTS
        + ("ledger.view_journalentry",)
        + EDIT_POLICY
        + VIEW_POSTLOAN
        + (
            "earlywarning.add_signal",
            "earlywarning.handle_warning",
            "classification.approve_class_final",
            "classification.run_quarterly",
            "collection.approve_writeoff",
        )
        + VIEW_SCORES
        + SCORING_OPS
        + ("scoring.approve_model",)
        + VIEW_MARKETING
        + ("marketing.review_material",),
        admin_site=True,
    ),
    RoleSpec(
        Role.BRANCH_HEAD,
        "支行行长",
        _("支行行长"),
        BASE
        + VIEW_CUSTOMERS
        + CALCULATOR
        + VIEW_APPLICATIONS
        + VIEW_LOANS
        + VERIFY
        + VIEW_DEPOSITS
        + VIEW_REPAYMENTS
        + (
            "credit.change_creditapplication",
            "vault.approve_release",
            "repayments.approve_reversal",
            "ledger.view_journalentry",
        )
        + VIEW_POSTLOAN
        + (
            "postloan.assign_inspection",
            "collection.assign_case",
            "classification.approve_class_first",
            "collection.approve_restructuring",
        )
        + VIEW_SCORES
        + VIEW_MARKETING
        + WORK_MARKETING
        + RUN_CAMPAIGNS,
    ),
    RoleSpec(
        Role.ADMIN,
        "系统管理员",
        _("系统管理员"),
        BASE
        + AUDIT
        + (
            "org.add_orgunit",
            "org.change_orgunit",
            "org.add_user",
            "org.change_user",
            "core.view_businessdate",
            "core.change_businessdate",
            "auth.view_group",
            "org.add_apitoken",
            "org.view_apitoken",
            "org.change_apitoken",
            "contracts.view_contracttemplate",
            "contracts.add_contracttemplate",
            "loans.view_loanaccount",
            "loans.import_loans",
            "ledger.view_journalentry",
        )
        + EDIT_PRODUCTS
        + VIEW_SCORES
        + SCORING_OPS
        + ("scoring.import_stock", "scoring.train_model", "scoring.run_scoring"),
        admin_site=True,
    ),
)

SPEC_BY_GROUP = {spec.group_name: spec for spec in ROLE_SPECS}
SPEC_BY_ROLE = {spec.role: spec for spec in ROLE_SPECS}
SPEC_BY_ROLE_CODE = {spec.role.value: spec for spec in ROLE_SPECS}


def group_name(role: Role) -> str:
    return SPEC_BY_ROLE[role].group_name


def sync_role_groups(**kwargs: Any) -> None:
    """Create or refresh one group per role with exactly its permissions (after every migrate)."""
    from django.contrib.auth.models import Group, Permission

    for spec in ROLE_SPECS:
        group, _created = Group.objects.get_or_create(name=spec.group_name)
        wanted = []
        for dotted in spec.permissions:
            app_label, codename = dotted.split(".", 1)
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:  # an app not yet migrated adds its own on its migrate
                wanted.append(permission)
        group.permissions.set(wanted)
