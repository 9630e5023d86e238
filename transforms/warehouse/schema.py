"""The schema files (``sql/schema/NNN_*.sql``, each applied once) and the views (``sql/views/*.sql``,
recreated when their files change)."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache, partial
from pathlib import Path

import duckdb

from claimtrack.transforms.warehouse.core import SQL_DIR, in_transaction, sql_file

SCHEMA_FILE = re.compile(r"^(\d{3})_[\w-]+\.sql$")


def schema_files() -> list[tuple[int, Path]]:
    """Return ``(version, path)`` of every ``schema/NNN_*.sql`` file, in version order."""
    found = [(int(m.group(1)), p) for p in (SQL_DIR / "schema").glob("*.sql") if (m := SCHEMA_FILE.match(p.name))]
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
            in_transaction(con, partial(_apply_version, con, version, path))
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
