"""The ``claimtrack`` command: ``run``, ``sql`` and ``extract`` here; ``export`` and
``dashboard`` (and other ``LAZY_COMMANDS``) in their own modules, imported when used.

Options are parsed here and the work is done by ``transforms`` and ``flows.pipeline``. Prefect
is imported only by ``run`` and DuckDB only by ``run``, ``sql`` and ``export``, so ``extract``
(the machine interface used for evaluation) starts fast. Errors print one line, ``Error: ...``,
and exit 2 for usage errors, 1 for runtime errors; ``claimtrack --debug ...`` shows tracebacks.
"""
from __future__ import annotations

import functools
import importlib
import json
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import IO, Any, TypeVar

import click

from flows import DEFAULT_DASHBOARD, default_db
from flows.scale import scale_options
from transforms.rules import display_path

F = TypeVar("F", bound=Callable[..., Any])
# Commands defined in other modules, imported only when used (keeps `extract` light).
LAZY_COMMANDS = {"dashboard": "flows.dashboard_cli:dashboard_command",
                 "export": "flows.export_cli:export_command",
                 "rules-check": "flows.rules_cli:rules_check_command",
                 "reextract": "flows.reextract_cli:reextract_command",
                 "serve": "flows.serve_cli:serve_command"}
QUERY_HINT = 'claimtrack sql "select metric, value, unit, period_end, source from claims limit 10"'


class UsageProblem(click.ClickException):
    """A usage error found after parsing (bad SQL, unknown metric): one line, exit status 2."""

    exit_code = 2


def _bare(exc: click.UsageError) -> click.UsageError:
    """Turn click's usage block into one line: the error plus where to find help."""
    if exc.ctx is None:
        return exc
    return click.UsageError(f"{exc.format_message().rstrip('. ')} (see '{exc.ctx.command_path} --help')")


class OneLineUsage:
    """Mixin for click commands: usage errors found while parsing print as one line."""

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)  # type: ignore[misc]
        except click.UsageError as exc:
            raise _bare(exc) from None


class Command(OneLineUsage, click.Command):
    """A claimtrack subcommand."""


class Group(OneLineUsage, click.Group):
    """The claimtrack group: subcommands are ``Command``; usage errors print as one line;
    ``LAZY_COMMANDS`` are imported when first used."""

    command_class = Command

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(LAZY_COMMANDS))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is None and cmd_name in LAZY_COMMANDS:
            module, _, name = LAZY_COMMANDS[cmd_name].partition(":")
            command = getattr(importlib.import_module(module), name)
        return command

    def resolve_command(self, ctx: click.Context, args: list[str]) -> Any:
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError as exc:
            raise _bare(exc) from None


def handle_errors(func: F) -> F:
    """Map library errors to one-line click errors; with ``--debug``, let tracebacks through.

    Errors whose class sets ``cli_exit_code`` (and the rule loader's ``RuleError``) carry a
    message written for users and print as it is; anything else is shown with its type.
    """
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from transforms.rules import RuleError

        debug = bool((click.get_current_context().find_root().obj or {}).get("debug"))
        try:
            return func(*args, **kwargs)
        except click.ClickException:
            raise
        except BrokenPipeError:  # the reader went away (| head): stop quietly
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(1)
        except Exception as exc:
            if debug:
                raise
            code = getattr(exc, "cli_exit_code", 1 if isinstance(exc, RuleError) else None)
            if code is None:
                message = f"{type(exc).__name__}: {exc} (rerun with 'claimtrack --debug ...' for the traceback)"
                raise click.ClickException(message) from exc
            raise (UsageProblem if code == 2 else click.ClickException)(str(exc)) from exc
    return wrapper  # type: ignore[return-value]


