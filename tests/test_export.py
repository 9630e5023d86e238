"""``claimtrack export``: every view in CSV, Parquet and JSON Lines, filters as parameters,
partitioned Parquet read back by DuckDB and Polars, ``--query``, and the error messages.

Runs the real command (click's CliRunner) on real DuckDB files seeded with hand-written
claims (tests/claims_seed.py)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pytest
from claims_seed import BMI, NEWS, seed_database
from click.testing import CliRunner

from claimtrack.cli import main
from claimtrack.transforms import warehouse

PROVENANCE = ("source", "origin", "url", "sentence", "published")
CLAIM_VIEWS = ("series", "claims", "latest", "daily", "comparison_periods")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A seeded database shared by this module's tests (they only read it)."""
    return seed_database(tmp_path_factory.mktemp("export") / "claims.duckdb")


def export(db: Path, *args: str) -> tuple[int, str, str]:
    """Run ``claimtrack export --db DB ARGS``; return (exit code, stdout, stderr)."""
    result = CliRunner().invoke(main, ["export", "--db", str(db), *args])
    return result.exit_code, result.stdout, result.stderr


def read(path: Path) -> pl.DataFrame:
    """An exported file read back by polars, by its suffix."""
    readers = {".csv": pl.read_csv, ".parquet": pl.read_parquet, ".jsonl": pl.read_ndjson}
    return readers[path.suffix](path)


def count(db: Path, view: str) -> int:
    return int(warehouse.query(db, f"select count(*) as n from {view}")["n"][0])


@pytest.mark.parametrize("view", [*CLAIM_VIEWS, "conflicts", "sources"])
def test_every_view_exports_every_row_with_its_provenance(seeded: Path, tmp_path: Path, view: str) -> None:
    out = tmp_path / f"{view}.csv"
    code, stdout, err = export(seeded, "--view", view, "-o", str(out))
    assert code == 0, err
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert stdout == f"wrote {len(rows)} rows to {out}\n" and len(rows) == count(seeded, view)
    if view in CLAIM_VIEWS:
        assert set(PROVENANCE) <= set(rows[0]), view
        assert all(r["url"].startswith("https://") and r["sentence"] for r in rows)
    elif view == "conflicts":
        assert {f"{side}_{c}" for side in "ab" for c in PROVENANCE} <= set(rows[0])
        assert {r["a_source"] for r in rows} == {"Ukraine's General Staff"}


def test_latest_and_daily_carry_the_provenance_of_their_claim(seeded: Path, tmp_path: Path) -> None:
    out = tmp_path / "latest.jsonl"
    assert export(seeded, "--view", "latest", "--metric", "treason_convictions", "-o", str(out))[0] == 0
    (row,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert (row["source"], row["origin"], row["published"]) == (BMI, "Russian independent media", "2024-05-31")
    assert row["sentence"] == "treason_convictions 300 as of 2024-05-31." and row["sources"] == [BMI]
    out = tmp_path / "daily.csv"
    assert export(seeded, "--view", "daily", "--source", BMI, "-o", str(out))[0] == 0
    assert {r["source"] for r in csv.DictReader(out.open(encoding="utf-8"))} == {BMI}


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".jsonl"])
@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ((), 23),
        (("--metric", "tank_losses"), 8),
        (("--metric", "tank_losses", "--source", NEWS), 2),
        (("--source", BMI), 4),
        (("--subject", "Ukraine"), 2),
        (("--since", "2024-05-30", "--until", "2024-05-31"), 6),
    ],
)
def test_each_format_with_filters(
    seeded: Path, tmp_path: Path, suffix: str, filters: tuple[str, ...], expected: int
) -> None:
    out = tmp_path / f"series{suffix}"
    assert export(seeded, *filters, "-o", str(out))[0] == 0
    frame = read(out)
    assert frame.height == expected and set(PROVENANCE) <= set(frame.columns)
    if "--since" in filters:
        assert sorted(map(str, frame["as_of"].unique())) == ["2024-05-30", "2024-05-31"]


def test_formats_are_real_and_the_format_option_wins_over_the_suffix(seeded: Path, tmp_path: Path) -> None:
    assert export(seeded, "--format", "parquet", "-o", str(tmp_path / "a.csv"))[0] == 0
    assert (tmp_path / "a.csv").read_bytes()[:4] == b"PAR1"
    assert export(seeded, "--format", "jsonl", "-o", str(tmp_path / "b.txt"))[0] == 0
    lines = (tmp_path / "b.txt").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 23 and all(json.loads(line)["claim_id"] for line in lines)
    assert export(seeded, "-o", str(tmp_path / "c.txt"))[0] == 2  # a suffix that names no format
    assert not (tmp_path / "c.txt").exists()
    assert export(seeded, "-o", str(tmp_path / "d"))[0] == 0  # no suffix: CSV
    assert (tmp_path / "d").read_text(encoding="utf-8").startswith("metric,subject,as_of,")


def test_csv_quotes_per_rfc_4180_in_utf8_with_iso_dates(tmp_path: Path) -> None:
    db = seed_database(tmp_path / "quoted.duckdb")
    sentence = 'He said, "1,000 tanks" — lost\nsince May.'
    with warehouse.opened(db) as con:
        con.execute("update claim_records set sentence = $s where claim_id = 'gs0501-0'", {"s": sentence})
    out = tmp_path / "q.csv"
    assert export(db, "--metric", "troop_losses", "--until", "2024-05-01", "-o", str(out))[0] == 0
    raw = out.read_bytes().decode("utf-8")
    assert '"He said, ""1,000 tanks"" — lost\nsince May."' in raw
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    total = next(r for r in rows if r["claim_id"] == "gs0501-0")
    assert total["sentence"] == sentence and total["as_of"] == "2024-05-01"
    assert total["published"] == "2024-05-01" and total["origin"] == ""  # null: empty field


