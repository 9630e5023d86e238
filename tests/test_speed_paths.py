"""The extractor's shortcuts must give what the plain way gives: the number filters' search that
stops short of a window's tail blocks the same numbers as a search of the whole window, and the
per-document memo of ``mentions``/``matches_in`` answers as the pattern itself does (keyed by
the pattern's identity, never confusing two patterns with the same source)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from claimtrack.transforms.claims import load_extractor_rules
from claimtrack.transforms.claims.sentences import matches_in, mentions
from claimtrack.transforms.numbers import find

RULES = load_extractor_rules()
WORDS = ["May", "2024", "12", "3rd", "Brigade", "Article", "5", "No.", "one", "two", "the", "in", "-", "Su-25"]
WORDS += ["at", "10:30", "am", "1990s", "of", "March", "24.02", "Street", "$", "40", "million", "%", ",", "."]
SENTENCES = st.lists(st.sampled_from(WORDS), min_size=1, max_size=30).map(" ".join)


def blocked_plainly(text: str) -> list[bool]:
    """Which mentions the filters block when each window is searched to its end."""
    mentions_found = [
        find._attach(text, m, RULES.numbers, find.NO_HOME, None) for m in find._read_all(text, RULES.numbers)
    ]
    spans = []
    for low, high, _ in find._windows(mentions_found, len(text)):
        for match in RULES.numbers.filters.pattern.finditer(text, low, high):
            index = int((match.lastgroup or "b0")[1:])
            spans.append((match.start(), match.end(), RULES.numbers.filters.keep_if[index]))
    return [find._is_blocked(m, spans, RULES.numbers) for m in mentions_found]


def blocked_with_tail_skip(text: str) -> list[bool]:
    """Which mentions the filters block as ``find_quantities`` searches."""
    mentions_found = [
        find._attach(text, m, RULES.numbers, find.NO_HOME, None) for m in find._read_all(text, RULES.numbers)
    ]
    spans = find._blocked_spans(text, mentions_found, RULES.numbers) if mentions_found else []
    return [find._is_blocked(m, spans, RULES.numbers) for m in mentions_found]


@settings(max_examples=400, deadline=None)
@given(SENTENCES)
def test_tail_skip_blocks_the_same_numbers(text: str) -> None:
    assert blocked_with_tail_skip(text) == blocked_plainly(text)


def test_tail_skip_keeps_a_year_blocked_near_the_end() -> None:
    text = "Troops arrived in 2024"  # the year ends the text: its window's tail is empty
    assert blocked_with_tail_skip(text) == blocked_plainly(text) == [True]


def test_memo_answers_as_the_pattern_does() -> None:
    first = re.compile("war")
    second = re.compile("war", re.IGNORECASE)  # a different pattern from the same source
    assert mentions(first, "the War") is False
    assert mentions(second, "the War") is True
    assert mentions(first, "the War") is False
    assert [m.span() for m in matches_in(second, "War and war")] == [(0, 3), (8, 11)]
    assert [m.span() for m in matches_in(first, "War and war")] == [(8, 11)]
