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
from xindai.credit import (
    facts,
    investigation,
    investigation_items,
    presenters,
    queries,
    services,
    stages,
)
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
    collateral_type: str = Field(
        "", description="residential / commercial / land_use / deposit / machinery"
    )
    description: str
    owner_name: str
    certificate_no: str = Field("", description="权属证书编号")
    estimated_value: str | int = Field(description="评估价值（元）", examples=["250000.00"])
    appraiser: str = ""
    appraised_on: str | None = Field(None, description="评估日期 YYYY-MM-DD")
    ownership_dispute: bool = False
    dispute_note: str = ""


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
        "collateral_type": item.collateral_type,
        "certificate_no": item.certificate_no,
        "estimated_value": money(item.estimated_value),
        "appraiser": item.appraiser,
        "appraised_on": item.appraised_on.isoformat() if item.appraised_on else None,
        "ownership_dispute": item.ownership_dispute,
        "dispute_note": item.dispute_note,
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


# ---- 实地调查 (issue 6) -------------------------------------------------------------------------


class ChecklistAnswerIn(Schema):
    result: str = Field("", description="yes 符合 / no 不符合（须说明原因）/ na 不适用；空：未核实")
    note: str = Field("", description="核实情况")


class InvestigationIn(Schema):
    visited_at: str | None = Field(
        None, description="走访时间（ISO 8601，无时区按北京时间）", examples=["2026-11-27T09:30"]
    )
    place: str = Field("", description="走访地点")
    latitude: str | float | None = Field(None, description="纬度 −90…90（保留 6 位小数）")
    longitude: str | float | None = Field(None, description="经度 −180…180（保留 6 位小数）")
    checklist: dict[str, ChecklistAnswerIn] = Field(
        {}, description="调查核实事项，按事项键（见 GET 的 checklist[].key）；未给出的事项为未核实"
    )
    repayment_source: str = Field("", description="还款来源")
    repayment_timing: str = Field("", description="还款时间安排")


class ChecklistItemOut(Schema):
    key: str
    label: str
    hint: str = Field(description="核实要点")
    result: str = Field(description="yes / no / na；空：未核实")
    result_label: str
    note: str


class InvestigationFileOut(Schema):
    id: int
    kind: str = Field(description="photo 现场照片 / contract / invoice / quote / other")
    kind_label: str
    caption: str
    content_type: str = Field(description="按文件内容判断的类型")
    sha256: str
    uploaded_by: str
    uploaded_at: dt.datetime


class ConfirmationOut(Schema):
    investigator: str = Field(description="用户名")
    role: str = Field(description="manager 主调查人 / co_investigator 协办调查人")
    confirmed_at: dt.datetime


class InvestigationOut(Schema):
    application: int
    stage: str
    editable: bool = Field(description="调用者可以修改调查记录（本案调查人，且处于实地调查阶段）")
    visited_at: dt.datetime | None
    place: str
    latitude: str | None
    longitude: str | None
    checklist: list[ChecklistItemOut] = Field(description="适用于该类客户的全部调查核实事项")
    repayment_source: str
    repayment_timing: str
    updated_by: str | None
    updated_at: dt.datetime | None
    files: list[InvestigationFileOut]
    confirmations: list[ConfirmationOut] = Field(description="有效的调查确认")
    unmet: dict[str, list[str]] = Field(description="“提交调查”尚不满足的条件，按条件分组")


def record_data(body: InvestigationIn) -> dict[str, str]:
    """The request as the record form reads it (``<item>_result``, ``<item>_note``)."""
    data = {
        "visited_at": body.visited_at or "",
        "place": body.place,
        "latitude": "" if body.latitude is None else str(body.latitude),
        "longitude": "" if body.longitude is None else str(body.longitude),
        "repayment_source": body.repayment_source,
        "repayment_timing": body.repayment_timing,
    }
    for key, answer in body.checklist.items():
        data |= {f"{key}_result": answer.result, f"{key}_note": answer.note}
    return data


def file_of(item: Any) -> dict[str, Any]:
    return {
        "id": item.pk,
        "kind": item.kind,
        "kind_label": item.get_kind_display(),
        "caption": item.caption,
        "content_type": item.content_type,
        "sha256": item.sha256,
        "uploaded_by": item.uploaded_by.username,
        "uploaded_at": item.uploaded_at,
    }


def investigation_of(user: Any, application: CreditApplication) -> dict[str, Any]:
    record = investigation.record_of(application)
    kind = application.customer.kind
    files = application.investigation_files.select_related("uploaded_by").order_by("pk")
    return {
        "application": application.pk,
        "stage": application.stage,
        "editable": investigation.may_edit(user, application),
        "visited_at": record.visited_at if record else None,
        "place": record.place if record else "",
        "latitude": _coordinate(record.latitude if record else None),
        "longitude": _coordinate(record.longitude if record else None),
        "checklist": [_answer_of(i, a) for i, a in investigation.items_with_answers(record, kind)],
        "repayment_source": record.repayment_source if record else "",
        "repayment_timing": record.repayment_timing if record else "",
        "updated_by": record.updated_by.username if record and record.updated_by else None,
        "updated_at": record.updated_at if record else None,
        "files": [file_of(item) for item in files],
        "confirmations": [
            _confirmation_of(application, c)
            for c in investigation.current_confirmations(application)
        ],
        "unmet": by_field(investigation.outstanding(application), gettext),
    }


def _coordinate(value: Decimal | None) -> str | None:
    return None if value is None else format(value, ".6f")


