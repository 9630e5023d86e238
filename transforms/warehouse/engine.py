"""Opening the database: every opener gets a DuckDB engine of its own with the file attached, and
waits out another process's lock.

A reader attaches the file read-only and is locked down before it runs a query (``LOCKED_DOWN``,
``sql/load/lock_down.sql``): it can touch nothing but that database, read-only (and the one file
or folder an export writes), so ``claimtrack sql`` cannot copy, attach, install or read anything
else. A writer (row groups of 2,048 rows, one thread, a memory budget) opens only a file that is
new, an empty DuckDB database or a whole claimtrack database (``check_ours``, read-only, before
the first schema step): another application's database or a file cut short is refused with
nothing written to it."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import duckdb

from claimtrack.transforms.warehouse.core import WarehouseError, one_line, sql_file, statements_of
from claimtrack.transforms.warehouse.schema import apply_schema, schema_files

LOCK_WAIT_SECONDS = 30.0


# Writers attach the file with DuckDB's smallest row group, 2,048 rows (the default is 122,880),
# in an engine of their own with one thread and a memory budget. Every load appends a small
# batch and checkpoints on close, and the checkpoint merges the small row groups this leaves
# into full ones, rewriting them whole. With the default size the merged groups double (4,050,
# 8,100, 16,200 ... articles) and so does the memory a checkpoint takes; capped, a merge spans a
# few row groups, and the budget makes DuckDB drop blocks it has written instead of keeping them.
# benchmarks/load_memory.py (articles of 8 KB, 10 claims each), peak RSS at 1,000 / 10,000 /
# 40,000 articles: 182 / 277 / 577 MB before, 175 / 207 / 207 MB with both; the file is 14%
# larger. A write that needs more than the budget runs again without it (core.in_transaction),
# and a checkpoint that could not finish within it is redone without it (_check_in_wal).
# A checkpoint also rewrites a table's last, partly filled row group whole: with texts of 8 KB
# per row that cost up to 42 MB and 147 ms per load until the group was full, so texts are
# stored in pieces (schema 007): 164 / 165 / 168 MB at 1,000 / 10,000 / 20,000 articles.
WRITER_ROW_GROUP_SIZE = 2048
WRITER_MEMORY_LIMIT = "32MB"
CATALOG = "claimtrack"  # the name the attached file takes in every engine
RESTORE = "nothing was written to it: restore it from a copy or pass another --db"
LOCKED_DOWN: dict[str, str | bool | int | float | list[str]] = {  # every engine: no extension is fetched
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
}


def _say(message: str) -> None:
    print(f"claimtrack: {message}", file=sys.stderr, flush=True)


def _is_lock_error(exc: Exception) -> bool:
    return isinstance(exc, duckdb.IOException) and "lock" in str(exc).lower()


def connect(
    path: Path,
    read_only: bool = False,
    wait: float | None = None,
    on_wait: Callable[[str], None] = _say,
    writable: Sequence[Path] = (),
) -> duckdb.DuckDBPyConnection:
    """Open the database at ``path`` with ``TimeZone`` set to UTC, waiting out another process's lock.

    A read-only connection is locked down (see the module docstring); ``writable`` names the
    files or folders (an export's output) its queries may write. Retries the lock error with a
    backoff from 0.05 s up to 1 s for at most ``wait`` seconds, telling ``on_wait`` once. Raises
    ``WarehouseError`` when the file is missing (read-only), is not a DuckDB database, or stays
    locked.
    """
    if read_only and not path.exists():
        raise WarehouseError(f"{path} does not exist; run 'claimtrack run' first or pass --db")
    wait = LOCK_WAIT_SECONDS if wait is None else wait
    deadline, delay, told = time.monotonic() + wait, 0.05, False
    while True:
        try:
            return _reader(path, writable) if read_only else _writer(path)
        except duckdb.Error as exc:
            if not _is_lock_error(exc):
                raise WarehouseError(
                    f"cannot open {path}: {exc}; check that it is a claimtrack DuckDB file (or pass another --db)"
                ) from exc
            if time.monotonic() + delay > deadline:
                raise WarehouseError(
                    f"{path} is still locked by another process after {wait:.0f} s; "
                    "wait for the running 'claimtrack run' to finish and retry"
                ) from exc
            if not told:
                on_wait(f"{path} is locked by another process (a run is loading); retrying for up to {wait:.0f} s")
                told = True
            time.sleep(delay)
            delay = min(delay * 2, 1.0)


def _writer(path: Path) -> duckdb.DuckDBPyConnection:
    """Return a writer on ``path`` within ``WRITER_MEMORY_LIMIT``, or without a limit when
    attaching alone (replaying a WAL left behind) needs more."""
    try:
        return _attach_writer(path, WRITER_MEMORY_LIMIT)
    except duckdb.OutOfMemoryException:
        return _attach_writer(path, None)


def _attach_writer(path: Path, memory_limit: str | None) -> duckdb.DuckDBPyConnection:
    """Return a connection to an engine of its own (one thread, ``memory_limit`` if given, spill
    files in ``<path>.tmp``) with ``path`` attached read-write (created if missing) as its default
    catalog, with row groups of ``WRITER_ROW_GROUP_SIZE`` rows.

    Closing the connection detaches the file, which checkpoints it. Raises ``duckdb.Error`` as
    ``duckdb.connect`` would (a lock held by another process, a file that is not a database).
    """
    config = {**LOCKED_DOWN, "threads": 1, "temp_directory": f"{path}.tmp"}
    if memory_limit is not None:
        config["memory_limit"] = memory_limit
    con = duckdb.connect(config=config)
    try:
        con.execute(f"attach {_literal(str(path))} as {CATALOG} (row_group_size {WRITER_ROW_GROUP_SIZE})")
        con.execute(f"use {CATALOG}")
        con.execute("SET TimeZone='UTC'")
    except duckdb.Error:
        con.close()
        raise
    return con


def _reader(path: Path, writable: Sequence[Path] = ()) -> duckdb.DuckDBPyConnection:
    """Return a connection to an engine of its own with ``path`` attached read-only as its default
    catalog, locked down (``sql/load/lock_down.sql``): only ``writable`` (a file, or a folder and
    what it holds) may be written besides. Raises ``duckdb.Error`` as ``duckdb.connect`` would."""
    con = duckdb.connect(config={**LOCKED_DOWN, "temp_directory": f"{path}.tmp"})
    try:
        con.execute(f"attach {_literal(str(path))} as {CATALOG} (read_only)")
        con.execute(f"use {CATALOG}")
        con.execute("SET TimeZone='UTC'")
        paths = {"paths": [str(path) for path in writable]}
        for statement in statements_of(sql_file("load/lock_down.sql")):
            con.execute(statement, paths if "$paths" in statement else None)
    except duckdb.Error:
        con.close()
        raise
    return con


def _literal(text: str) -> str:
    """``text`` as a quoted SQL string literal (``ATTACH`` takes no parameters)."""
    return "'" + text.replace("'", "''") + "'"


@contextmanager
def opened(
    path: Path, read_only: bool = False, wait: float | None = None, writable: Sequence[Path] = ()
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Context manager around ``connect``: writers open only a file ``check_ours`` accepts and
    get the schema applied; always closes.

    Raises ``WarehouseError`` for a file that is not ours, whose schema cannot be applied (a
    damaged database), or that a write cannot reach (a full disk: the write is rolled back).
    """
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
        check_ours(path, wait)
    con = connect(path, read_only=read_only, wait=wait, writable=writable)
    try:
        if not read_only:
            try:
                apply_schema(con)
            except duckdb.Error as exc:
                raise WarehouseError(
                    f"cannot use {path}: {one_line(exc)}; the file is damaged or not "
                    "a claimtrack database (restore it or pass another --db)"
                ) from exc
        yield con
    except (duckdb.IOException, duckdb.TransactionException) as exc:
        if read_only:
            raise
        raise WarehouseError(
            f"cannot write {path}: {one_line(exc)}; that write was rolled back, nothing of it is "
            "stored: free disk space (or fix the file's permissions) and run again"
        ) from exc
    finally:
        con.close()
        if not read_only:
            _check_in_wal(path)


def wal_of(path: Path) -> Path:
    """The write-ahead log DuckDB keeps beside ``path`` until a checkpoint folds it in."""
    return path.with_name(path.name + ".wal")


def _check_in_wal(path: Path) -> None:
    """Fold a WAL that a writer's close left behind into ``path``, without a memory budget.

    A checkpoint on close that runs out of ``WRITER_MEMORY_LIMIT`` leaves the commits in the WAL
    (nothing is lost: the next opener replays it); this checkpoints them at once instead, so the
    file stays whole and the WAL never grows run after run. When another process holds the file
    by now, this is left to it: its writer's close checkpoints the WAL, and a reader replays it.
    """
    if not wal_of(path).exists():
        return
    try:
        con = connect(path, wait=0)
    except WarehouseError:
        return
    try:
        con.execute("reset memory_limit")
        con.execute("checkpoint")
    finally:
        con.close()


def check_ours(path: Path, wait: float | None = None) -> None:
    """Raise ``WarehouseError`` unless ``path`` is missing, an empty DuckDB database or a whole
    claimtrack database, read read-only before anything is written: another application's
    tables, a schema of a newer claimtrack, or a file shorter than its own header says."""
    if not path.exists():
        return
    con = connect(path, read_only=True, wait=wait)
    try:
        problem = _not_ours(con, path)
    except duckdb.Error as exc:
        problem = f"cannot use {path}: {one_line(exc)}; the file is damaged; {RESTORE}"
    finally:
        con.close()
    if problem:
        raise WarehouseError(problem)


def _not_ours(con: duckdb.DuckDBPyConnection, path: Path) -> str | None:
    """Why the attached ``path`` is not a database claimtrack may write to, or None."""
    tables = [name for (name,) in con.sql(sql_file("queries/catalog_tables.sql")).fetchall()]
    if not tables:
        return None  # an empty DuckDB database: the schema makes it ours
    used, size = con.sql(sql_file("queries/used_bytes.sql")).fetchall()[0][0], path.stat().st_size
    if size < used:
        return f"cannot use {path}: the file is cut short ({size:,} bytes; its blocks need {used:,}); {RESTORE}"
    try:
        applied = con.sql(sql_file("queries/schema_names.sql")).fetchall()
    except (duckdb.CatalogException, duckdb.BinderException):
        applied = []  # no schema_version table, or not ours
    if not applied or applied[0] != (1, "001_tables.sql"):
        shown = ", ".join(tables[:6]) + (", ..." if len(tables) > 6 else "")
        return (
            f"cannot use {path}: it is another application's database (tables {shown}), not claimtrack's; "
            "nothing was written to it: pass another --db"
        )
    known = {path.name for _, path in schema_files()}
    newer = [name for _, name in applied if name not in known]
    if newer:
        return (
            f"cannot use {path}: it was written by a newer claimtrack (schema {newer[0]}); "
            "nothing was written to it: upgrade claimtrack or pass another --db"
        )
    return None
