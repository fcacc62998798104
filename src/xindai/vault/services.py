"""Use cases of registration and the vault: each checks the permission, asks the pure rules
(:mod:`xindai.vault.domain`), saves once in one transaction and writes an audit event. Pages,
the API and the CLI all come through here; they look records up in the user's scope first
(:mod:`xindai.vault.queries`)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from xindai.audit import services as audit
from xindai.core.errors import DomainError, FormInvalid
from xindai.core.problems import Problem, by_field, mark
from xindai.credit.models import ApplicationCollateral, CreditApplication
from xindai.customers.forms import errors_of
from xindai.customers.services import as_of_today, require
from xindai.vault import domain
from xindai.vault.forms import DecisionForm, ReceiveForm, RegistrationForm, ReleaseForm
from xindai.vault.models import (
    Direction,
    ItemKind,
    ItemStatus,
    MovementState,
    Registration,
    VaultItem,
    VaultMovement,
    VaultSequence,
)

ADD_REGISTRATION = "vault.add_registration"
KEEP = "vault.keep_vault"
APPROVE = "vault.approve_release"


class VaultRefused(DomainError):
    """A vault rule said no; ``details`` lists every reason by field."""

    status = 409
    code = "vault_refused"


def _refuse(message: str, problems: list[Problem]) -> None:
    if problems:
        raise VaultRefused(message, details=by_field(problems, gettext))


def _invalid(message: str, form: Any) -> FormInvalid:
    return FormInvalid(message, details=errors_of(form))


def loan_status(application: CreditApplication) -> str | None:
    from xindai.loans.models import LoanAccount

    return (
        LoanAccount.objects.filter(application=application).values_list("status", flat=True).first()
    )


# ---- registration (抵质押登记) ----------------------------------------------------------------


def register(actor: Any, collateral: ApplicationCollateral, data: dict[str, Any]) -> Registration:
    """The registry's record of a mortgage or pledge of an approved application."""
    require(actor, ADD_REGISTRATION)
    form = RegistrationForm(data)
    if not form.is_valid():
        raise _invalid(gettext("登记信息有误，未保存"), form)
    values = form.cleaned_data
    with transaction.atomic():
        application = CreditApplication.objects.select_for_update().get(
            pk=collateral.application_id
        )
        problems = domain.registration_problems(
            stage=application.stage,
            registered_on=values["registered_on"],
            as_of=as_of_today(),
            secured_amount=values["secured_amount"],
        )
        problems += _registration_conflicts(collateral, values)
        _refuse(gettext("不能办理抵质押登记"), problems)
        registration = Registration(collateral=collateral, recorded_by=actor, **values)
        try:
            with transaction.atomic():
                registration.save()
        except IntegrityError as exc:  # the same certificate, or a second click, just now
            raise VaultRefused(gettext("该押品已登记或权证号重复"), code="duplicate") from exc
        audit.record(
            "vault.registered",
            actor=actor,
            object_type="vault.registration",
            object_id=registration.pk,
            changes={
                "application": application.number,
                "collateral": collateral.description,
                "registry": registration.registry,
                "registered_on": registration.registered_on,
                "certificate_no": registration.certificate_no,
                "secured_amount": str(registration.secured_amount),
            },
        )
    return registration


def _registration_conflicts(
    collateral: ApplicationCollateral, values: dict[str, Any]
) -> list[Problem]:
    found = []
    if Registration.objects.filter(collateral=collateral).exists():
        found.append(Problem("collateral", mark("该押品已办理登记")))
    same = Registration.objects.filter(
        registry=values["registry"], certificate_no=values["certificate_no"]
    )
    if same.exists():
        params = {"number": values["certificate_no"]}
        found.append(
            Problem("certificate_no", mark("权证号 %(number)s 已登记过，不能重复登记"), params)
        )
    return found


# ---- receiving into the vault (入库) -----------------------------------------------------------


