"""Reads for pages, the API and the CLI: the vault items and registrations a user may see, the
off-balance-sheet list with its totals, and the facts the reconciliation compares."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from xindai.credit.approved import current_terms
from xindai.credit.models import CreditApplication
from xindai.credit.queries import visible_applications
from xindai.vault import domain
from xindai.vault.models import (
    Direction,
    ItemKind,
    ItemStatus,
    MovementState,
    Registration,
    VaultItem,
    VaultMovement,
)

TEN_THOUSAND = Decimal(10_000)


def visible_items(user: Any) -> QuerySet[VaultItem]:
    """The vault items of the applications the user may see (his own, for a manager)."""
    found = VaultItem.objects.select_related(
        "application", "application__customer", "application__org_unit", "registration"
    )
    if user is None:
        return found
    return found.filter(application__in=visible_applications(user).values("pk"))


def item_for(user: Any, pk: object) -> VaultItem:
    return get_object_or_404(visible_items(user), pk=pk)


def registration_for(user: Any, pk: object) -> Registration:
    found = Registration.objects.select_related("collateral", "collateral__application")
    found = found.filter(collateral__application__in=visible_applications(user).values("pk"))
    return get_object_or_404(found, pk=pk)


def movement_for(user: Any, pk: object) -> VaultMovement:
    found = VaultMovement.objects.select_related("item", "requested_by")
    found = found.filter(item__in=visible_items(user).values("pk"))
    return get_object_or_404(found, pk=pk)


def pending_q() -> Q:
    return Q(movements__state=MovementState.PENDING)


def items_for(
    user: Any,
    *,
    q: str = "",
    status: str = "",
    kind: str = "",
    unit: str = "",
    pending: bool = False,
    received_from: dt.date | None = None,
    received_to: dt.date | None = None,
) -> QuerySet[VaultItem]:
    """The vault register, filtered; newest first."""
    found = visible_items(user)
    if q.strip():
        text = q.strip()
        found = found.filter(
            Q(number__icontains=text)
            | Q(description__icontains=text)
            | Q(application__number__icontains=text)
            | Q(application__customer__name__icontains=text)
            | Q(registration__certificate_no__icontains=text)
        )
    if status:
        found = found.filter(status=status)
    if kind:
        found = found.filter(kind=kind)
    if unit:
        found = found.filter(application__org_unit__code=unit)
    if pending:
        waiting = VaultMovement.objects.filter(item=OuterRef("pk"), state=MovementState.PENDING)
        found = found.filter(Exists(waiting))
    if received_from:
        found = found.filter(received_on__gte=received_from)
    if received_to:
        found = found.filter(received_on__lte=received_to)
    return found.order_by("-received_on", "-pk")


# ---- the off-balance-sheet list (表外登记) ------------------------------------------------------


@dataclass(frozen=True)
class Total:
    key: str
    label: str
    count: int
    amount: Decimal

    @property
    def wan(self) -> Decimal:
        return (self.amount / TEN_THOUSAND).quantize(Decimal("0.01"))


def totals(items: QuerySet[VaultItem]) -> dict[str, Any]:
    """Totals of the in-vault items: overall, by kind and by org unit."""
    in_vault = items.filter(status=ItemStatus.IN).order_by()
    labels = dict(ItemKind.choices)
    by_kind = [
        Total(row["kind"], str(labels.get(row["kind"], row["kind"])), row["n"], _dec(row["s"]))
        for row in in_vault.values("kind").annotate(n=Count("pk"), s=Sum("value")).order_by("kind")
    ]
    by_unit = [
        Total(
            row["application__org_unit__code"],
            row["application__org_unit__name"],
            row["n"],
            _dec(row["s"]),
        )
        for row in in_vault.values("application__org_unit__code", "application__org_unit__name")
        .annotate(n=Count("pk"), s=Sum("value"))
        .order_by("application__org_unit__code")
    ]
    overall = Total(
        "", "", sum(t.count for t in by_kind), sum((t.amount for t in by_kind), Decimal(0))
    )
    return {"overall": overall, "by_kind": by_kind, "by_unit": by_unit}


def _dec(value: Any) -> Decimal:
    """SUM comes back as a float on SQLite: to the fen as a Decimal."""
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


# ---- reconciliation (对账) ---------------------------------------------------------------------


def _loan_statuses(application_ids: set[int]) -> dict[int, str]:
    from xindai.loans.models import LoanAccount

    rows = LoanAccount.objects.filter(application__in=application_ids)
    return dict(rows.values_list("application_id", "status"))


def reconciliation_facts(
    user: Any,
) -> tuple[list[domain.RegistrationFact], list[domain.ItemFact], Decimal]:
    """What the reconciliation compares, within the user's scope (``None``: everything)."""
    applications = CreditApplication.objects.all() if user is None else visible_applications(user)
    registrations = list(
        Registration.objects.filter(
            collateral__application__in=applications.values("pk")
        ).select_related("collateral__application")
    )
    items = list(visible_items(user))
    ids = {r.collateral.application_id for r in registrations} | {i.application_id for i in items}
    loans = _loan_statuses(ids)
    kept = set(
        VaultItem.objects.filter(
            registration__in=[r.pk for r in registrations], status=ItemStatus.IN
        ).values_list("registration_id", flat=True)
    )
    return (
        [_registration_fact(r, loans, kept) for r in registrations],
        [_item_fact(i, loans) for i in items],
        _ledger(items),
    )


def _registration_fact(
    registration: Registration, loans: dict[int, str], kept: set[int]
) -> domain.RegistrationFact:
    application = registration.collateral.application
    status = loans.get(application.pk)
    if status is not None:
        needs = status not in domain.CLOSED_LOAN
    else:
        needs = application.stage == "disbursement" and current_terms(application) is not None
    return domain.RegistrationFact(
        pk=registration.pk,
        certificate_no=registration.certificate_no,
        application=application.number or "",
        needs_certificate=needs,
        certificate_in=registration.pk in kept,
    )


def _item_fact(item: VaultItem, loans: dict[int, str]) -> domain.ItemFact:
    application = item.application
    approved = item.movements.filter(
        direction=Direction.OUT, state=MovementState.DONE, approved_by__isnull=False
    ).exclude(approved_by=F("requested_by"))
    return domain.ItemFact(
        pk=item.pk,
        number=item.number,
        application=application.number or "",
        status=item.status,
        value=item.value,
        case_live=domain.debt_outstanding(application.stage, loans.get(application.pk)),
        approved_release=approved.exists(),
    )


def _ledger(items: list[VaultItem]) -> Decimal:
    total = Decimal(0)
    movements = VaultMovement.objects.filter(
        item__in=[i.pk for i in items], state=MovementState.DONE
    )
    for direction, amount in movements.values_list("direction", "amount"):
        total += amount if direction == Direction.IN else -amount
    return total


def reconcile(user: Any) -> list[domain.Discrepancy]:
    registrations, items, ledger = reconciliation_facts(user)
    return domain.reconcile(registrations, items, ledger)


def panel(application: CreditApplication) -> list[dict[str, Any]]:
    """The application's collateral, each with its registration and vault items."""
    rows = []
    for collateral in application.collateral.order_by("pk"):
        registration = Registration.objects.filter(collateral=collateral).first()
        items = (
            list(registration.vault_items.order_by("pk").prefetch_related("movements"))
            if registration
            else []
        )
        rows.append({"collateral": collateral, "registration": registration, "items": items})
    return rows
