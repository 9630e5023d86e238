"""claimtrack.transforms.numbers.find: every inline example of data/vocab/numbers.yaml and labels.yaml, focused
cases (CLAIMS_SPEC sections 1 and 3), loader errors, and hypothesis properties."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimtrack.transforms.model import Quantity
from claimtrack.transforms.numbers import NumberRules, find_document_quantities, find_quantities, load_number_rules
from claimtrack.transforms.numbers.examples import FIELDS, Example
from claimtrack.transforms.rules import DATA_DIR, RuleError

RULES = load_number_rules()


def mentions(text: str, rules: NumberRules = RULES) -> list[str]:
    """The mention texts ``find_quantities`` returns for ``text``."""
    return [text[q.start : q.end] for q in find_quantities(text, rules)]


def only(text: str) -> Quantity:
    """The single quantity of ``text``."""
    found = find_quantities(text, RULES)
    assert len(found) == 1, [text[q.start : q.end] for q in found]
    return found[0]


def same(got: Any, want: Any) -> bool:
    """Field equality; numbers compared with a relative tolerance."""
    if isinstance(want, (int, float)) and not isinstance(want, bool) and isinstance(got, (int, float)):
        return math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-12)
    return bool(got == want)


def check_expectation(example: Example) -> None:
    """Run a mapping example through find_quantities as one document (see numbers.yaml header)."""
    assert example.expect is not None
    text, expect = example.text, example.expect
    found = find_document_quantities(text, [text], RULES)[0]
    if "quantities" in expect:
        assert [text[q.start : q.end] for q in found] == list(expect["quantities"])
    if "quantity" in expect:
        hits = [q for q in found if text[q.start : q.end] == expect["quantity"]]
        assert hits, f"{expect['quantity']!r} not among {[text[q.start : q.end] for q in found]}"
        for field in FIELDS:
            if field in expect:
                assert same(getattr(hits[0], field), expect[field]), (field, getattr(hits[0], field), expect[field])


@pytest.mark.parametrize("example", RULES.examples, ids=lambda e: e.id)
def test_inline_example(example: Example) -> None:
    if example.expect is not None:
        check_expectation(example)
        return
    assert example.pattern is not None
    found = example.pattern.search(example.text) is not None
    assert found == (example.polarity == "match"), f"{example.rule}: {example.text!r}"


@pytest.mark.parametrize(
    "example",
    [e for e in RULES.examples if e.file.endswith("labels.yaml") and e.polarity == "match" and e.expect is None],
    ids=lambda e: e.id,
)
def test_filters_fire_in_the_combined_gated_pattern(example: Example) -> None:
    """Filter order and the ``gate`` of labels.yaml never hide a filter's own matches."""
    assert example.pattern is not None
    own = example.pattern.search(example.text)
    assert own is not None
    combined = [m.span() for m in RULES.filters.pattern.finditer(example.text)]
    assert any(start < own.end() and own.start() < end for start, end in combined), (own.span(), combined)


def test_every_rule_file_has_examples() -> None:
    files = {Path(e.file).name for e in RULES.examples}
    assert files == {"numbers.yaml", "labels.yaml"}
    assert len(RULES.examples) > 300


