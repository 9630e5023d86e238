"""Comparison claims: "more convictions in the first 6 months of 2024 than in all of 2023",
"the highest level in at least 9 years". Shapes and words in ``data/rules/comparisons.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from claimtrack.transforms.claims import sentences
from claimtrack.transforms.claims.attribution import find_subject
from claimtrack.transforms.claims.context import (
    ExtractorRules,
    SentenceContext,
    load_extractor_rules,
    sentence_contexts,
)
from claimtrack.transforms.claims.metrics import classify_metric
from claimtrack.transforms.claims.units import is_plural, normalise_unit
from claimtrack.transforms.model import Bound, Comparison, PeriodRef, TimeSpan
from claimtrack.transforms.rules import alternation, check_keys, compile_pattern, data_file, load_yaml

WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
NUMBER_WORDS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
}
HEDGE_BOUND: dict[str, Bound] = {
    "at least": ">=",
    "more than": ">",
    "over": ">",
    "nearly": "~",
    "almost": "~",
    "about": "~",
}


@dataclass(frozen=True)
class ComparisonRules:
    """Compiled comparison patterns."""

    more: re.Pattern[str]
    extreme_since: re.Pattern[str]
    greater: frozenset[str]
    minimum: frozenset[str]


@lru_cache(maxsize=4)
def load_comparison_rules(path: Path | None = None) -> ComparisonRules:
    """Load and compile ``data/rules/comparisons.yaml`` (or ``path``)."""
    path = path or data_file("rules", "comparisons.yaml")
    keys = ["greater", "smaller", "extreme_max", "extreme_min", "extreme_since"]
    table = check_keys(path, None, load_yaml(path), ["version", "examples", *keys], keys)
    words = alternation(path, "greater", [*table["greater"], *table["smaller"]])
    return ComparisonRules(
        more=re.compile(r"\b" + words + r"\b", re.IGNORECASE),
        extreme_since=compile_pattern(path, "extreme_since", table["extreme_since"]),
        greater=frozenset(table["greater"]),
        minimum=frozenset(table["extreme_min"]),
    )


def _ref(span: TimeSpan | None, published: date | None) -> PeriodRef:
    """A comparison side for a time span (or the publication day when there is none)."""
    if span is None:
        return PeriodRef(period_start=None, period_end=published)
    return PeriodRef(period_start=span.period_start, period_end=span.period_end)


def _compared_thing(text: str, start: int, end: int, rules: ExtractorRules) -> tuple[str | None, str | None]:
    """(unit, metric) of the first plural noun in ``text[start:end]`` that names a metric."""
    fallback: tuple[str | None, str | None] = (None, None)
    for match in WORD.finditer(text, start, end):
        if is_plural(match.group(0), rules.units):
            unit = normalise_unit(match.group(0), rules.units)
            metric = classify_metric(unit, text, rules.taxonomy)
            if metric:
                return unit, metric
            fallback = fallback if fallback[0] else (unit, None)
    return fallback


def _between_periods(
    context: SentenceContext, published: date | None, rules: ExtractorRules, cmp_rules: ComparisonRules
) -> list[Comparison]:
    """ "more X in P1 than in P2" comparisons of one sentence."""
    text, spans, found = context.sentence.text, context.spans, []
    for word in cmp_rules.more.finditer(text):
        left = next((s for s in spans if word.end() <= s.start <= word.end() + 60 and s.role != "since"), None)
        than = re.compile(r"\s+than\s+(?:in\s+|during\s+|over\s+|for\s+)?").match(text, left.end) if left else None
        right = next((s for s in spans if than and than.start() < s.start <= than.end()), None)
        if not (left and right):
            continue
        _, metric = _compared_thing(text, word.start(), left.start, rules)
        relation = ">" if word.group(0).lower() in cmp_rules.greater else "<"
        found.append(
            _comparison(
                context,
                word.start(),
                right.end,
                relation,
                _ref(left, published),
                _ref(right, published),
                metric,
                published,
                rules,
            )
        )
    return found


def _extreme_since(
    context: SentenceContext, published: date | None, rules: ExtractorRules, cmp_rules: ComparisonRules
) -> list[Comparison]:
    """ "the highest level in at least N years" comparisons of one sentence."""
    text, found = context.sentence.text, []
    for match in cmp_rules.extreme_since.finditer(text):
        years_text = match.group("years").lower()
        years = float(NUMBER_WORDS.get(years_text, 0) or years_text)
        bound = HEDGE_BOUND.get((match.group("hedge") or "").lower(), "=")
        clause_start = max(text.rfind(",", 0, match.start()) + 1, 0)
        _, metric = _compared_thing(text, clause_start, match.start(), rules)
        if metric is None:
            _, metric = _compared_thing(text, 0, len(text), rules)
        left = next((s for s in context.spans if s.role == "period" and not _inside(s, match)), None)
        relation = "min_since" if match.group("extreme").lower() in cmp_rules.minimum else "max_since"
        start = _noun_start(text, clause_start, match.start())
        found.append(
            _comparison(
                context,
                start,
                match.end(),
                relation,
                _ref(left, published),
                PeriodRef(years=years, bound=bound),
                metric,
                published,
                rules,
            )
        )
    return found


def _inside(span: TimeSpan, match: re.Match[str]) -> bool:
    """True when the span lies inside the match (the look-back itself, not the period)."""
    return match.start() <= span.start and span.end <= match.end()


def _noun_start(text: str, start: int, end: int) -> int:
    """Offset of the first word of the clause ``text[start:end]`` (skipping a leading quote)."""
    first = WORD.search(text, start, end)
    return first.start() if first else start


def _comparison(
    context: SentenceContext,
    start: int,
    end: int,
    relation: str,
    left: PeriodRef,
    right: PeriodRef,
    metric: str | None,
    published: date | None,
    rules: ExtractorRules,
) -> Comparison:
    """Build a Comparison at sentence offsets ``start``..``end`` (stored in document offsets)."""
    text = context.sentence.text
    offset = context.sentence.start
    return Comparison(
        start + offset,
        end + offset,
        text[start:end],
        relation,
        left,
        right,
        text,
        published,
        metric=metric,
        subject=find_subject(text, start, end, rules.actors, rules.attribution),
        source=context.said.source,
        origin=context.said.origin,
    )


def may_compare(sentence: str, cmp_rules: ComparisonRules) -> bool:
    """True when ``sentence`` holds a comparison word ("more", "highest"...): only such
    sentences need their time spans read."""
    return bool(cmp_rules.more.search(sentence) or cmp_rules.extreme_since.search(sentence))


def find_comparisons(
    context: SentenceContext, published: date | None, rules: ExtractorRules, cmp_rules: ComparisonRules | None = None
) -> list[Comparison]:
    """Every comparison claim of one sentence, in text order."""
    cmp_rules = cmp_rules or load_comparison_rules()
    found = _extreme_since(context, published, rules, cmp_rules) + _between_periods(
        context, published, rules, cmp_rules
    )
    return sorted(found, key=lambda c: c.start)


def extract_comparisons(text: str, published: date | None, rules: ExtractorRules | None = None) -> list[Comparison]:
    """Return the comparison claims of ``text`` ("more X in P1 than in P2")."""
    rules = rules or load_extractor_rules()
    cmp_rules = load_comparison_rules()
    split = sentences.split_sentences(text, rules.sentences)
    candidates = [i for i, s in enumerate(split) if may_compare(s.text, cmp_rules)]
    if not candidates:
        return []
    paragraphs = {split[i].paragraph for i in candidates}
    contexts, _ = sentence_contexts(
        split, published, rules, {i for i, s in enumerate(split) if s.paragraph in paragraphs}
    )
    found: list[Comparison] = []
    for i in candidates:
        found.extend(find_comparisons(contexts[i], published, rules, cmp_rules))
    return found
