"""``claimtrack sql`` and ``claimtrack export`` as people use them with pipes: every view in every
format, nested values as JSON text in flat formats, queries from standard input or a file,
``--limit``, no cutting off a terminal, ``export -o -``, unknown suffixes refused, DuckDB's hints."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimtrack.cli import main
from claimtrack.cli.output import FORMATS

VIEWS = (
    "articles",
    "original_articles",
    "article_texts",
    "claims",
    "comparisons",
    "series",
    "latest",
    "daily",
    "conflicts",
    "sources",
    "comparison_periods",
    "known_on('2030-01-01')",
    "runs",
    "failures",
)


def invoke(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("view", VIEWS)
def test_every_view_prints_in_every_format(sample_db: Path, view: str, fmt: str) -> None:
    query = f"select * from {view} order by all"
    code, out, err = invoke("sql", query, "--db", str(sample_db), "--format", fmt)
    assert code == 0, err
    rows = json.loads(invoke("sql", query, "--db", str(sample_db), "--format", "json")[1])
    if fmt == "jsonl":
        assert [json.loads(line) for line in out.splitlines()] == rows
    else:
        assert out.strip(), f"{view} printed nothing in {fmt}"


def test_nested_values_are_json_text_in_flat_formats_and_nested_in_json(sample_db: Path) -> None:
    query = "select metric, unit, sources from latest order by metric, unit"
    _, out, _ = invoke("sql", query, "--db", str(sample_db), "--format", "json")
    rows = json.loads(out)
    assert rows and all(isinstance(row["sources"], list) for row in rows)
    for fmt, delimiter in (("csv", ","), ("tsv", "\t")):
        _, out, _ = invoke("sql", query, "--db", str(sample_db), "--format", fmt)
        flat = list(csv.DictReader(io.StringIO(out), delimiter=delimiter))
        assert [json.loads(row["sources"]) for row in flat] == [row["sources"] for row in rows]
    _, out, _ = invoke("sql", query, "--db", str(sample_db), "--format", "jsonl")
    assert [json.loads(line) for line in out.splitlines()] == rows


def test_query_from_standard_input_or_a_file_and_limit(sample_db: Path, tmp_path: Path) -> None:
    query = "select claim_id from claims order by claim_id"
    _, everything, _ = invoke("sql", query, "--db", str(sample_db), "--format", "csv")
    code, out, _ = invoke("sql", "-", "--db", str(sample_db), "--format", "csv", stdin=query)
    assert (code, out) == (0, everything)
    (tmp_path / "q.sql").write_text(query + ";\n", encoding="utf-8")
    code, out, _ = invoke("sql", "--file", str(tmp_path / "q.sql"), "--db", str(sample_db), "--format", "csv")
    assert (code, out) == (0, everything)
    code, out, _ = invoke("sql", query, "--db", str(sample_db), "--format", "csv", "--limit", "2")
    assert (code, out.splitlines()) == (0, everything.splitlines()[:3])
    code, _, err = invoke("sql", query, "--file", str(tmp_path / "q.sql"), "--db", str(sample_db))
    assert code == 2 and err.count("\n") == 1 and "once" in err
    code, _, err = invoke("sql", "-", "--db", str(sample_db), stdin="  \n")
    assert code == 2 and "empty" in err


def test_table_cuts_long_values_only_when_asked_off_a_terminal(sample_db: Path) -> None:
    query = "select sentence from claims order by length(sentence) desc limit 1"
    _, csv_out, _ = invoke("sql", query, "--db", str(sample_db), "--format", "csv")
    sentence = next(csv.reader(io.StringIO(csv_out.splitlines()[1])))[0]
    assert len(sentence) > 100
    _, out, _ = invoke("sql", query, "--db", str(sample_db))  # not a terminal: whole
    assert sentence in out and out.rstrip().endswith("(1 rows)")
    _, out, _ = invoke("sql", query, "--db", str(sample_db), "--max-width", "30")
    assert sentence not in out and sentence[:25] in out and "..." in out


def test_markdown_escapes_pipes_and_line_breaks(sample_db: Path) -> None:
    query = "select 'a|b' as x, 'one' || chr(10) || 'two' as y"
    code, out, _ = invoke("sql", query, "--db", str(sample_db), "--format", "markdown")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 3 and r"a\|b" in lines[2] and "one<br>two" in lines[2]


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
@pytest.mark.parametrize("view", ["latest", "sources", "runs", "articles"])
def test_export_to_standard_output_matches_sql(sample_db: Path, view: str, fmt: str) -> None:
    query = f"select * from {view} order by all"
    _, printed, _ = invoke("sql", query, "--db", str(sample_db), "--format", fmt)
    code, out, err = invoke("export", "--query", query, "--db", str(sample_db), "--format", fmt, "-o", "-")
    assert (code, out) == (0, printed)
    assert err.startswith("wrote ") and err.rstrip().endswith("to standard output")


def test_export_writes_nested_values_as_json_text_and_refuses_unknown_suffixes(sample_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "latest.csv"
    assert invoke("export", "--view", "latest", "--db", str(sample_db), "-o", str(out))[0] == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows and all(isinstance(json.loads(row["sources"]), list) for row in rows)
    assert not (tmp_path / "-").exists()
    for name in ("x.json", "x.xlsx"):
        code, _, err = invoke("export", "--db", str(sample_db), "-o", str(tmp_path / name))
        assert code == 2 and err.count("\n") == 1 and "csv (.csv), parquet" in err
        assert not (tmp_path / name).exists()


def test_duckdb_hints_reach_the_user_whole(sample_db: Path) -> None:
    code, _, err = invoke("sql", "select * from serie", "--db", str(sample_db))
    assert code == 2 and err.count("\n") == 1 and 'Did you mean "series"?' in err
    code, _, err = invoke("sql", "select metrc from series", "--db", str(sample_db))
    assert code == 2 and err.count("\n") == 1 and 'Candidate bindings: "metric"' in err
