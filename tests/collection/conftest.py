"""Fixtures of the collection tests: the loan fixtures, two collection officers (清收) of
branch B1 and one of B2, a loan with a guarantor."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.loans.conftest import *  # noqa: F403
from xindai.org.models import OrgUnit, User
from xindai.org.roles import Role


@pytest.fixture
def officer(tree: dict[str, OrgUnit], make_user: Callable[..., User]) -> User:
    return make_user("qian", tree["B1"], Role.COLLECTION, full_name="钱清收")


@pytest.fixture
def officer2(tree: dict[str, OrgUnit], make_user: Callable[..., User]) -> User:
    return make_user("sun2", tree["O12"], Role.COLLECTION, full_name="孙清收")


@pytest.fixture
def far_officer(tree: dict[str, OrgUnit], make_user: Callable[..., User]) -> User:
    return make_user("zhao2", tree["O21"], Role.COLLECTION, full_name="赵清收")


@pytest.fixture
def guarantor(manager: User, village: Any) -> Any:
    from tests.credit.factories import guarantor_farmer

    return guarantor_farmer(manager, village)


@pytest.fixture(autouse=True)
def only_collection_day(monkeypatch: pytest.MonkeyPatch) -> None:
    """The post-loan day after each end-of-day runs only this app's job: the other issue-9
    apps are tested on their own (and their interfaces are called through the contract)."""
    from xindai.postloan import jobs

    monkeypatch.setattr(jobs, "JOBS", ("xindai.collection.daily",))
