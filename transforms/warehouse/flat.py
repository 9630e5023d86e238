"""Nested columns as JSON text, for the export formats that hold only flat values (CSV).

``claimtrack sql`` and ``claimtrack export`` print a list (``latest.sources``) or a struct the
same way in every flat format: as compact JSON text (``["ISW","Kyiv Independent"]``), which any
CSV reader keeps in one field and any JSON parser reads back. JSON Lines and Parquet keep them
nested.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from claimtrack.transforms.warehouse.engine import opened
from claimtrack.transforms.warehouse.exports import _columns, _identifier, _statement

NESTED = frozenset({"list", "struct", "map", "array", "union"})  # DuckDBPyType.id of nested types


def nested_columns(path: Path, sql: str, params: Mapping[str, Any] | None = None) -> list[str]:
    """The names of the columns of ``sql``'s rows that hold lists, structs, maps, arrays or unions
    (no rows are read). Raises ``QueryError`` for bad SQL or more than one statement,
    ``WarehouseError`` for a bad file."""
    with opened(path, read_only=True) as con:
        _columns(con, path, sql, params)  # one SELECT, else the QueryError the export itself gives
        cursor = con.execute(f"select * from ({_statement(sql)}) limit 0", dict(params) if params else None)
        return [name for name, kind, *_ in cursor.description or [] if getattr(kind, "id", "") in NESTED]


def json_text_query(sql: str, columns: list[str]) -> str:
    """``sql`` with each of ``columns`` replaced by its compact JSON text (``sql`` itself when
    ``columns`` is empty): one SELECT, to nest in an export's ``COPY``."""
    if not columns:
        return sql
    replaced = ", ".join(f"to_json({_identifier(c)})::varchar as {_identifier(c)}" for c in columns)
    return f"select * replace ({replaced}) from ({_statement(sql)})"