def test_partitioned_parquet_is_read_by_duckdb_and_polars(seeded: Path, tmp_path: Path) -> None:
    folder = tmp_path / "exports" / "series"
    for _ in range(2):  # a second export replaces the first
        code, stdout, _ = export(seeded, "--format", "parquet", "--partition-by", "metric", "-o", str(folder))
        assert code == 0 and stdout == f"wrote 23 rows to {folder}\n"
    assert {p.name for p in folder.iterdir()} >= {"metric=tank_losses", "metric=troop_losses"}
    want = {
        r["metric"]: r["n"]
        for r in warehouse.query(seeded, "select metric, count(*) as n from series group by metric").to_dicts()
    }
    got = duckdb.sql(
        f"select metric, count(*) as n from read_parquet('{folder}/**/*.parquet', "
        "hive_partitioning = true) group by metric"
    ).fetchall()
    assert dict(got) == want
    frame = pl.read_parquet(folder, hive_partitioning=True)
    assert frame.height == 23 and frame.group_by("metric").len().height == len(want)
    assert frame.filter(pl.col("metric") == "tank_losses")["url"].str.starts_with("https://").all()
    assert frame["metric"].null_count() == want[None]


def test_query_with_parameterised_filters(seeded: Path, tmp_path: Path) -> None:
    out = tmp_path / "q.csv"
    query = "select claim_id, value from series where metric = $metric and as_of >= $since order by value"
    code, _, err = export(seeded, "--query", query, "--metric", "tank_losses", "--since", "2024-05-30", "-o", str(out))
    assert code == 0, err
    assert [r["value"] for r in csv.DictReader(out.open())] == ["300.0", "330.0", "400.0"]
    query = "select reporter, count(*) as n from series where reporter = $who group by all"
    assert export(seeded, "--query", query, "-p", "who", NEWS, "-o", str(out), "--force")[0] == 0
    assert out.read_text() == f"reporter,n\n{NEWS},2\n"


def test_filter_values_are_never_sql(seeded: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    for option in ("--source", "--subject"):
        assert export(seeded, option, "x' or '1'='1", "-o", str(out), "--force")[0] == 0
        assert list(csv.DictReader(out.open())) == []


def one_line_error(result: tuple[int, str, str], code: int, text: str) -> None:
    """Assert the exit status and that stderr is one ``Error: ...`` line containing ``text``."""
    assert result[0] == code, result
    assert result[2].startswith("Error: ") and result[2].count("\n") == 1 and text in result[2], result[2]


def test_usage_errors_are_one_line_with_exit_status_2(seeded: Path, tmp_path: Path) -> None:
    out = str(tmp_path / "x.csv")
    one_line_error(
        export(seeded, "--metric", "tank_loss", "-o", out),
        2,
        "unknown metric 'tank_loss'; known metrics: inflation, refugees, tank_losses, "
        "treason_convictions, troop_losses",
    )
    one_line_error(export(seeded, "--until", "31/05/2024", "-o", out), 2, "'31/05/2024' is not a date; use YYYY-MM-DD")
    one_line_error(
        export(seeded, "--since", "2024-06-01", "--until", "2024-05-01", "-o", out),
        2,
        "--since 2024-06-01 is after --until 2024-05-01",
    )
    one_line_error(
        export(seeded, "--view", "sources", "--subject", "Russia", "-o", out),
        2,
        "--subject has no effect: --view sources has no such filter",
    )
    one_line_error(
        export(seeded, "--partition-by", "metric", "-o", out), 2, "--partition-by writes Parquet only, not csv"
    )
    one_line_error(
        export(seeded, "--partition-by", "nope", "-o", str(tmp_path / "p")),
        2,
        "cannot partition by 'nope': the rows have no such column",
    )
    one_line_error(export(seeded, "-p", "a", "b", "-o", out), 2, "-p/--param sets parameters of --query")
    one_line_error(
        export(seeded, "--query", "select 1", "--source", "x", "-o", out),
        2,
        "--source has no effect: the --query does not use it",
    )
    one_line_error(export(seeded, "--query", "select * from nowhere", "-o", out), 2, "nowhere")
    assert not Path(out).exists()


def test_unwritable_outputs_are_one_line_with_exit_status_1(seeded: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    one_line_error(
        export(seeded, "-o", str(blocker / "x.csv")),
        1,
        f"cannot write {blocker / 'x.csv'}: {blocker} is a file, not a folder",
    )
    one_line_error(export(seeded, "-o", str(tmp_path)), 1, "it is a folder; give a file name")
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("keep me")
    one_line_error(export(seeded, "--partition-by", "metric", "-o", str(busy)), 1, "the folder holds other files")
    assert (busy / "notes.txt").read_text() == "keep me"


def test_warehouse_export_takes_parameters(seeded: Path, tmp_path: Path) -> None:
    params: dict[str, Any] = {"metric": "inflation", "subject": None, "source": None, "since": None, "until": None}
    out = tmp_path / "w.jsonl"
    assert warehouse.export(seeded, warehouse.sql_file("queries/export_series.sql"), params, out, "jsonl") == 1
    assert json.loads(out.read_text(encoding="utf-8"))["value"] == 8.5
