"""The feature pipeline on DuckDB against a small hand-made stock store whose every number is
worked out by hand below (as_of = 2026-06-15, a Monday; nothing here is read back from the code).

Windows for that date: 90 days = 2026-03-18 .. 2026-06-15; 12 months = 2025-07-01 .. 2026-06-15;
complete balance months: 3 = 2026-03 .. 2026-05, 12 = 2025-06 .. 2026-05.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from xindai.scoring.features import (
    EXTRA_COLUMNS,
    FEATURE_LABELS,
    FEATURES,
    feature_frame,
    label_frame,
)

AS_OF = date(2026, 6, 15)
D = date.fromisoformat

CUSTOMER_COLUMNS = {
    "customer_no": pa.string(),
    "name": pa.string(),
    "kind": pa.string(),
    "id_number": pa.string(),
    "phone": pa.string(),
    "birth_date": pa.date32(),
    "gender": pa.string(),
    "org_code": pa.string(),
    "village_code": pa.string(),
    "village_name": pa.string(),
    "industry_code": pa.string(),
    "household_size": pa.int64(),
    "opened_on": pa.date32(),
    "declared_income": pa.float64(),
    "declared_assets": pa.float64(),
    "address": pa.string(),
    "opt_out_personalised": pa.bool_(),
}
SCHEMAS = {
    "customers": CUSTOMER_COLUMNS,
    "balances": {
        "customer_no": pa.string(),
        "month": pa.date32(),
        "avg_balance": pa.float64(),
        "end_balance": pa.float64(),
    },
    "transactions": {
        "txn_id": pa.string(),
        "customer_no": pa.string(),
        "txn_date": pa.date32(),
        "amount": pa.float64(),
        "direction": pa.string(),
        "counterparty_type": pa.string(),
        "channel": pa.string(),
        "purpose": pa.string(),
    },
    "loans": {
        "loan_no": pa.string(),
        "customer_no": pa.string(),
        "product": pa.string(),
        "amount": pa.float64(),
        "opened_on": pa.date32(),
        "maturity_on": pa.date32(),
        "settled_on": pa.date32(),
        "first_overdue_on": pa.date32(),
        "first_default_on": pa.date32(),
        "written_off": pa.bool_(),
    },
    "holdings": {
        "customer_no": pa.string(),
        "product": pa.string(),
        "opened_on": pa.date32(),
        "closed_on": pa.date32(),
    },
}


def write_table(folder: Path, name: str, rows: list[dict[str, Any]] | dict[str, Any]) -> None:
    """Write rows (a list of dicts, or a dict of columns) with the store's exact schema."""
    schema = pa.schema(list(SCHEMAS[name].items()))
    if isinstance(rows, dict):
        size = max(len(v) for v in rows.values() if v is not None)
        arrays = [_column(rows.get(f.name), f.type, size) for f in schema]
        table = pa.Table.from_arrays(arrays, schema=schema)
    else:
        table = pa.Table.from_pylist(
            [{col: row.get(col) for col in SCHEMAS[name]} for row in rows], schema=schema
        )
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, folder / f"{name}.parquet")


def _column(values: Any, kind: pa.DataType, size: int) -> pa.Array:
    if values is None:
        return pa.nulls(size, kind)
    if isinstance(values, tuple):  # (values, mask of missing)
        return pa.array(values[0], type=kind, mask=values[1])
    return pa.array(values, type=kind)


def customer(no: str, kind: str, opened: str, **fields: Any) -> dict[str, Any]:
    return {"customer_no": no, "name": f"客户{no}", "kind": kind, "org_code": "B01",
            "opened_on": D(opened), **fields}  # fmt: skip


def txn(no: str, customer_no: str, day: str, amount: float, direction: str, purpose: str,
        channel: str = "mobile") -> dict[str, Any]:  # fmt: skip
    return {"txn_id": no, "customer_no": customer_no, "txn_date": D(day), "amount": amount,
            "direction": direction, "counterparty_type": "individual", "channel": channel,
            "purpose": purpose}  # fmt: skip


def loan(no: str, customer_no: str, amount: float, opened: str, maturity: str,
         settled: str | None = None, overdue: str | None = None,
         default: str | None = None) -> dict[str, Any]:  # fmt: skip
    def day(text: str | None) -> date | None:
        return D(text) if text else None

    return {"loan_no": no, "customer_no": customer_no, "product": "农户小额", "amount": amount,
            "opened_on": D(opened), "maturity_on": D(maturity), "settled_on": day(settled),
            "first_overdue_on": day(overdue), "first_default_on": day(default),
            "written_off": False}  # fmt: skip


