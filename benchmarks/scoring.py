"""Features and batch scoring of N stock customers: seconds and peak memory.

    .venv/bin/python benchmarks/scoring.py --customers 100000
    .venv/bin/python benchmarks/scoring.py --customers 1000000 --seed 1 \\
        --database-url postgres://postgres@127.0.0.1:5432/xindai_bench_scoring

What it does (a PostgreSQL database named in the URL is DROPPED and created again; a SQLite
URL names a file that is deleted first):

1. Prepare (not timed as the result; each step's seconds are printed): migrate; an org tree
   (联社, 4 支行, 12 网点); the synthetic bank (``synth.generate``, households = customers / 1.105,
   about 20 transactions per customer over 24 months) written as Parquet; the customers
   imported through ``importer.import_file`` (the StockCustomer rows), the four other tables
   copied into the store; both models trained on a sample (``--train-sample``, default
   200,000 customers) by the system and approved by a 风险合规 user.
2. Measure, in a fresh process (so that the peak memory is that of the measured work, not of
   the generation): ``features.feature_frame(as_of)`` on DuckDB, then
   ``services.run_scoring(as_of, frame=...)`` (predictions, grades, reasons, writing the
   CustomerScore rows: COPY on PostgreSQL), each timed; peak resident memory of the process
   from a sampling thread (every 50 ms, /proc/self/statm) per phase and VmHWM overall.
   The PostgreSQL server's own memory is not counted.

Prints one JSON object. Aim (issue 10): features + scoring of 1,000,000 customers <= 120 s,
<= 8 GB, on the 2-core machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/xindai_bench_scoring"
AS_OF = dt.date(2026, 10, 31)
CUSTOMERS_PER_HOUSEHOLD = 1.105  # farmers + 9 % businesses + 1.5 % enterprises


# ---- memory -----------------------------------------------------------------------------------


class PeakMemory:
    """The largest resident set size seen while the block runs (sampled every 50 ms)."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    @staticmethod
    def rss() -> int:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.rss())
            self._stop.wait(0.05)

    def __enter__(self) -> PeakMemory:
        self.peak = self.rss()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.rss())


