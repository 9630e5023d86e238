"""``claimtrack serve``: the schedules it serves (no server), and a run its schedule fires on a
local Prefect server that ``serve`` starts and stops itself (nobody triggers the run)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SEED
from prefect_ui import run_list_text

from claimtrack.cli.serve import DEFAULT_CRON, Plan, deployments, plan
from claimtrack.transforms import warehouse

SOURCES = """
[[source]]
name = "samples"
kind = "folder"
location = "samples/"

[[source]]
name = "fast-feed"
kind = "feed"
location = "https://example.org/feed.xml"
schedule = "*/10 * * * *"

[[source]]
name = "off"
kind = "page"
location = "https://example.org/a.html"
enabled = false
"""


def test_the_pipeline_is_served_hourly_and_sources_keep_their_own_schedule(tmp_path: Path, db: Path) -> None:
    sources_file = tmp_path / "sources.toml"
    sources_file.write_text(SOURCES)
    plans = plan([], sources_file, DEFAULT_CRON, db)
    assert [(p.name, p.cron, p.parameters["sources"]) for p in plans] == [
        ("claimtrack", "0 * * * *", ["samples"]),
        ("claimtrack-fast-feed", "*/10 * * * *", ["fast-feed"]),
    ]
    served = deployments(plans)
    assert [d.schedules[0].schedule.cron for d in served] == ["0 * * * *", "*/10 * * * *"]
    assert served[0].name == "claimtrack" and served[0].parameters["db"] == str(db)


def test_given_sources_and_cron_make_one_deployment(db: Path) -> None:
    plans = plan([str(SEED)], None, "*/5 * * * *", db)
    assert plans == [Plan("claimtrack", "*/5 * * * *", {"db": str(db), "sources": [str(SEED)]})]
    assert deployments(plans)[0].schedules[0].schedule.cron == "*/5 * * * *"
    assert plan([], None, DEFAULT_CRON, db)[0].parameters["sources"] is None  # as shipped: all enabled


def test_an_interval_replaces_the_cron_and_runs_never_overlap(db: Path) -> None:
    served = deployments(plan([str(SEED)], None, DEFAULT_CRON, db, interval=900))
    assert served[0].schedules[0].schedule.interval.total_seconds() == 900
    assert served[0].concurrency_limit == 1


def read_line(log: Path, prefix: str, deadline: float) -> str:
    """The first line of the file ``log`` starting with ``prefix`` (fails the test at ``deadline``)."""
    while time.monotonic() < deadline:
        found = [line for line in log.read_text(encoding="utf-8").splitlines() if line.startswith(prefix)]
        if found:
            return found[0].strip()
        time.sleep(0.5)
    pytest.fail(f"serve never printed '{prefix}'")


ENDED = ["COMPLETED", "FAILED", "CRASHED"]


def ended_scheduled_runs(api: str) -> list[dict[str, object]]:
    """The flow runs the scheduler created (tag ``auto-scheduled``) that have ended."""
    import httpx

    body = {"flow_runs": {"tags": {"all_": ["auto-scheduled"]}, "state": {"type": {"any_": ENDED}}}, "limit": 10}
    response = httpx.post(f"{api}/flow_runs/filter", json=body, timeout=5)
    response.raise_for_status()
    return list(response.json())


def wait_for_scheduled_run(api: str, deadline: float) -> dict[str, object]:
    """The first scheduled run to end, once it has (fails the test at ``deadline``)."""
    while time.monotonic() < deadline:
        if ended := ended_scheduled_runs(api):
            return ended[0]
        time.sleep(1)
    pytest.fail("no scheduled run ended in time")


def test_serve_starts_a_local_server_and_a_scheduled_run_fires(tmp_path: Path, db: Path) -> None:
    env = {
        **os.environ,
        "PREFECT_HOME": str(tmp_path / "prefect"),
        "PREFECT_LOGGING_LEVEL": "INFO",  # Prefect's default: what a user sees
        "PREFECT_RUNNER_POLL_FREQUENCY": "2",
    }  # the runner looks for due runs every 2 s (default 10)
    env.pop("PREFECT_API_URL", None)
    command = [str(Path(sys.executable).parent / "claimtrack"), "serve", str(SEED), "--db", str(db), "--interval", "5"]
    log = tmp_path / "serve.log"
    with log.open("w") as err:
        serve = subprocess.Popen(command, cwd=tmp_path, env=env, stderr=err, stdout=subprocess.DEVNULL, text=True)
    try:
        deadline = time.monotonic() + 150
        ui = read_line(log, "Prefect UI", deadline).rsplit(" ", 1)[1]
        assert read_line(log, "serving deployment pipeline/claimtrack", deadline).endswith("every 5 s; Ctrl-C stops")
        run = wait_for_scheduled_run(f"{ui}/api", deadline)  # nobody triggers it: the schedule does
        assert run["state_type"] == "COMPLETED", run["state"]
        text = run_list_text(ui, str(run["name"]), tmp_path / "chromium")  # the UI serve printed shows it
        assert "Can't connect" not in text
    finally:
        serve.send_signal(signal.SIGINT)
        serve.wait(timeout=60)
    printed = log.read_text(encoding="utf-8")
    assert serve.returncode == 0, printed[-2000:]
    assert "claimtrack serve: stopped" in printed
    assert "Downloading flow code" not in printed and "telemetry" not in printed.lower()
    assert warehouse.query(db, "select count(*) from articles").rows() == [(1,)]
    assert warehouse.query(db, "select count(*) >= 1 from runs where status = 'completed'").rows() == [(True,)]
    health = subprocess.run(
        [sys.executable, "-c", f"import httpx; httpx.get('{ui}/api/health', timeout=2)"], capture_output=True
    )
    assert health.returncode != 0  # the local server is gone
