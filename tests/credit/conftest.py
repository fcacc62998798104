from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.credit.factories import complete_farmer, set_today
from tests.customers.factories import make_village
from xindai.customers.models import Area, Customer
from xindai.org.models import OrgUnit, User
from xindai.org.roles import Role


@pytest.fixture
def village(db: Any) -> Area:
    return make_village()


@pytest.fixture
def today(db: Any) -> None:
    set_today()


@pytest.fixture
def farmer(manager: User, village: Area, today: None) -> Customer:
    return complete_farmer(manager, village)


@pytest.fixture
def co_investigator(tree: dict[str, OrgUnit], make_user: Callable[..., User]) -> User:
    return make_user("sun", tree["O11"], Role.CO_INVESTIGATOR, full_name="孙协办")


@pytest.fixture
def reviewer(tree: dict[str, OrgUnit], make_user: Callable[..., User]) -> User:
    return make_user("qian", tree["B1"], Role.REVIEWER, full_name="钱审查")


@pytest.fixture
def approver(tree: dict[str, OrgUnit], make_user: Callable[..., User]) -> User:
    return make_user("zhou", tree["B1"], Role.APPROVER, full_name="周审批")
