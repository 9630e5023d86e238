"""What every ``claimtrack`` command shares: the command class, the shared options and
callbacks, and the error handling (one line, ``Error: ...``; exit 2 for usage errors, 1 for
runtime errors; ``claimtrack --debug ...`` shows tracebacks)."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


class UsageProblem(click.ClickException):
    """A usage error found after parsing (bad SQL, unknown metric): one line, exit status 2."""

    exit_code = 2


def one_line_usage(exc: click.UsageError) -> click.UsageError:
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
            raise one_line_usage(exc) from None


class Command(OneLineUsage, click.Command):
    """A claimtrack subcommand."""


def exit_status(exc: Exception) -> int | None:
    """The exit status of a library error whose message is written for users: 2 when the user's
    input is wrong (a malformed sources file or ``[fetch]`` table, bad SQL), 1 when the work
    failed (a broken rule table, an unreadable database, a text too large, no Prefect server);
    None for any other error (a bug, shown with its type). Imported here, on the error path only,
    so a command that succeeds imports none of them."""
    from claimtrack import ingest
    from claimtrack.local_server import ServerError
    from claimtrack.transforms import claims, warehouse
    from claimtrack.transforms.rules import RuleError

    statuses: tuple[tuple[type[Exception], int], ...] = (
        (ingest.SourcesError, 2),
        (ingest.FetchSettingsError, 2),
        (warehouse.QueryError, 2),
        (warehouse.WarehouseError, 1),
        (claims.ExtractionLimit, 1),
        (RuleError, 1),
        (ServerError, 1),
    )
    return next((status for kind, status in statuses if isinstance(exc, kind)), None)


def handle_errors(func: F) -> F:
    """Map library errors to one-line click errors (``exit_status``); with ``--debug``, let
    tracebacks through. A library error written for users prints as it is; anything else is
    shown with its type."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        debug = debugging()
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
            code = exit_status(exc)
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


DEFAULT_PAGE = "(default)"  # the value of a bare --dashboard: see parse_html_path


def parse_html_path(ctx: click.Context, param: click.Parameter, value: str | None) -> Path | None:
    """Click callback: a path ending in .html/.htm (so a SOURCE is not taken for it), the default
    dashboard page for ``DEFAULT_PAGE``, or None."""
    if value is None:
        return None
    if value == DEFAULT_PAGE:
        from claimtrack.defaults import default_dashboard

        return default_dashboard()
    if not value.lower().endswith((".html", ".htm")):
        raise click.BadParameter(f"'{value}' does not end in .html; give SOURCES before --dashboard")
    return Path(value)


def param_option(what: str) -> Callable[[F], F]:
    """The shared ``-p/--param NAME VALUE`` option: values of the ``$NAME`` parameters of ``what``."""
    return click.option(
        "-p",
        "--param",
        "params",
        nargs=2,
        multiple=True,
        metavar="NAME VALUE",
        help=f"Value of a $NAME parameter in {what} (repeatable).",
    )


def db_option(func: F) -> F:
    """The shared ``--db`` option (None when not given: the command uses ``default_db()``)."""
    return click.option(
        "--db",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="DuckDB file [default: $CLAIMTRACK_DB, else data/claimtrack.duckdb]",
    )(func)


def plural(count: int, word: str, plural_form: str | None = None) -> str:
    """``"1 claim"``, ``"2 claims"`` (``plural_form`` when adding "s" is wrong)."""
    return f"{count} {word if count == 1 else plural_form or word + 's'}"


def debugging() -> bool:
    """Whether ``claimtrack --debug`` was given (full tracebacks)."""
    return bool((click.get_current_context().find_root().obj or {}).get("debug"))
