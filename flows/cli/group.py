"""The ``claimtrack`` command group; each subcommand is a module of this package (``run``,
``serve``, ``server``, ``reextract``, ``sql``, ``tables``, ``export``, ``extract``, ``dashboard``,
``rules``), its shared options and error handling are in ``options``.

Command modules import Prefect, DuckDB and the extractor only when their command runs, so
``claimtrack extract`` (the machine interface used for evaluation) starts fast.
"""

from __future__ import annotations

from typing import Any

import click

from claimtrack.cli.dashboard import dashboard_command
from claimtrack.cli.export import export_command
from claimtrack.cli.extract import extract_command
from claimtrack.cli.options import Command, OneLineUsage, one_line_usage
from claimtrack.cli.reextract import reextract_command
from claimtrack.cli.rules import rules_check_command
from claimtrack.cli.run import run_command
from claimtrack.cli.serve import serve_command
from claimtrack.cli.server import server_group
from claimtrack.cli.sql import sql_command
from claimtrack.cli.tables import tables_command


class Group(OneLineUsage, click.Group):
    """The claimtrack group: subcommands are ``Command``; usage errors print as one line."""

    command_class = Command

    def resolve_command(self, ctx: click.Context, args: list[str]) -> Any:
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError as exc:
            raise one_line_usage(exc) from None


def print_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """Click callback of ``--version``: the package's version, the extractor's version (recorded
    with every claim) and the fingerprint of the rule tables this copy carries."""
    if not value or ctx.resilient_parsing:
        return
    from claimtrack import __version__
    from claimtrack.transforms.model import EXTRACTOR_VERSION
    from claimtrack.transforms.rules import rules_fingerprint

    click.echo(f"claimtrack {__version__} (extractor {EXTRACTOR_VERSION}, rules {rules_fingerprint()})")
    ctx.exit()


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show full tracebacks on errors.")
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=print_version,
    help="Show the version, the extractor's version and the rule tables' fingerprint, and exit.",
)
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Track dated numeric claims reported in news, as a queryable history in DuckDB.

    \b
    Examples:
      claimtrack run                      # the sources in data/sources.toml (the bundled sample)
      claimtrack sql "select metric, value, unit, period_end, source from claims"
    """
    ctx.obj = {"debug": debug}


for _command in (
    run_command,
    serve_command,
    server_group,
    reextract_command,
    sql_command,
    tables_command,
    export_command,
    extract_command,
    dashboard_command,
    rules_check_command,
):
    main.add_command(_command)
main.add_command(tables_command, "schema")
