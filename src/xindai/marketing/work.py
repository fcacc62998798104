"""The customer manager's workbench (工作台), the outline's daily routine: *plan* today's visits
and calls (his targets that are new or due, by grade and due date, grouped by village as a
route, and his leads' due follow-ups); *do* — log a contact in under a minute; *record* — the
SPIN notes (背景, 难点, 暗示, 价值), needs found, products discussed, next step; *review* — the
day's contacts by channel and outcome, new leads, applications, tomorrow's plan.

Every contact passes :func:`xindai.marketing.compliance.check_contact` first; a refused contact
saves nothing and says why."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from xindai.audit.services import record as audit_record
from xindai.core.errors import DomainError, InvalidInput, NotFound
from xindai.core.money import fen
from xindai.marketing import compliance
from xindai.marketing.domain_compliance import target_status_after
from xindai.marketing.models import (
    CampaignStatus,
    Channel,
    Contact,
    Lead,
    LeadStatus,
    Outcome,
    Target,
    TargetStatus,
)
from xindai.org.scope import visible
from xindai.products.models import LoanProduct
from xindai.scoring.models import StockCustomer

WORK = "marketing.work_targets"
ADD_CONTACT = "marketing.add_contact"
VIEW_CONTACTS = "marketing.view_contact"
OPEN_STATUSES = (TargetStatus.NEW, TargetStatus.REACHED, TargetStatus.INTERESTED)
DOUBLE_SUBMIT_SECONDS = 120
SPIN_FIELDS = ("situation", "problem", "implication", "need_payoff")


class ContactRefused(DomainError):
    status = 409
    code = "contact_refused"


def require(actor: Any, permission: str) -> None:
    if not actor.has_perm(permission):
        raise PermissionDenied(permission)


def today() -> dt.date:
    """Contacts happen in real time: the workbench's day is the local calendar day."""
    return timezone.localdate()


def my_targets(actor: Any) -> QuerySet[Target]:
    found = Target.objects.select_related("customer", "campaign", "manager", "org_unit")
    return visible(found, actor, unit_field="org_unit", owner_field="manager")


def my_contacts(actor: Any) -> QuerySet[Contact]:
    found = Contact.objects.select_related("customer", "customer__org_unit", "manager", "target")
    return visible(found, actor, unit_field="customer__org_unit", owner_field="manager")


def my_leads(actor: Any) -> QuerySet[Lead]:
    found = Lead.objects.select_related("customer", "customer__org_unit", "manager", "product")
    return visible(found, actor, unit_field="customer__org_unit", owner_field="manager")


def visible_customers(actor: Any) -> QuerySet[StockCustomer]:
    return visible(StockCustomer.objects.select_related("org_unit"), actor, unit_field="org_unit")


# ---- plan ----------------------------------------------------------------------------------


@dataclass
class VillageStop:
    code: str
    name: str
    targets: list[Target] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.targets)


@dataclass
class Plan:
    day: dt.date
    villages: list[VillageStop]
    leads: list[Lead]

    @property
    def target_count(self) -> int:
        return sum(v.count for v in self.villages)


def _due_targets(actor: Any, day: dt.date) -> list[Target]:
    found = (
        Target.objects.select_related("customer", "campaign")
        .filter(manager=actor, campaign__status=CampaignStatus.ACTIVE, status__in=OPEN_STATUSES)
        .filter(
            Q(status=TargetStatus.NEW, next_follow_up__isnull=True) | Q(next_follow_up__lte=day)
        )
    )
    never = dt.date.max
    return sorted(
        found,
        key=lambda t: (t.grade or "Z", t.next_follow_up or never, -(t.propensity or 0), t.pk),
    )


def plan(actor: Any, day: dt.date | None = None) -> Plan:
    """His targets new or due on ``day`` (grade, then due date), grouped by village as a route
    (villages in the order of their best target), and his open leads whose follow-up is due."""
    day = day or today()
    stops: dict[str, VillageStop] = {}
    for target in _due_targets(actor, day):
        code = target.village_code or target.customer.village_code
        if code not in stops:
            stops[code] = VillageStop(
                code=code, name=target.customer.village_name or gettext("未落村客户")
            )
        stops[code].targets.append(target)
    leads = [
        lead
        for lead in Lead.objects.select_related("customer", "contact", "product")
        .filter(manager=actor, status=LeadStatus.OPEN)
        .order_by("created_at")
        if lead.contact is None
        or lead.contact.next_follow_up is None
        or lead.contact.next_follow_up <= day
    ]
    return Plan(day=day, villages=list(stops.values()), leads=leads)


