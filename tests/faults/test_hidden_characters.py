"""Issue 17: text that hides characters inside numbers. A Unicode format character (category
Cf: zero-width space, joiners, direction marks and overrides, soft hyphen, byte-order mark)
inside a number never changes what the number reads as, and every offset still indexes the
stored text, hidden characters included."""

from __future__ import annotations

import sys
import unicodedata
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimtrack.transforms.claims import extract_claims, load_extractor_rules
from claimtrack.transforms.numbers import find_quantities
from claimtrack.transforms.numbers.hidden import FORMAT

RULES = load_extractor_rules()
DAY = date(2024, 5, 1)
FORMAT_CHARS = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"]
NUMBERS = st.one_of(
    st.integers(10, 10**9).map(lambda n: f"{n:,}"),
    st.integers(10, 10**6).map(str),
    st.integers(11, 999).map(lambda n: f"{n / 10:.1f} million"),
    st.integers(10, 99_999).map(lambda n: f"${n:,}"),
    st.integers(10, 99).map(lambda n: f"{n}%"),
)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_the_pattern_knows_every_format_character() -> None:
    missed = [f"U+{ord(c):04X}" for c in FORMAT_CHARS if not FORMAT.fullmatch(c)]
    assert not missed, missed
    matched = [chr(c) for c in range(sys.maxunicode + 1) if FORMAT.fullmatch(chr(c))]
    wrong = [f"U+{ord(c):04X}" for c in matched if unicodedata.category(c) not in ("Cf", "Cn")]
    assert not wrong, wrong


def test_the_issue_characters_inside_700000() -> None:
    for hidden in "\u200b\u200c\u200d\u200e\ufeff\u00ad\u202e":
        text = f"Russia has lost 7{hidden}00,000 troops."
        claims = extract_claims(text, DAY, RULES)
        assert [(c.value, c.unit, c.text) for c in claims] == [(700000.0, "troop", f"7{hidden}00,000 troops")]


def _insert(text: str, at: list[int], hidden: list[str]) -> str:
    """``text`` with ``hidden[i]`` inserted before position ``at[i]`` (positions of ``text``)."""
    pieces, last = [], 0
    for position, char in sorted(zip(at, hidden)):
        pieces += [text[last:position], char]
        last = position
    return "".join([*pieces, text[last:]])


@SETTINGS
@given(NUMBERS, st.data())
def test_a_format_character_inside_a_number_never_changes_its_value(number: str, data: st.DataObject) -> None:
    clean = f"Officials said {number} troops were deployed near the border."
    start = clean.index(number)
    count = data.draw(st.integers(1, 3))
    at = data.draw(st.lists(st.integers(start + 1, start + len(number) - 1), min_size=count, max_size=count))
    hidden = data.draw(st.lists(st.sampled_from(FORMAT_CHARS), min_size=count, max_size=count))
    dirty = _insert(clean, at, hidden)

    want = find_quantities(clean, RULES.numbers)
    got = find_quantities(dirty, RULES.numbers)
    assert [(q.value, q.low, q.high, q.unit) for q in got] == [(q.value, q.low, q.high, q.unit) for q in want]
    for g, w in zip(got, want):
        assert FORMAT.sub("", dirty[g.start : g.end]) == clean[w.start : w.end]

    claims = extract_claims(dirty, DAY, RULES)
    expected = [(c.value, c.unit, c.bound) for c in extract_claims(clean, DAY, RULES)]
    assert [(c.value, c.unit, c.bound) for c in claims] == expected
    assert all(dirty[c.start : c.end] == c.text for c in claims)
