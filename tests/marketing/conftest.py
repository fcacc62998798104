"""Shared fixtures of the marketing tests: a small scored synthetic bank.

``marketing_bank`` (function-scoped, needs the database) returns a :class:`MarketingBank`
built once per test module (like ``tests/scoring/test_services.py``'s ``scoring_bank``): the
org tree of ``tests/conftest.py`` (HQ → B1 (O11, O12), B2 (O21)) with the same codes, its
staff, 800 synthetic households (seed 11) as of 2026-10-31 spread over O11 / O12 / O21,
imported through the importer, the two models trained and approved, and one ScoreRun.
Everything lives in a transaction of the module that is rolled back at its end; each test runs
in a savepoint of it, so what a test writes is gone for the next one.

Do NOT combine it with the fixtures ``tree``, ``manager``, ``colleague``, ``branch_head``,
``risk_officer`` or ``outsider`` of tests/conftest.py (same codes and user names: use
``bank.units`` / ``bank.users`` instead), nor with ``transactional_db`` / ``live_server``.

Users (password ``tests.conftest.PASSWORD``):
  zhang  客户经理 O11 (张三)     sun    客户经理 O12 (孙五)     li     客户经理 O21 (李四)
  head1  支行行长 B1 (赵行长)    head2  支行行长 B2 (钱行长)    risk   风险合规 HQ (周合规)
  admin  系统管理员 HQ (trains the models)                     wang   no role, O11
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import QuerySet
from django.test import override_settings

from tests.conftest import PASSWORD
from xindai.org.models import OrgUnit, UnitKind, User
from xindai.org.roles import Role, group_name
from xindai.scoring import importer, services, synth
from xindai.scoring.models import ImportStatus, ScoreRun, StockCustomer

AS_OF = dt.date(2026, 10, 31)
SEED = 11
HOUSEHOLDS = 800
OUTLETS = ("O11", "O12", "O21")


@dataclass
class MarketingBank:
    units: dict[str, OrgUnit]  # HQ, B1, B2, O11, O12, O21
    users: dict[str, User]  # zhang, sun, li, head1, head2, risk, admin, wang
    as_of: dt.date
    run: ScoreRun
    folder: Path  # settings.STOCK_DIR = folder / "stock", MODEL_DIR = folder / "models"
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)  # the synthetic tables

    @property
    def customers(self) -> QuerySet[StockCustomer]:
        """The bank's StockCustomers (all of them, scored or not)."""
        return StockCustomer.objects.all()

    @property
    def stock_dir(self) -> Path:
        return self.folder / "stock"

    # Shortcuts to the people.
    @property
    def zhang(self) -> User:
        return self.users["zhang"]

    @property
    def sun(self) -> User:
        return self.users["sun"]

    @property
    def li(self) -> User:
        return self.users["li"]

    @property
    def head1(self) -> User:
        return self.users["head1"]

    @property
    def head2(self) -> User:
        return self.users["head2"]

    @property
    def risk(self) -> User:
        return self.users["risk"]


def _units() -> dict[str, OrgUnit]:
    hq = OrgUnit.objects.create(code="HQ", name="测试联社", kind=UnitKind.UNION)
    b1 = OrgUnit.objects.create(code="B1", name="一支行", kind=UnitKind.BRANCH, parent=hq)
    b2 = OrgUnit.objects.create(code="B2", name="二支行", kind=UnitKind.BRANCH, parent=hq)
    o11 = OrgUnit.objects.create(code="O11", name="一支行营业部", kind=UnitKind.OUTLET, parent=b1)
    o12 = OrgUnit.objects.create(code="O12", name="一支行分理处", kind=UnitKind.OUTLET, parent=b1)
    o21 = OrgUnit.objects.create(code="O21", name="二支行营业部", kind=UnitKind.OUTLET, parent=b2)
    return {"HQ": hq, "B1": b1, "B2": b2, "O11": o11, "O12": o12, "O21": o21}


def _person(username: str, unit: OrgUnit, full_name: str, *roles: Role) -> User:
    user = User.objects.create_user(username, password=PASSWORD, org_unit=unit, full_name=full_name)
    for role in roles:
        user.groups.add(Group.objects.get(name=group_name(role)))
    return user


def _people(units: dict[str, OrgUnit]) -> dict[str, User]:
    return {
        "zhang": _person("zhang", units["O11"], "张三", Role.MANAGER),
        "sun": _person("sun", units["O12"], "孙五", Role.MANAGER),
        "li": _person("li", units["O21"], "李四", Role.MANAGER),
        "head1": _person("head1", units["B1"], "赵行长", Role.BRANCH_HEAD),
        "head2": _person("head2", units["B2"], "钱行长", Role.BRANCH_HEAD),
        "risk": _person("risk", units["HQ"], "周合规", Role.RISK),
        "admin": _person("admin", units["HQ"], "系统管理员", Role.ADMIN),
        "wang": _person("wang", units["O11"], "王五"),
    }


@pytest.fixture(scope="session")
def _marketing_tables() -> dict[str, pd.DataFrame]:
    """The synthetic tables, generated once for the session."""
    return synth.generate(HOUSEHOLDS, SEED, as_of=AS_OF, org_codes=list(OUTLETS))


@pytest.fixture(scope="module")
def _marketing_bank_module(
    django_db_setup: Any,
    django_db_blocker: Any,
    tmp_path_factory: Any,
    _marketing_tables: dict[str, pd.DataFrame],
) -> Iterator[MarketingBank]:
    folder = tmp_path_factory.mktemp("marketing_bank")
    with (
        django_db_blocker.unblock(),
        override_settings(STOCK_DIR=folder / "stock", MODEL_DIR=folder / "models"),
        transaction.atomic(),
    ):
        units = _units()
        users = _people(units)
        paths = synth.write(_marketing_tables, folder / "upload")
        for name in synth.TABLES:
            batch = importer.import_file(paths[name], name)
            assert (batch.status, batch.rows_rejected) == (ImportStatus.DONE, 0), batch.errors
        for model in services.train_models(AS_OF, user=users["admin"]):
            services.approve_model(model, user=users["risk"], note="同意")
        run = services.run_scoring(AS_OF)
        yield MarketingBank(
            units=units,
            users=users,
            as_of=AS_OF,
            run=run,
            folder=folder,
            tables=_marketing_tables,
        )
        transaction.set_rollback(True)


@pytest.fixture
def marketing_bank(_marketing_bank_module: MarketingBank, db: Any, settings: Any) -> MarketingBank:
    """The module's scored bank, with ``settings.STOCK_DIR`` / ``MODEL_DIR`` pointing at its
    store for this test."""
    bank = _marketing_bank_module
    settings.STOCK_DIR = bank.folder / "stock"
    settings.MODEL_DIR = bank.folder / "models"
    return bank
