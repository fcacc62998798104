"""The synthetic bank: deterministic, in the import schema, with history up to as_of and
outcomes after it, seasonal farm income and rates in the documented ranges.

Expected values are recomputed here with pandas from the tables (or checked with python-stdnum
and scikit-learn), never read back from the generator's internals."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq
import pytest
from django.core.management import call_command
from sklearn.metrics import roc_auc_score
from stdnum.cn import ric, uscc

from xindai.org.models import OrgUnit, UnitKind
from xindai.scoring import schema, synth
from xindai.scoring.models import ImportBatch, ImportStatus, StockCustomer

AS_OF = dt.date(2026, 10, 31)
HOUSEHOLDS = 4000
ORGS = ["SYA", "SYB", "SYC"]


@pytest.fixture(scope="module")
def bank() -> dict[str, pd.DataFrame]:
    return synth.generate(HOUSEHOLDS, 11, as_of=AS_OF, org_codes=ORGS)


def day(frame: pd.DataFrame, column: str) -> pd.Series:
    """A date column as pandas timestamps (NaT where empty)."""
    return pd.to_datetime(frame[column].astype("datetime64[ns]"))


def timestamp(value: dt.date, days: int = 0) -> pd.Timestamp:
    return pd.Timestamp(value) + pd.Timedelta(days=days)


def test_same_seed_gives_identical_tables_and_another_seed_does_not(bank: Any) -> None:
    again = synth.generate(HOUSEHOLDS, 11, as_of=AS_OF, org_codes=ORGS)
    for name in synth.TABLES:
        pd.testing.assert_frame_equal(bank[name], again[name])
    other = synth.generate(HOUSEHOLDS, 12, as_of=AS_OF, org_codes=ORGS)
    assert (
        not other["transactions"]["amount"]
        .head(1000)
        .equals(bank["transactions"]["amount"].head(1000))
    )
    assert not other["customers"]["name"].equals(bank["customers"]["name"])


def test_tables_have_exactly_the_import_schema_columns_and_pass_its_checks(
    bank: Any, tmp_path: Path
) -> None:
    paths = synth.write(bank, tmp_path, "parquet")
    for name in synth.TABLES:
        spec = schema.TABLES[name]
        assert list(bank[name].columns) == spec.names, name
        frame = pq.read_table(paths[name]).to_pandas(date_as_object=False)
        good, errors = schema.validate_frame(spec, frame)
        assert len(errors) == 0, (name, errors.head().to_dict("records"))
        assert len(good) == len(frame)


def test_column_types(bank: Any) -> None:
    for name in synth.TABLES:
        for column in schema.TABLES[name].columns:
            series = bank[name][column.name]
            where = f"{name}.{column.name}"
            if column.type == schema.DATE:
                assert str(series.dtype) == "date32[day][pyarrow]", where
            elif column.type == schema.AMOUNT:
                assert series.dtype == "float64", where
                values = series.dropna()
                assert (values.round(2) == values).all(), where
            elif column.type == schema.BOOL:
                assert series.dtype == bool, where
            elif column.type == schema.INT:
                assert str(series.dtype) == "Int64", where
            else:
                assert pd.api.types.is_string_dtype(series.astype(str)), where
                assert set(series.dropna().map(type)) == {str}, where


def test_keys_are_unique(bank: Any) -> None:
    for name in synth.TABLES:
        key = list(schema.TABLES[name].key)
        assert not bank[name].duplicated(key).any(), name


def test_every_customer_is_synthetic_with_about_2_percent_opted_out(bank: Any) -> None:
    customers = bank["customers"]
    assert customers["synthetic"].all()
    assert 0.01 < customers["opt_out_personalised"].mean() < 0.03


def test_customer_mix_and_villages(bank: Any) -> None:
    customers = bank["customers"]
    counts = customers["kind"].value_counts()
    assert counts["farmer"] == HOUSEHOLDS
    assert counts["business"] == round(HOUSEHOLDS * 0.09)
    assert counts["enterprise"] == round(HOUSEHOLDS * 0.015)
    assert customers.loc[customers["kind"] == "enterprise", "birth_date"].isna().all()
    codes = customers["village_code"].dropna()
    assert codes.str.fullmatch(r"370999\d{6}").all()
    assert set(customers["org_code"]) <= set(ORGS)
    orgs_per_village = customers.dropna(subset=["village_code"]).groupby("village_code")
    assert (orgs_per_village["org_code"].nunique() == 1).all()


def test_id_numbers_pass_the_national_checks(bank: Any) -> None:
    customers = bank["customers"].dropna(subset=["id_number"])
    farmers = customers[customers["kind"] == "farmer"]["id_number"]
    firms = customers[customers["kind"] != "farmer"]["id_number"]
    assert all(map(ric.is_valid, farmers))
    assert all(map(uscc.is_valid, firms))
    assert farmers.str.startswith("370000").all()  # province level, never a real person's


def test_archive_completeness_varies(bank: Any) -> None:
    fields = ["id_number", "phone", "village_code", "declared_income", "address"]
    filled = bank["customers"][fields].notna().mean(axis=1)
    assert 0.4 < (filled == 1).mean() < 0.9
    assert (filled < 0.8).sum() > 100


def test_no_transaction_balance_or_holding_is_dated_after_as_of(bank: Any) -> None:
    limit = timestamp(AS_OF)
    assert day(bank["transactions"], "txn_date").max() <= limit
    assert day(bank["balances"], "month").max() == pd.Timestamp("2026-10-01")
    assert (day(bank["balances"], "month").dt.day == 1).all()
    holdings = bank["holdings"]
    assert day(holdings, "opened_on").max() <= limit
    assert day(holdings, "closed_on").max() <= limit
    assert (bank["transactions"]["amount"] > 0).all()


def test_loans_run_to_a_year_after_as_of_and_are_consistent(bank: Any) -> None:
    loans = bank["loans"]
    opened, maturity = day(loans, "opened_on"), day(loans, "maturity_on")
    settled, default = day(loans, "settled_on"), day(loans, "first_default_on")
    overdue = day(loans, "first_overdue_on")
    horizon = timestamp(AS_OF, 365)
    assert (opened > timestamp(AS_OF)).sum() > 0.1 * len(bank["customers"])
    for column in (opened, settled, default, overdue):
        assert column.max() <= horizon
    assert ((maturity - opened).dt.days.isin([365, 730, 1095])).all()
    assert (settled.dropna() >= opened[settled.notna()]).all()
    assert (default.notna() <= overdue.notna()).all()
    assert ((default - overdue).dropna().dt.days >= 90).all()  # 90+ days past due
    assert settled[default.notna()].isna().all()  # a defaulted loan is never settled
    assert loans.loc[loans["written_off"], "first_default_on"].notna().all()
    assert loans["written_off"].sum() > 0
    assert (settled < maturity - pd.Timedelta(days=30)).sum() > 0.1 * len(loans)  # prepaid


def _labels(bank: Any) -> tuple[pd.Series, pd.Series]:
    """borrowed (every customer) and bad (borrowers), as the features helper defines them."""
    loans, customers = bank["loans"], bank["customers"]
    opened, settled = day(loans, "opened_on"), day(loans, "settled_on")
    default = day(loans, "first_default_on")
    start, end = timestamp(AS_OF), timestamp(AS_OF, 180)
    new = loans.loc[(opened > start) & (opened <= end), "customer_no"]
    open_on = loans.loc[(opened <= start) & (settled.isna() | (settled > start)), "customer_no"]
    defaulted = loans.loc[(default > start) & (default <= timestamp(AS_OF, 365)), "customer_no"]
    borrowed = customers["customer_no"].isin(set(new))
    population = customers["customer_no"].isin(set(new) | set(open_on))
    bad = customers["customer_no"].isin(set(defaulted))[population]
    return borrowed, bad


def test_borrowing_and_default_rates_are_in_the_target_ranges(bank: Any) -> None:
    borrowed, bad = _labels(bank)
    assert 0.15 < borrowed.mean() < 0.25
    assert 0.03 < bad.mean() < 0.08


def test_outcomes_follow_observable_history(bank: Any) -> None:
    customers = bank["customers"]
    borrowed, bad = _labels(bank)
    optional = ["id_number", "phone", "village_code", "declared_income", "address"]
    filled = customers[optional].notna().mean(axis=1)
    assert roc_auc_score(bad, -filled[bad.index]) > 0.6
    balances = bank["balances"].assign(month=day(bank["balances"], "month"))
    recent = balances[balances["month"] >= pd.Timestamp("2026-08-01")]
    year = balances[balances["month"] >= pd.Timestamp("2025-11-01")]
    trend = recent.groupby("customer_no")["avg_balance"].mean() / (
        year.groupby("customer_no")["avg_balance"].mean() + 1
    )
    trend = trend.reindex(customers["customer_no"]).fillna(1).to_numpy()
    assert roc_auc_score(borrowed, trend) > 0.53


def test_grain_farmers_are_paid_in_the_harvest_months(bank: Any) -> None:
    customers = bank["customers"]
    grain = customers.loc[customers["industry_code"] == "A011", "customer_no"]
    txns = bank["transactions"]
    sales = txns[
        txns["customer_no"].isin(grain)
        & (txns["direction"] == "in")
        & (txns["purpose"] == "transfer")
    ]
    by_month = sales.groupby(day(sales, "txn_date").dt.month)["amount"].sum()
    harvest_share = by_month[[6, 7, 10, 11]].sum() / by_month.sum()
    assert harvest_share > 0.75  # 4 of 12 months would hold 1/3 without seasons


def test_subsidies_come_from_government_in_spring_and_autumn(bank: Any) -> None:
    txns = bank["transactions"]
    subsidies = txns[txns["purpose"] == "subsidy"]
    assert len(subsidies) > HOUSEHOLDS
    assert set(day(subsidies, "txn_date").dt.month) == {4, 11}
    assert set(subsidies["counterparty_type"]) == {"government"}
    assert set(subsidies["direction"]) == {"in"}


def test_payroll_paid_by_an_enterprise_reaches_a_household_with_a_payroll_holding(
    bank: Any,
) -> None:
    txns, customers, holdings = bank["transactions"], bank["customers"], bank["holdings"]
    payroll = txns[txns["purpose"] == "payroll"]
    kind = customers.set_index("customer_no")["kind"]
    received = payroll[payroll["direction"] == "in"]
    paid = payroll[payroll["direction"] == "out"]
    assert set(kind[received["customer_no"]]) == {"farmer"}
    assert set(kind[paid["customer_no"]]) == {"enterprise"}
    assert sorted(received["amount"]) == sorted(paid["amount"])
    assert received["amount"].sum() == pytest.approx(paid["amount"].sum())
    with_holding = set(holdings.loc[holdings["product"] == "payroll", "customer_no"])
    assert set(received["customer_no"]) <= with_holding


def test_monthly_volumes_scale_to_the_benchmark(bank: Any) -> None:
    per_customer = len(bank["transactions"]) / len(bank["customers"])
    assert 17 < per_customer < 24  # 900,000 households -> ~1.0 M customers, ~20 M transactions
    assert len(bank["customers"]) == pytest.approx(HOUSEHOLDS * 1.105, abs=1)


# --- the command -----------------------------------------------------------------------------


def _run(capsys: Any, *args: str) -> dict[str, Any]:
    call_command("synth", *args)
    return json.loads(capsys.readouterr().out)


@pytest.mark.django_db
def test_command_writes_parquet_and_csv(tmp_path: Path, settings: Any, capsys: Any) -> None:
    settings.STOCK_DIR = tmp_path / "data" / "stock"
    summary = _run(capsys, "--households", "300", "--seed", "5")
    folder = tmp_path / "data" / "synth"
    assert summary["out"] == str(folder)
    expected = synth.generate(300, 5, org_codes=[f"SYN{i:02d}" for i in range(1, 9)])
    for name in synth.TABLES:
        table = pq.read_table(folder / f"{name}.parquet")
        assert table.num_rows == summary["rows"][name] == len(expected[name])
        assert table.column_names == schema.TABLES[name].names
    assert set(pq.read_table(folder / "customers.parquet")["org_code"].to_pylist()) <= {
        f"SYN{i:02d}" for i in range(1, 9)
    }
    csv_summary = _run(
        capsys, "--households", "300", "--seed", "5", "--format", "csv", "--out", str(tmp_path)
    )
    loans = pd.read_csv(tmp_path / "loans.csv", dtype=str)
    assert len(loans) == csv_summary["rows"]["loans"]
    assert loans["opened_on"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    txns = pd.read_csv(tmp_path / "transactions.csv", dtype=str)
    assert set(txns["direction"]) == {"in", "out"}
    assert txns["txn_id"].tolist() == expected["transactions"]["txn_id"].tolist()


@pytest.mark.django_db
def test_command_assigns_the_banks_outlets_and_imports(
    tmp_path: Path, settings: Any, capsys: Any
) -> None:
    settings.STOCK_DIR = tmp_path / "stock"
    union = OrgUnit.objects.create(code="TU", name="模拟联社", kind=UnitKind.UNION)
    branch = OrgUnit.objects.create(code="TB", name="模拟支行", kind=UnitKind.BRANCH, parent=union)
    for code in ("TO1", "TO2"):
        OrgUnit.objects.create(code=code, name=code, kind=UnitKind.OUTLET, parent=branch)
    OrgUnit.objects.create(
        code="TO3", name="停用", kind=UnitKind.OUTLET, parent=branch, is_active=False
    )
    summary = _run(
        capsys, "--households", "150", "--seed", "2", "--import", "--as-of", "2026-06-30"
    )
    assert {item["status"] for item in summary["imports"].values()} == {ImportStatus.DONE}
    assert {item["rejected"] for item in summary["imports"].values()} == {0}
    assert ImportBatch.objects.count() == 5
    customers = StockCustomer.objects.all()
    assert customers.count() == summary["rows"]["customers"]
    assert set(customers.values_list("org_unit__code", flat=True)) <= {"TO1", "TO2"}
    txns = pq.read_table(tmp_path / "synth" / "transactions.parquet").to_pandas()
    assert txns["txn_date"].max() <= dt.date(2026, 6, 30)
