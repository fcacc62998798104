"""Import of stock data files: schema checks row by row, the error report, idempotent upserts."""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Callable
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from django.core.management import CommandError, call_command

from xindai.audit.models import AuditEvent
from xindai.customers.models import Customer, CustomerKind
from xindai.org.models import OrgUnit, User
from xindai.scoring import schema, store
from xindai.scoring.importer import import_file
from xindai.scoring.models import ImportStatus, StockCustomer

FARMER_ID = "110105198001010016"
FARMER_ID_2 = "330102199002150025"
FIRM_CODE = "91350100M000100Y43"
DataFile = Callable[..., Path]


def customer(number: str, **fields: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "customer_no": number,
        "name": f"客户{number}",
        "kind": "farmer",
        "id_number": "",
        "phone": "13812345678",
        "birth_date": "1980-01-01",
        "gender": "M",
        "org_code": "O11",
        "village_code": "110105001001",
        "village_name": "东村",
        "industry_code": "A011",
        "household_size": "4",
        "opened_on": "2015-03-02",
        "declared_income": "56000.50",
        "declared_assets": "",
        "address": "东村1号",
        "opt_out_personalised": "false",
    }
    row.update(fields)
    return row


def three_customers() -> list[dict[str, Any]]:
    return [
        customer("C001", id_number=FARMER_ID),
        customer("C002", id_number=FARMER_ID_2, org_code="O21", gender="F"),
        customer(
            "C003",
            name="某某农业公司",
            kind="enterprise",
            id_number=FIRM_CODE,
            birth_date="",
            gender="",
            household_size="",
            org_code="B1",
        ),
    ]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def master() -> list[tuple[Any, ...]]:
    return list(
        StockCustomer.objects.order_by("customer_no").values_list(
            "customer_no",
            "name",
            "kind",
            "id_number",
            "birth_date",
            "org_unit__code",
            "archive_id",
            "opted_out_at",
            "updated_at",
        )
    )


@pytest.fixture
def customers_imported(tree: dict[str, OrgUnit], stock_dir: Path, data_file: DataFile) -> None:
    batch = import_file(data_file(three_customers(), "customers.csv"))
    assert batch.status == ImportStatus.DONE


# The schema, without a database --------------------------------------------------------------


def test_validator_types_good_rows_and_keeps_their_file_row_numbers() -> None:
    frame = pd.DataFrame(three_customers()).astype(str)
    frame.loc[1, "kind"] = "小微"  # row 2 refused
    good, errors = schema.validate(schema.TABLES["customers"], frame)
    assert list(good.index) == [1, 3]
    assert errors == [
        {
            "row": 2,
            "column": "kind",
            "value": "小微",
            "message": "取值无效，应为：farmer、business、enterprise",
        }
    ]
    first = good.loc[1]
    assert first["birth_date"] == pd.Timestamp("1980-01-01")
    assert first["household_size"] == 4
    assert first["declared_income"] == 56000.5
    assert pd.isna(first["declared_assets"])
    assert bool(first["opt_out_personalised"]) is False
    assert bool(first["synthetic"]) is False


def test_duplicate_keys_keep_the_first_row_and_name_it() -> None:
    rows = [
        {"customer_no": "C1", "month": "2024-01-01", "avg_balance": "1", "end_balance": "2"},
        {"customer_no": "C1", "month": "2024-02-01", "avg_balance": "1", "end_balance": "2"},
        {"customer_no": "C1", "month": "2024-01-01", "avg_balance": "5", "end_balance": "6"},
    ]
    good, errors = schema.validate(schema.TABLES["balances"], pd.DataFrame(rows))
    assert list(good.index) == [1, 2]
    assert good.loc[1, "avg_balance"] == 1
    assert [(e["row"], e["message"]) for e in errors] == [(3, "文件内键重复（与第 1 行相同）")]


