"""``claimtrack run``: read sources, extract their claims, load them into the database (the
``pipeline`` flow, on Prefect; with ``--dask``, its tasks on a Dask cluster)."""

from __future__ import annotations

import os
import shutil
import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from claimtrack.cli.interrupts import exit_status, interruptible
from claimtrack.cli.options import (
    DEFAULT_PAGE,
    Command,
    db_option,
    debugging,
    handle_errors,
    parse_date,
    parse_html_path,
    plural,
)
from claimtrack.defaults import default_db
from claimtrack.quiet import quiet_dask, quiet_prefect
from claimtrack.scale import require_dask, scale_options
from claimtrack.transforms.rules import display_path

QUERY_HINT = 'claimtrack sql "select metric, value, unit, period_end, source from claims limit 10"'


@click.command("run", cls=Command)
@click.argument("sources", nargs=-1)
@db_option
@click.option(
    "--sources-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Named sources read when no SOURCE is given [default: data/sources.toml].",
)
@click.option(
    "--published",
    callback=parse_date,
    metavar="YYYY-MM-DD",
    help="Publication date of the local files read (overrides what they say).",
)
@click.option(
    "--batch-size",
    type=click.IntRange(1, 10_000),
    default=25,
    show_default=True,
    help="Inputs per batch (one database transaction per batch).",
)
@click.option(
    "--retries",
    type=click.IntRange(0, 10),
    default=None,
    help="Retries per URL on timeouts, 429 and 5xx, with exponential backoff "
    "[default: [fetch] retries in the sources file, else 3].",
)
@click.option(
    "--backoff",
    type=click.FloatRange(0, 600),
    default=None,
    help="Seconds before the first retry; doubles for each further one [default: [fetch] backoff, else 1].",
)
@click.option("--verbose", is_flag=True, help="Show Prefect's INFO logs (task runs, retries).")
@click.option(
    "--dashboard",
    "dashboard_out",
    is_flag=False,
    flag_value=DEFAULT_PAGE,
    default=None,
    callback=parse_html_path,
    metavar="[FILE.html]",
    help="After the run, write the dashboard [FILE default: dashboards/claimtrack.html].",
)
@scale_options
@handle_errors
def run_command(
    sources: tuple[str, ...],
    db: Path | None,
    sources_file: Path | None,
    published: date | None,
    batch_size: int,
    retries: int | None,
    backoff: float | None,
    verbose: bool,
    dashboard_out: Path | None,
    refresh: bool = False,
    dask: str | None = None,
    chunks: int | None = None,
) -> None:
    """Read SOURCES, extract their claims and load them into the database.

    A SOURCE is a .html/.htm/.txt file (or one gzipped, .html.gz), a folder (its pages read
    recursively; its other files counted as skipped), an article URL, an RSS/Atom feed (URL or
    file), or the name of a source in data/sources.toml. With no SOURCE, every enabled source in
    data/sources.toml is read (as shipped: data/samples/).

    \b
    Examples:
      claimtrack run
      claimtrack run data/samples/ --published 2024-11-03 --db news.duckdb
      claimtrack run --dashboard          # then open dashboards/claimtrack.html
    """
    from claimtrack.ingest import SOURCES_FILE, check_arguments, check_sources_file
    from claimtrack.transforms import warehouse

    db_path = db or default_db()
    if dask:
        quiet_dask()  # before Dask loads
        require_dask()  # fail early, before the database is made
    # the whole sources file, then the SOURCE arguments, are checked before Prefect or the database
    check_sources_file(sources_file or SOURCES_FILE, required=sources_file is not None or not sources)
    check_arguments(sources, sources_file or SOURCES_FILE)
    with warehouse.opened(db_path):  # creates the file and schema; fails early on a bad --db
        pass
    parameters = {
        "sources": list(sources) or None,
        "db": str(db_path),
        "published": published,
        "batch_size": batch_size,
        "sources_file": str(sources_file) if sources_file else None,
        "fetch_retries": retries,
        "fetch_backoff": backoff,
        "refresh": refresh,
    }
    with interruptible() as caught:
        try:
            summary = _run_flow(parameters, verbose, dask, chunks)
        except BaseException:
            if caught.signum is None:
                raise
            click.echo(
                f"claimtrack run: stopped by {caught.name}; the batches loaded before it are kept "
                "and the run is marked interrupted in runs",
                err=True,
            )
            sys.exit(exit_status(caught.signum))
    _print_summary(summary)
    if dashboard_out is not None:  # the flow has closed the database
        _write_dashboard(db_path, dashboard_out)
    if nothing_read(summary):
        raise click.ClickException("no input could be read; see the failures above")


