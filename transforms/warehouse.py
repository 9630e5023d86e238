"""The one DuckDB boundary: connect, apply the schema, load batches, run queries, export.

DuckDB locks a database file against every other process while one holds it read-write, so
writers open, write one batch in one transaction and close at once, and every opener (reader
or writer) retries the lock error with a short backoff and a message on stderr. Every
connection runs ``SET TimeZone='UTC'``. All SQL lives in ``transforms/sql/``: ``schema/NNN_*.sql``
(versioned, idempotent, applied in order), ``views/*.sql`` (applied in filename order after the
schema) and ``load/*.sql`` (the statements used here).
"""
from __future__ import annotations

import hashlib
import re
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import polars as pl

SQL_DIR = Path(__file__).resolve().parent / "sql"
SCHEMA_FILE = re.compile(r"^(\d{3})_[\w-]+\.sql$")
LOCK_WAIT_SECONDS = 30.0
T = TypeVar("T")


class WarehouseError(RuntimeError):
    """The database could not be opened, read or written; the message names the file and the fix."""

    cli_exit_code = 1


class QueryError(WarehouseError):
    """The user's SQL is wrong (syntax, unknown table or column, bad parameter)."""

    cli_exit_code = 2


class ExportError(WarehouseError):
    """An export's output path cannot be written (missing permission, a file in the way)."""


# COPY options per export format. Dates and times are ISO 8601 in CSV and JSON Lines
# (the session time zone is UTC); CSV is comma-separated with a header, fields quoted with
# '"' (doubled inside) when needed, nulls as empty fields.
ISO_TIMES = "dateformat '%Y-%m-%d', timestampformat '%Y-%m-%dT%H:%M:%S.%f%z'"
EXPORT_OPTIONS = {
    "csv": f"format csv, header, delimiter ',', quote '\"', escape '\"', {ISO_TIMES}",
    "parquet": "format parquet, compression zstd",
    "jsonl": f"format json, {ISO_TIMES}",
}


@dataclass(frozen=True)
class LoadCounts:
    """What one batch wrote: articles not stored before, copies, claims and comparisons."""

    articles: int = 0
    articles_new: int = 0
    copies: int = 0
    claims: int = 0
    comparisons: int = 0
    failures: int = 0

    def __add__(self, other: LoadCounts) -> LoadCounts:
        return LoadCounts(*(a + b for a, b in zip(self.astuple(), other.astuple(), strict=True)))

    def astuple(self) -> tuple[int, ...]:
        """Return the counts in field order."""
        return (self.articles, self.articles_new, self.copies, self.claims, self.comparisons, self.failures)


@lru_cache(maxsize=None)
def sql_file(relative: str) -> str:
    """Return the text of ``transforms/sql/<relative>`` (e.g. ``"load/upsert_articles.sql"``)."""
    return (SQL_DIR / relative).read_text(encoding="utf-8")


def _say(message: str) -> None:
    print(f"claimtrack: {message}", file=sys.stderr, flush=True)


def _is_lock_error(exc: Exception) -> bool:
    return isinstance(exc, duckdb.IOException) and "lock" in str(exc).lower()


def connect(path: Path, read_only: bool = False, wait: float | None = None,
            on_wait: Callable[[str], None] = _say) -> duckdb.DuckDBPyConnection:
    """Open the database at ``path`` with ``TimeZone`` set to UTC, waiting out another process's lock.

    Retries the lock error with a backoff from 0.05 s up to 1 s for at most ``wait`` seconds,
    telling ``on_wait`` once. Raises ``WarehouseError`` when the file is missing (read-only),
    is not a DuckDB database, or stays locked.
    """
    if read_only and not path.exists():
        raise WarehouseError(f"{path} does not exist; run 'claimtrack run' first or pass --db")
    wait = LOCK_WAIT_SECONDS if wait is None else wait
    deadline, delay, told = time.monotonic() + wait, 0.05, False
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            con.execute("SET TimeZone='UTC'")
            return con
        except duckdb.Error as exc:
            if not _is_lock_error(exc):
                raise WarehouseError(f"cannot open {path}: {exc}; check that it is a claimtrack "
                                     "DuckDB file (or pass another --db)") from exc
            if time.monotonic() + delay > deadline:
                raise WarehouseError(f"{path} is still locked by another process after {wait:.0f} s; "
                                     "wait for the running 'claimtrack run' to finish and retry") from exc
            if not told:
                on_wait(f"{path} is locked by another process (a run is loading); retrying for up to {wait:.0f} s")
                told = True
            time.sleep(delay)
            delay = min(delay * 2, 1.0)


