"""The loan product catalogue and the LPR quotations over REST.

Rates are fractions as strings ("0.034500" = 3.45%), amounts strings in 元. A product's
``effective_rate`` is its rate on ``rate_date``, the business date (会计日期); it is null while
no LPR has been quoted for that date.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from xindai.api import requires
from xindai.core.schemas import Paged, PageQuery, paged
from xindai.products import queries
from xindai.products.models import LoanProduct

router = Router(tags=["products"])
lpr_router = Router(tags=["products"])

VIEW = "products.view_loanproduct"
VIEW_LPR = "products.view_lprrate"


class ProductFilter(PageQuery):
    purpose: str = Field("", description="consumption / personal_business / working_capital / …")
    role: str = Field(
        "", description="营销定位：acquisition（引流）/ retention（粘性）/ profit（利润）"
    )
    kind: str = Field("", description="适用客户：farmer / business / enterprise")
    include_inactive: bool = Field(False, description="含已停售产品")


class ProductRow(Schema):
    code: str
    name: str
    marketing_role: str
    marketing_role_label: str
    purpose: str
    purpose_label: str
    customer_kinds: list[str]
    min_amount: str
    max_amount: str
    min_term: int = Field(description="月")
    max_term: int = Field(description="月")
    pricing: str
    effective_rate: str | None = Field(description="会计日期的执行年利率（小数）")
    rate_date: dt.date
    is_active: bool


class ProductDetail(ProductRow):
    description: str
    long_cycle: bool
    fixed_rate: str | None
    spread_bp: int | None
    floor_rate: str | None
    ceiling_rate: str | None
    repayment_methods: list[str]
    day_count: str
    interest_basis: str
    settlement_cycle: str
    settlement_day: int
    guarantee_methods: list[str]
    penalty_markup: str
    misuse_markup: str
    entrusted_threshold: str
    first_inspection_days: int
    inspection_cycle: str


class LprOut(Schema):
    effective_date: dt.date
    one_year: str
    five_year: str


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


ROW_FIELDS = ("code", "name", "marketing_role", "purpose", "customer_kinds", "min_term")
DETAIL_FIELDS = (
    "max_term",
    "pricing",
    "is_active",
    "description",
    "long_cycle",
    "spread_bp",
    "repayment_methods",
    "day_count",
    "interest_basis",
    "settlement_cycle",
    "settlement_day",
    "guarantee_methods",
    "first_inspection_days",
    "inspection_cycle",
)
DECIMAL_FIELDS = (
    "min_amount",
    "max_amount",
    "fixed_rate",
    "floor_rate",
    "ceiling_rate",
    "penalty_markup",
    "misuse_markup",
    "entrusted_threshold",
)


def shown(product: LoanProduct, as_of: dt.date) -> dict[str, Any]:
    """A product as the API shows it, with its rate on ``as_of``."""
    values: dict[str, Any] = {name: getattr(product, name) for name in ROW_FIELDS + DETAIL_FIELDS}
    values |= {name: _text(getattr(product, name)) for name in DECIMAL_FIELDS}
    values |= {
        "marketing_role_label": product.get_marketing_role_display(),
        "purpose_label": product.get_purpose_display(),
        "effective_rate": _text(queries.rate_or_none(product, as_of)),
        "rate_date": as_of,
    }
    return values


@router.get("", response=Paged[ProductRow], summary="贷款产品", auth=requires(VIEW))
def list_products(request: HttpRequest, filters: Query[ProductFilter]) -> Any:
    found = queries.products(
        purpose=filters.purpose,
        role=filters.role,
        kind=filters.kind,
        active_only=not filters.include_inactive,
    )
    page = paged(found, filters)
    as_of = queries.pricing_date()
    return page | {"items": [shown(product, as_of) for product in page["items"]]}


@router.get("/{code}", response=ProductDetail, summary="贷款产品详情", auth=requires(VIEW))
def product_detail(request: HttpRequest, code: str) -> Any:
    return shown(queries.product(code), queries.pricing_date())


@lpr_router.get("", response=list[LprOut], summary="LPR 报价", auth=requires(VIEW_LPR))
def list_lpr(request: HttpRequest) -> Any:
    return [
        {
            "effective_date": r.effective_date,
            "one_year": str(r.one_year),
            "five_year": str(r.five_year),
        }
        for r in queries.lpr_rates()
    ]
