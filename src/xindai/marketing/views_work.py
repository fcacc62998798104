"""Pages of the manager's workbench (营销工作台), phone first: today's route by village, the
one-minute contact form with SPIN notes, the day's review, contacts, leads and their conversion
into a credit application, a customer's consents and channel refusals, and "为什么选中我"."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from xindai.core.access import requires
from xindai.core.errors import DomainError
from xindai.core.paging import page_of
from xindai.credit.models import CapacityChoice
from xindai.marketing import compliance, leads, work
from xindai.marketing.models import (
    Channel,
    ChannelRefusal,
    ConsentPurpose,
    LeadStatus,
    Outcome,
)
from xindai.products.models import LoanProduct, Purpose, RepaymentMethod

VIEW_CONTACTS = "marketing.view_contact"
VIEW_LEADS = "marketing.view_lead"
VIEW_CONSENTS = "marketing.view_consent"
VIEW_TARGETS = "marketing.view_target"

# The outline's SPIN questions (第一部分 客户需求深度挖掘 "进入SPIN问题模式"), as hints.
SPIN = [
    {
        "name": "situation",
        "label": _("背景问题（S）"),
        "hint": _("了解现状：种养什么、多大规模、家里几口人几个劳力、现在在哪里存款贷款？"),
    },
    {
        "name": "problem",
        "label": _("难点问题（P）"),
        "hint": _("发现潜在问题：资金周转有没有困难？农资、饲料、进货钱够不够？"),
    },
    {
        "name": "implication",
        "label": _("暗示问题（I）"),
        "hint": _("揭示负面影响：钱不到位会不会误了农时、少养一批、错过订单？"),
    },
    {
        "name": "need_payoff",
        "label": _("价值问题（N）"),
        "hint": _("关注方案回报：如果按时有一笔资金，能多收多少、多赚多少？"),
    },
]
FOLLOW_UP_PRESETS = [("1", _("明天")), ("3", _("3天后")), ("7", _("下周")), ("", _("不约"))]


def _day(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text or "")
    except ValueError:
        return None


@requires(work.WORK)
def workbench(request: HttpRequest) -> HttpResponse:
    day = _day(request.GET.get("day")) or work.today()
    plan = work.plan(request.user, day)
    campaigns = {t.campaign_id: t for v in plan.villages for t in v.targets}
    materials = [(t.campaign, work.materials_for(t)) for t in campaigns.values()]
    return render(
        request,
        "marketing/work/workbench.html",
        {
            "plan": plan,
            "day": day,
            "is_today": day == work.today(),
            "prev_day": day - dt.timedelta(days=1),
            "next_day": day + dt.timedelta(days=1),
            "materials": [(c, found) for c, found in materials if found],
        },
    )


def _subject(request: HttpRequest, source: Any) -> tuple[Any, Any]:
    data = {"target": source.get("target") or None, "customer": source.get("customer") or None}
    try:
        return work.resolve(request.user, data)
    except DomainError as error:
        raise Http404(error.message) from error


def _follow_up(post: Any) -> str:
    if post.get("next_follow_up"):
        return str(post["next_follow_up"])
    preset = post.get("preset", "")
    if preset.isdigit():
        return (timezone.localdate() + dt.timedelta(days=int(preset))).isoformat()
    return ""


@requires(work.ADD_CONTACT)
def contact_new(request: HttpRequest) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    customer, target = _subject(request, source)
    reasons: list[str] = []
    errors: dict[str, Any] = {}
    if request.method == "POST":
        data: dict[str, Any] = {
            key: request.POST.get(key, "")
            for key in (
                "channel",
                "outcome",
                "contacted_at",
                "situation",
                "problem",
                "implication",
                "need_payoff",
                "needs",
                "next_step",
                "amount",
            )
        }
        data |= {
            "target": target.pk if target else None,
            "customer": customer.pk,
            "products": request.POST.getlist("products"),
            "next_follow_up": _follow_up(request.POST),
        }
        try:
            contact = work.log_contact(request.user, data)
        except work.ContactRefused as error:
            reasons = list(error.details.get("reasons", []))
        except DomainError as error:
            errors = error.details if isinstance(error.details, dict) else {}
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                gettext("已登记与 %(name)s 的接触") % {"name": customer.name},
            )
            lead = contact.leads.first()
            if contact.outcome == Outcome.APPLIED and lead is not None:
                return redirect("marketing:lead", lead.pk)
            return redirect("marketing:workbench")
    now = timezone.localtime().replace(second=0, microsecond=0)
    return render(
        request,
        "marketing/work/contact_form.html",
        {
            "customer": customer,
            "target": target,
            "why": work.why(target) if target else [],
            "materials": work.materials_for(target) if target else [],
            "channels": Channel.choices,
            "outcomes": Outcome.choices,
            "spin": [q | {"value": request.POST.get(str(q["name"]), "")} for q in SPIN],
            "presets": FOLLOW_UP_PRESETS,
            "products": LoanProduct.objects.filter(is_active=True).order_by("code"),
            "now": now.strftime("%Y-%m-%dT%H:%M"),
            "values": request.POST if request.method == "POST" else {},
            "chosen_products": request.POST.getlist("products") if request.method == "POST" else [],
            "reasons": reasons,
            "errors": errors,
            "refused": compliance.refused_channels(customer),
            "recent": customer.contacts.select_related("manager")[:3],
        },
    )


@requires(VIEW_CONTACTS)
def contact_list(request: HttpRequest) -> HttpResponse:
    found = work.my_contacts(request.user)
    day = _day(request.GET.get("day"))
    if day:
        start, end = work.local_day_range(day)
        found = found.filter(contacted_at__gte=start, contacted_at__lt=end)
    channel = request.GET.get("channel", "")
    if channel in Channel.values:
        found = found.filter(channel=channel)
    return render(
        request,
        "marketing/work/contacts.html",
        {
            "page": page_of(found, request.GET.get("page")),
            "filters": {"day": request.GET.get("day", ""), "channel": channel},
            "channels": Channel.choices,
        },
    )


@requires(work.WORK)
def review(request: HttpRequest) -> HttpResponse:
    day = _day(request.GET.get("day")) or work.today()
    summary = work.review(request.user, day)
    return render(
        request,
        "marketing/work/review.html",
        summary
        | {
            "prev_day": day - dt.timedelta(days=1),
            "next_day": day + dt.timedelta(days=1),
            "is_today": day == work.today(),
        },
    )


@requires(VIEW_LEADS)
def lead_list(request: HttpRequest) -> HttpResponse:
    scope = request.GET.get("scope", "mine")
    found = work.my_leads(request.user).select_related("application")
    if scope != "unit":
        found = found.filter(manager_id=request.user.pk)
    status = request.GET.get("status", "")
    if status in LeadStatus.values:
        found = found.filter(status=status)
    page = page_of(found, request.GET.get("page"))
    for lead in page.object_list:
        lead.amount_yuan = Decimal(lead.amount_fen) / 100 if lead.amount_fen else None
    return render(
        request,
        "marketing/work/leads.html",
        {
            "page": page,
            "scope": scope,
            "status": status,
            "statuses": LeadStatus.choices,
        },
    )


APPLICATION_FIELDS = (
    "product",
    "amount",
    "term_months",
    "purpose",
    "purpose_text",
    "repayment_method",
    "legal_capacity",
)


@requires(VIEW_LEADS)
def lead_detail(request: HttpRequest, pk: int) -> HttpResponse:
    lead = get_object_or_404(work.my_leads(request.user).select_related("contact"), pk=pk)
    values: dict[str, Any] = leads.initial_for(lead)
    errors: dict[str, Any] = {}
    if request.method == "POST":
        if not request.user.has_perm(work.WORK):
            raise PermissionDenied
        values = {key: request.POST.get(key, "") for key in APPLICATION_FIELDS}
        data = dict(values) | {"guarantee_methods": request.POST.getlist("guarantee_methods")}
        if not data["guarantee_methods"]:
            data["guarantee_methods"] = ["credit"]
        try:
            application = leads.convert(request.user, lead, data)
        except DomainError as error:
            errors = error.details if isinstance(error.details, dict) else {}
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                gettext("已转为信贷申请 %(number)s，进入申请受理") % {"number": application.number},
            )
            return redirect("marketing:lead", lead.pk)
    return render(
        request,
        "marketing/work/lead.html",
        {
            "lead": lead,
            "values": values,
            "errors": errors,
            "products": LoanProduct.objects.filter(is_active=True).order_by("code"),
            "purposes": Purpose.choices,
            "methods": RepaymentMethod.choices,
            "capacities": CapacityChoice.choices,
            "can_convert": lead.status == LeadStatus.OPEN and request.user.has_perm(work.WORK),
        },
    )


@requires(VIEW_CONSENTS)
def consents(request: HttpRequest, pk: int) -> HttpResponse:
    customer = get_object_or_404(work.visible_customers(request.user), pk=pk)
    return render(
        request,
        "marketing/work/consents.html",
        {
            "customer": customer,
            "states": compliance.consent_states(customer),
            "purposes": ConsentPurpose.choices,
            "channels": Channel.choices,
            "refusals": customer.channel_refusals.select_related("recorded_by"),
        },
    )


@require_POST
@requires(compliance.ADD_CONSENT)
def consent_record(request: HttpRequest, pk: int) -> HttpResponse:
    customer = get_object_or_404(work.visible_customers(request.user), pk=pk)
    granted = request.POST.get("granted") == "1"
    try:
        compliance.record_consent(
            request.user,
            customer,
            request.POST.get("purpose", ""),
            granted,
            request.POST.get("evidence", ""),
            request.POST.get("stated_purpose", ""),
            expires_on=_day(request.POST.get("expires_on")) if granted else None,
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, gettext("已记录授权") if granted else gettext("已记录撤回"))
    return redirect("marketing:consents", customer.pk)


@require_POST
@requires(compliance.ADD_REFUSAL)
def refusal_record(request: HttpRequest, pk: int) -> HttpResponse:
    customer = get_object_or_404(work.visible_customers(request.user), pk=pk)
    try:
        compliance.refuse_channel(
            request.user, customer, request.POST.get("channel", ""), request.POST.get("note", "")
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, gettext("已记录渠道拒绝"))
    return redirect("marketing:consents", customer.pk)


@require_POST
@requires(compliance.ADD_REFUSAL)
def refusal_lift(request: HttpRequest, pk: int) -> HttpResponse:
    refusal = get_object_or_404(
        ChannelRefusal.objects.filter(customer__in=work.visible_customers(request.user)), pk=pk
    )
    compliance.lift_refusal(request.user, refusal)
    messages.success(request, gettext("已解除渠道拒绝"))
    return redirect("marketing:consents", refusal.customer_id)


@requires(VIEW_TARGETS)
def why(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(work.my_targets(request.user), pk=pk)
    return render(
        request,
        "marketing/work/why.html",
        {"target": target, "reasons": work.why(target), "today": timezone.localdate()},
    )
