"""The records the credit tests build again and again: a farmer whose archive is complete
enough to apply, the demo products, an application at intake with consent and credit report."""

from __future__ import annotations

import datetime as dt
import hashlib
import struct
import zlib
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.customers.ids import resident_id
from xindai.core import business_date
from xindai.credit import investigation, investigation_items, services
from xindai.credit.models import CreditApplication, CreditLimitAssessment, InvestigationReport
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


# ---- 实地调查 (issue 6) -------------------------------------------------------------------------


def png(width: int = 160, height: int = 120) -> bytes:
    """A small real picture (sky over a rice field), for uploads and screenshots."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    rows = [
        b"\x00" + bytes((135, 190, 235) if y < height * 2 // 5 else (60 + y % 24, 150, 60)) * width
        for y in range(height)
    ]
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows)))
        + chunk(b"IEND", b"")
    )


def photo(name: str = "稻田.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png(), content_type="image/png")


VISIT = {
    "visited_at": "2026-11-27T09:30",
    "place": "多福巷村3组12号及村东稻田",
    "latitude": "30.274085",
    "longitude": "120.155070",
    "repayment_source": "水稻销售收入，另有家庭务工收入",
    "repayment_timing": "2027 年 10 月晚稻收割后一次还本，利息按月支付",
}


def answers(kind: str = "farmer", result: str = "yes", note: str = "已核实") -> dict[str, str]:
    """Every checklist item of the customer's kind answered ``result`` with ``note``."""
    found = {}
    for item in investigation_items.items_for(kind):
        found[f"{item.key}_result"] = result
        found[f"{item.key}_note"] = note
    return found


def recorded(manager: Any, customer: Customer, co_investigator: Any) -> CreditApplication:
    """In 实地调查, with the visit recorded and every checklist item answered 符合."""
    application = investigating(manager, customer, co_investigator)
    investigation.save_record(manager, application, VISIT | answers(customer.kind))
    return application


def limit_computed(application: CreditApplication, by: Any) -> CreditLimitAssessment:
    return CreditLimitAssessment.objects.create(
        application=application, inputs={}, result={}, suggested=Decimal(100_000), computed_by=by
    )


def report_finalised(application: CreditApplication, by: Any) -> InvestigationReport:
    """A finalised report (what the report's own service will write: a frozen DOCX)."""
    content = b"PK\x03\x04 investigation report"
    report = InvestigationReport(
        application=application,
        version=application.reports.count() + 1,
        docx_sha256=hashlib.sha256(content).hexdigest(),
        suggested_amount=Decimal(100_000),
        finalised_by=by,
    )
    report.docx.save("report.docx", ContentFile(content), save=False)
    report.save()
    return report


def ready_to_submit(manager: Any, customer: Customer, co_investigator: Any) -> CreditApplication:
    """Recorded, the limit computed, the report finalised and confirmed by both investigators
    (a farmer's analysis comes from his archive's income)."""
    application = recorded(manager, customer, co_investigator)
    limit_computed(application, manager)
    report_finalised(application, manager)
    investigation.confirm(manager, application)
    investigation.confirm(co_investigator, application)
    return application


# ---- the credit limit and the investigation report (issue 6) ------------------------------

HOUSE = {
    "kind": "mortgage",
    "collateral_type": "residential",
    "description": "砖混住房一套",
    "owner_name": "王大山",
    "certificate_no": "苏(2024)多福不动产权第0012345号",
    "estimated_value": "120000",
    "appraiser": "多福县诚信房地产评估公司",
    "appraised_on": "2026-11-20",
}
DEPOSIT = {
    "kind": "pledge",
    "collateral_type": "deposit",
    "description": "本行定期存单",
    "owner_name": "王大山",
    "estimated_value": "50000",
}
DISPUTED_LAND = {
    "kind": "mortgage",
    "collateral_type": "land_use",
    "description": "宅基地旁集体建设用地使用权",
    "owner_name": "王大山",
    "estimated_value": "200000",
    "ownership_dispute": "on",
    "dispute_note": "与邻户王小川存在边界纠纷",
}


def guarantor_farmer(manager: Any, village: Area, **overrides: Any) -> Customer:
    """李四海, a farmer whose archive holds a house of 300,000 元, a deposit of 20,000 元, a
    loan of 50,000 元 at another bank and a guarantee of 100,000 元 given for a neighbour:
    net assets 270,000 元, guarantees given 100,000 元."""
    customer = Customer.objects.create(
        kind="farmer",
        name=overrides.get("name", "李四海"),
        id_type="resident_id",
        id_number=resident_id(born=dt.date(1975, 3, 8), seq=overrides.get("seq", 456)),
        village=village,
        manager=manager,
        org_unit=manager.org_unit,
    )
    sm.FixedAsset.objects.create(
        customer=customer, category="house", description="住房", value=Decimal(300_000)
    )
    sm.FinancialAsset.objects.create(
        customer=customer, category="deposit_here", amount=Decimal(20_000)
    )
    for category, balance in (("other_bank", 50_000), ("guarantee", 100_000)):
        sm.Liability.objects.create(
            customer=customer,
            category=category,
            creditor="他行" if category == "other_bank" else "邻户王二",
            amount=Decimal(balance),
            balance=Decimal(balance),
        )
    return customer