def holding(
    customer_no: str, product: str, opened: str, closed: str | None = None
) -> dict[str, Any]:
    return {"customer_no": customer_no, "product": product, "opened_on": D(opened),
            "closed_on": D(closed) if closed else None}  # fmt: skip


def tiny_tables() -> dict[str, list[dict[str, Any]]]:
    """Five customers known on AS_OF (C4 opens later); rows after AS_OF are marked FUTURE."""
    customers = [
        customer("C1", "farmer", "2016-06-15", id_number="110101198106160011", phone="13800000001",
                 birth_date=D("1981-06-16"), village_code="110101001001", household_size=4,
                 declared_income=60000.0, declared_assets=200000.0, village_name="一村"),
        customer("C2", "business", "2026-01-01", id_number="110101199606160022", phone="  ",
                 birth_date=D("1996-06-16"), declared_income=120000.0, address="镇上"),
        customer("C3", "enterprise", "2020-03-01", phone="010-1234", industry_code="A01",
                 village_code="110101001002", declared_assets=5e6, address="园区"),
        customer("C4", "farmer", "2026-07-01", birth_date=D("1990-01-01")),  # FUTURE customer
        customer("C5", "farmer", "2026-06-15", birth_date=D("1966-06-15")),
        customer("C6", "business", "2026-06-15", birth_date=D("1971-06-15")),
    ]  # fmt: skip
    transactions = [
        txn("t1", "C1", "2026-06-10", 1000.0, "in", "payroll"),
        txn("t2", "C1", "2026-05-10", 1000.0, "in", "payroll"),
        txn("t3", "C1", "2026-04-20", 200.0, "out", "pos", "pos"),
        txn("t4", "C1", "2026-03-17", 500.0, "in", "subsidy"),  # one day before the 90 days
        txn("t5", "C1", "2025-09-05", 3000.0, "in", "remittance"),
        txn("t6", "C1", "2025-06-30", 9999.0, "in", "remittance"),  # before the 12 months
        txn("t7", "C1", "2026-06-16", 50000.0, "in", "payroll"),  # FUTURE
        txn("t8", "C1", "2026-03-18", 300.0, "out", "cash"),  # first day of the 90 days
        txn("t9", "C3", "2025-12-31", 100.0, "out", "transfer"),
    ]
    balances = [
        {"customer_no": "C1", "month": D(m), "avg_balance": b, "end_balance": b}
        for m, b in [
            ("2026-06-01", 99999.0),  # FUTURE: June is not complete on the 15th
            ("2026-05-01", 100.0),
            ("2026-04-01", 200.0),
            ("2026-03-01", 300.0),
            ("2026-02-01", 400.0),
            ("2025-06-01", 1000.0),
            ("2025-05-01", 5000.0),  # before the 12 complete months
        ]
    ] + [{"customer_no": "C3", "month": D("2025-08-01"), "avg_balance": 600.0, "end_balance": 0.0}]
    loans = [
        loan("L1", "C1", 20000.0, "2018-03-10", "2019-03-10", settled="2019-01-05"),
        loan("L2", "C1", 50000.0, "2024-08-20", "2026-08-20", overdue="2025-02-01"),
        loan("L3", "C1", 30000.0, "2026-07-01", "2027-07-01"),  # FUTURE
        loan("L4", "C3", 100000.0, "2023-06-15", "2026-06-15", settled="2026-06-15",
             overdue="2026-06-20", default="2026-09-30"),  # events after AS_OF are FUTURE
        loan("L5", "C3", 80000.0, "2019-01-01", "2020-01-01", settled="2020-03-01",
             overdue="2019-09-15", default="2019-12-15"),
        loan("L6", "C2", 10000.0, "2026-03-01", "2027-03-01", default="2026-12-01"),  # FUTURE dflt
        loan("L7", "C5", 5000.0, "2026-12-12", "2027-12-12"),  # FUTURE, last day of 180
        loan("L8", "C6", 5000.0, "2026-12-13", "2027-12-13"),  # FUTURE, day 181
    ]  # fmt: skip
    holdings = [
        holding("C1", "card", "2016-06-15"),
        holding("C1", "mobile_banking", "2020-01-01", closed="2026-06-15"),  # closed on AS_OF
        holding("C1", "payroll", "2026-06-15"),
        holding("C1", "agency_insurance", "2026-06-16"),  # FUTURE
        holding("C1", "deposit", "2016-06-15", closed="2026-06-16"),  # closed in the FUTURE
        holding("C3", "credit_line", "2021-01-01"),
    ]
    return {"customers": customers, "balances": balances, "transactions": transactions,
            "loans": loans, "holdings": holdings}  # fmt: skip


