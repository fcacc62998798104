"""The five stock-data tables the core system hands over, and the check of a file against them.

Pure (pandas, no Django). :func:`validate` takes a table as read — text from CSV, typed columns
from Parquet — and gives back the good rows typed for the store plus one error per bad cell:
``{"row": n, "column": c, "value": v, "message": "..."}`` where ``n`` is the data row of the
file (1 = the first row after the header) and ``None`` for an error of the whole file (a
required column missing). Every check is column-wise (vectorised), since the files of a bank
run to millions of rows.

Types in the store (see :func:`arrow_schema`): text and enum → string, date → date32,
amount → float64 yuan rounded to the fen (analytics, never booked), int → int64, bool → bool.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
from stdnum.cn import ric, uscc

from xindai.core.masking import mask_id_number, mask_phone


def gettext_noop(message: str) -> str:
    """Marks a message for extraction (``makemessages``); it is stored in Chinese and
    translated where it is shown."""
    return message


STR, DATE, AMOUNT, INT, BOOL, ENUM = "str", "date", "amount", "int", "bool", "enum"

# Text columns as pandas strings backed by Arrow: compact and fast on millions of rows.
TEXT = pd.StringDtype("pyarrow")

TRUE_WORDS = frozenset({"true", "t", "1", "yes", "y", "是", "1.0"})
FALSE_WORDS = frozenset({"false", "f", "0", "no", "n", "否", "0.0"})


@dataclass(frozen=True)
class Column:
    name: str
    type: str = STR
    required: bool = True
    values: tuple[str, ...] = ()  # allowed values of an enum
    max_length: int | None = None
    pattern: str | None = None  # regular expression a text value must match in full
    positive: bool = False  # amount > 0, int >= 1
    default: Any = None  # taken when an optional value is empty


@dataclass(frozen=True)
class TableSpec:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]

    @property
    def names(self) -> list[str]:
        return [column.name for column in self.columns]

    @property
    def required(self) -> list[str]:
        return [column.name for column in self.columns if column.required]

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)


KINDS = ("farmer", "business", "enterprise")
PRODUCTS = (
    "deposit",
    "card",
    "mobile_banking",
    "payroll",
    "agency_insurance",
    "wealth",
    "credit_line",
    "loan",
    "social_security_card",
    "e_payment",
)
CUSTOMER_NO = Column("customer_no", max_length=32)

TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        TableSpec(
            "customers",
            (
                CUSTOMER_NO,
                Column("name", max_length=100),
                Column("kind", ENUM, values=KINDS),
                Column("id_number", required=False, max_length=18),
                Column("phone", required=False, max_length=20),
                Column("birth_date", DATE, required=False),
                Column("gender", ENUM, required=False, values=("M", "F")),
                Column("org_code", max_length=20),
                Column("village_code", required=False, pattern=r"\d{12}"),
                Column("village_name", required=False, max_length=60),
                Column("industry_code", required=False, pattern=r"[A-Za-z0-9]{1,4}"),
                Column("household_size", INT, required=False, positive=True),
                Column("opened_on", DATE),
                Column("declared_income", AMOUNT, required=False),
                Column("declared_assets", AMOUNT, required=False),
                Column("address", required=False, max_length=200),
                Column("opt_out_personalised", BOOL, required=False, default=False),
                Column("synthetic", BOOL, required=False, default=False),
            ),
            ("customer_no",),
        ),
        TableSpec(
            "balances",
            (
                CUSTOMER_NO,
                Column("month", DATE),
                Column("avg_balance", AMOUNT),
                Column("end_balance", AMOUNT),
            ),
            ("customer_no", "month"),
        ),
        TableSpec(
            "transactions",
            (
                Column("txn_id", max_length=64),
                CUSTOMER_NO,
                Column("txn_date", DATE),
                Column("amount", AMOUNT, positive=True),
                Column("direction", ENUM, values=("in", "out")),
                Column(
                    "counterparty_type",
                    ENUM,
                    values=("individual", "enterprise", "government", "merchant", "bank"),
                ),
                Column(
                    "channel", ENUM, values=("counter", "atm", "mobile", "pos", "online", "agent")
                ),
                Column(
                    "purpose",
                    ENUM,
                    values=(
                        "payroll",
                        "subsidy",
                        "pos",
                        "remittance",
                        "transfer",
                        "loan",
                        "repayment",
                        "cash",
                        "other",
                    ),
                ),
            ),
            ("txn_id",),
        ),
        TableSpec(
            "loans",
            (
                Column("loan_no", max_length=64),
                CUSTOMER_NO,
                Column("product", max_length=60),
                Column("amount", AMOUNT, positive=True),
                Column("opened_on", DATE),
                Column("maturity_on", DATE),
                Column("settled_on", DATE, required=False),
                Column("first_overdue_on", DATE, required=False),
                Column("first_default_on", DATE, required=False),
                Column("written_off", BOOL),
            ),
            ("loan_no",),
        ),
        TableSpec(
            "holdings",
            (
                CUSTOMER_NO,
                Column("product", ENUM, values=PRODUCTS),
                Column("opened_on", DATE),
                Column("closed_on", DATE, required=False),
            ),
            ("customer_no", "product"),
        ),
    )
}

MISSING_COLUMN = gettext_noop("缺少必需的列")
REQUIRED = gettext_noop("必填项为空")
TOO_LONG = gettext_noop("超过 {n} 个字符")
BAD_FORMAT = gettext_noop("格式不正确")
BAD_ENUM = gettext_noop("取值无效，应为：{values}")
BAD_DATE = gettext_noop("日期无效，应为 YYYY-MM-DD")
BAD_AMOUNT = gettext_noop("金额应为数字")
NEGATIVE = gettext_noop("金额不能为负数")
NOT_POSITIVE = gettext_noop("金额应大于0")
BAD_INT = gettext_noop("应为整数")
NOT_POSITIVE_INT = gettext_noop("应为正整数")
BAD_BOOL = gettext_noop("应为 true/false（是/否）")
DUPLICATE_KEY = gettext_noop("文件内键重复（与第 {row} 行相同）")
ENTERPRISE_BIRTH = gettext_noop("企业客户不应填写出生日期")
BAD_RIC = gettext_noop("居民身份证号码无效")
BAD_USCC = gettext_noop("统一社会信用代码无效")
NOT_FIRST_OF_MONTH = gettext_noop("月份应为当月1日")
MATURITY_BEFORE_OPEN = gettext_noop("到期日早于发放日")
SETTLED_BEFORE_OPEN = gettext_noop("结清日早于发放日")
CLOSED_BEFORE_OPEN = gettext_noop("关闭日期早于开通日期")
UNKNOWN_ORG = gettext_noop("机构代码不存在")
UNKNOWN_CUSTOMER = gettext_noop("客户号不存在（请先导入客户表）")

ERROR_COLUMNS = ["row", "column", "value", "message"]
# Personal data stays masked in error lists and reports.
_MASKS = {"id_number": mask_id_number, "phone": mask_phone}


def arrow_schema(spec: TableSpec) -> pa.Schema:
    kinds = {
        STR: pa.string(),
        ENUM: pa.string(),
        DATE: pa.date32(),
        AMOUNT: pa.float64(),
        INT: pa.int64(),
        BOOL: pa.bool_(),
    }
    return pa.schema([pa.field(column.name, kinds[column.type]) for column in spec.columns])


def table_for(name: str) -> TableSpec | None:
    """The table a file is for, from its name: ``customers``, ``transactions_2024`` ..."""
    stem = name.strip().lower()
    if stem in TABLES:
        return TABLES[stem]
    for table in TABLES:
        if stem.startswith(table) or stem.endswith(table):
            return TABLES[table]
    return None


class _Errors:
    """Row errors gathered column by column as arrays, turned into a frame once."""

    def __init__(self, rows: np.ndarray) -> None:
        self.rows = rows
        self.bad = np.zeros(len(rows), dtype=bool)
        self.parts: list[pd.DataFrame] = []

    def add(self, mask: Any, column: str, raw: pd.Series, message: str | pd.Series) -> None:
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        where = np.flatnonzero(mask)
        values = _as_text(raw.iloc[where]).astype(object)
        values = values.where(values.notna(), None)
        if column in _MASKS:
            values = values.map(lambda v: _MASKS[column](v) if v else v)
        messages = message.iloc[where].to_numpy() if isinstance(message, pd.Series) else message
        self.parts.append(
            pd.DataFrame(
                {
                    "row": self.rows[where],
                    "column": column,
                    "value": values.to_numpy(),
                    "message": messages,
                }
            )
        )
        self.bad |= mask

    def frame(self, order: list[str]) -> pd.DataFrame:
        if not self.parts:
            return pd.DataFrame({name: pd.Series(dtype=object) for name in ERROR_COLUMNS})
        errors = pd.concat(self.parts, ignore_index=True)
        rank = {name: i for i, name in enumerate(order)}
        errors["_c"] = errors["column"].map(rank).fillna(len(rank))
        errors = errors.sort_values(["row", "_c"], kind="stable").drop(columns="_c")
        return errors.reset_index(drop=True)


def _as_text(raw: pd.Series) -> pd.Series:
    """Any column as stripped text, empty → missing."""
    if pd.api.types.is_bool_dtype(raw.dtype):
        text = raw.map({True: "true", False: "false"}).astype(TEXT)
    elif pd.api.types.is_float_dtype(raw.dtype):
        whole = raw.notna() & np.isfinite(raw) & (raw == np.round(raw))
        text = raw.astype(object).where(~whole, raw.where(whole).astype("Int64").astype(object))
        text = text.where(raw.notna(), None).map(lambda v: v if v is None else str(v))
        text = text.astype(TEXT)
    elif pd.api.types.is_datetime64_any_dtype(raw.dtype):
        text = raw.dt.strftime("%Y-%m-%d").astype(TEXT)
    else:
        text = raw.astype(TEXT)
    text = text.str.strip()
    return text.mask(text == "")


def _parse(column: Column, raw: pd.Series, errors: _Errors) -> tuple[pd.Series, pd.Series]:
    """(typed values, missing) of one column; unreadable values are recorded as errors."""
    kind = column.type
    name = column.name
    if kind in (STR, ENUM):
        text = _as_text(raw)
        missing = text.isna()
        if kind == ENUM:
            value = text.where(text.isin(column.values))
            if (value.isna() & ~missing).any():  # other spellings: "Farmer", "m"
                lookup = {value.lower(): value for value in column.values}
                value = text.str.lower().map(lookup).astype(TEXT)
            errors.add(
                ~missing & value.isna(),
                name,
                raw,
                BAD_ENUM.format(values="、".join(column.values)),
            )
            return value, missing
        if column.max_length:
            errors.add(
                (text.str.len() > column.max_length).fillna(False),
                name,
                raw,
                TOO_LONG.format(n=column.max_length),
            )
        if column.pattern:
            errors.add(
                ~missing & ~text.str.fullmatch(column.pattern).fillna(False), name, raw, BAD_FORMAT
            )
        return text, missing
    if kind == DATE:
        if isinstance(raw.dtype, pd.ArrowDtype) and pd.api.types.is_datetime64_any_dtype(raw.dtype):
            raw = raw.astype("datetime64[ns]")  # Arrow date32 (synth's frames): no .dt.tz
        if pd.api.types.is_datetime64_any_dtype(raw.dtype):
            value = raw.dt.tz_localize(None) if getattr(raw.dt, "tz", None) else raw
            value = value.dt.normalize().astype("datetime64[ns]")
            return value, value.isna()
        text = _as_text(raw)
        missing = text.isna()
        value = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce").astype("datetime64[ns]")
        errors.add(~missing & value.isna(), name, raw, BAD_DATE)
        return value, missing
    if kind in (AMOUNT, INT):
        if pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype):
            number = raw.astype("float64")
            missing = number.isna()
            unreadable = pd.Series(False, index=raw.index)
        else:
            text = _as_text(raw)
            missing = text.isna()
            number = pd.to_numeric(text.str.replace(",", "", regex=False), errors="coerce")
            number = number.astype("float64")
            unreadable = ~missing & number.isna()
        unreadable = unreadable | (~missing & ~np.isfinite(number.fillna(0)))
        if kind == AMOUNT:
            errors.add(unreadable, name, raw, BAD_AMOUNT)
            ok = ~missing & ~unreadable
            if column.positive:
                errors.add(ok & (number <= 0), name, raw, NOT_POSITIVE)
            else:
                errors.add(ok & (number < 0), name, raw, NEGATIVE)
            return number.round(2), missing
        unreadable = unreadable | (~missing & (number != np.round(number)))
        errors.add(unreadable, name, raw, BAD_INT)
        ok = ~missing & ~unreadable
        if column.positive:
            errors.add(ok & (number < 1), name, raw, NOT_POSITIVE_INT)
        return number.where(ok).round().astype("Int64"), missing
    # BOOL
    if pd.api.types.is_bool_dtype(raw.dtype):
        value = raw.astype("boolean")
        missing = value.isna()
    else:
        text = _as_text(raw).str.lower()
        missing = text.isna()
        value = text.map(
            lambda v: True if v in TRUE_WORDS else False if v in FALSE_WORDS else None
        ).astype("boolean")
        errors.add(~missing & value.isna(), name, raw, BAD_BOOL)
    if column.default is not None:
        value = value.fillna(column.default)
    return value, missing


def _invalid_ids(values: pd.Series, check: Any) -> pd.Series:
    """Whether each ID fails ``check``, computed once per distinct value (missing passes)."""
    distinct = pd.unique(values.dropna().astype(str))
    return values.isin([value for value in distinct if not check(value)]).fillna(False)


def _ric_valid(number: str) -> bool:
    try:
        return bool(ric.is_valid(number))
    except KeyError:  # stdnum trips over region codes without a county (e.g. "130100")
        return False


_RIC_WEIGHTS = np.array([2 ** (17 - i) % 11 for i in range(17)], dtype=np.int64)


def invalid_resident_ids(values: pd.Series) -> pd.Series:
    """``~stdnum.cn.ric.is_valid`` for each present value, vectorised: length, digits, the
    check digit and the birth date are array operations; the birth place (which depends on
    the region code and the birth year) is asked of stdnum once per (region, year)."""
    text = values.astype(TEXT)
    present = text.notna().to_numpy()
    shaped = (text.str.fullmatch(r"\d{17}[\dX]").fillna(False)).to_numpy(dtype=bool)
    valid = np.zeros(len(text), dtype=bool)
    if shaped.any():
        numbers = text[shaped].astype(str).to_numpy()
        codes = np.frombuffer("".join(numbers).encode("ascii"), dtype=np.uint8).reshape(-1, 18)
        check = (1 - (codes[:, :17].astype(np.int64) - 48) @ _RIC_WEIGHTS) % 11
        summed = np.where(check == 10, ord("X"), check + 48) == codes[:, 17]
        shaped_numbers = pd.Series(numbers)
        born = pd.to_datetime(shaped_numbers.str.slice(6, 14), format="%Y%m%d", errors="coerce")
        dated = summed & born.notna().to_numpy()
        # Region and year: one question to stdnum per pair.
        pair = shaped_numbers.str.slice(0, 10)
        firsts = shaped_numbers[dated].groupby(pair[dated].to_numpy()).first()
        verdict = {key: _ric_valid(number) for key, number in firsts.items()}
        ok = dated & pair.isin([key for key, good in verdict.items() if good]).to_numpy()
        # Dates pandas cannot hold (before 1677): stdnum itself, value by value.
        odd = summed & ~dated
        if odd.any():
            ok[odd] = [_ric_valid(number) for number in numbers[odd]]
        valid[np.flatnonzero(shaped)] = ok
    return pd.Series(present & ~valid, index=values.index)


def _rules(spec: TableSpec, value: dict[str, pd.Series], raw: Any, errors: _Errors) -> None:
    """Checks across columns of one row, per table."""
    name = spec.name
    if name == "customers":
        kind, born, ids = value["kind"], value["birth_date"], value["id_number"]
        errors.add(
            (kind == "enterprise").fillna(False) & born.notna(),
            "birth_date",
            raw("birth_date"),
            ENTERPRISE_BIRTH,
        )
        upper = ids.str.upper()
        value["id_number"] = upper
        farmer = (kind == "farmer").fillna(False) & upper.notna()
        firm = kind.isin(["business", "enterprise"]).fillna(False) & upper.notna()
        errors.add(
            invalid_resident_ids(upper.where(farmer)), "id_number", raw("id_number"), BAD_RIC
        )
        errors.add(
            _invalid_ids(upper.where(firm), uscc.is_valid), "id_number", raw("id_number"), BAD_USCC
        )
    elif name == "balances":
        month = value["month"]
        errors.add((month.dt.day != 1).fillna(False), "month", raw("month"), NOT_FIRST_OF_MONTH)
    elif name == "loans":
        opened = value["opened_on"]
        errors.add(
            (value["maturity_on"] < opened).fillna(False),
            "maturity_on",
            raw("maturity_on"),
            MATURITY_BEFORE_OPEN,
        )
        errors.add(
            (value["settled_on"] < opened).fillna(False),
            "settled_on",
            raw("settled_on"),
            SETTLED_BEFORE_OPEN,
        )
    elif name == "holdings":
        errors.add(
            (value["closed_on"] < value["opened_on"]).fillna(False),
            "closed_on",
            raw("closed_on"),
            CLOSED_BEFORE_OPEN,
        )


def _duplicates(keys: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(rows repeating a key seen before, the row where each key was first seen)."""
    if len(keys.columns) == 1:
        repeated = keys.iloc[:, 0].duplicated(keep=False)
    else:
        repeated = keys.duplicated(keep=False)
    if not repeated.any():
        return np.array([], dtype=int), np.array([], dtype=int)
    involved = keys[repeated.to_numpy()]
    rows = pd.Series(involved.index.to_numpy(), index=involved.index)
    by = [involved[column] for column in keys.columns]
    first = rows.groupby(by, sort=False, dropna=False).transform("first").to_numpy()
    later = first != rows.to_numpy()
    return rows.to_numpy()[later], first[later]


