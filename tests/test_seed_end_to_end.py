"""The seed article end to end: ``claimtrack run`` on the bundled sample, then ``claimtrack sql``.

These checks need the extractor (transforms/claims.py) to get the seed article right: they
compare the stored claims with ../shared/samples/seed_article.expected.jsonl.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import ROOT, SHARED

from flows.cli import main

EXPECTED = [json.loads(line) for line in (SHARED / "samples" / "seed_article.expected.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
COMPARED = [json.loads(line) for line in (SHARED / "samples" / "seed_article.comparisons.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]


def sql(db: Path, query: str) -> list[dict[str, Any]]:
    result = CliRunner().invoke(main, ["sql", query, "--db", str(db), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def matches(gold: dict[str, Any], row: dict[str, Any]) -> bool:
    """Span overlap and value agreement, as in CLAIMS_SPEC section 5."""
    if row["start"] >= gold["end"] or gold["start"] >= row["end"]:
        return False
    if gold["value"] is None:
        return row["low"] is not None and abs(row["low"] - gold["low"]) <= 1e-6 * max(1, abs(gold["low"]))
    return row["value"] is not None and abs(row["value"] - gold["value"]) <= 1e-6 * max(1, abs(gold["value"]))


def check_fields(gold: dict[str, Any], row: dict[str, Any]) -> None:
    assert row["bound"] == gold["bound"], gold["text"]
    assert any(row["unit"] == u or row["unit"].rstrip("s").endswith(u) for u in gold["unit_any"]), (gold["text"], row["unit"])
    assert (row["kind"], row["period_start"], row["period_end"]) == (gold["kind"], gold["period_start"], gold["period_end"]), gold["text"]
    if gold["source_any"]:
        said = f"{row['source'] or ''} {row['origin'] or ''}".lower()
        assert any(word.lower() in said for word in gold["source_any"]), gold["text"]
    else:
        assert row["source"] is None, gold["text"]


@pytest.mark.usefixtures("prefect_harness")
def test_seed_article_through_run_and_sql(db: Path) -> None:
    result = CliRunner().invoke(main, ["run", "--db", str(db)])  # no SOURCE: data/sources.toml
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"claimtrack run: 1 article read (1 new, 0 copies), {len(EXPECTED)} claims")
    rows = sql(db, "select * from claims order by \"start\"")
    assert len(rows) == len(EXPECTED)
    for gold in EXPECTED:
        found = [row for row in rows if matches(gold, row)]
        assert len(found) == 1, f"no stored claim for {gold['text']!r}"
        check_fields(gold, found[0])
        assert found[0]["published"] == "2024-11-03"
        assert found[0]["title"].startswith("Puitn's Nightmare")
    stored = sql(db, "select relation, left_start, left_end, right_start, right_end, right_years, metric from comparisons order by relation")
    assert [(c["relation"], c["left_start"], c["left_end"]) for c in stored] == sorted(
        (c["relation"], c["left"]["period_start"], c["left"]["period_end"]) for c in COMPARED)


def test_claimtrack_run_in_a_fresh_process(tmp_path: Path) -> None:
    """The README's main job, as a user runs it: a new process, Prefect's temporary server."""
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect"), "CLAIMTRACK_DB": str(tmp_path / "c.duckdb")}
    env.pop("PREFECT_API_URL", None)
    result = subprocess.run([sys.executable, "-m", "flows.cli", "run"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == (f"claimtrack run: 1 article read (1 new, 0 copies), {len(EXPECTED)} claims and "
                        f"{len(COMPARED)} comparisons stored, 0 failures")
    assert lines[1] == f"database: {tmp_path / 'c.duckdb'}"
    assert lines[2].startswith('query it: claimtrack sql "select')
    assert "Traceback" not in result.stderr