def write_tiny_store(folder: Path) -> Path:
    for name, rows in tiny_tables().items():
        write_table(folder, name, rows)
    return folder


# Expected features, worked by hand. Days: 2016-06-15 -> 2026-06-15 = 10*365 + 2 leap days = 3652;
# 2026-01-01 -> 06-15 = 31+28+31+30+31+14 = 165; 2020-03-01 -> 2026-03-01 = 6*365 + 1 (2024-02-29)
# = 2191, + 31+30+31+14 = 2297; 2025-12-31 -> 2026-06-15 = 31+28+31+30+31+15 = 166.
EXPECTED = {
    "C1": {
        "txn_count_90d": 4,  # t1 t2 t3 t8
        "txn_in_amount_90d": 2000.0,  # 1000 + 1000
        "txn_out_amount_90d": 500.0,  # 200 + 300
        "days_since_last_txn": 5,  # t1 on 06-10
        "active_months_12m": 5,  # 2026-06, 05, 04, 03 and 2025-09
        "avg_balance_3m": 200.0,  # (100 + 200 + 300) / 3
        "avg_balance_12m": 400.0,  # (100 + 200 + 300 + 400 + 1000) / 5
        "balance_trend": 0.5,  # 200 / 400
        "inflow_seasonality": 3000 * 12 / 5500,  # months 1000, 1000, 0, 500, 3000: max / (5500/12)
        "payroll_months_12m": 2,  # 06 and 05
        "subsidy_count_12m": 1,  # t4
        "remittance_in_12m": 3000.0,  # t5 (t6 is before the 12 months)
        "pos_count_90d": 1,  # t3
        "n_products": 3,  # card, payroll (opened on AS_OF), deposit (closes later)
        "has_mobile_banking": 0,  # closed on AS_OF
        "has_card": 1,
        "has_payroll": 1,
        "has_insurance": 0,  # opens the day after
        "has_credit_line": 0,
        "n_loans": 2,  # L1 L2
        "loans_settled": 1,  # L1
        "prepaid_loans": 1,  # L1 settled 2019-01-05 < maturity 2019-03-10
        "loan_balance_proxy": 50000.0,  # L2
        "ever_overdue": 1,  # L2 on 2025-02-01
        "ever_defaulted": 0,
        "months_since_last_loan": 21,  # 2024-08-20 -> 2026-06-15: 22 month steps, 20th > 15th
        "age": 44,  # 2026 - 1981 = 45, birthday tomorrow
        "life_stage": 2,
        "tenure_years": 3652 / 365.25,
        "archive_completeness": 7 / 8,  # all but address
        "is_farmer": 1,
        "is_business": 0,
    },
    "C2": {
        "txn_count_90d": 0,
        "txn_in_amount_90d": 0.0,
        "txn_out_amount_90d": 0.0,
        "days_since_last_txn": 165,  # no transaction: days since opened_on
        "active_months_12m": 0,
        "avg_balance_3m": 0.0,
        "avg_balance_12m": 0.0,
        "balance_trend": 1.0,  # no balance at all
        "inflow_seasonality": 1.0,  # no inflow
        "payroll_months_12m": 0,
        "subsidy_count_12m": 0,
        "remittance_in_12m": 0.0,
        "pos_count_90d": 0,
        "n_products": 0,
        "has_mobile_banking": 0,
        "has_card": 0,
        "has_payroll": 0,
        "has_insurance": 0,
        "has_credit_line": 0,
        "n_loans": 1,  # L6
        "loans_settled": 0,
        "prepaid_loans": 0,
        "loan_balance_proxy": 10000.0,
        "ever_overdue": 0,
        "ever_defaulted": 0,  # default on 2026-12-01 is after AS_OF
        "months_since_last_loan": 3,  # 2026-03-01 -> 06-15
        "age": 29,  # 2026 - 1996 = 30, birthday tomorrow
        "life_stage": 1,
        "tenure_years": 165 / 365.25,
        "archive_completeness": 4 / 8,  # id_number, birth_date, income, address (phone blank)
        "is_farmer": 0,
        "is_business": 1,
    },
    "C3": {
        "txn_count_90d": 0,
        "txn_in_amount_90d": 0.0,
        "txn_out_amount_90d": 0.0,
        "days_since_last_txn": 166,  # t9 on 2025-12-31
        "active_months_12m": 1,
        "avg_balance_3m": 0.0,  # no balance in 2026-03..05
        "avg_balance_12m": 600.0,
        "balance_trend": 0.0,  # 0 / 600
        "inflow_seasonality": 1.0,  # outflow only
        "payroll_months_12m": 0,
        "subsidy_count_12m": 0,
        "remittance_in_12m": 0.0,
        "pos_count_90d": 0,
        "n_products": 1,
        "has_mobile_banking": 0,
        "has_card": 0,
        "has_payroll": 0,
        "has_insurance": 0,
        "has_credit_line": 1,
        "n_loans": 2,  # L4 L5
        "loans_settled": 2,  # L4 settled on AS_OF, L5
        "prepaid_loans": 0,  # L4 on maturity, L5 late
        "loan_balance_proxy": 0.0,  # L4 settled on AS_OF is no longer open
        "ever_overdue": 1,  # L5 (L4's overdue is after AS_OF)
        "ever_defaulted": 1,  # L5
        "months_since_last_loan": 36,  # 2023-06-15 -> 2026-06-15
        "age": 0,  # enterprise
        "life_stage": 0,
        "tenure_years": 2297 / 365.25,
        "archive_completeness": 5 / 8,  # phone, industry, village, assets, address
        "is_farmer": 0,
        "is_business": 0,
    },
}
# C5 and C6 opened on AS_OF with nothing else: defaults everywhere except age and tenure 0.
BLANK = {
    **{name: 0 for name in FEATURES},
    "balance_trend": 1.0,
    "inflow_seasonality": 1.0,
    "months_since_last_loan": 999,
    "archive_completeness": 1 / 8,  # birth_date only
}
EXPECTED["C5"] = {**BLANK, "age": 60, "life_stage": 4, "is_farmer": 1}  # 60th birthday today
EXPECTED["C6"] = {**BLANK, "age": 55, "life_stage": 3, "is_business": 1}


