"""Tests for ``claimtrack.transforms.rules.start_guard``: the lookahead put before the patterns
that scan whole texts (period rules, the number scanner, each label filter) must never change a
match. Each case compares a pattern with and without its guard on the same texts."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimtrack.transforms.claims import load_extractor_rules
from claimtrack.transforms.rules import start_guard

RULES = load_extractor_rules()
TRICKY = [
    (r"\b(?:one|two)|\d+", 0),
    (r"(?i:\bone)|[^x]y", 0),
    (r"(?:\b|x)y", 0),
    (r"x*\bab", re.IGNORECASE),
    (r"(?a:\b)z", 0),
    (r"(?=\b[ab])(?:abc|b)|\d", re.IGNORECASE),
    (r"(?<![\w-])(?-i:Q)(?P<q>[1-4])", re.IGNORECASE),
    (r"[\]\-^]x|\\", 0),
    (r"(?:s|k|i)\w+", re.IGNORECASE),
    (r"(?>ab|a)c|(?:de)+?f|g{2,3}", 0),
    (r"[^\W\d_]+\s+\d", 0),
    (r"\s*x", re.VERBOSE),
    (r"a # a comment in verbose mode", re.VERBOSE),
]
PROJECT = [
    *((rule.id, rule.pattern) for rule in RULES.periods.rules),
    ("prefilter", RULES.periods.prefilter),
    ("scanner", RULES.numbers.scan),
    ("filters", RULES.numbers.filters.pattern),
]
EXAMPLE_TEXTS = sorted({ex.text for rule in RULES.periods.rules for ex in rule.examples})
TEXT = st.text(alphabet="aAbBiIkKsSoOtTxXyYzZqQ1279 \n.,-–'’#+(ſıİK\u212aé", max_size=40)


def matches(pattern: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], str | None]]:
    return [(m.span(), m.lastgroup) for m in pattern.finditer(text)]


def guarded(pattern: re.Pattern[str]) -> re.Pattern[str]:
    guard = start_guard(pattern.pattern, pattern.flags)
    return re.compile(guard + "(?:" + pattern.pattern + ")", pattern.flags) if guard else pattern


@pytest.mark.parametrize(
    ("source", "flags", "expected"),
    [
        (r"\b(?:one|two)|\d+", 0, r"(?=(?-i:[\d])|\b(?-i:[ot]))"),
        (r"(?<![\w-])(?-i:Q)(?P<q>[1-4])", re.IGNORECASE, r"(?=(?-i:[Q]))"),
        (r"(?=x)\by|[^z]", 0, r"(?=(?-i:[^z])|\b(?-i:[y]))"),
        (r"a?", 0, ""),  # can match the empty string
        (r"(?i)abc", 0, ""),  # inline flags must stay first
        (r".x", 0, ""),  # any character can start it
        (r"(a|)\1b", 0, ""),  # a back reference is not read
        (r"(a)\1", 0, r"(?=(?-i:[a]))"),  # ... but one after the first character does not matter
        (r"ab # a comment", re.VERBOSE, ""),  # verbose patterns are left as they are
    ],
)
def test_guard_text(source: str, flags: int, expected: str) -> None:
    assert start_guard(source, flags) == expected


def test_boundary_can_be_left_out() -> None:
    assert start_guard(r"\bab|\d", 0, boundary=False) == r"(?=(?-i:[a\d]))"


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(TRICKY), TEXT)
def test_guard_never_changes_a_match(case: tuple[str, int], text: str) -> None:
    source, flags = case
    plain = re.compile(source, flags)
    assert matches(guarded(plain), text) == matches(plain, text)


@pytest.mark.parametrize(("name", "pattern"), PROJECT, ids=[name for name, _ in PROJECT])
def test_project_patterns_match_the_same_behind_a_guard(name: str, pattern: re.Pattern[str]) -> None:
    """The scanning patterns (already guarded when loaded) read the same with a guard of their
    own guarded text, on every period example."""
    assert start_guard(pattern.pattern, pattern.flags), f"{name} gets no guard"
    twice = guarded(pattern)
    assert [matches(twice, t) for t in EXAMPLE_TEXTS] == [matches(pattern, t) for t in EXAMPLE_TEXTS]


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_scanner_and_filters_match_the_same_behind_a_guard(text: str) -> None:
    for pattern in (RULES.numbers.scan, RULES.numbers.filters.pattern, RULES.periods.prefilter):
        assert matches(guarded(pattern), text) == matches(pattern, text)
