"""Acceptance: the seed article yields exactly the claims and comparisons in ../shared/samples.

Matching follows ../shared/eval/score_claims.py (imported from there): spans overlap and values
agree; every required claim must match with all scored fields right, and nothing outside the
expected records may be emitted.
"""

from __future__ import annotations

import importlib.util
import json
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from claimtrack.transforms.claims import extract_claims, extract_comparisons

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEED_TEXT = ROOT / "data" / "samples" / "seed_article.txt"
PUBLISHED = date(2024, 11, 3)


def scorer() -> ModuleType:
    """The shared scorer module (CLAIMS_SPEC section 5)."""
    spec = importlib.util.spec_from_file_location("score_claims", SHARED / "eval" / "score_claims.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def expected(kind: str) -> list[dict[str, Any]]:
    """Expected records of the seed article: ``claims`` or ``comparisons``."""
    name = "seed_article.expected.jsonl" if kind == "claims" else "seed_article.comparisons.jsonl"
    lines = (SHARED / "samples" / name).read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    return [r for r in records if ("relation" in r) == (kind == "comparisons")]


@pytest.fixture(scope="module")
def predicted() -> list[dict[str, Any]]:
    text = SEED_TEXT.read_text(encoding="utf-8")
    return [c.to_record("seed_article") for c in extract_claims(text, PUBLISHED)]


def test_seed_text_is_the_shared_article() -> None:
    assert SEED_TEXT.read_text(encoding="utf-8") == (SHARED / "samples" / "seed_article.txt").read_text(
        encoding="utf-8"
    )


@pytest.mark.parametrize("gold", [g for g in expected("claims") if g["required"]], ids=lambda g: g["text"])
def test_required_claim_found_with_every_field(gold: dict[str, Any], predicted: list[dict[str, Any]]) -> None:
    score = scorer()
    hits = [p for p in predicted if score.overlaps(gold, p) and score.values_agree(gold, p)]
    assert hits, f"missing {gold['text']!r}; got {[p['text'] for p in predicted]}"
    wrong = {f: (gold.get(f), hits[0].get(f)) for f in score.FIELDS if not score.field_ok(f, gold, hits[0])}
    assert not wrong, wrong


def test_no_claim_outside_the_expected_ones(predicted: list[dict[str, Any]]) -> None:
    score = scorer()
    stray = [p["text"] for p in predicted if not any(score.overlaps(g, p) for g in expected("claims"))]
    assert not stray


def test_records_slice_the_text(predicted: list[dict[str, Any]]) -> None:
    text = SEED_TEXT.read_text(encoding="utf-8")
    assert all(text[p["start"] : p["end"]] == p["text"] for p in predicted)
    assert all(p["text"] in p["sentence"] and p["published"] == "2024-11-03" for p in predicted)


def test_seed_comparisons() -> None:
    text = SEED_TEXT.read_text(encoding="utf-8")
    found = [c.to_record("seed_article") for c in extract_comparisons(text, PUBLISHED)]
    want = expected("comparisons")
    assert len(found) == len(want)
    for gold in want:
        match = [f for f in found if f["relation"] == gold["relation"]]
        assert match, gold["relation"]
        got = match[0]
        assert (got["metric"], got["subject"], got["left"], got["right"]) == (
            gold["metric"],
            gold["subject"],
            gold["left"],
            gold["right"],
        )
        assert got["source"] == gold["source"]
        assert "Russian independent media" in (got["origin"] or "")
        assert gold["text"] in got["sentence"] and (got["text"] in gold["text"] or gold["text"] in got["text"])
