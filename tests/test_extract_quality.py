"""Quality gate: the extractor's scores on the shared development set stay above pinned floors.

Reads ../shared/eval/dev (texts are not copied into the project) and scores with the shared
../shared/eval/score_claims.py, exactly as CLAIMS_SPEC section 5 describes. Floors live in
tests/data/extract_baseline.json.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from test_claims_seed import SHARED, scorer

from claimtrack.transforms.claims import extract_claims

DEV = SHARED / "eval" / "dev"
BASELINE = Path(__file__).parent / "data" / "extract_baseline.json"


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    assert DEV.exists(), f"{DEV} is missing: the development set ships beside the project in ../shared"
    score = scorer()
    predicted: dict[str, list[dict[str, Any]]] = {}
    for line in (DEV / "docs.jsonl").read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        records = [c.to_record(doc["id"]) for c in extract_claims(doc["text"], date.fromisoformat(doc["published"]))]
        predicted[doc["id"]] = sorted(records, key=lambda r: (r["start"], r["end"]))
    result = score.score(score.load(str(DEV / "dev.gold.jsonl")), predicted)
    return {
        "detection_f1": result["detection"]["f1"],
        "strict_claim_f1": result["strict_claim_f1"],
        **result["field_accuracy"],
    }


@pytest.mark.parametrize("metric", [k for k in json.loads(BASELINE.read_text()) if not k.startswith("_")])
def test_score_at_or_above_floor(metric: str, report: dict[str, Any]) -> None:
    floor = json.loads(BASELINE.read_text())[metric]
    assert metric in report, f"scorer gave no {metric}: {sorted(report)}"
    assert report[metric] >= floor, f"{metric} {report[metric]:.3f} fell below its floor {floor}"
