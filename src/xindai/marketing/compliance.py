"""The customer's consents and channel refusals, and the check every marketing contact passes
(rules in :mod:`xindai.marketing.domain_compliance`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from xindai.audit.services import record as audit_record
from xindai.core.errors import InvalidInput
from xindai.credit.facts import current_policy
from xindai.marketing import domain_compliance as rules
from xindai.marketing.models import (
    Channel,
    ChannelRefusal,
    Consent,
    ConsentPurpose,
    Contact,
    Target,
    TargetStatus,
)
from xindai.scoring.models import StockCustomer

ADD_CONSENT = "marketing.add_consent"
ADD_REFUSAL = "marketing.add_channelrefusal"
OPT_OUT_REASON = "客户撤回个性化营销授权"
OPEN_STATUSES = (TargetStatus.NEW, TargetStatus.REACHED, TargetStatus.INTERESTED)


def require(actor: Any, permission: str) -> None:
    if not actor.has_perm(permission):
        raise PermissionDenied(permission)


def _records(customer: StockCustomer, purpose: str) -> list[rules.ConsentRecord]:
    return [
        rules.ConsentRecord(c.granted, c.effective_at, c.expires_on)
        for c in Consent.objects.filter(customer=customer, purpose=purpose)
    ]


def consent_in_force(customer: StockCustomer, purpose: str, at: dt.datetime | None = None) -> bool:
    moment = timezone.localtime(at or timezone.now())
    return rules.consent_in_force(
        [
            rules.ConsentRecord(r.granted, timezone.localtime(r.effective_at), r.expires_on)
            for r in _records(customer, purpose)
        ],
        moment,
    )


def consent_states(customer: StockCustomer) -> list[dict[str, Any]]:
    """Every purpose with its state now and its full history (newest first)."""
    history = list(
        Consent.objects.filter(customer=customer)
        .select_related("recorded_by")
        .order_by("-effective_at", "-pk")
    )
    now = timezone.now()
    states = []
    for value, label in ConsentPurpose.choices:
        mine = [c for c in history if c.purpose == value]
        latest = next((c for c in mine if c.effective_at <= now), None)
        states.append(
            {
                "purpose": value,
                "label": str(label),
                "in_force": consent_in_force(customer, value, now),
                "latest": latest,
                "expired": bool(
                    latest
                    and latest.granted
                    and latest.expires_on
                    and latest.expires_on < timezone.localdate()
                ),
                "history": mine,
            }
        )
    return states


def refused_channels(customer: StockCustomer) -> set[str]:
    return set(
        ChannelRefusal.objects.filter(customer=customer, lifted_at__isnull=True).values_list(
            "channel", flat=True
        )
    )


def check_contact(
    customer: StockCustomer,
    channel: str,
    at: dt.datetime,
    actor: Any = None,
    *,
    target: Target | None = None,
) -> list[str]:
    """The reasons a contact with ``customer`` by ``channel`` at ``at`` is refused (empty =
    allowed). ``target``: the list entry the contact works (chosen from scores)."""
    _version, policy = current_policy()
    local = timezone.localtime(at)
    previous = tuple(
        timezone.localtime(t)
        for t in Contact.objects.filter(
            customer=customer, contacted_at__gt=at - rules.MONTH, contacted_at__lte=at
        ).values_list("contacted_at", flat=True)
    )
    facts = rules.ContactFacts(
        at_local=local,
        # In force when the contact took place and still now, when it is recorded: a contact
        # logged after a withdrawal is refused even when dated a little earlier.
        marketing_consent=consent_in_force(customer, ConsentPurpose.MARKETING_DATA, at)
        and consent_in_force(customer, ConsentPurpose.MARKETING_DATA),
        opted_out=customer.opted_out_at is not None,
        from_scores=target is not None,
        channel_refused=channel in refused_channels(customer),
        channel_label=str(Channel(channel).label) if channel in Channel.values else channel,
        previous=previous,
    )
    return rules.refusal_reasons(
        facts,
        rules.ContactRules(
            per_week=policy.contacts_per_week,
            per_month=policy.contacts_per_month,
            quiet_start=policy.quiet_hours_start,
            quiet_end=policy.quiet_hours_end,
        ),
    )


def record_consent(
    actor: Any,
    customer: StockCustomer,
    purpose: str,
    granted: bool,
    evidence: str,
    stated_purpose: str = "",
    *,
    effective_at: dt.datetime | None = None,
    expires_on: dt.date | None = None,
) -> Consent:
    """A grant or a withdrawal, with its evidence (a new record: history is never rewritten).
    Withdrawing 个性化营销 marks the customer opted out and excludes his open targets."""
    require(actor, ADD_CONSENT)
    if purpose not in ConsentPurpose.values:
        raise InvalidInput(gettext("授权事项不正确"), details={"purpose": [purpose]})
    evidence = (evidence or "").strip()
    if not evidence:
        raise InvalidInput(
            gettext("请填写凭证（如授权书编号、录音编号）"),
            details={"evidence": [gettext("必填")]},
        )
    now = timezone.now()
    with transaction.atomic():
        consent = Consent.objects.create(
            customer=customer,
            purpose=purpose,
            granted=granted,
            stated_purpose=(stated_purpose or "").strip()[:200],
            evidence=evidence[:300],
            recorded_by=actor,
            effective_at=effective_at or now,
            expires_on=expires_on if granted else None,
        )
        excluded = 0
        if purpose == ConsentPurpose.PERSONALISED:
            if granted:
                if customer.opted_out_at is not None:
                    customer.opted_out_at = None
                    customer.save(update_fields=["opted_out_at", "updated_at"])
            else:
                customer.opted_out_at = consent.effective_at
                customer.save(update_fields=["opted_out_at", "updated_at"])
                excluded = Target.objects.filter(
                    customer=customer, status__in=OPEN_STATUSES
                ).update(
                    status=TargetStatus.EXCLUDED,
                    exclusion_reason=OPT_OUT_REASON,
                    updated_at=now,
                )
        audit_record(
            "marketing.consent_granted" if granted else "marketing.consent_withdrawn",
            actor=actor,
            object_type="marketing.consent",
            object_id=consent.pk,
            changes={
                "customer": customer.customer_no,
                "purpose": purpose,
                "evidence": consent.evidence,
                "targets_excluded": excluded,
            },
        )
    return consent


def refuse_channel(
    actor: Any, customer: StockCustomer, channel: str, note: str = ""
) -> ChannelRefusal:
    require(actor, ADD_REFUSAL)
    if channel not in Channel.values:
        raise InvalidInput(gettext("渠道不正确"), details={"channel": [channel]})
    with transaction.atomic():
        existing = ChannelRefusal.objects.filter(
            customer=customer, channel=channel, lifted_at__isnull=True
        ).first()
        if existing is not None:
            return existing
        refusal = ChannelRefusal.objects.create(
            customer=customer,
            channel=channel,
            refused_at=timezone.now(),
            note=(note or "").strip()[:200],
            recorded_by=actor,
        )
        audit_record(
            "marketing.channel_refused",
            actor=actor,
            object_type="marketing.channelrefusal",
            object_id=refusal.pk,
            changes={"customer": customer.customer_no, "channel": channel},
        )
    return refusal


def lift_refusal(actor: Any, refusal: ChannelRefusal) -> ChannelRefusal:
    """The customer lifts his refusal himself (recorded on his request)."""
    require(actor, ADD_REFUSAL)
    if refusal.lifted_at is None:
        with transaction.atomic():
            refusal.lifted_at = timezone.now()
            refusal.save(update_fields=["lifted_at"])
            audit_record(
                "marketing.channel_refusal_lifted",
                actor=actor,
                object_type="marketing.channelrefusal",
                object_id=refusal.pk,
                changes={"customer": refusal.customer.customer_no, "channel": refusal.channel},
            )
    return refusal
