"""What a contract is filled with: the approved terms (never the application's requested
figures) in the contract's words, the parties, the guarantor or the collateral. Contracts are
written in Chinese whatever the user's language."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import translation

from xindai.contracts import domain
from xindai.contracts.models import ContractKind, PartyRole
from xindai.credit.admission_rules import add_months
from xindai.credit.models import (
    ApplicationCollateral,
    ApplicationGuarantor,
    ApprovedTerms,
    CreditApplication,
)
from xindai.customers.models import Customer, CustomerKind
from xindai.products.models import CycleChoice, Guarantee, PricingKind, Purpose, RepaymentMethod

CONTRACT_LANGUAGE = "zh-hans"
PREFIXES = {
    ContractKind.LOAN: "JK",
    ContractKind.GUARANTEE: "BZ",
    ContractKind.MORTGAGE: "DY",
    ContractKind.PLEDGE: "ZY",
    ContractKind.MAX_MORTGAGE: "ZGDY",
}
PARTY_ROLES = {
    ContractKind.LOAN: PartyRole.BORROWER,
    ContractKind.GUARANTEE: PartyRole.GUARANTOR,
    ContractKind.MORTGAGE: PartyRole.MORTGAGOR,
    ContractKind.PLEDGE: PartyRole.PLEDGOR,
    ContractKind.MAX_MORTGAGE: PartyRole.MORTGAGOR,
}
REPAYMENT_TEXT = {
    RepaymentMethod.EQUAL_INSTALLMENT: (
        "借款人按月等额偿还借款本息，每期还款额以借款借据及还款计划为准。"
    ),
    RepaymentMethod.EQUAL_PRINCIPAL: (
        "借款人按月等额偿还借款本金，利息按剩余本金逐期计算，随本金一并支付。"
    ),
    RepaymentMethod.INTEREST_ONLY: "借款人按结息周期支付利息，借款到期日一次性归还全部本金。",
    RepaymentMethod.BULLET: "借款人于借款到期日一次性归还全部借款本金及利息。",
}


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def number_of(kind: str, year: int, seq: int) -> str:
    """JK2026000001: the kind's prefix, the year, a six-digit sequence of the kind and year."""
    return f"{PREFIXES[ContractKind(kind)]}{year}{seq:06d}"


def lender(application: CreditApplication) -> tuple[str, str]:
    unit = application.org_unit
    root = unit
    while root.parent is not None:
        root = root.parent
    name = unit.name if root == unit else f"{root.name}{unit.name}"
    return name, unit.address or root.address or "—"


def security_label(methods: list[str]) -> str:
    shown = [str(Guarantee(m).label) for m in Guarantee.values if m in methods]
    return "、".join(shown) or "—"


def figures_of(terms: ApprovedTerms) -> dict[str, str]:
    """The approved terms in the contract's words (``domain.TERM_LABELS``)."""
    application = terms.application
    with translation.override(CONTRACT_LANGUAGE):
        return domain.approved_figures(
            amount=terms.amount,
            term_months=terms.term_months,
            annual_rate=terms.annual_rate,
            repayment_label=str(RepaymentMethod(terms.repayment_method).label),
            security_label=security_label(list(terms.guarantee_methods)),
            purpose_label=str(Purpose(application.purpose).label),
            purpose_text=application.purpose_text,
        )


def pricing_text(terms: ApprovedTerms) -> str:
    """ ", 即定价基准 1年期LPR 3.0% 加 135 个基点" for an LPR-priced product ("" for fixed)."""
    product = terms.application.product
    if product.pricing == PricingKind.FIXED:
        return ""
    from xindai.products.lpr import lpr_on

    quote = lpr_on(terms.approved_on)
    base = quote.one_year if product.pricing == PricingKind.LPR_1Y else quote.five_year
    label = "1年期" if product.pricing == PricingKind.LPR_1Y else "5年期以上"
    spread = int(((terms.annual_rate - base) * 10000).to_integral_value())
    return (
        f"，以{chinese_date(quote.effective_date)}公布的{label}贷款市场报价利率（LPR）"
        f"{domain.percent(base)}%为定价基准，加{spread}个基点（1个基点为0.01%）"
    )