def parse_date(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    """Click callback: an ISO ``YYYY-MM-DD`` date, or None."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date; use YYYY-MM-DD") from None


def parse_html_path(ctx: click.Context, param: click.Parameter, value: str | None) -> Path | None:
    """Click callback: a path ending in .html/.htm (so a SOURCE is not taken for it), or None."""
    if value is None:
        return None
    if not value.lower().endswith((".html", ".htm")):
        raise click.BadParameter(f"'{value}' does not end in .html; give SOURCES before --dashboard")
    return Path(value)


def db_option(func: F) -> F:
    """The shared ``--db`` option."""
    return click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=None,
                        help="DuckDB file [default: $CLAIMTRACK_DB, else data/claimtrack.duckdb]")(func)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show full tracebacks on errors.")
@click.version_option(package_name="claimtrack")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Track dated numeric claims reported in news, as a queryable history in DuckDB.

    \b
    Example:
      claimtrack run                      # the sources in data/sources.toml (the bundled sample)
      claimtrack sql "select metric, value, unit, period_end, source from claims"
    """
    ctx.obj = {"debug": debug}


@main.command()
@click.argument("sources", nargs=-1)
@db_option
@click.option("--sources-file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Named sources read when no SOURCE is given [default: data/sources.toml].")
@click.option("--published", callback=parse_date, metavar="YYYY-MM-DD",
              help="Publication date of the local files read (overrides what they say).")
@click.option("--batch-size", type=click.IntRange(1, 10_000), default=25, show_default=True,
              help="Inputs per batch (one database transaction per batch).")
@click.option("--retries", type=click.IntRange(0, 10), default=None,
              help="Retries per URL on timeouts, 429 and 5xx, with exponential backoff "
                   "[default: [fetch] retries in the sources file, else 3].")
@click.option("--backoff", type=click.FloatRange(0, 600), default=None,
              help="Seconds before the first retry; doubles for each further one [default: [fetch] backoff, else 1].")
@click.option("--verbose", is_flag=True, help="Show Prefect's INFO logs (task runs, retries).")
@click.option("--dashboard", "dashboard_out", is_flag=False, flag_value=str(DEFAULT_DASHBOARD), default=None,
              callback=parse_html_path, metavar="[FILE.html]",
              help="After the run, write the dashboard [FILE default: dashboards/claimtrack.html].")
@scale_options
@handle_errors
def run(sources: tuple[str, ...], db: Path | None, sources_file: Path | None, published: date | None,
        batch_size: int, retries: int | None, backoff: float | None, verbose: bool, dashboard_out: Path | None,
        refresh: bool = False, dask: str | None = None, chunks: int | None = None) -> None:
    """Read SOURCES, extract their claims and load them into the database.

    A SOURCE is a .html/.htm/.txt file, a folder (read recursively), an article URL, an
    RSS/Atom feed (URL or file), or the name of a source in data/sources.toml. With no SOURCE,
    every enabled source in data/sources.toml is read (as shipped: data/samples/).

    \b
    Example:
      claimtrack run
      claimtrack run data/samples/ https://example.org/feed.xml --db news.duckdb
      claimtrack run --dashboard          # then open dashboards/claimtrack.html
    """
    from flows.sources import SOURCES_FILE, load_sources
    from transforms import warehouse

    db_path = db or default_db()
    if not sources:
        load_sources(sources_file or SOURCES_FILE)  # fail early, before Prefect starts
    with warehouse.opened(db_path):  # creates the file and schema; fails early on a bad --db
        pass
    scale = {"refresh": refresh, "dask": dask, "chunks": chunks}
    summary = _run_flow(list(sources), db_path, sources_file, published, batch_size, retries, backoff, verbose, scale)
    _print_summary(summary)
    if dashboard_out is not None:  # the flow has closed the database
        _write_dashboard(db_path, dashboard_out)
    if summary["failures"] and not summary["articles_read"]:
        raise click.ClickException("no input could be read; see the failures above")


def _run_flow(sources: list[str], db: Path, sources_file: Path | None, published: date | None,
              batch_size: int, retries: int | None, backoff: float | None, verbose: bool,
              scale: dict[str, Any] | None = None) -> dict[str, Any]:
    """Run the Prefect flow (temporary server unless PREFECT_API_URL is set; with ``scale["dask"]``,
    on Dask, see ``flows.scale``); return its summary."""
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO" if verbose else "WARNING")  # before Prefect loads
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from flows.pipeline import run_pipeline

    debug = bool((click.get_current_context().find_root().obj or {}).get("debug"))
    scale = dict(scale or {})
    dask, chunks = scale.pop("dask", None), scale.pop("chunks", None)
    parameters = {"sources": sources or None, "db": str(db), "published": published, "batch_size": batch_size,
                  "sources_file": str(sources_file) if sources_file else None,
                  "fetch_retries": retries, "fetch_backoff": backoff, **scale}
    if dask:
        from flows.scale import run_on_dask

        return run_on_dask(dask, chunks, debug, **parameters)
    return run_pipeline(tracebacks=debug, chunks=chunks or 1, **parameters)


def _write_dashboard(db: Path, out: Path) -> None:
    """Write the dashboard of ``db`` to ``out`` and say where it is."""
    from flows.dashboard_cli import write_dashboard

    click.echo(f"dashboard: {display_path(write_dashboard(db, out))}")


def _program() -> str:
    """How the user started claimtrack, for hints: ``.venv/bin/claimtrack`` when not on PATH."""
    typed = sys.argv[0]
    on_path = shutil.which("claimtrack")
    elsewhere = on_path is None or os.path.abspath(typed) != os.path.abspath(on_path)
    return typed if os.path.basename(typed) == "claimtrack" and elsewhere else "claimtrack"


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else plural or word + 's'}"