def with_guarantor(
    manager: Any, customer: Customer, co_investigator: Any, guarantor: Customer
) -> CreditApplication:
    """In 实地调查, 保证 by ``guarantor``."""
    return investigating(
        manager,
        customer,
        co_investigator,
        guarantee_methods=["guarantee"],
        guarantors=[guarantor.pk],
    )


def register(manager: Any, application: CreditApplication, *items: dict[str, Any]) -> None:
    for item in items:
        services.add_collateral(manager, application, item)


def confirm(application: CreditApplication, *people: Any) -> None:
    """The investigators' confirmations, as the investigation's service records them."""
    from xindai.credit.models import InvestigatorConfirmation

    for person in people:
        InvestigatorConfirmation.objects.create(application=application, investigator=person)


def in_investigation(
    manager: Any, co_investigator: Any, customer: Customer, product: str, **fields: Any
) -> CreditApplication:
    """An application already in 实地调查, made directly (the intake of enterprises and
    businesses is tested elsewhere): 12 months, interest only, 保证, submitted today."""
    from django.utils import timezone

    seed_demo_products()
    values = {
        "customer": customer,
        "product": LoanProduct.objects.get(code=product),
        "term_months": 12,
        "repayment_method": "interest_only",
        "guarantee_methods": ["guarantee"],
        "source": "walk_in",
        "manager": manager,
        "co_investigator": co_investigator,
        "org_unit": manager.org_unit,
        "stage": "investigation",
        "accepted_at": timezone.now(),
        "submitted_on": TODAY,
    }
    application = CreditApplication.objects.create(**(values | fields))
    application.number = f"SQ2026{application.pk:06d}"
    application.save(update_fields=["number"])
    return application


def rice_mill(manager: Any) -> Customer:
    """青禾米业 (谷物磨制, 1310) with the statements of tests/analysis/examples.py for 2022 and
    2023, saved through the analysis."""
    from tests.analysis.examples import BALANCE_2022, BALANCE_2023, INCOME_2023, SUPPLEMENT_2023
    from tests.customers.ids import credit_code
    from xindai.analysis import services as analysis

    enterprise = Customer.objects.create(
        kind="enterprise",
        name="青禾米业有限公司",
        id_number=credit_code(),
        industry_code="1310",
        address="多福镇工业园 8 号",
        manager=manager,
        org_unit=manager.org_unit,
    )
    analysis.save_statements(manager, enterprise, {"period_end": "2022-12-31", **BALANCE_2022})
    year = {"period_end": "2023-12-31", **BALANCE_2023, **INCOME_2023, **SUPPLEMENT_2023}
    analysis.save_statements(manager, enterprise, year)
    return enterprise


def rice_mill_loan(manager: Any, co_investigator: Any, **fields: Any) -> CreditApplication:
    """青禾米业 asks for a 流动资金贷款 (LDZJ) of 500,000 元 to buy paddy; in 实地调查."""
    values = {"amount": Decimal(500_000), "purpose": "working_capital", "purpose_text": "收购稻谷"}
    return in_investigation(
        manager, co_investigator, rice_mill(manager), "LDZJ", **(values | fields)
    )


# ---- 审批 onwards (issue 7) --------------------------------------------------------------------


def approved(
    application: CreditApplication,
    approver: Any,
    *,
    amount: Decimal | None = None,
    annual_rate: Decimal = Decimal("0.0435"),
    valid_days: int = 90,
    conditions: tuple[str, ...] = (),
) -> Any:
    """``application`` approved as asked (or for ``amount``), made directly, and moved to
    贷款拨付: for the tests of what comes after approval (the approval itself is tested through
    its service). Returns the ``ApprovedTerms``."""
    from django.utils import timezone

    from xindai.credit.models import ApprovalCondition, ApprovedTerms

    terms = ApprovedTerms.objects.create(
        application=application,
        version=ApprovedTerms.objects.filter(application=application).count() + 1,
        amount=amount if amount is not None else application.amount,
        term_months=application.term_months,
        annual_rate=annual_rate,
        repayment_method=application.repayment_method,
        guarantee_methods=list(application.guarantee_methods),
        approved_on=TODAY,
        valid_until=TODAY + dt.timedelta(days=valid_days),
        approved_by=approver,
        fingerprint=hashlib.sha256(f"{application.pk}".encode()).hexdigest(),
    )
    for text in conditions:
        ApprovalCondition.objects.create(terms=terms, text=text)
    application.stage = "disbursement"
    application.stage_since = timezone.now()
    application.save(update_fields=["stage", "stage_since"])
    return terms