def nothing_read(summary: dict[str, Any]) -> bool:
    """Whether every input failed: none was read, none was already stored, no feed was
    unchanged (a rerun that finds everything readable stored has done its work)."""
    done = summary["articles_read"] + summary["articles_seen"] + summary["feeds_unchanged"]
    return bool(summary["failures"]) and not done


def _run_flow(parameters: dict[str, Any], verbose: bool, dask: str | None, chunks: int | None) -> dict[str, Any]:
    """Run the ``pipeline`` flow with ``parameters`` (on the configured Prefect API, else the
    server of ``claimtrack server start``, else a local server of its own,
    ``claimtrack.local_server``; with ``dask``, on Dask in ``chunks`` tasks per batch, see
    ``claimtrack.scale``); return its summary."""
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO" if verbose else "WARNING")  # before Prefect loads
    quiet_prefect()
    from claimtrack.local_server import prefect_api

    debug = debugging()
    with prefect_api(ui=False):
        from claimtrack.pipeline import run_pipeline

        if dask:
            from claimtrack.scale import run_on_dask

            return run_on_dask(dask, chunks, debug, **parameters)
        return run_pipeline(tracebacks=debug, chunks=chunks or 1, **parameters)


def _write_dashboard(db: Path, out: Path) -> None:
    """Write the dashboard of ``db`` to ``out`` and say where it is."""
    from claimtrack.cli.dashboard import write_dashboard

    click.echo(f"dashboard: {display_path(write_dashboard(db, out))}")


def _program() -> str:
    """How the user started claimtrack, for hints: ``.venv/bin/claimtrack`` when not on PATH."""
    typed = sys.argv[0]
    on_path = shutil.which("claimtrack")
    elsewhere = on_path is None or os.path.abspath(typed) != os.path.abspath(on_path)
    return typed if os.path.basename(typed) == "claimtrack" and elsewhere else "claimtrack"


def _outcomes(summary: dict[str, Any]) -> str:
    """``"12 inputs (9 new, 1 new version, 1 copy, 0 already stored, 1 failed)"``: every input
    of the run in exactly one of these."""
    return (
        f"{plural(summary['inputs'], 'input')} ({summary['articles_new']} new, "
        f"{plural(summary['versions'], 'new version')}, {plural(summary['copies'], 'copy', 'copies')}, "
        f"{summary['articles_seen']} already stored, {summary['failures']} failed)"
    )


def _extras(summary: dict[str, Any]) -> str:
    """``", 2 not extracted (language: de 1, fr 1), 2 feeds unchanged"`` (each part only when not
    zero)."""
    by_language = ", ".join(f"{lang} {n}" for lang, n in summary["not_extracted"].items())
    parts = [
        f"{sum(summary['not_extracted'].values())} not extracted (language: {by_language})" if by_language else "",
        plural(summary["feeds_unchanged"], "feed") + " unchanged" if summary["feeds_unchanged"] else "",
    ]
    return "".join(f", {part}" for part in parts if part)


def _skipped(counts: dict[str, int]) -> str:
    """``"skipped 224 files in folders that are not pages (.json 181, ...); ..."``: the files of
    the folders read that are not pages, by suffix (most first), and how to read one."""
    by_suffix = ", ".join(f"{suffix} {n}" for suffix, n in counts.items())
    return (
        f"skipped {plural(sum(counts.values()), 'file')} in folders that are not pages ({by_suffix}); "
        "name one as a SOURCE to read it"
    )


def _print_summary(summary: dict[str, Any]) -> None:
    """Print what the run did and how to query it."""
    db = display_path(Path(summary["db"]))
    db_flag = "" if Path(summary["db"]) == default_db() else f" --db {db}"
    click.echo(
        f"claimtrack run: {_outcomes(summary)}, {plural(summary['claims_stored'], 'claim')} and "
        f"{plural(summary['comparisons_stored'], 'comparison')} stored{_extras(summary)}"
    )
    if summary["files_skipped"]:
        click.echo(_skipped(summary["files_skipped"]))
    click.echo(f"database: {db}")
    if summary["failures"]:
        query = f"select * from failures where run_id = '{summary['run_id']}'"
        click.echo(f'failures: {_program()} sql "{query}"{db_flag}')
    click.echo(f"query it: {_program()}{QUERY_HINT.removeprefix('claimtrack')}{db_flag}")
