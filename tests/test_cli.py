"""The ``claimtrack`` command: help, sql, export and extract (no Prefect needed here)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, SEED, SHARED, page_html

from claimtrack.cli import main
from claimtrack.transforms import warehouse
from claimtrack.transforms.model import Claim
from claimtrack.transforms.normalize import articles_to_frame, claims_to_frame, comparisons_to_frame, failures_to_frame
from claimtrack.transforms.pages import PageText, make_article

COMMANDS = ("run", "sql", "export", "extract")


def invoke(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def loaded(db: Path) -> Path:
    """A database holding one article with two claims (loaded without Prefect)."""
    text = "Russia lost 700,000 troops and 9,000 tanks."
    article = make_article(
        PageText(text=text, title="Losses", published=date(2024, 11, 3)),
        "https://example.com/losses",
        datetime(2024, 11, 3, tzinfo=UTC),
    )
    claims = [
        (
            article.article_id,
            Claim(
                start=s,
                end=e,
                text=text[s:e],
                value=v,
                low=v,
                high=v,
                bound="=",
                unit=u,
                kind="cumulative",
                sentence=text,
                published=date(2024, 11, 3),
                metric=m,
                period_end=p,
            ),
        )
        for s, e, v, u, m, p in (
            (12, 19, 700000, "troop", "personnel_losses", date(2024, 11, 3)),
            (31, 36, 9000, "tank", "tank_losses", date(2023, 5, 1)),
        )
    ]
    warehouse.load_batch(
        db, articles_to_frame([article]), claims_to_frame(claims), comparisons_to_frame([]), failures_to_frame("r", [])
    )
    return db


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command: str) -> None:
    code, out, _ = invoke(command, "--help")
    assert code == 0
    assert "Example" in out and f"claimtrack {command}" in out


def test_sql_formats(loaded: Path) -> None:
    query = "select unit, value, period_end from claims order by value"
    code, out, _ = invoke("sql", query, "--db", str(loaded), "--format", "csv")
    assert (code, out) == (0, "unit,value,period_end\ntank,9000.0,2023-05-01\ntroop,700000.0,2024-11-03\n")
    code, out, _ = invoke("sql", query, "--db", str(loaded), "--format", "json")
    assert json.loads(out) == [
        {"unit": "tank", "value": 9000.0, "period_end": "2023-05-01"},
        {"unit": "troop", "value": 700000.0, "period_end": "2024-11-03"},
    ]
    code, out, _ = invoke("sql", query, "--db", str(loaded))
    assert code == 0 and "| troop" in out and out.rstrip().endswith("(2 rows)")


def test_sql_parameters(loaded: Path) -> None:
    code, out, _ = invoke(
        "sql",
        "select unit from claims where metric = $m",
        "-p",
        "m",
        "tank_losses",
        "--db",
        str(loaded),
        "--format",
        "csv",
    )
    assert (code, out) == (0, "unit\ntank\n")


def test_sql_errors_are_one_line_with_the_right_exit_status(db: Path, loaded: Path) -> None:
    code, _, err = invoke("sql", "select 1", "--db", str(db.parent / "none.duckdb"))
    assert code == 1 and err.strip().endswith("does not exist; run 'claimtrack run' first or pass --db")
    code, _, err = invoke("sql", "selec * from claims", "--db", str(loaded))
    assert code == 2 and err.count("\n") == 1 and err.startswith("Error: Parser Error: syntax error")
    code, _, err = invoke("sql", "select * from nowhere", "--db", str(loaded))
    assert code == 2 and "nowhere" in err
    code, _, err = invoke("sql", "select 1", "--bogus")
    assert code == 2 and err.count("\n") == 1 and "No such option" in err


def test_export_writes_every_claim_with_provenance(loaded: Path, tmp_path: Path) -> None:
    out = tmp_path / "claims.csv"
    code, stdout, _ = invoke("export", "--db", str(loaded), "-o", str(out))
    assert code == 0 and stdout.strip() == f"wrote 2 rows to {out}"
    records = list(csv.DictReader(out.open(encoding="utf-8")))
    assert {"source", "origin", "url", "sentence", "published", "title", "claim_id"} <= set(records[0])
    assert records[0]["url"] == "https://example.com/losses"


def test_export_filters_and_query(loaded: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    assert invoke("export", "--db", str(loaded), "--metric", "tank_losses", "-o", str(out))[0] == 0
    assert [r["unit"] for r in csv.DictReader(out.open())] == ["tank"]
    assert invoke("export", "--db", str(loaded), "--since", "2024-01-01", "-o", str(out), "--force")[0] == 0
    assert [r["unit"] for r in csv.DictReader(out.open())] == ["troop"]
    assert invoke("export", "--db", str(loaded), "--until", "2023-12-31", "-o", str(out), "--force")[0] == 0
    assert [r["unit"] for r in csv.DictReader(out.open())] == ["tank"]
    assert (
        invoke("export", "--db", str(loaded), "--query", "select title from articles", "-o", str(out), "--force")[0]
        == 0
    )
    assert out.read_text() == "title\nLosses\n"


def test_export_usage_errors(loaded: Path, tmp_path: Path) -> None:
    out = str(tmp_path / "x.csv")
    code, _, err = invoke("export", "--db", str(loaded), "--metric", "troop_loss", "-o", out)
    assert code == 2 and "unknown metric 'troop_loss'; known metrics: personnel_losses, tank_losses" in err
    code, _, err = invoke("export", "--db", str(loaded), "--since", "2024-02-30", "-o", out)
    assert code == 2 and "'2024-02-30' is not a date; use YYYY-MM-DD" in err and err.count("\n") == 1
    code, _, err = invoke("export", "--db", str(loaded), "--query", "select 1", "--metric", "x", "-o", out)
    assert code == 2 and "either --query or the filters" in err


def test_extract_jsonl_from_stdin_and_its_errors() -> None:
    docs = "".join(
        json.dumps({"id": f"d{i}", "published": "2024-05-04", "text": t}) + "\n"
        for i, t in enumerate(["Nothing to count here.", SEED.read_text(encoding="utf-8")])
    )
    code, out, _ = invoke("extract", "--input", "-", stdin=docs)
    assert code == 0
    for line in out.splitlines():
        record = json.loads(line)
        assert record["doc"] == "d1" and record["published"] == "2024-05-04"
    code, _, err = invoke("extract", "--input", "-", stdin='{"id": "x", "text": "a"}\nnot json\n')
    assert code == 2 and err.startswith("Error: <stdin> line 2: not valid JSON")
    code, _, err = invoke("extract", "--input", "-", stdin='{"id": "x"}\n')
    assert code == 2 and "line 1: missing key 'text'" in err
    code, _, err = invoke("extract")
    assert code == 2 and "give FILE arguments or --input" in err


def test_extract_html_files_use_their_main_text(tmp_path: Path) -> None:
    page = tmp_path / "voa.html"
    page.write_bytes(page_html("VoiceOfAmerica_2024_04_28"))
    code, out, _ = invoke("extract", str(page), "--quantities")
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert records and {r["doc"] for r in records} == {"voa"}
    assert {r["published"] for r in records} == {"2024-04-28"}  # from the page's metadata


def test_extract_seed_file_offsets_index_the_file_text() -> None:
    code, out, _ = invoke("extract", str(SEED), "--published", "2024-11-03")
    assert code == 0
    text = SEED.read_text(encoding="utf-8")
    records = [json.loads(line) for line in out.splitlines()]
    assert records, "the extractor found no claim in the seed article"
    for record in records:
        assert record["doc"] == "seed_article"
        assert text[record["start"] : record["end"]] == record["text"]


def test_extract_imports_neither_prefect_nor_duckdb() -> None:
    code = (
        "import sys\n"
        "from claimtrack.cli import main\n"
        f"main(['extract', {str(SEED)!r}, '--published', '2024-11-03'], standalone_mode=False)\n"
        "heavy = [m for m in ('prefect', 'duckdb') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr


def test_extract_handles_the_dev_set_quickly() -> None:
    """The evaluation's call: 30 real articles from ../shared/eval/dev, offsets into each text."""
    path = SHARED / "eval" / "dev" / "docs.jsonl"
    texts = {d["id"]: d["text"] for d in map(json.loads, path.read_text(encoding="utf-8").splitlines())}
    started = time.monotonic()
    code, out, err = invoke("extract", "--input", str(path))
    elapsed = time.monotonic() - started
    assert code == 0, err
    records = [json.loads(line) for line in out.splitlines()]
    assert len({r["doc"] for r in records}) > 20
    for record in records:
        assert texts[record["doc"]][record["start"] : record["end"]] == record["text"]
    assert elapsed < 60


def test_run_refuses_a_bad_sources_file_before_starting(tmp_path: Path) -> None:
    config = tmp_path / "sources.toml"
    config.write_text('[[source]]\nname = "x"\nkind = "ftp"\nlocation = "a"\n')
    started = time.monotonic()
    code, _, err = invoke("run", "--sources-file", str(config), "--db", str(tmp_path / "x.duckdb"))
    assert code == 2 and "source 'x': unknown kind 'ftp'" in err and err.count("\n") == 1
    assert time.monotonic() - started < 5  # Prefect was not started


def test_run_refuses_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes")
    code, _, err = invoke("run", str(SEED), "--db", str(notes))
    assert code == 1 and err.startswith(f"Error: cannot open {notes}") and err.count("\n") == 1
    assert notes.read_text() == "my notes"
