"""Decide a claim's kind (cumulative / period / level), its period and its change.

Rules and cue lists live in ``data/rules/kinds.yaml``; the order of decisions is documented
there. Inputs are one sentence, the quantity's offsets in it, the resolved time spans of the
sentence and the publication date; nothing reads the clock.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from claimtrack.transforms.claims.metrics import cue_pattern
from claimtrack.transforms.claims.sentences import clause_breaks
from claimtrack.transforms.model import Bound, Change, Kind, TimeSpan
from claimtrack.transforms.rules import check_keys, compile_pattern, data_file, load_yaml, word_group

KEYS = [
    "version",
    "cumulative_cues",
    "perfect_tense",
    "clause_conjunctions",
    "distance_breaks",
    "lookback_spans",
    "as_of_prefixes",
    "war_duration_after",
    "war_duration_before",
    "war_words",
    "duration_units",
    "rate_cues",
    "approach_cues",
    "change_up",
    "change_down",
    "event_cues",
    "survey_cues",
    "level_units",
    "examples",
]


@lru_cache(maxsize=8192)
def mentions(pattern: re.Pattern[str], text: str) -> bool:
    """True when ``pattern`` occurs in ``text``; memoised, as every number of a sentence asks
    the same questions of it (the cache holds strings and compiled rules, nothing mutable)."""
    return pattern.search(text) is not None


@dataclass(frozen=True)
class KindRules:
    """Compiled cue patterns of ``data/rules/kinds.yaml``."""

    cumulative: re.Pattern[str]
    perfect_tense: re.Pattern[str]
    clause_break: re.Pattern[str]
    distance_break: re.Pattern[str]
    lookback: re.Pattern[str]
    as_of_prefix: re.Pattern[str]
    war_after: re.Pattern[str]
    war_before: re.Pattern[str]
    war_words: re.Pattern[str]
    duration_units: frozenset[str]
    rate: re.Pattern[str]
    change_up: re.Pattern[str]
    change_down: re.Pattern[str]
    level_units: frozenset[str]
    events: re.Pattern[str]
    survey: re.Pattern[str]
    approach: re.Pattern[str]


@dataclass(frozen=True)
class Dating:
    """What ``date_claim`` decides for one quantity."""

    kind: Kind
    period_start: date | None
    period_end: date | None
    change: Change | None = None


def _words(path: Path, rule: str, table: Mapping[str, Any], anchor: str = "") -> re.Pattern[str]:
    """Compile a cue list; ``anchor`` = "start" / "end" pins it to the start / end of the text."""
    pattern = cue_pattern(path, rule, table[rule])
    assert pattern is not None
    if anchor == "start":
        return re.compile(r"^\s*(?:" + pattern.pattern + ")", re.IGNORECASE)
    if anchor == "end":
        return re.compile("(?:" + pattern.pattern + r")\s*(?:by\s+)?(?:a\s+further\s+|another\s+)?$", re.IGNORECASE)
    return pattern


@lru_cache(maxsize=4)
def load_kind_rules(path: Path | None = None) -> KindRules:
    """Load and compile ``data/rules/kinds.yaml`` (or ``path``)."""
    path = path or data_file("rules", "kinds.yaml")
    table = dict(check_keys(path, None, load_yaml(path), KEYS, KEYS[1:-1]))
    return KindRules(
        cumulative=_words(path, "cumulative_cues", table),
        perfect_tense=compile_pattern(path, "perfect_tense", table["perfect_tense"]),
        clause_break=clause_breaks().pattern(conjunctions=tuple(table["clause_conjunctions"]), flags=re.IGNORECASE),
        distance_break=_distance_breaks(path, table["distance_breaks"]),
        lookback=compile_pattern(path, "lookback_spans", table["lookback_spans"]),
        as_of_prefix=_words(path, "as_of_prefixes", table, "start"),
        war_after=_words(path, "war_duration_after", table, "start"),
        war_before=_words(path, "war_duration_before", table, "end"),
        war_words=_words(path, "war_words", table),
        duration_units=frozenset(table["duration_units"]),
        rate=_words(path, "rate_cues", table, "start"),
        change_up=_words(path, "change_up", table, "end"),
        change_down=_words(path, "change_down", table, "end"),
        level_units=frozenset(table["level_units"]),
        events=_words(path, "event_cues", table),
        survey=_words(path, "survey_cues", table),
        approach=re.compile(
            "(?:" + _words(path, "approach_cues", table).pattern + r")\s+(?:its\s+|the\s+|a\s+)?$", re.IGNORECASE
        ),
    )


def _distance_breaks(path: Path, raw: object) -> re.Pattern[str]:
    """The marks and words that put a time span further from a quantity (``distance_breaks``)."""
    table = check_keys(path, "distance_breaks", raw, (), ["marks", "words"])
    marks = "".join(re.escape(str(mark)) for mark in table["marks"])
    return re.compile(rf"[{marks}]|\b{word_group(path, 'distance_breaks.words', table['words'])}\b")


def find_change(before: str, rules: KindRules) -> Change | None:
    """``up``/``down`` when the words right before a number say it is a change ("rose 18%")."""
    tail = before[-60:]
    if rules.change_up.search(tail):
        return "up"
    return "down" if rules.change_down.search(tail) else None


def _distance(sentence: str, span: TimeSpan, q_start: int, q_end: int, rules: KindRules) -> int:
    """Characters between a span and a quantity, plus 60 for each distance break between them."""
    left, right = (q_end, span.start) if span.start >= q_end else (span.end, q_start)
    gap = sentence[left:right] if right > left else ""
    return max(0, right - left) + 60 * len(rules.distance_break.findall(gap))


def _nearest(sentence: str, spans: list[TimeSpan], q_start: int, q_end: int, rules: KindRules) -> TimeSpan | None:
    """The span closest to the quantity (distance breaks count as distance), or None."""
    return min(spans, key=lambda s: _distance(sentence, s, q_start, q_end, rules), default=None)


def _is_as_of(span: TimeSpan, rules: KindRules) -> bool:
    """True for spans that date a total ("as of June 1", "by March") rather than an event."""
    return span.role == "as_of" and bool(rules.as_of_prefix.search(span.text))


def _is_war_duration(sentence: str, q_start: int, unit_end: int, unit: str, rules: KindRules) -> bool:
    """True when a duration states the war's own age ("four months into the war")."""
    if unit.rsplit(" ", 1)[-1] not in rules.duration_units or not mentions(rules.war_words, sentence):
        return False
    return bool(
        rules.war_after.search(sentence[unit_end : unit_end + 40])
        or rules.war_before.search(sentence[max(0, q_start - 30) : q_start])
    )


