"""``claimtrack dashboard``: read the dashboard queries from DuckDB and write one HTML file.

``write_dashboard(db_path, out_path)`` is what both the command and ``claimtrack run
--dashboard`` call. The database is opened read-only (through ``claimtrack.transforms.warehouse``,
which retries another process's lock); the page is rendered by the pure
``claimtrack.transforms.dashboard.render_dashboard``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from claimtrack.cli.options import Command, db_option, handle_errors
from claimtrack.defaults import default_dashboard, default_db

if TYPE_CHECKING:
    import polars as pl


def read_dashboard_frames(db_path: Path) -> dict[str, pl.DataFrame]:
    """Run every query of ``DASHBOARD_QUERIES`` read-only; return ``{name: frame}``.

    :raises warehouse.WarehouseError: the file is missing, locked too long, or lacks the views
        (a database written before the views existed: ``claimtrack run`` recreates them).
    """
    from claimtrack.transforms import warehouse
    from claimtrack.transforms.dashboard import DASHBOARD_QUERIES

    frames = {}
    for name, (filename, params) in DASHBOARD_QUERIES.items():
        sql = warehouse.sql_file(f"queries/{filename}")
        try:
            frames[name] = warehouse.query(db_path, sql, params)
        except warehouse.QueryError as exc:
            raise warehouse.WarehouseError(
                f"{db_path}: dashboard query {filename} failed: {exc}; if a view is missing, "
                "run 'claimtrack run' once to (re)create the views"
            ) from exc
    return frames


def write_dashboard(db_path: Path, out_path: Path) -> Path:
    """Write the dashboard of the database at ``db_path`` to ``out_path``; return ``out_path``."""
    from claimtrack.transforms.dashboard import load_assets, render_dashboard

    frames = read_dashboard_frames(db_path)
    html = render_dashboard(frames, load_assets(), datetime.now(UTC), db_path.name)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(html, encoding="utf-8")
    return out_path


@click.command("dashboard", cls=Command)
@db_option
@click.option(
    "-o",
    "--output",
    "out_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="HTML file to write [default: dashboards/claimtrack.html].",
)
@handle_errors
def dashboard_command(db: Path | None, out_path: Path | None) -> None:
    """Write a self-contained HTML dashboard (charts, conflicts, revisions, claims, last run).

    The page inlines every script and style: open it from disk, no network needed.

    \b
    Examples:
      claimtrack dashboard
      claimtrack dashboard --db data/claimtrack.duckdb -o dashboards/claimtrack.html
    """
    written = write_dashboard(db or default_db(), out_path or default_dashboard())
    size = written.stat().st_size / 1e6
    click.echo(f"dashboard written: {written} ({size:.1f} MB); open it in a browser")
