"""Writers' engines on real database files: row groups capped at 2,048 rows, one thread, a memory
budget that a write needing more outgrows instead of failing, and no WAL left behind."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from claimtrack.transforms import warehouse

HOLD = """
import time, duckdb
con = duckdb.connect({db!r})
print("HOLDING", flush=True)
time.sleep(3)
con.close()
"""
UNITS = {"KiB": 2**10, "MiB": 2**20, "GiB": 2**30, "TiB": 2**40}


def limit_bytes(con: duckdb.DuckDBPyConnection) -> float:
    """The connection's memory limit in bytes (DuckDB prints it as e.g. ``30.5 MiB``)."""
    number, unit = con.sql("select current_setting('memory_limit')").fetchall()[0][0].split()
    return float(number) * UNITS[unit]


def leave_a_wal(db: Path) -> None:
    """Create a claimtrack database ``db``, then table ``kept`` (one row, x = 1) in it and close
    without a checkpoint: a WAL stays."""
    with warehouse.opened(db):
        pass
    raw = duckdb.connect(str(db))
    raw.execute("pragma disable_checkpoint_on_shutdown")
    raw.execute("create table kept as select 1 as x")
    raw.close()


def test_a_writer_caps_row_groups_and_runs_on_one_thread_within_the_budget(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    with warehouse.opened(db) as con:
        assert con.sql("select current_setting('threads')").fetchall() == [(1,)]
        assert limit_bytes(con) == pytest.approx(32e6, rel=0.01)
        con.execute("create table scratch as select range as i, repeat('x', 100) as s from range(5000)")
    with warehouse.opened(db, read_only=True) as con:
        groups = con.sql(
            "select row_group_id, max(count) from pragma_storage_info('scratch') "
            "where column_name = 'i' group by 1 order by 1"
        ).fetchall()
    assert [count for _, count in groups] == [2048, 2048, 904]


def test_a_write_over_the_budget_is_rolled_back_and_run_again_without_it(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    fill = "insert into big select string_agg(repeat('x', 1000), '') from range(20000)"  # one 20 MB value
    with warehouse.opened(db) as con:
        con.execute("create table big (s varchar)")
        con.execute("set memory_limit = '8MB'")
        with pytest.raises(duckdb.OutOfMemoryException):
            warehouse.one_transaction(con, lambda: con.execute(fill))
        assert con.sql("select count(*) from big").fetchall() == [(0,)]
        warehouse.in_transaction(con, lambda: con.execute(fill))
        assert limit_bytes(con) > 2**30
    assert warehouse.query(db, "select strlen(s) as n from big")["n"].to_list() == [20_000_000]


def test_a_wal_a_writer_leaves_is_checkpointed_into_the_file_at_once(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    leave_a_wal(db)
    assert warehouse.wal_of(db).exists(), "premise: a close without a checkpoint leaves the WAL"
    with warehouse.opened(db) as con:  # this writer's close leaves a WAL as an out-of-budget one would
        con.execute("pragma disable_checkpoint_on_shutdown")
        con.execute("insert into kept values (2)")
    assert not warehouse.wal_of(db).exists()
    assert warehouse.query(db, "select x from kept order by x")["x"].to_list() == [1, 2]


def test_a_wal_is_left_to_another_process_that_holds_the_file_by_then(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    leave_a_wal(db)
    holder = subprocess.Popen([sys.executable, "-c", HOLD.format(db=str(db))], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "HOLDING"
    warehouse.engine._check_in_wal(db)  # returns at once: the holder's close will checkpoint
    assert holder.poll() is None, "the holder still held the file while the check ran"
    assert holder.wait(timeout=30) == 0
    assert not warehouse.wal_of(db).exists()
    assert warehouse.query(db, "select x from kept")["x"].to_list() == [1]
