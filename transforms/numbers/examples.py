"""Inline examples of the number tables (numbers.yaml, labels.yaml), validated at load time.

A plain string example is checked against the rule's own pattern (``match``: found,
``no_match``: not found). A mapping example is checked end to end with ``find_quantities``:
``quantity`` (+ fields) names one expected quantity, ``quantities`` the full list of mention
texts. ``tests/test_numbers.py`` runs them all.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from claimtrack.transforms.rules import check_keys, display_path, fail

FIELDS = ("value", "low", "high", "bound", "unit", "vague")
KEYS = ("text", "quantity", "quantities", *FIELDS)


@dataclass(frozen=True)
class Example:
    """One inline example of rule ``rule`` in ``file``.

    ``polarity`` is ``match`` or ``no_match``; ``pattern`` is the rule's own regex (used for
    string examples); ``expect`` is the mapping of a mapping example, else None.
    """

    file: str
    rule: str
    polarity: str
    text: str
    expect: Mapping[str, Any] | None
    pattern: re.Pattern[str] | None

    @property
    def id(self) -> str:
        """A readable test id: ``file:rule:polarity:text``."""
        return f"{Path(self.file).name}:{self.rule}:{self.polarity}:{self.text[:40]}"


def collect_examples(
    path: Path, rule: str, entry: Mapping[str, Any], pattern: re.Pattern[str] | None, bounds: Sequence[str]
) -> list[Example]:
    """Validate and return the ``examples`` of ``entry`` (``{match: [...], no_match: [...]}``)."""
    block = check_keys(path, rule, entry.get("examples"), ("match", "no_match"), ("match", "no_match"))
    found = []
    for polarity in ("match", "no_match"):
        items = block[polarity]
        if not isinstance(items, list) or not items:
            raise fail(path, rule, f"examples.{polarity} must be a non-empty list", "add at least one example text")
        for item in items:
            found.append(_example(path, rule, polarity, item, pattern, bounds))
    return found


def _example(
    path: Path, rule: str, polarity: str, item: Any, pattern: re.Pattern[str] | None, bounds: Sequence[str]
) -> Example:
    """One validated example."""
    where = display_path(path)
    if isinstance(item, str):
        if pattern is None:
            raise fail(
                path,
                rule,
                f"string example {item!r} but the rule has no pattern of its own",
                "write it as {text: ..., quantities: [...]}",
            )
        return Example(where, rule, polarity, item, None, pattern)
    entry = check_keys(path, rule, item, KEYS, ("text",))
    if polarity == "match" and "quantity" not in entry and "quantities" not in entry:
        raise fail(path, rule, f"example {entry['text']!r} names no quantity", "add quantity: or quantities:")
    if polarity == "no_match" and "quantities" not in entry:
        raise fail(
            path,
            rule,
            f"no_match example {entry['text']!r} lacks quantities",
            "add quantities: [every mention find_quantities must return]",
        )
    if "bound" in entry and entry["bound"] not in bounds:
        raise fail(path, rule, f"example bound {entry['bound']!r} is unknown", f"use one of {', '.join(bounds)}")
    return Example(where, rule, polarity, str(entry["text"]), MappingProxyType(dict(entry)), pattern)
