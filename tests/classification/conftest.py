"""Fixtures of the classification tests: the loan fixtures, a 贷后 officer who proposes, a
second branch head (for the 'different people' rules)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.loans.conftest import *  # noqa: F403
from xindai.org.models import OrgUnit, User
from xindai.org.roles import Role


@pytest.fixture
def officer(tree: dict[str, OrgUnit], make_user: Callable[..., User]) -> User:
    return make_user("post1", tree["B1"], Role.POSTLOAN, full_name="孙贷后")


@pytest.fixture
def head_and_risk(tree: dict[str, OrgUnit], make_user: Callable[..., User]) -> User:
    """One person holding both approval roles (to test that one person cannot approve twice)."""
    return make_user("both", tree["B1"], Role.BRANCH_HEAD, Role.RISK, full_name="钱两岗")


@pytest.fixture(autouse=True)
def only_classification_day(monkeypatch: pytest.MonkeyPatch) -> None:
    """The post-loan day runs only this app's job here, so that these tests measure the
    classification alone (the other post-loan apps have their own tests)."""
    monkeypatch.setattr("xindai.postloan.jobs.JOBS", ("xindai.classification.daily",))
