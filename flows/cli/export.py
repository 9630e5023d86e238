"""``claimtrack export``: write a view, filtered, or any query to CSV, Parquet or JSON Lines,
in a file or (``-o -``) on standard output.

Each view has its export query, ``transforms/warehouse/sql/queries/export_<view>.sql``, which takes the
filters as ``$metric``, ``$subject``, ``$source``, ``$since`` and ``$until`` parameters (null
= no filter) and adds the provenance columns the view lacks. With ``--query`` the filters are
parameters of the user's SQL. Nothing a user types is pasted into SQL; the rows are written by
``claimtrack.transforms.warehouse.export`` (one DuckDB ``COPY``); lists and structs are JSON
text in CSV (``claimtrack.cli.output``), as ``claimtrack sql`` prints them.
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path

import click

from claimtrack.cli.options import Command, UsageProblem, db_option, handle_errors, param_option, parse_date, plural
from claimtrack.defaults import default_db

VIEWS = ("series", "claims", "latest", "conflicts", "daily", "sources", "comparison_periods")
FORMATS = ("csv", "parquet", "jsonl")
SUFFIXES = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet", ".jsonl": "jsonl", ".ndjson": "jsonl"}
FILTERS = ("metric", "subject", "source", "since", "until")
PARAMETER = re.compile(r"\$([A-Za-z_]\w*)")
NOT_CODE = re.compile(r"--[^\n]*|'(?:[^']|'')*'")


@click.command("export", cls=Command)
@db_option
@click.option(
    "--view",
    type=click.Choice(VIEWS),
    default="series",
    show_default=True,
    help="The view to export (columns in README.md).",
)
@click.option("--metric", help="Only this metric.")
@click.option("--subject", help="Only this subject (e.g. Russia).")
@click.option("--source", help="Only this source: the reporter (named source, else the site).")
@click.option(
    "--since",
    callback=parse_date,
    metavar="YYYY-MM-DD",
    help="Only figures that refer to this date or later (as_of; claims: period_end, else published).",
)
@click.option("--until", callback=parse_date, metavar="YYYY-MM-DD", help="Only figures up to this date.")
@click.option(
    "--query",
    "user_query",
    metavar="SQL",
    help="Export the rows of this query instead; the filters above become its $metric, "
    "$subject, $source, $since, $until parameters.",
)
@param_option("--query")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="Output format [default: from the suffix of -o (.csv, .parquet, .jsonl), else csv].",
)
@click.option(
    "--partition-by", metavar="COLUMN", help="Parquet only: write a folder of Hive partitions by COLUMN (e.g. metric)."
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path),
    help="File to write, - for standard output (a folder with --partition-by).",
)
@click.option("--force", is_flag=True, help="Replace an existing output file (never a database).")
@handle_errors
def export_command(
    db: Path | None,
    view: str,
    metric: str | None,
    subject: str | None,
    source: str | None,
    since: date | None,
    until: date | None,
    user_query: str | None,
    params: tuple[tuple[str, str], ...],
    fmt: str | None,
    partition_by: str | None,
    output: Path,
    force: bool = False,
) -> None:
    """Write a view's rows, with their provenance columns, to CSV, Parquet or JSON Lines.

    With no filter every row of the view is written. Filters are passed as query parameters.
    CSV: RFC 4180 quoting, UTF-8, a header, ISO dates; nulls are empty fields; lists and
    structs as JSON text. -o - writes to standard output (the count goes to standard error). An
    existing file is replaced only with --force, and a database never; a --query runs read-only,
    like sql.

    \b
    Examples:
      claimtrack export -o series.csv
      claimtrack export --view conflicts --metric personnel_losses --since 2024-01-01 -o conflicts.jsonl
      claimtrack export --view latest -o - | head -3
      claimtrack export --format parquet --partition-by metric -o exports/series
      claimtrack export --query "select * from series where metric = \\$metric" --metric war_duration -o w.csv
    """
    from claimtrack.transforms import warehouse

    db_path = db or default_db()
    filters = {"metric": metric, "subject": subject, "source": source, "since": since, "until": until}
    chosen = output_format(fmt, output, partition_by)
    check_dates(since, until)
    sql, values = export_query(view, user_query, filters, dict(params))
    if metric:
        check_metric(db_path, metric)
    if chosen == "csv":
        sql = warehouse.json_text_query(sql, warehouse.nested_columns(db_path, sql, values))
    if str(output) == "-":
        rows = to_stdout(db_path, sql, values, chosen)
        click.echo(f"wrote {plural(rows, 'row')} to standard output", err=True)
        return
    rows = warehouse.export(db_path, sql, values, output, chosen, partition_by, force)
    click.echo(f"wrote {plural(rows, 'row')} to {output}")


def to_stdout(db: Path, sql: str, values: dict[str, object], fmt: str) -> int:
    """Export the rows to a file in a new temporary folder, copy it to standard output (bytes,
    so Parquet too) and return the row count; the folder is removed."""
    from claimtrack.transforms import warehouse

    with tempfile.TemporaryDirectory(prefix="claimtrack-export-") as folder:
        staged = Path(folder) / f"rows.{fmt}"
        rows = warehouse.export(db, sql, values, staged, fmt)
        sys.stdout.flush()
        with staged.open("rb") as source:
            shutil.copyfileobj(source, sys.stdout.buffer)
        sys.stdout.buffer.flush()
    return rows


def output_format(fmt: str | None, output: Path, partition_by: str | None) -> str:
    """The format to write: ``fmt``, else the one ``output``'s suffix names, else Parquet
    with ``partition_by``, else CSV (a name without a suffix, or ``-``).

    :raises UsageProblem: a suffix that names no format (``.json``, ``.xlsx``), Parquet to a
        terminal, or a partitioned export that is not Parquet or goes to standard output.
    """
    suffix = "" if str(output) == "-" else output.suffix.lower()
    if fmt is None and suffix and suffix not in SUFFIXES:
        known = ", ".join(f"{name} ({', '.join(s for s, f in SUFFIXES.items() if f == name)})" for name in FORMATS)
        raise UsageProblem(f"-o {output}: '{suffix}' is no format export writes; formats: {known}; or give --format")
    chosen = fmt or SUFFIXES.get(suffix) or ("parquet" if partition_by else "csv")
    if partition_by and (chosen != "parquet" or str(output) == "-"):
        raise UsageProblem(f"--partition-by writes Parquet only, not {chosen} to {output}; add --format parquet")
    if str(output) == "-" and chosen == "parquet" and sys.stdout.isatty():
        raise UsageProblem("Parquet is binary: send -o - to a file or a pipe, or give -o FILE.parquet")
    return chosen


def check_dates(since: date | None, until: date | None) -> None:
    """Raise ``UsageProblem`` when ``since`` is after ``until``."""
    if since and until and since > until:
        raise UsageProblem(f"--since {since} is after --until {until}")


def check_metric(db: Path, metric: str) -> None:
    """Raise ``UsageProblem`` naming the known metrics when ``metric`` has no stored claim."""
    from claimtrack.transforms import warehouse

    known = warehouse.query(db, warehouse.sql_file("queries/metrics.sql"))["metric"].to_list()
    if metric not in known:
        listed = ", ".join(known) if known else "none stored yet"
        raise UsageProblem(f"unknown metric '{metric}'; known metrics: {listed}")


def export_query(
    view: str, user_query: str | None, filters: dict[str, object], params: dict[str, str]
) -> tuple[str, dict[str, object]]:
    """Return ``(sql, parameters)`` to export: the view's export query with the five filters
    (null = no filter), or ``user_query`` with ``params`` and the filters given.

    :raises UsageProblem: a filter the query does not use (it would silently do nothing),
        or ``-p`` without ``--query``.
    """
    from claimtrack.transforms import warehouse

    given = {name: value for name, value in filters.items() if value is not None}
    if user_query is None:
        if params:
            raise UsageProblem(
                "-p/--param sets parameters of --query; the views take --metric, "
                "--subject, --source, --since and --until"
            )
        sql = warehouse.sql_file(f"queries/export_{view}.sql")
        _require_used(sql, given, f"--view {view} has no such filter")
        return sql, {name: filters[name] for name in FILTERS if name in used_parameters(sql)}
    _require_used(
        user_query, given, "the --query does not use it; use either --query or the filters, or write $name in the query"
    )
    return user_query, {**params, **given}


def used_parameters(sql: str) -> set[str]:
    """The ``$name`` parameters ``sql`` refers to (outside ``--`` comments and string literals)."""
    return set(PARAMETER.findall(NOT_CODE.sub(" ", sql)))


def _require_used(sql: str, given: dict[str, object], why: str) -> None:
    """Raise ``UsageProblem`` for the first filter in ``given`` that ``sql`` does not use."""
    unused = [name for name in given if name not in used_parameters(sql)]
    if unused:
        raise UsageProblem(f"--{unused[0]} has no effect: {why}")