@pytest.mark.parametrize(
    ("table", "fields", "column", "message"),
    [
        (
            "customers",
            {"kind": "enterprise", "id_number": FIRM_CODE},
            "birth_date",
            "企业客户不应填写出生日期",
        ),
        ("customers", {"id_number": "110105198001010017"}, "id_number", "居民身份证号码无效"),
        (
            "customers",
            {"kind": "business", "id_number": FARMER_ID},
            "id_number",
            "统一社会信用代码无效",
        ),
        ("customers", {"birth_date": "1980-02-30"}, "birth_date", "日期无效，应为 YYYY-MM-DD"),
        ("customers", {"declared_income": "-5"}, "declared_income", "金额不能为负数"),
        ("customers", {"household_size": "2.5"}, "household_size", "应为整数"),
        ("customers", {"village_code": "11010500100"}, "village_code", "格式不正确"),
        (
            "customers",
            {"opt_out_personalised": "也许"},
            "opt_out_personalised",
            "应为 true/false（是/否）",
        ),
        ("customers", {"name": " "}, "name", "必填项为空"),
        ("balances", {"month": "2024-03-15"}, "month", "月份应为当月1日"),
        ("transactions", {"amount": "0"}, "amount", "金额应大于0"),
        (
            "transactions",
            {"channel": "wechat"},
            "channel",
            "取值无效，应为：counter、atm、mobile、pos、online、agent",
        ),
        ("loans", {"maturity_on": "2019-12-31"}, "maturity_on", "到期日早于发放日"),
        ("holdings", {"closed_on": "2020-01-01"}, "closed_on", "关闭日期早于开通日期"),
    ],
)
def test_each_rule_refuses_the_row_with_a_chinese_message(
    table: str, fields: dict[str, str], column: str, message: str
) -> None:
    row = {**GOOD[table], **fields}
    good, errors = schema.validate(schema.TABLES[table], pd.DataFrame([row]))
    assert len(good) == 0
    assert [(e["row"], e["column"], e["message"]) for e in errors] == [(1, column, message)]


def test_personal_data_is_masked_in_errors() -> None:
    row = {**GOOD["customers"], "id_number": "110105198001010017", "phone": "1" * 25}
    _, errors = schema.validate(schema.TABLES["customers"], pd.DataFrame([row]))
    assert {e["column"]: e["value"] for e in errors} == {
        "id_number": "110105********0017",
        "phone": "111" + "*" * 18 + "1111",
    }


# Files into the store and the customer master ------------------------------------------------

GOOD: dict[str, dict[str, Any]] = {
    "customers": customer("C001", id_number=FARMER_ID),
    "balances": {
        "customer_no": "C001",
        "month": "2024-03-01",
        "avg_balance": "1200.50",
        "end_balance": "980",
    },
    "transactions": {
        "txn_id": "T1",
        "customer_no": "C001",
        "txn_date": "2024-03-05",
        "amount": "300.25",
        "direction": "in",
        "counterparty_type": "government",
        "channel": "counter",
        "purpose": "subsidy",
    },
    "loans": {
        "loan_no": "L1",
        "customer_no": "C002",
        "product": "农户小额信用贷款",
        "amount": "50000",
        "opened_on": "2020-01-10",
        "maturity_on": "2021-01-10",
        "settled_on": "2020-12-20",
        "first_overdue_on": "",
        "first_default_on": "",
        "written_off": "false",
    },
    "holdings": {
        "customer_no": "C003",
        "product": "mobile_banking",
        "opened_on": "2021-06-01",
        "closed_on": "",
    },
}