def clause_of(sentence: str, q_start: int, q_end: int, rules: KindRules) -> tuple[int, int]:
    """Offsets of the clause holding ``sentence[q_start:q_end]`` (between clause breaks)."""
    left, right = 0, len(sentence)
    for match in rules.clause_break.finditer(sentence):
        if match.end() <= q_start:
            left = match.end()
        elif match.start() >= q_end:
            right = match.start()
            break
    return left, right


def date_claim(
    sentence: str,
    q_start: int,
    q_end: int,
    unit_end: int,
    unit: str,
    spans: list[TimeSpan],
    published: date | None,
    war_start: date,
    war_metric: bool,
    rules: KindRules,
) -> Dating:
    """Return kind, period and change for the quantity at ``sentence[q_start:q_end]``.

    ``unit_end`` is where its unit phrase ends; ``spans`` are the sentence's time spans (offsets
    into ``sentence``; spans wholly after ``published`` are plans, not dates of the figure);
    ``war_metric`` is the metric's ``war_cumulative`` flag.
    """
    change = find_change(sentence[:q_start], rules)
    spans = [s for s in spans if published is None or s.period_start is None or s.period_start <= published]
    left, right = clause_of(sentence, q_start, max(q_end, unit_end), rules)
    clause = sentence[left:right]
    since = _nearest(
        sentence,
        [s for s in spans if s.role == "since" and (s.start < 3 or left <= s.start < right)],
        q_start,
        q_end,
        rules,
    )
    as_of = _nearest(sentence, [s for s in spans if _is_as_of(s, rules)], q_start, q_end, rules)
    bounded = _nearest(
        sentence, [s for s in spans if s.role != "since" and not _is_as_of(s, rules)], q_start, q_end, rules
    )
    end = as_of.period_end if as_of else published
    if _is_war_duration(sentence, q_start, unit_end, unit, rules):
        return Dating("cumulative", since.period_start if since else war_start, end, change)
    if unit in rules.level_units:
        if bounded and change:
            return Dating("period", bounded.period_start, bounded.period_end, change)
        return Dating("level", None, bounded.period_end if bounded else end, change)
    if since:
        return Dating("cumulative", since.period_start, end, change)
    if mentions(rules.cumulative, clause) or (war_metric and mentions(rules.perfect_tense, clause)):
        if bounded and rules.lookback.search(bounded.text):
            return Dating("period", bounded.period_start, bounded.period_end, change)
        as_of_end = bounded.period_end if bounded and not as_of else end
        of_war = war_metric or bool(mentions(rules.war_words, sentence))
        return Dating("cumulative", war_start if of_war else None, as_of_end, change)
    rate = rules.rate.search(sentence[unit_end : unit_end + 15])
    if bounded and not rate:
        return _bounded(sentence, bounded, unit, change, rules)
    return Dating("level", None, end, change)


