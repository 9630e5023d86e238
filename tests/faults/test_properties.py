"""Properties of the parsers on arbitrary text: they never raise, bounds are ordered, offsets
index the text, and the same input gives the same output."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimtrack.transforms.claims import extract_claims, load_extractor_rules
from claimtrack.transforms.claims.units import head_phrase
from claimtrack.transforms.numbers import find_quantities
from claimtrack.transforms.periods import find_time_spans

RULES = load_extractor_rules()
WORDS = [
    "700,000",
    "1.2bn",
    "tens of thousands",
    "about",
    "more than",
    "between",
    "and",
    "to",
    "-",
    "%",
    "$",
    "troops",
    "tanks",
    "killed",
    "since",
    "February",
    "2024",
    "March 3,",
    "last week",
    "in May",
    "Q3",
    "first half of",
    "1/2",
    "one",
    "hundred",
    "million",
    "½",
    "–",
    ".",
    ",",
    "\n",
    " ",
]
TEXT = st.one_of(st.text(max_size=200), st.lists(st.sampled_from(WORDS), max_size=40).map(" ".join))
DAY = st.one_of(st.none(), st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31)))
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def in_text(text: str, start: int, end: int, span: str) -> bool:
    return 0 <= start <= end <= len(text) and text[start:end] == span


@SETTINGS
@given(TEXT)
def test_find_quantities(text: str) -> None:
    found = find_quantities(text, RULES.numbers)
    for q in found:
        assert 0 <= q.start < q.end <= len(text)
        values = [v for v in (q.low, q.value, q.high) if v is not None]
        assert values == sorted(values), q
    assert find_quantities(text, RULES.numbers) == found


@SETTINGS
@given(TEXT)
def test_head_phrase(text: str) -> None:
    phrase = head_phrase(text, RULES.units)
    assert phrase is None or isinstance(phrase, str)
    assert head_phrase(text, RULES.units) == phrase


@SETTINGS
@given(TEXT, DAY)
def test_find_time_spans(text: str, day: date | None) -> None:
    spans = find_time_spans(text, day, RULES.periods)
    for span in spans:
        assert in_text(text, span.start, span.end, span.text), span
        if span.period_start and span.period_end:
            assert span.period_start <= span.period_end, span
    assert find_time_spans(text, day, RULES.periods) == spans


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, DAY)
def test_extract_claims(text: str, day: date | None) -> None:
    claims = extract_claims(text, day, RULES)
    for claim in claims:
        assert in_text(text, claim.start, claim.end, claim.text), claim
        values = [v for v in (claim.low, claim.value, claim.high) if v is not None]
        assert values == sorted(values), claim
    assert extract_claims(text, day, RULES) == claims