def _skipped(summary: dict[str, Any]) -> str:
    """``"12 already stored, 2 feeds unchanged, "`` (each part only when not zero)."""
    parts = [f"{summary['articles_seen']} already stored" if summary["articles_seen"] else "",
             _plural(summary["feeds_unchanged"], "feed") + " unchanged" if summary["feeds_unchanged"] else ""]
    return "".join(f"{part}, " for part in parts if part)


def _print_summary(summary: dict[str, Any]) -> None:
    """Print what the run did and how to query it."""
    db = display_path(Path(summary["db"]))
    db_flag = "" if Path(summary["db"]) == default_db() else f" --db {db}"
    click.echo(f"claimtrack run: {_plural(summary['articles_read'], 'article')} read "
               f"({summary['articles_new']} new, {_plural(summary['copies'], 'copy', 'copies')}), "
               f"{_skipped(summary)}"
               f"{_plural(summary['claims_stored'], 'claim')} and "
               f"{_plural(summary['comparisons_stored'], 'comparison')} stored, "
               f"{_plural(summary['failures'], 'failure')}")
    click.echo(f"database: {db}")
    if summary["failures"]:
        query = f"select * from failures where run_id = '{summary['run_id']}'"
        click.echo(f'failures: {_program()} sql "{query}"{db_flag}')
    click.echo(f"query it: {_program()}{QUERY_HINT.removeprefix('claimtrack')}{db_flag}")


@main.command()
@click.argument("query")
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("-p", "--param", "params", nargs=2, multiple=True, metavar="NAME VALUE",
              help="Value of a $NAME parameter in QUERY (repeatable).")
@handle_errors
def sql(query: str, db: Path | None, fmt: str, params: tuple[tuple[str, str], ...]) -> None:
    """Run a read-only SQL QUERY on the database and print the rows.

    Public views (columns in README.md): articles, claims, comparisons, series, latest,
    known_on(d), daily, conflicts, sources, comparison_periods; also runs and failures.

    \b
    Example:
      claimtrack sql "select metric, value, unit, period_end, source from claims"
      claimtrack sql "select * from claims where metric = \\$m" -p m treason_convictions --format csv
    """
    from transforms import warehouse

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
        with pl.Config(tbl_rows=-1, tbl_cols=-1, fmt_str_lengths=60, tbl_width_chars=10_000,
                       tbl_hide_dataframe_shape=True, tbl_hide_column_data_types=True,
                       tbl_formatting="ASCII_MARKDOWN"):
            out.write(f"{frame}\n({frame.height} rows)\n")


