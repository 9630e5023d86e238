"""Read-only queries and exports (``COPY`` to CSV, Parquet, optionally partitioned, or JSON Lines)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from claimtrack.transforms.warehouse.core import ExportError, QueryError, WarehouseError, one_line
from claimtrack.transforms.warehouse.engine import opened

# COPY options per export format. Dates and times are ISO 8601 in CSV and JSON Lines
# (the session time zone is UTC); CSV is comma-separated with a header, fields quoted with
# '"' (doubled inside) when needed, nulls as empty fields.
ISO_TIMES = "dateformat '%Y-%m-%d', timestampformat '%Y-%m-%dT%H:%M:%S.%fZ'"  # times are UTC
EXPORT_OPTIONS = {
    "csv": f"format csv, header, delimiter ',', quote '\"', escape '\"', {ISO_TIMES}",
    "parquet": "format parquet, compression zstd",
    "jsonl": f"format json, {ISO_TIMES}",
}


def query(path: Path, sql: str, params: Mapping[str, Any] | None = None, limit: int | None = None) -> pl.DataFrame:
    """Run ``sql`` (``$name`` parameters from ``params``) read-only; return the rows as a frame
    (its first ``limit`` rows when given: DuckDB stops there).

    Raises ``QueryError`` for a bad statement, ``WarehouseError`` when the file cannot be opened.
    """
    with opened(path, read_only=True) as con:
        try:
            relation = con.sql(sql, params=dict(params) if params else None)
            if relation is None:
                raise QueryError("the statement returns no rows; give a SELECT (the database is opened read-only)")
            frame: pl.DataFrame = (relation if limit is None else relation.limit(limit)).pl()
            return frame
        except (duckdb.IOException, duckdb.InternalException) as exc:
            raise WarehouseError(f"cannot read {path}: {one_line(exc)}") from exc
        except duckdb.Error as exc:
            if "corrupt" in str(exc).lower():
                raise WarehouseError(f"cannot read {path}: {one_line(exc)}; the file is damaged") from exc
            raise QueryError(one_line(exc)) from exc


def export_csv(path: Path, sql: str, params: Mapping[str, Any] | None, out: Path) -> int:
    """Write the rows of ``sql`` to ``out`` as CSV (header, UTF-8, ISO dates); return the row count."""
    return export(path, sql, params, out, "csv")


def export(
    path: Path, sql: str, params: Mapping[str, Any] | None, out: Path, fmt: str, partition_by: str | None = None
) -> int:
    """Write the rows of ``sql`` (``$name`` parameters from ``params``) to ``out`` with one
    DuckDB ``COPY``; return the number of rows written.

    ``fmt`` is a key of ``EXPORT_OPTIONS``: ``csv`` (RFC 4180 quoting, UTF-8, header, ISO
    dates and times), ``parquet`` or ``jsonl`` (one JSON object per line). With
    ``partition_by`` (Parquet only), ``out`` is a folder of Hive partitions
    (``out/<column>=<value>/data_0.parquet``, nulls under ``__HIVE_DEFAULT_PARTITION__``);
    a folder holding only such partitions (an earlier export) is replaced.

    :raises QueryError: bad SQL, a missing parameter, or no column ``partition_by``.
    :raises ExportError: ``out`` cannot be written (the message names it and the reason).
    """
    options = EXPORT_OPTIONS[fmt]
    with opened(path, read_only=True) as con:
        columns = _columns(con, sql, params)
        if partition_by is not None:
            if partition_by not in columns:
                raise QueryError(
                    f"cannot partition by '{partition_by}': the rows have no such column "
                    f"(columns: {', '.join(columns)})"
                )
            options += f", partition_by ({_identifier(partition_by)}){_prepare_folder(out, partition_by)}"
        else:
            _prepare_file(out)
        statement = f"copy ({_statement(sql)}) to $claimtrack_output ({options})"
        try:
            return int(con.execute(statement, {**(params or {}), "claimtrack_output": str(out)}).fetchall()[0][0])
        except duckdb.IOException as exc:
            raise ExportError(f"cannot write {out}: {one_line(exc)}") from exc
        except duckdb.Error as exc:
            raise QueryError(one_line(exc)) from exc


def _statement(sql: str) -> str:
    """``sql`` without trailing semicolons and whitespace, to nest it in ``COPY (...)``."""
    return sql.strip().rstrip(";").rstrip()


def _identifier(name: str) -> str:
    """``name`` as a quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def _columns(con: duckdb.DuckDBPyConnection, sql: str, params: Mapping[str, Any] | None) -> list[str]:
    """The column names of ``sql``'s rows (no rows are read). Raises ``QueryError``."""
    try:
        cursor = con.execute(f"select * from ({_statement(sql)}) limit 0", dict(params) if params else None)
    except duckdb.Error as exc:
        raise QueryError(one_line(exc)) from exc
    return [column[0] for column in cursor.description or []]


def _prepare_file(out: Path) -> None:
    """Create ``out``'s folder; raise ``ExportError`` when ``out`` cannot be a file."""
    if out.is_dir():
        raise ExportError(f"cannot write {out}: it is a folder; give a file name")
    _make_parent(out)


def _make_parent(out: Path) -> None:
    """Create the folder ``out`` goes in; raise ``ExportError`` saying why it cannot be."""
    blocking = next((p for p in reversed(out.parents) if p.exists() and not p.is_dir()), None)
    if blocking is not None:
        raise ExportError(f"cannot write {out}: {blocking} is a file, not a folder")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot write {out}: {exc.strerror or exc}") from exc


def _prepare_folder(out: Path, column: str) -> str:
    """Check ``out`` can take a partitioned export; return the ``COPY`` option that replaces
    an earlier one (``, overwrite``) or ``""``. Raises ``ExportError``."""
    if out.exists() and not out.is_dir():
        raise ExportError(f"cannot write {out}: it is a file; a partitioned export is a folder")
    entries = list(out.iterdir()) if out.is_dir() else []
    if any(not (e.is_dir() and e.name.startswith(f"{column}=")) for e in entries):
        raise ExportError(f"cannot write {out}: the folder holds other files; give a new or empty folder")
    _make_parent(out)
    return ", overwrite" if entries else ""