def high_water_mark() -> int:
    """Peak resident memory of this process since it started (VmHWM; unlike ``ru_maxrss`` it
    does not carry over the parent's peak across fork and exec)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def gib(n: float) -> float:
    return round(n / 2**30, 3)


# ---- the database -----------------------------------------------------------------------------


def fresh_database(url: str) -> None:
    if url.startswith("sqlite"):
        path = Path(urlparse(url).path)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = urlunparse(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        con.execute(f'CREATE DATABASE "{name}"')


def setup_django(url: str, work: Path) -> None:
    os.environ.pop("DEBUG", None)  # DEBUG would keep every query in memory
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ["DATABASE_URL"] = url
    os.environ["XINDAI_STOCK_DIR"] = str(work / "stock")
    os.environ["XINDAI_MODEL_DIR"] = str(work / "models")
    os.environ.setdefault("XINDAI_VAR_DIR", str(work / "var"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xindai.settings")
    import django

    django.setup()


# ---- prepare ----------------------------------------------------------------------------------


def org_tree() -> tuple[list[str], Any]:
    """联社 → 4 支行 → 3 网点 each; the outlet codes, and a 风险合规 user."""
    from django.contrib.auth.models import Group

    from xindai.org.models import OrgUnit, UnitKind, User
    from xindai.org.roles import Role, group_name

    hq = OrgUnit.objects.create(code="BQ", name="基准联社", kind=UnitKind.UNION)
    outlets = []
    for b in range(1, 5):
        branch = OrgUnit.objects.create(
            code=f"BQ{b}", name=f"基准{b}支行", kind=UnitKind.BRANCH, parent=hq
        )
        for o in range(1, 4):
            code = f"BQ{b}{o}"
            OrgUnit.objects.create(
                code=code, name=f"基准{b}支行{o}网点", kind=UnitKind.OUTLET, parent=branch
            )
            outlets.append(code)
    risk = User.objects.create_user("bench_risk", org_unit=hq, full_name="基准合规")
    risk.groups.add(Group.objects.get(name=group_name(Role.RISK)))
    return outlets, risk


def prepare(customers: int, seed: int, train_sample: int, work: Path) -> dict[str, float]:
    from django.conf import settings
    from django.core.management import call_command

    from xindai.scoring import importer, services, synth

    steps: dict[str, float] = {}

    def step(name: str, started: float) -> None:
        steps[name] = round(time.perf_counter() - started, 1)
        print(f"  {name}: {steps[name]} s", flush=True)

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    outlets, risk = org_tree()
    step("migrate", started)

    started = time.perf_counter()
    households = max(1, round(customers / CUSTOMERS_PER_HOUSEHOLD))
    tables = synth.generate(households, seed, as_of=AS_OF, org_codes=outlets)
    counts = {name: len(frame) for name, frame in tables.items()}
    print(f"  rows: {counts}", flush=True)
    upload = work / "upload"
    paths = synth.write(tables, upload, "parquet")
    del tables
    step("generate", started)

    started = time.perf_counter()
    batch = importer.import_file(paths["customers"], "customers")
    print(f"  customers: accepted {batch.rows_accepted}, rejected {batch.rows_rejected}")
    stock = Path(settings.STOCK_DIR)
    for name in ("balances", "transactions", "loans", "holdings"):
        shutil.copy(paths[name], stock / f"{name}.parquet")
    step("import", started)

    started = time.perf_counter()
    models = services.train_models(AS_OF, user=None, sample=train_sample)
    for model in models:
        services.approve_model(model, user=risk, note="基准测试")
    step("train", started)
    steps["customers"] = counts["customers"]
    steps["transactions"] = counts["transactions"]
    steps["auc_propensity"] = models[0].metrics["auc"]
    steps["auc_scorecard"] = models[1].metrics["auc"]
    return steps


# ---- measure ----------------------------------------------------------------------------------


def measure() -> dict[str, Any]:
    from django.db import connection

    from xindai.scoring import services

    with PeakMemory() as features_memory:
        started = time.perf_counter()
        frame = services.feature_frame(AS_OF)
        features_seconds = time.perf_counter() - started
    with PeakMemory() as scoring_memory:
        started = time.perf_counter()
        run = services.run_scoring(AS_OF, frame=frame, progress=True)
        scoring_seconds = time.perf_counter() - started
    return {
        "database": connection.vendor,
        "customers_in_features": len(frame),
        "customers_scored": run.customers_scored,
        "customers_opted_out": run.customers_opted_out,
        "grade_counts": run.grade_counts,
        "features_seconds": round(features_seconds, 2),
        "scoring_seconds": round(scoring_seconds, 2),
        "total_seconds": round(features_seconds + scoring_seconds, 2),
        "features_peak_rss_gib": gib(features_memory.peak),
        "scoring_peak_rss_gib": gib(scoring_memory.peak),
        "process_peak_rss_gib": gib(high_water_mark()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--train-sample", type=int, default=200_000, help="训练样本客户数上限")
    parser.add_argument("--work-dir", help="存量数据和模型目录（默认临时目录）")
    parser.add_argument("--measure-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    work = Path(args.work_dir or tempfile.mkdtemp(prefix="xindai-scoring-bench-"))
    if args.measure_only:
        setup_django(args.database_url, work)
        print(json.dumps(measure()), flush=True)
        return

    (work / "stock").mkdir(parents=True, exist_ok=True)
    (work / "models").mkdir(parents=True, exist_ok=True)
    print(f"准备 {args.customers:,} 户（{args.database_url}，目录 {work}）…", flush=True)
    fresh_database(args.database_url)
    setup_django(args.database_url, work)
    prepared = prepare(args.customers, args.seed, args.train_sample, work)
    from django.db import connections

    connections.close_all()
    print("计时：特征 + 评分（新进程）…", flush=True)
    child = subprocess.run(  # noqa: S603 (this script, our arguments)
        [
            sys.executable,
            __file__,
            "--measure-only",
            "--database-url",
            args.database_url,
            "--work-dir",
            str(work),
        ],
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    measured = json.loads(child.stdout.strip().splitlines()[-1])
    result = {"customers_requested": args.customers, "seed": args.seed} | measured
    result["prepare_seconds"] = prepared
    result["aim"] = {"seconds": 120, "gib": 8}
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