@pytest.fixture
def tiny_store(tmp_path: Path) -> Path:
    return write_tiny_store(tmp_path / "stock")


def test_frame_has_customer_no_then_features_then_grouping_columns(tiny_store: Path) -> None:
    frame = feature_frame(AS_OF, stock_dir=tiny_store)

    assert list(frame.columns) == ["customer_no", *FEATURES, *EXTRA_COLUMNS]
    assert list(frame.customer_no) == ["C1", "C2", "C3", "C5", "C6"]  # C4 opens after AS_OF
    assert frame[FEATURES].dtypes.eq("float64").all()
    assert not frame[FEATURES].isna().any().any()
    assert list(frame.village_code.fillna("")) == ["110101001001", "", "110101001002", "", ""]


@pytest.mark.parametrize("customer_no", sorted(EXPECTED))
def test_every_feature_matches_the_hand_computation(tiny_store: Path, customer_no: str) -> None:
    frame = feature_frame(AS_OF, stock_dir=tiny_store).set_index("customer_no")

    actual = frame.loc[customer_no, FEATURES].astype(float)
    expected = pd.Series(EXPECTED[customer_no], dtype=float)[FEATURES]
    pd.testing.assert_series_equal(
        actual, expected, check_names=False, rtol=0, atol=5e-7
    )  # features are rounded to 1e-6


def test_nothing_dated_after_as_of_changes_a_feature(tiny_store: Path, tmp_path: Path) -> None:
    tables = tiny_tables()
    past = tmp_path / "past"
    for name, rows in tables.items():
        write_table(past, name, [_without_future(row) for row in rows if _known(row)])

    with_future = feature_frame(AS_OF, stock_dir=tiny_store)
    without_future = feature_frame(AS_OF, stock_dir=past)

    pd.testing.assert_frame_equal(with_future, without_future)


