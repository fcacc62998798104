"""Fixtures of the ledger and deposit tests: the credit and disbursement fixtures, and a 会计
with the ledger's view permission."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.loans.conftest import *  # noqa: F403
from tests.permissions import grant
from xindai.org.models import OrgUnit, User
from xindai.org.roles import Role


@pytest.fixture
def routes() -> None:
    """The ledger's and the deposits' pages and API are in the project's URLs."""


@pytest.fixture
def accountant(tree: dict[str, OrgUnit], make_user: Callable[..., User]) -> User:
    """放款/会计 of branch B1, who may also see the general ledger."""
    user = make_user("kuaiji", tree["B1"], Role.DISBURSEMENT, full_name="钱会计")
    return grant(user, "ledger.view_journalentry")
