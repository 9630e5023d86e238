"""Sentences per second: claimtrack's extractor against quantulum3 on the same sentences.

usage: python benchmarks/extract_speed.py [--limit N] [--docs DOCS.jsonl ...]

Sentences come from both development sets (../shared/eval/dev/docs.jsonl and
../shared/eval/dev2/docs.jsonl, read only, for measurement) when present, else from
data/samples/. quantulum3 is installed only for this benchmark: ``pip install -e '.[bench]'``.

Start-up is timed apart from throughput: for each extractor, the time from nothing loaded to
its first answer (import, rule tables or models, first call), in a fresh process so that
neither pays for the other's imports. Throughput: the two extractors take turns over the same
sentences, three passes each, and each one's fastest pass counts (so a busy machine penalises
neither). The target is claimtrack at least 10x quantulum3's sentences per second.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
DEV_DOCS = [EVAL / "dev" / "docs.jsonl", EVAL / "dev2" / "docs.jsonl"]
REPEATS = 3
TARGET = 10.0
FIRST = "Russia lost 5 tanks on Monday."
STARTUP = {
    "claimtrack": (
        "from datetime import date\n"
        "from claimtrack.transforms.claims import extract_quantities\n"
        f"extract_quantities({FIRST!r}, date(2024, 1, 1))\n"
    ),
    "quantulum3": f"from quantulum3 import parser\nparser.parse({FIRST!r})\n",
}


def load_sentences(docs: list[Path], limit: int) -> list[tuple[str, date | None]]:
    """Sentences (with their document's publication date) from docs.jsonl files or data/samples."""
    from claimtrack.transforms.claims.sentences import split_sentences

    texts: list[tuple[str, date | None]] = []
    for path in (p for p in docs if p.exists()):
        for line in path.read_text(encoding="utf-8").splitlines():
            doc = json.loads(line)
            texts.append((doc["text"], date.fromisoformat(doc["published"])))
    if not texts:
        texts = [(p.read_text(encoding="utf-8"), None) for p in sorted((ROOT / "data" / "samples").glob("*.txt"))]
    sentences = [(s.text, published) for text, published in texts for s in split_sentences(text)]
    return sentences[:limit]


def startup_seconds(name: str) -> float | None:
    """Seconds a fresh Python process takes to import ``name`` and give its first answer
    (the interpreter's own start measured apart and subtracted); None when not installed."""
    bare = _run_seconds("pass")
    loaded = _run_seconds(STARTUP[name])
    return None if loaded is None or bare is None else max(0.0, loaded - bare)


def _run_seconds(code: str) -> float | None:
    """Wall seconds of ``python -c code`` (best of two), None when it fails."""
    timings = []
    for _ in range(2):
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, check=False)
        timings.append(time.perf_counter() - start)
        if done.returncode != 0:
            return None
    return min(timings)


def claimtrack_run(sentences: list[tuple[str, date | None]]) -> Callable[[], int]:
    """One pass of claimtrack over ``sentences`` (rules loaded and warmed up first)."""
    from claimtrack.transforms.claims import extract_quantities, load_extractor_rules

    rules = load_extractor_rules()
    extract_quantities(FIRST, date(2024, 1, 1), rules)
    return lambda: sum(len(extract_quantities(text, published, rules)) for text, published in sentences)


def quantulum_run(sentences: list[tuple[str, date | None]]) -> Callable[[], int] | None:
    """One pass of quantulum3 over ``sentences`` (warmed up first), or None when absent."""
    try:
        from quantulum3 import parser
    except ImportError:
        return None
    parser.parse(FIRST)
    return lambda: sum(len(parser.parse(text)) for text, _ in sentences)


def best_of(runs: dict[str, Callable[[], int]]) -> dict[str, tuple[float, int]]:
    """For each run: the fastest of ``REPEATS`` timed passes (seconds) and what it returned.
    The runs take turns, so a machine that gets busier or quieter meanwhile affects both."""
    best: dict[str, tuple[float, int]] = {}
    for _ in range(REPEATS):
        for name, run in runs.items():
            start = time.perf_counter()
            found = run()
            seconds = time.perf_counter() - start
            if name not in best or seconds < best[name][0]:
                best[name] = (seconds, found)
    return best


def main() -> None:
    """Time start-up, then throughput of both extractors; print the figures and the ratio."""
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--limit", type=int, default=100_000, help="at most this many sentences")
    args.add_argument("--docs", type=Path, nargs="+", default=DEV_DOCS, help="docs.jsonl files")
    options = args.parse_args()
    for name in STARTUP:
        seconds = startup_seconds(name)
        shown = "not installed (pip install -e '.[bench]')" if seconds is None else f"{seconds:.2f} s"
        print(f"start-up {name}: {shown}")
    sentences = load_sentences(options.docs, options.limit)
    print(f"sentences: {len(sentences)}")
    runs = {"claimtrack": claimtrack_run(sentences)}
    theirs = quantulum_run(sentences)
    if theirs is not None:
        runs["quantulum3"] = theirs
    best = best_of(runs)
    for name, (seconds, found) in best.items():
        print(f"{name}: {len(sentences) / seconds:,.0f} sentences/s ({found} quantities, {seconds:.2f} s)")
    if theirs is None:
        print("quantulum3: not installed (pip install -e '.[bench]')")
        return
    ratio = best["quantulum3"][0] / best["claimtrack"][0]
    verdict = "met" if ratio >= TARGET else "MISSED"
    print(f"ratio: claimtrack is {ratio:.1f}x quantulum3 (target >= {TARGET:.0f}x: {verdict})")


if __name__ == "__main__":
    main()