def test_a_large_transaction_after_as_of_changes_nothing(tiny_store: Path, tmp_path: Path) -> None:
    tables = tiny_tables()
    tables["transactions"].append(txn("t99", "C2", "2026-06-16", 1e6, "in", "subsidy"))
    other = tmp_path / "other"
    for name, rows in tables.items():
        write_table(other, name, rows)

    pd.testing.assert_frame_equal(
        feature_frame(AS_OF, stock_dir=tiny_store), feature_frame(AS_OF, stock_dir=other)
    )
    # ... while on the next day it counts: C2's 90-day inflow becomes exactly 1e6.
    later = feature_frame(AS_OF + timedelta(days=1), stock_dir=other).set_index("customer_no")
    assert later.loc["C2", "txn_in_amount_90d"] == 1e6


def test_labels_follow_the_definitions(tiny_store: Path) -> None:
    labels = label_frame(AS_OF, stock_dir=tiny_store)

    assert list(labels.columns) == ["customer_no", "borrowed", "bad"]
    by_customer = labels.set_index("customer_no")
    # C1: L3 opened 2026-07-01 within 180 days, no default. C2: L6 open on AS_OF, defaults on
    # 2026-12-01 (within 365 days). C3: L4 settled on AS_OF, no loan open or new: bad is NA
    # although L4 "defaults" later. C5: L7 opened on day 180 (2026-12-12). C6: L8 on day 181.
    assert by_customer.borrowed.to_dict() == {"C1": 1, "C2": 0, "C3": 0, "C5": 1, "C6": 0}
    assert by_customer.bad.isna().to_dict() == {
        "C1": False, "C2": False, "C3": True, "C5": False, "C6": True,
    }  # fmt: skip
    assert by_customer.bad.dropna().to_dict() == {"C1": 0, "C2": 1, "C5": 0}


def test_a_shorter_horizon_drops_later_loans(tiny_store: Path) -> None:
    labels = label_frame(AS_OF, horizon_days=16, stock_dir=tiny_store).set_index("customer_no")

    # 2026-06-15 + 16 days = 2026-07-01: L3 still counts, L7 (2026-12-12) does not.
    assert labels.borrowed.to_dict() == {"C1": 1, "C2": 0, "C3": 0, "C5": 0, "C6": 0}
    assert labels.bad.isna().to_dict() == {
        "C1": False, "C2": False, "C3": True, "C5": True, "C6": True,
    }  # fmt: skip


def test_dates_stored_as_iso_strings_and_missing_tables_are_read(tmp_path: Path) -> None:
    folder = tmp_path / "strings"
    rows = [customer("C9", "farmer", "2026-01-01", birth_date=D("1990-02-01"))]
    table = pa.Table.from_pylist([{k: r.get(k) for k in CUSTOMER_COLUMNS} for r in rows])
    table = table.set_column(
        table.schema.get_field_index("opened_on"), "opened_on", pa.array(["2026-01-01"])
    )
    folder.mkdir()
    pq.write_table(table, folder / "customers.parquet")

    frame = feature_frame(AS_OF, stock_dir=folder)

    assert frame.loc[0, "days_since_last_txn"] == 165  # from opened_on, as for C2
    assert frame.loc[0, "age"] == 36  # 1990-02-01 -> 2026-06-15


def test_the_feature_names_are_the_agreed_interface_with_chinese_labels() -> None:
    agreed = [
        "txn_count_90d",
        "txn_in_amount_90d",
        "txn_out_amount_90d",
        "days_since_last_txn",
        "active_months_12m",
        "avg_balance_3m",
        "avg_balance_12m",
        "balance_trend",
        "inflow_seasonality",
        "payroll_months_12m",
        "subsidy_count_12m",
        "remittance_in_12m",
        "pos_count_90d",
        "n_products",
        "has_mobile_banking",
        "has_card",
        "has_payroll",
        "has_insurance",
        "has_credit_line",
        "n_loans",
        "loans_settled",
        "prepaid_loans",
        "loan_balance_proxy",
        "ever_overdue",
        "ever_defaulted",
        "months_since_last_loan",
        "age",
        "life_stage",
        "tenure_years",
        "archive_completeness",
        "is_farmer",
        "is_business",
    ]
    assert agreed == FEATURES
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in FEATURE_LABELS[name]) for name in agreed)


def _known(row: dict[str, Any]) -> bool:
    dated = [row.get(c) for c in ("opened_on", "txn_date")]
    if row.get("month") is not None:
        dated.append(row["month"] + timedelta(days=31) - timedelta(days=row["month"].day))
    return all(day is None or day <= AS_OF for day in dated)


def _without_future(row: dict[str, Any]) -> dict[str, Any]:
    events = ("settled_on", "first_overdue_on", "first_default_on", "closed_on")
    return {k: (None if k in events and v is not None and v > AS_OF else v) for k, v in row.items()}


