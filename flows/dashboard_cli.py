"""``claimtrack dashboard``: read the dashboard queries from DuckDB and write one HTML file.

``write_dashboard(db_path, out_path)`` is what both the command and ``claimtrack run
--dashboard`` call. The database is opened read-only (through ``transforms.warehouse``,
which retries another process's lock); the page is rendered by the pure
``transforms.dashboard.render_dashboard``.
"""
from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click
import polars as pl

from flows import DEFAULT_DASHBOARD, default_db
from transforms import warehouse
from transforms.dashboard import DASHBOARD_QUERIES, load_assets, render_dashboard

DEFAULT_OUT = DEFAULT_DASHBOARD


def read_dashboard_frames(db_path: Path) -> dict[str, pl.DataFrame]:
    """Run every query of ``DASHBOARD_QUERIES`` read-only; return ``{name: frame}``.

    :raises warehouse.WarehouseError: the file is missing, locked too long, or lacks the views
        (a database written before the views existed: ``claimtrack run`` recreates them).
    """
    frames = {}
    for name, (filename, params) in DASHBOARD_QUERIES.items():
        sql = warehouse.sql_file(f"queries/{filename}")
        try:
            frames[name] = warehouse.query(db_path, sql, params)
        except warehouse.QueryError as exc:
            raise warehouse.WarehouseError(
                f"{db_path}: dashboard query {filename} failed: {exc}; if a view is missing, "
                "run 'claimtrack run' once to (re)create the views") from exc
    return frames


def write_dashboard(db_path: Path, out_path: Path) -> Path:
    """Write the dashboard of the database at ``db_path`` to ``out_path``; return ``out_path``."""
    frames = read_dashboard_frames(db_path)
    html = render_dashboard(frames, load_assets(), datetime.now(UTC), db_path.name)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(html, encoding="utf-8")
    return out_path


@click.command("dashboard")
@click.option("--db", "db_path", type=click.Path(path_type=Path), default=None,
              help="DuckDB file (default: $CLAIMTRACK_DB, else data/claimtrack.duckdb).")
@click.option("-o", "--output", "out_path", type=click.Path(dir_okay=False, path_type=Path),
              default=DEFAULT_OUT, help="HTML file to write [default: dashboards/claimtrack.html].")
def dashboard_command(db_path: Path | None, out_path: Path) -> None:
    """Write a self-contained HTML dashboard (charts, conflicts, revisions, claims, last run).

    The page inlines every script and style: open it from disk, no network needed.

    Example: claimtrack dashboard --db data/claimtrack.duckdb -o dashboards/claimtrack.html
    """
    path = db_path or default_db()
    try:
        written = write_dashboard(path, out_path)
    except warehouse.WarehouseError as exc:
        raise click.ClickException(str(exc)) from exc
    size = written.stat().st_size / 1e6
    click.echo(f"dashboard written: {written} ({size:.1f} MB); open it in a browser")


if __name__ == "__main__":
    dashboard_command()