def loan_terms(terms: ApprovedTerms, start: dt.date) -> dict[str, Any]:
    """The context every kind shares: the approved terms and what follows from them."""
    application = terms.application
    product = application.product
    figures = figures_of(terms)
    end = add_months(start, terms.term_months)
    penalty, misuse = Decimal(product.penalty_markup), Decimal(product.misuse_markup)
    quarterly = product.settlement_cycle == CycleChoice.QUARTERLY
    settlement = "按季结息，结息日为每季末月20日。" if quarterly else "按月结息，结息日为每月20日。"
    if terms.repayment_method == RepaymentMethod.BULLET:
        settlement = "利随本清，到期一次结息。"
    return {
        "loan_kind": f"{product.name}（{figures['purpose']}贷款）",
        "purpose_label": figures["purpose"],
        "purpose_text": figures["purpose_text"],
        "amount_upper": figures["amount_upper"],
        "amount_figure": figures["amount"],
        "term_months": figures["term_months"],
        "start_date": chinese_date(start),
        "end_date": chinese_date(end),
        "rate_pct": domain.percent(terms.annual_rate),
        "pricing_text": pricing_text(terms),
        "settlement_text": settlement,
        "penalty_markup_pct": domain.percent(penalty),
        "penalty_rate_pct": domain.percent(terms.annual_rate * (1 + penalty)),
        "misuse_markup_pct": domain.percent(misuse),
        "misuse_rate_pct": domain.percent(terms.annual_rate * (1 + misuse)),
        "repayment_label": figures["repayment_method"],
        "repayment_text": REPAYMENT_TEXT[RepaymentMethod(terms.repayment_method)],
        "security_label": figures["security"],
        "guarantee_until": chinese_date(add_months(end, 36)),
    }


def security_text(application: CreditApplication, methods: list[str]) -> str:
    parts = []
    if Guarantee.GUARANTEE in methods:
        names = "、".join(g.guarantor.name for g in application.guarantors.all())
        parts.append(f"由{names}提供连带责任保证，另行签订保证合同")
    items = list(application.collateral.all())
    mortgages = [c.description for c in items if c.kind == "mortgage"]
    pledges = [c.description for c in items if c.kind == "pledge"]
    if Guarantee.MORTGAGE in methods and mortgages:
        parts.append(f"以{'、'.join(mortgages)}提供抵押担保，另行签订抵押合同")
    if Guarantee.PLEDGE in methods and pledges:
        parts.append(f"以{'、'.join(pledges)}提供质押担保，另行签订权利质押合同")
    return "；".join(parts) + "。" if parts else ""


def person(customer: Customer, prefix: str) -> dict[str, str]:
    return {
        f"{prefix}_name": customer.name,
        f"{prefix}_id_type": str(customer.get_id_type_display()),
        f"{prefix}_id_number": customer.id_number,
        f"{prefix}_address": customer.address or "—",
    }


def collateral_fields(item: ApplicationCollateral) -> dict[str, str]:
    return {
        "collateral_description": item.description,
        "collateral_type_label": str(item.get_collateral_type_display()),
        "collateral_owner": item.owner_name,
        "collateral_certificate": item.certificate_no or "—",
        "collateral_value": domain.figure(item.estimated_value),
        "collateral_appraiser": item.appraiser or "—",
        "collateral_appraised_on": chinese_date(item.appraised_on) if item.appraised_on else "—",
    }


def party(
    application: CreditApplication,
    guarantor: ApplicationGuarantor | None,
    collateral: ApplicationCollateral | None,
) -> tuple[dict[str, str], bool]:
    """The counterparty's fields and whether it is a company (it then signs by a legal
    representative or agent, with its seal compared with the specimen)."""
    borrower = application.customer
    if guarantor is not None:
        company = guarantor.guarantor.kind == CustomerKind.ENTERPRISE
        return person(guarantor.guarantor, "party"), company
    if collateral is not None and collateral.owner_name != borrower.name:
        fields = {"party_name": collateral.owner_name, "party_id_type": "—"}
        return fields | {"party_id_number": "—", "party_address": "—"}, False
    return person(borrower, "party"), borrower.kind == CustomerKind.ENTERPRISE


def context(
    terms: ApprovedTerms,
    kind: str,
    *,
    number: str,
    main_number: str,
    start: dt.date,
    guarantor: ApplicationGuarantor | None = None,
    collateral: ApplicationCollateral | None = None,
) -> tuple[dict[str, Any], bool]:
    """The template's context, and whether the counterparty is a company."""
    application = terms.application
    with translation.override(CONTRACT_LANGUAGE):
        values = loan_terms(terms, start)
        values["security_text"] = security_text(application, list(terms.guarantee_methods))
        borrower = application.customer
        values |= person(borrower, "borrower") | {"borrower_phone": borrower.phone or "—"}
        fields, company = party(application, guarantor, collateral)
        values |= fields
        if collateral is not None:
            values |= collateral_fields(collateral)
    name, address = lender(application)
    values |= {"number": number, "main_contract_number": main_number}
    values |= {"lender_name": name, "lender_address": address}
    return values, company
