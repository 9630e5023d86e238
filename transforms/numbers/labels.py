"""Compiling the ambiguity filters of ``data/vocab/labels.yaml`` (dates, years, times, names
and labels that hold digits) into one pattern.

``build_filters(path, provided)`` reads the file, resolves ``{NAME}`` references from its
``vocab`` word lists, its ``placeholders`` and the ``provided`` ones (from numbers.yaml), and
returns the combined ``Filters`` with every inline example. Raises ``RuleError`` naming the
file, the filter and the fix.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from claimtrack.transforms.numbers.examples import Example
from claimtrack.transforms.numbers.tables import BOUNDS, KEEP_IF, Filters, TableReader, trie_regex
from claimtrack.transforms.rules import PLACEHOLDER, check_keys, compile_pattern, expand, fail, load_yaml, start_guard

LABEL_KEYS = ("version", "gate", "vocab", "placeholders", "filters")


def build_filters(path: Path, provided: Mapping[str, str]) -> tuple[Filters, list[Example]]:
    """Compile the filters of the labels file at ``path`` into one pattern behind its ``gate``;
    ``provided`` maps placeholder names to regex sources defined in numbers.yaml."""
    reader = TableReader(path, load_yaml(path), LABEL_KEYS)
    placeholders = _placeholders(reader, provided)
    sources, ids, keeps = [], [], []
    entries = reader.entries("filters", ("id", "pattern", "case_sensitive", "keep_if"), ("id", "pattern"))
    for n, entry in enumerate(entries):
        rule = str(entry["id"])
        source = expand(path, rule, str(entry["pattern"]), placeholders)
        flags = 0 if entry.get("case_sensitive", False) else re.IGNORECASE
        reader.keep(rule, entry, compile_pattern(path, rule, source, None, flags))
        guard = start_guard(source, flags, boundary=False)  # each filter is tried only where it can start
        sources.append(f"{guard}(?P<b{n}>{source})" if flags == 0 else f"{guard}(?P<b{n}>(?i:{source}))")
        ids.append(rule)
        keeps.append(_keep_if(path, rule, entry.get("keep_if", [])))
    gate = str(reader.raw["gate"])
    compile_pattern(path, "gate", gate, None, 0)
    pattern = compile_pattern(path, "filters", f"(?:{gate})(?:{'|'.join(sources)})", None, 0)
    return Filters(pattern, tuple(ids), tuple(keeps)), reader.examples


def _placeholders(reader: TableReader, provided: Mapping[str, str]) -> dict[str, str]:
    """``provided`` + the ``vocab`` word lists (as alternations) + ``placeholders`` (in order)."""
    resolved = dict(provided)
    vocab = check_keys(reader.path, "vocab", reader.raw["vocab"], reader.raw["vocab"] or {})
    for name, words in vocab.items():
        _check_name(reader.path, str(name), resolved)
        resolved[str(name)] = trie_regex(reader.path, str(name), _words(reader.path, str(name), words), fold=False)
    raw = check_keys(reader.path, "placeholders", reader.raw["placeholders"], reader.raw["placeholders"] or {})
    for name, source in raw.items():
        _check_name(reader.path, str(name), resolved)
        resolved[str(name)] = expand(reader.path, str(name), str(source), resolved)
        compile_pattern(reader.path, str(name), resolved[str(name)])
    return resolved


def _words(path: Path, name: str, words: object) -> list[str]:
    """A ``vocab`` word list, checked."""
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        raise fail(path, name, "expected a list of words", "write them as [a, b, c]")
    return words


def _check_name(path: Path, name: str, known: Mapping[str, str]) -> None:
    """Placeholder names are UPPER_CASE and defined once."""
    if not PLACEHOLDER.fullmatch("{" + name + "}"):
        raise fail(path, name, "placeholder names must be UPPER_CASE", "rename it")
    if name in known:
        raise fail(path, name, "defined twice (or shadows a name numbers.yaml provides)", "rename it")


def _keep_if(path: Path, rule: str, values: object) -> frozenset[str]:
    """The ``keep_if`` list of a filter, checked against KEEP_IF."""
    if not isinstance(values, list) or any(v not in KEEP_IF for v in values):
        raise fail(path, rule, f"keep_if must be a list of {', '.join(KEEP_IF)}", "fix the list")
    return frozenset(str(v) for v in values)


__all__ = ["BOUNDS", "build_filters"]
