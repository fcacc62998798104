"""Import of stock-customer data files (CSV or Parquet) into the store and the customer master.

One file = one :class:`ImportBatch`. The file is checked against its table's schema
(:mod:`xindai.scoring.schema`) and against what the bank already knows (org codes, customer
numbers); bad rows are refused one by one and listed in an error report (CSV, UTF-8 with BOM so
that Excel shows the Chinese), the good rows are upserted by key. Importing the same file again
gives the same result (nothing new, nothing updated). A file that cannot be read or lacks a
required column is refused as a whole and nothing is written.
"""

from __future__ import annotations

import csv
import hashlib
import logging
import os
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xindai.audit import services as audit
from xindai.core.errors import InvalidInput
from xindai.customers.models import Customer
from xindai.org.models import OrgUnit
from xindai.scoring import schema, store
from xindai.scoring.models import ImportBatch, ImportStatus, StockCustomer

log = logging.getLogger(__name__)

BATCH = "scoring.importbatch"
ERRORS_KEPT = 200  # on the batch; the report file has them all
DB_BATCH = 5000
REPORT_HEADER = ["行号", "列名", "值", "错误说明"]
PART_ROWS = 500_000  # rows of a Parquet file checked at a time
PART_BYTES = 64 << 20  # bytes of a CSV file checked at a time
FORMATS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}


class Unreadable(Exception):
    """The file as a whole cannot be taken (not readable, a required column missing)."""


def import_file(
    path: str | Path,
    table: str | None = None,
    *,
    user: Any = None,
    synthetic: bool | None = None,
) -> ImportBatch:
    """Import one file into ``table`` (guessed from the file name when not given)."""
    path = Path(path)
    spec = schema.TABLES.get(table) if table else schema.table_for(path.stem)
    if spec is None:
        raise InvalidInput(
            _("无法确定数据表“%(table)s”，应为：%(tables)s")
            % {"table": table or path.stem, "tables": "、".join(schema.TABLES)}
        )
    staff = user if getattr(user, "is_authenticated", False) else None
    batch = ImportBatch.objects.create(
        table=spec.name,
        file_name=path.name[:200],
        file_format=FORMATS.get(path.suffix.lower(), path.suffix.lower().lstrip(".")[:8]),
        sha256=_sha256(path) if path.is_file() else "",
        created_by=staff,
    )
    repeat = (
        ImportBatch.objects.filter(table=spec.name, sha256=batch.sha256, status=ImportStatus.DONE)
        .exclude(pk=batch.pk)
        .order_by("-pk")
        .first()
        if batch.sha256
        else None
    )
    staging = store.stock_dir() / ".staging" / f"{batch.pk}.parquet"
    try:
        try:
            rows_read, accepted, errors, failure = _stage(path, batch, spec, staging, synthetic)
        except Unreadable as exc:
            return _fail(batch, str(exc), staff)
        batch.rows_read = rows_read
        if failure:
            return _fail(batch, failure, staff, errors=errors)
        batch.rows_accepted = accepted
        batch.rows_rejected = int(errors["row"].nunique())
        batch.errors = schema.error_records(errors, ERRORS_KEPT)
        if len(errors):
            batch.report_path = _write_report(batch.pk, errors)
        notes = []
        if repeat is not None:
            notes.append(
                _("与第 %(pk)s 批导入的文件内容相同，已重新处理（结果不变）") % {"pk": repeat.pk}
            )
        try:
            with transaction.atomic():
                if spec.name == "customers" and accepted:
                    _upsert_customers(staging)
                if accepted:
                    batch.rows_new, batch.rows_updated = store.upsert(spec.name, staging)
                batch.status = ImportStatus.DONE
                batch.finished_at = timezone.now()
                batch.message = "；".join(notes)[:500]
                batch.save()
                _audit(batch, staff, repeat)
        except Exception as exc:
            log.exception("stock import %s failed", batch.pk)
            _fail(batch, _("导入失败：%(error)s") % {"error": exc}, staff)
            raise
    finally:
        staging.unlink(missing_ok=True)
    return batch


