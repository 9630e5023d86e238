"""Time ``claimtrack export`` of every view in every format on a synthetic claims database.

Run it with the project installed (``pip install -e .``), from the repository root:

    python benchmarks/export_speed.py --claims 10000 --db /tmp/claimtrack-synthetic.duckdb

Builds the database with ``synthetic_claims.build`` (replacing the file), then exports each
view unfiltered through ``claimtrack.transforms.warehouse.export`` (the command's code path, one DuckDB
``COPY`` each) as CSV, Parquet, JSON Lines and Parquet partitioned by metric. Prints one line
per view: rows, then best-of-3 milliseconds per format.
"""

from __future__ import annotations

import math
import shutil
import tempfile
import time
from pathlib import Path

import click
from synthetic_claims import build

from claimtrack.cli.export import FILTERS, VIEWS, used_parameters
from claimtrack.transforms import warehouse

FORMATS = (("csv", ".csv", None), ("parquet", ".parquet", None), ("jsonl", ".jsonl", None), ("parquet", "", "metric"))


def time_export(db: Path, view: str, folder: Path, repeat: int = 3) -> tuple[int, list[float]]:
    """Export ``view`` in each of ``FORMATS`` into ``folder``; return (rows, best seconds each)."""
    sql = warehouse.sql_file(f"queries/export_{view}.sql")
    params = {name: None for name in FILTERS if name in used_parameters(sql)}
    rows, seconds = 0, []
    for fmt, suffix, partition in FORMATS:
        if partition and partition not in warehouse.query(db, f"select * from {view} limit 0").columns:
            seconds.append(math.nan)
            continue
        best = math.inf
        for _ in range(repeat):
            out = folder / f"{view}-{fmt}-{partition}{suffix}"
            began = time.perf_counter()
            rows = warehouse.export(db, sql, params, out, fmt, partition, force=True)  # each repeat replaces it
            best = min(best, time.perf_counter() - began)
        seconds.append(best)
    return rows, seconds


@click.command()
@click.option("--claims", "n_claims", default=10_000, show_default=True, help="About how many claims.")
@click.option(
    "--db",
    "db_path",
    type=click.Path(path_type=Path),
    default=Path("/tmp/claimtrack-synthetic.duckdb"),
    show_default=True,
)
def main(n_claims: int, db_path: Path) -> None:
    """Build a synthetic database and print how long exporting each view takes per format.

    Example: python benchmarks/export_speed.py --claims 10000
    """
    build(db_path, n_claims)
    stored = warehouse.query(db_path, "select count(*) as n from claims")["n"][0]
    click.echo(f"{db_path}: {stored:,} claims; best of 3, ms (each includes opening the database)")
    click.echo(f"  {'view':<20} {'rows':>7} {'csv':>8} {'parquet':>8} {'jsonl':>8} {'by metric':>10}")
    folder = Path(tempfile.mkdtemp(prefix="claimtrack-export-"))
    try:
        for view in VIEWS:
            rows, seconds = time_export(db_path, view, folder)
            cells = "".join(f"{s * 1000:>8.1f} " if not math.isnan(s) else f"{'-':>8} " for s in seconds)
            click.echo(f"  {view:<20} {rows:>7,} {cells}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
