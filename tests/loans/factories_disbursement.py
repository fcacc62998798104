"""An application ready for 放款, built from real rows: investigated (the credit factories),
approved (``ApprovedTerms`` made directly), every contract the terms need signed and checked
(``Contract`` rows with status VERIFIED, from a template row), and for a mortgage the
registration and the certificate in the vault."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from tests.credit.factories import HOUSE, TODAY, approved, investigating, register
from xindai.contracts import gate as contracts_gate
from xindai.contracts.models import Contract, ContractStatus, ContractTemplate
from xindai.credit.models import ApprovedTerms, CreditApplication
from xindai.vault.models import ItemKind, Registration, VaultItem

DOCX = b"PK\x03\x04 contract"


def template(kind: str, by: Any) -> ContractTemplate:
    found = ContractTemplate.objects.filter(kind=kind, approved_at__isnull=False).first()
    if found is not None:
        return found
    row = ContractTemplate(
        kind=kind,
        version=1,
        sha256=hashlib.sha256(DOCX).hexdigest(),
        uploaded_by=by,
        approved_by=by,
        approved_at=timezone.now(),
    )
    row.file.save(f"{kind}.docx", ContentFile(DOCX), save=False)
    row.save()
    return row


def contract(terms: ApprovedTerms, need: contracts_gate.Needed, by: Any, status: str) -> Contract:
    application = terms.application
    party = need.guarantor.guarantor.name if need.guarantor else application.customer.name
    row = Contract(
        number=f"HT{terms.pk:04d}{need.kinds[0][:2].upper()}{Contract.objects.count() + 1:04d}",
        application=application,
        approved_terms=terms,
        kind=need.kinds[0],
        template=template(need.kinds[0], by),
        guarantor=need.guarantor,
        collateral=need.collateral,
        party_name=party,
        terms={"amount": str(terms.amount)},
        sha256=hashlib.sha256(DOCX).hexdigest(),
        status=status,
        created_by=by,
        checked_by=by,
        checked_at=timezone.now(),
    )
    row.docx.save("contract.docx", ContentFile(DOCX), save=False)
    row.save()
    return row


def sign_everything(terms: ApprovedTerms, by: Any, status: str = ContractStatus.VERIFIED) -> None:
    for need in contracts_gate.needed(terms):
        contract(terms, need, by, status)


def register_and_keep(application: CreditApplication, by: Any, *, keep: bool = True) -> None:
    """Every collateral item registered; its certificate in the vault when ``keep``."""
    for n, item in enumerate(application.collateral.all(), start=1):
        registration = Registration.objects.create(
            collateral=item,
            registry="多福县不动产登记中心",
            registered_on=TODAY,
            certificate_no=f"苏(2026)多福不动产证明第{n:07d}号",
            secured_amount=Decimal(100_000),
            recorded_by=by,
        )
        if keep:
            VaultItem.objects.create(
                number=f"KF2026{registration.pk:06d}",
                application=application,
                collateral=item,
                registration=registration,
                kind=ItemKind.CERTIFICATE,
                description=registration.certificate_no,
                value=Decimal(100_000),
                received_on=TODAY,
                received_by=by,
            )


def ready(
    manager: Any,
    customer: Any,
    co_investigator: Any,
    approver: Any,
    *,
    mortgage: bool = False,
    signed: bool = True,
    kept: bool = True,
    valid_days: int = 90,
    conditions: tuple[str, ...] = (),
    annual_rate: Decimal = Decimal("0.0435"),
    repayment_method: str = "equal_installment",
    **overrides: Any,
) -> CreditApplication:
    """An application of ``customer`` in 贷款拨付 that may be disbursed (each keyword takes
    one precondition away): 100,000 元, 12 months, approved 等额本息
    unless ``repayment_method`` says otherwise."""
    application = investigating(manager, customer, co_investigator, **overrides)
    if mortgage:
        register(manager, application, HOUSE)
    terms = approved(
        application,
        approver,
        annual_rate=annual_rate,
        valid_days=valid_days,
        conditions=conditions,
    )
    terms.repayment_method = repayment_method  # the approver's choice (the farmer asked 按月付息)
    terms.save(update_fields=["repayment_method"])
    if mortgage:
        terms.guarantee_methods = [*terms.guarantee_methods, "mortgage"]
        terms.save(update_fields=["guarantee_methods"])
        register_and_keep(application, manager, keep=kept)
    if signed:
        sign_everything(terms, manager)
    application.refresh_from_db()
    return application


def expire(application: CreditApplication) -> None:
    ApprovedTerms.objects.filter(application=application).update(
        valid_until=TODAY - dt.timedelta(days=1)
    )


SELF = {"amount": "100000", "payment_mode": "self", "payments": []}


def entrusted(*lines: tuple[str, str, str], amount: str = "100000") -> dict[str, Any]:
    """Entrusted payment of ``lines`` (counterparty, account, amount)."""
    payments = [
        {"counterparty_name": who, "account": account, "bank": "多福农商银行", "amount": value}
        for who, account, value in lines
    ]
    return {"amount": amount, "payment_mode": "entrusted", "payments": payments}
