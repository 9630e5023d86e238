"""``claimtrack server start|stop|status``: a long-lived local Prefect server that a later
``claimtrack run`` reports to (no temporary server), whose UI lists that run in headless
Chromium; stopped, it is gone. Also: a one-off run prints no telemetry notice, and ``--dask``
without the dask extra names the extra to install."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, SEED
from prefect_ui import flow_runs, run_list_text

CLAIMTRACK = str(Path(sys.executable).parent / "claimtrack")


def claimtrack(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([CLAIMTRACK, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_a_started_server_is_reused_by_run_and_shows_the_run(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")}
    env.pop("PREFECT_API_URL", None)
    assert claimtrack("server", "status", env=env).returncode == 3
    started = claimtrack("server", "start", env=env)
    try:
        assert started.returncode == 0, started.stderr
        ui = started.stdout.split("UI ", 1)[1].split()[0]
        status = claimtrack("server", "status", env=env)
        assert status.returncode == 0 and f"API {ui}/api" in status.stdout
        again = claimtrack("server", "start", env=env)
        assert again.stdout.startswith(f"Prefect server already running: UI {ui}")
        run = claimtrack("run", str(SEED), "--db", str(tmp_path / "c.duckdb"), "--published", "2024-11-03", env=env)
        assert run.returncode == 0, run.stderr
        assert "telemetry" not in run.stderr.lower()
        runs = flow_runs(f"{ui}/api")
        assert [(r["state_type"], r["name"]) for r in runs][:1] == [("COMPLETED", runs[0]["name"])]
        text = run_list_text(ui, str(runs[0]["name"]), tmp_path / "chromium")
        assert "pipeline" in text and "Can't connect" not in text
        assert (tmp_path / "data" / "claimtrack" / "prefect-server" / "home").is_dir()
    finally:
        stopped = claimtrack("server", "stop", env=env)
    assert stopped.returncode == 0 and stopped.stdout.startswith(f"Prefect server at {ui} stopped")
    assert claimtrack("server", "status", env=env).returncode == 3
    assert claimtrack("server", "stop", env=env).stdout.strip() == "no Prefect server was running"


def test_dask_without_the_extra_names_it(tmp_path: Path) -> None:
    hide = "import sys; sys.modules['prefect_dask'] = None; from claimtrack.cli import main; main()"
    args = ["run", str(SEED), "--db", str(tmp_path / "c.duckdb"), "--dask", "local"]
    result = subprocess.run([sys.executable, "-c", hide, *args], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert "pip install 'claimtrack[dask]'" in result.stderr and "prefect_dask" in result.stderr
    assert not (tmp_path / "c.duckdb").exists()


def test_a_local_dask_run_prints_only_its_summary(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")}
    env.pop("PREFECT_LOGGING_LEVEL", None)  # as a user runs it
    result = claimtrack("run", str(SEED), "--db", str(tmp_path / "c.duckdb"), "--dask", "local", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "" and result.stdout.startswith("claimtrack run: 1 input (1 new, ")


def test_a_run_on_a_terminal_prints_no_telemetry_notice(tmp_path: Path) -> None:
    """Prefect prints its telemetry notice once per PREFECT_HOME, on a terminal only: a fresh
    PREFECT_HOME and a pseudo-terminal are where a new user would see it."""
    import pty

    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"), "PREFECT_HOME": str(tmp_path / "prefect")}
    env.pop("DO_NOT_TRACK", None)
    primary, secondary = pty.openpty()
    args = [CLAIMTRACK, "run", str(SEED), "--db", str(tmp_path / "c.duckdb")]
    with subprocess.Popen(args, env=env, cwd=tmp_path, stdin=secondary, stdout=secondary, stderr=secondary) as process:
        os.close(secondary)
        printed = b""
        while True:
            try:
                chunk = os.read(primary, 4096)
            except OSError:  # the terminal closed with the process
                break
            if not chunk:
                break
            printed += chunk
        assert process.wait(timeout=120) == 0, printed.decode(errors="replace")
    os.close(primary)
    text = printed.decode(errors="replace")
    assert "claimtrack run: 1 input" in text and "anonymous usage" not in text and "telemetry" not in text