def typed(table: str, rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Rows as a Parquet writer of the core system would type them."""
    frame = pd.DataFrame(rows)
    for column in schema.TABLES[table].columns:
        if column.name not in frame:
            continue
        text = frame[column.name].replace("", None)
        if column.type == schema.DATE:
            frame[column.name] = pd.to_datetime(text).dt.date
        elif column.type == schema.AMOUNT:
            frame[column.name] = text.astype(float)
        elif column.type == schema.INT:
            frame[column.name] = text.astype(float).astype("Int64")
        elif column.type == schema.BOOL:
            frame[column.name] = text.map({"true": True, "false": False}).astype("boolean")
    return frame


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_customers_file_fills_the_store_and_the_master(
    tree: dict[str, OrgUnit], stock_dir: Path, data_file: DataFile, suffix: str
) -> None:
    rows = three_customers()
    frame = pd.DataFrame(rows) if suffix == ".csv" else typed("customers", rows)
    batch = import_file(data_file(frame, f"customers{suffix}"))

    assert batch.status == ImportStatus.DONE
    assert batch.file_format == suffix[1:]
    assert (batch.rows_read, batch.rows_accepted, batch.rows_rejected) == (3, 3, 0)
    assert (batch.rows_new, batch.rows_updated) == (3, 0)
    assert batch.errors == [] and batch.report_path == ""
    stored = store.read_table("customers").set_index("customer_no")
    assert list(stored.index) == ["C001", "C002", "C003"] or sorted(stored.index) == [
        "C001",
        "C002",
        "C003",
    ]
    assert stored.loc["C002", "birth_date"] == pd.Timestamp("1980-01-01")
    assert pd.isna(stored.loc["C003", "birth_date"])
    assert stored.loc["C001", "declared_income"] == 56000.5
    assert stored.loc["C001", "household_size"] == 4
    assert stored.loc["C003", "kind"] == "enterprise"
    assert [(c[0], c[2], c[3], c[4], c[5]) for c in master()] == [
        ("C001", "farmer", FARMER_ID, date(1980, 1, 1), "O11"),
        ("C002", "farmer", FARMER_ID_2, date(1980, 1, 1), "O21"),
        ("C003", "enterprise", FIRM_CODE, None, "B1"),
    ]
    event = AuditEvent.objects.get(action="scoring.imported")
    assert event.object_id == str(batch.pk)
    assert event.changes["rows_new"] == 3


@pytest.mark.parametrize("table", ["balances", "transactions", "loans", "holdings"])
@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_other_tables_round_trip_through_the_store(
    customers_imported: None, data_file: DataFile, table: str, suffix: str
) -> None:
    rows = [GOOD[table]]
    frame = pd.DataFrame(rows) if suffix == ".csv" else typed(table, rows)
    batch = import_file(data_file(frame, f"{table}_2024{suffix}"))

    assert batch.table == table and batch.status == ImportStatus.DONE
    assert (batch.rows_accepted, batch.rows_new) == (1, 1)
    stored = store.read_table(table)
    assert list(stored.columns) == schema.TABLES[table].names
    expected = typed(table, rows).iloc[0]
    got = stored.iloc[0]
    for column in schema.TABLES[table].columns:
        want = expected[column.name]
        if pd.isna(want):
            assert pd.isna(got[column.name]), column.name
        elif column.type == schema.DATE:
            assert got[column.name].date() == want, column.name
        else:
            assert got[column.name] == want, column.name


def test_bad_rows_are_reported_and_only_good_rows_written(
    tree: dict[str, OrgUnit], stock_dir: Path, data_file: DataFile
) -> None:
    rows = [
        *three_customers(),
        customer("C004", kind="个人"),  # row 4
        customer("C005", org_code="X99"),  # row 5: no such unit
        customer("C006", opened_on="2015/3/2", id_number="110105198001010017"),  # row 6: two
        customer("C001", name="重复"),  # row 7: duplicate of row 1
    ]
    batch = import_file(data_file(rows, "customers.csv"))

    assert batch.status == ImportStatus.DONE
    assert (batch.rows_read, batch.rows_accepted, batch.rows_rejected) == (7, 3, 4)
    assert [(e["row"], e["column"], e["message"]) for e in batch.errors] == [
        (4, "kind", "取值无效，应为：farmer、business、enterprise"),
        (5, "org_code", "机构代码不存在"),
        (6, "id_number", "居民身份证号码无效"),
        (6, "opened_on", "日期无效，应为 YYYY-MM-DD"),
        (7, "customer_no", "文件内键重复（与第 1 行相同）"),
    ]
    assert sorted(store.read_table("customers")["customer_no"]) == ["C001", "C002", "C003"]
    assert [c[0] for c in master()] == ["C001", "C002", "C003"]
    assert StockCustomer.objects.get(customer_no="C001").name == "客户C001"

    report = stock_dir / batch.report_path
    assert batch.report_path == f"reports/{batch.pk}.csv"
    raw = report.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the Chinese
    lines = list(csv.reader(StringIO(raw.decode("utf-8-sig"))))
    assert lines[0] == ["行号", "列名", "值", "错误说明"]
    assert lines[1] == ["4", "kind", "个人", "取值无效，应为：farmer、business、enterprise"]
    assert lines[3] == ["6", "id_number", "110105********0017", "居民身份证号码无效"]
    assert len(lines) == 6


def test_a_missing_column_fails_the_whole_file_and_writes_nothing(
    tree: dict[str, OrgUnit], stock_dir: Path, data_file: DataFile
) -> None:
    frame = pd.DataFrame(three_customers()).drop(columns=["org_code", "opened_on"])
    batch = import_file(data_file(frame, "customers.csv"))

    assert batch.status == ImportStatus.FAILED
    assert batch.message == "缺少必需的列：org_code、opened_on"
    assert batch.rows_accepted == 0
    assert not store.path_of("customers").exists()
    assert not StockCustomer.objects.exists()


def test_a_file_that_is_not_utf8_fails_whole(
    tree: dict[str, OrgUnit], stock_dir: Path, tmp_path: Path
) -> None:
    path = tmp_path / "customers.csv"
    pd.DataFrame(three_customers()).to_csv(path, index=False, encoding="gbk")
    batch = import_file(path)

    assert batch.status == ImportStatus.FAILED
    assert "UTF-8" in batch.message
    assert not store.path_of("customers").exists()
    assert not StockCustomer.objects.exists()


def test_importing_the_same_file_again_changes_nothing(
    tree: dict[str, OrgUnit], stock_dir: Path, data_file: DataFile
) -> None:
    path = data_file(three_customers(), "customers.csv")
    first = import_file(path)
    store_hash, before = sha(store.path_of("customers")), master()

    again = import_file(path)

    assert again.status == ImportStatus.DONE
    assert (again.rows_accepted, again.rows_new, again.rows_updated) == (3, 0, 0)
    assert again.sha256 == first.sha256
    assert f"第 {first.pk} 批" in again.message
    assert sha(store.path_of("customers")) == store_hash
    assert master() == before  # not even updated_at moved


def test_a_changed_row_counts_as_updated(
    tree: dict[str, OrgUnit], stock_dir: Path, data_file: DataFile
) -> None:
    import_file(data_file(three_customers(), "customers.csv"))
    rows = three_customers()
    rows[1]["name"] = "改名"
    rows.append(customer("C009"))
    batch = import_file(data_file(rows, "customers.csv"))

    assert (batch.rows_new, batch.rows_updated) == (1, 1)
    stored = store.read_table("customers").set_index("customer_no")
    assert len(stored) == 4 and stored.loc["C002", "name"] == "改名"
    assert StockCustomer.objects.get(customer_no="C002").name == "改名"


def test_transactions_upsert_by_txn_id(customers_imported: None, data_file: DataFile) -> None:
    rows = [{**GOOD["transactions"], "txn_id": f"T{i}", "amount": str(i)} for i in (1, 2)]
    import_file(data_file(rows, "transactions.parquet"))
    rows[1]["amount"] = "20"
    rows.append({**GOOD["transactions"], "txn_id": "T3"})
    batch = import_file(data_file(typed("transactions", rows), "transactions.parquet"))

    assert (batch.rows_new, batch.rows_updated) == (1, 1)
    stored = store.read_table("transactions").set_index("txn_id")["amount"].sort_index()
    assert stored.to_dict() == {"T1": 1.0, "T2": 20.0, "T3": 300.25}


def test_rows_of_unknown_customers_are_refused(
    customers_imported: None, data_file: DataFile
) -> None:
    rows = [
        GOOD["transactions"],
        {**GOOD["transactions"], "txn_id": "T2", "customer_no": "C404"},
    ]
    batch = import_file(data_file(rows, "transactions.csv"))

    assert (batch.rows_accepted, batch.rows_rejected) == (1, 1)
    assert batch.errors == [
        {
            "row": 2,
            "column": "customer_no",
            "value": "C404",
            "message": "客户号不存在（请先导入客户表）",
        }
    ]
    assert list(store.read_table("transactions")["txn_id"]) == ["T1"]


def test_opt_out_is_kept_from_when_it_was_first_given(
    tree: dict[str, OrgUnit], stock_dir: Path, data_file: DataFile
) -> None:
    rows = three_customers()
    rows[0]["opt_out_personalised"] = "是"
    import_file(data_file(rows, "customers.csv"))
    first = StockCustomer.objects.get(customer_no="C001").opted_out_at
    assert first is not None
    assert StockCustomer.objects.get(customer_no="C002").opted_out_at is None

    rows[0]["opt_out_personalised"] = "false"  # the file forgets it: the opt-out stays
    rows[1]["opt_out_personalised"] = "true"
    import_file(data_file(rows, "customers.csv"))
    assert StockCustomer.objects.get(customer_no="C001").opted_out_at == first
    second = StockCustomer.objects.get(customer_no="C002").opted_out_at
    assert second is not None and second >= first

    rows[0]["opt_out_personalised"] = "true"  # said again: still the first moment
    import_file(data_file(rows, "customers.csv"))
    assert StockCustomer.objects.get(customer_no="C001").opted_out_at == first


def test_a_customer_is_linked_to_the_archive_with_his_id_number(
    tree: dict[str, OrgUnit], manager: User, stock_dir: Path, data_file: DataFile
) -> None:
    archive = Customer.objects.create(
        kind=CustomerKind.FARMER,
        name="王五",
        id_number=FARMER_ID_2,
        manager=manager,
        org_unit=tree["O11"],
    )
    import_file(data_file(three_customers(), "customers.csv"))

    linked = dict(StockCustomer.objects.values_list("customer_no", "archive_id"))
    assert linked == {"C001": None, "C002": archive.pk, "C003": None}


def test_synthetic_flag_marks_every_customer(
    tree: dict[str, OrgUnit], stock_dir: Path, data_file: DataFile
) -> None:
    import_file(data_file(three_customers(), "customers.parquet"), synthetic=True)

    assert set(StockCustomer.objects.values_list("synthetic", flat=True)) == {True}
    assert store.read_table("customers")["synthetic"].all()


def test_the_command_prints_a_json_line_per_file(
    tree: dict[str, OrgUnit], stock_dir: Path, data_file: DataFile
) -> None:
    customers = data_file(three_customers(), "customers.csv")
    txns = data_file([GOOD["transactions"]], "transactions_03.csv")
    out = StringIO()
    # Transactions named first: the command takes the customers first all the same.
    call_command("stock-import", str(txns), str(customers), stdout=out)

    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [(x["table"], x["rows_read"], x["accepted"], x["new"]) for x in lines] == [
        ("customers", 3, 3, 3),
        ("transactions", 1, 1, 1),
    ]
    assert lines[0]["rejected"] == 0 and lines[0]["report"] == ""


def test_the_command_fails_when_a_file_fails_whole(
    tree: dict[str, OrgUnit], stock_dir: Path, data_file: DataFile
) -> None:
    good = data_file(three_customers(), "customers.csv")
    broken = data_file([{"customer_no": "C1"}], "loans.csv")
    out = StringIO()
    with pytest.raises(CommandError, match="1 个文件导入失败"):
        call_command("stock-import", str(good), str(broken), stdout=out)

    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [(x["table"], x["status"]) for x in lines] == [
        ("customers", "done"),
        ("loans", "failed"),
    ]
    assert lines[1]["message"].startswith("缺少必需的列：loan_no、product")


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_a_big_file_is_checked_in_parts_with_the_same_result(
    customers_imported: None,
    data_file: DataFile,
    monkeypatch: pytest.MonkeyPatch,
    suffix: str,
) -> None:
    from xindai.scoring import importer

    monkeypatch.setattr(importer, "PART_ROWS", 2)
    monkeypatch.setattr(importer, "PART_BYTES", 300)  # two or three rows of this CSV
    rows = [{**GOOD["transactions"], "txn_id": f"T{i}"} for i in range(1, 8)]
    rows[5]["txn_id"] = "T2"  # row 6 repeats row 2, in another part
    rows[6]["amount"] = "-1"  # row 7
    batch = import_file(data_file(rows, f"transactions{suffix}"))

    assert (batch.rows_read, batch.rows_accepted, batch.rows_rejected) == (7, 5, 2)
    assert [(e["row"], e["column"], e["message"]) for e in batch.errors] == [
        (6, "txn_id", "文件内键重复（与第 2 行相同）"),
        (7, "amount", "金额应大于0"),
    ]
    assert sorted(store.read_table("transactions")["txn_id"]) == ["T1", "T2", "T3", "T4", "T5"]


def test_vectorised_resident_id_check_agrees_with_stdnum() -> None:
    from stdnum.cn import ric

    rng = np.random.default_rng(3)
    weights = [2 ** (17 - i) % 11 for i in range(17)]
    regions = ["110105", "330102", "370999", "440305", "999999", "510104"]
    values = []
    for _ in range(3000):
        year, month, day = rng.integers(1890, 2030), rng.integers(0, 14), rng.integers(0, 33)
        body = f"{rng.choice(regions)}{year:04d}{month:02d}{day:02d}{rng.integers(0, 1000):03d}"
        check = (1 - sum(int(c) * w for c, w in zip(body, weights, strict=True))) % 11
        last = "X" if check == 10 else str(check)
        spoil = rng.integers(0, 8)
        if spoil == 0:
            last = str(rng.integers(0, 10))  # a wrong check digit, now and then
        elif spoil == 1:
            body = body[:9]
        elif spoil == 2:
            body = body[:6] + "1600" + body[10:]  # a year pandas cannot hold
        values.append(body + last)
    series = pd.Series([*values, None], dtype=schema.TEXT)

    got = schema.invalid_resident_ids(series).tolist()

    def refused(value: str) -> bool:
        try:
            return not ric.is_valid(value)
        except KeyError:  # stdnum trips over some region codes (370999 in early years)
            return True

    expected = [refused(value) for value in values] + [False]
    assert got == expected
    assert 500 < sum(expected) < 2500  # both kinds are well represented
