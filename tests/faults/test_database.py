"""The database under faults: a load killed with SIGKILL, a second writer, a reader during a
write, a damaged or foreign file at --db, an unwritable export path."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, SEED
from faults_util import batch, snapshot, stored

from claimtrack.cli import main
from claimtrack.transforms import warehouse

HERE = Path(__file__).resolve().parent
KILLED_LOAD = """
import sys, time
sys.path[:0] = [{here!r}]
from pathlib import Path
from faults_util import batch
from claimtrack.transforms import warehouse
db = Path({db!r})
warehouse.load_batch(db, *batch(5, "first"))
plain = warehouse.loads.sql_file
def slow(relative):
    if relative == "load/replace_claims.sql":  # articles are upserted, claims not yet
        print("MID-LOAD", flush=True)
        time.sleep(60)
    return plain(relative)
warehouse.loads.sql_file = slow
warehouse.load_batch(db, *batch(3000, "big"))
"""
HOLD_LOCK = """
import time, duckdb
con = duckdb.connect({db!r})
print("LOCKED", flush=True)
time.sleep({seconds})
con.close()
"""


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def start(script: str, marker: str) -> subprocess.Popen[str]:
    """Start ``script`` in a fresh interpreter and wait (at most 60 s) until it prints ``marker``."""
    process = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if marker in line or not line:
            break
    assert marker in line, "the helper process did not start"
    return process


@pytest.fixture
def holder(db: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding ``db`` read-write for 2 seconds (a run loading a batch)."""
    warehouse.load_batch(db, *batch(2, "held"))
    process = start(HOLD_LOCK.format(db=str(db), seconds=2.0), "LOCKED")
    yield process
    process.wait(timeout=30)


def test_a_load_killed_midway_leaves_no_partial_batch_and_the_next_run_completes(db: Path) -> None:
    process = start(KILLED_LOAD.format(here=str(HERE), db=str(db)), "MID-LOAD")
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert stored(db, "select count(*) from articles") == [(5,)]  # the committed batch only
    assert stored(db, "select count(*) from claims") == [(10,)]
    assert stored(db, "select count(*) from articles where url like '%/big/%'") == [(0,)]
    counts = warehouse.load_batch(db, *batch(3000, "big"))
    assert (counts.articles_new, counts.claims) == (3000, 6000)
    assert stored(db, "select count(*) from claims") == [(6010,)]


def test_sql_while_a_run_writes_waits_with_a_message_then_answers(db: Path, holder: subprocess.Popen[str]) -> None:
    code, out, err = invoke("sql", "select count(*) as n from articles", "--db", str(db), "--format", "csv")
    assert (code, out) == (0, "n\n2\n")
    assert "is locked by another process (a run is loading); retrying" in err and err.count("\n") == 1


def test_a_lock_held_too_long_fails_clearly(
    db: Path, holder: subprocess.Popen[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(warehouse.engine, "LOCK_WAIT_SECONDS", 0.3)
    code, _, err = invoke("sql", "select 1", "--db", str(db))
    assert code == 1 and err.splitlines()[-1].startswith("Error: ") and "still locked by another process" in err
    assert "Traceback" not in err


@pytest.mark.usefixtures("prefect_harness")
def test_a_second_run_while_one_loads_waits_then_succeeds(
    db: Path, holder: subprocess.Popen[str], capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(db)
    code, out, err = invoke("run", str(SEED), "--db", str(db))
    assert code == 0, err
    told = err + capsys.readouterr().err  # the flow's own opens print outside CliRunner's capture
    assert "is locked by another process (a run is loading); retrying" in told
    after = snapshot(db)
    assert set(before["claim_records"]) < set(after["claim_records"])


def damaged(db: Path) -> bytes:
    """Load a batch into ``db``, then overwrite its data blocks with garbage; return the bytes."""
    warehouse.load_batch(db, *batch(50, "d"))
    data = bytearray(db.read_bytes())
    data[8192:] = bytes([0xAB]) * (len(data) - 8192)
    db.write_bytes(bytes(data))
    return bytes(data)


@pytest.mark.parametrize("kind", ["text", "damaged", "truncated"])
def test_a_foreign_or_damaged_database_is_refused_and_left_as_it_is(tmp_path: Path, kind: str) -> None:
    db = tmp_path / "claims.duckdb"
    if kind == "text":
        db.write_text("my notes, not a database")
    elif kind == "damaged":
        damaged(db)
    else:
        warehouse.load_batch(db, *batch(50, "t"))
        db.write_bytes(db.read_bytes()[:20_000])
    original = db.read_bytes()
    for args in (["sql", "select count(*) from claims"], ["export", "-o", str(tmp_path / "x.csv")], ["run", str(SEED)]):
        code, _, err = invoke(*args, "--db", str(db))
        assert code == 1, (args, err)
        assert err.count("\n") == 1 and err.startswith("Error: cannot ") and str(db) in err, err
        assert "Traceback" not in err
        assert db.read_bytes() == original


def test_an_unwritable_export_path_fails_clearly_and_changes_nothing(db: Path, tmp_path: Path) -> None:
    warehouse.load_batch(db, *batch(3, "e"))
    before = snapshot(db)
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    code, _, err = invoke("export", "--db", str(db), "-o", str(blocker / "out.csv"))
    assert code == 1 and err.count("\n") == 1 and "cannot write" in err and "out.csv" in err
    assert snapshot(db) == before and blocker.read_text() == "x"
