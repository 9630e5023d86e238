"""Read-only queries and exports (``COPY`` to CSV, Parquet, optionally partitioned, or JSON Lines).

Both run on a locked-down reader (``engine``): a query reads the database and nothing else; an
export may write its one output besides, and never replaces a database or, without ``force``,
an existing file."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from claimtrack.transforms.warehouse.core import ExportError, QueryError, WarehouseError, one_line
from claimtrack.transforms.warehouse.engine import opened, wal_of

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
    """Run ``sql`` (``$name`` parameters from ``params``) on a locked-down reader (it can read the
    database and nothing else, and write nothing); return the rows as a frame (its first ``limit``
    rows when given: DuckDB stops there).

    Raises ``QueryError`` for a bad or refused statement, ``WarehouseError`` when the file cannot
    be opened or read.
    """
    with opened(path, read_only=True) as con:
        try:
            relation = con.sql(sql, params=dict(params) if params else None)
            if relation is None:
                raise QueryError("the statement returns no rows; give a SELECT (the database is opened read-only)")
            frame: pl.DataFrame = (relation if limit is None else relation.limit(limit)).pl()
            return frame
        except duckdb.Error as exc:
            raise _query_error(path, exc) from exc


def _query_error(path: Path, exc: duckdb.Error) -> WarehouseError:
    """The error to show for a failed query: the file (unreadable, damaged) or the statement."""
    if isinstance(exc, duckdb.PermissionException):
        return QueryError(f"{one_line(exc)}; a query reads only the claimtrack database (write files with 'export')")
    if isinstance(exc, duckdb.IOException | duckdb.InternalException):
        return WarehouseError(f"cannot read {path}: {one_line(exc)}")
    if "corrupt" in str(exc).lower():
        return WarehouseError(f"cannot read {path}: {one_line(exc)}; the file is damaged")
    return QueryError(one_line(exc))


def export_csv(path: Path, sql: str, params: Mapping[str, Any] | None, out: Path) -> int:
    """Write the rows of ``sql`` to ``out`` as CSV (header, UTF-8, ISO dates); return the row count."""
    return export(path, sql, params, out, "csv")


def export(
    path: Path,
    sql: str,
    params: Mapping[str, Any] | None,
    out: Path,
    fmt: str,
    partition_by: str | None = None,
    force: bool = False,
) -> int:
    """Write the rows of ``sql`` (one SELECT, ``$name`` parameters from ``params``) to ``out``
    with one DuckDB ``COPY`` on a locked-down reader that may write ``out`` and nothing else;
    return the number of rows written.

    ``fmt`` is a key of ``EXPORT_OPTIONS``: ``csv`` (RFC 4180 quoting, UTF-8, header, ISO
    dates and times), ``parquet`` or ``jsonl`` (one JSON object per line). A file is written
    beside ``out`` and renamed over it when complete; an existing ``out`` is replaced only with
    ``force``, and never when it is a database. With ``partition_by`` (Parquet only), ``out`` is a
    folder of Hive partitions (``out/<column>=<value>/data_0.parquet``, nulls under
    ``__HIVE_DEFAULT_PARTITION__``); a folder holding only such partitions (an earlier export) is
    replaced.

    :raises QueryError: bad SQL, more than one statement, a missing parameter, or no column
        ``partition_by``.
    :raises ExportError: ``out`` cannot or may not be written (the message names it and why).
    """
    options = EXPORT_OPTIONS[fmt]
    if partition_by is not None:
        options += _prepare_folder(out, partition_by)
        return _copy(path, sql, params, out, options, partition_by)
    _prepare_file(out, path, force)
    staged = out.with_name(f".{out.name}.{os.getpid()}.partial")
    try:
        rows = _copy(path, sql, params, staged, options)
        staged.replace(out)
        return rows
    finally:
        staged.unlink(missing_ok=True)


def _copy(
    path: Path,
    sql: str,
    params: Mapping[str, Any] | None,
    out: Path,
    options: str,
    partition_by: str | None = None,
) -> int:
    """``COPY`` the rows of ``sql`` to ``out`` (the one path the reader may write); the row count."""
    with opened(path, read_only=True, writable=[out]) as con:
        columns = _columns(con, path, sql, params)
        if partition_by is not None:
            if partition_by not in columns:
                raise QueryError(
                    f"cannot partition by '{partition_by}': the rows have no such column "
                    f"(columns: {', '.join(columns)})"
                )
            options += f", partition_by ({_identifier(partition_by)})"
        statement = f"copy ({_statement(sql)}) to $claimtrack_output ({options})"
        try:
            return int(con.execute(statement, {**(params or {}), "claimtrack_output": str(out)}).fetchall()[0][0])
        except duckdb.IOException as exc:
            raise ExportError(f"cannot write {out}: {one_line(exc)}") from exc
        except duckdb.Error as exc:
            raise _query_error(path, exc) from exc


def _statement(sql: str) -> str:
    """``sql`` without trailing semicolons and whitespace, to nest it in ``COPY (...)``."""
    return sql.strip().rstrip(";").rstrip()


def _identifier(name: str) -> str:
    """``name`` as a quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def _columns(con: duckdb.DuckDBPyConnection, path: Path, sql: str, params: Mapping[str, Any] | None) -> list[str]:
    """The column names of ``sql``'s rows (no rows are read). Raises ``QueryError`` unless ``sql``
    is one SELECT (it is nested in a ``COPY``, so nothing may follow it)."""
    try:
        kinds = [statement.type for statement in con.extract_statements(_statement(sql))]
        if kinds != [duckdb.StatementType.SELECT]:
            raise QueryError(f"an export takes one SELECT statement, not {len(kinds)} statement(s) of {kinds}")
        cursor = con.execute(f"select * from ({_statement(sql)}) limit 0", dict(params) if params else None)
    except duckdb.Error as exc:
        raise _query_error(path, exc) from exc
    return [column[0] for column in cursor.description or []]


def _prepare_file(out: Path, db: Path, force: bool) -> None:
    """Create ``out``'s folder; raise ``ExportError`` when ``out`` cannot or may not be replaced:
    a folder, the database or its WAL, any database file, or an existing file without ``force``."""
    if out.is_dir():
        raise ExportError(f"cannot write {out}: it is a folder; give a file name")
    if out.exists() or out.is_symlink():
        if out.resolve() in (db.resolve(), wal_of(db).resolve()):
            raise ExportError(f"cannot write {out}: it is the database being exported; give another file name")
        kind = database_kind(out)
        if kind:
            raise ExportError(
                f"cannot write {out}: it is a {kind} database; an export never replaces a database, "
                "even with --force; give another file name"
            )
        if not force:
            raise ExportError(f"cannot write {out}: the file exists; pass --force to replace it or give a new name")
    _make_parent(out)


def database_kind(path: Path) -> str | None:
    """``DuckDB`` or ``SQLite`` when ``path`` starts like such a database file, else None."""
    try:
        with path.open("rb") as handle:
            head = handle.read(16)
    except OSError:
        return None
    if head[8:12] == b"DUCK":
        return "DuckDB"
    return "SQLite" if head.startswith(b"SQLite format 3\x00") else None


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
