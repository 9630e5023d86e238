"""Loading, validating and compiling the number tables: ``data/vocab/numbers.yaml`` (number
words, digit formats, scales, hedges, currencies, percent, ranges) and the ambiguity filters
of ``data/vocab/labels.yaml`` (dates, years, names and labels) into a frozen ``NumberRules``.

This module holds the compiled types and the reading helpers; ``claimtrack.transforms.numbers.build``
compiles the tables. Every error is a ``RuleError`` naming the file, the rule and the fix.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claimtrack.transforms.model import Bound
from claimtrack.transforms.numbers.examples import Example, collect_examples
from claimtrack.transforms.numbers.words import WordVocab
from claimtrack.transforms.rules import alternation, check_keys, compile_pattern, fail

BOUNDS = ("=", "~", ">", ">=", "<", "<=", "range")
KEEP_IF = ("hedge", "currency", "percent", "scale")
CODE = re.compile(r"[A-Z]{2,4}")
NUMBER_KEYS = (
    "version",
    "labels",
    "digit_formats",
    "digit_affixes",
    "ordinal_nouns",
    "scale_words",
    "scale_abbreviations",
    "metre_context",
    "number_words",
    "phrases",
    "vague",
    "vague_alternatives",
    "vague_counts",
    "hedges",
    "suffix_hedges",
    "currencies",
    "vague_currency",
    "shared_forms",
    "money_context",
    "weight_pounds",
    "percent",
    "ranges",
    "compounds",
    "ratios",
    "fraction_context",
)
WORD_KINDS = {
    "units": "unit",
    "teens": "teen",
    "tens": "tens",
    "hundred": "hundred",
    "scales": "scale",
    "multipliers": "multiplier",
    "fractions": "fraction",
}


@dataclass(frozen=True)
class DigitFormat:
    """A digit format: ``group`` is the thousands separator, ``decimal`` the decimal mark."""

    id: str
    group: str
    decimal: str


@dataclass(frozen=True)
class Hedges:
    """``chain`` finds the hedge words right before a number (search ending at the number),
    ``word`` each hedge in it; ``bounds`` maps a hedge (lower case, single spaces) to its bound.
    ``suffix`` matches a hedge after the number; its group ``s<i>`` has bound ``suffix_bounds[i]``."""

    chain: re.Pattern[str]
    word: re.Pattern[str]
    bounds: Mapping[str, Bound]
    suffix: re.Pattern[str]
    suffix_bounds: tuple[Bound, ...]


@dataclass(frozen=True)
class Currency:
    """``prefix`` ends at the number, ``suffix``/``vague_suffix`` start after it; ``iso`` maps a
    written form (lower case, no spaces) to its default ISO code. ``shared`` maps a form several
    currencies write alike to the currencies a document's home currency may give it; ``weak``
    maps a glued letter prefix (matched by ``weak_prefix``, ending at the number) to its code,
    ``weak_scaled`` the ones that also hold before a scaled amount. ``home`` finds the cues of
    a home currency: its group ``c<i>`` names ``home_iso[i]``. ``codes``: every ISO code."""

    prefix: re.Pattern[str]
    suffix: re.Pattern[str]
    vague_suffix: re.Pattern[str]
    iso: Mapping[str, str]
    shared: Mapping[str, frozenset[str]]
    weak_prefix: re.Pattern[str]
    weak: Mapping[str, str]
    weak_scaled: frozenset[str]
    home: re.Pattern[str]
    home_iso: tuple[str, ...]
    codes: frozenset[str]


@dataclass(frozen=True)
class MoneyContext:
    """Money without a currency of its own: ``before`` ends at the number, ``free`` must follow
    it, ``after`` may follow it instead. ``pounds``: the forms read as a weight (unit
    ``pound_unit``) near ``weight``."""

    before: re.Pattern[str]
    free: re.Pattern[str]
    after: re.Pattern[str]
    pounds: frozenset[str]
    pound_unit: str
    weight: re.Pattern[str]


@dataclass(frozen=True)
class Ranges:
    """Patterns for "A-B", "between A and B", "from A to B" (not after a change verb), "A or B"
    (``alternative``, when B is at most ``alternative_ratio`` times A) and "A day to B days"
    (``repeated_unit``: its group 1 is the unit word, repeated after B)."""

    connector: re.Pattern[str]
    between: re.Pattern[str]
    between_connector: re.Pattern[str]
    from_: re.Pattern[str]
    change_before_from: re.Pattern[str]
    alternative: re.Pattern[str]
    alternative_ratio: float
    repeated_unit: re.Pattern[str]


@dataclass(frozen=True)
class Ratio:
    """ "four out of five": ``gap`` between the numbers; optional denominator whitelist and a
    pattern that must not follow the denominator; the ``unit`` of the result; ``any_order``:
    the first number may exceed the second ("outnumbered 3:1")."""

    id: str
    gap: re.Pattern[str]
    denominators: frozenset[float]
    not_followed_by: re.Pattern[str] | None
    unit: str = "share"
    any_order: bool = False


@dataclass(frozen=True)
class Fractions:
    """Context of fractions (see ``fraction_context`` in numbers.yaml)."""

    half_followers: re.Pattern[str]
    half_preceders: re.Pattern[str]
    followers: re.Pattern[str]
    measure: re.Pattern[str]


@dataclass(frozen=True)
class Filters:
    """All ambiguity filters as one pattern; group ``b<i>`` is filter ``ids[i]``."""

    pattern: re.Pattern[str]
    ids: tuple[str, ...]
    keep_if: tuple[frozenset[str], ...]


@dataclass(frozen=True)
class NumberRules:
    """The compiled number vocabulary. Built once by ``load_number_rules``; immutable."""

    scan: re.Pattern[str]
    formats: tuple[DigitFormat, ...]
    scales: Mapping[str, float]
    ambiguous: frozenset[str]
    metre_context: frozenset[str]
    words: WordVocab
    ordinals: Mapping[str, float]
    ordinal_noun: re.Pattern[str]
    phrases: tuple[tuple[float, Bound], ...]
    vague: Mapping[str, tuple[float, float]]
    hedges: Hedges
    currency: Currency
    money: MoneyContext
    percent: re.Pattern[str]
    percent_units: Mapping[str, str]
    ranges: Ranges
    compound_gap: re.Pattern[str]
    ratios: tuple[Ratio, ...]
    fractions: Fractions
    sign_words: re.Pattern[str]
    filters: Filters
    examples: tuple[Example, ...]


def phrase_regex(word: str) -> str:
    """Regex for a vocabulary phrase: escaped, spaces as ``\\s+``; upper-case codes (USD, TRY)
    match case-sensitively."""
    body = re.escape(str(word)).replace("\\ ", r"\s+")
    return f"(?-i:{body})" if CODE.fullmatch(str(word)) else body


def norm(text: str) -> str:
    """Lower case, single spaces: the key of hedge tables."""
    return " ".join(text.lower().split())


def squash(text: str) -> str:
    """Lower case, no spaces: the key of currency and percent tables."""
    return re.sub(r"\s+", "", text.lower())


def words_alt(path: Path, rule: str, words: Sequence[Any]) -> str:
    """Alternation of vocabulary phrases, longest first (refuses an empty list)."""
    if not isinstance(words, Sequence) or isinstance(words, str):
        raise fail(path, rule, "expected a list of words", "write them as [a, b, c]")
    return alternation(path, rule, [phrase_regex(str(w)) for w in words], escape=False)


def trie_regex(path: Path, rule: str, words: Sequence[Any], fold: bool = True) -> str:
    """A prefix-tree regex for literal phrases ("t(?:en|wo|hree)"), much faster to scan than a
    flat alternation; longer phrases are still preferred; spaces match any spacing. ``fold``:
    lower-case the words (for case-insensitive patterns). Refuses an empty list."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        text = " ".join(str(word).split())
        for token in [r"\s+" if c == " " else re.escape(c) for c in (text.lower() if fold else text)]:
            node = node.setdefault(token, {})
        node[""] = {}
    if not trie:
        raise fail(path, rule, "empty word list", "add at least one word or remove the rule")
    return _emit(trie)


