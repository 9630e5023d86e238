"""``sql`` means read-only: a user's query (``claimtrack sql``, ``export --query``) runs on a reader
DuckDB itself locks down, so it can touch nothing but the claimtrack database, read-only. COPY
TO, EXPORT DATABASE, ATTACH (read_only false), INSTALL/LOAD, read_text/read_csv/glob of any
file and SET/RESET to undo the lock are each refused in one line, and no file changes."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from faults_util import batch, snapshot

from claimtrack.cli import main
from claimtrack.transforms import warehouse

REFUSED = [  # (statement, words of DuckDB's refusal)
    ("copy (select 1 as x) to '{tmp}/precious.txt'", "Permission Error"),
    ("copy claim_records to '{tmp}/claims.csv' (header)", "Permission Error"),
    ("export database '{tmp}/dump'", "Permission Error"),
    ("attach '{tmp}/victim.duckdb' as v (read_only false)", "Permission Error"),
    ("attach '{tmp}/victim.duckdb' as v; delete from v.t", "Permission Error"),
    ("install spatial", "Permission Error"),
    ("load httpfs", "Permission Error"),
    ("select * from read_text('{tmp}/secret.txt')", "Permission Error"),
    ("select * from read_csv('/etc/passwd', sep = ':')", "Permission Error"),
    ("select * from read_blob('{tmp}/secret.txt')", "Permission Error"),
    ("select * from glob('{tmp}/*')", "Permission Error"),
    ("select * from read_parquet('https://example.org/x.parquet')", "Permission Error"),
    ("set enable_external_access = true", "the configuration has been locked"),
    ("reset enable_external_access", "the configuration has been locked"),
    ("set lock_configuration = false", "the configuration has been locked"),
    ("set allowed_directories = ['/']", "the configuration has been locked"),
    ("insert into claim_records select * from claim_records", "read-only mode"),
    ("create table mine as select 1", "read-only mode"),
    ("select 1; copy (select 1) to '{tmp}/precious.txt'", "Permission Error"),
]


@pytest.fixture
def loaded(db: Path, tmp_path: Path) -> Path:
    """A claimtrack database beside a precious file, a secret, and another DuckDB database."""
    warehouse.load_batch(db, *batch(3, "guard"))
    (tmp_path / "precious.txt").write_text("precious\n")
    (tmp_path / "secret.txt").write_text("TOP-SECRET\n")
    victim = duckdb.connect(str(tmp_path / "victim.duckdb"))
    victim.execute("create table t as select range as x from range(5)")
    victim.close()
    return db


def files(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with its sha256."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*")}


@pytest.mark.parametrize(("statement", "says"), REFUSED)
def test_sql_touches_nothing_but_the_database_read_only(
    loaded: Path, tmp_path: Path, statement: str, says: str
) -> None:
    before, stored = files(tmp_path), snapshot(loaded)
    started = time.monotonic()
    result = CliRunner().invoke(main, ["sql", statement.replace("{tmp}", str(tmp_path)), "--db", str(loaded)])
    assert time.monotonic() - started < 10  # INSTALL did not wait for the network
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1 and says in result.stderr
    assert "TOP-SECRET" not in result.output and "root:" not in result.output
    assert files(tmp_path) == before and snapshot(loaded) == stored
    victim = duckdb.connect(str(tmp_path / "victim.duckdb"), read_only=True)
    assert victim.sql("select count(*) from t").fetchall() == [(5,)]
    victim.close()


def test_permission_errors_say_how_to_write_files(loaded: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["sql", f"copy claim_records to '{tmp_path}/c.csv'", "--db", str(loaded)])
    assert "a query reads only the claimtrack database (write files with 'export')" in result.stderr


def test_reading_the_database_still_works(loaded: Path) -> None:
    result = CliRunner().invoke(
        main, ["sql", "select count(*) as n from claims", "--db", str(loaded), "--format", "csv"]
    )
    assert (result.exit_code, result.stdout) == (0, "n\n6\n")


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("select * from read_text('{tmp}/secret.txt')", "Permission Error"),
        ("select 1 as x) to '{tmp}/evil.csv' (format csv); copy (select 1 as x", "syntax error"),
        ("select 1 as x; select 2 as y", "one SELECT statement"),
        ("copy (select 1) to '{tmp}/evil.csv'", "one SELECT statement"),
    ],
)
def test_export_query_runs_under_the_same_guards(loaded: Path, tmp_path: Path, query: str, says: str) -> None:
    before = files(tmp_path)
    out = tmp_path / "out.csv"
    args = ["export", "--query", query.replace("{tmp}", str(tmp_path)), "-o", str(out), "--db", str(loaded)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1 and says in result.stderr
    assert files(tmp_path) == before  # no output, no partial file, no evil.csv


def test_export_query_still_writes_its_own_output(loaded: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    args = ["export", "--query", "select count(*) as n from claims", "-o", str(out), "--db", str(loaded)]
    assert CliRunner().invoke(main, args).exit_code == 0
    assert out.read_text() == "n\n6\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["claims.duckdb", "out.csv", "precious.txt", "secret.txt", "victim.duckdb"]
    )
