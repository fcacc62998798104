"""The records the credit tests build again and again: a farmer whose archive is complete
enough to apply, the demo products, an application at intake with consent and credit report."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.customers.ids import resident_id
from xindai.core import business_date
from xindai.credit import services
from xindai.credit.models import CreditApplication
from xindai.customers import section_models as sm
from xindai.customers.models import Area, Customer, Document
from xindai.customers.services import refresh_completeness
from xindai.products.demo import seed_demo_products
from xindai.products.models import LoanProduct

TODAY = dt.date(2026, 11, 27)
PDF = b"%PDF-1.4\n% xindai test\n"


def pdf(name: str = "scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def set_today(day: dt.date = TODAY) -> None:
    business_date.set_date(day, actor=None, reason="test")


def document(customer: Customer, doc_type: str, expires_on: dt.date | None = None) -> Document:
    doc = Document(
        customer=customer,
        uploaded_by=customer.manager,
        doc_type=doc_type,
        original_name=f"{doc_type}.pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256="0" * 64,
        expires_on=expires_on,
    )
    doc.file.save(f"{doc_type}.pdf", ContentFile(PDF), save=False)
    doc.save()
    return doc


def complete_farmer(
    manager: Any,
    village: Area,
    *,
    born: dt.date = dt.date(1980, 5, 17),
    yearly_income: Decimal = Decimal(120_000),
    documents: tuple[str, ...] = ("id_card", "household_register", "land_contract"),
    name: str = "王大山",
    seq: int = 123,
) -> Customer:
    """A household head (a man born ``born``) with every archive section the policy asks
    for, a deposit account here, last year's income ``yearly_income``, and ``documents``."""
    head_id = resident_id(born=born, seq=seq)
    customer = Customer.objects.create(
        kind="farmer",
        name=name,
        id_type="resident_id",
        id_number=head_id,
        phone="13912340000",
        address="多福巷村3组12号",
        village=village,
        manager=manager,
        org_unit=manager.org_unit,
    )
    sm.HouseholdMember.objects.create(
        customer=customer, relation="head", name=name, sex="M", id_number=head_id
    )
    sm.LandHolding.objects.create(customer=customer, kind="contracted", area_mu=Decimal(12))
    sm.FarmProduction.objects.create(
        customer=customer,
        category="crop",
        kind="水稻",
        scale=Decimal(12),
        yearly_income=yearly_income,
    )
    sm.FixedAsset.objects.create(
        customer=customer, category="house", description="砖混住房", value=Decimal(200_000)
    )
    sm.FinancialAsset.objects.create(
        customer=customer, category="deposit_here", institution="本行", amount=Decimal(30_000)
    )
    sm.Liability.objects.create(
        customer=customer,
        category="private",
        creditor="亲戚",
        amount=Decimal(0),
        balance=Decimal(0),
    )
    sm.IncomeItem.objects.create(
        customer=customer, period="last_year", source="planting", amount=yearly_income
    )
    sm.ExpenseItem.objects.create(
        customer=customer, period="last_year", category="living", amount=Decimal(30_000)
    )
    sm.VillageEvaluation.objects.create(
        customer=customer, rating="good", comment="为人诚信", evaluator="李书记", evaluated_on=TODAY
    )
    for doc_type in documents:
        document(customer, doc_type)
    refresh_completeness(customer, TODAY)
    return customer


def farmer_product() -> LoanProduct:
    """整村授信贷 (ZCSX): farmers, 1万–30万, 6–36 months, 信用 or 保证, LPR 1Y + 100bp."""
    seed_demo_products()
    return LoanProduct.objects.get(code="ZCSX")


def application_data(product: LoanProduct, **overrides: Any) -> dict[str, Any]:
    data = {
        "product": product.pk,
        "amount": "100000",
        "term_months": "12",
        "purpose": "farmer",
        "purpose_text": "购买化肥、种子，扩种水稻 12 亩",
        "repayment_method": "interest_only",
        "guarantee_methods": ["credit"],
        "legal_capacity": "full",
        "source": "walk_in",
    }
    return data | overrides


CREDIT_REPORT = {
    "report_date": "2026-11-26",
    "max_consecutive_overdue_24m": "0",
    "total_overdue_24m": "0",
    "current_overdue_amount": "0",
    "other_bank_lenders": "1",
    "other_bank_debt": "20000",
    "monthly_debt_service": "1000",
}


def submitted(manager: Any, customer: Customer, **overrides: Any) -> CreditApplication:
    """An application at 申请受理, submitted today."""
    return services.create_application(
        manager, customer, application_data(farmer_product(), **overrides)
    )


def ready_to_accept(manager: Any, customer: Customer, **overrides: Any) -> CreditApplication:
    """Submitted, with the consent and the credit report recorded and admission checked."""
    application = submitted(manager, customer, **overrides)
    consent = {"signed_by": customer.name, "signed_on": "2026-11-26", "purpose": "loan_approval"}
    services.record_consent(manager, application, consent, {"scan": pdf()})
    services.record_credit_report(manager, application, CREDIT_REPORT)
    services.check_admission(manager, application)
    application.refresh_from_db()
    return application


def prudent(manager: Any, customer: Customer, **overrides: Any) -> CreditApplication:
    """Ready to accept, but checked 审慎: four other banks lend to the borrower (the policy
    allows three), so a branch head must agree before it is accepted."""
    application = ready_to_accept(manager, customer, **overrides)
    services.record_credit_report(manager, application, CREDIT_REPORT | {"other_bank_lenders": "4"})
    services.check_admission(manager, application)
    application.refresh_from_db()
    return application


def investigating(
    manager: Any, customer: Customer, co_investigator: Any, **overrides: Any
) -> CreditApplication:
    """Accepted, with a co-investigator, and in 实地调查."""
    application = ready_to_accept(manager, customer, **overrides)
    services.take(manager, application, "accept")
    services.set_co_investigator(manager, application, {"co_investigator": co_investigator.pk})
    services.take(manager, application, "start_investigation")
    return application