@main.command()
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--input", "docs", type=click.File("r", encoding="utf-8"), metavar="DOCS.jsonl",
              help='One {"id", "published", "text"} object per line; - reads standard input.')
@click.option("--published", callback=parse_date, metavar="YYYY-MM-DD",
              help="Publication date of the FILES (and of documents that give none).")
@click.option("--quantities", is_flag=True, help="Print every quantity mention, not only claims.")
@click.option("--comparisons", is_flag=True, help="Print comparison records instead of claims.")
@handle_errors
def extract(files: tuple[Path, ...], docs: IO[str] | None, published: date | None,
            quantities: bool, comparisons: bool) -> None:
    """Print the claims of FILES or of --input documents, one JSON record per line.

    Records follow CLAIMS_SPEC.md; doc is the input's id, or the file name without its
    extension; offsets index into the given text (for .html files, into their main text).
    No Prefect and no database are involved.

    \b
    Example:
      claimtrack extract data/samples/seed_article.txt --published 2024-11-03
      claimtrack extract --input docs.jsonl > predictions.jsonl
    """
    if not files and docs is None:
        raise UsageProblem("give FILE arguments or --input DOCS.jsonl (see 'claimtrack extract --help')")
    from transforms import claims as extractor

    pick = (extractor.extract_comparisons if comparisons
            else extractor.extract_quantities if quantities else extractor.extract_claims)
    out = sys.stdout
    for doc_id, text, day in _documents(files, docs, published):
        for record in pick(text, day):
            out.write(json.dumps(record.to_record(doc_id), ensure_ascii=False) + "\n")
    out.flush()


def _documents(files: tuple[Path, ...], docs: IO[str] | None,
               published: date | None) -> Iterator[tuple[str, str, date | None]]:
    """Yield ``(doc id, text, publication date)`` for each file, then each JSONL document."""
    from flows.sources import read_local
    from transforms.text import html_to_text, plain_to_text, resolve_published

    for path in files:
        html = path.suffix.lower() in (".html", ".htm", ".xhtml")
        try:
            data = read_local(path)
            page = html_to_text(data, path.resolve().as_uri()) if html else plain_to_text(data)
        except (OSError, ValueError) as exc:
            raise click.ClickException(f"{path}: cannot read text: {getattr(exc, 'strerror', None) or exc}") from exc
        page = resolve_published(page, given=published)
        yield path.stem, page.text, page.published
    if docs is not None:
        yield from _jsonl_documents(docs, published)


def _jsonl_documents(docs: IO[str], published: date | None) -> Iterator[tuple[str, str, date | None]]:
    """Yield the documents of a DOCS.jsonl stream; a malformed line is a usage error."""
    name = "<stdin>" if docs.name in ("<stdin>", "-") else docs.name
    for number, line in enumerate(docs, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            text, doc_id = record["text"], str(record["id"])
            day = date.fromisoformat(record["published"]) if record.get("published") else published
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise UsageProblem(f"{name} line {number}: {_jsonl_problem(exc)}; each line must be one "
                               '{"id", "published": "YYYY-MM-DD", "text"} object') from None
        yield doc_id, text, day


def _jsonl_problem(exc: Exception) -> str:
    """Describe what is wrong with one JSONL line."""
    if isinstance(exc, json.JSONDecodeError):
        return f"not valid JSON ({exc.msg})"
    if isinstance(exc, KeyError):
        return f"missing key {exc}"
    return f"bad value ({exc})"


if __name__ == "__main__":
    sys.exit(main())
