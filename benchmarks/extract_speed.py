"""Sentences per second: claimtrack's extractor against quantulum3 on the same sentences.

usage: python benchmarks/extract_speed.py [--limit N] [--docs DOCS.jsonl]

Sentences come from the development set at ../shared/eval/dev/docs.jsonl when present
(read only, for measurement), else from data/samples/. quantulum3 is installed only for this
benchmark: ``pip install -e '.[bench]'``. Both extractors are warmed up first (their first
calls load rules and models), then each runs over the same sentences three times, and the
fastest run of each counts (so a busy machine penalises neither).
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from claimtrack.transforms.claims import extract_quantities, load_extractor_rules
from claimtrack.transforms.claims.sentences import split_sentences

ROOT = Path(__file__).resolve().parent.parent
DEV_DOCS = ROOT.parent / "shared" / "eval" / "dev" / "docs.jsonl"


def load_sentences(docs: Path, limit: int) -> list[tuple[str, date | None]]:
    """Sentences (with their document's publication date) from a docs.jsonl or data/samples."""
    texts: list[tuple[str, date | None]] = []
    if docs.exists():
        for line in docs.read_text(encoding="utf-8").splitlines():
            doc = json.loads(line)
            texts.append((doc["text"], date.fromisoformat(doc["published"])))
    else:
        texts = [(p.read_text(encoding="utf-8"), None) for p in sorted((ROOT / "data" / "samples").glob("*.txt"))]
    sentences = [(s.text, published) for text, published in texts for s in split_sentences(text)]
    return sentences[:limit]


REPEATS = 3


def best_of(run: Callable[[], int]) -> tuple[float, int]:
    """The fastest of ``REPEATS`` timed calls of ``run`` (seconds) and what it returned."""
    timings = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        found = run()
        timings.append(time.perf_counter() - start)
    return min(timings), found


def time_claimtrack(sentences: list[tuple[str, date | None]]) -> tuple[float, int]:
    """Best seconds and quantities found by claimtrack over ``sentences``."""
    rules = load_extractor_rules()
    extract_quantities("Russia lost 5 tanks on Monday.", date(2024, 1, 1), rules)
    return best_of(lambda: sum(len(extract_quantities(text, published, rules)) for text, published in sentences))


def time_quantulum(sentences: list[tuple[str, date | None]]) -> tuple[float, int] | None:
    """Best seconds and quantities found by quantulum3, or None when it is not installed."""
    try:
        from quantulum3 import parser
    except ImportError:
        return None
    parser.parse("Russia lost 5 tanks on Monday.")
    return best_of(lambda: sum(len(parser.parse(text)) for text, _ in sentences))


def main() -> None:
    """Run both extractors and print sentences per second and the ratio."""
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--limit", type=int, default=2000, help="at most this many sentences")
    args.add_argument("--docs", type=Path, default=DEV_DOCS, help="a docs.jsonl file")
    options = args.parse_args()
    sentences = load_sentences(options.docs, options.limit)
    ours, our_count = time_claimtrack(sentences)
    print(f"sentences: {len(sentences)}")
    print(f"claimtrack: {len(sentences) / ours:,.0f} sentences/s ({our_count} quantities, {ours:.2f} s)")
    theirs = time_quantulum(sentences)
    if theirs is None:
        print("quantulum3: not installed (pip install -e '.[bench]')")
        return
    print(f"quantulum3: {len(sentences) / theirs[0]:,.0f} sentences/s ({theirs[1]} quantities, {theirs[0]:.2f} s)")
    print(f"ratio: claimtrack is {theirs[0] / ours:.1f}x quantulum3")


if __name__ == "__main__":
    main()
