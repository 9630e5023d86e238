"""What the extractor reads once per text and sentence: the rule tables it uses
(``ExtractorRules``, loaded once), each sentence's context (``SentenceContext``: its time
spans, its speaker) and the document's time frame (``frame.DocumentFrame``), shared by claims and
comparisons.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from claimtrack.transforms import numbers, periods
from claimtrack.transforms.claims import attribution, cues, events, kinds, metrics, reports, sentences, units
from claimtrack.transforms.claims.attribution import Actors, AttributionRules
from claimtrack.transforms.claims.frame import DocumentFrame, build_frame
from claimtrack.transforms.model import TimeSpan


@dataclass(frozen=True)
class ExtractorRules:
    """Every rule table the extractor uses, loaded and validated once."""

    numbers: numbers.NumberRules
    periods: periods.PeriodRules
    units: units.UnitRules
    taxonomy: metrics.Taxonomy
    kinds: cues.KindRules
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
        kinds=cues.load_kind_rules(),
        attribution=attribution.load_attribution_rules(),
        actors=attribution.load_actors(),
        sentences=sentences.load_sentence_rules(),
        reports=reports.load_report_rules(),
        events=events.load_events(),
    )


@dataclass(frozen=True)
class SentenceContext:
    """A sentence with what the extractor found in it once (offsets relative to the sentence);
    ``index`` is its place in the document (for ``frame.time_for``)."""

    sentence: sentences.Sentence
    spans: list[TimeSpan]
    said: attribution.Attribution
    index: int = 0


def sentence_contexts(
    split: list[sentences.Sentence], published: date | None, rules: ExtractorRules, needed: set[int]
) -> tuple[list[SentenceContext], DocumentFrame]:
    """Attach time spans and attribution (quotes keep their speaker) to the ``needed``
    sentences (the others get none), and read the document's time frame from them."""
    said = attribution.attribute_sentences(
        [s.text for s in split], [s.paragraph for s in split], rules.attribution, needed
    )
    spans = [_time_spans(s.text, published, rules) if i in needed else [] for i, s in enumerate(split)]
    survey_end = kinds.survey_date([(s.text, found) for s, found in zip(split, spans)], published, rules.kinds)
    war = events.article_war(" ".join(s.text for s in split), published, rules.events)
    frame = build_frame(split, spans, [a.source for a in said], survey_end, published, rules.kinds.frame, war)
    contexts = [SentenceContext(s, found, a, i) for i, (s, found, a) in enumerate(zip(split, spans, said))]
    return contexts, frame


def _time_spans(text: str, published: date | None, rules: ExtractorRules) -> list[TimeSpan]:
    """Time expressions and named historical events of one sentence, in text order."""
    found = periods.find_time_spans(text, published, rules.periods)
    named = [
        e
        for e in events.find_event_spans(text, rules.events)
        if not any(e.start < s.end and s.start < e.end for s in found)
    ]
    return sorted(found + named, key=lambda s: s.start)
