"""Customer features for the precision-marketing models, written once with Ibis.

The same expressions run on DuckDB (the default, in process) and on PySpark (a provincial
union's cluster; a local-mode test checks that both give identical frames). They read the five
Parquet tables of the stock store (``STOCK_DIR/<table>.parquet``) and use only data dated on or
before ``as_of``: a transaction, balance month, loan event or holding dated later changes nothing.

Windows (``as_of`` = A):
  90 days   A - 89 days <= txn_date <= A (90 calendar days, A included).
  12 months the 12 calendar months ending with A's month, cut at A (A's month is partial).
  balances  complete months only: the 3 / 12 months ending with the last month whose last day
            is <= A (a monthly average of a month still running would leak the future).

Features (one line each; the default used when nothing is there in brackets):
  txn_count_90d         number of transactions in the 90 days [0]
  txn_in_amount_90d     sum of incoming amounts in the 90 days, yuan [0]
  txn_out_amount_90d    sum of outgoing amounts in the 90 days, yuan [0]
  days_since_last_txn   days from the last transaction on or before A to A [days since opened_on]
  active_months_12m     calendar months of the 12 with at least one transaction [0]
  avg_balance_3m        mean of avg_balance over the months present among the last 3 complete [0]
  avg_balance_12m       the same over the last 12 complete months [0]
  balance_trend         avg_balance_3m / avg_balance_12m [1 when avg_balance_12m is 0]
  inflow_seasonality    largest monthly inflow / (total inflow / 12) over the 12 months; 1 = even,
                        12 = all in one month [1 when no inflow]
  payroll_months_12m    months of the 12 with an incoming payroll transaction [0]
  subsidy_count_12m     incoming subsidy transactions in the 12 months [0]
  remittance_in_12m     incoming remittance amount in the 12 months, yuan [0]
  pos_count_90d         transactions with purpose "pos" in the 90 days [0]
  n_products            distinct products held on A (opened_on <= A, closed_on null or > A) [0]
  has_mobile_banking    1 if mobile_banking is held on A [0]
  has_card              1 if card is held on A [0]
  has_payroll           1 if payroll is held on A [0]
  has_insurance         1 if agency_insurance is held on A [0]
  has_credit_line       1 if credit_line is held on A [0]
  n_loans               loans opened on or before A [0]
  loans_settled         loans settled on or before A [0]
  prepaid_loans         loans settled on or before A and before their maturity_on [0]
  loan_balance_proxy    sum of amount of loans open on A (opened_on <= A, settled null or > A) [0]
  ever_overdue          1 if a loan has first_overdue_on <= A [0]
  ever_defaulted        1 if a loan has first_default_on <= A [0]
  months_since_last_loan whole months from the latest loan opened on or before A to A [999]
  age                   whole years from birth_date to A [0 when unknown or an enterprise]
  life_stage            0 n/a (enterprise or no birth date), 1 <30, 2 30-44, 3 45-59, 4 60+
  tenure_years          (A - opened_on) in days / 365.25
  archive_completeness  share filled (non-null, non-blank) of 8 optional fields: id_number,
                        phone, birth_date (industry_code for an enterprise), village_code,
                        household_size, declared_income, declared_assets, address
  is_farmer             1 if kind is farmer
  is_business           1 if kind is business (individual business)

Labels (``label_frame``): borrowed = a loan opened in (A, A + horizon]; bad = a loan with
first_default_on in (A, A + 365], defined only for customers with a loan open on A or opened in
the horizon (else NA).

This module is pure (no Django at import time); ``settings.STOCK_DIR`` is read only when no
``stock_dir`` is passed.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.datatypes as dt
import pandas as pd
from ibis import _

# Name -> Chinese label, in the fixed column order of the feature frame.
FEATURE_LABELS: dict[str, str] = {
    "txn_count_90d": "近90天交易笔数",
    "txn_in_amount_90d": "近90天入账金额",
    "txn_out_amount_90d": "近90天出账金额",
    "days_since_last_txn": "距最近一笔交易天数",
    "active_months_12m": "近12个月活跃月数",
    "avg_balance_3m": "近3个月日均存款",
    "avg_balance_12m": "近12个月日均存款",
    "balance_trend": "存款余额趋势",
    "inflow_seasonality": "入账季节性",
    "payroll_months_12m": "近12个月代发工资月数",
    "subsidy_count_12m": "近12个月补贴入账笔数",
    "remittance_in_12m": "近12个月汇款入账金额",
    "pos_count_90d": "近90天POS消费笔数",
    "n_products": "持有产品数",
    "has_mobile_banking": "开通手机银行",
    "has_card": "持有银行卡",
    "has_payroll": "代发工资客户",
    "has_insurance": "持有代理保险",
    "has_credit_line": "持有授信额度",
    "n_loans": "历史贷款笔数",
    "loans_settled": "已结清贷款笔数",
    "prepaid_loans": "提前还款笔数",
    "loan_balance_proxy": "在贷金额",
    "ever_overdue": "曾经逾期",
    "ever_defaulted": "曾经违约",
    "months_since_last_loan": "距最近一笔贷款月数",
    "age": "年龄",
    "life_stage": "人生阶段",
    "tenure_years": "开户年限",
    "archive_completeness": "档案完整度",
    "is_farmer": "农户",
    "is_business": "个体工商户",
}

FEATURES: list[str] = list(FEATURE_LABELS)

TABLES = ("customers", "balances", "transactions", "loans", "holdings")
EXTRA_COLUMNS = ["kind", "org_code", "village_code"]
NO_LOAN_MONTHS = 999

_DATES = {
    "customers": ("birth_date", "opened_on"),
    "balances": ("month",),
    "transactions": ("txn_date",),
    "loans": ("opened_on", "maturity_on", "settled_on", "first_overdue_on", "first_default_on"),
    "holdings": ("opened_on", "closed_on"),
}
_AMOUNTS = {
    "customers": ("declared_income", "declared_assets"),
    "balances": ("avg_balance", "end_balance"),
    "transactions": ("amount",),
    "loans": ("amount",),
    "holdings": (),
}
# Only what an empty store (a table never imported) needs to stand in for the missing file.
_EMPTY_SCHEMAS = {
    "balances": {"customer_no": "string", "month": "date", "avg_balance": "float64"},
    "transactions": {
        "txn_id": "string",
        "customer_no": "string",
        "txn_date": "date",
        "amount": "float64",
        "direction": "string",
        "counterparty_type": "string",
        "channel": "string",
        "purpose": "string",
    },
    "loans": {
        "loan_no": "string",
        "customer_no": "string",
        "amount": "float64",
        "opened_on": "date",
        "maturity_on": "date",
        "settled_on": "date",
        "first_overdue_on": "date",
        "first_default_on": "date",
    },
    "holdings": {
        "customer_no": "string",
        "product": "string",
        "opened_on": "date",
        "closed_on": "date",
    },
}
_ARCHIVE_FIELDS = (
    "id_number",
    "phone",
    "village_code",
    "household_size",
    "declared_income",
    "declared_assets",
    "address",
)

Tables = dict[str, ibis.Table]


# --- connection -------------------------------------------------------------------------------


def connect(
    backend: str = "duckdb", stock_dir: Path | str | None = None, con: Any = None
) -> tuple[Any, Tables]:
    """An Ibis connection and the five stock tables, typed (dates as date, amounts as float64).

    ``con`` reuses an Ibis backend already open (for instance one wrapping a Spark session).
    """
    if con is None:
        con = _open(backend)
    folder = Path(stock_dir) if stock_dir is not None else _default_stock_dir()
    tables = {name: _typed(name, _read(con, folder, name)) for name in TABLES}
    return con, tables


def _open(backend: str) -> Any:
    if backend == "duckdb":
        return ibis.duckdb.connect()
    if backend == "pyspark":
        from pyspark.sql import SparkSession

        session = (
            SparkSession.builder.master("local[2]")
            .appName("xindai-features")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.shuffle.partitions", "2")
            .getOrCreate()
        )
        return ibis.pyspark.connect(session)
    raise ValueError(f"unknown backend {backend!r}")


def _default_stock_dir() -> Path:
    from django.conf import settings

    return Path(settings.STOCK_DIR)


def _read(con: Any, folder: Path, name: str) -> ibis.Table:
    path = folder / f"{name}.parquet"
    if path.exists():
        return con.read_parquet(str(path))
    if name == "customers":
        raise FileNotFoundError(f"no customers table at {path}")
    return ibis.memtable(ibis.schema(_EMPTY_SCHEMAS[name]).to_pyarrow().empty_table())


def _typed(name: str, table: ibis.Table) -> ibis.Table:
    schema = table.schema()
    casts: dict[str, Any] = {}
    for column in _DATES[name]:
        if column in schema and not schema[column].is_date():
            casts[column] = table[column].cast("date")
    for column in _AMOUNTS[name]:
        if column in schema and schema[column] != dt.float64:
            casts[column] = table[column].cast("float64")
    return table.mutate(**casts) if casts else table


# --- public frames ----------------------------------------------------------------------------


def feature_frame(
    as_of: date,
    *,
    backend: str = "duckdb",
    stock_dir: Path | str | None = None,
    con: Any = None,
) -> pd.DataFrame:
    """One row per customer known on as_of: customer_no, FEATURES, kind, org_code, village_code."""
    frame = _execute(lambda tables: feature_expr(tables, as_of), backend, stock_dir, con)
    # Rounded to 1e-6: parallel sums differ in their last bits from run to run, and the same
    # data must give the same features, fingerprint and model (amounts stay exact to the fen).
    frame[FEATURES] = frame[FEATURES].astype("float64").round(6)
    return frame.sort_values("customer_no", ignore_index=True)


def label_frame(
    as_of: date,
    horizon_days: int = 180,
    *,
    backend: str = "duckdb",
    stock_dir: Path | str | None = None,
    con: Any = None,
) -> pd.DataFrame:
    """customer_no, borrowed (0/1) and bad (0/1, NA outside the borrowing population)."""
    frame = _execute(
        lambda tables: label_expr(tables, as_of, horizon_days), backend, stock_dir, con
    )
    frame["borrowed"] = frame["borrowed"].astype("int64")
    frame["bad"] = frame["bad"].astype("Int64")
    return frame.sort_values("customer_no", ignore_index=True)


def _execute(
    build: Callable[[Tables], ibis.Table], backend: str, stock_dir: Path | str | None, con: Any
) -> pd.DataFrame:
    """Run an expression; an in-process DuckDB opened here is closed here (a Spark session,
    shared by the process, is left running)."""
    opened, tables = connect(backend, stock_dir, con)
    try:
        return build(tables).to_pyarrow().to_pandas()
    finally:
        if con is None and backend == "duckdb":
            opened.disconnect()


# --- expressions (backend-agnostic) -----------------------------------------------------------


def feature_expr(tables: Tables, as_of: date) -> ibis.Table:
    """The feature table as an Ibis expression: Ibis only, no backend SQL."""
    customers = tables["customers"].filter(_.opened_on <= as_of)
    parts = [
        _transactions_90d(tables["transactions"], as_of),
        _transaction_months(tables["transactions"], as_of),
        _balances(tables["balances"], as_of),
        _holdings(tables["holdings"], as_of),
        _loans(tables["loans"], as_of),
    ]
    joined = customers
    for part in parts:
        joined = joined.left_join(part, "customer_no").drop("customer_no_right")
    return joined.select(
        "customer_no", **_feature_columns(joined, as_of), **{c: joined[c] for c in EXTRA_COLUMNS}
    )


def label_expr(tables: Tables, as_of: date, horizon_days: int = 180) -> ibis.Table:
    customers = tables["customers"].filter(_.opened_on <= as_of).select("customer_no")
    horizon_end = as_of + timedelta(days=horizon_days)
    loans = tables["loans"]
    in_horizon = (loans.opened_on > as_of) & (loans.opened_on <= horizon_end)
    defaulted = (loans.first_default_on > as_of) & (
        loans.first_default_on <= as_of + timedelta(days=365)
    )
    per_customer = loans.group_by("customer_no").aggregate(
        new_loans=loans.loan_no.count(where=in_horizon),
        open_loans=loans.loan_no.count(where=_open_on(loans, as_of)),
        defaults=loans.loan_no.count(where=defaulted),
    )
    joined = customers.left_join(per_customer, "customer_no").drop("customer_no_right")
    borrowed = joined.new_loans.fill_null(0) > 0
    eligible = borrowed | (joined.open_loans.fill_null(0) > 0)
    bad = (joined.defaults.fill_null(0) > 0).cast("int64")
    return joined.select(
        "customer_no",
        borrowed=borrowed.cast("int64"),
        bad=ibis.ifelse(eligible, bad, ibis.null("int64")),
    )


def _transactions_90d(txns: ibis.Table, as_of: date) -> ibis.Table:
    """Recency over all history up to as_of; frequency and amounts over the 90 days."""
    past = txns.filter(txns.txn_date <= as_of)
    recent = past.txn_date >= as_of - timedelta(days=89)
    year_start = _month_start(as_of, -11)
    in_year = past.txn_date >= year_start
    incoming = past.direction == "in"
    return past.group_by("customer_no").aggregate(
        last_txn_on=past.txn_date.max(),
        txn_count_90d=past.amount.count(where=recent),
        txn_in_amount_90d=past.amount.sum(where=recent & incoming),
        txn_out_amount_90d=past.amount.sum(where=recent & (past.direction == "out")),
        pos_count_90d=past.amount.count(where=recent & (past.purpose == "pos")),
        subsidy_count_12m=past.amount.count(where=in_year & incoming & (past.purpose == "subsidy")),
        remittance_in_12m=past.amount.sum(
            where=in_year & incoming & (past.purpose == "remittance")
        ),
    )


def _transaction_months(txns: ibis.Table, as_of: date) -> ibis.Table:
    """Monthly activity, inflow and payroll over the 12 calendar months ending with as_of."""
    year = txns.filter((txns.txn_date >= _month_start(as_of, -11)) & (txns.txn_date <= as_of))
    incoming = year.direction == "in"
    monthly = year.group_by(
        "customer_no", month=year.txn_date.year() * 12 + year.txn_date.month()
    ).aggregate(
        inflow=year.amount.sum(where=incoming),
        payroll=year.amount.count(where=incoming & (year.purpose == "payroll")),
    )
    return monthly.group_by("customer_no").aggregate(
        active_months_12m=monthly.month.count(),
        payroll_months_12m=monthly.month.count(where=monthly.payroll > 0),
        inflow_max=monthly.inflow.max(),
        inflow_total=monthly.inflow.sum(),
    )


def _balances(balances: ibis.Table, as_of: date) -> ibis.Table:
    last = _last_complete_month(as_of)
    window = balances.filter((balances.month >= _month_start(last, -11)) & (balances.month <= last))
    return window.group_by("customer_no").aggregate(
        avg_balance_3m=window.avg_balance.mean(where=window.month >= _month_start(last, -2)),
        avg_balance_12m=window.avg_balance.mean(),
    )


def _holdings(holdings: ibis.Table, as_of: date) -> ibis.Table:
    held = holdings.filter(
        (holdings.opened_on <= as_of) & (holdings.closed_on.isnull() | (holdings.closed_on > as_of))
    )
    flags = {
        "has_mobile_banking": "mobile_banking",
        "has_card": "card",
        "has_payroll": "payroll",
        "has_insurance": "agency_insurance",
        "has_credit_line": "credit_line",
    }
    return held.group_by("customer_no").aggregate(
        n_products=held.product.nunique(),
        **{
            name: held.product.count(where=held.product == product)
            for name, product in flags.items()
        },
    )


def _loans(loans: ibis.Table, as_of: date) -> ibis.Table:
    past = loans.filter(loans.opened_on <= as_of)
    settled = past.settled_on <= as_of
    return past.group_by("customer_no").aggregate(
        n_loans=past.loan_no.count(),
        loans_settled=past.loan_no.count(where=settled),
        prepaid_loans=past.loan_no.count(where=settled & (past.settled_on < past.maturity_on)),
        loan_balance_proxy=past.amount.sum(where=_open_on(past, as_of)),
        overdue_loans=past.loan_no.count(where=past.first_overdue_on <= as_of),
        defaulted_loans=past.loan_no.count(where=past.first_default_on <= as_of),
        last_loan_on=past.opened_on.max(),
    )


def _feature_columns(t: ibis.Table, as_of: date) -> dict[str, Any]:
    today = ibis.date(as_of)
    age = ibis.ifelse(t.kind == "enterprise", ibis.null("int64"), _whole_years(t.birth_date, as_of))
    zero_counts = [
        "txn_count_90d",
        "txn_in_amount_90d",
        "txn_out_amount_90d",
        "active_months_12m",
        "avg_balance_3m",
        "avg_balance_12m",
        "payroll_months_12m",
        "subsidy_count_12m",
        "remittance_in_12m",
        "pos_count_90d",
        "n_products",
        "n_loans",
        "loans_settled",
        "prepaid_loans",
        "loan_balance_proxy",
    ]
    flags = ["has_mobile_banking", "has_card", "has_payroll", "has_insurance", "has_credit_line"]
    columns: dict[str, Any] = {name: t[name].fill_null(0) for name in zero_counts}
    columns.update({name: _flag(t[name]) for name in flags})
    avg_12m = t.avg_balance_12m.fill_null(0)
    inflow_total = t.inflow_total.fill_null(0)
    columns.update(
        days_since_last_txn=today.delta(ibis.coalesce(t.last_txn_on, t.opened_on), unit="day"),
        balance_trend=ibis.ifelse(
            avg_12m != 0, t.avg_balance_3m.fill_null(0) / avg_12m, _float(1.0)
        ),
        inflow_seasonality=ibis.ifelse(
            inflow_total > 0, t.inflow_max * _float(12) / inflow_total, _float(1.0)
        ),
        ever_overdue=_flag(t.overdue_loans),
        ever_defaulted=_flag(t.defaulted_loans),
        months_since_last_loan=_whole_months(t.last_loan_on, as_of).fill_null(NO_LOAN_MONTHS),
        age=age.fill_null(0),
        life_stage=ibis.cases(
            (age.isnull(), 0), (age < 30, 1), (age < 45, 2), (age < 60, 3), else_=4
        ),
        tenure_years=today.delta(t.opened_on, unit="day").cast("float64") / _float(365.25),
        archive_completeness=_archive_completeness(t),
        is_farmer=(t.kind == "farmer").cast("int64"),
        is_business=(t.kind == "business").cast("int64"),
    )
    return {name: columns[name] for name in FEATURES}


def _float(value: float) -> Any:
    """A double literal: Spark SQL reads a bare 365.25 as a DECIMAL and rounds the quotient."""
    return ibis.literal(value, type="float64")


def _flag(count: Any) -> Any:
    return (count.fill_null(0) > 0).cast("int64")


def _open_on(loans: ibis.Table, as_of: date) -> Any:
    return (loans.opened_on <= as_of) & (loans.settled_on.isnull() | (loans.settled_on > as_of))


def _whole_years(born: Any, as_of: date) -> Any:
    before_birthday = (born.month() > as_of.month) | (
        (born.month() == as_of.month) & (born.day() > as_of.day)
    )
    return as_of.year - born.year() - before_birthday.cast("int64")


def _whole_months(since: Any, as_of: date) -> Any:
    months = (as_of.year * 12 + as_of.month) - (since.year() * 12 + since.month())
    return months - (since.day() > as_of.day).cast("int64")


def _archive_completeness(t: ibis.Table) -> Any:
    birth_or_industry = ibis.ifelse(
        t.kind == "enterprise", _filled(t.industry_code), _filled(t.birth_date)
    )
    filled = [_filled(t[name]) for name in _ARCHIVE_FIELDS] + [birth_or_industry]
    total = filled[0].cast("int64")
    for item in filled[1:]:
        total = total + item.cast("int64")
    return total.cast("float64") / _float(len(filled))


def _filled(column: Any) -> Any:
    if column.type().is_string():
        return column.notnull() & (column.strip().length() > 0)
    return column.notnull()


def _month_start(day: date, shift: int) -> date:
    index = day.year * 12 + day.month - 1 + shift
    return date(index // 12, index % 12 + 1, 1)


def _last_complete_month(as_of: date) -> date:
    """First day of the last calendar month whose last day is on or before as_of."""
    month_end = calendar.monthrange(as_of.year, as_of.month)[1]
    return _month_start(as_of, 0 if as_of.day == month_end else -1)
