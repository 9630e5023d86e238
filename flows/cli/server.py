"""``claimtrack server start|stop|status``: the long-lived local Prefect server (``claimtrack.server``)."""

from __future__ import annotations

import click

from claimtrack.cli.options import Command, OneLineUsage, handle_errors

NOT_RUNNING = 3  # the exit status of ``status`` when no server runs (as LSB init scripts)


class ServerGroup(OneLineUsage, click.Group):
    """The ``server`` subcommands; usage errors print as one line."""

    command_class = Command


@click.group("server", cls=ServerGroup)
def server_group() -> None:
    """A local Prefect server that later runs reuse (no ~10 s start-up each) and whose UI shows them.

    \b
    Examples:
      claimtrack server start
      claimtrack server status
      claimtrack server stop
    """


@server_group.command("start")
@handle_errors
def start_command() -> None:
    """Start the local Prefect server in the background (once); run, serve and --dask use it.

    \b
    Examples:
      claimtrack server start
    """
    from claimtrack.quiet import quiet_prefect
    from claimtrack.server import server_dir, start

    quiet_prefect()
    state, started = start()
    click.echo(f"Prefect server {'started' if started else 'already running'}: UI {state.ui_url} (pid {state.pid})")
    if started:
        click.echo(f"claimtrack run and serve now report to it; history in {server_dir() / 'home'}")
        click.echo("stop it with: claimtrack server stop")


@server_group.command("stop")
@handle_errors
def stop_command() -> None:
    """Stop the local Prefect server that `claimtrack server start` started.

    \b
    Examples:
      claimtrack server stop
    """
    from claimtrack.server import stop

    state = stop()
    click.echo(f"Prefect server at {state.ui_url} stopped" if state else "no Prefect server was running")


@server_group.command("status")
@handle_errors
def status_command() -> None:
    """Say whether the local Prefect server runs, and where (exit status 3 when it does not).

    \b
    Examples:
      claimtrack server status
    """
    from claimtrack.server_state import running_server

    state = running_server()
    if state is None:
        click.echo("no Prefect server is running; start one with: claimtrack server start")
        raise SystemExit(NOT_RUNNING)
    click.echo(
        f"Prefect server running: UI {state.ui_url}, API {state.api_url} (pid {state.pid}, since {state.started})"
    )