def _stage(
    path: Path, batch: ImportBatch, spec: schema.TableSpec, staging: Path, synthetic: bool | None
) -> tuple[int, int, pd.DataFrame, str]:
    """Check the file part by part and write the good rows to a staging Parquet file (with
    their file row in ``_row``): (rows read, rows accepted, errors, whole-file failure)."""
    staging.parent.mkdir(parents=True, exist_ok=True)
    staging.unlink(missing_ok=True)
    known: Any = None
    if spec.name != "customers":
        numbers = store.read_table("customers", columns=["customer_no"])["customer_no"]
        known = numbers.dropna().unique()
    rows_read, accepted, parts_read = 0, 0, 0
    parts: list[pd.DataFrame] = []
    writer: pq.ParquetWriter | None = None
    try:
        for frame in _read(path, batch.file_format):
            good, errors = schema.validate_frame(spec, frame, first_row=rows_read + 1)
            rows_read += len(frame)
            parts_read += 1
            if errors["row"].isna().any():
                missing = "、".join(errors.loc[errors["row"].isna(), "column"])
                return rows_read, 0, errors, _("缺少必需的列：%(columns)s") % {"columns": missing}
            if spec.name == "customers":
                good, more = _check_customers(good, synthetic)
            else:
                good, more = schema.reject_unknown(
                    good, "customer_no", known, schema.UNKNOWN_CUSTOMER
                )
            parts.extend(part for part in (errors, more) if len(part))
            if len(good):
                table = store.to_arrow(spec.name, good)
                table = table.append_column("_row", pa.array(good.index.to_numpy(), pa.int64()))
                writer = writer or pq.ParquetWriter(staging, table.schema)
                writer.write_table(table)
                accepted += len(good)
    finally:
        if writer is not None:
            writer.close()
    if accepted and parts_read > 1:
        repeated = _repeated_keys(spec, staging)
        if len(repeated):
            parts.append(repeated)
            accepted -= len(repeated)
    empty = pd.DataFrame({name: pd.Series(dtype=object) for name in schema.ERROR_COLUMNS})
    errors = pd.concat([empty, *parts], ignore_index=True) if parts else empty
    errors = errors.sort_values("row", kind="stable").reset_index(drop=True)
    return rows_read, accepted, errors, ""


def _repeated_keys(spec: schema.TableSpec, staging: Path) -> pd.DataFrame:
    """Keys repeated across the parts of a big file (each part is checked alone): the first
    row is kept, the later ones become errors and leave the staging file."""
    key = ", ".join(f'"{c}"' for c in spec.key)
    source = "read_parquet('" + str(staging).replace("'", "''") + "')"
    kept = staging.with_suffix(".kept.parquet")
    con = duckdb.connect()
    try:
        con.execute(
            f'CREATE TABLE repeated AS SELECT _row, first, "{spec.key[0]}" AS value FROM '  # noqa: S608
            f'(SELECT _row, "{spec.key[0]}", min(_row) OVER (PARTITION BY {key}) AS first '
            f"FROM {source}) WHERE _row <> first"
        )
        found = con.execute("SELECT _row, first, value FROM repeated ORDER BY _row").fetchall()
        if found:
            target = "'" + str(kept).replace("'", "''") + "'"
            con.execute(
                f"COPY (SELECT * FROM {source} WHERE _row NOT IN (SELECT _row FROM repeated)) "  # noqa: S608
                f"TO {target} (FORMAT parquet)"
            )
            os.replace(kept, staging)
    finally:
        con.close()
    return pd.DataFrame(
        {
            "row": [row for row, _first, _value in found],
            "column": spec.key[0],
            "value": [value for _row, _first, value in found],
            "message": [schema.DUPLICATE_KEY.format(row=first) for _row, first, _value in found],
        }
    )


