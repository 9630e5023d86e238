"""Files that are not ours: another application's DuckDB database, a claimtrack database cut in
half or written by a newer claimtrack are refused at --db before anything is written (not a byte,
no table, no WAL), while an empty DuckDB file is taken; ``export -o`` never replaces an existing
file without --force, and never a database, even with it."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from conftest import SEED
from faults_util import batch, stored

from claimtrack.cli import main
from claimtrack.transforms import warehouse


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def foreign(path: Path) -> Path:
    """Another application's DuckDB database, with a ``runs`` table of its own."""
    con = duckdb.connect(str(path))
    con.execute("create table runs (id integer, who varchar); insert into runs values (1, 'me')")
    con.execute("create table notes (body varchar); insert into notes values ('keep me')")
    con.close()
    return path


def cut_in_half(path: Path) -> Path:
    """A claimtrack database of 300 articles, then only the first half of its bytes."""
    for part in range(3):
        warehouse.load_batch(path, *batch(100, f"half{part}"))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def newer(path: Path) -> Path:
    """A claimtrack database whose schema_version lists a step this claimtrack does not know."""
    warehouse.load_batch(path, *batch(2, "newer"))
    con = duckdb.connect(str(path))
    con.execute("insert into schema_version values (99, '099_from_the_future.sql', now())")
    con.close()
    return path


CASES = {
    "foreign": (foreign, "is another application's database (tables notes, runs), not claimtrack's"),
    "cut in half": (cut_in_half, "the file is cut short"),
    "newer": (newer, "was written by a newer claimtrack (schema 099_from_the_future.sql); nothing was written"),
}


@pytest.mark.parametrize("kind", sorted(CASES))
def test_a_file_that_is_not_ours_is_refused_before_anything_is_written(tmp_path: Path, kind: str) -> None:
    make, says = CASES[kind]
    db = make(tmp_path / "other.duckdb")
    original = db.read_bytes()
    for args in (["run", str(SEED)], ["reextract"]):
        started = time.monotonic()
        code, _, err = invoke(*args, "--db", str(db))
        assert time.monotonic() - started < 5, args  # refused before Prefect started
        assert code == 1 and err.count("\n") == 1 and err.startswith(f"Error: cannot use {db}: "), err
        assert says in err and "nothing was written to it" in err, err
        assert db.read_bytes() == original
        assert not warehouse.wal_of(db).exists()
    with pytest.raises(warehouse.WarehouseError, match="nothing was written"):
        warehouse.load_batch(db, *batch(1, "x"))
    assert db.read_bytes() == original


def test_a_foreign_database_keeps_its_own_tables_and_columns(tmp_path: Path) -> None:
    db = foreign(tmp_path / "other.duckdb")
    invoke("run", str(SEED), "--db", str(db))
    con = duckdb.connect(str(db), read_only=True)
    assert con.sql("select table_name from duckdb_tables() order by 1").fetchall() == [("notes",), ("runs",)]
    assert [column for column, *_ in con.sql("describe runs").fetchall()] == ["id", "who"]
    con.close()


def test_an_empty_duckdb_file_becomes_a_claimtrack_database(tmp_path: Path) -> None:
    db = tmp_path / "empty.duckdb"
    duckdb.connect(str(db)).close()
    counts = warehouse.load_batch(db, *batch(2, "empty"))
    assert counts.articles_new == 2 and stored(db, "select count(*) from claims") == [(4,)]


@pytest.fixture
def exported(db: Path) -> Path:
    warehouse.load_batch(db, *batch(2, "exp"))
    return db


def test_export_refuses_an_existing_file_unless_forced(exported: Path, tmp_path: Path) -> None:
    out = tmp_path / "notes.csv"
    out.write_text("my notes\n")
    code, _, err = invoke("export", "--db", str(exported), "-o", str(out))
    assert (
        code == 1
        and err == f"Error: cannot write {out}: the file exists; pass --force to replace it or give a new name\n"
    )
    assert out.read_text() == "my notes\n"
    code, stdout, _ = invoke("export", "--db", str(exported), "-o", str(out), "--force")
    assert code == 0 and stdout == f"wrote 4 rows to {out}\n" and out.read_text().startswith("metric,")


def test_a_failed_forced_export_leaves_the_old_file_whole(exported: Path, tmp_path: Path) -> None:
    out = tmp_path / "keep.csv"
    out.write_text("my notes\n")
    code, _, _ = invoke("export", "--db", str(exported), "--query", "select nope", "-o", str(out), "--force")
    assert code == 2 and out.read_text() == "my notes\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["claims.duckdb", "keep.csv"]  # no partial file


@pytest.mark.parametrize("kind", ["duckdb", "sqlite", "the database itself"])
def test_export_never_replaces_a_database_even_forced(exported: Path, tmp_path: Path, kind: str) -> None:
    if kind == "duckdb":
        out = foreign(tmp_path / "victim.csv")  # a database, whatever its name
    elif kind == "sqlite":
        out = tmp_path / "notes.db"
        with sqlite3.connect(out) as con:
            con.execute("create table t (x)")
    else:
        out = exported
    original = out.read_bytes()
    for force in ([], ["--force"]):
        code, _, err = invoke("export", "--db", str(exported), "-o", str(out), "--format", "csv", *force)
        assert code == 1 and err.count("\n") == 1 and err.startswith(f"Error: cannot write {out}: it is "), err
        assert out.read_bytes() == original
