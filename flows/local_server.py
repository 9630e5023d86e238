"""A real Prefect API for commands that need one: the configured one, else the server
``claimtrack server start`` left running (``claimtrack.server``), else a local server.

Schedules never fire on Prefect's temporary server, tasks in other processes (Dask workers)
would each start their own, and Prefect starts that temporary server in claimtrack's own process
group (a terminal's Ctrl-C kills it under the running flow) with nothing to stop it when
claimtrack is killed. ``prefect_api()`` therefore yields the API URL to use: Prefect's
configured ``PREFECT_API_URL`` when set, else that of a ``prefect server start`` it runs on a
free 127.0.0.1 port, after its ``/api/health`` answers. That server runs in a session of its own,
so Ctrl-C reaches only claimtrack, which then stops it; and on Linux it is tied to claimtrack
(``prctl(PR_SET_PDEATHSIG)``), so it dies with claimtrack even when claimtrack is killed with
SIGKILL. Its UI is told its own API address (``server_env``). The URL is put in ``os.environ``
(inherited by Dask workers started afterwards) and in Prefect's settings for this process.
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from claimtrack.ingest import FetchError, fetch

START_TIMEOUT = 120.0  # seconds: a fresh PREFECT_HOME runs the database migrations first
STOP_TIMEOUT = 20.0
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


class ServerError(RuntimeError):
    """The local Prefect server did not start; the message says how to see why."""


class StartTimeout(ServerError):
    """The local Prefect server did not answer in time (a busy machine: worth another try)."""


def start_timeout() -> float:
    """Seconds a local server gets to answer: ``PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS``
    (Prefect's knob for its temporary server, which this server stands in for), else
    ``START_TIMEOUT``. Prefect's default of 20 s is too short on a loaded 2-core machine."""
    try:
        return float(os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"])
    except (KeyError, ValueError):
        return START_TIMEOUT


def free_port() -> int:
    """Return a TCP port free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_command(port: int) -> list[str]:
    """The ``prefect server start`` command line for 127.0.0.1:``port``."""
    return [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)]


def server_env(port: int, home: Path | None = None, ui: bool = True) -> dict[str, str]:
    """The environment of a ``prefect server start`` on 127.0.0.1:``port``: the UI is told that
    address for its API (it would otherwise name PREFECT_SERVER_API_PORT's default, 4200, and
    show "Can't connect to Server API"), no analytics, ``home`` as PREFECT_HOME when given, and
    without ``ui`` neither the UI nor the scheduler (a server for one run)."""
    switch = "true" if ui else "false"
    env = {
        **os.environ,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PREFECT_UI_ENABLED": switch,
        "PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED": switch,
        "PREFECT_SERVER_SERVICES_LATE_RUNS_ENABLED": switch,
        "PREFECT_SERVER_API_HOST": "127.0.0.1",
        "PREFECT_SERVER_API_PORT": str(port),
        "PREFECT_UI_API_URL": f"http://127.0.0.1:{port}/api",
    }
    env.pop("PREFECT_API_URL", None)
    if home is not None:
        env["PREFECT_HOME"] = str(home)
    return env


def start_server(port: int, log: Path | None = None, ui: bool = True) -> subprocess.Popen[bytes]:
    """Start ``prefect server start`` on 127.0.0.1:``port`` (output to ``log`` or discarded), in
    a session of its own and tied to this process (see the module docstring). Without ``ui``
    neither the UI nor the scheduler runs (a server for one run). Call it from the main thread:
    Linux signals the child when the thread that started it ends."""
    out: Any = log.open("ab") if log else subprocess.DEVNULL
    return subprocess.Popen(
        server_command(port),
        stdout=out,
        stderr=subprocess.STDOUT,
        env=server_env(port, ui=ui),
        start_new_session=True,
        preexec_fn=die_with(os.getpid()),
    )


def die_with(parent: int) -> Callable[[], None] | None:
    """A ``preexec_fn`` that makes the child receive SIGKILL when ``parent`` dies (Linux), or None
    elsewhere. ``prctl`` is looked up here, in the parent: the child only calls it."""
    if not sys.platform.startswith("linux"):
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl

    def tie() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # the parent died before the tie was made
            os.kill(os.getpid(), signal.SIGKILL)

    return tie


def configured_api_url() -> str | None:
    """The Prefect API URL this process is configured with (environment, profile or a test
    harness's settings), or None (then Prefect would start its temporary server)."""
    if os.environ.get("PREFECT_API_URL"):
        return os.environ["PREFECT_API_URL"]
    from prefect.settings import get_current_settings

    return get_current_settings().api.url or None


def wait_healthy(api_url: str, process: subprocess.Popen[bytes], timeout: float = START_TIMEOUT) -> None:
    """Return once ``api_url``/health answers 200; raise ``ServerError`` if the server exits or
    ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerError(
                f"'prefect server start' exited with status {process.returncode}; "
                "run it by hand to see why, or set PREFECT_API_URL"
            )
        try:
            fetch(f"{api_url}/health", timeout=2.0, allow_private=True)  # our own server on loopback
            return
        except FetchError:
            pass
        time.sleep(0.5)
    raise StartTimeout(f"the local Prefect server at {api_url} was not healthy after {timeout:.0f} s")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    """Stop the server's process group: SIGINT, then SIGKILL after ``STOP_TIMEOUT`` seconds."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGINT)
    try:
        process.wait(STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@contextmanager
def prefect_api(log: Path | None = None, ui: bool = True) -> Iterator[str]:
    """Yield the Prefect API URL to use: the configured one, else that of the server ``claimtrack
    server start`` left running, else a local server started here (with the UI and the scheduler
    when ``ui``) and finally stopped. Raises ``ServerError`` when the server does not start."""
    from claimtrack.server_state import use_running_server

    given = configured_api_url()
    if given:
        yield given
        return
    running = use_running_server()
    if running:
        with using(running):
            yield running
        return
    process, api_url = healthy_server(log, ui)
    try:
        with using(api_url):
            yield api_url
    finally:
        stop_server(process)


@contextmanager
def using(api_url: str) -> Iterator[None]:
    """Point this process (``PREFECT_API_URL``, inherited by Dask workers started meanwhile) and
    an already imported Prefect at ``api_url`` for the block's duration; then send the logs and
    events Prefect still holds."""
    os.environ["PREFECT_API_URL"] = api_url
    try:
        with _settings(api_url):
            yield
    finally:
        _drain_prefect()
        os.environ.pop("PREFECT_API_URL", None)


def healthy_server(log: Path | None = None, ui: bool = True) -> tuple[subprocess.Popen[bytes], str]:
    """Start a local server (``start_server``) and return it with its API URL once it answers;
    one that does not answer within ``start_timeout()`` is stopped and started once more.
    Raises ``ServerError`` saying what to do."""
    try:
        return _started(log, ui)
    except StartTimeout:
        pass
    try:
        return _started(log, ui)
    except StartTimeout:
        raise ServerError(
            "the local Prefect server did not start in time, twice (is the machine busy?); start one "
            "with 'prefect server start' in another terminal and set PREFECT_API_URL=http://127.0.0.1:4200/api, "
            "or set PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS higher"
        ) from None


def _started(log: Path | None, ui: bool) -> tuple[subprocess.Popen[bytes], str]:
    """One start of a local server on a free port, stopped again unless it answers in time."""
    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    process = start_server(port, log, ui)
    try:
        wait_healthy(api_url, process, start_timeout())
    except BaseException:
        stop_server(process)
        raise
    return process, api_url


def _drain_prefect() -> None:
    """Send the logs and events Prefect still holds to the server before it stops (else Prefect
    reports, at exit, that it could not)."""
    if "prefect" not in sys.modules:
        return
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    for worker in (APILogWorker, EventsWorker):
        worker.drain_all(timeout=STOP_TIMEOUT / 4)


def _settings(api_url: str) -> Any:
    """Point an already imported Prefect at ``api_url`` (the environment suffices otherwise)."""
    if "prefect" not in sys.modules:
        return nullcontext()
    from prefect.settings import PREFECT_API_URL, temporary_settings

    return temporary_settings(updates={PREFECT_API_URL: api_url})
