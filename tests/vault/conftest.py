from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.credit.conftest import *  # noqa: F403
from tests.vault.factories import approved_case
from xindai.credit.models import CreditApplication
from xindai.customers.models import Customer
from xindai.org.models import OrgUnit, User
from xindai.org.roles import Role


@pytest.fixture
def keeper(tree: dict[str, OrgUnit], make_user: Callable[..., User]) -> User:
    """放款/会计 of branch B1: registers, keeps the vault, asks for releases."""
    return make_user("kuan", tree["B1"], Role.DISBURSEMENT, full_name="关库管")


@pytest.fixture
def second_keeper(tree: dict[str, OrgUnit], make_user: Callable[..., User]) -> User:
    return make_user("kuan2", tree["B1"], Role.DISBURSEMENT, full_name="郭会计")


@pytest.fixture
def case(
    manager: User, farmer: Customer, co_investigator: User, approver: User
) -> CreditApplication:
    """王大山's application, his house mortgaged and a deposit pledged, approved: 贷款拨付."""
    return approved_case(manager, farmer, co_investigator, approver)


@pytest.fixture
def head(branch_head: User) -> Any:
    return branch_head
