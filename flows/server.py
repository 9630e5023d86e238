"""A long-lived local Prefect server that claimtrack starts on request and later commands reuse.

Without ``PREFECT_API_URL``, a one-off ``claimtrack run`` pays Prefect's temporary server (most
of the ~10 s a run of the sample takes) and ``serve``/``--dask`` start a server of their own.
``claimtrack server start`` instead starts ``prefect server start`` once, detached (its own
session: it outlives the command), on a free 127.0.0.1 port, with its ``PREFECT_HOME`` (run
history), log and state file (pid, port, API URL) in ``<user data folder>/prefect-server/``.
``run``, ``serve`` and ``run --dask`` use it while it answers (``use_running_server``), so the
UI it serves shows every run; ``claimtrack server stop`` stops it. ``PREFECT_API_URL``, when
set, always wins.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from dataclasses import asdict
from datetime import UTC, datetime

from claimtrack.local_server import STOP_TIMEOUT, ServerError, free_port, server_command, server_env, wait_healthy
from claimtrack.server_state import ServerState, alive, is_prefect_server, read_state, running_server, server_dir


def start() -> tuple[ServerState, bool]:
    """Start the long-lived server unless it runs; return its state and whether it was started now.

    :raises ServerError: the server exited or was not healthy in time (the message names its log).
    """
    running = running_server()
    if running is not None:
        return running, False
    folder = server_dir()
    (folder / "home").mkdir(parents=True, exist_ok=True)
    port = free_port()
    with (folder / "server.log").open("ab") as log:
        process = subprocess.Popen(
            server_command(port),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=server_env(port, folder / "home"),
            start_new_session=True,  # its own process group: outlives this command, not hit by its Ctrl-C
        )
    state = ServerState(process.pid, port, f"http://127.0.0.1:{port}/api", datetime.now(UTC).isoformat())
    try:
        wait_healthy(state.api_url, process)
    except ServerError as exc:
        _end(process.pid)
        raise ServerError(f"{exc} (its output: {folder / 'server.log'})") from None
    (folder / "server.json").write_text(json.dumps(asdict(state)), encoding="utf-8")
    return state, True


def stop() -> ServerState | None:
    """Stop the recorded server (SIGINT to its process group, SIGKILL after ``STOP_TIMEOUT``
    seconds) and forget it; return its state, or None when none was running."""
    state = read_state()
    (server_dir() / "server.json").unlink(missing_ok=True)
    if state is None or not is_prefect_server(state.pid):
        return None
    _end(state.pid)
    return state


def _end(pid: int) -> None:
    """Stop the process group of ``pid`` (a server started here): SIGINT, then SIGKILL."""
    os.killpg(pid, signal.SIGINT)
    deadline = time.monotonic() + STOP_TIMEOUT
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    if alive(pid):
        os.killpg(pid, signal.SIGKILL)
