"""Tests for ``claimtrack.transforms.periods.find``: every inline example of ``data/rules/periods.yaml``, the
conventions the issue asks for, loader errors, the clock ban, and hypothesis properties."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
import sys
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any

import dateparser.date  # noqa: F401  (loads the modules the clock test patches)
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from claimtrack.transforms.model import TimeSpan
from claimtrack.transforms.periods import loader as period_loader
from claimtrack.transforms.periods.find import (
    PeriodRules,
    check_examples,
    find_dateline,
    find_time_spans,
    load_period_rules,
    rule_fires,
)
from claimtrack.transforms.periods.triggers import trigger_words
from claimtrack.transforms.rules import RuleError

RULES = load_period_rules()
WAR_START = RULES.war_start  # the war_start anchor, as the extractor reads it
PUB = date(2024, 5, 4)  # a Saturday


@pytest.fixture(scope="module")
def rules() -> PeriodRules:
    return RULES


def spans_of(text: str, published: date | None = PUB) -> list[tuple[str, str, date | None, date | None]]:
    return [(s.text, s.role, s.period_start, s.period_end) for s in find_time_spans(text, published, RULES)]


def one(text: str, published: date | None = PUB) -> tuple[str, date | None, date | None]:
    """The single span of ``text`` as (role, start, end)."""
    found = find_time_spans(text, published, RULES)
    assert len(found) == 1, found
    return found[0].role, found[0].period_start, found[0].period_end


# --- the rule file's own examples ------------------------------------------------------------

EXAMPLES = [pytest.param(rule, ex, id=f"{rule.id}:{i}") for rule in RULES.rules for i, ex in enumerate(rule.examples)]
NO_MATCH = [pytest.param(rule, text, id=f"{rule.id}:{text}") for rule in RULES.rules for text in rule.no_match]


@pytest.mark.parametrize(("rule", "example"), EXAMPLES)
def test_rule_example(rule: Any, example: Any) -> None:
    found = find_time_spans(example.text, example.published, RULES)
    want = (example.role, example.start, example.end)
    hits = [s for s in found if (s.role, s.period_start, s.period_end) == want]
    assert hits, f"{rule.id}: {example.text!r} -> {found}"
    if example.span is not None:
        assert example.span in [s.text for s in hits]


@pytest.mark.parametrize(("rule", "text"), NO_MATCH)
def test_rule_no_match(rule: Any, text: str) -> None:
    assert not rule_fires(rule, text, RULES)


def test_check_examples_reports_nothing() -> None:
    assert check_examples(RULES) == []


EXAMPLE_TEXTS = sorted(
    {ex.text for rule in RULES.rules for ex in rule.examples}
    | {text for rule in RULES.rules for text in rule.no_match}
    | {ex.text for ex in RULES.joins.examples}
)


@pytest.mark.parametrize("rule", RULES.rules, ids=lambda r: r.id)
def test_trigger_never_hides_a_match(rule: Any) -> None:
    """A rule is skipped on texts without its trigger words, so its pattern must not match any
    example text of the rule file (every rule's, not only its own) that lacks them."""
    if rule.trigger is None:
        return
    hidden = [
        text
        for text in EXAMPLE_TEXTS
        if rule.trigger.isdisjoint(trigger_words(text, RULES.trigger_patterns))
        and any(m.end() > m.start() for m in rule.pattern.finditer(text))
    ]
    assert hidden == [], f"{rule.id} matches without its trigger: {hidden}"


@pytest.mark.parametrize(
    ("text", "classes"),
    [
        ("sales rose 12% in 2024", {"DIGIT", "YEAR"}),
        ("a fleet of 2,500 ships", {"DIGIT"}),  # digits, but no year: the year rules skip it
        ("on 24.02 and 3/5", {"DIGIT", "DIGITS_JOINED"}),
        ("in May", set()),
    ],
)
def test_trigger_classes(text: str, classes: set[str]) -> None:
    assert trigger_words(text, RULES.trigger_patterns) & set(RULES.trigger_patterns) == classes


@pytest.mark.parametrize("example", RULES.joins.examples, ids=lambda e: e.text)
def test_join_examples(example: Any) -> None:
    assert (example.role, example.start, example.end) in [
        (r, s, e) for _, r, s, e in spans_of(example.text, example.published)
    ]


@pytest.mark.parametrize(("text", "expected"), RULES.dateline.examples, ids=lambda v: str(v)[:30])
def test_dateline_examples(text: str, expected: date | None) -> None:
    assert find_dateline(text, RULES) == expected


# --- the periods the issue lists (published 2024-05-04 unless stated) ------------------------

CASES = [
    ("in the first 6 months of 2024", PUB, "period", date(2024, 1, 1), date(2024, 6, 30)),
    ("H1 2024", PUB, "period", date(2024, 1, 1), date(2024, 6, 30)),
    ("in Q3", PUB, "period", date(2023, 7, 1), date(2023, 9, 30)),
    ("in Q1", PUB, "period", date(2024, 1, 1), date(2024, 3, 31)),
    ("the third quarter of 2023", PUB, "period", date(2023, 7, 1), date(2023, 9, 30)),
    ("in all of 2023", PUB, "period", date(2023, 1, 1), date(2023, 12, 31)),
    ("in 2023", PUB, "period", date(2023, 1, 1), date(2023, 12, 31)),
    ("last year", PUB, "period", date(2023, 1, 1), date(2023, 12, 31)),
    ("last week", PUB, "period", date(2024, 4, 22), date(2024, 4, 28)),
    ("last week", date(2024, 5, 13), "period", date(2024, 5, 6), date(2024, 5, 12)),
    ("last month", PUB, "period", date(2024, 4, 1), date(2024, 4, 30)),
    ("over the past day", PUB, "period", date(2024, 5, 3), date(2024, 5, 3)),
    ("in the past 24 hours", PUB, "period", date(2024, 5, 3), date(2024, 5, 3)),
    ("over the past week", PUB, "period", date(2024, 4, 27), date(2024, 5, 3)),
    ("today", PUB, "period", PUB, PUB),
    ("yesterday", PUB, "period", date(2024, 5, 3), date(2024, 5, 3)),
    ("overnight", PUB, "period", date(2024, 5, 3), PUB),
    ("last night", PUB, "period", date(2024, 5, 3), PUB),
    ("between March and May", PUB, "period", date(2024, 3, 1), date(2024, 5, 31)),
    ("from 24.02 to 15.06", date(2024, 7, 1), "period", date(2024, 2, 24), date(2024, 6, 15)),
    ("from 24.02 to 15.06", date(2022, 6, 15), "period", date(2022, 2, 24), date(2022, 6, 15)),
    ("in May", PUB, "period", date(2024, 5, 1), date(2024, 5, 31)),
    ("in June", PUB, "period", date(2023, 6, 1), date(2023, 6, 30)),
    ("this year", PUB, "period", date(2024, 1, 1), date(2024, 12, 31)),
    ("so far this year", PUB, "period", date(2024, 1, 1), PUB),
    ("on Friday", PUB, "as_of", date(2024, 5, 3), date(2024, 5, 3)),
    ("on Saturday", PUB, "as_of", PUB, PUB),
    ("on March 3, 2024", PUB, "as_of", date(2024, 3, 3), date(2024, 3, 3)),
    ("during the first year of the war", PUB, "period", date(2022, 2, 24), date(2023, 2, 23)),
    ("in the last three months", PUB, "period", date(2024, 2, 4), PUB),
    ("since February 24, 2022", PUB, "since", date(2022, 2, 24), None),
    ("since the start of the invasion", PUB, "since", date(2022, 2, 24), None),
    ("since the start of the full-scale invasion", PUB, "since", date(2022, 2, 24), None),
    ("since the beginning of the war", PUB, "since", date(2022, 2, 24), None),
    ("as of June 1", date(2024, 7, 1), "as_of", None, date(2024, 6, 1)),
    ("by June 1", date(2024, 7, 1), "as_of", None, date(2024, 6, 1)),
    ("as at 1 June 2024", date(2024, 7, 1), "as_of", None, date(2024, 6, 1)),
    ("March 2023", PUB, "point", date(2023, 3, 1), date(2023, 3, 31)),
    ("on 11 May", date(2024, 6, 1), "as_of", date(2024, 5, 11), date(2024, 5, 11)),
    ("between 28 April and 11 May", date(2022, 6, 15), "period", date(2022, 4, 28), date(2022, 5, 11)),
    ("the past couple of months", PUB, "period", date(2024, 3, 4), PUB),
    ("in the 1990s", PUB, "period", date(1990, 1, 1), date(1999, 12, 31)),
    ("Friday night", PUB, "as_of", date(2024, 5, 3), PUB),
    ("on Friday", date(2024, 5, 3), "as_of", date(2024, 5, 3), date(2024, 5, 3)),
]


@pytest.mark.parametrize(("text", "published", "role", "start", "end"), CASES, ids=[f"{c[0]}@{c[1]}" for c in CASES])
def test_issue_periods(text: str, published: date, role: str, start: date | None, end: date | None) -> None:
    assert one(text, published) == (role, start, end)


def test_spans_cover_the_role_word() -> None:
    assert [s[0] for s in spans_of("Russia lost 1,000 troops in the past 24 hours and 30,000 since May 2023.")] == [
        "in the past 24 hours",
        "since May 2023",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "1,000 days of war",
        "16 months",
        "for three days",
        "for 100 days",
        "a 12% rise",
        "we may see more strikes",
        "The march on Kyiv failed",
        "Su-25 jets",
        "575th Marine Battalion",
        "Article 275",
        "more than 2000 troops",
        "1/3 of the troops",
        "it rose 24.02 points",
        "COVID-19",
        "F-16",
        "in his 90s",
    ],
)
def test_not_time_spans(text: str) -> None:
    assert spans_of(text) == []