def _answer_of(item: Any, answer: dict[str, str]) -> dict[str, Any]:
    result = answer.get("result", "")
    label = investigation.ANSWER_LABELS.get(investigation_items.Answer(result)) if result else None
    return {
        "key": item.key,
        "label": gettext(item.label),
        "hint": gettext(item.hint),
        "result": result,
        "result_label": str(label or ""),
        "note": answer.get("note", ""),
    }


def _confirmation_of(application: CreditApplication, confirmation: Any) -> dict[str, Any]:
    manager = confirmation.investigator_id == application.manager_id
    return {
        "investigator": confirmation.investigator.username,
        "role": "manager" if manager else "co_investigator",
        "confirmed_at": confirmation.confirmed_at,
    }


# ---- 授信额度测算 and 调查报告 (issue 6: credit limit, investigation report) ------------------

Figure = str | int | None


class CreditLimitIn(Schema):
    """Inputs that replace those prefilled from the data (the last saved assessment's, else
    the archive's, statements', credit report's and product's); a field left out keeps the
    prefilled value, ``null`` clears it. Amounts in 元, rates and ratios as fractions."""

    sales: Figure = Field(None, description="上年度销售收入（元）")
    sales_margin: Figure = Field(None, description="上年度销售利润率（小数，13.33% 写作 0.1333）")
    growth: Figure = Field(None, description="预计销售收入年增长率（小数）")
    inventory_days: Figure = Field(None, description="存货周转天数")
    receivable_days: Figure = Field(None, description="应收账款周转天数")
    payable_days: Figure = Field(None, description="应付账款周转天数")
    prepayment_days: Figure = Field(None, description="预付账款周转天数")
    advance_days: Figure = Field(None, description="预收账款周转天数")
    own_funds: Figure = Field(None, description="借款人自有资金（元）")
    existing_loans: Figure = Field(None, description="现有流动资金贷款（元）")
    other_financing: Figure = Field(None, description="其他渠道提供的营运资金（元）")
    monthly_income: Figure = Field(None, description="月均净收入（元）")
    monthly_living_costs: Figure = Field(None, description="月生活支出（元）")
    monthly_debt_service: Figure = Field(None, description="现有债务月还款（元）")
    max_debt_service_ratio: Figure = Field(None, description="还款收入比上限（小数）")
    annual_rate: Figure = Field(None, description="年利率（小数，4% 写作 0.04）")
    term_months: Figure = Field(None, description="期限（月）")
    repayment_method: str | None = Field(None, description="还款方式")


class LimitStepOut(Schema):
    key: str
    label: str
    formula: str
    value: str
    unit: str


class LimitMethodOut(Schema):
    method: str = Field(description="working_capital / cash_flow / collateral")
    label: str
    limit: str | None = Field(description="额度（元）；null：该方法不适用，见 reason")
    steps: list[LimitStepOut]
    reason: str | None


class SuggestionOut(Schema):
    limit: str | None = Field(description="建议额度：各适用方法中的最小值")
    method: str | None
    reason: str


class CapacityOut(Schema):
    capacity: str = Field(description="剩余担保能力（元）")
    amount: str = Field(description="本笔担保金额（元）")
    sufficient: bool
    steps: list[LimitStepOut]
    message: str


class GuarantorCapacityOut(Schema):
    customer_id: int
    name: str
    net_assets: str | None
    guarantees_given: str | None
    willing: bool
    from_archive: bool = Field(description="尚未核定：数据来自保证人的经济档案")
    capacity: CapacityOut | None


class CreditLimitOut(Schema):
    id: int
    as_of: dt.date = Field(description="测算日（会计日期）")
    suggested: str
    inputs: dict[str, Any] = Field(description="所用参数（比例为小数）")
    methods: list[LimitMethodOut]
    suggestion: SuggestionOut
    notes: list[str] = Field(description="未计入测算的押品及原因")
    guarantors: list[GuarantorCapacityOut]
    computed_by: str
    computed_at: dt.datetime


class ReportOut(Schema):
    version: int
    suggested_amount: str
    docx_sha256: str
    pdf_sha256: str | None = Field(description="无 PDF（未安装 LibreOffice）时为 null")
    finalised_by: str
    finalised_at: dt.datetime
    download_url: str = Field(description="DOCX 下载地址（下载记入审计日志）")
    pdf_url: str | None


class ReportDetailOut(ReportOut):
    versions: list[ReportOut] = Field(description="全部定稿版本，新版本在前")


def limit_of(assessment: Any) -> dict[str, Any]:
    from xindai.credit.forms import LimitForm

    result = assessment.result
    return {
        "id": assessment.pk,
        "as_of": assessment.inputs["as_of"],
        "suggested": money(assessment.suggested),
        "inputs": {key: assessment.inputs.get(key) for key in LimitForm.base_fields},
        "methods": result["methods"],
        "suggestion": result["suggestion"],
        "notes": result.get("notes", []),
        "guarantors": result.get("guarantors", []),
        "computed_by": assessment.computed_by.username,
        "computed_at": assessment.computed_at,
    }


def report_file_url(report: Any, fmt: str) -> str:
    return f"/api/v1/applications/{report.application_id}/report/{report.version}/{fmt}"


def investigation_report_of(report: Any) -> dict[str, Any]:
    return {
        "version": report.version,
        "suggested_amount": money(report.suggested_amount),
        "docx_sha256": report.docx_sha256,
        "pdf_sha256": report.pdf_sha256 or None,
        "finalised_by": report.finalised_by.username,
        "finalised_at": report.finalised_at,
        "download_url": report_file_url(report, "docx"),
        "pdf_url": report_file_url(report, "pdf") if report.pdf else None,
    }