@pytest.mark.parametrize(
    "text,value,low,high,bound,unit",
    [
        ("approximately 700,000", 700000, 700000, 700000, "~", None),
        ("700 000", 700000, 700000, 700000, "=", None),
        ("1.2 million", 1200000, 1200000, 1200000, "=", None),
        ("more than 40", 40, 40, None, ">", None),
        ("at least 30,000", 30000, 30000, None, ">=", None),
        ("no fewer than 12", 12, 12, None, ">=", None),
        ("less than 5", 5, None, 5, "<", None),
        ("at most 5", 5, None, 5, "<=", None),
        ("up to 50%", 50, None, 50, "<=", "percent"),
        ("15%", 15, 15, 15, "=", "percent"),
        ("€50 million", 50000000, 50000000, 50000000, "=", "eur"),
        ("₴300", 300, 300, 300, "=", "uah"),
        ("₽300", 300, 300, 300, "=", "rub"),
        ("300 billion roubles", 3e11, 3e11, 3e11, "=", "rub"),
        ("2 million hryvnias", 2e6, 2e6, 2e6, "=", "uah"),
        ("a dozen", 12, 12, 12, "=", None),
        ("two dozen", 24, 24, 24, "=", None),
        ("half of", 0.5, 0.5, 0.5, "=", "share"),
        ("one hundred and fifty", 150, 150, 150, "=", None),
        ("dozens", None, 24, 144, "~", None),
        ("hundreds", None, 100, 1000, "~", None),
        ("thousands", None, 1000, 10000, "~", None),
        ("tens of thousands", None, 10000, 100000, "~", None),
        ("hundreds of thousands", None, 100000, 1000000, "~", None),
        ("millions", None, 1000000, 10000000, "~", None),
        ("between 3 and 14", None, 3, 14, "range", None),
        ("-12.5", -12.5, -12.5, -12.5, "=", None),
        ("a couple of", 2, 2, 2, "~", None),
        ("5 bn", 5e9, 5e9, 5e9, "=", None),
        ("3 tn", 3e12, 3e12, 3e12, "=", None),
    ],
)
def test_values_and_bounds(
    text: str, value: float | None, low: float | None, high: float | None, bound: str, unit: str | None
) -> None:
    q = only(text)
    assert (text[q.start : q.end], q.bound, q.unit) == (text.removesuffix(" of"), bound, unit)
    for got, want in ((q.value, value), (q.low, low), (q.high, high)):
        assert (got is None and want is None) or same(got, want)


def test_vague_flag_and_number_end() -> None:
    text = "Russia lost 300 billion roubles and tens of thousands of troops"
    money, vague = find_quantities(text, RULES)
    assert text[money.start : money.end] == "300 billion roubles"
    assert text[money.start : money.number_end] == "300 billion"
    assert vague.vague and not money.vague
    assert text[vague.number_end :].startswith(" of troops")


@pytest.mark.parametrize(
    "text,number",
    [
        ("a 16-month war", "16"),
        ("a six-month delay", "six"),
        ("a 35-year-old man", "35"),
        ("a 10-day visit", "10"),
        ("its 1,000th day", "1,000th"),
        ("1,000 day", "1,000"),
    ],
)
def test_hyphenated_adjectives_end_at_the_number(text: str, number: str) -> None:
    q = only(text)
    assert text[q.start : q.number_end] == number


@pytest.mark.parametrize(
    "text",
    [
        "2023",
        "on February 24, 2022",
        "from 24.02 to 15.06",
        "on 15.06.2024",
        "on Feb. 24",
        "the 1990s",
        "at 5 am",
        "at 10:30",
        "at 18:00",
        "the Su-25",
        "F-16",
        "S-300",
        "HIMARS M142",
        "Kinzhal-2",
        "COVID-19",
        "the G7",
        "the G20",
        "a T-72",
        "MiG-29",
        "Patriot PAC-3",
        "an Mi-8",
        "the 575th Marine Battalion",
        "the 3rd Assault Brigade",
        "the 155th",
        "Article 5",
        "Article 275",
        "Resolution 2758",
        "Section 427",
        "Minsk II",
        "Chapter 11",
        "page 12",
        "episode 3",
        "call +380 44 123 4567",
        "10 Downing Street",
        "World War II",
        "the first time",
        "the second round",
        "third",
        "1. Intro",
        "one of the",
        "the one",
        "no one",
        "one day",
        "at one point",
        "one another",
        "XIV",
        "a",
        "an",
        "a man",
        "Monday",
    ],
)
def test_not_quantities(text: str) -> None:
    assert mentions(text) == []