def empty_frame(spec: TableSpec) -> pd.DataFrame:
    return (
        arrow_schema(spec)
        .empty_table()
        .to_pandas(types_mapper={pa.string(): TEXT}.get, date_as_object=False)
    )


def validate_frame(
    spec: TableSpec, frame: pd.DataFrame, *, first_row: int = 1
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(good rows typed for the store, errors frame of row/column/value/message).

    The good rows keep the file's row number (1-based, header excluded) as their index, so
    that later checks (against the database, the store) can report them too. A file read in
    parts gives each part's ``first_row``; keys are then unique within the part only."""
    frame = frame.rename(columns=lambda c: str(c).strip().lstrip("\ufeff").lower())
    frame = frame.loc[:, ~frame.columns.duplicated()]
    rows = np.arange(first_row, first_row + len(frame))
    errors = _Errors(rows)
    missing_columns = [name for name in spec.required if name not in frame.columns]
    if missing_columns:
        file_errors = pd.DataFrame(
            {"row": None, "column": missing_columns, "value": None, "message": MISSING_COLUMN}
        )
        return empty_frame(spec), file_errors
    frame = frame.reset_index(drop=True)
    blank = pd.Series([None] * len(frame), dtype=object)

    def raw(name: str) -> pd.Series:
        return frame[name] if name in frame.columns else blank

    value: dict[str, pd.Series] = {}
    for column in spec.columns:
        parsed, missing = _parse(column, raw(column.name), errors)
        if column.required:
            errors.add(missing, column.name, raw(column.name), REQUIRED)
        value[column.name] = parsed
    _rules(spec, value, raw, errors)
    good = pd.DataFrame(value)
    good.index = rows
    # Duplicate keys among the otherwise good rows: the first one is taken.
    keys = good[list(spec.key)]
    later, first = _duplicates(keys.loc[~errors.bad] if errors.bad.any() else keys)
    if len(later):
        where = later - first_row
        mask = np.zeros(len(rows), dtype=bool)
        mask[where] = True
        message = pd.Series(DUPLICATE_KEY, index=range(len(rows)), dtype=object)
        message.iloc[where] = [DUPLICATE_KEY.format(row=n) for n in first]
        errors.add(mask, spec.key[0], raw(spec.key[0]), message)
    if errors.bad.any():
        good = good.loc[~errors.bad]
    for column in spec.columns:
        if column.type == BOOL and column.default is not None:
            good[column.name] = good[column.name].astype(bool)
    return good, errors.frame(spec.names)


def validate(spec: TableSpec, frame: pd.DataFrame) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """(good rows, list of row errors) — see :func:`validate_frame`."""
    good, errors = validate_frame(spec, frame)
    return good, error_records(errors)


def error_records(errors: pd.DataFrame, limit: int | None = None) -> list[dict[str, Any]]:
    part = errors if limit is None else errors.head(limit)
    return [
        {
            "row": None if pd.isna(row) else int(row),
            "column": column,
            "value": None
            if value is None or (isinstance(value, float) and pd.isna(value))
            else str(value),
            "message": message,
        }
        for row, column, value, message in part[ERROR_COLUMNS].itertuples(index=False)
    ]


def reject_unknown(
    good: pd.DataFrame, column: str, known: Any, message: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows of ``good`` whose ``column`` is not among ``known`` become errors (by file row)."""
    unknown = ~good[column].isin(known).to_numpy()
    if not unknown.any():
        return good, pd.DataFrame({name: pd.Series(dtype=object) for name in ERROR_COLUMNS})
    bad = good.loc[unknown, column]
    errors = pd.DataFrame(
        {
            "row": bad.index.to_numpy(),
            "column": column,
            "value": bad.astype(object).to_numpy(),
            "message": message,
        }
    )
    return good.loc[~unknown], errors
