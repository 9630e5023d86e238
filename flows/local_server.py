"""A real Prefect API for commands that need one: ``PREFECT_API_URL``, else a local server.

Schedules never fire on Prefect's temporary server, and tasks in other processes (Dask workers)
would each start their own. ``prefect_api()`` therefore yields the API URL to use: the one in
``PREFECT_API_URL`` when set, else that of a ``prefect server start`` it runs on a free
127.0.0.1 port (in its own process group, so Ctrl-C reaches only claimtrack, which then stops
it), after its ``/api/health`` answers. The URL is put in ``os.environ`` (inherited by Dask
workers started afterwards) and in Prefect's settings for this process.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from claimtrack.ingest import FetchError, fetch

START_TIMEOUT = 120.0  # seconds: a fresh PREFECT_HOME runs the database migrations first
STOP_TIMEOUT = 20.0


class ServerError(RuntimeError):
    """The local Prefect server did not start; the message says how to see why."""


def free_port() -> int:
    """Return a TCP port free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(port: int, log: Path | None = None) -> subprocess.Popen[bytes]:
    """Start ``prefect server start`` on 127.0.0.1:``port`` (output to ``log`` or discarded)."""
    env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_UI_ENABLED": "true"}
    env.pop("PREFECT_API_URL", None)
    out: Any = log.open("ab") if log else subprocess.DEVNULL
    command = [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    return subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)


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
    raise ServerError(f"the local Prefect server at {api_url} was not healthy after {timeout:.0f} s")


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
def prefect_api(log: Path | None = None) -> Iterator[str]:
    """Yield the Prefect API URL to use, starting (and finally stopping) a local server when
    ``PREFECT_API_URL`` is unset. Raises ``ServerError`` when the server does not start."""
    given = os.environ.get("PREFECT_API_URL")
    if given:
        yield given
        return
    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    process = start_server(port, log)
    try:
        wait_healthy(api_url, process)
        os.environ["PREFECT_API_URL"] = api_url
        with _settings(api_url):
            yield api_url
    finally:
        os.environ.pop("PREFECT_API_URL", None)
        stop_server(process)


def _settings(api_url: str) -> Any:
    """Point an already imported Prefect at ``api_url`` (the environment suffices otherwise)."""
    if "prefect" not in sys.modules:
        return nullcontext()
    from prefect.settings import PREFECT_API_URL, temporary_settings

    return temporary_settings(updates={PREFECT_API_URL: api_url})
