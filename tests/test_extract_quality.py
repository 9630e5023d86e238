"""Quality gate: the extractor's scores on the shared development sets stay above pinned floors.

Reads ../shared/eval/dev and ../shared/eval/dev2 (texts are not copied into the project) and
scores with the shared ../shared/eval/score_claims.py, exactly as CLAIMS_SPEC section 5
describes. Both are development sets (the extractor's rules were written while reading them);
the floors live in tests/data/extract_baseline.json, one table per set.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from test_claims_seed import SHARED, scorer

from claimtrack.transforms.claims import extract_claims

BASELINE = Path(__file__).parent / "data" / "extract_baseline.json"
FLOORS: dict[str, dict[str, float]] = {k: v for k, v in json.loads(BASELINE.read_text()).items() if k[0] != "_"}
CASES = [(name, metric) for name, floors in FLOORS.items() for metric in floors]


def _score(name: str) -> dict[str, Any]:
    """Extract every document of the set ``name`` and score it against its gold."""
    folder = SHARED / "eval" / name
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


@pytest.fixture(scope="module")
def reports() -> dict[str, dict[str, Any]]:
    return {name: _score(name) for name in FLOORS}


def test_both_development_sets_are_gated() -> None:
    assert set(FLOORS) == {"dev", "dev2"}
    assert all({"strict_claim_f1", "kind", "period_start", "period_end"} <= set(f) for f in FLOORS.values())


@pytest.mark.parametrize("name,metric", CASES, ids=[f"{n}-{m}" for n, m in CASES])
def test_score_at_or_above_floor(name: str, metric: str, reports: dict[str, dict[str, Any]]) -> None:
    report = reports[name]
    floor = FLOORS[name][metric]
    assert metric in report, f"scorer gave no {metric} on {name}: {sorted(report)}"
    assert report[metric] >= floor, f"{name}: {metric} {report[metric]:.3f} fell below its floor {floor}"
