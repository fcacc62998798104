"""Use cases that change the organisation; each one audited in the same transaction."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from xindai.audit import services as audit
from xindai.org.models import ApiToken, User


def _label(instance: Model) -> str:
    return f"{instance._meta.app_label}.{instance._meta.model_name}"


def record_change(
    instance: Model, *, actor: Any, changes: dict[str, Any], created: bool, reason: str = ""
) -> None:
    audit.record(
        f"{_label(instance)}.{'create' if created else 'change'}",
        actor=actor,
        object_type=_label(instance),
        object_id=str(instance.pk),
        changes=changes,
        reason=reason,
    )


def save_audited(
    instance: Model, *, actor: Any, changes: dict[str, Any], reason: str = ""
) -> Model:
    """Save a record (from the admin or a form) and audit what changed, in one transaction."""
    created = instance._state.adding
    with transaction.atomic():
        instance.save()
        record_change(instance, actor=actor, changes=changes, created=created, reason=reason)
    return instance


def deactivate_user(user: User, *, actor: Any, reason: str) -> None:
    """Staff are deactivated, never deleted: their audit events keep pointing at them."""
    with transaction.atomic():
        user.is_active = False
        user.save(update_fields=["is_active"])
        audit.record(
            "org.user.deactivate",
            actor=actor,
            object_type="org.user",
            object_id=str(user.pk),
            changes={"is_active": [True, False]},
            reason=reason,
        )


def issue_token(user: User, *, name: str, days: int, actor: Any) -> tuple[ApiToken, str]:
    """A new API token; the raw value is returned once and only its digest is kept."""
    raw = "xd_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=raw[:10],
            digest=ApiToken.digest_of(raw),
            expires_at=timezone.now() + dt.timedelta(days=days),
        )
        audit.record(
            "org.apitoken.create",
            actor=actor,
            object_type="org.apitoken",
            object_id=str(token.pk),
            changes={"user": user.username, "name": name, "days": days},
        )
    return token, raw
