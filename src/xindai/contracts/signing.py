"""面签 and 签约复核 (issue 7, point 5): the face-to-face signing record of a checked contract and
the post-signing check by a second person."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from xindai.contracts import documents, domain, filling
from xindai.contracts.models import (
    Contract,
    ContractKind,
    ContractStatus,
    SigningParty,
    SigningRecord,
    SigningStatus,
)
from xindai.contracts.services import (
    SIGN,
    VERIFY,
    record,
    refuse_if_inconsistent,
)
from xindai.core.errors import DomainError, FormInvalid
from xindai.core.masking import mask_id_number
from xindai.core.problems import by_field
from xindai.customers.documents import sniff
from xindai.customers.services import require
from xindai.org.models import User


def party_needed(contract: Contract) -> domain.PartyNeeded:
    role = filling.PARTY_ROLES[ContractKind(contract.kind)]
    company = bool(contract.terms.get("party_company"))
    return domain.PartyNeeded(role.value, str(role.label), contract.party_name, company)


def sign(
    actor: Any, contract: Contract, signing: domain.Signing, files: dict[int, Any]
) -> SigningRecord:
    """面签 recorded: ``signing`` as entered, ``files`` the authority documents by signatory
    index. Only a checked contract, still consistent with the approval, can be signed."""
    require(actor, SIGN)
    staff = User.objects.filter(pk__in=[w for w in signing.witnesses if w], is_active=True)
    staff_ids = frozenset(staff.exclude(org_unit=None).values_list("pk", flat=True))
    signing = replace(signing, staff_ids=staff_ids, recorder_id=actor.pk)
    uploads = {i: upload_digest(f) for i, f in files.items() if f is not None}
    with transaction.atomic():
        contract = Contract.objects.select_for_update().get(pk=contract.pk)
        if contract.status != ContractStatus.CHECKED:
            raise DomainError(gettext("只有核对通过的合同可以面签"), code="wrong_status")
        refuse_if_inconsistent(contract, gettext("合同核对后与批复或模板不再一致，不能面签"))
        problems = domain.signing_problems(signing, [party_needed(contract)], timezone.now())
        if problems:
            raise FormInvalid(
                gettext("面签信息不完整，未保存"), details=by_field(problems, gettext)
            )
        made = save_signing(actor, contract, signing, uploads)
        contract.status = ContractStatus.SIGNED
        contract.save(update_fields=["status"])
        parties = [
            {
                "role": p.role,
                "name": p.name,
                "capacity": p.capacity,
                "id": mask_id_number(p.id_number),
            }
            for p in signing.signatories
        ]
        changes = {"place": signing.place, "witnesses": list(signing.witnesses), "parties": parties}
        record(actor, "contracts.signed", contract, changes=changes)
    return made


def upload_digest(upload: Any) -> tuple[Any, str]:
    limit = settings.XINDAI_UPLOAD_MAX_BYTES
    upload.seek(0)
    content = upload.read()
    kind = sniff(content[:16], upload.name or "")
    if not content or len(content) > limit or kind not in settings.XINDAI_UPLOAD_TYPES:
        message = gettext("授权文件须为不超过上限的 PDF、JPG、PNG 或 DOCX 文件")
        raise FormInvalid(message, details={"parties": [message]})
    upload.seek(0)
    return upload, documents.sha256(content)


def save_signing(
    actor: Any, contract: Contract, signing: domain.Signing, uploads: dict[int, tuple[Any, str]]
) -> SigningRecord:
    one, two = signing.witnesses
    made = SigningRecord.objects.create(
        contract=contract,
        signed_at=signing.signed_at,
        place=signing.place.strip(),
        witness_one_id=int(one or 0),
        witness_two_id=int(two or 0),
        notes=signing.notes.strip(),
        recorded_by=actor,
    )
    for index, person in enumerate(signing.signatories):
        party = SigningParty(
            signing=made,
            role=person.role,
            name=person.name.strip(),
            capacity=person.capacity,
            id_number=person.id_number.strip().upper(),
            identity_checked=person.identity_checked,
            seal_checked=person.seal_checked,
        )
        if index in uploads:
            upload, digest = uploads[index]
            suffix = (upload.name or "").rsplit(".", 1)[-1].lower()[:5]
            party.authority_document.save(f"{digest[:16]}.{suffix}", upload, save=False)
            party.authority_sha256 = digest
        party.save()
    return made


def verify(actor: Any, contract: Contract, *, passed: bool, note: str = "") -> SigningRecord:
    """签约复核 by someone who neither recorded nor witnessed the signing: passed → 签约已复核;
    failed (a reason is required) → the signing is rejected and the contract goes back to
    已核对, to be signed again face to face."""
    require(actor, VERIFY)
    with transaction.atomic():
        contract = Contract.objects.select_for_update().get(pk=contract.pk)
        if contract.status != ContractStatus.SIGNED:
            raise DomainError(gettext("只有已签约的合同可以复核"), code="wrong_status")
        signing = contract.signings.filter(status=SigningStatus.RECORDED).first()
        if signing is None:
            raise DomainError(gettext("没有待复核的面签记录"), code="no_signing")
        problems = domain.verification_problems(
            actor.pk, signing.recorded_by_id, signing.witness_ids
        )
        if problems:
            raise DomainError(problems[0].text(gettext), code="separation")
        if not passed and not note.strip():
            message = gettext("复核未通过须写明原因")
            raise FormInvalid(message, details={"note": [message]})
        signing.status = SigningStatus.VERIFIED if passed else SigningStatus.REJECTED
        signing.verified_by, signing.verified_at = actor, timezone.now()
        signing.verification_note = note.strip()
        signing.save(update_fields=["status", "verified_by", "verified_at", "verification_note"])
        contract.status = ContractStatus.VERIFIED if passed else ContractStatus.CHECKED
        contract.save(update_fields=["status"])
        action = "contracts.signing_verified" if passed else "contracts.signing_rejected"
        record(actor, action, contract, changes={"signing": signing.pk}, reason=note.strip())
    return signing
