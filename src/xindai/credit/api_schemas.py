"""Request and response shapes of the credit applications API (:mod:`xindai.credit.api`), and
the functions that present applications in them.

Amounts are strings with two decimals; resident ID numbers are masked (a credit code, which
identifies a business, is shown in full); the consent's scan is never sent, only its digest.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext
from ninja import Schema
from pydantic import Field

from xindai.core.errors import FormInvalid
from xindai.core.problems import Problem, by_field
from xindai.core.schemas import PageQuery
from xindai.credit import facts, presenters, queries, services, stages
from xindai.credit.models import CreditApplication
from xindai.customers.api_schemas import shown_id_number
from xindai.products.models import LoanProduct

# ---- requests ------------------------------------------------------------------------------


class ApplicationIn(Schema):
    customer_id: int = Field(description="客户 id（须在调用者的数据范围内，否则 404）")
    product: str = Field(description="贷款产品代码", examples=["ZCSX"])
    amount: str | int = Field(description="申请金额（元）", examples=["100000.00"])
    term_months: str | int = Field(description="期限（月）", examples=[12])
    purpose: str = Field(description="用途类别：farmer / consumption / personal_business / …")
    purpose_text: str = Field(description="具体用途")
    repayment_method: str = Field(description="还款方式：equal_installment / interest_only / …")
    guarantee_methods: list[str] = Field(description="担保方式：credit / guarantee / …")
    legal_capacity: str = Field("full", description="民事行为能力：full / limited / none")
    source: str = Field(description="来源：walk_in / marketing / referral / online")
    source_note: str = ""
    guarantor_ids: list[int] = Field([], description="保证人的客户 id")
    submit: bool = Field(True, description="立即提交（进入申请受理）；false 时停留在营销阶段")


class ApplicationFilter(PageQuery):
    stage: str = Field("", description="阶段：marketing / intake / investigation / …")
    late: bool | None = Field(None, description="true：已超过答复期限仍未审批；false：未超期")
    q: str = Field("", description="申请编号或客户名称（包含）")


class ReasonIn(Schema):
    reason: str = Field("", description="理由（否决、退回、撤回等操作必填）")


class CollateralIn(Schema):
    kind: str = Field(description="mortgage / pledge")
    description: str
    owner_name: str
    estimated_value: str | int = Field(description="估值（元）", examples=["250000.00"])


class CreditReportIn(Schema):
    report_date: str = Field(description="报告日期 YYYY-MM-DD")
    max_consecutive_overdue_24m: str | int
    total_overdue_24m: str | int
    current_overdue_amount: str | int = Field(description="当前逾期金额（元）")
    other_bank_lenders: str | int
    other_bank_debt: str | int = Field(description="他行贷款余额（元）")
    monthly_debt_service: str | int = Field(description="他行月还款额（元）")
    note: str = ""


class CoInvestigatorIn(Schema):
    co_investigator_id: int = Field(description="协办调查人的用户 id")


# ---- responses -----------------------------------------------------------------------------


class ApplicationRow(Schema):
    id: int
    number: str
    customer_id: int
    customer_name: str
    customer_id_number: str = Field(description="居民身份证号已脱敏")
    product: str = Field(description="产品代码")
    product_name: str
    amount: str
    term_months: int
    stage: str
    stage_label: str
    manager: str = Field(description="管户客户经理用户名")
    org_unit: str = Field(description="经办机构代码")
    submitted_on: dt.date | None
    answer_due: dt.date | None = Field(description="答复期限（贷款通则第23条）")
    late: bool = Field(description="已超过答复期限仍未审批")
    accepted: bool
    stage_since: dt.datetime


class ActionRef(Schema):
    name: str
    label: str


class QueueItem(ApplicationRow):
    waiting_for: list[ActionRef] = Field(description="等待调用者办理的操作")


class GuarantorOut(Schema):
    customer_id: int
    name: str
    id_number: str = Field(description="已脱敏")
    note: str


class CollateralOut(Schema):
    id: int
    kind: str
    kind_label: str
    description: str
    owner_name: str
    estimated_value: str


class ConsentOut(Schema):
    signed_by: str
    signed_on: dt.date
    purpose: str
    purpose_label: str
    scan_sha256: str = Field(description="授权书扫描件的 SHA-256（文件内容不经此接口提供）")
    recorded_by: str
    recorded_at: dt.datetime


class CreditReportOut(Schema):
    report_date: dt.date
    max_consecutive_overdue_24m: int
    total_overdue_24m: int
    current_overdue_amount: str
    other_bank_lenders: int
    other_bank_debt: str
    monthly_debt_service: str
    note: str
    entered_by: str
    entered_at: dt.datetime


class RuleResultOut(Schema):
    rule: str
    outcome: str = Field(description="admit / prudent / prohibit")
    message_zh: str
    message_en: str
    facts: dict[str, str] = Field(description="规则所用的事实")


class EscalationOut(Schema):
    by: str
    reason: str
    at: dt.datetime


class AdmissionOut(Schema):
    id: int
    application: int
    outcome: str = Field(description="admit 准入 / prudent 审慎 / prohibit 禁入")
    policy_version: int
    as_of: dt.date = Field(description="检查时的会计日期")
    checked_at: dt.datetime
    checked_by: str
    escalation: EscalationOut | None = Field(description="支行行长对审慎结论的审核同意")
    results: list[RuleResultOut]


class ActionOut(Schema):
    name: str
    label: str
    needs_reason: bool
    ready: bool = Field(description="条件均已满足，可以办理")
    unmet: dict[str, list[str]] = Field(description="未满足的条件，按条件分组")


class ApplicationDetail(ApplicationRow):
    purpose: str
    purpose_label: str
    purpose_text: str
    repayment_method: str
    guarantee_methods: list[str]
    legal_capacity: str
    source: str
    source_note: str
    co_investigator: str | None = Field(description="协办调查人用户名")
    accepted_at: dt.datetime | None
    closed_on: dt.date | None
    policy_version: int | None = Field(description="提交时的信贷政策版本")
    created_at: dt.datetime
    guarantors: list[GuarantorOut]
    collateral: list[CollateralOut]
    consent: ConsentOut | None
    credit_report: CreditReportOut | None
    admission: AdmissionOut | None = Field(description="最近一次准入检查")
    actions: list[ActionOut] = Field(description="调用者可办理的操作及其未满足的条件")


class TransitionOut(Schema):
    transition: str
    from_stage: str
    stage: str = Field(description="办理后的阶段")
    stage_label: str
    at: dt.datetime
    business_date: dt.date
    policy_version: int


class TimelineEvent(Schema):
    transition: str
    transition_label: str
    from_stage: str
    to_stage: str
    actor: str
    at: dt.datetime
    business_date: dt.date
    reason: str
    policy_version: int


class StageTimeOut(Schema):
    stage: str
    stage_label: str
    seconds: int
    text: str
    current: bool = Field(description="仍处于此阶段（计至当前）")


class TimelineOut(Schema):
    events: list[TimelineEvent]
    stages: list[StageTimeOut] = Field(description="在各阶段停留的时间（进入顺序）")


# ---- presenting ----------------------------------------------------------------------------


def money(value: Decimal) -> str:
    return format(value, ".2f")


def product_pk(code: str) -> int:
    """The pk of the product with this code, or 422 naming the field."""
    pk = LoanProduct.objects.filter(code=code.strip()).values_list("pk", flat=True).first()
    if pk is None:
        message = gettext("没有此产品代码：%(code)s") % {"code": code}
        raise FormInvalid(gettext("申请信息有误，未保存"), details={"product": [message]})
    return pk


def application_data(body: ApplicationIn) -> dict[str, Any]:
    """The request as the application form reads it."""
    data = body.dict(exclude={"customer_id", "guarantor_ids", "submit"})
    return data | {"product": product_pk(body.product), "guarantors": body.guarantor_ids}


def row_of(application: CreditApplication, today: dt.date) -> dict[str, Any]:
    customer, product = application.customer, application.product
    return {
        "id": application.pk,
        "number": application.number or "",
        "customer_id": customer.pk,
        "customer_name": customer.name,
        "customer_id_number": shown_id_number(customer),
        "product": product.code,
        "product_name": product.name,
        "amount": money(application.amount),
        "term_months": application.term_months,
        "stage": application.stage,
        "stage_label": presenters.stage_label(application.stage),
        "manager": application.manager.username,
        "org_unit": application.org_unit.code,
        "submitted_on": application.submitted_on,
        "answer_due": application.answer_due,
        "late": queries.is_late(application, today),
        "accepted": application.accepted_at is not None,
        "stage_since": application.stage_since,
    }


def queue_item_of(
    application: CreditApplication, actions: list[stages.Transition], today: dt.date
) -> dict[str, Any]:
    waiting = [{"name": t.name, "label": gettext(t.label)} for t in actions]
    return row_of(application, today) | {"waiting_for": waiting}


def actions_of(user: Any, application: CreditApplication) -> list[dict[str, Any]]:
    """What the user may do here, each with the conditions not yet met (a reason is asked
    for when the action is taken, so a missing one is not listed)."""
    found = []
    for move in queries.actions_for(user, application):
        problems: list[Problem] = services.unmet(user, application, move.name, reason="-")
        found.append(
            {
                "name": move.name,
                "label": gettext(move.label),
                "needs_reason": move.needs_reason,
                "ready": not problems,
                "unmet": by_field(problems, gettext),
            }
        )
    return found


def consent_of(consent: Any) -> dict[str, Any]:
    return {
        "signed_by": consent.signed_by,
        "signed_on": consent.signed_on,
        "purpose": consent.purpose,
        "purpose_label": consent.get_purpose_display(),
        "scan_sha256": consent.scan_sha256,
        "recorded_by": consent.recorded_by.username,
        "recorded_at": consent.recorded_at,
    }


def report_of(report: Any) -> dict[str, Any]:
    return {
        "report_date": report.report_date,
        "max_consecutive_overdue_24m": report.max_consecutive_overdue_24m,
        "total_overdue_24m": report.total_overdue_24m,
        "current_overdue_amount": money(report.current_overdue_amount),
        "other_bank_lenders": report.other_bank_lenders,
        "other_bank_debt": money(report.other_bank_debt),
        "monthly_debt_service": money(report.monthly_debt_service),
        "note": report.note,
        "entered_by": report.entered_by.username,
        "entered_at": report.entered_at,
    }


def collateral_of(item: Any) -> dict[str, Any]:
    return {
        "id": item.pk,
        "kind": item.kind,
        "kind_label": item.get_kind_display(),
        "description": item.description,
        "owner_name": item.owner_name,
        "estimated_value": money(item.estimated_value),
    }


def detail_of(user: Any, application: CreditApplication, today: dt.date) -> dict[str, Any]:
    guarantors = application.guarantors.select_related("guarantor").order_by("pk")
    latest = facts.latest_check(application)
    consent = getattr(application, "consent", None)
    report = getattr(application, "credit_report", None)
    return row_of(application, today) | {
        "purpose": application.purpose,
        "purpose_label": application.get_purpose_display(),
        "purpose_text": application.purpose_text,
        "repayment_method": application.repayment_method,
        "guarantee_methods": list(application.guarantee_methods),
        "legal_capacity": application.legal_capacity,
        "source": application.source,
        "source_note": application.source_note,
        "co_investigator": application.co_investigator.username
        if application.co_investigator
        else None,
        "accepted_at": application.accepted_at,
        "closed_on": application.closed_on,
        "policy_version": application.policy_version.number if application.policy_version else None,
        "created_at": application.created_at,
        "guarantors": [
            {
                "customer_id": g.guarantor.pk,
                "name": g.guarantor.name,
                "id_number": shown_id_number(g.guarantor),
                "note": g.note,
            }
            for g in guarantors
        ],
        "collateral": [collateral_of(item) for item in application.collateral.order_by("pk")],
        "consent": consent_of(consent) if consent else None,
        "credit_report": report_of(report) if report else None,
        "admission": presenters.admission_json(latest) if latest else None,
        "actions": actions_of(user, application),
    }


def transition_of(event: Any) -> dict[str, Any]:
    return {
        "transition": event.transition,
        "from_stage": event.from_stage,
        "stage": event.to_stage,
        "stage_label": presenters.stage_label(event.to_stage),
        "at": event.at,
        "business_date": event.business_date,
        "policy_version": event.policy_version.number,
    }
