"""Fixtures of the disbursement tests: the credit fixtures (village, farmer, sun, zhou, ...), a
disbursement clerk 陈放款 in branch B1."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.credit.conftest import *  # noqa: F403
from xindai.org.models import OrgUnit, User
from xindai.org.roles import Role


@pytest.fixture
def clerk(tree: dict[str, OrgUnit], make_user: Callable[..., User]) -> User:
    return make_user("chen", tree["B1"], Role.DISBURSEMENT, full_name="陈放款")
