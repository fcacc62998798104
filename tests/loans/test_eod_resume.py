"""Exactly once and resumable: ``xindai eod`` killed midway (the crash hook ends the process
with ``os._exit(1)`` after a number of committed chunks) resumes at the next chunk and ends
with exactly the balances of an uninterrupted run on an identical portfolio.

The portfolio is built in the test database, which is then copied twice (SQLite: the backup
API; PostgreSQL: ``CREATE DATABASE … TEMPLATE``); the end-of-day runs in subprocesses against
the copies, and the copies are compared table by table."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from tests.credit.factories import set_today
from tests.loans.factories_eod import portfolio

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("migration_data")]

QUERIES = {
    "states": "SELECT * FROM loans_loanstate ORDER BY loan_id",
    "loans": "SELECT id, status, outstanding_principal FROM loans_loanaccount ORDER BY id",
    "deposits": "SELECT id, balance_fen FROM deposits_depositaccount ORDER BY id",
    "movements": (
        "SELECT key, account_id, amount_fen, balance_after_fen, kind "
        "FROM deposits_depositmovement ORDER BY key"
    ),
    "ledger": (
        "SELECT account, SUM(debit_fen), SUM(credit_fen), COUNT(*) FROM ledger_posting "
        "GROUP BY account ORDER BY account"
    ),
    "entries": "SELECT key, kind FROM ledger_journalentry ORDER BY key",
    "date": "SELECT value FROM core_businessdate",
    "runs": "SELECT business_date, status, step, owner FROM loans_eodrun ORDER BY business_date",
}


class Copy:
    """A copy of the test database that subprocesses can use."""

    def __init__(self, url: str, reader: Any) -> None:
        self.url, self._reader = url, reader

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        return [tuple(str(v) if v is not None else None for v in r) for r in self._reader(sql)]

    def snapshot(self) -> dict[str, list[tuple[Any, ...]]]:
        return {name: self.rows(sql) for name, sql in QUERIES.items()}

    def xindai(self, *args: str, crash: str = "") -> subprocess.CompletedProcess[str]:
        env = os.environ | {"DATABASE_URL": self.url, "DEBUG": "1"}
        env.pop("XINDAI_EOD_CRASH_AFTER", None)
        if crash:
            env["XINDAI_EOD_CRASH_AFTER"] = crash
        command = [sys.executable, "-c", "from xindai.cli import main; main()", *args]
        return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)

    def differences(self) -> dict[str, int]:
        script = (
            "import django, json; django.setup(); from xindai.loans import reconcile; "
            "print(json.dumps(reconcile.differences()))"
        )
        env = os.environ | {
            "DATABASE_URL": self.url,
            "DEBUG": "1",
            "DJANGO_SETTINGS_MODULE": "xindai.settings",
        }
        done = subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
        return dict(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.fixture
def copies(tmp_path: Path) -> Iterator[Any]:
    made: list[str] = []

    def copy(name: str) -> Copy:
        if connection.vendor == "sqlite":
            path = tmp_path / f"{name}.sqlite3"
            connection.ensure_connection()
            target = sqlite3.connect(path)
            connection.connection.backup(target)
            target.close()

            def read_sqlite(sql: str) -> list[tuple[Any, ...]]:
                with sqlite3.connect(path) as db:
                    return db.execute(sql).fetchall()

            return Copy(f"sqlite:///{path}", read_sqlite)
        import psycopg

        settings = connection.settings_dict
        source = settings["NAME"]
        database = f"{source}_{name}_{uuid.uuid4().hex[:6]}"
        connection.close()
        params = {
            "host": settings["HOST"] or "127.0.0.1",
            "port": settings["PORT"] or 5432,
            "user": settings["USER"],
            "password": settings["PASSWORD"] or None,
        }
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(f'CREATE DATABASE "{database}" TEMPLATE "{source}"')
        made.append(database)
        auth = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
        url = f"postgres://{auth}@{params['host']}:{params['port']}/{database}"

        def read_pg(sql: str) -> list[tuple[Any, ...]]:
            with psycopg.connect(dbname=database, **params) as db:
                return list(db.execute(sql).fetchall())

        copy_ = Copy(url, read_pg)
        copy_.admin = params  # type: ignore[attr-defined]
        return copy_

    yield copy
    if made:
        import psycopg

        settings = connection.settings_dict
        params = {
            "host": settings["HOST"] or "127.0.0.1",
            "port": settings["PORT"] or 5432,
            "user": settings["USER"],
            "password": settings["PASSWORD"] or None,
        }
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            for database in made:
                admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def test_a_killed_run_resumes_and_ends_as_an_uninterrupted_run(farmer: Any, copies: Any) -> None:
    set_today(dt.date(2026, 12, 18))
    loans = portfolio(farmer)
    assert len(loans) == 18
    crashed, clean = copies("crashed"), copies("clean")
    chunk = "--chunk-size=4"  # 18 loans: 5 chunks per step

    # Uninterrupted: 2026-12-18 through 2026-12-22 (the 20th is a settlement day).
    done = clean.xindai("eod", "--until=2026-12-22", chunk, "--no-progress")
    assert done.returncode == 0, done.stderr

    # Interrupted: the 18th and 19th run, then the 20th dies after 2 chunks of the
    # collection, resumes and dies again after 3 chunks of the settlement, then finishes.
    assert crashed.xindai("eod", "--until=2026-12-19", chunk).returncode == 0
    killed = crashed.xindai("eod", "--until=2026-12-22", chunk, crash="collect:2")
    assert killed.returncode == 1
    run = crashed.rows(
        "SELECT status, step, cursor FROM loans_eodrun WHERE business_date = '2026-12-20'"
    )
    ids = sorted(loan.pk for loan in loans)
    assert run == [("running", "collect", str(ids[7]))]  # 2 chunks of 4 loans committed
    assert crashed.rows("SELECT value FROM core_businessdate") == [("2026-12-20",)]

    killed = crashed.xindai("eod", "--until=2026-12-22", chunk, crash="settle:3")
    assert killed.returncode == 1
    run = crashed.rows(
        "SELECT status, step, cursor FROM loans_eodrun WHERE business_date = '2026-12-20'"
    )
    assert run == [("running", "settle", str(ids[11]))]

    resumed = crashed.xindai("eod", "--until=2026-12-22", chunk, "--json")
    assert resumed.returncode == 0, resumed.stderr
    summaries = json.loads(resumed.stdout)
    assert [s["business_date"] for s in summaries] == ["2026-12-20", "2026-12-21", "2026-12-22"]

    assert crashed.snapshot() == clean.snapshot()
    assert crashed.differences() == {}
    # Something did happen on those days: collections and overdue loans.
    movements = clean.rows(
        "SELECT COUNT(*) FROM deposits_depositmovement WHERE kind = 'collection'"
    )
    assert int(movements[0][0]) > 0
    overdue = clean.rows("SELECT COUNT(*) FROM loans_loanstate WHERE overdue_principal_fen > 0")
    assert int(overdue[0][0]) > 0
    settled = clean.rows("SELECT COUNT(*) FROM ledger_journalentry WHERE kind = 'settlement'")
    assert int(settled[0][0]) > 0

    # A done date again: no-op, "已完成", exit 0.
    again = crashed.xindai("eod", "--date=2026-12-21")
    assert again.returncode == 0
    assert "已完成" in again.stdout
    assert crashed.snapshot() == clean.snapshot()
