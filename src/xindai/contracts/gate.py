"""The contracts' part of the disbursement gate: which contracts the approved terms need, and
whether each is signed face to face and checked after signing."""

from __future__ import annotations

from dataclasses import dataclass

from xindai.contracts.models import Contract, ContractKind, ContractStatus
from xindai.core.problems import Problem
from xindai.core.problems import mark as _
from xindai.credit.models import (
    ApplicationCollateral,
    ApplicationGuarantor,
    ApprovedTerms,
    CollateralKind,
)
from xindai.products.models import Guarantee

KIND_LABELS: dict[str, str] = {
    ContractKind.LOAN: _("借款合同"),
    ContractKind.GUARANTEE: _("保证合同"),
    ContractKind.MORTGAGE: _("抵押合同"),
    ContractKind.PLEDGE: _("权利质押合同"),
    ContractKind.MAX_MORTGAGE: _("最高额抵押合同"),
}


@dataclass(frozen=True)
class Needed:
    """A contract the terms need: its kinds (a mortgage may be a 最高额抵押 instead) and party."""

    kinds: tuple[str, ...]
    guarantor: ApplicationGuarantor | None = None
    collateral: ApplicationCollateral | None = None


def needed(terms: ApprovedTerms) -> list[Needed]:
    application = terms.application
    found = [Needed((ContractKind.LOAN,))]
    methods = set(terms.guarantee_methods)
    if Guarantee.GUARANTEE in methods:
        found += [
            Needed((ContractKind.GUARANTEE,), guarantor=g) for g in application.guarantors.all()
        ]
    for item in application.collateral.all():
        if item.kind == CollateralKind.MORTGAGE and Guarantee.MORTGAGE in methods:
            found.append(
                Needed((ContractKind.MORTGAGE, ContractKind.MAX_MORTGAGE), collateral=item)
            )
        if item.kind == CollateralKind.PLEDGE and Guarantee.PLEDGE in methods:
            found.append(Needed((ContractKind.PLEDGE,), collateral=item))
    return found


def contract_for(terms: ApprovedTerms, need: Needed) -> Contract | None:
    """The newest contract, not void, made from these terms for this need."""
    return (
        Contract.objects.filter(
            approved_terms=terms,
            kind__in=need.kinds,
            guarantor=need.guarantor,
            collateral=need.collateral,
        )
        .exclude(status=ContractStatus.VOID)
        .order_by("-pk")
        .first()
    )


def disbursement_problems(terms: ApprovedTerms) -> list[Problem]:
    found = []
    for need in needed(terms):
        contract = contract_for(terms, need)
        label = KIND_LABELS[need.kinds[0]]
        if contract is None:
            found.append(Problem("contracts", _("尚未生成%(kind)s"), {"kind": label}))
        elif contract.status != ContractStatus.VERIFIED:
            params = {"kind": label, "number": contract.number}
            found.append(
                Problem("contracts", _("%(kind)s %(number)s 尚未完成面签及签约复核"), params)
            )
    return found
