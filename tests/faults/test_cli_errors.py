"""Usage and runtime errors of the claimtrack command: one line each, exit 2 for usage errors
and 1 for runtime errors, a traceback only with --debug."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from faults_util import batch, snapshot

from claimtrack.cli import main
from claimtrack.transforms import warehouse


@pytest.fixture
def loaded(db: Path) -> Path:
    warehouse.load_batch(db, *batch(2, "cli"))
    return db


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stderr


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (["sql", "selec * from claims"], 2, "Error: Parser Error: syntax error"),
        (["sql", "select * from nowhere"], 2, "nowhere"),
        (["sql", "select * from claims where metric = $m"], 2, "Error: "),
        (["export", "--metric", "troop_loss", "-o", "{tmp}/x.csv"], 2, "unknown metric 'troop_loss'; known metrics:"),
        (["export", "--since", "2024-13-01", "-o", "{tmp}/x.csv"], 2, "'2024-13-01' is not a date; use YYYY-MM-DD"),
        (["run", "--published", "yesterday", "x.txt"], 2, "'yesterday' is not a date; use YYYY-MM-DD"),
        (["sql", "select 1", "--bogus"], 2, "No such option '--bogus'"),
        (["frobnicate"], 2, "No such command 'frobnicate'"),
        (["sql", "select 1", "--db", "{tmp}/missing.duckdb"], 1, "does not exist; run 'claimtrack run' first"),
    ],
)
def test_each_error_is_one_line_with_its_exit_status(
    loaded: Path, tmp_path: Path, args: list[str], code: int, says: str
) -> None:
    before = snapshot(loaded)
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    if "--db" not in args and args[0] in ("sql", "export"):
        args += ["--db", str(loaded)]
    exit_code, err = invoke(*args)
    assert exit_code == code, err
    assert err.count("\n") == 1 and err.startswith("Error: ") and says in err, err
    assert "Traceback" not in err
    assert snapshot(loaded) == before


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--debug", "sql", "select 1", "--db", str(tmp_path / "missing.duckdb")])
    assert result.exit_code == 1 and isinstance(result.exception, warehouse.WarehouseError)
