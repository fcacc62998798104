"""The vault's records as JSON-ready dicts (the API, the CLI and exports share them): amounts
as strings with two decimals, dates in ISO form, ID numbers masked."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext

from xindai.core.masking import mask_id_number
from xindai.vault import domain
from xindai.vault.models import Registration, VaultItem, VaultMovement
from xindai.vault.queries import Total


def _name(user: Any) -> str:
    return "" if user is None else (user.full_name or user.username)


def registration_json(registration: Registration) -> dict[str, Any]:
    return {
        "id": registration.pk,
        "collateral_id": registration.collateral_id,
        "registry": registration.registry,
        "registered_on": registration.registered_on.isoformat(),
        "certificate_no": registration.certificate_no,
        "secured_amount": f"{registration.secured_amount:.2f}",
        "recorded_by": _name(registration.recorded_by),
    }


def movement_json(movement: VaultMovement) -> dict[str, Any]:
    return {
        "id": movement.pk,
        "direction": movement.direction,
        "direction_label": str(movement.get_direction_display()),
        "state": movement.state,
        "state_label": str(movement.get_state_display()),
        "amount": f"{movement.amount:.2f}",
        "reason": movement.reason,
        "unsettled_loan": movement.unsettled_loan,
        "requested_by": _name(movement.requested_by),
        "at": movement.at.isoformat(),
        "business_date": movement.business_date.isoformat(),
        "approved_by": _name(movement.approved_by),
        "decided_at": movement.decided_at.isoformat() if movement.decided_at else None,
        "decision_note": movement.decision_note,
    }


def item_json(item: VaultItem, *, movements: bool = False) -> dict[str, Any]:
    application = item.application
    found = {
        "id": item.pk,
        "number": item.number,
        "application_id": application.pk,
        "application_number": application.number,
        "customer": application.customer.name,
        "customer_id_number": mask_id_number(application.customer.id_number),
        "org_unit": application.org_unit.code,
        "registration_id": item.registration_id,
        "certificate_no": item.registration.certificate_no if item.registration else "",
        "kind": item.kind,
        "kind_label": str(item.get_kind_display()),
        "description": item.description,
        "value": f"{item.value:.2f}",
        "status": item.status,
        "status_label": str(item.get_status_display()),
        "received_on": item.received_on.isoformat(),
        "released_on": item.released_on.isoformat() if item.released_on else None,
    }
    if movements:
        found["movements"] = [movement_json(m) for m in item.movements.order_by("at", "pk")]
    return found


def total_json(total: Total) -> dict[str, Any]:
    return {
        "key": total.key,
        "label": total.label,
        "count": total.count,
        "amount": f"{total.amount:.2f}",
        "amount_wan": f"{total.wan:.2f}",
    }


def totals_json(totals: dict[str, Any]) -> dict[str, Any]:
    return {
        "overall": total_json(totals["overall"]),
        "by_kind": [total_json(t) for t in totals["by_kind"]],
        "by_unit": [total_json(t) for t in totals["by_unit"]],
    }


def discrepancy_json(found: domain.Discrepancy) -> dict[str, Any]:
    return {
        "kind": found.kind,
        "kind_label": gettext(domain.KIND_LABELS[found.kind]),
        "subject": found.subject,
        "application": found.application,
        "message": found.problem.text(gettext),
    }


def reconciliation_json(found: Iterable[domain.Discrepancy]) -> dict[str, Any]:
    rows = [discrepancy_json(d) for d in found]
    return {"ok": not rows, "count": len(rows), "discrepancies": rows}