def report_file(batch: ImportBatch) -> Path | None:
    """The full error report of a batch, when it has one."""
    return store.stock_dir() / batch.report_path if batch.report_path else None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _read(path: Path, file_format: str) -> Iterator[pd.DataFrame]:
    """The file in parts of about ``PART_ROWS`` rows (at least one part, maybe empty): CSV as
    text (UTF-8, with or without BOM), Parquet typed."""
    if not path.is_file():
        raise Unreadable(_("找不到文件：%(name)s") % {"name": path.name})
    mapper = {pa.string(): schema.TEXT, pa.large_string(): schema.TEXT}.get
    try:
        batches: Iterator[pa.RecordBatch]
        if file_format == "csv":
            with path.open(encoding="utf-8-sig", newline="") as handle:
                header = next(csv.reader(handle), [])
            if not header:
                raise Unreadable(_("文件为空"))
            columns = header
            batches = iter(
                pacsv.open_csv(
                    path,
                    read_options=pacsv.ReadOptions(block_size=PART_BYTES),
                    convert_options=pacsv.ConvertOptions(
                        column_types={name: pa.string() for name in header},
                        strings_can_be_null=True,
                        quoted_strings_can_be_null=True,
                    ),
                )
            )
        elif file_format == "parquet":
            parquet = pq.ParquetFile(path)
            columns = parquet.schema_arrow.names
            batches = parquet.iter_batches(batch_size=PART_ROWS)
        else:
            raise Unreadable(_("不支持的文件格式，请使用 CSV 或 Parquet"))
        seen = False
        for part in batches:
            for i, field in enumerate(part.schema):
                if pa.types.is_decimal(field.type):
                    part = part.set_column(i, field.name, part.column(i).cast(pa.float64()))
            seen = True
            yield part.to_pandas(types_mapper=mapper, date_as_object=False)
        if not seen:
            yield pd.DataFrame({name: pd.Series(dtype=object) for name in columns})
    except Unreadable:
        raise
    except (UnicodeDecodeError, csv.Error, pa.ArrowException, OSError) as exc:
        log.info("unreadable stock file %s: %s", path.name, exc)
        raise Unreadable(_("文件无法读取（应为 UTF-8 编码的 CSV 或 Parquet）")) from exc


