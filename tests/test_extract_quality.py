"""Quality gate: the extractor's scores on the shared development sets stay above pinned floors.

Reads ../shared/eval/<set> (texts are not copied into the project) and scores with the shared
../shared/eval/score_claims.py, exactly as CLAIMS_SPEC section 5 describes. Floors live in
tests/data/extract_baseline.json: one table per set (``dev``, ``dev2``), metric -> floor.
"""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from test_claims_seed import SHARED, scorer

from claimtrack.transforms.claims import extract_claims

EVAL = SHARED / "eval"
BASELINE = Path(__file__).parent / "data" / "extract_baseline.json"
FLOORS: dict[str, dict[str, float]] = {
    name: table for name, table in json.loads(BASELINE.read_text()).items() if not name.startswith("_")
}


@cache
def report(name: str) -> dict[str, Any]:
    """The scores of the extractor on development set ``name``."""
    folder = EVAL / name
    assert folder.exists(), f"{folder} is missing: the development sets ship beside the project in ../shared"
    score = scorer()
    predicted: dict[str, list[dict[str, Any]]] = {}
    for line in (folder / "docs.jsonl").read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        records = [c.to_record(doc["id"]) for c in extract_claims(doc["text"], date.fromisoformat(doc["published"]))]
        predicted[doc["id"]] = sorted(records, key=lambda r: (r["start"], r["end"]))
    result = score.score(score.load(str(folder / f"{name}.gold.jsonl")), predicted)
    return {
        "detection_f1": result["detection"]["f1"],
        "strict_claim_f1": result["strict_claim_f1"],
        **result["field_accuracy"],
    }


@pytest.mark.parametrize(("name", "metric"), [(name, metric) for name, table in FLOORS.items() for metric in table])
def test_score_at_or_above_floor(name: str, metric: str) -> None:
    scores = report(name)
    floor = FLOORS[name][metric]
    assert metric in scores, f"scorer gave no {metric}: {sorted(scores)}"
    assert scores[metric] >= floor, f"{name}: {metric} {scores[metric]:.3f} fell below its floor {floor}"