def test_year_less_dates_prefer_the_past() -> None:
    assert one("on December 3", PUB)[1:] == (date(2023, 12, 3), date(2023, 12, 3))
    assert one("on May 4", PUB)[1:] == (PUB, PUB)
    assert one("on May 5", PUB)[1:] == (date(2023, 5, 5), date(2023, 5, 5))
    assert one("from 24.02 to 15.06", date(2022, 6, 15))[1:] == (date(2022, 2, 24), date(2022, 6, 15))


def test_weekday_is_latest_on_or_before_publication() -> None:
    assert one("on Saturday", PUB)[1] == PUB
    assert one("on Sunday", PUB)[1] == date(2024, 4, 28)
    assert one("last Saturday", PUB)[1] == date(2024, 4, 27)


def test_quarter_year_from_context() -> None:
    assert one("in the fourth quarter", date(2023, 3, 12))[1:] == (date(2022, 10, 1), date(2022, 12, 31))
    assert one("Q2 2022", PUB)[1:] == (date(2022, 4, 1), date(2022, 6, 30))


def test_paragraph_gives_sorted_non_overlapping_spans() -> None:
    text = (
        "Since the start of the full-scale invasion, Russia has lost 500,000 troops. In the first "
        "6 months of 2024 it lost 100,000, and last week 8,000, the ministry said on Friday."
    )
    got = find_time_spans(text, PUB, RULES)
    assert [s.text for s in got] == [
        "Since the start of the full-scale invasion",
        "In the first 6 months of 2024",
        "last week",
        "on Friday",
    ]
    assert all(a.end <= b.start for a, b in pairwise(got))


