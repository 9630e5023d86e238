"""``claimtrack serve``: the schedules it serves (no server), and one real served run on a local
Prefect server that ``serve`` starts and stops itself."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, SEED

from flows.serve_cli import DEFAULT_CRON, Plan, deployments, plan
from transforms import warehouse

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
        ("claimtrack", "0 * * * *", ["samples"]), ("claimtrack-fast-feed", "*/10 * * * *", ["fast-feed"])]
    served = deployments(plans)
    assert [d.schedules[0].schedule.cron for d in served] == ["0 * * * *", "*/10 * * * *"]
    assert served[0].name == "claimtrack" and served[0].parameters["db"] == str(db)


def test_given_sources_and_cron_make_one_deployment(db: Path) -> None:
    plans = plan([str(SEED)], None, "*/5 * * * *", db)
    assert plans == [Plan("claimtrack", "*/5 * * * *", {"db": str(db), "sources": [str(SEED)]})]
    assert deployments(plans)[0].schedules[0].schedule.cron == "*/5 * * * *"
    assert plan([], None, DEFAULT_CRON, db)[0].parameters["sources"] is None  # as shipped: all enabled


def read_line(stream: object, prefix: str, deadline: float) -> str:
    """The first line of ``stream`` starting with ``prefix`` (fails the test at ``deadline``)."""
    while time.monotonic() < deadline:
        line = stream.readline()  # type: ignore[attr-defined]
        if not line:
            break
        if line.startswith(prefix):
            return str(line).strip()
    pytest.fail(f"serve never printed '{prefix}'")


TRIGGER = """
import sys, time
from prefect.deployments import run_deployment
deadline = time.monotonic() + 60
while True:
    try:
        run = run_deployment("pipeline/claimtrack", timeout=60)
        break
    except Exception:
        if time.monotonic() > deadline:
            raise
        time.sleep(1)
print(run.state.type.value)
"""


def test_serve_starts_a_local_server_runs_a_deployment_and_stops(tmp_path: Path, db: Path) -> None:
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect"), "PREFECT_LOGGING_LEVEL": "WARNING"}
    env.pop("PREFECT_API_URL", None)
    serve = subprocess.Popen([str(Path(sys.executable).parent / "claimtrack"), "serve", str(SEED), "--db", str(db)],
                             cwd=ROOT, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    try:
        deadline = time.monotonic() + 120
        ui = read_line(serve.stderr, "Prefect UI", deadline).rsplit(" ", 1)[1]
        read_line(serve.stderr, "serving deployment pipeline/claimtrack", deadline)
        trigger = subprocess.run([sys.executable, "-c", TRIGGER], env={**env, "PREFECT_API_URL": f"{ui}/api"},
                                 capture_output=True, text=True, timeout=120)
        assert trigger.stdout.strip() == "COMPLETED", trigger.stderr[-2000:]
    finally:
        serve.send_signal(signal.SIGINT)
        _, rest = serve.communicate(timeout=60)
    assert serve.returncode == 0, rest[-2000:]
    assert "claimtrack serve: stopped" in rest
    assert warehouse.query(db, "select count(*) from articles").rows() == [(1,)]
    health = subprocess.run([sys.executable, "-c", f"import httpx; httpx.get('{ui}/api/health', timeout=2)"],
                            capture_output=True)
    assert health.returncode != 0  # the local server is gone
