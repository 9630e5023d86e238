"""The public views described: ``views.yaml`` (what each view and column means) joined with the
views' own columns and types, read from a database made in memory with the shipped schema.

One source for ``claimtrack tables`` and the README's view tables, so neither can drift from
the SQL: a view column ``views.yaml`` does not describe, or describes but the view lacks, is an
error naming both.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import yaml

from claimtrack.transforms.warehouse.core import WarehouseError
from claimtrack.transforms.warehouse.schema import apply_schema

VIEWS_FILE = Path(str(resources.files("claimtrack.transforms.warehouse"))) / "views.yaml"


@dataclass(frozen=True)
class Column:
    """One column of a public view: its name, DuckDB type and meaning."""

    name: str
    type: str
    meaning: str


@dataclass(frozen=True)
class View:
    """A public view: its name, what one row is, and its columns in order."""

    name: str
    about: str
    columns: tuple[Column, ...]


@cache
def public_views() -> tuple[View, ...]:
    """Every public view of ``views.yaml``, in its order, with the columns the shipped views have.

    :raises WarehouseError: ``views.yaml`` names a view that does not exist, or its columns differ
        from the view's (the message names the view and the columns).
    """
    table = yaml.safe_load(VIEWS_FILE.read_text(encoding="utf-8"))
    con = duckdb.connect()
    try:
        apply_schema(con)
        return tuple(_view(con, name, entry, table) for name, entry in table["views"].items())
    finally:
        con.close()


def _view(con: duckdb.DuckDBPyConnection, name: str, entry: dict[str, Any], table: dict[str, Any]) -> View:
    """One ``View``: ``entry``'s meanings (``same_as`` another view's; empty ones from ``common``)
    matched against the columns DuckDB describes for ``name``."""
    try:
        described = con.sql(f'describe "{name}"').fetchall()
    except duckdb.Error as exc:
        raise WarehouseError(f"{VIEWS_FILE.name}: '{name}' is no view of the schema ({exc})") from exc
    meanings = table["views"][entry["same_as"]]["columns"] if "same_as" in entry else entry["columns"]
    actual = [str(row[0]) for row in described]
    if actual != list(meanings):
        missing, extra = set(actual) - set(meanings), set(meanings) - set(actual)
        raise WarehouseError(
            f"{VIEWS_FILE.name}: view '{name}' has columns {actual}; describe exactly those, in that order "
            f"(undescribed: {sorted(missing)}, no such column: {sorted(extra)})"
        )
    columns = tuple(
        Column(str(row[0]), str(row[1]).lower(), meanings[row[0]] or table["common"][row[0]]) for row in described
    )
    return View(name, entry["about"], columns)
