"""Products are kept in the admin by 风险合规 and 系统管理员; every change is audited and kept in
the product's history."""

from __future__ import annotations

from typing import Any

import pytest

from tests.products.conftest import product_fields
from xindai.audit.models import AuditEvent
from xindai.org.roles import Role
from xindai.products.models import LoanProduct


@pytest.fixture
def risk(tree, make_user):
    return make_user("risk2", tree["HQ"], Role.RISK, is_staff=True)


def form_data(**changes: Any) -> dict[str, Any]:
    data = product_fields(**changes)
    data = {
        "day_count": "actual_360",
        "interest_basis": "period",
        "settlement_cycle": "monthly",
        "penalty_markup": "0.5",
        "misuse_markup": "1.0",
        "first_inspection_days": "15",
        "inspection_cycle": "quarterly",
        "is_active": "on",
    } | data
    data.setdefault("entrusted_threshold", "")
    return {key: value for key, value in data.items() if value is not None}


def test_a_risk_officer_changes_a_product_and_it_is_audited(risk, make_product, login) -> None:
    product = make_product()
    response = login(risk).post(
        f"/admin/products/loanproduct/{product.pk}/change/",
        form_data(spread_bp=80, entrusted_threshold="500000.00"),  # as the form shows it
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    product.refresh_from_db()
    assert product.spread_bp == 80
    event = AuditEvent.objects.get(action="products.loanproduct.change")
    assert (event.actor_username, event.object_id) == ("risk2", str(product.pk))
    assert event.changes == {"spread_bp": [50, 80]}
    assert [h.spread_bp for h in product.history.order_by("history_date")] == [50, 80]


def test_the_admin_refuses_a_term_beyond_the_rules(risk, login) -> None:
    data = form_data(code="XF-01", purpose="consumption", customer_kinds=["farmer"], max_term=72)
    response = login(risk).post("/admin/products/loanproduct/add/", data)
    assert response.status_code == 200
    assert "个人消费贷款期限最长 60 个月" in response.content.decode()
    assert not LoanProduct.objects.filter(code="XF-01").exists()


def test_products_are_never_deleted_from_the_admin(risk, make_product, login) -> None:
    product = make_product()
    response = login(risk).get(f"/admin/products/loanproduct/{product.pk}/delete/")
    assert response.status_code == 403


def test_a_manager_cannot_change_products(manager, make_product, login) -> None:
    product = make_product()
    response = login(manager).get(f"/admin/products/loanproduct/{product.pk}/change/")
    assert response.status_code == 302  # to the admin's sign-in: not staff