# --- unknown publication date, datetime input, anchors ---------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "last week",
        "yesterday",
        "over the past day",
        "this year",
        "on Friday",
        "in May",
        "on 11 May",
        "in Q3",
        "the past couple of months",
    ],
)
def test_relative_without_publication_date_has_no_ends(text: str) -> None:
    found = find_time_spans(text, None, RULES)
    assert found and all(s.period_start is None and s.period_end is None for s in found)


def test_absolute_without_publication_date_still_resolves() -> None:
    assert one("in 2023", None) == ("period", date(2023, 1, 1), date(2023, 12, 31))
    assert one("since February 24, 2022", None) == ("since", date(2022, 2, 24), None)
    assert one("since the start of the invasion", None) == ("since", WAR_START, None)


def test_datetime_publication_is_accepted() -> None:
    assert one("yesterday", dt.datetime(2024, 5, 4, 23, 59)) == ("period", date(2024, 5, 3), date(2024, 5, 3))


def test_war_start_comes_from_the_data() -> None:
    assert WAR_START == date(2022, 2, 24) == RULES.war_start
    assert RULES.anchors["full_scale_invasion"].day == WAR_START


# --- dateline ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kursk\nNovember 3, 2024 Topic: Security", date(2024, 11, 3)),
        ("By staff\n3 Nov 2024\nKyiv", date(2024, 11, 3)),
        ("2024-11-03 08:15 Kyiv", date(2024, 11, 3)),
        ("Published: Sunday 3 November 2024\nUpdated: 4 November 2024", date(2024, 11, 3)),
        ("Updated 4 November 2024. First line mentions February 24, 2022.", date(2024, 11, 4)),
        ("Russia attacked on Friday, officials said.", None),
        ("On March 3 officials said", None),
        ("x" * 700 + " November 3, 2024", None),
        ("", None),
    ],
)
def test_find_dateline(text: str, expected: date | None) -> None:
    assert find_dateline(text, RULES) == expected


# --- the clock is never read ------------------------------------------------------------------


class _NoClockDate(date):
    @classmethod
    def today(cls) -> date:
        raise AssertionError("date.today() called")