@contextmanager
def opened(path: Path, read_only: bool = False,
           wait: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """Context manager around ``connect``: writers get the schema applied; always closes.

    Raises ``WarehouseError`` when the schema cannot be applied (a damaged database).
    """
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    con = connect(path, read_only=read_only, wait=wait)
    try:
        if not read_only:
            try:
                apply_schema(con)
            except duckdb.Error as exc:
                raise WarehouseError(f"cannot use {path}: {_one_line(exc)}; the file is damaged or not "
                                     "a claimtrack database (restore it or pass another --db)") from exc
        yield con
    finally:
        con.close()


def schema_files() -> list[tuple[int, Path]]:
    """Return ``(version, path)`` of every ``schema/NNN_*.sql`` file, in version order."""
    found = [(int(m.group(1)), p) for p in (SQL_DIR / "schema").glob("*.sql")
             if (m := SCHEMA_FILE.match(p.name))]
    return sorted(found)


def view_files() -> list[Path]:
    """Return every ``views/*.sql`` file in filename order (the order they are created in)."""
    return sorted((SQL_DIR / "views").glob("*.sql"), key=lambda p: p.name)


def apply_schema(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply the schema files not yet recorded in ``schema_version``, then (re)create every view
    when the shipped view files differ from those the database was last given (``view_state``).

    Returns the versions applied now (empty when the database was up to date).
    """
    try:
        applied = {row[0] for row in con.sql(sql_file("load/applied_versions.sql")).fetchall()}
    except duckdb.CatalogException:
        applied = set()
    new = []
    for version, path in schema_files():
        if version not in applied:
            in_transaction(con, lambda: _apply_version(con, version, path))
            new.append(version)
    if new or con.sql(sql_file("load/views_hash.sql")).fetchall() != [(views_hash(),)]:
        for path in view_files():
            con.execute(path.read_text(encoding="utf-8"))
        con.execute(sql_file("load/record_views_hash.sql"), {"views_hash": views_hash()})
    return new


def _apply_version(con: duckdb.DuckDBPyConnection, version: int, path: Path) -> None:
    """Run the schema file ``path`` and record its ``version`` in ``schema_version``."""
    con.execute(path.read_text(encoding="utf-8"))
    con.execute(sql_file("load/record_version.sql"), {"version": version, "name": path.name})


@lru_cache(maxsize=1)
def views_hash() -> str:
    """The sha256 of every ``views/*.sql`` file's name and text, in creation order."""
    digest = hashlib.sha256()
    for path in view_files():
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def load_batch(path: Path, articles: pl.DataFrame, claims: pl.DataFrame, comparisons: pl.DataFrame,
               failures: pl.DataFrame) -> LoadCounts:
    """Write one batch in one transaction: upsert articles, replace their claims and comparisons,
    append failures. Copies (same text as a stored or earlier article) get ``copy_of`` and no claims.

    Frames follow the schemas in ``transforms.normalize``. Nothing is written if any step fails.
    """
    for frame, column in ((claims, "claim_id"), (comparisons, "comparison_id")):
        if frame.height and frame[column].n_unique() < frame.height:
            raise WarehouseError(f"a batch repeats a {column}; nothing was written to {path} (a bug: report it)")
    with opened(path) as con:
        for name, frame in (("staged_articles", articles.with_row_index("pos")), ("staged_claims", claims),
                            ("staged_comparisons", comparisons), ("staged_failures", failures)):
            con.register(name, frame.to_arrow())

        def write() -> tuple[int, int, int, int]:
            con.execute(sql_file("load/resolve_copies.sql"))
            counts = con.sql(sql_file("load/batch_counts.sql")).fetchall()[0]
            for name in ("upsert_articles", "replace_claims", "replace_comparisons", "insert_failures"):
                con.execute(sql_file(f"load/{name}.sql"))
            return counts

        new, copies, n_claims, n_comparisons = in_transaction(con, write)
    return LoadCounts(articles.height, new, copies, n_claims, n_comparisons, failures.height)


def in_transaction(con: duckdb.DuckDBPyConnection, work: Callable[[], T]) -> T:
    """Return ``work()`` run in one transaction on ``con``: committed, or rolled back if it raises."""
    con.execute("begin transaction")
    try:
        result = work()
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return result


def start_run(path: Path, run_id: str, started_at: datetime, sources: str) -> None:
    """Record that run ``run_id`` started (status ``running``); ``sources`` is a JSON list."""
    with opened(path) as con:
        con.execute(sql_file("load/start_run.sql"),
                    {"run_id": run_id, "started_at": started_at, "sources": sources})


def finish_run(path: Path, run_id: str, finished_at: datetime, status: str, counts: LoadCounts) -> None:
    """Close run ``run_id``'s row with its status and counts."""
    with opened(path) as con:
        con.execute(sql_file("load/finish_run.sql"), {
            "run_id": run_id, "finished_at": finished_at, "status": status,
            "articles_read": counts.articles, "articles_new": counts.articles_new,
            "copies": counts.copies, "claims_stored": counts.claims,
            "comparisons_stored": counts.comparisons, "failures": counts.failures,
        })


def query(path: Path, sql: str, params: Mapping[str, Any] | None = None) -> pl.DataFrame:
    """Run ``sql`` (``$name`` parameters from ``params``) read-only; return the rows as a frame.

    Raises ``QueryError`` for a bad statement, ``WarehouseError`` when the file cannot be opened.
    """
    with opened(path, read_only=True) as con:
        try:
            relation = con.sql(sql, params=dict(params) if params else None)
            if relation is None:
                raise QueryError("the statement returns no rows; give a SELECT (the database is opened read-only)")
            return relation.pl()
        except (duckdb.IOException, duckdb.InternalException) as exc:
            raise WarehouseError(f"cannot read {path}: {_one_line(exc)}") from exc
        except duckdb.Error as exc:
            if "corrupt" in str(exc).lower():
                raise WarehouseError(f"cannot read {path}: {_one_line(exc)}; the file is damaged") from exc
            raise QueryError(_one_line(exc)) from exc


def export_csv(path: Path, sql: str, params: Mapping[str, Any] | None, out: Path) -> int:
    """Write the rows of ``sql`` to ``out`` as CSV (header, UTF-8, ISO dates); return the row count."""
    return export(path, sql, params, out, "csv")


def export(path: Path, sql: str, params: Mapping[str, Any] | None, out: Path, fmt: str,
           partition_by: str | None = None) -> int:
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
                raise QueryError(f"cannot partition by '{partition_by}': the rows have no such column "
                                 f"(columns: {', '.join(columns)})")
            options += f", partition_by ({_identifier(partition_by)}){_prepare_folder(out, partition_by)}"
        else:
            _prepare_file(out)
        statement = f"copy ({_statement(sql)}) to $claimtrack_output ({options})"
        try:
            return int(con.execute(statement, {**(params or {}), "claimtrack_output": str(out)}).fetchall()[0][0])
        except duckdb.IOException as exc:
            raise ExportError(f"cannot write {out}: {_one_line(exc)}") from exc
        except duckdb.Error as exc:
            raise QueryError(_one_line(exc)) from exc


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
        raise QueryError(_one_line(exc)) from exc
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


def _one_line(exc: Exception) -> str:
    """Return the first line of a DuckDB error message."""
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def known_articles(path: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Return what a run skips: stored articles (``article_id, url, canonical_url, content_hash``)
    and stored feed validators (``url, etag, last_modified``), in one read of the database."""
    with opened(path) as con:
        return con.sql(sql_file("load/known_articles.sql")).pl(), con.sql(sql_file("load/feed_states.sql")).pl()


def save_feed_states(path: Path, states: pl.DataFrame) -> None:
    """Store feed validators (columns ``url, etag, last_modified``), changing rows only when they differ."""
    if states.height == 0:
        return
    with opened(path) as con:
        con.register("staged_feed_states", states.to_arrow())
        con.execute(sql_file("load/save_feed_states.sql"))


def finish_run_extra(path: Path, run_id: str, articles_seen: int, feeds_unchanged: int) -> None:
    """Record the counts schema version 4 added to run ``run_id``'s row."""
    with opened(path) as con:
        con.execute(sql_file("load/finish_run_extra.sql"), {
            "run_id": run_id, "articles_seen": articles_seen, "feeds_unchanged": feeds_unchanged})


def stale_articles(path: Path, version: str, everything: bool = False) -> list[str]:
    """Return the ids of stored originals extracted by another version than ``version`` (all when
    ``everything``), in id order."""
    params = {"version": version, "all": everything}
    return query(path, sql_file("queries/stale_articles.sql"), params)["article_id"].to_list()


def rows_of(path: Path, table: str, ids: list[str]) -> pl.DataFrame:
    """Return the rows of ``table`` (article_records, claim_records or comparison_records) of ``ids``."""
    names = {"article_records": "articles", "claim_records": "claims", "comparison_records": "comparisons"}
    if table not in names:
        raise ValueError(f"not a stored table: {table}")
    return query(path, sql_file(f"queries/{names[table]}_of.sql"), {"ids": ids})


def replace_article_claims(path: Path, article_ids: list[str], claims: pl.DataFrame,
                           comparisons: pl.DataFrame) -> None:
    """Replace the claims and comparisons of each of ``article_ids`` with its rows in the frames,
    one transaction per article (an article's claims are never half replaced)."""
    with opened(path) as con:
        con.register("staged_claims", claims.to_arrow())
        con.register("staged_comparisons", comparisons.to_arrow())
        statements = _statements(sql_file("load/replace_article_claims.sql"))
        for article_id in article_ids:
            in_transaction(con, lambda: [con.execute(statement, {"article_id": article_id})
                                         for statement in statements])


def _statements(sql: str) -> list[str]:
    """Split a file of ``;``-terminated statements (no ``;`` inside literals) for parameterised execution."""
    return [part.strip() for part in sql.split(";") if part.strip() and not _only_comments(part)]


def _only_comments(part: str) -> bool:
    return all(not line.strip() or line.strip().startswith("--") for line in part.splitlines())
