"""``claimtrack sql``: run one read-only query and print its rows (formats: ``claimtrack.cli.output``)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import IO

import click

from claimtrack.cli.options import Command, UsageProblem, db_option, handle_errors, param_option
from claimtrack.cli.output import FORMATS, TERMINAL_WIDTH, write_frame
from claimtrack.defaults import default_db


@click.command("sql", cls=Command)
@click.argument("query", required=False)
@click.option(
    "-f",
    "--file",
    "query_file",
    type=click.File("r", encoding="utf-8"),
    help="Read the query from FILE (- for standard input) instead of QUERY.",
)
@db_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--limit", type=click.IntRange(min=0), metavar="N", help="Print at most N rows.")
@click.option(
    "--max-width",
    type=click.IntRange(min=1),
    metavar="N",
    help=f"table: cut values longer than N characters [default: {TERMINAL_WIDTH} on a terminal, else never].",
)
@click.option("--no-truncate", is_flag=True, help="table: never cut values, even on a terminal.")
@param_option("QUERY")
@handle_errors
def sql_command(
    query: str | None,
    query_file: IO[str] | None,
    db: Path | None,
    fmt: str,
    limit: int | None,
    max_width: int | None,
    no_truncate: bool,
    params: tuple[tuple[str, str], ...],
) -> None:
    """Run a read-only SQL QUERY on the database and print the rows.

    QUERY - (or --file FILE) reads the query from standard input (or FILE). Public views:
    `claimtrack tables` lists them with their columns. Lists and structs print as JSON text
    in table, csv, tsv and markdown, nested in json and jsonl.

    \b
    Examples:
      claimtrack sql "select metric, value, unit, period_end, source from claims"
      claimtrack sql "select * from claims where metric = \\$m" -p m war_duration --format csv
      claimtrack sql "select metric, sources from latest" --format tsv --limit 5
      echo "select count(*) as claims from claims" | claimtrack sql - --format json
    """
    from claimtrack.transforms import warehouse

    frame = warehouse.query(db or default_db(), read_query(query, query_file), dict(params), limit)
    width = None if no_truncate else max_width or (TERMINAL_WIDTH if sys.stdout.isatty() else None)
    write_frame(frame, fmt, sys.stdout, width)


def read_query(query: str | None, query_file: IO[str] | None) -> str:
    """The SQL to run: ``query``, standard input for ``-``, or the text of ``query_file``.

    :raises UsageProblem: both or neither given, or an empty query.
    """
    if (query is None) == (query_file is None):
        raise UsageProblem("give the query as QUERY, as - (standard input) or with --file FILE, once")
    if query_file is not None:
        text = query_file.read()
    else:
        text = sys.stdin.read() if query == "-" else str(query)
    if not text.strip():
        raise UsageProblem("the query is empty; give a SELECT")
    return text