@pytest.mark.parametrize(
    "text,want",
    [
        (
            "Russia has lost 700,000 troops and tens of thousands of heavy weapons systems",
            ["700,000", "tens of thousands"],
        ),
        ("tanks ‒ 1440 (+6), APV ‒ 3528 (+25)", ["1440", "+6", "3528", "+25"]),
        ("The Su-25 and 14 Leopard 2 tanks arrived on 24 February 2023.", ["14"]),
        ("She was sentenced under Article 275 to 12 years.", ["12"]),
        ("It was the first time since 2014 that 3 brigades moved.", ["3"]),
    ],
)
def test_sentences(text: str, want: list[str]) -> None:
    assert mentions(text) == want


def test_loader_names_file_rule_and_fix(tmp_path: Path) -> None:
    numbers = (DATA_DIR / "vocab" / "numbers.yaml").read_text(encoding="utf-8")
    (tmp_path / "labels.yaml").write_text(
        (DATA_DIR / "vocab" / "labels.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    broken = tmp_path / "numbers.yaml"
    broken.write_text(numbers.replace('bound: ">="', 'bound: "=>"', 1), encoding="utf-8")
    with pytest.raises(RuleError) as error:
        load_number_rules(broken)
    message = str(error.value)
    assert "numbers.yaml" in message and "rule 'at_least'" in message and "unknown bound" in message
    assert "; use one of" in message


def test_loader_rejects_unknown_placeholder(tmp_path: Path) -> None:
    (tmp_path / "numbers.yaml").write_text(
        (DATA_DIR / "vocab" / "numbers.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    labels = (DATA_DIR / "vocab" / "labels.yaml").read_text(encoding="utf-8")
    (tmp_path / "labels.yaml").write_text(labels.replace("{MONTH}", "{MONHT}", 1), encoding="utf-8")
    with pytest.raises(RuleError, match=r"labels.yaml: rule 'month_day': unknown placeholder \{MONHT\}"):
        load_number_rules(tmp_path / "numbers.yaml")


def test_loader_rejects_example_without_expectation(tmp_path: Path) -> None:
    (tmp_path / "labels.yaml").write_text(
        (DATA_DIR / "vocab" / "labels.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    numbers = (DATA_DIR / "vocab" / "numbers.yaml").read_text(encoding="utf-8")
    numbers = numbers.replace(
        '{text: "500 or fewer", quantity: "500 or fewer", bound: "<="}', '{text: "500 or fewer"}', 1
    )
    (tmp_path / "numbers.yaml").write_text(numbers, encoding="utf-8")
    with pytest.raises(RuleError, match="rule 'or_less': example '500 or fewer' names no quantity"):
        load_number_rules(tmp_path / "numbers.yaml")


TEXT = st.text(alphabet=st.sampled_from(list("0123456789 ,.-–%$€£₴/:+abcdefhilmnorstuvwxyAFMS\n")), max_size=80)
WORDY = st.lists(
    st.sampled_from(
        [
            "a",
            "an",
            "and",
            "half",
            "one",
            "two",
            "twenty",
            "five",
            "hundred",
            "thousand",
            "million",
            "dozen",
            "third",
            "thirds",
            "of",
            "between",
            "to",
            "about",
            "more",
            "than",
            "$",
            "3",
            "1,000",
            "-",
            "%",
            "dozens",
            "tens",
            "point",
            "out",
            "in",
            "2024",
            "Article",
            "the",
            "F-16",
            "bn",
            "m",
            "per",
            "cent",
            "or",
            "so",
        ]
    ),
    max_size=14,
).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(TEXT, WORDY, st.text(max_size=60)))
def test_properties(text: str) -> None:
    found = find_quantities(text, RULES)
    assert found == find_quantities(text, RULES)
    previous_end = 0
    for q in found:
        assert 0 <= q.start < q.end <= len(text)
        assert q.start >= previous_end
        previous_end = q.end
        assert q.start < q.number_end <= q.end
        if q.value is not None:
            assert (q.low is None or q.low <= q.value) and (q.high is None or q.value <= q.high)
        if q.low is not None and q.high is not None:
            assert q.low <= q.high