# ---- do and record -------------------------------------------------------------------------


def _text(data: dict[str, Any], key: str, limit: int | None = None) -> str:
    value = str(data.get(key) or "").strip()
    return value[:limit] if limit else value


def _moment(value: Any) -> dt.datetime:
    if value in (None, ""):
        return timezone.now()
    if isinstance(value, dt.datetime):
        moment = value
    else:
        try:
            moment = dt.datetime.fromisoformat(str(value))
        except ValueError as error:
            raise InvalidInput(
                gettext("接触时间格式不正确"), details={"contacted_at": [str(value)]}
            ) from error
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _day(value: Any, key: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as error:
        raise InvalidInput(gettext("日期格式不正确"), details={key: [str(value)]}) from error


def _products(data: dict[str, Any]) -> list[LoanProduct]:
    ids = data.get("products") or []
    if isinstance(ids, str | int):
        ids = [ids]
    try:
        pks = [int(p) for p in ids if str(p).strip()]
    except ValueError as error:
        raise InvalidInput(gettext("产品不正确"), details={"products": ids}) from error
    found = list(LoanProduct.objects.filter(pk__in=pks, is_active=True))
    if len(found) != len(set(pks)):
        raise InvalidInput(gettext("产品不正确"), details={"products": ids})
    return found


def _amount_fen(data: dict[str, Any]) -> int:
    text = _text(data, "amount")
    if not text:
        return 0
    try:
        amount = Decimal(text)
    except InvalidOperation as error:
        raise InvalidInput(gettext("金额格式不正确"), details={"amount": [text]}) from error
    if amount < 0:
        raise InvalidInput(gettext("金额不能为负"), details={"amount": [text]})
    return fen(amount)


def resolve(actor: Any, data: dict[str, Any]) -> tuple[StockCustomer, Target | None]:
    """The customer (and the target) the contact is about, among those the actor may see."""
    if data.get("target"):
        target = my_targets(actor).filter(pk=data["target"]).first()
        if target is None:
            raise NotFound(gettext("名单客户不存在或不在您的名单中"))
        return target.customer, target
    if data.get("customer"):
        customer = visible_customers(actor).filter(pk=data["customer"]).first()
        if customer is None:
            raise NotFound(gettext("客户不存在"))
        return customer, None
    raise InvalidInput(gettext("请选择客户"), details={"customer": [gettext("必填")]})


def log_contact(actor: Any, data: dict[str, Any]) -> Contact:
    """Record a contact (channel, time — default now, never in the future —, outcome, SPIN notes,
    needs, products, next step and follow-up). Refused by the compliance rules with every reason
    (nothing saved); a repeated submission of the same contact returns the first one. The target
    moves on (not reached stays new), and an interested or applying customer becomes a lead."""
    require(actor, WORK)
    require(actor, ADD_CONTACT)
    customer, target = resolve(actor, data)
    channel, outcome = _text(data, "channel"), _text(data, "outcome")
    problems: dict[str, list[str]] = {}
    if channel not in Channel.values:
        problems["channel"] = [gettext("请选择渠道")]
    if outcome not in Outcome.values:
        problems["outcome"] = [gettext("请选择结果")]
    at = _moment(data.get("contacted_at"))
    now = timezone.now()
    if at > now + dt.timedelta(minutes=1):
        problems["contacted_at"] = [gettext("接触时间不能晚于现在")]
    next_follow_up = _day(data.get("next_follow_up"), "next_follow_up")
    if next_follow_up is not None and next_follow_up < timezone.localtime(at).date():
        problems["next_follow_up"] = [gettext("下次跟进日期不能早于接触日期")]
    if problems:
        raise InvalidInput(gettext("接触信息有误，未保存"), details=problems)
    products = _products(data)
    amount_fen = _amount_fen(data)
    with transaction.atomic():
        # Serialise contacts with one customer: the frequency caps and the double-submit check
        # count what is already there.
        StockCustomer.objects.select_for_update().filter(pk=customer.pk).first()
        window = dt.timedelta(seconds=DOUBLE_SUBMIT_SECONDS)
        repeated = Contact.objects.filter(
            manager=actor,
            customer=customer,
            channel=channel,
            outcome=outcome,
            contacted_at__gte=at - window,
            contacted_at__lte=at + window,
            created_at__gte=now - window,
        ).first()
        if repeated is not None:
            return repeated
        reasons = compliance.check_contact(customer, channel, at, actor, target=target)
        if reasons:
            raise ContactRefused(
                gettext("不能登记此次营销接触：") + "；".join(reasons),
                details={"reasons": reasons},
            )
        contact = Contact.objects.create(
            customer=customer,
            target=target,
            manager=actor,
            channel=channel,
            contacted_at=at,
            outcome=outcome,
            situation=_text(data, "situation"),
            problem=_text(data, "problem"),
            implication=_text(data, "implication"),
            need_payoff=_text(data, "need_payoff"),
            needs=_text(data, "needs", 300),
            next_step=_text(data, "next_step", 200),
            next_follow_up=next_follow_up,
        )
        contact.products_discussed.set(products)
        if target is not None:
            target.status = target_status_after(target.status, outcome)
            target.next_follow_up = next_follow_up
            if amount_fen and not target.amount_fen:
                target.amount_fen = amount_fen
            target.save(update_fields=["status", "next_follow_up", "amount_fen", "updated_at"])
        lead = None
        if outcome in (Outcome.INTERESTED, Outcome.APPLIED):
            lead = Lead.objects.filter(
                customer=customer, manager=actor, status=LeadStatus.OPEN
            ).first()
            if lead is None:
                lead = Lead.objects.create(
                    customer=customer,
                    target=target,
                    contact=contact,
                    manager=actor,
                    product=products[0] if products else None,
                    amount_fen=amount_fen,
                    need=contact.needs,
                )
            else:
                lead.contact = contact
                lead.product = products[0] if products else lead.product
                lead.amount_fen = amount_fen or lead.amount_fen
                lead.need = contact.needs or lead.need
                lead.save(update_fields=["contact", "product", "amount_fen", "need"])
        audit_record(
            "marketing.contact_logged",
            actor=actor,
            object_type="marketing.contact",
            object_id=contact.pk,
            changes={
                "customer": customer.customer_no,
                "target": target.pk if target else None,
                "channel": channel,
                "outcome": outcome,
                "lead": lead.pk if lead else None,
            },
        )
    return contact


def why(target: Target) -> list[str]:
    """Why the customer was selected, in plain Chinese (printable for him)."""
    from xindai.marketing.campaigns import why_selected

    return why_selected(target)


def materials_for(target: Target) -> list[Any]:
    """The approved campaign materials the manager may use with this target."""
    from xindai.marketing.campaigns import approved_materials

    return list(approved_materials(target.campaign))


# ---- review --------------------------------------------------------------------------------


def local_day_range(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return start, start + dt.timedelta(days=1)


def review(actor: Any, day: dt.date | None = None) -> dict[str, Any]:
    """The day's contacts by channel and outcome, the leads and applications it brought, and
    tomorrow's plan."""
    day = day or today()
    start, end = local_day_range(day)
    contacts = list(
        Contact.objects.select_related("customer", "target")
        .prefetch_related("products_discussed")
        .filter(manager=actor, contacted_at__gte=start, contacted_at__lt=end)
        .order_by("contacted_at", "pk")
    )
    by_channel = Counter(c.channel for c in contacts)
    by_outcome = Counter(c.outcome for c in contacts)
    new_leads = list(
        Lead.objects.select_related("customer").filter(
            Q(contact__contacted_at__gte=start, contact__contacted_at__lt=end)
            | Q(contact__isnull=True, created_at__gte=start, created_at__lt=end),
            manager=actor,
        )
    )
    converted = list(
        Lead.objects.select_related("customer", "application").filter(
            manager=actor,
            status=LeadStatus.CONVERTED,
            application__created_at__gte=start,
            application__created_at__lt=end,
        )
    )
    tomorrow = plan(actor, day + dt.timedelta(days=1))
    return {
        "day": day,
        "contacts": contacts,
        "contact_count": len(contacts),
        "customers_reached": len(
            {c.customer_id for c in contacts if c.outcome != Outcome.NOT_REACHED}
        ),
        "by_channel": [
            {"channel": v, "label": str(label), "count": by_channel.get(v, 0)}
            for v, label in Channel.choices
        ],
        "by_outcome": [
            {"outcome": v, "label": str(label), "count": by_outcome.get(v, 0)}
            for v, label in Outcome.choices
        ],
        "new_leads": new_leads,
        "applications": converted,
        "application_amount_fen": sum(
            fen(lead.application.amount) for lead in converted if lead.application is not None
        ),
        "tomorrow": tomorrow,
    }