def _emit(node: Mapping[str, Any]) -> str:
    """Regex of one trie node: its branches, optional when a phrase may end here."""
    branches = [token + _emit(child) for token, child in sorted(node.items()) if token]
    if not branches:
        return ""
    if "" in node:
        return "(?:" + "|".join(branches) + ")?"
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


def prefix_gate(words: Sequence[str], size: int) -> str:
    """A regex for the first ``size`` characters (lower case, a space standing for any white
    space) that one of ``words`` can start with: the lookahead that lets a case-insensitive
    scanner skip a word before trying its alternatives ("the" for "three", "thousand")."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in re.sub(r"\s+", " ", str(word).lower())[:size]:
            node = node.setdefault(r"\s" if char == " " else re.escape(char), {})
        node[""] = {}
    return _emit_prefix(trie)


def _emit_prefix(node: Mapping[str, Any]) -> str:
    """Regex of one node of a prefix trie: nothing more is required where a prefix ends."""
    if "" in node:
        return ""
    branches = [token + _emit_prefix(child) for token, child in sorted(node.items())]
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


def number(path: Path, rule: str, value: Any) -> float:
    """``value`` as a float, or a ``RuleError`` naming the rule."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise fail(path, rule, f"expected a number, got {value!r}", "write a plain number")
    return float(value)


