"""What the extractor reads once per text and sentence: the rule tables it uses
(``ExtractorRules``, loaded once) and each sentence's context (``SentenceContext``: its time
spans, its speaker, the survey and event dates around it), shared by claims and comparisons.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from claimtrack.transforms import numbers, periods
from claimtrack.transforms.claims import attribution, events, kinds, metrics, reports, sentences, units
from claimtrack.transforms.claims.attribution import Actors, AttributionRules
from claimtrack.transforms.model import TimeSpan


@dataclass(frozen=True)
class ExtractorRules:
    """Every rule table the extractor uses, loaded and validated once."""

    numbers: numbers.NumberRules
    periods: periods.PeriodRules
    units: units.UnitRules
    taxonomy: metrics.Taxonomy
    kinds: kinds.KindRules
    attribution: AttributionRules
    actors: Actors
    sentences: sentences.SentenceRules
    reports: reports.ReportRules
    events: events.Events


@lru_cache(maxsize=1)
def load_extractor_rules() -> ExtractorRules:
    """Load every rule table from ``data/`` (raises ``RuleError`` naming file, rule and fix)."""
    return ExtractorRules(
        numbers=numbers.load_number_rules(),
        periods=periods.load_period_rules(),
        units=units.load_unit_rules(),
        taxonomy=metrics.load_taxonomy(),
        kinds=kinds.load_kind_rules(),
        attribution=attribution.load_attribution_rules(),
        actors=attribution.load_actors(),
        sentences=sentences.load_sentence_rules(),
        reports=reports.load_report_rules(),
        events=events.load_events(),
    )


@dataclass(frozen=True)
class SentenceContext:
    """A sentence with what the extractor found in it once (offsets relative to the sentence)."""

    sentence: sentences.Sentence
    spans: list[TimeSpan]
    said: attribution.Attribution
    survey_end: date | None = None
    carried: TimeSpan | None = None


def sentence_contexts(
    split: list[sentences.Sentence], published: date | None, rules: ExtractorRules, needed: set[int]
) -> list[SentenceContext]:
    """Attach time spans and attribution (quotes keep their speaker) to the ``needed``
    sentences; the others get none."""
    said = attribution.attribute_sentences(
        [s.text for s in split], [s.paragraph for s in split], rules.attribution, needed
    )
    spans = [_time_spans(s.text, published, rules) if i in needed else [] for i, s in enumerate(split)]
    survey_end = kinds.survey_date([(s.text, found) for s, found in zip(split, spans)], published, rules.kinds)
    carried = _carried_spans(split, spans, published)
    return [SentenceContext(s, found, a, survey_end, c) for s, found, a, c in zip(split, spans, said, carried)]


def _time_spans(text: str, published: date | None, rules: ExtractorRules) -> list[TimeSpan]:
    """Time expressions and named historical events of one sentence, in text order."""
    found = periods.find_time_spans(text, published, rules.periods)
    named = [
        e
        for e in events.find_event_spans(text, rules.events)
        if not any(e.start < s.end and s.start < e.end for s in found)
    ]
    return sorted(found + named, key=lambda s: s.start)


def _carried_spans(
    split: list[sentences.Sentence], spans: list[list[TimeSpan]], published: date | None
) -> list[TimeSpan | None]:
    """For each sentence, the last bounded time span of an earlier sentence of its paragraph
    (an event's date stated once and implied after it), or None."""
    carried: list[TimeSpan | None] = []
    last: TimeSpan | None = None
    paragraph = -1
    for sentence, found in zip(split, spans):
        if sentence.paragraph != paragraph:
            last, paragraph = None, sentence.paragraph
        carried.append(last)
        for span in found:
            if (
                span.role in ("period", "point", "as_of")
                and span.period_end
                and span.period_start
                and (published is None or span.period_end <= published)
            ):
                last = span
    return carried
