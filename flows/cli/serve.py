"""``claimtrack serve``: run the pipeline on a schedule with Prefect (``flow.serve``).

Schedules fire only on a real Prefect server, so without ``PREFECT_API_URL`` ``serve`` starts a
local ``prefect server start`` (``claimtrack.local_server``), serves, and stops it on exit (Ctrl-C).
With no SOURCE, every enabled source of the sources file is served: sources with their own
``schedule`` each get a deployment ``claimtrack-<name>`` on that schedule, the others share the
deployment ``claimtrack`` on ``--cron`` (the same deployment ``prefect.yaml`` declares).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from claimtrack.cli.options import Command, db_option, handle_errors
from claimtrack.defaults import default_db
from claimtrack.quiet import quiet_prefect

DEFAULT_CRON = "0 * * * *"
DEPLOYMENT = "claimtrack"


@dataclass(frozen=True)
class Plan:
    """One deployment to serve: its name, cron schedule (or every ``interval`` seconds instead)
    and pipeline parameters."""

    name: str
    cron: str
    parameters: dict[str, Any] = field(default_factory=dict)
    interval: int | None = None

    def when(self) -> str:
        """The schedule in words, for the console."""
        return f"every {self.interval} s" if self.interval else f"on '{self.cron}' (UTC)"


def plan(sources: list[str], sources_file: Path | None, cron: str, db: Path, interval: int | None = None) -> list[Plan]:
    """Return the deployments to serve (see the module docstring); ``interval`` (seconds)
    replaces ``cron`` for the shared deployment. Raises ``SourcesError`` for a malformed
    sources file."""
    from claimtrack.ingest import SOURCES_FILE, load_sources

    common: dict[str, Any] = {"db": str(db)}
    if sources_file:
        common["sources_file"] = str(sources_file)
    if sources:
        return [Plan(DEPLOYMENT, cron, {**common, "sources": sources}, interval)]
    enabled = [s for s in load_sources(sources_file or SOURCES_FILE) if s.enabled]
    own = [Plan(f"{DEPLOYMENT}-{s.name}", s.schedule, {**common, "sources": [s.name]}) for s in enabled if s.schedule]
    rest = [s.name for s in enabled if not s.schedule]
    if rest or not own:
        return [Plan(DEPLOYMENT, cron, {**common, "sources": rest if own else None}, interval), *own]
    return own


def deployments(plans: list[Plan]) -> list[Any]:
    """Turn plans into Prefect ``RunnerDeployment``s of the ``pipeline`` flow, one run at a time
    each (a run that comes due while the last one still runs waits for it)."""
    from prefect.types.entrypoint import EntrypointType

    from claimtrack.pipeline import pipeline

    return [
        pipeline.to_deployment(
            p.name,
            **({"interval": p.interval} if p.interval else {"cron": p.cron}),
            parameters=p.parameters,
            concurrency_limit=1,
            entrypoint_type=EntrypointType.MODULE_PATH,  # the installed module: no "Downloading flow code" from '.'
            description="claimtrack: read the sources into the database",
        )
        for p in plans
    ]


def validate_cron(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """Click callback: a five-field cron expression (checked by Prefect's own schedule model)."""
    from prefect.client.schemas.schedules import CronSchedule

    try:
        CronSchedule(cron=value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a cron expression; e.g. \"0 * * * *\" (hourly)") from None
    return value


@click.command("serve", cls=Command)
@click.argument("sources", nargs=-1)
@db_option
@click.option(
    "--cron",
    default=DEFAULT_CRON,
    show_default=True,
    callback=validate_cron,
    help="Schedule (cron, UTC) of the sources without their own schedule.",
)
@click.option(
    "--interval",
    type=click.IntRange(min=5),
    default=None,
    metavar="SECONDS",
    help="Run every SECONDS seconds instead of on --cron.",
)
@click.option(
    "--sources-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Named sources served when no SOURCE is given [default: data/sources.toml].",
)
@handle_errors
def serve_command(
    sources: tuple[str, ...], db: Path | None, cron: str, interval: int | None, sources_file: Path | None
) -> None:
    """Run the pipeline on a schedule until Ctrl-C, with the Prefect UI showing each run.

    Uses the Prefect server at $PREFECT_API_URL, else starts a local one (stopped on exit).
    Sources with a `schedule` in data/sources.toml keep their own schedule.

    \b
    Examples:
      claimtrack serve                              # every enabled source, hourly
      claimtrack serve --cron "*/15 * * * *" data/samples/ --db news.duckdb
      claimtrack serve --interval 900 samples       # the source named samples, every 15 minutes
    """
    from claimtrack.ingest import SOURCES_FILE, check_sources_file
    from claimtrack.local_server import prefect_api

    check_sources_file(sources_file or SOURCES_FILE, required=sources_file is not None or not sources)
    plans = plan(list(sources), sources_file, cron, db or default_db(), interval)
    quiet_prefect()
    with ctrl_c_stops(), prefect_api() as api_url:
        click.echo(f"Prefect UI (run history): {api_url.removesuffix('/api')}", err=True)
        for p in plans:
            click.echo(f"serving deployment pipeline/{p.name} {p.when()}; Ctrl-C stops", err=True)
        from prefect import serve

        serve(*deployments(plans), print_starting_message=False)
    click.echo("claimtrack serve: stopped", err=True)


@contextmanager
def ctrl_c_stops() -> Iterator[None]:
    """Make a Ctrl-C a clean stop even before Prefect serves (while it loads, or registers the
    deployments: there asyncio's own SIGINT handler cancels the task, and the KeyboardInterrupt
    can surface wrapped in another error; a pydantic serialisation error naming it was seen).
    Such an error, or a KeyboardInterrupt, ends the block quietly; Prefect's runner, once
    serving, stops by itself."""
    try:
        yield
    except KeyboardInterrupt:
        pass
    except Exception as exc:
        if not interrupted(exc):
            raise


def interrupted(exc: BaseException | None) -> bool:
    """Whether ``exc`` is, wraps or names a KeyboardInterrupt or a cancellation."""
    seen = 0
    while exc is not None and seen < 20:
        if isinstance(exc, KeyboardInterrupt | asyncio.CancelledError) or "KeyboardInterrupt" in str(exc):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False
