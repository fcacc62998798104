"""The customer manager's workbench over REST (``/api/v1/marketing``): the day's plan, contacts
(logged through the compliance check: a refused contact answers 409 ``contact_refused`` with
``details.reasons`` and saves nothing; the same contact posted twice within two minutes is saved
once), the day's review, a customer's consents (grant / withdraw with evidence) and channel
refusals, why a target was selected, leads and their conversion into a credit application.

Phones and ID numbers are masked in every answer."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from xindai.api import requires
from xindai.core.masking import mask_phone
from xindai.core.schemas import Paged, PageQuery, paged
from xindai.marketing import compliance, leads, work
from xindai.marketing.models import Contact, Lead, Target

router = Router(tags=["精准营销"])

VIEW_TARGETS = "marketing.view_target"
VIEW_CONTACTS = "marketing.view_contact"
VIEW_LEADS = "marketing.view_lead"
VIEW_CONSENTS = "marketing.view_consent"


class DayQuery(Schema):
    day: dt.date | None = Field(None, description="日期（默认今天）")


class ContactIn(Schema):
    target: int | None = Field(None, description="名单客户（目标）ID")
    customer: int | None = Field(None, description="存量客户 ID（无名单时）")
    channel: str = Field(..., description="渠道 visit/phone/sms/wechat/online")
    outcome: str = Field(..., description="结果 not_reached/not_interested/interested/applied")
    contacted_at: dt.datetime | None = Field(None, description="接触时间（默认现在，不得晚于现在）")
    situation: str = ""
    problem: str = ""
    implication: str = ""
    need_payoff: str = ""
    needs: str = ""
    products: list[int] = []
    amount: str = Field("", description="意向金额（元）")
    next_step: str = ""
    next_follow_up: dt.date | None = None


class ContactFilter(PageQuery):
    day: dt.date | None = None
    customer: int | None = None


class ConsentIn(Schema):
    purpose: str = Field(
        ..., description="marketing_data/personalised/account_data/credit_report/sharing"
    )
    granted: bool = Field(..., description="true 授权，false 撤回")
    evidence: str = Field(..., description="凭证（授权书编号、录音编号等）")
    stated_purpose: str = ""
    expires_on: dt.date | None = None


class RefusalIn(Schema):
    channel: str
    note: str = ""


class LeadFilter(PageQuery):
    scope: str = Field("mine", description="mine 我的 / unit 本机构")
    status: str = ""


class ConvertIn(Schema):
    product: int
    amount: str
    term_months: int
    purpose: str
    purpose_text: str
    repayment_method: str
    guarantee_methods: list[str] = ["credit"]
    legal_capacity: str = "full"


def _customer_of(c: Any) -> dict[str, Any]:
    return {
        "id": c.pk,
        "customer_no": c.customer_no,
        "name": c.name,
        "phone": mask_phone(c.phone),
        "village": c.village_name,
    }


def target_of(t: Target) -> dict[str, Any]:
    return {
        "id": t.pk,
        "campaign": t.campaign.name,
        "customer": _customer_of(t.customer),
        "grade": t.grade,
        "propensity": t.propensity,
        "status": t.status,
        "next_follow_up": t.next_follow_up,
    }


def contact_of(c: Contact) -> dict[str, Any]:
    return {
        "id": c.pk,
        "customer": _customer_of(c.customer),
        "target": c.target_id,
        "manager": c.manager.username,
        "channel": c.channel,
        "contacted_at": c.contacted_at,
        "outcome": c.outcome,
        "situation": c.situation,
        "problem": c.problem,
        "implication": c.implication,
        "need_payoff": c.need_payoff,
        "needs": c.needs,
        "products": [p.code for p in c.products_discussed.all()],
        "next_step": c.next_step,
        "next_follow_up": c.next_follow_up,
    }


def lead_of(lead: Lead) -> dict[str, Any]:
    return {
        "id": lead.pk,
        "customer": _customer_of(lead.customer),
        "manager": lead.manager.username,
        "product": lead.product.code if lead.product else None,
        "amount_fen": lead.amount_fen,
        "need": lead.need,
        "status": lead.status,
        "application": lead.application.number if lead.application else None,
        "created_at": lead.created_at,
    }


def _plan_of(p: work.Plan) -> dict[str, Any]:
    return {
        "day": p.day,
        "target_count": p.target_count,
        "villages": [
            {
                "code": v.code,
                "name": v.name,
                "count": v.count,
                "targets": [target_of(t) for t in v.targets],
            }
            for v in p.villages
        ],
        "leads": [lead_of(lead) for lead in p.leads],
    }


@router.get(
    "/workbench",
    summary="今日计划：待触达和到期跟进的名单客户（按村分组）",
    auth=requires(work.WORK),
)
def workbench(request: HttpRequest, q: Query[DayQuery]) -> dict[str, Any]:
    return _plan_of(work.plan(request.user, q.day))


@router.post(
    "/contacts",
    response={201: dict},
    summary="登记营销接触（合规检查不通过则拒绝并说明原因）",
    auth=requires(work.ADD_CONTACT),
)
def create_contact(request: HttpRequest, body: ContactIn) -> Status[dict[str, Any]]:
    contact = work.log_contact(request.user, body.dict())
    return Status(201, contact_of(contact))


@router.get("/contacts", response=Paged[dict], summary="营销接触记录", auth=requires(VIEW_CONTACTS))
def list_contacts(request: HttpRequest, q: Query[ContactFilter]) -> dict[str, Any]:
    found = work.my_contacts(request.user).prefetch_related("products_discussed")
    if q.day:
        start, end = work.local_day_range(q.day)
        found = found.filter(contacted_at__gte=start, contacted_at__lt=end)
    if q.customer:
        found = found.filter(customer_id=q.customer)
    page = paged(found, q)
    return page | {"items": [contact_of(c) for c in page["items"]]}


@router.get("/review", summary="当日复盘：接触、商机、申请和明日计划", auth=requires(work.WORK))
def day_review(request: HttpRequest, q: Query[DayQuery]) -> dict[str, Any]:
    r = work.review(request.user, q.day)
    return {
        "day": r["day"],
        "contact_count": r["contact_count"],
        "customers_reached": r["customers_reached"],
        "by_channel": r["by_channel"],
        "by_outcome": r["by_outcome"],
        "new_leads": [lead_of(lead) for lead in r["new_leads"]],
        "applications": [
            {
                "lead": lead.pk,
                "number": lead.application.number,
                "amount": str(lead.application.amount),
            }
            for lead in r["applications"]
        ],
        "tomorrow": _plan_of(r["tomorrow"]),
    }


def _customer(request: HttpRequest, customer_id: int) -> Any:
    return get_object_or_404(work.visible_customers(request.user), pk=customer_id)


def _consent_of(c: Any) -> dict[str, Any]:
    return {
        "id": c.pk,
        "purpose": c.purpose,
        "granted": c.granted,
        "evidence": c.evidence,
        "stated_purpose": c.stated_purpose,
        "effective_at": c.effective_at,
        "expires_on": c.expires_on,
        "recorded_by": c.recorded_by.username,
    }


def _consents(customer: Any) -> dict[str, Any]:
    return {
        "customer": _customer_of(customer),
        "opted_out": customer.opted_out_at is not None,
        "purposes": [
            {
                "purpose": s["purpose"],
                "label": s["label"],
                "in_force": s["in_force"],
                "history": [_consent_of(c) for c in s["history"]],
            }
            for s in compliance.consent_states(customer)
        ],
        "refused_channels": sorted(compliance.refused_channels(customer)),
    }


@router.get(
    "/customers/{customer_id}/consents",
    summary="客户授权：各事项现状和授权/撤回记录",
    auth=requires(VIEW_CONSENTS),
)
def get_consents(request: HttpRequest, customer_id: int) -> dict[str, Any]:
    return _consents(_customer(request, customer_id))


@router.post(
    "/customers/{customer_id}/consents",
    response={201: dict},
    summary="记录授权或撤回（须有凭证）",
    auth=requires(compliance.ADD_CONSENT),
)
def post_consent(request: HttpRequest, customer_id: int, body: ConsentIn) -> Status[dict[str, Any]]:
    customer = _customer(request, customer_id)
    compliance.record_consent(
        request.user,
        customer,
        body.purpose,
        body.granted,
        body.evidence,
        body.stated_purpose,
        expires_on=body.expires_on,
    )
    customer.refresh_from_db()
    return Status(201, _consents(customer))


@router.post(
    "/customers/{customer_id}/channel-refusals",
    response={201: dict},
    summary="记录客户拒绝的联系渠道",
    auth=requires(compliance.ADD_REFUSAL),
)
def post_refusal(request: HttpRequest, customer_id: int, body: RefusalIn) -> Status[dict[str, Any]]:
    customer = _customer(request, customer_id)
    compliance.refuse_channel(request.user, customer, body.channel, body.note)
    return Status(201, _consents(customer))


@router.get(
    "/targets/{target_id}/why",
    summary="为什么选中我：入选理由（可告知客户）",
    auth=requires(VIEW_TARGETS),
)
def why(request: HttpRequest, target_id: int) -> dict[str, Any]:
    target = get_object_or_404(work.my_targets(request.user), pk=target_id)
    return {
        "target": target.pk,
        "campaign": target.campaign.name,
        "customer": _customer_of(target.customer),
        "reasons": work.why(target),
    }


@router.get(
    "/leads", response=Paged[dict], summary="营销商机（我的 / 本机构）", auth=requires(VIEW_LEADS)
)
def list_leads(request: HttpRequest, q: Query[LeadFilter]) -> dict[str, Any]:
    found = work.my_leads(request.user).select_related("application")
    if q.scope != "unit":
        found = found.filter(manager_id=request.user.pk)
    if q.status:
        found = found.filter(status=q.status)
    page = paged(found, q)
    return page | {"items": [lead_of(lead) for lead in page["items"]]}


@router.post(
    "/leads/{lead_id}/convert",
    response={201: dict},
    summary="商机转信贷申请（申请受理，来源：营销走访）",
    auth=requires(work.WORK),
)
def convert(request: HttpRequest, lead_id: int, body: ConvertIn) -> Status[dict[str, Any]]:
    lead = get_object_or_404(work.my_leads(request.user), pk=lead_id)
    application = leads.convert(request.user, lead, body.dict())
    return Status(
        201,
        {
            "lead": lead.pk,
            "application": application.number,
            "application_id": application.pk,
            "stage": application.stage,
            "amount": str(application.amount),
        },
    )
