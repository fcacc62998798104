"""The catalogue pages: the list with its filters, a product, and the demo products."""

from __future__ import annotations

import datetime as dt

import pytest

from xindai.core import business_date
from xindai.products.demo import DEMO_PRODUCTS, seed_demo_products
from xindai.products.models import LoanProduct


@pytest.fixture
def dated(db) -> None:
    business_date.set_date(dt.date(2026, 11, 27), actor=None, reason="test")


def test_the_list_shows_products_and_their_rate(dated, make_product, manager, login) -> None:
    make_product(spread_bp=150)
    page = login(manager).get("/products/").content.decode()
    assert "经营快贷" in page and "4.50%" in page and "1–50" in page  # 1–50 万元


def test_the_list_filters_with_htmx(dated, make_product, manager, login) -> None:
    make_product()
    make_product(code="NH-01", name="农户小额贷", purpose="farmer", customer_kinds=["farmer"])
    response = login(manager).get("/products/?purpose=farmer", headers={"HX-Request": "true"})
    page = response.content.decode()
    assert "农户小额贷" in page and "经营快贷" not in page and "<html" not in page


def test_a_product_page_links_to_the_calculator(dated, make_product, manager, login) -> None:
    make_product()
    page = login(manager).get("/products/JY-01/").content.decode()
    assert "/loans/calculator/?product=JY-01" in page and "500,000.00" in page


def test_the_demo_products_keep_the_rules_and_are_seeded_once(db) -> None:
    assert seed_demo_products() == len(DEMO_PRODUCTS)
    assert seed_demo_products() == 0
    roles = set(LoanProduct.objects.values_list("marketing_role", flat=True))
    assert roles == {"acquisition", "retention", "profit"}
