"""Demo loan products (演示贷款产品): one for each marketing role and the common purposes of a
rural bank. Seeding again creates nothing: products are looked up by their code."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from xindai.audit import services as audit
from xindai.products.models import (
    CycleChoice,
    Guarantee,
    LoanProduct,
    MarketingRole,
    PricingKind,
    Purpose,
    RepaymentMethod,
)

EI, EP, IO, BULLET = (
    RepaymentMethod.EQUAL_INSTALLMENT,
    RepaymentMethod.EQUAL_PRINCIPAL,
    RepaymentMethod.INTEREST_ONLY,
    RepaymentMethod.BULLET,
)

DEMO_PRODUCTS: tuple[dict[str, Any], ...] = (
    {
        "code": "NH-XY",
        "name": "农户小额信用贷款",
        "marketing_role": MarketingRole.ACQUISITION,
        "description": "凭信用评级授信，无需担保，随借随还，帮助农户建立与本行的往来。",
        "customer_kinds": ["farmer"],
        "purpose": Purpose.FARMER,
        "min_amount": Decimal(10_000),
        "max_amount": Decimal(100_000),
        "min_term": 3,
        "max_term": 12,
        "pricing": PricingKind.LPR_1Y,
        "spread_bp": 85,
        "floor_rate": Decimal("0.0385"),
        "repayment_methods": [IO, BULLET, EI],
        "guarantee_methods": [Guarantee.CREDIT],
        "settlement_cycle": CycleChoice.QUARTERLY,
        "inspection_cycle": CycleChoice.QUARTERLY,
    },
    {
        "code": "ZCSX",
        "name": "整村授信贷",
        "marketing_role": MarketingRole.RETENTION,
        "description": "整村评议、批量授信，一次授信三年循环使用，农户凭授信随用随贷。",
        "customer_kinds": ["farmer"],
        "purpose": Purpose.FARMER,
        "min_amount": Decimal(10_000),
        "max_amount": Decimal(300_000),
        "min_term": 6,
        "max_term": 36,
        "pricing": PricingKind.LPR_1Y,
        "spread_bp": 100,
        "floor_rate": Decimal("0.0350"),
        "ceiling_rate": Decimal("0.0600"),
        "repayment_methods": [IO, EI, EP],
        "guarantee_methods": [Guarantee.CREDIT, Guarantee.GUARANTEE],
        "settlement_cycle": CycleChoice.QUARTERLY,
    },
    {
        "code": "GTJY",
        "name": "个体工商户经营贷",
        "marketing_role": MarketingRole.PROFIT,
        "description": "用于个体工商户进货、周转等生产经营，抵押或保证，额度高、期限灵活。",
        "customer_kinds": ["business", "farmer"],
        "purpose": Purpose.PERSONAL_BUSINESS,
        "min_amount": Decimal(50_000),
        "max_amount": Decimal(1_000_000),
        "min_term": 6,
        "max_term": 60,
        "pricing": PricingKind.LPR_1Y,
        "spread_bp": 250,
        "floor_rate": Decimal("0.0435"),
        "ceiling_rate": Decimal("0.0900"),
        "repayment_methods": [EI, EP, IO],
        "guarantee_methods": [Guarantee.GUARANTEE, Guarantee.MORTGAGE],
    },
    {
        "code": "LDZJ",
        "name": "流动资金贷款",
        "marketing_role": MarketingRole.PROFIT,
        "description": "满足企业日常生产经营周转需要，按季结息，到期还本或分期还本。",
        "customer_kinds": ["enterprise"],
        "purpose": Purpose.WORKING_CAPITAL,
        "min_amount": Decimal(500_000),
        "max_amount": Decimal(10_000_000),
        "min_term": 6,
        "max_term": 36,
        "pricing": PricingKind.LPR_1Y,
        "spread_bp": 150,
        "floor_rate": Decimal("0.0385"),
        "repayment_methods": [IO, EP],
        "guarantee_methods": [Guarantee.GUARANTEE, Guarantee.MORTGAGE, Guarantee.PLEDGE],
        "settlement_cycle": CycleChoice.QUARTERLY,
        "interest_basis": "daily",
    },
    {
        "code": "NJJ",
        "name": "农机具购置贷",
        "marketing_role": MarketingRole.RETENTION,
        "description": "购买拖拉机、收割机等农机具，贷款直接支付给经销商，分期偿还。",
        "customer_kinds": ["farmer"],
        "purpose": Purpose.FARMER,
        "min_amount": Decimal(20_000),
        "max_amount": Decimal(500_000),
        "min_term": 12,
        "max_term": 60,
        "pricing": PricingKind.LPR_5Y,
        "spread_bp": 60,
        "repayment_methods": [EI, EP],
        "guarantee_methods": [Guarantee.MORTGAGE, Guarantee.GUARANTEE],
        "entrusted_threshold": Decimal(50_000),
    },
)


def seed_demo_products() -> int:
    """Create the demo products that are not there yet; returns how many were created."""
    created = 0
    with transaction.atomic():
        for spec in DEMO_PRODUCTS:
            if LoanProduct.objects.filter(code=spec["code"]).exists():
                continue
            product = LoanProduct(**spec)
            product.full_clean()
            product.save()
            created += 1
        if created:
            audit.record(
                "products.demo.seed",
                actor=None,
                object_type="products.loanproduct",
                changes={"created": created},
                reason="载入演示数据",
            )
    return created
