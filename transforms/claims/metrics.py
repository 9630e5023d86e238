"""Map a claim's unit and sentence to a canonical metric id from ``data/metrics.yaml``.

A metric matches when the claim's unit (or its head noun) is one of the metric's ``units``,
one of its ``cues`` occurs in the sentence (when cues are given) and none of its ``exclude``
cues does. The first match in file order wins; no match leaves the metric ``None``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from claimtrack.transforms.rules import check_keys, check_unique, data_file, fail, load_yaml, start_guard, trie_pattern

METRIC_KEYS = ["description", "units", "cues", "exclude", "war_cumulative", "examples"]
METRIC_ID = re.compile(r"[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Metric:
    """One entry of the taxonomy, with its cue patterns compiled."""

    id: str
    description: str
    units: frozenset[str]
    cues: re.Pattern[str] | None
    exclude: re.Pattern[str] | None
    war_cumulative: bool


@dataclass(frozen=True)
class Taxonomy:
    """The metric taxonomy in file order."""

    metrics: tuple[Metric, ...]

    def ids(self) -> list[str]:
        """Every metric id, in file order."""
        return [metric.id for metric in self.metrics]

    def get(self, metric_id: str) -> Metric | None:
        """The metric with this id, or None."""
        return next((m for m in self.metrics if m.id == metric_id), None)


def cue_pattern(path: Path, rule: str, cues: list[str] | None) -> re.Pattern[str] | None:
    """Compile cue words (``*`` = any ending) into one case-insensitive whole-word regex,
    behind its start guard."""
    if not cues:
        return None
    texts = [str(cue).strip().lower() for cue in cues]
    if not all(texts):
        raise fail(path, rule, "empty cue", "remove it")
    check_unique(path, rule, texts)
    plain = [t for t in texts if not t.endswith("*")]
    starred = [t.rstrip("*") for t in texts if t.endswith("*")]
    parts = ([trie_pattern(plain)] if plain else []) + ([trie_pattern(starred) + r"\w*"] if starred else [])
    source = r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)"
    guard = start_guard(source, re.IGNORECASE)  # most positions are turned away with one test
    return re.compile(f"{guard}(?:{source})" if guard else source, re.IGNORECASE)


def _metric(path: Path, metric_id: str, entry: object) -> Metric:
    """Validate and compile one taxonomy entry."""
    table = check_keys(path, metric_id, entry, METRIC_KEYS, ["description", "units"])
    if not METRIC_ID.match(metric_id):
        raise fail(path, metric_id, "metric ids are lower_snake_case", "rename it")
    units = table["units"]
    if not isinstance(units, list) or not units:
        raise fail(path, metric_id, "'units' must be a non-empty list", "list the head nouns it counts")
    return Metric(
        id=metric_id,
        description=str(table["description"]),
        units=frozenset(str(u).lower() for u in units),
        cues=cue_pattern(path, metric_id, table.get("cues")),
        exclude=cue_pattern(path, metric_id, table.get("exclude")),
        war_cumulative=bool(table.get("war_cumulative", False)),
    )


@lru_cache(maxsize=4)
def load_taxonomy(path: Path | None = None) -> Taxonomy:
    """Load and validate ``data/metrics.yaml`` (or ``path``)."""
    path = path or data_file("metrics.yaml")
    table = check_keys(path, None, load_yaml(path), ["version", "metrics"], ["metrics"])
    entries = table["metrics"]
    if not isinstance(entries, dict) or not entries:
        raise fail(path, "metrics", "expected a mapping of metric ids", "add at least one metric")
    return Taxonomy(tuple(_metric(path, str(k), v) for k, v in entries.items()))


def classify_metric(unit: str, sentence: str, taxonomy: Taxonomy) -> str | None:
    """Return the id of the first metric matching ``unit`` and ``sentence``, or None."""
    head = unit.rsplit(" ", 1)[-1]
    for metric in taxonomy.metrics:
        if unit not in metric.units and head not in metric.units:
            continue
        if metric.cues is not None and not metric.cues.search(sentence):
            continue
        if metric.exclude is not None and metric.exclude.search(sentence):
            continue
        return metric.id
    return None