class _NoClockDatetime(dt.datetime):
    @classmethod
    def now(cls, tz: Any = None) -> dt.datetime:
        raise AssertionError("datetime.now() called")

    @classmethod
    def today(cls) -> dt.datetime:
        raise AssertionError("datetime.today() called")

    @classmethod
    def utcnow(cls) -> dt.datetime:
        raise AssertionError("datetime.utcnow() called")


def test_no_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every module of dateparser and of the period finder sees a datetime whose now()/today() raise."""
    patched = 0
    for name, module in list(sys.modules.items()):
        if module is None or not name.startswith(("dateparser", "claimtrack.transforms.periods")):
            continue
        if getattr(module, "datetime", None) is dt.datetime:
            monkeypatch.setattr(module, "datetime", _NoClockDatetime)
            patched += 1
        if getattr(module, "date", None) is dt.date:
            monkeypatch.setattr(module, "date", _NoClockDate)
            patched += 1
    assert patched >= 5
    texts = [c[0] for c in CASES] + ["Published: 2024 Nov 03\nbody", "Posted on 3 Nov 2024"]
    for text in texts:
        find_time_spans(text, PUB, RULES)
        find_time_spans(text, None, RULES)
        find_dateline(text, RULES)
    assert find_dateline("Posted on 2024 Nov 03\nA report", RULES) == date(2024, 11, 3)


def test_period_finder_does_not_use_dateparser() -> None:
    """dateparser's absolute parser calls datetime.today() (utils/strptime.py), so it is not used."""
    for module in (
        "claimtrack.transforms.periods.find",
        "claimtrack.transforms.periods.loader",
        "claimtrack.transforms.periods.resolvers",
        "claimtrack.transforms.periods.dates",
    ):
        assert "dateparser" not in sys.modules[module].__dict__


# --- loader: frozen tables and errors that name file, rule and fix ----------------------------


def test_rules_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        RULES.war_start = date(2000, 1, 1)  # type: ignore[misc]
    with pytest.raises(TypeError):
        RULES.rules[0].params["anchor"] = "x"  # type: ignore[index]


def _broken(tmp_path: Path, edit: Any) -> Path:
    """Copy the rule file with ``edit(data)`` applied; return the new path."""
    data = yaml.safe_load(period_loader.DEFAULT_PATH.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "periods.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _rule(data: dict[str, Any], rule_id: str) -> dict[str, Any]:
    return next(r for r in data["rules"] if r["id"] == rule_id)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda d: _rule(d, "year").update(pattern="{YEARR}"),
            r"rule 'year': unknown placeholder \{YEARR\}.*; fix the name",
        ),
        (lambda d: _rule(d, "year").update(resolver="nope"), r"rule 'year': unknown resolver 'nope'; use one of"),
        (
            lambda d: _rule(d, "weekday").update(pattern="{WEEKDAY}"),
            r"rule 'weekday': resolver 'weekday' reads group\(s\) wd; add",
        ),
        (lambda d: _rule(d, "ago").update(params={}), r"rule 'ago': resolver 'ago' needs param\(s\) sign; add them"),
        (lambda d: _rule(d, "year").update(colour="red"), r"rule 'year': unknown key\(s\) colour; use only"),
        (lambda d: _rule(d, "year").update(role="sometime"), r"rule 'year': role 'sometime'"),
        (
            lambda d: _rule(d, "year")["examples"][0].update(start="2023-13-01"),
            r"rule 'year': start '2023-13-01' is not an ISO date",
        ),
        (
            lambda d: _rule(d, "ago")["examples"].append(
                {"text": "two years back", "published": "2016-11-07", "role": "point", "start": None, "end": None}
            ),
            r"rule 'ago': example 'two years back' holds none of the 'trigger' words",
        ),
        (
            lambda d: _rule(d, "year").update(trigger=["YEARS"]),
            r"rule 'year': trigger 'YEARS' is not a lower-case word; list lower-case words or MONTH, .*YEAR",
        ),
        (
            lambda d: d["trigger_patterns"].update(MONTH=r"\d"),
            r"rule 'trigger_patterns': 'MONTH' is not a new UPPER_CASE name",
        ),
        (lambda d: d["trigger_patterns"].update(YEAR="(unclosed"), r"rule 'trigger_patterns.YEAR': invalid regular"),
        (lambda d: d["rules"].append(dict(_rule(d, "year"))), r"rule 'year': duplicate rule id"),
        (lambda d: _rule(d, "year").update(examples=[]), r"rule 'year': no examples"),
        (
            lambda d: _rule(d, "since_war_start")["params"].update(anchor="moon_landing"),
            r"unknown anchor 'moon_landing'",
        ),
        (lambda d: d.update(war_start="moon_landing"), r"rule 'war_start': 'moon_landing' is not an anchor"),
        (lambda d: d["placeholders"].update(YEAR="(unclosed"), r"rule 'YEAR': invalid regular expression"),
        (lambda d: d["vocab"]["units"].update(days="fortnights"), r"rule 'vocab.units': 'days': 'fortnights' is not"),
    ],
)
def test_loader_errors_name_file_rule_and_fix(tmp_path: Path, edit: Any, message: str) -> None:
    path = _broken(tmp_path, edit)
    with pytest.raises(RuleError, match=message) as err:
        load_period_rules(path)
    assert str(path) in str(err.value) or "periods.yaml" in str(err.value)


