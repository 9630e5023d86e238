"""The seed article end to end: ``claimtrack run`` on the bundled sample, then ``claimtrack sql``.

The stored claims are judged as ../shared/eval/score_claims.py judges extractor output against
../shared/samples/seed_article.expected.jsonl: every required claim is stored with every scored
field right, and nothing is stored outside the expected records. This needs the extractor
(transforms/claims.py) to get the seed article right.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import ROOT, SEED, SHARED
from test_claims_seed import scorer

from claimtrack.cli import main

PUBLISHED = date(2024, 11, 3)


def records(name: str) -> list[dict[str, Any]]:
    lines = (SHARED / "samples" / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def sql(db: Path, query: str) -> list[dict[str, Any]]:
    result = CliRunner().invoke(main, ["sql", query, "--db", str(db), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.usefixtures("prefect_harness")
def test_seed_article_through_run_and_sql(db: Path) -> None:
    result = CliRunner().invoke(main, ["run", "--db", str(db)])  # no SOURCE: data/sources.toml
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        "claimtrack run: 1 input (1 new, 0 new versions, 0 copies, 0 already stored, 0 failed), "
    )
    stored = sql(db, 'select * from claims order by "start"')
    score, expected = scorer(), records("seed_article.expected.jsonl")
    for gold in (g for g in expected if g["required"]):
        hits = [row for row in stored if score.overlaps(gold, row) and score.values_agree(gold, row)]
        assert hits, f"{gold['text']!r} not stored; stored: {[row['text'] for row in stored]}"
        wrong = {f: (gold.get(f), hits[0].get(f)) for f in score.FIELDS if not score.field_ok(f, gold, hits[0])}
        assert not wrong, (gold["text"], wrong)
    assert not [row["text"] for row in stored if not any(score.overlaps(g, row) for g in expected)]
    assert {row["published"] for row in stored} == {"2024-11-03"}
    assert all(row["title"].startswith("Puitn's Nightmare") and row["url"].startswith("file://") for row in stored)
    compared = sql(db, "select relation, left_start, left_end, right_years, metric from comparisons order by relation")
    want = records("seed_article.comparisons.jsonl")
    assert sorted((c["relation"], c["left_start"], c["left_end"], c["metric"]) for c in compared) == sorted(
        (c["relation"], c["left"]["period_start"], c["left"]["period_end"], c["metric"]) for c in want
    )
    again = CliRunner().invoke(main, ["run", "--db", str(db)])
    assert again.exit_code == 0, again.output
    assert again.stdout.startswith(
        "claimtrack run: 1 input (0 new, 0 new versions, 0 copies, 1 already stored, 0 failed), "
        "0 claims and 0 comparisons stored\n"
    ), again.stdout


def test_claimtrack_run_in_a_fresh_process(tmp_path: Path) -> None:
    """The README's main job as a user runs it: a new process on Prefect's temporary server."""
    from claimtrack.transforms.claims import extract_claims, extract_comparisons

    text = SEED.read_text(encoding="utf-8")
    claims, comparisons = len(extract_claims(text, PUBLISHED)), len(extract_comparisons(text, PUBLISHED))
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect"), "CLAIMTRACK_DB": str(tmp_path / "c.duckdb")}
    env.pop("PREFECT_API_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "claimtrack", "run"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert re.fullmatch(
        r"claimtrack run: 1 input \(1 new, 0 new versions, 0 copies, 0 already stored, 0 failed\), "
        rf"{claims} claims? and {comparisons} comparisons? stored",
        lines[0],
    ), lines[0]
    assert lines[1] == f"database: {tmp_path / 'c.duckdb'}"
    assert lines[2].startswith('query it: claimtrack sql "select')
    assert "Traceback" not in result.stderr