def bound(path: Path, rule: str, value: Any) -> Bound:
    """``value`` checked against the CLAIMS_SPEC bounds."""
    if value not in BOUNDS:
        raise fail(path, rule, f"unknown bound {value!r}", f"use one of {', '.join(BOUNDS)}")
    return value  # type: ignore[no-any-return]


def _rule_name(key: str, n: int, item: Any) -> str:
    """The name of list entry ``n`` of section ``key`` for messages: its id, iso or unit."""
    if isinstance(item, Mapping):
        return str(item.get("id", item.get("iso", item.get("unit", f"{key}[{n}]"))))
    return f"{key}[{n}]"


class TableReader:
    """Reads the sections of one rule file with checked keys; keeps the examples it meets."""

    def __init__(self, path: Path, raw: Any, keys: Sequence[str]) -> None:
        self.path = path
        self.raw = check_keys(path, None, raw, keys, required=keys)
        self.examples: list[Example] = []

    def section(self, key: str, allowed: Sequence[str], required: Sequence[str] = ()) -> Mapping[str, Any]:
        """Top-level mapping ``key`` with its keys checked (``examples`` always allowed)."""
        return check_keys(self.path, key, self.raw[key], (*allowed, "examples"), (*required, "examples"))

    def entries(self, key: str, allowed: Sequence[str], required: Sequence[str]) -> list[Mapping[str, Any]]:
        """Top-level list ``key`` of rule mappings with unique ids."""
        items = self.raw[key]
        if not isinstance(items, list) or not items:
            raise fail(self.path, key, "expected a non-empty list of rules", "write '- id: ...' entries")
        seen: set[str] = set()
        checked = []
        for n, item in enumerate(items):
            name = _rule_name(key, n, item)
            entry = check_keys(self.path, name, item, (*allowed, "examples"), (*required, "examples"))
            if name in seen:
                raise fail(self.path, name, "duplicate rule id", "give each rule its own id")
            seen.add(name)
            checked.append(entry)
        return checked

    def compile(self, rule: str, source: str, flags: int = re.IGNORECASE, guard: bool = False) -> re.Pattern[str]:
        """Compile ``source`` for ``rule`` (errors name the rule; ``guard``: see ``compile_pattern``)."""
        return compile_pattern(self.path, rule, str(source), None, flags, guard)

    def keep(self, rule: str, entry: Mapping[str, Any], pattern: re.Pattern[str] | None) -> None:
        """Record the inline examples of ``entry`` (validated) for the tests."""
        self.examples.extend(collect_examples(self.path, rule, entry, pattern, BOUNDS))
