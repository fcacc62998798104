from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.credit.conftest import *  # noqa: F403
from xindai.contracts import template_services
from xindai.org.models import OrgUnit, User
from xindai.org.roles import Role


@pytest.fixture(autouse=True)
def shipped_templates(db: Any) -> None:
    """The migration's version 1 templates (again, after a transactional test's flush)."""
    template_services.seed()


@pytest.fixture
def clerk(tree: dict[str, OrgUnit], make_user: Callable[..., User]) -> User:
    """放款/会计 of the manager's outlet: the post-signing check (签约复核)."""
    return make_user("wu", tree["O11"], Role.DISBURSEMENT, full_name="吴会计")


@pytest.fixture
def second_risk(tree: dict[str, OrgUnit], make_user: Callable[..., User]) -> User:
    return make_user("risk2", tree["HQ"], Role.RISK, full_name="郑合规")
