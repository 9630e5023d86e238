"""Signals and exit codes of ``claimtrack run``, on real processes: Ctrl-C (SIGINT to the whole
process group, as a terminal sends it) and SIGTERM stop a run within seconds with one line, keep
the batches loaded before and mark the run ``interrupted``; after SIGKILL the Prefect server it
started does not stay behind and the next run marks the killed run ``abandoned``; a rerun that
finds everything readable stored exits 0; a full disk, a truncated database and 10 MB of random
bytes each fail in one line."""

from __future__ import annotations

import os
import platform
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
from canary import Canary, serve
from click.testing import CliRunner
from conftest import ROOT, SEED
from faults_util import batch, stored

from claimtrack.cli import main
from claimtrack.transforms import warehouse

SOURCES = "[fetch]\nallow_private_addresses = true\nhost_delay = 0.0\nretries = 0\n"


@pytest.fixture(scope="module")
def prefect_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A PREFECT_HOME of the subprocesses' own (not the test harness's server database)."""
    return tmp_path_factory.mktemp("prefect-home")


def claimtrack(prefect_home: Path, *args: str, **popen: object) -> subprocess.Popen[str]:
    """Start ``python -m claimtrack ARGS`` in a session of its own, output to pipes."""
    env = {**os.environ, "PREFECT_HOME": str(prefect_home), "PREFECT_LOGGING_LEVEL": "WARNING"}
    env.pop("PREFECT_API_URL", None)
    command = [sys.executable, "-m", "claimtrack", *args]
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        **popen,
    )


def children(pid: int) -> list[tuple[int, str]]:
    """``(pid, command line)`` of every live process whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append((int(entry.name), (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()))
        except (OSError, IndexError, ValueError):
            continue
    return found


def alive(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_for(condition: object, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"waited {seconds} s for {what}"
        time.sleep(0.1)


@pytest.fixture
def slow_run(tmp_path: Path, prefect_home: Path) -> Iterator[tuple[subprocess.Popen[str], Canary, Path, int]]:
    """A ``claimtrack run`` reading a feed of 200 slow pages in batches of 5, started and past
    its third batch; yields the process, the site, the database and the server's pid."""
    (tmp_path / "sources.toml").write_text(SOURCES)
    db = tmp_path / "run.duckdb"
    with serve() as site:
        args = ["run", site.url("/feed?n=200"), "--sources-file", str(tmp_path / "sources.toml"), "--db", str(db)]
        process, servers = claimtrack(prefect_home, *args, "--batch-size", "5"), []
        try:
            wait_for(lambda: sum(p.startswith("/slow/") for p in site.paths) >= 16, 120, "three batches")
            servers = [pid for pid, command in children(process.pid) if "prefect" in command and "server" in command]
            assert len(servers) == 1, children(process.pid)
            yield process, site, db, servers[0]
        finally:
            if process.poll() is None:
                process.kill()
            process.communicate()
            for pid in servers:  # never leave a server behind, even when a test fails
                if alive(pid):
                    os.kill(pid, signal.SIGKILL)


@pytest.mark.parametrize(("signum", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_stops_the_run_in_seconds_keeps_its_batches_and_marks_it(
    slow_run: tuple[subprocess.Popen[str], Canary, Path, int], signum: int, status: int
) -> None:
    process, _, db, server = slow_run
    started = time.monotonic()
    if signum == signal.SIGINT:
        os.killpg(process.pid, signum)  # a terminal's Ctrl-C reaches the whole foreground group
    else:
        process.send_signal(signum)
    out, err = process.communicate(timeout=60)
    assert time.monotonic() - started < 10
    assert process.returncode == status
    name = signal.Signals(signum).name
    assert err == (
        f"claimtrack run: stopped by {name}; the batches loaded before it are kept "
        "and the run is marked interrupted in runs\n"
    )
    assert out == ""
    [(state, read)] = stored(db, "select status, articles_read from runs")
    assert state == "interrupted" and read == stored(db, "select count(*) from articles")[0][0] > 0
    assert stored(
        db,
        "select count(*) from articles a where not exists (select 1 from claims c where c.article_id = a.article_id)",
    ) == [(0,)]  # every kept article has its claims: no batch half written
    wait_for(lambda: not alive(server), 10, "the server to stop")


@pytest.mark.usefixtures("prefect_harness")
def test_after_sigkill_the_server_does_not_stay_behind_and_the_next_run_marks_the_run_abandoned(
    slow_run: tuple[subprocess.Popen[str], Canary, Path, int],
) -> None:
    process, _, db, server = slow_run
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    wait_for(lambda: not alive(server), 10, "the orphaned server to die")
    assert stored(db, "select status, pid from runs") == [("running", process.pid)]  # SIGKILL leaves no time to write
    live = warehouse.running_runs(db, platform.node())
    warehouse.start_run(db, "still-alive", datetime.now(UTC), "[]", platform.node(), os.getpid())
    assert [pid for _, pid in live] == [process.pid]
    result = CliRunner().invoke(main, ["run", str(SEED), "--db", str(db)])
    assert result.exit_code == 0, result.output
    statuses = dict(stored(db, "select pid, status from runs where run_id <> 'still-alive' order by started_at"))
    assert statuses[process.pid] == "abandoned" and list(statuses.values())[-1] == "completed"
    assert stored(db, "select status from runs where run_id = 'still-alive'") == [("running",)]  # its process lives


@pytest.mark.usefixtures("prefect_harness")
def test_a_rerun_that_finds_everything_stored_exits_0_despite_a_failing_input(tmp_path: Path) -> None:
    db, broken = tmp_path / "rerun.duckdb", tmp_path / "broken.txt"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))  # a picture, not a text: fails every time
    first = CliRunner().invoke(main, ["run", str(SEED), str(broken), "--db", str(db)])
    assert first.exit_code == 0, first.output
    again = CliRunner().invoke(main, ["run", str(SEED), str(broken), "--db", str(db)])
    assert again.exit_code == 0, again.output
    assert "1 already stored, 1 failed" in again.stdout
    nothing = CliRunner().invoke(main, ["run", str(broken), "--db", str(db)])
    assert nothing.exit_code == 1 and nothing.stderr == "Error: no input could be read; see the failures above\n"


def full_disk(db: Path) -> None:
    """A claimtrack database whose WAL is /dev/full: every commit fails with ENOSPC."""
    warehouse.load_batch(db, *batch(2, "full"))
    warehouse.wal_of(db).symlink_to("/dev/full")


def cut(db: Path) -> None:
    for part in range(3):
        warehouse.load_batch(db, *batch(100, f"cut{part}"))
    db.write_bytes(db.read_bytes()[: db.stat().st_size // 2])


def random_bytes(db: Path) -> None:
    db.write_bytes(os.urandom(10 * 1024 * 1024))


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (full_disk, "No space left on device; that write was rolled back, nothing of it is stored: free disk space"),
        (cut, "the file is cut short"),
        (random_bytes, "not a valid DuckDB database file"),
    ],
    ids=["disk full", "truncated", "random bytes"],
)
def test_each_failure_is_one_line(tmp_path: Path, prefect_home: Path, make: object, says: str) -> None:
    db = tmp_path / "bad.duckdb"
    make(db)  # type: ignore[operator]
    before = db.read_bytes()
    process = claimtrack(prefect_home, "run", str(SEED), "--db", str(db), "--refresh")
    out, err = process.communicate(timeout=120)
    assert process.returncode == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith("Error: cannot ") and says in err, err
    assert db.read_bytes() == before
    if make is full_disk:
        warehouse.wal_of(db).unlink()
        con = duckdb.connect(str(db), read_only=True)
        assert con.sql("select count(*) from article_records").fetchall() == [(2,)]
        con.close()


def test_random_bytes_anywhere_else_are_one_line_too(tmp_path: Path) -> None:
    noise = tmp_path / "noise.bin"
    noise.write_bytes(os.urandom(10 * 1024 * 1024))
    cases = [
        (["extract", "--input", str(noise)], 2, "not UTF-8 text"),
        (["extract", str(noise)], 1, "binary content"),
        (["run", "--sources-file", str(noise), "--db", str(tmp_path / "x.duckdb")], 2, "not valid TOML"),
        (["sql", "select 1", "--db", str(noise)], 1, "not a valid DuckDB database file"),
    ]
    for args, code, says in cases:
        result = CliRunner().invoke(main, args)
        assert result.exit_code == code, (args, result.output)
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: ") and says in result.stderr, args