def next_number(year: int) -> str:
    """The next 入库编号 of ``year``, KF<year><6 digits>; the caller's transaction holds the
    year's row locked until it commits, so two receipts never share a number."""
    VaultSequence.objects.bulk_create([VaultSequence(year=year)], ignore_conflicts=True)
    sequence = VaultSequence.objects.select_for_update().get(year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"KF{year}{sequence.last:06d}"


def receive(actor: Any, registration: Registration, data: dict[str, Any]) -> VaultItem:
    """The certificate of ``registration`` (or the pledged item) received into the vault and
    entered on the off-balance-sheet list (表外登记) at its value."""
    require(actor, KEEP)
    form = ReceiveForm(data)
    if not form.is_valid():
        raise _invalid(gettext("入库信息有误，未保存"), form)
    values = form.cleaned_data
    value = values["value"] if values["value"] is not None else registration.secured_amount
    today = as_of_today()
    with transaction.atomic():
        collateral = registration.collateral
        application = CreditApplication.objects.select_for_update().get(
            pk=collateral.application_id
        )
        already = VaultItem.objects.filter(
            registration=registration, kind=values["kind"], status=ItemStatus.IN
        ).first()
        problems = domain.receiving_problems(
            stage=application.stage,
            already_in=already.number if already else None,
            value=value,
        )
        _refuse(gettext("不能办理入库"), problems)
        item = VaultItem.objects.create(
            number=next_number(today.year),
            application=application,
            collateral=collateral,
            registration=registration,
            kind=values["kind"],
            description=values["description"].strip() or _description(registration, values["kind"]),
            value=value,
            received_on=today,
            received_by=actor,
        )
        VaultMovement.objects.create(
            item=item,
            direction=Direction.IN,
            state=MovementState.DONE,
            amount=value,
            requested_by=actor,
            business_date=today,
        )
        _audit_item(actor, "vault.received", item, {"value": str(value), "kind": item.kind})
    return item


def _description(registration: Registration, kind: str) -> str:
    if kind == ItemKind.CERTIFICATE:
        return f"{gettext('他项权证')} {registration.certificate_no}"
    return f"{registration.collateral.description} {registration.certificate_no}"


def _audit_item(
    actor: Any, action: str, item: VaultItem, changes: dict[str, Any], reason: str = ""
) -> None:
    audit.record(
        action,
        actor=actor,
        object_type="vault.vaultitem",
        object_id=item.pk,
        changes={"number": item.number, "application": item.application.number, **changes},
        reason=reason,
    )


# ---- release (出库): request, then approval by another person ---------------------------------


def request_release(actor: Any, item: VaultItem, data: dict[str, Any]) -> VaultMovement:
    """A request to release ``item``, with its reason; flagged when the secured loan is not
    settled (which the requester must acknowledge)."""
    require(actor, KEEP)
    form = ReleaseForm(data)
    if not form.is_valid():
        raise _invalid(gettext("出库申请有误，未保存"), form)
    reason, acknowledged = form.cleaned_data["reason"], form.cleaned_data["acknowledge"]
    with transaction.atomic():
        locked = VaultItem.objects.select_for_update().select_related("application").get(pk=item.pk)
        application = locked.application
        owed = domain.debt_outstanding(application.stage, loan_status(application))
        problems = domain.release_request_problems(
            status=locked.status,
            pending=locked.movements.filter(state=MovementState.PENDING).exists(),
            reason=reason,
            debt_owed=owed,
            acknowledged=acknowledged,
        )
        _refuse(gettext("不能申请出库"), problems)
        movement = VaultMovement.objects.create(
            item=locked,
            direction=Direction.OUT,
            state=MovementState.PENDING,
            amount=locked.value,
            reason=reason.strip(),
            unsettled_loan=owed,
            requested_by=actor,
            business_date=as_of_today(),
        )
        changes = {"unsettled_loan": owed, "value": str(locked.value)}
        _audit_item(actor, "vault.release_requested", locked, changes, reason=reason.strip())
    return movement


def approve_release(
    actor: Any, movement: VaultMovement, data: dict[str, Any] | None = None
) -> VaultMovement:
    """The release approved by someone other than the requester: the item leaves the vault and
    the off-balance-sheet list."""
    return _decide(actor, movement, data or {}, approve=True)


def refuse_release(actor: Any, movement: VaultMovement, data: dict[str, Any]) -> VaultMovement:
    """The release refused, with the reason; the item stays in the vault."""
    return _decide(actor, movement, data, approve=False)


def _decide(
    actor: Any, movement: VaultMovement, data: dict[str, Any], *, approve: bool
) -> VaultMovement:
    require(actor, APPROVE)
    form = DecisionForm(data)
    form.is_valid()
    note = str(form.cleaned_data.get("note", "")).strip()
    with transaction.atomic():
        locked = VaultMovement.objects.select_for_update().get(pk=movement.pk)
        problems = domain.decision_problems(
            state=locked.state,
            requester_id=locked.requested_by_id,
            decider_id=actor.pk,
            note=note,
            refusing=not approve,
        )
        _refuse(gettext("不能审批该出库申请"), problems)
        locked.state = MovementState.DONE if approve else MovementState.REFUSED
        locked.approved_by, locked.decided_at, locked.decision_note = actor, timezone.now(), note
        locked.save(update_fields=["state", "approved_by", "decided_at", "decision_note"])
        item = (
            VaultItem.objects.select_for_update()
            .select_related("application")
            .get(pk=locked.item_id)
        )
        if approve:
            item.status, item.released_on = ItemStatus.OUT, as_of_today()
            item.save(update_fields=["status", "released_on"])
        action = "vault.release_approved" if approve else "vault.release_refused"
        changes = {
            "requested_by": locked.requested_by.username,
            "unsettled_loan": locked.unsettled_loan,
        }
        _audit_item(actor, action, item, changes, reason=note)
    return locked
