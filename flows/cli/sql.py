"""``claimtrack sql``: run one read-only query and print a table, CSV or a JSON array."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import IO, Any

import click

from claimtrack.cli.options import Command, db_option, handle_errors, param_option
from claimtrack.defaults import default_db


@click.command("sql", cls=Command)
@click.argument("query")
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@param_option("QUERY")
@handle_errors
def sql_command(query: str, db: Path | None, fmt: str, params: tuple[tuple[str, str], ...]) -> None:
    """Run a read-only SQL QUERY on the database and print the rows.

    Public views (columns in README.md): articles, claims, comparisons, series, latest,
    known_on(d), daily, conflicts, sources, comparison_periods; also runs and failures.

    \b
    Example:
      claimtrack sql "select metric, value, unit, period_end, source from claims"
      claimtrack sql "select * from claims where metric = \\$m" -p m treason_convictions --format csv
    """
    from claimtrack.transforms import warehouse

    frame = warehouse.query(db or default_db(), query, dict(params))
    _write_frame(frame, fmt, sys.stdout)


def _iso(value: Any) -> str:
    """JSON fallback: dates and times as ISO 8601, anything else as its string."""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _write_frame(frame: Any, fmt: str, out: IO[str]) -> None:
    """Write a polars frame as an aligned table, CSV or a JSON array (ISO dates)."""
    import polars as pl

    if fmt == "csv":
        out.write(frame.write_csv(date_format="%Y-%m-%d"))
    elif fmt == "json":
        out.write(json.dumps(frame.to_dicts(), default=_iso, ensure_ascii=False) + "\n")
    else:
        with pl.Config(
            tbl_rows=-1,
            tbl_cols=-1,
            fmt_str_lengths=60,
            tbl_width_chars=10_000,
            tbl_hide_dataframe_shape=True,
            tbl_hide_column_data_types=True,
            tbl_formatting="ASCII_MARKDOWN",
        ):
            out.write(f"{frame}\n({frame.height} rows)\n")
