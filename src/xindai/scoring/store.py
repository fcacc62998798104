"""The Parquet store of stock data: one file per table in ``settings.STOCK_DIR``.

Writes are upserts by the table's key done by DuckDB, which streams the existing file instead of
loading it: the new rows win, the result goes to a temporary file that replaces the table
atomically (``os.replace``), so a reader sees the old table or the new one, never half of one.
Writing the same rows again changes nothing, not even the file.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from django.conf import settings

# ruff: noqa: S608 — the SQL is assembled from the schema's column names and the store's own
# file paths (quoted), never from a file's content.
from xindai.scoring.schema import TABLES, TEXT, arrow_schema, empty_frame


def stock_dir() -> Path:
    return Path(settings.STOCK_DIR)


def path_of(name: str) -> Path:
    if name not in TABLES:
        raise KeyError(name)
    return stock_dir() / f"{name}.parquet"


def read_table(name: str, columns: list[str] | None = None) -> pd.DataFrame:
    """The whole table (or some columns): text as Arrow strings, dates as datetime64.

    An empty frame of the right columns when nothing was imported yet."""
    path = path_of(name)
    if not path.exists():
        frame = empty_frame(TABLES[name])
        return frame[columns] if columns else frame
    table = pq.read_table(path, columns=columns)
    return table.to_pandas(types_mapper={pa.string(): TEXT}.get, date_as_object=False)


def to_arrow(name: str, frame: pd.DataFrame) -> pa.Table:
    """A frame of validated rows as an Arrow table of the store's schema."""
    schema = arrow_schema(TABLES[name])
    table = pa.Table.from_pandas(frame[schema.names], preserve_index=False)
    return table.cast(schema)


@contextmanager
def _locked(name: str) -> Iterator[None]:
    """One writer per table at a time (two imports at once would lose rows otherwise)."""
    directory = stock_dir()
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / f".{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sql_text(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def upsert(name: str, rows: pd.DataFrame | pa.Table | Path) -> tuple[int, int]:
    """Insert or replace rows by key; (rows new to the table, rows whose values changed).

    ``rows`` are validated rows, unique by key (see :mod:`xindai.scoring.schema`): a frame, an
    Arrow table, or a Parquet file with (at least) the table's columns, which DuckDB streams."""
    spec = TABLES[name]
    columns = [column.name for column in spec.columns]
    select = ", ".join(_quote(c) for c in columns)
    target = path_of(name)
    with _locked(name):
        con = duckdb.connect()
        try:
            con.execute("SET preserve_insertion_order = false")
            if isinstance(rows, Path):
                con.execute(
                    f"CREATE VIEW incoming AS SELECT {select} FROM read_parquet({_sql_text(rows)})"
                )
            else:
                con.register(
                    "incoming", rows if isinstance(rows, pa.Table) else to_arrow(name, rows)
                )
            count = (con.execute("SELECT count(*) FROM incoming").fetchone() or (0,))[0]
            if not target.exists():
                if count == 0:
                    return 0, 0
                _write(con, f"SELECT {select} FROM incoming", target)
                return int(count), 0
            key = " AND ".join(f"n.{_quote(c)} = o.{_quote(c)}" for c in spec.key)
            differs = " OR ".join(
                f"n.{_quote(c)} IS DISTINCT FROM o.{_quote(c)}"
                for c in columns
                if c not in spec.key
            )
            old = f"read_parquet({_sql_text(target)})"
            matched, changed = con.execute(
                f"SELECT count(*), count(*) FILTER (WHERE {differs or 'false'}) "
                f"FROM incoming n JOIN {old} o ON {key}"
            ).fetchone() or (0, 0)
            new = int(count) - int(matched)
            if new == 0 and changed == 0:
                return 0, 0
            _write(
                con,
                f"SELECT {select} FROM {old} o WHERE NOT EXISTS "
                f"(SELECT 1 FROM incoming n WHERE {key}) "
                f"UNION ALL SELECT {select} FROM incoming",
                target,
            )
            return new, int(changed)
        finally:
            con.close()


def _write(con: duckdb.DuckDBPyConnection, query: str, target: Path) -> None:
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.stem}.", suffix=".tmp", dir=target.parent
    )
    os.close(handle)
    try:
        con.execute(
            f"COPY ({query}) TO {_sql_text(Path(temporary))} "
            "(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 1000000)"
        )
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
