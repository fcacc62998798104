"""Leads (商机) becoming credit applications (申请受理): the application is made on the customer's
economic archive — the one linked to the stock record, or a new draft archive created from it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext

from xindai.audit.services import record as audit_record
from xindai.core.errors import DomainError, FormInvalid
from xindai.core.industry import division_of
from xindai.core.money import fen
from xindai.credit import services as credit_services
from xindai.credit.models import CreditApplication, Source
from xindai.customers import services as customer_services
from xindai.customers.models import Area, Customer, CustomerKind
from xindai.marketing.models import Lead, LeadStatus, Target, TargetStatus
from xindai.marketing.work import WORK, my_leads
from xindai.scoring.models import StockCustomer


class ArchiveIncomplete(DomainError):
    status = 409
    code = "archive_incomplete"


def require(actor: Any, permission: str) -> None:
    if not actor.has_perm(permission):
        raise PermissionDenied(permission)


def archive_industry_code(code: str) -> str:
    """The archive's GB/T 4754 code (2-4 digits) from the core system's, which may lead with
    the section letter ("A011" → "011" is not a division: kept only when valid, else blank)."""
    digits = code.strip().upper().lstrip("ABCDEFGHIJKLMNOPQRST")
    return digits if division_of(digits) is not None else ""


def archive_for(stock: StockCustomer, actor: Any) -> Customer:
    """The customer's archive: the linked one, one with the same ID number (then linked), or a new
    draft archive from the stock record (a farmer needs his resident ID and his village)."""
    if stock.archive_id is not None:
        return stock.archive  # type: ignore[return-value]
    if stock.id_number:
        same = Customer.objects.filter(id_number=stock.id_number).first()
        if same is not None:
            stock.archive = same
            stock.save(update_fields=["archive", "updated_at"])
            return same
    if not stock.id_number:
        label = (
            gettext("居民身份证号")
            if stock.kind == CustomerKind.FARMER
            else gettext("统一社会信用代码")
        )
        raise ArchiveIncomplete(
            gettext("存量客户缺少%(what)s，请先补全客户档案后再转申请") % {"what": label},
            details={"id_number": [gettext("缺少证件号码")]},
        )
    village = Area.objects.filter(code=stock.village_code).first() if stock.village_code else None
    if stock.kind == CustomerKind.FARMER and village is None:
        raise ArchiveIncomplete(
            gettext("存量客户的所在村不在行政区划中，请先补全客户档案后再转申请"),
            details={"village": [stock.village_code or ""]},
        )
    data = {
        "kind": stock.kind,
        "name": stock.name,
        "id_number": stock.id_number,
        "phone": stock.phone,
        "address": stock.village_name,
        "village": village.pk if village else "",
        "industry_code": archive_industry_code(stock.industry_code),
        "manager": actor.pk,
    }
    try:
        archive = customer_services.create_customer(actor, data)
    except FormInvalid as error:
        raise ArchiveIncomplete(
            gettext("存量客户信息不足以建档，请先补全客户档案后再转申请"),
            details=error.details,
        ) from error
    stock.archive = archive
    stock.save(update_fields=["archive", "updated_at"])
    return archive


def initial_for(lead: Lead) -> dict[str, Any]:
    """The conversion form's starting values, from the lead."""
    return {
        "product": lead.product_id or "",
        "amount": str(Decimal(lead.amount_fen) / 100) if lead.amount_fen else "",
        "purpose_text": lead.need,
        "legal_capacity": "full",
    }


def convert(actor: Any, lead: Lead, data: dict[str, Any]) -> CreditApplication:
    """The lead's credit application, submitted (申请受理) with source 营销走访; the lead becomes
    converted and its target applied with the amount."""
    require(actor, WORK)
    if not my_leads(actor).filter(pk=lead.pk).exists():
        raise PermissionDenied("lead")
    if lead.status != LeadStatus.OPEN:
        raise DomainError(gettext("该商机已转申请或已放弃"), code="lead_closed")
    payload = dict(data)
    payload["source"] = Source.MARKETING
    payload.setdefault("source_note", gettext("营销商机 %(pk)s") % {"pk": lead.pk})
    payload.setdefault("guarantee_methods", ["credit"])
    with transaction.atomic():
        locked = Lead.objects.select_for_update().get(pk=lead.pk)
        if locked.status != LeadStatus.OPEN:
            raise DomainError(gettext("该商机已转申请或已放弃"), code="lead_closed")
        archive = archive_for(locked.customer, actor)
        application = credit_services.create_application(actor, archive, payload, submit=True)
        locked.status = LeadStatus.CONVERTED
        locked.application = application
        locked.save(update_fields=["status", "application"])
        amount_fen = fen(application.amount)
        targets = Target.objects.filter(pk=locked.target_id) if locked.target_id else None
        if targets is None:
            targets = Target.objects.filter(
                customer=locked.customer,
                manager=actor,
                status__in=(
                    TargetStatus.NEW,
                    TargetStatus.REACHED,
                    TargetStatus.INTERESTED,
                    TargetStatus.APPLIED,
                ),
                application__isnull=True,
            )
        for target in targets:
            target.status = TargetStatus.APPLIED
            target.amount_fen = amount_fen
            target.application = application
            target.save(update_fields=["status", "amount_fen", "application", "updated_at"])
        audit_record(
            "marketing.lead_converted",
            actor=actor,
            object_type="marketing.lead",
            object_id=locked.pk,
            changes={"application": application.number, "amount_fen": amount_fen},
        )
    lead.refresh_from_db()
    return application


def drop(actor: Any, lead: Lead, note: str = "") -> Lead:
    require(actor, WORK)
    if not my_leads(actor).filter(pk=lead.pk).exists():
        raise PermissionDenied("lead")
    if lead.status != LeadStatus.OPEN:
        raise DomainError(gettext("该商机已转申请或已放弃"), code="lead_closed")
    with transaction.atomic():
        lead.status = LeadStatus.DROPPED
        lead.save(update_fields=["status"])
        audit_record(
            "marketing.lead_dropped",
            actor=actor,
            object_type="marketing.lead",
            object_id=lead.pk,
            reason=note[:200],
        )
    return lead
