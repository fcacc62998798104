"""Cases at 贷款拨付 with approved terms, and what signing a contract takes."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from tests.credit.factories import (
    HOUSE,
    approved,
    guarantor_farmer,
    investigating,
    pdf,
    ready_to_submit,
    register,
    with_guarantor,
)
from tests.customers.ids import resident_id
from xindai.contracts import domain
from xindai.contracts.models import Contract
from xindai.credit.models import CreditApplication
from xindai.products.models import LoanProduct

SIGNED_AT = dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC)
AGENT_ID = resident_id(born=dt.date(1985, 2, 3), seq=777)


def credit_case(manager: Any, farmer: Any, co_investigator: Any, approver: Any, **kw: Any) -> Any:
    """王大山's 100,000 元, 12 months, interest only, 信用 (ZCSX), approved: the terms."""
    application = ready_to_submit(manager, farmer, co_investigator)
    return approved(application, approver, **kw)


def guaranteed_case(
    manager: Any, farmer: Any, co_investigator: Any, approver: Any, village: Any
) -> Any:
    guarantor = guarantor_farmer(manager, village)
    application = with_guarantor(manager, farmer, co_investigator, guarantor)
    return approved(application, approver)


def mortgage_case(manager: Any, farmer: Any, co_investigator: Any, approver: Any) -> Any:
    """个体工商户经营贷 (GTJY) of 100,000 元 secured by 王大山's house (抵押), approved at
    5.5%. The intake of a GTJY application is tested by credit; here it is set directly."""
    application = investigating(manager, farmer, co_investigator)
    register(manager, application, HOUSE)
    application.product = LoanProduct.objects.get(code="GTJY")
    application.purpose, application.purpose_text = "personal_business", "购进农资转售"
    application.guarantee_methods = ["mortgage"]
    application.save()
    return approved(application, approver, annual_rate=Decimal("0.0550"))


def text_of(contract: Contract) -> str:
    with contract.docx.open("rb") as stored:
        document = Document(io.BytesIO(stored.read()))
    return "\n".join(p.text for p in document.paragraphs)


def signatory(name: str = "王大山", id_number: str = "", **fields: Any) -> domain.Signatory:
    values = {
        "role": "borrower",
        "name": name,
        "capacity": "self",
        "id_number": id_number,
        "identity_checked": True,
        "seal_checked": False,
        "has_authority_document": False,
    }
    return domain.Signatory(**(values | fields))


def signing(
    recorder: Any, witness: Any, *people: domain.Signatory, **fields: Any
) -> domain.Signing:
    values = {
        "place": "一支行营业部贵宾室",
        "signed_at": SIGNED_AT,
        "witnesses": (recorder.pk, witness.pk),
        "staff_ids": frozenset(),
        "recorder_id": recorder.pk,
        "signatories": people,
    }
    return domain.Signing(**(values | fields))


def authority() -> SimpleUploadedFile:
    return pdf("授权委托书.pdf")


def application_of(terms: Any) -> CreditApplication:
    return terms.application
