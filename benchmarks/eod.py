"""End-of-day throughput on PostgreSQL: N loans through one ``xindai.loans.eod.run_date``.

    .venv/bin/python benchmarks/eod.py --loans 100000
    .venv/bin/python benchmarks/eod.py --loans 1000000 \\
        --database-url postgres://postgres@127.0.0.1:5432/xindai_bench

What it does (the database named in the URL is DROPPED and created again):

1. A migrated template database ``<name>_template`` is made once (``--fresh-template`` makes it
   again after new migrations); the scratch database is cloned from it (``CREATE DATABASE ...
   TEMPLATE``), then ``migrate`` runs (a no-op when the template is current). With
   ``--reuse-portfolio`` the built portfolio is kept as ``<name>_p<loans>`` and the next run
   clones it instead of building (``--fresh-template`` drops it too).
2. The portfolio is built set-based, in a handful of ``INSERT ... SELECT generate_series``
   statements: one customer per ``--per-customer`` loans (default 100), each with a deposit
   account (every other one holding 20,000 元, the rest empty); loan accounts copied from four
   template loans opened through ``loans.accounts.open_account`` (等额本息 12 months, 按期付息
   12 months, 等额本金 24 months, 利随本清 12 months), their start dates spread over the last
   330 days so that about one loan in thirty has an installment due tomorrow; their schedule
   rows (copied and shifted); their servicing state (principal = the rows not yet due; one loan
   in 25 overdue by 0–149 days with 1,000 元 of principal and 50 元 of interest, its status
   and class floor to match); the current schedule row of every loan; the loan accounts'
   balance copies; and one opening entry per account so that the ledger reconciles before.
3. ``VACUUM ANALYZE``; the floor: ``UPDATE loans_loanstate SET interest_base = interest_base +
   principal_fen`` (one statement over the same table, rolled back), timed; ``VACUUM``.
4. One end-of-day for the business date, timed (per step from the run's summary), the peak
   resident memory of this process (``resource.getrusage``; the PostgreSQL server's memory is
   not counted), loans per second, the ratio to the floor, and the reconciliation afterwards.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import secrets
import subprocess
import sys
import tempfile
import time
from typing import Any
from urllib.parse import urlparse, urlunparse

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/xindai_bench"
BUSINESS_DATE = dt.date(2026, 11, 27)
SPREAD_DAYS = 330  # start dates: business date − 1 − (0..329)
TEMPLATES = (
    ("equal_installment", 12),
    ("interest_only", 12),
    ("equal_principal", 24),
    ("bullet", 12),
)
OVERDUE_EVERY = 25


# ---- the scratch database -------------------------------------------------------------------


def _admin_connection(url: str) -> Any:
    import psycopg

    parts = urlparse(url)
    admin = urlunparse(parts._replace(path="/postgres"))
    return psycopg.connect(admin, autocommit=True)


def _with_db(url: str, name: str) -> str:
    return urlunparse(urlparse(url)._replace(path=f"/{name}"))


def _migrate(url: str) -> None:
    env = os.environ | {"DATABASE_URL": url}
    xindai = os.path.join(os.path.dirname(sys.executable), "xindai")
    subprocess.run([xindai, "migrate", "--verbosity", "0"], env=env, check=True)  # noqa: S603


def _portfolio_name(url: str, loans: int) -> str:
    return f"{urlparse(url).path.lstrip('/')}_p{loans}"


def prepare(url: str, fresh_template: bool, portfolio: str | None = None) -> tuple[float, bool]:
    """Drop and clone the scratch database from its migrated template — or from a saved
    portfolio ``portfolio`` when it exists (``--reuse-portfolio``); (seconds spent, whether
    the portfolio was cloned)."""
    started = time.perf_counter()
    name = urlparse(url).path.lstrip("/")
    template = f"{name}_template"
    with _admin_connection(url) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (template,))
        if fresh_template or exists.fetchone() is None:
            admin.execute(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
            if portfolio:
                admin.execute(f'DROP DATABASE IF EXISTS "{portfolio}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{template}"')
            print(f"迁移模板库 {template} …", flush=True)
            _migrate(_with_db(url, template))
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        saved = False
        if portfolio:
            found = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (portfolio,))
            saved = found.fetchone() is not None
        source = portfolio if saved else template
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
    return time.perf_counter() - started, saved


def save_portfolio(url: str, portfolio: str) -> None:
    """Keep the built portfolio as a template database for the next ``--reuse-portfolio``."""
    from django.db import connections

    connections.close_all()
    name = urlparse(url).path.lstrip("/")
    with _admin_connection(url) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{portfolio}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{portfolio}" TEMPLATE "{name}"')


# ---- the portfolio ----------------------------------------------------------------------------


def _columns(table: str) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        return [c.name for c in connection.introspection.get_table_description(cursor, table)]


def _copy_sql(table: str, replace: dict[str, str], source: str, where: str) -> str:
    """INSERT INTO table (every column but id) SELECT each column, or its replacement
    expression, FROM ``source`` (which names the template row ``t``) WHERE ``where``."""
    columns = [c for c in _columns(table) if c != "id"]
    values = [replace.get(c, f"t.{c}") for c in columns]
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608 (our own expressions)
        f"SELECT {', '.join(values)} FROM {source} WHERE {where}"
    )


def _templates(day: dt.date) -> tuple[Any, list[int]]:
    """The org unit, manager, product, a template customer and one template loan per method."""
    from decimal import Decimal

    from xindai.core import business_date
    from xindai.customers.models import Customer
    from xindai.loans.accounts import loan_terms, open_account
    from xindai.loans.models import LoanSource
    from xindai.org.models import OrgUnit, UnitKind, User
    from xindai.products.demo import seed_demo_products
    from xindai.products.models import LoanProduct

    business_date.set_date(day, actor=None, reason="benchmark")
    seed_demo_products()
    unit = OrgUnit.objects.create(code="BM", name="基准测试网点", kind=UnitKind.UNION)
    manager = User.objects.create_user("bench", org_unit=unit, full_name="基准")
    customer = Customer.objects.create(
        kind="farmer",
        name="基准模板",
        id_type="resident_id",
        id_number="BMTEMPLATE",
        manager=manager,
        org_unit=unit,
    )
    product = LoanProduct.objects.get(code="ZCSX")
    loans = []
    for n, (method, months) in enumerate(TEMPLATES, start=1):
        terms = loan_terms(
            product, Decimal(100_000), Decimal("0.0435"), months, method, day - dt.timedelta(1)
        )
        loan, _ = open_account(
            terms,
            customer=customer,
            product=product,
            org_unit=unit,
            manager=manager,
            created_by=manager,
            source=LoanSource.IMPORTED,
            legacy_number=f"BMT{n}",
            term_months=months,
        )
        loans.append(loan.pk)
    return customer, loans


def build(loans: int, per_customer: int, day: dt.date) -> dict[str, float]:
    """The portfolio, set-based; seconds per part."""
    from django.db import connection, transaction

    timings: dict[str, float] = {}
    customer, templates = _templates(day)
    customers = (loans + per_customer - 1) // per_customer
    count = len(templates)
    template_of = f"(ARRAY{templates})[(g % {count}) + 1]"
    shift = f"((g * 7) % {SPREAD_DAYS})"  # days earlier than the template's start
    with transaction.atomic(), connection.cursor() as cursor:

        def timed(part: str, sql: str, params: Any = None) -> None:
            started = time.perf_counter()
            cursor.execute(sql, params)
            timings[part] = time.perf_counter() - started
            print(f"  {part}: {timings[part]:.1f} s", flush=True)

        timed(
            "customers",
            _copy_sql(
                "customers_customer",
                {"name": "'客户' || g", "id_number": "'BM' || lpad(g::text, 16, '0')"},
                f"customers_customer t, generate_series(1, {customers}) g",
                f"t.id = {customer.pk}",
            ),
        )
        first_customer = customer.pk + 1
        timed(
            "deposit accounts",
            "INSERT INTO deposits_depositaccount (number, customer_id, balance_fen, is_active,"
            " opened_on) SELECT '6231' || lpad(c.id::text, 12, '0'), c.id,"
            " CASE WHEN c.id %% 2 = 0 THEN 2000000 ELSE 0 END, true, %s"
            " FROM customers_customer c WHERE c.id >= %s",
            [day - dt.timedelta(days=400), first_customer],
        )
        timed(
            "loan accounts",
            _copy_sql(
                "loans_loanaccount",
                {
                    "number": "'BM' || lpad(g::text, 12, '0')",
                    "legacy_number": "'BM' || lpad(g::text, 12, '0')",
                    "application_id": "NULL",
                    "contract_id": "NULL",
                    "customer_id": f"{first_customer} + (g - 1) / {per_customer}",
                    "start_date": f"t.start_date - {shift}",
                    "maturity_date": f"t.maturity_date - {shift}",
                    # overdue loans (see the states below) are 逾期 already
                    "status": f"CASE WHEN g % {OVERDUE_EVERY} = 0 AND g % 150 > 0"
                    " THEN 'overdue' ELSE t.status END",
                },
                f"loans_loanaccount t, generate_series(1, {loans}) g",
                f"t.id = {template_of}",
            ),
        )
        # new loan → (g, its template, its shift): from the number
        cursor.execute(
            "CREATE TEMP TABLE bench_map ON COMMIT DROP AS SELECT l.id AS loan_id,"
            " substring(l.number from 3)::int AS g FROM loans_loanaccount l"
            " WHERE l.number LIKE 'BM%%'"
        )
        mapped = f"UPDATE bench_map SET template = {template_of}, shift = {shift}"  # noqa: S608
        cursor.execute("ALTER TABLE bench_map ADD COLUMN template bigint, ADD COLUMN shift int")
        cursor.execute(mapped)
        timed(
            "schedule rows",
            _copy_sql(
                "loans_schedulerow",
                {"loan_id": "m.loan_id", "due_date": "t.due_date - m.shift"},
                "bench_map m JOIN loans_schedulerow t ON t.loan_id = m.template",
                "true",
            ),
        )
        timed(
            "loan states",
            _copy_sql(
                "loans_loanstate",
                {
                    "loan_id": "m.loan_id",
                    "repayment_account_id": "d.id",
                    "principal_fen": "0",
                    "overdue_principal_fen": f"CASE WHEN m.g % {OVERDUE_EVERY} = 0"
                    " THEN 100000 ELSE 0 END",
                    "overdue_interest_fen": f"CASE WHEN m.g % {OVERDUE_EVERY} = 0"
                    " THEN 5000 ELSE 0 END",
                    "overdue_since": f"CASE WHEN m.g % {OVERDUE_EVERY} = 0"
                    f" THEN DATE '{day}' - (m.g % 150) END",
                    "days_past_due": f"CASE WHEN m.g % {OVERDUE_EVERY} = 0 THEN m.g % 150"
                    " ELSE 0 END",
                    "class_floor": f"CASE WHEN m.g % {OVERDUE_EVERY} = 0 AND m.g % 150 > 90"
                    f" THEN 'substandard' WHEN m.g % {OVERDUE_EVERY} = 0 AND m.g % 150 > 7"
                    " THEN 'special_mention' ELSE 'normal' END",
                    "start_date": "l.start_date",
                },
                "bench_map m JOIN loans_loanaccount l ON l.id = m.loan_id"
                " JOIN deposits_depositaccount d ON d.customer_id = l.customer_id"
                " JOIN loans_loanstate t ON t.loan_id = m.template",
                "true",
            ),
        )
        timed(
            "outstanding principal",
            "UPDATE loans_loanstate s SET principal_fen = r.rest FROM (SELECT loan_id,"
            " SUM(principal_fen) AS rest FROM loans_schedulerow WHERE due_date > %s"
            " GROUP BY loan_id) r WHERE r.loan_id = s.loan_id",
            [day],
        )
        timed(
            "current periods",
            "UPDATE loans_loanstate s SET next_due_date = n.due_date, period_interest_fen ="
            " n.interest_fen, period_days = n.days FROM (SELECT DISTINCT ON (loan_id) loan_id,"
            " due_date, interest_fen, days FROM loans_schedulerow WHERE due_date > %s"
            " ORDER BY loan_id, due_date, period) n WHERE n.loan_id = s.loan_id",
            [day],
        )
        timed(
            "loan balances",
            "UPDATE loans_loanaccount a SET outstanding_principal = (s.principal_fen"
            " + s.principal_due_fen + s.overdue_principal_fen) / 100.0 FROM loans_loanstate s"
            " WHERE s.loan_id = a.id",
        )
        # the templates themselves leave the portfolio (settled, nothing owed)
        cursor.execute(
            "UPDATE loans_loanstate SET principal_fen = 0 WHERE loan_id = ANY(%s)", [templates]
        )
        cursor.execute(
            "UPDATE loans_loanaccount SET status = 'settled' WHERE id = ANY(%s)", [templates]
        )
        started = time.perf_counter()
        _opening_entries(day)
        timings["opening entries"] = time.perf_counter() - started
    return timings


def _opening_entries(day: dt.date) -> None:
    """Post the subledger as it stands against 300101, so that the books agree before."""
    from xindai.ledger import services as ledger
    from xindai.ledger.domain import credit, debit
    from xindai.ledger.reconciliation import subledger

    sums = subledger()
    legs = [debit(code, sums[code]) for code in ("130101", "130102", "113201") if sums[code]]
    legs.append(credit("300101", sum(leg.debit for leg in legs)))
    ledger.post("bench:opening:loans", day - dt.timedelta(1), "other", legs)
    ledger.post(
        "bench:opening:deposits",
        day - dt.timedelta(1),
        "other",
        [debit("300101", sums["201101"]), credit("201101", sums["201101"])],
    )
    if sums["701101"]:
        ledger.post(
            "bench:opening:off",
            day - dt.timedelta(1),
            "other",
            [debit("701101", sums["701101"]), credit("701102", sums["701101"])],
        )


# ---- the floor and the run ----------------------------------------------------------------------


def vacuum(analyze: bool = True) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if analyze else "VACUUM")


def floor() -> float:
    """Seconds of one UPDATE over every loan state (rolled back)."""
    from django.db import connection, transaction

    try:
        with transaction.atomic(), connection.cursor() as cursor:
            started = time.perf_counter()
            cursor.execute(
                "UPDATE loans_loanstate SET interest_base = interest_base + principal_fen"
            )
            seconds = time.perf_counter() - started
            raise _Rollback
    except _Rollback:
        pass
    return seconds


class _Rollback(Exception):
    pass


def run_eod(day: dt.date, chunk: int | None) -> Any:
    """The end-of-day engine, once, without the post-loan day (timed on its own)."""
    from xindai.loans import eod
    from xindai.loans.signals import eod_closed

    eod_closed.disconnect(dispatch_uid="postloan.after_eod")
    return eod.run_date(day, chunk=chunk)


def run_postloan_day(today: dt.date) -> tuple[float, float, dict[str, Any]]:
    """The post-loan day after the end-of-day (``postloan.jobs.run_all``), twice: the first run
    makes what the portfolio needs (inspection plans of loans that have none, classes,
    notices, warnings, cases), the second finds nothing new — a day's steady cost."""
    from xindai.postloan.jobs import run_all

    started = time.perf_counter()
    done = run_all(today)
    first = time.perf_counter() - started
    started = time.perf_counter()
    run_all(today)
    return first, time.perf_counter() - started, done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--loans", type=int, default=100_000)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--per-customer", type=int, default=100, help="贷款笔数/客户")
    parser.add_argument("--chunk", type=int, default=None, help="日终每批贷款数（默认设置值）")
    parser.add_argument("--fresh-template", action="store_true", help="重建迁移模板库")
    parser.add_argument(
        "--reuse-portfolio",
        action="store_true",
        help="构建后把组合保存为模板库 <库名>_p<笔数>，以后直接复制（改了迁移或构建后用"
        " --fresh-template 重建）",
    )
    args = parser.parse_args()
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("只支持 PostgreSQL（--database-url postgres://...）")
    portfolio = _portfolio_name(args.database_url, args.loans) if args.reuse_portfolio else None

    # Production settings (no DEBUG: Django would keep every query in memory).
    os.environ.pop("DEBUG", None)
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("XINDAI_VAR_DIR", tempfile.mkdtemp(prefix="xindai-bench-"))
    prepared, cloned = prepare(args.database_url, args.fresh_template, portfolio)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xindai.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if cloned:
        print(f"数据库就绪（复制已保存的组合 {portfolio}）：{prepared:.1f} s", flush=True)
        parts: dict[str, float] = {}
        built = 0.0
        vacuum()
    else:
        print(f"数据库就绪：{prepared:.1f} s；构建 {args.loans:,} 笔贷款 …", flush=True)
        started = time.perf_counter()
        parts = build(args.loans, args.per_customer, BUSINESS_DATE)
        built = time.perf_counter() - started
        vacuum()
        if portfolio:
            save_portfolio(args.database_url, portfolio)
    floor_seconds = floor()
    vacuum(analyze=False)

    from xindai.ledger import reconciliation

    before = reconciliation.reconcile()
    memory_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    summary = run_eod(BUSINESS_DATE, args.chunk)
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    first, again, done = run_postloan_day(BUSINESS_DATE + dt.timedelta(days=1))
    postloan_peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    after = reconciliation.reconcile()

    print()
    print(f"贷款笔数            {args.loans:>12,}")
    detail = ", ".join(f"{k} {v:.1f}" for k, v in parts.items())
    print(f"构建组合            {built:>12.1f} s  ({detail})")
    print(f"单条 UPDATE 下限     {floor_seconds:>12.2f} s")
    print(f"日终 {BUSINESS_DATE}   {seconds:>12.2f} s")
    for step, spent in getattr(summary, "timings", {}).items():
        print(f"    {step:<14} {spent:>10.2f} s")
    print(f"每秒贷款笔数        {args.loans / seconds:>12,.0f}")
    print(f"与下限之比          {seconds / floor_seconds:>12.2f} ×")
    print(
        f"峰值内存（本进程）  {peak_kb / 1024:>12.1f} MiB  (日终前 {memory_before / 1024:.1f} MiB)"
    )
    print(f"贷后日批（首次）    {first:>12.2f} s  {done}")
    print(f"贷后日批（再次）    {again:>12.2f} s")
    print(f"峰值内存（含贷后）  {postloan_peak_kb / 1024:>12.1f} MiB")
    print(f"日终前总分核对      {'相符' if before.ok else '不符'}")
    print(f"日终后总分核对      {'相符' if after.ok else '不符'}")
    for line in after.differences:
        print(f"    {line.account.code} 总账 {line.ledger} 明细 {line.subledger}")
    if hasattr(summary, "loans"):
        print(f"各步骤处理笔数      {summary.loans}")


if __name__ == "__main__":
    main()