def _bounded(sentence: str, span: TimeSpan, unit: str, change: Change | None, rules: KindRules) -> Dating:
    """Kind for a quantity tied to a bounded span: an event count or flow over the span is a
    ``period``; anything else (shares, sizes, populations) a ``level`` dated at the span's end."""
    if change or mentions(rules.events, sentence):
        return Dating("period", span.period_start, span.period_end, change)
    return Dating("level", None, span.period_end, change)


def approximate(before: str, bound: Bound, rules: KindRules) -> Bound:
    """Turn an exact bound into ``~`` when the words before the number say "approaching"."""
    return "~" if bound == "=" and rules.approach.search(before[-40:]) else bound


def survey_date(sentences: list[tuple[str, list[TimeSpan]]], published: date | None, rules: KindRules) -> date | None:
    """The end of the latest survey fieldwork an article states: the latest end, before
    ``published``, of a time span in a sentence with a survey cue, preferring spans of several
    days (fieldwork) to single days (release dates); None when there is none."""
    found = [
        span
        for text, spans in sentences
        if rules.survey.search(text)
        for span in spans
        if span.period_end and span.role != "since" and (published is None or span.period_end < published)
    ]
    fieldwork = [s for s in found if s.period_start and s.period_end and s.period_start < s.period_end] or found
    return max((s.period_end for s in fieldwork if s.period_end), default=None)


def date_survey_level(
    dating: Dating, sentence: str, unit: str, own_spans: bool, survey_end: date | None, rules: KindRules
) -> Dating:
    """Date an undated level at the article's survey fieldwork when it is a share or sits in a
    sentence about the survey (see ``survey_cues`` in kinds.yaml)."""
    if survey_end is None or own_spans or dating.kind != "level":
        return dating
    if unit in rules.level_units or mentions(rules.survey, sentence):
        return Dating("level", None, survey_end, dating.change)
    return dating


def date_carried_event(
    dating: Dating, sentence: str, unit: str, own_spans: bool, carried: TimeSpan | None, rules: KindRules
) -> Dating:
    """An undated event count ("over 70 drones were shot down") takes the date of the event
    an earlier sentence stated (``carried``); shares and totals keep theirs."""
    if carried is None or own_spans or dating.kind != "level" or unit in rules.level_units:
        return dating
    if not mentions(rules.events, sentence):
        return dating
    return Dating("period", carried.period_start, carried.period_end, dating.change)
