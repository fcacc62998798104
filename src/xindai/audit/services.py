"""Writing and verifying the audit trail."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from xindai.audit import domain
from xindai.audit.context import client_ip
from xindai.audit.models import AuditChainHead, AuditEvent


def _plain(changes: dict[str, Any] | None) -> dict[str, Any]:
    """Dates, decimals and the like as text, so the sealed content survives any database."""
    return json.loads(json.dumps(changes or {}, cls=DjangoJSONEncoder))


def record(
    action: str,
    *,
    actor: Any | None,
    object_type: str = "",
    object_id: str | int = "",
    changes: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction when there is one."""
    staff = actor if getattr(actor, "is_authenticated", False) else None
    unit = getattr(staff, "org_unit", None)
    with transaction.atomic():
        head = AuditChainHead.objects.select_for_update().get(pk=1)
        event = AuditEvent(
            seq=head.count + 1,
            occurred_at=timezone.now().astimezone(dt.UTC),
            actor=staff,
            actor_username=getattr(actor, "username", "") or "",
            roles=staff.role_names() if staff is not None else "",
            org_unit_code=unit.code if unit is not None else "",
            ip=client_ip.get(),
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            changes=_plain(changes),
            reason=reason,
            prev_hash=head.last_hash,
        )
        event.hash = domain.seal(event.content(), event.prev_hash)
        event.save()
        head.count, head.last_hash = event.seq, event.hash
        head.save(update_fields=["count", "last_hash"])
    return event


def _links(batch_size: int = 2000) -> Iterator[domain.ChainLink]:
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=batch_size):
        # The database gives timestamps back in UTC; seal what was sealed.
        event.occurred_at = event.occurred_at.astimezone(dt.UTC)
        yield domain.ChainLink(event.seq, event.content(), event.prev_hash, event.hash)


def verify() -> tuple[int, domain.ChainBreak | None]:
    """Recompute the whole chain: (events checked, first break or None)."""
    head = AuditChainHead.objects.get(pk=1)
    return domain.first_break(_links(), head_hash=head.last_hash, head_count=head.count)
