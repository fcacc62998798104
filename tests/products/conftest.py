"""A loan product with keyword arguments for what a test is about."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from xindai.products.models import LoanProduct


def product_fields(**changes: Any) -> dict[str, Any]:
    """A valid 个人经营 product priced at 1Y LPR + 50bp, changed by ``changes``."""
    fields: dict[str, Any] = {
        "code": "JY-01",
        "name": "经营快贷",
        "marketing_role": "profit",
        "customer_kinds": ["business"],
        "purpose": "personal_business",
        "min_amount": Decimal(10_000),
        "max_amount": Decimal(500_000),
        "min_term": 6,
        "max_term": 36,
        "pricing": "lpr_1y",
        "spread_bp": 50,
        "repayment_methods": ["equal_installment", "equal_principal"],
        "guarantee_methods": ["guarantee"],
    }
    return fields | changes


@pytest.fixture
def make_product(db: Any) -> Callable[..., LoanProduct]:
    def make(**changes: Any) -> LoanProduct:
        product = LoanProduct(**product_fields(**changes))
        product.full_clean()
        product.save()
        return product

    return make
