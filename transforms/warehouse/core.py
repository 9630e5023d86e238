"""What every part of the DuckDB boundary shares: the SQL folder, the errors, and transactions."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TypeVar

import duckdb

SQL_DIR = Path(str(resources.files("claimtrack.transforms.warehouse"))) / "sql"
T = TypeVar("T")


class WarehouseError(RuntimeError):
    """The database could not be opened, read or written; the message names the file and the fix."""


class QueryError(WarehouseError):
    """The user's SQL is wrong (syntax, unknown table or column, bad parameter)."""


class ExportError(WarehouseError):
    """An export's output path cannot be written (missing permission, a file in the way)."""


@cache
def sql_file(relative: str) -> str:
    """Return the text of ``transforms/warehouse/sql/<relative>`` (e.g. ``"load/upsert_articles.sql"``)."""
    return (SQL_DIR / relative).read_text(encoding="utf-8")


def statements_of(sql: str) -> list[str]:
    """Split a file of ``;``-terminated statements (no ``;`` inside literals) for parameterised execution."""
    return [part.strip() for part in sql.split(";") if part.strip() and not _only_comments(part)]


def _only_comments(part: str) -> bool:
    return all(not line.strip() or line.strip().startswith("--") for line in part.splitlines())


def one_line(exc: Exception) -> str:
    """Return a DuckDB error message on one line, with its hints (``Did you mean "series"?``,
    ``Candidate bindings: ...``) and without the ``LINE n:`` pointer that follows a blank line."""
    head = str(exc).strip().split("\n\n")[0]
    lines = [line.strip() for line in head.splitlines() if line.strip() and not line.startswith("LINE ")]
    return " ".join(lines) if lines else type(exc).__name__


def in_transaction(con: duckdb.DuckDBPyConnection, work: Callable[[], T]) -> T:
    """Return ``work()`` run in one transaction on ``con``: committed, or rolled back if it raises.

    When the work runs out of the writer's memory budget it is rolled back and run once more with
    DuckDB's default limit, so a budget never fails a write that fits in memory.
    """
    try:
        return one_transaction(con, work)
    except duckdb.OutOfMemoryException:
        con.execute("reset memory_limit")
        return one_transaction(con, work)


def one_transaction(con: duckdb.DuckDBPyConnection, work: Callable[[], T]) -> T:
    """Return ``work()`` committed in one transaction on ``con``; roll back and re-raise on error."""
    con.execute("begin transaction")
    try:
        result = work()
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return result
