"""Named people for permission tests: a manager, a colleague in another branch, an outsider."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from xindai.org.models import OrgUnit, UnitKind, User
from xindai.org.roles import Role, group_name

PASSWORD = "Correct-horse-42"


@pytest.fixture
def tree(db: Any) -> dict[str, OrgUnit]:
    """联社 HQ → 支行 B1 (网点 O11, O12) and 支行 B2 (网点 O21)."""
    hq = OrgUnit.objects.create(code="HQ", name="测试联社", kind=UnitKind.UNION)
    b1 = OrgUnit.objects.create(code="B1", name="一支行", kind=UnitKind.BRANCH, parent=hq)
    b2 = OrgUnit.objects.create(code="B2", name="二支行", kind=UnitKind.BRANCH, parent=hq)
    o11 = OrgUnit.objects.create(code="O11", name="一支行营业部", kind=UnitKind.OUTLET, parent=b1)
    o12 = OrgUnit.objects.create(code="O12", name="一支行分理处", kind=UnitKind.OUTLET, parent=b1)
    o21 = OrgUnit.objects.create(code="O21", name="二支行营业部", kind=UnitKind.OUTLET, parent=b2)
    return {"HQ": hq, "B1": b1, "B2": b2, "O11": o11, "O12": o12, "O21": o21}


@pytest.fixture
def make_user(db: Any) -> Callable[..., User]:
    def make(username: str, unit: OrgUnit | None, *roles: Role, **fields: Any) -> User:
        user = User.objects.create_user(username, password=PASSWORD, org_unit=unit, **fields)
        for role in roles:
            user.groups.add(Group.objects.get(name=group_name(role)))
        return user

    return make


@pytest.fixture
def manager(tree: dict[str, OrgUnit], make_user: Callable[..., User]) -> User:
    return make_user("zhang", tree["O11"], Role.MANAGER, full_name="张三", phone="13912345678")


@pytest.fixture
def colleague(tree: dict[str, OrgUnit], make_user: Callable[..., User]) -> User:
    """A customer manager in another branch (B2)."""
    return make_user("li", tree["O21"], Role.MANAGER, full_name="李四", phone="13700001111")


@pytest.fixture
def outsider(tree: dict[str, OrgUnit], make_user: Callable[..., User]) -> User:
    """Signed in, but holds no role at all."""
    return make_user("wang", tree["O11"])


@pytest.fixture
def branch_head(tree: dict[str, OrgUnit], make_user: Callable[..., User]) -> User:
    return make_user("head1", tree["B1"], Role.BRANCH_HEAD, full_name="赵行长")


@pytest.fixture
def risk_officer(tree: dict[str, OrgUnit], make_user: Callable[..., User]) -> User:
    return make_user("risk", tree["HQ"], Role.RISK, full_name="周合规")


@pytest.fixture
def login() -> Callable[[User], Client]:
    def as_user(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return as_user


@pytest.fixture(autouse=True)
def private_media(settings: Any, tmp_path: Any) -> None:
    """Uploaded and generated files of a test go to its own folder, not a shared one."""
    settings.MEDIA_ROOT = tmp_path / "media"


TESTS = Path(__file__).resolve().parent
# Where the post-loan day (``postloan.jobs.run_all``, after every end-of-day) is under test: its
# five apps, the cross-app scenarios and their browser tests.
POSTLOAN_DIRS = frozenset(
    {"classification", "postloan", "notices", "earlywarning", "collection", "scenarios"}
)
POSTLOAN_E2E = frozenset(
    {
        "test_classification.py",
        "test_inspections.py",
        "test_notices_warnings.py",
        "test_collection.py",
        "test_postloan_day.py",
    }
)


@pytest.fixture(autouse=True)
def post_loan_day(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """The post-loan day follows each end-of-day only in the tests about it; elsewhere (the
    end-of-day's arithmetic, repayments, the ledger, ...) the hundreds of business dates a test
    moves through stay about the end-of-day, and fast."""
    relative = Path(str(request.node.path)).resolve().relative_to(TESTS)
    if relative.parts[0] in POSTLOAN_DIRS or relative.name in POSTLOAN_E2E:
        return
    from xindai.postloan import jobs

    monkeypatch.setattr(jobs, "run_all", lambda today, actor=None: {})


@pytest.fixture(autouse=True)
def own_stock_store(request: pytest.FixtureRequest, settings: Any, tmp_path_factory: Any) -> None:
    """Each test outside tests/scoring (whose fixtures set their own) gets an empty Parquet store
    and model folder, so that nothing one test imports or trains leaks into another."""
    relative = Path(str(request.node.path)).resolve().relative_to(TESTS)
    if relative.parts[0] == "scoring" or relative.name == "test_scoring.py":
        return
    folder = tmp_path_factory.mktemp("store")
    settings.STOCK_DIR = folder / "stock"
    settings.MODEL_DIR = folder / "models"


@pytest.fixture
def migration_data() -> None:
    """The rows the data migrations write (audit chain head, published LPR, policy V1 and the
    industry list, the authority matrix, the shipped contract templates), written again for
    tests that commit: an earlier transactional test's flush removed them. (``serialized_rollback``
    would clash with the role groups that post_migrate re-creates.)"""
    import importlib

    from django.apps import apps

    for module, function in (
        ("xindai.audit.migrations.0003_chain_head_and_append_only_trigger", "create_head"),
        ("xindai.products.migrations.0002_published_lpr", "load"),
        ("xindai.credit.migrations.0002_seed_policy_and_industries", "seed"),
        ("xindai.credit.migrations.0007_seed_authority", "seed"),
        ("xindai.contracts.migrations.0003_shipped_templates", "load"),
    ):
        getattr(importlib.import_module(module), function)(apps, None)
