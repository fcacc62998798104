from __future__ import annotations

from typing import Any

import pytest

from tests.customers.factories import make_village
from tests.customers.ids import credit_code, resident_id
from xindai.customers.models import Area


@pytest.fixture
def village(db: Any) -> Area:
    return make_village()


@pytest.fixture
def farmer_data(manager, village) -> dict[str, Any]:
    return {
        "kind": "farmer",
        "name": "王大山",
        "id_number": resident_id(),
        "phone": "13912340000",
        "address": "多福巷村3组12号",
        "village": village.pk,
        "manager": manager.pk,
    }


@pytest.fixture
def business_data(manager) -> dict[str, Any]:
    return {
        "kind": "business",
        "name": "大山农资店",
        "id_number": credit_code("92110101MA0000001"),
        "phone": "13912340001",
        "address": "城关镇建设路8号",
        "industry_code": "5221",
        "manager": manager.pk,
    }


@pytest.fixture
def enterprise_data(manager) -> dict[str, Any]:
    return {
        "kind": "enterprise",
        "name": "青禾米业有限公司",
        "id_number": credit_code(),
        "phone": "13912340002",
        "address": "工业园区1号",
        "industry_code": "1310",
        "manager": manager.pk,
    }
