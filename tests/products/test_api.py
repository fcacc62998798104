"""The catalogue over REST: products with their rate on the business date, and the LPR table."""

from __future__ import annotations

import datetime as dt

import pytest

from xindai.core import business_date

BUSINESS_DATE = dt.date(2026, 11, 27)  # the 2025-05-20 quotation applies: 1Y 3.00%


@pytest.fixture
def catalogue(make_product):
    business_date.set_date(BUSINESS_DATE, actor=None, reason="test")
    return [
        make_product(code="JY-01", spread_bp=150),
        make_product(
            code="NH-01",
            name="农户小额贷",
            marketing_role="acquisition",
            purpose="farmer",
            customer_kinds=["farmer"],
            spread_bp=85,
        ),
        make_product(code="OLD", name="停售产品", is_active=False),
    ]


def test_the_list_shows_active_products_with_todays_rate(catalogue, manager, login) -> None:
    body = login(manager).get("/api/v1/products").json()
    assert body["count"] == 2
    rows = {row["code"]: row for row in body["items"]}
    assert rows["JY-01"]["effective_rate"] == "0.045000"  # 3.00% + 1.50%
    assert rows["NH-01"]["effective_rate"] == "0.038500"  # 3.00% + 0.85%
    assert rows["NH-01"]["rate_date"] == "2026-11-27"
    assert rows["NH-01"]["purpose_label"] == "农户"
    assert rows["JY-01"]["min_amount"] == "10000.00"


def test_the_list_filters_by_purpose_role_and_kind(catalogue, manager, login) -> None:
    client = login(manager)

    def codes(query: str) -> list[str]:
        return [r["code"] for r in client.get(f"/api/v1/products?{query}").json()["items"]]

    assert codes("purpose=farmer") == ["NH-01"]
    assert codes("role=profit") == ["JY-01"]
    assert codes("kind=business") == ["JY-01"]
    assert codes("include_inactive=true") == ["JY-01", "NH-01", "OLD"]


def test_the_detail_has_every_term_of_the_product(catalogue, manager, login) -> None:
    body = login(manager).get("/api/v1/products/NH-01").json()
    assert body["repayment_methods"] == ["equal_installment", "equal_principal"]
    assert body["penalty_markup"] == "0.50" and body["misuse_markup"] == "1.00"
    assert body["entrusted_threshold"] == "500000.00"  # the farmer default of RULES.md
    assert (body["settlement_cycle"], body["settlement_day"]) == ("monthly", 20)
    assert body["effective_rate"] == "0.038500"


def test_an_unknown_product_is_a_404(catalogue, manager, login) -> None:
    response = login(manager).get("/api/v1/products/NOPE")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_the_lpr_table_newest_first(manager, login) -> None:
    body = login(manager).get("/api/v1/lpr").json()
    assert body[0] == {
        "effective_date": "2025-05-20",
        "one_year": "0.030000",
        "five_year": "0.035000",
    }
    assert body[-1]["effective_date"] == "2019-08-20"


def test_staff_without_a_role_see_no_products(catalogue, outsider, login) -> None:
    assert login(outsider).get("/api/v1/products").status_code == 403