# --- a generated store (for the Spark comparison and the benchmark) ---------------------------


def generate_store(
    folder: Path, n_customers: int, txns_per_customer: int = 20, seed: int = 0
) -> Path:
    """A throwaway random store (vectorised numpy), not the synthetic bank: shapes, not realism."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2024-01-01")
    nos = np.char.add("S", np.char.zfill(np.arange(n_customers).astype(str), 8))
    kinds = rng.choice(["farmer", "business", "enterprise"], n_customers, p=[0.7, 0.25, 0.05])

    def days(n: int, low: int, high: int) -> np.ndarray:
        return start + rng.integers(low, high, n).astype("timedelta64[D]")

    def sometimes(values: np.ndarray, share: float) -> tuple[np.ndarray, np.ndarray]:
        return values, rng.random(len(values)) >= share

    write_table(folder, "customers", {
        "customer_no": nos, "name": nos, "kind": kinds,
        "id_number": sometimes(nos, 0.9), "phone": sometimes(nos, 0.8),
        "birth_date": (days(n_customers, -30000, -6600), kinds == "enterprise"),
        "org_code": rng.choice(["B01", "B02"], n_customers),
        "village_code": sometimes(rng.integers(10**11, 10**11 + 50, n_customers).astype(str), 0.7),
        "industry_code": sometimes(np.full(n_customers, "A01"), 0.5),
        "household_size": sometimes(rng.integers(1, 8, n_customers), 0.6),
        "opened_on": days(n_customers, -4000, 900),
        "declared_income": sometimes(rng.uniform(1e4, 1e5, n_customers).round(2), 0.5),
        "declared_assets": sometimes(rng.uniform(1e4, 1e6, n_customers).round(2), 0.4),
        "address": sometimes(nos, 0.3),
    })  # fmt: skip
    n_txns = n_customers * txns_per_customer
    write_table(folder, "transactions", {
        "txn_id": np.char.add("T", np.arange(n_txns).astype(str)),
        "customer_no": nos[rng.integers(0, n_customers, n_txns)],
        "txn_date": days(n_txns, 0, 900),
        "amount": rng.lognormal(6, 1.5, n_txns).round(2),
        "direction": rng.choice(["in", "out"], n_txns),
        "counterparty_type": rng.choice(["individual", "merchant"], n_txns),
        "channel": rng.choice(["counter", "mobile", "pos"], n_txns),
        "purpose": rng.choice(["payroll", "subsidy", "pos", "remittance", "cash", "other"], n_txns),
    })  # fmt: skip
    months = np.arange(np.datetime64("2024-01"), np.datetime64("2026-07")).astype("datetime64[D]")
    n_bal = n_customers * len(months) // 2
    write_table(folder, "balances", {
        "customer_no": nos[rng.integers(0, n_customers, n_bal)],
        "month": rng.choice(months, n_bal),
        "avg_balance": rng.lognormal(8, 1.5, n_bal).round(2),
    })  # fmt: skip
    n_loans = n_customers // 2
    opened = days(n_loans, -1500, 900)
    settled = opened + rng.integers(100, 500, n_loans).astype("timedelta64[D]")
    overdue = opened + rng.integers(30, 600, n_loans).astype("timedelta64[D]")
    write_table(folder, "loans", {
        "loan_no": np.char.add("L", np.arange(n_loans).astype(str)),
        "customer_no": nos[rng.integers(0, n_customers, n_loans)],
        "amount": rng.uniform(1e4, 3e5, n_loans).round(2), "opened_on": opened,
        "maturity_on": opened + np.timedelta64(365, "D"), "settled_on": sometimes(settled, 0.6),
        "first_overdue_on": sometimes(overdue, 0.2),
        "first_default_on": sometimes(overdue + np.timedelta64(90, "D"), 0.05),
    })  # fmt: skip
    products = np.array(["deposit", "card", "mobile_banking", "payroll", "agency_insurance",
                         "wealth", "credit_line", "e_payment"])  # fmt: skip
    pairs = np.unique(rng.integers(0, n_customers * len(products), n_customers * 3))
    write_table(folder, "holdings", {
        "customer_no": nos[pairs // len(products)],
        "product": products[pairs % len(products)],
        "opened_on": days(len(pairs), -3000, 900),
        "closed_on": sometimes(days(len(pairs), 0, 1200), 0.2),
    })  # fmt: skip
    return folder