def _check_customers(
    good: pd.DataFrame, synthetic: bool | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    codes = good["org_code"].dropna().unique().tolist()
    known = set(OrgUnit.objects.filter(code__in=codes).values_list("code", flat=True))
    good, errors = schema.reject_unknown(good, "org_code", list(known), schema.UNKNOWN_ORG)
    if synthetic is not None:
        good = good.assign(synthetic=bool(synthetic))
    return good, errors


def _combine(errors: pd.DataFrame, more: pd.DataFrame) -> pd.DataFrame:
    if not len(more):
        return errors
    return (
        pd.concat([errors, more], ignore_index=True)
        .sort_values("row", kind="stable")
        .reset_index(drop=True)
    )


def _write_report(pk: int, errors: pd.DataFrame) -> str:
    relative = f"reports/{pk}.csv"
    target = store.stock_dir() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    report = errors[schema.ERROR_COLUMNS].copy()
    report["row"] = report["row"].astype("Int64")
    report.columns = pd.Index(REPORT_HEADER)
    report.to_csv(target, index=False, encoding="utf-8-sig")
    return relative


def _fail(
    batch: ImportBatch, message: str, staff: Any, *, errors: pd.DataFrame | None = None
) -> ImportBatch:
    batch.status = ImportStatus.FAILED
    batch.message = message[:500]
    batch.finished_at = timezone.now()
    batch.rows_accepted = batch.rows_new = batch.rows_updated = 0
    if errors is not None and len(errors):
        batch.errors = schema.error_records(errors, ERRORS_KEPT)
        batch.report_path = _write_report(batch.pk, errors)
    batch.save()
    _audit(batch, staff, None)
    return batch


def _audit(batch: ImportBatch, staff: Any, repeat: ImportBatch | None) -> None:
    audit.record(
        "scoring.imported",
        actor=staff,
        object_type=BATCH,
        object_id=batch.pk,
        changes={
            "table": batch.table,
            "file_name": batch.file_name,
            "sha256": batch.sha256,
            "status": batch.status,
            "rows_read": batch.rows_read,
            "rows_accepted": batch.rows_accepted,
            "rows_rejected": batch.rows_rejected,
            "rows_new": batch.rows_new,
            "rows_updated": batch.rows_updated,
            "same_file_as": repeat.pk if repeat is not None else None,
        },
        reason=batch.message if batch.status == ImportStatus.FAILED else "",
    )


# The customer master ------------------------------------------------------------------------

_FIELDS = [
    "name",
    "kind",
    "id_number",
    "phone",
    "birth_date",
    "org_unit_id",
    "village_code",
    "village_name",
    "industry_code",
    "opened_on",
    "archive_id",
    "opted_out_at",
    "synthetic",
]


def _text(values: Iterable[Any]) -> list[str]:
    return ["" if value is None or value is pd.NA else str(value) for value in values]


def _dates(series: pd.Series) -> list[date | None]:
    return [None if pd.isna(v) else v.date() for v in series]


def _upsert_customers(staging: Path) -> None:
    """StockCustomer rows for the good customer rows; unchanged ones are not written at all."""
    units = dict(OrgUnit.objects.values_list("code", "pk"))
    now = timezone.now()
    mapper = {pa.string(): schema.TEXT, pa.large_string(): schema.TEXT}.get
    for batch in pq.ParquetFile(staging).iter_batches(batch_size=DB_BATCH):
        part = batch.to_pandas(types_mapper=mapper, date_as_object=False)
        numbers = _text(part["customer_no"])
        existing = {
            row[0]: row[1:]
            for row in StockCustomer.objects.filter(customer_no__in=numbers).values_list(
                "customer_no", *_FIELDS
            )
        }
        ids = [value for value in _text(part["id_number"]) if value]
        archives = dict(Customer.objects.filter(id_number__in=ids).values_list("id_number", "pk"))
        columns = zip(
            numbers,
            _text(part["name"]),
            _text(part["kind"]),
            _text(part["id_number"]),
            _text(part["phone"]),
            _dates(part["birth_date"]),
            _text(part["org_code"]),
            _text(part["village_code"]),
            _text(part["village_name"]),
            _text(part["industry_code"]),
            _dates(part["opened_on"]),
            part["opt_out_personalised"].tolist(),
            part["synthetic"].tolist(),
            strict=True,
        )
        changed = []
        for (
            number,
            name,
            kind,
            id_number,
            phone,
            born,
            org,
            vcode,
            vname,
            industry,
            opened,
            out,
            synth,
        ) in columns:
            before = existing.get(number)
            previous_opt_out: datetime | None = (
                before[_FIELDS.index("opted_out_at")] if before else None
            )
            # An opt-out is the customer's word and is kept from when he first gave it. A file
            # saying "false" never clears it: the customer may have refused at the counter
            # (recorded here, not in the core system), and only he can take it back.
            opted_out_at = previous_opt_out or (now if out else None)
            values = (
                name,
                kind,
                id_number,
                phone,
                born,
                units[org],
                vcode,
                vname,
                industry,
                opened,
                archives.get(id_number) if id_number else None,
                opted_out_at,
                bool(synth),
            )
            if before is not None and tuple(before) == values:
                continue
            changed.append(
                StockCustomer(customer_no=number, **dict(zip(_FIELDS, values, strict=True)))
            )
        if changed:
            StockCustomer.objects.bulk_create(
                changed,
                batch_size=DB_BATCH,
                update_conflicts=True,
                unique_fields=["customer_no"],
                update_fields=[*_FIELDS, "updated_at"],
            )
