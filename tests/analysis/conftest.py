"""The analysis tests. The pure ones need no database; the service, Excel, command and API
tests need ``xindai.analysis`` in INSTALLED_APPS and its router in ``build_api``: until both
are there they are not collected, and test_registration fails saying what is missing."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps

from tests.customers.ids import credit_code, resident_id
from xindai.customers.models import Customer

NEEDS_THE_APP = ["test_services.py", "test_excel.py", "test_cli.py", "test_api.py"]

collect_ignore = [] if apps.is_installed("xindai.analysis") else NEEDS_THE_APP


@pytest.fixture
def enterprise(manager: Any) -> Any:
    """青禾米业 (GB/T 4754 1310 谷物磨制), managed by 张三."""
    return Customer.objects.create(
        kind="enterprise",
        name="青禾米业有限公司",
        id_number=credit_code(),
        industry_code="1310",
        manager=manager,
        org_unit=manager.org_unit,
    )


@pytest.fixture
def farmer(manager: Any) -> Any:
    return Customer.objects.create(
        kind="farmer",
        name="王大山",
        id_number=resident_id(),
        manager=manager,
        org_unit=manager.org_unit,
    )


@pytest.fixture
def business(manager: Any) -> Any:
    return Customer.objects.create(
        kind="business",
        name="大山农资店",
        id_number=credit_code("92110101MA0000001"),
        industry_code="5221",
        manager=manager,
        org_unit=manager.org_unit,
    )