def test_loader_rejects_invalid_yaml(tmp_path: Path) -> None:
    path = tmp_path / "periods.yaml"
    shutil.copy(period_loader.DEFAULT_PATH, path)
    path.write_text(path.read_text(encoding="utf-8") + "\n  bad: [unclosed\n", encoding="utf-8")
    with pytest.raises(RuleError, match="not valid YAML"):
        load_period_rules(path)


# --- hypothesis properties --------------------------------------------------------------------

TOKENS = [
    "in",
    "since",
    "as of",
    "on",
    "the",
    "past",
    "last",
    "first",
    "6",
    "24",
    "months",
    "days",
    "hours",
    "week",
    "year",
    "2022",
    "2024",
    "May",
    "March",
    "Friday",
    "Q3",
    "H1",
    "of",
    "between",
    "and",
    "to",
    "from",
    "24.02",
    "15.06",
    "today",
    "yesterday",
    "overnight",
    "invasion",
    "war",
    "early",
    "late",
    "mid-",
    "1990s",
    "the 21st century",
    "-",
    ",",
    ".",
    "12%",
    "1,000",
    "ago",
    "two",
    "couple of",
]
texty = st.one_of(
    st.text(max_size=200), st.lists(st.sampled_from(TOKENS) | st.text(max_size=6), max_size=25).map(" ".join)
)
published = st.one_of(st.none(), st.dates(min_value=date(1901, 1, 1), max_value=date(2099, 12, 31)))


def _check_spans(text: str, found: list[TimeSpan]) -> None:
    for span in found:
        assert 0 <= span.start < span.end <= len(text)
        assert span.text == text[span.start : span.end]
        assert span.role in ("period", "since", "as_of", "point")
        if span.period_start is not None and span.period_end is not None:
            assert span.period_start <= span.period_end, span
    assert all(a.end <= b.start for a, b in pairwise(found))


@settings(max_examples=400, deadline=None)
@given(text=texty, pub=published)
def test_property_never_raises_and_spans_are_consistent(text: str, pub: date | None) -> None:
    found = find_time_spans(text, pub, RULES)
    _check_spans(text, found)
    assert find_time_spans(text, pub, RULES) == found


@settings(max_examples=200, deadline=None)
@given(text=texty)
def test_property_dateline_never_raises(text: str) -> None:
    result = find_dateline(text, RULES)
    assert result is None or isinstance(result, date)


@settings(max_examples=200, deadline=None)
@given(
    n=st.integers(1, 12),
    year=st.integers(1990, 2030),
    pub=st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)),
)
def test_property_first_n_months(n: int, year: int, pub: date) -> None:
    ((role, start, end),) = [s[1:] for s in spans_of(f"in the first {n} months of {year}", pub)]
    assert (role, start) == ("period", date(year, 1, 1))
    assert end is not None and end.month == n and (end + dt.timedelta(days=1)).day == 1


def test_first_n_months_beyond_a_year_is_not_a_year_part() -> None:
    assert spans_of("in the first 13 months of 1990") == []


@settings(max_examples=200, deadline=None)
@given(
    pub=st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31)),
    n=st.integers(1, 60),
    unit=st.sampled_from(["days", "weeks", "months", "years", "hours"]),
)
def test_property_look_backs_end_by_publication(pub: date, n: int, unit: str) -> None:
    ((_, role, start, end),) = spans_of(f"over the past {n} {unit}", pub)
    assert role == "period" and start is not None and end is not None
    assert start < pub and end <= pub


def test_patterns_are_compiled_and_each_load_is_independent() -> None:
    assert all(isinstance(rule.pattern, re.Pattern) for rule in RULES.rules)
    assert load_period_rules() is not RULES  # a new, independent table each call; no module cache of results
