"""Schemas of the contracts API (no ``from __future__ import annotations``: ninja reads the
annotations at run time). ID numbers appear masked."""

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import Field

from xindai.contracts.models import Contract, ContractTemplate, SigningRecord
from xindai.core.masking import mask_id_number


class ContractFilter(Schema):
    q: str = Field("", description="合同编号、申请编号或客户/相对人名称的一部分")
    kind: str = Field("", description="合同种类：loan, guarantee, mortgage, pledge, max_mortgage")
    status: str = Field("", description="状态：drafted, checked, signed, verified, void")


class ContractRow(Schema):
    id: int
    number: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    application_id: int
    application_number: str
    party_name: str
    party_id_masked: str
    amount: str
    created_at: dt.datetime


class PartyOut(Schema):
    role: str
    name: str
    capacity: str
    id_number_masked: str
    identity_checked: bool
    seal_checked: bool
    authority_sha256: str


class SigningOut(Schema):
    id: int
    signed_at: dt.datetime
    place: str
    witnesses: list[str]
    recorded_by: str
    status: str
    verified_by: str | None
    verified_at: dt.datetime | None
    verification_note: str
    parties: list[PartyOut]


class ContractDetail(ContractRow):
    terms_version: int
    template_version: int
    figures: dict[str, str]
    sha256: str
    void_reason: str
    checked_by: str | None
    checked_at: dt.datetime | None
    signings: list[SigningOut]


class GenerateIn(Schema):
    kind: str = Field(..., description="合同种类；all 生成全部尚未生成的所需合同")
    guarantor: int | None = Field(None, description="保证合同的保证人（申请的保证人记录 id）")
    collateral: int | None = Field(None, description="抵押/质押合同的押品（申请的押品记录 id）")


class VerifyIn(Schema):
    passed: bool
    note: str = ""


class TemplateOut(Schema):
    id: int
    kind: str
    version: int
    sha256: str
    clauses: list[str]
    note: str
    approved: bool
    approved_by: str | None
    approved_at: dt.datetime | None
    in_use: bool


def name_of(user: Any) -> str | None:
    return None if user is None else (user.full_name or user.username)


def row_of(contract: Contract) -> dict[str, Any]:
    context = contract.terms.get("context", {})
    id_number = context.get("borrower_id_number" if contract.kind == "loan" else "party_id_number")
    return {
        "id": contract.pk,
        "number": contract.number,
        "kind": contract.kind,
        "kind_label": contract.get_kind_display(),
        "status": contract.status,
        "status_label": contract.get_status_display(),
        "application_id": contract.application_id,
        "application_number": contract.application.number or "",
        "party_name": contract.party_name,
        "party_id_masked": mask_id_number(id_number or ""),
        "amount": f"{contract.approved_terms.amount:.2f}",
        "created_at": contract.created_at,
    }


def signing_of(signing: SigningRecord) -> dict[str, Any]:
    return {
        "id": signing.pk,
        "signed_at": signing.signed_at,
        "place": signing.place,
        "witnesses": [name_of(signing.witness_one), name_of(signing.witness_two)],
        "recorded_by": name_of(signing.recorded_by),
        "status": signing.status,
        "verified_by": name_of(signing.verified_by),
        "verified_at": signing.verified_at,
        "verification_note": signing.verification_note,
        "parties": [
            {
                "role": p.role,
                "name": p.name,
                "capacity": p.capacity,
                "id_number_masked": mask_id_number(p.id_number),
                "identity_checked": p.identity_checked,
                "seal_checked": p.seal_checked,
                "authority_sha256": p.authority_sha256,
            }
            for p in signing.parties.all()
        ],
    }


def detail_of(contract: Contract) -> dict[str, Any]:
    return row_of(contract) | {
        "terms_version": contract.approved_terms.version,
        "template_version": contract.template.version,
        "figures": contract.terms.get("figures", {}),
        "sha256": contract.sha256,
        "void_reason": contract.void_reason,
        "checked_by": name_of(contract.checked_by),
        "checked_at": contract.checked_at,
        "signings": [signing_of(s) for s in contract.signings.all()],
    }


def template_of(template: ContractTemplate, in_use: bool) -> dict[str, Any]:
    return {
        "id": template.pk,
        "kind": template.kind,
        "version": template.version,
        "sha256": template.sha256,
        "clauses": template.clauses,
        "note": template.note,
        "approved": template.approved_at is not None,
        "approved_by": name_of(template.approved_by),
        "approved_at": template.approved_at,
        "in_use": in_use,
    }
