"""Who takes repayments: a teller (放款/会计) 陈柜员 and another teller 吴柜员 in branch B1, the
branch head 赵行长 approves reversals. The repayment permissions are given explicitly as well,
so these tests do not depend on the roles' table (org/roles.py grants them to the same roles)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.permissions import grant
from xindai.org.models import OrgUnit, User
from xindai.org.roles import Role
from xindai.repayments.services import APPROVE, REQUEST, TAKE, VIEW


@pytest.fixture
def teller(tree: dict[str, OrgUnit], make_user: Callable[..., User]) -> User:
    user = make_user("chen", tree["B1"], Role.DISBURSEMENT, full_name="陈柜员")
    return grant(user, VIEW, TAKE, REQUEST, APPROVE)


@pytest.fixture
def teller2(tree: dict[str, OrgUnit], make_user: Callable[..., User]) -> User:
    user = make_user("wu", tree["B1"], Role.DISBURSEMENT, full_name="吴柜员")
    return grant(user, VIEW, TAKE, REQUEST, APPROVE)


@pytest.fixture
def head(branch_head: User) -> User:
    return grant(branch_head, VIEW, APPROVE)
