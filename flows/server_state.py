"""The record of the long-lived local Prefect server (``claimtrack server start``, see
``claimtrack.server``): where it lives, and whether it runs. Used by ``claimtrack.local_server``
to report to it; starts and stops nothing.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from claimtrack.defaults import user_data_dir
from claimtrack.ingest import FetchError, fetch


@dataclass(frozen=True)
class ServerState:
    """What ``claimtrack server start`` records about the server it started."""

    pid: int
    port: int
    api_url: str
    started: str  # ISO 8601, UTC

    @property
    def ui_url(self) -> str:
        """The Prefect UI's address (the API's without ``/api``)."""
        return self.api_url.removesuffix("/api")


def server_dir() -> Path:
    """The folder of the long-lived server: ``home/`` (its PREFECT_HOME), ``server.log``, ``server.json``."""
    return user_data_dir() / "prefect-server"


def read_state() -> ServerState | None:
    """The recorded server, or None when none was started (or the record is unreadable)."""
    try:
        return ServerState(**json.loads((server_dir() / "server.json").read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def running_server() -> ServerState | None:
    """The recorded server when its process is alive and its API answers, else None."""
    state = read_state()
    if state is None or not is_prefect_server(state.pid):
        return None
    try:
        fetch(f"{state.api_url}/health", timeout=2.0, allow_private=True)  # our own server on loopback
    except FetchError:
        return None
    return state


def use_running_server() -> str | None:
    """The API URL of the running server ``claimtrack server start`` left, or None."""
    state = running_server()
    return state.api_url if state else None


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a child of this process that ended is reaped, not counted)."""
    try:
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return False
    except ChildProcessError:
        pass  # not our child: ask the kernel
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def is_prefect_server(pid: int) -> bool:
    """Whether ``pid`` runs ``prefect server start`` (so a reused pid is never signalled)."""
    if not alive(pid):
        return False
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return True  # no /proc (macOS): trust the record and the health check
    return b"prefect" in command and b"server" in command and b"start" in command
