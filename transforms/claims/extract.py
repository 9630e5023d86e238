"""The claim extractor: every dated numeric claim in a text, as CLAIMS_SPEC records.

``extract_claims(text, published)`` splits the text into sentences, finds number
expressions (``claimtrack.transforms.numbers``) in each and reads their sentences' context
(time spans, speakers: ``context``), and gives every quantity its unit (``units``), metric
(``metrics``), kind and period (``kinds``), subject, source and origin (``attribution``).
Daily report lists are read by ``reports``; comparisons are in ``comparisons``. Pure: no
clock, no I/O after the rules load.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from claimtrack.transforms import numbers
from claimtrack.transforms.claims import attribution, kinds, metrics, reports, sentences, units
from claimtrack.transforms.claims.context import (
    ExtractorRules,
    SentenceContext,
    load_extractor_rules,
    sentence_contexts,
)
from claimtrack.transforms.claims.frame import LEAD_SENTENCES, DocumentFrame
from claimtrack.transforms.model import Claim, Quantity, TimeSpan

MAX_QUANTITIES = 20_000  # more number expressions than this: a data dump, not an article


class ExtractionLimit(ValueError):
    """The text holds more than ``MAX_QUANTITIES`` number expressions; it is refused whole."""


def extract_claims(text: str, published: date | None, rules: ExtractorRules | None = None) -> list[Claim]:
    """Return the claims of ``text`` (CLAIMS_SPEC records without ``doc``), in text order.

    ``published`` is the relative base for every date; None leaves relative dates null.
    """
    rules = rules or load_extractor_rules()
    return [claim for claim in extract_quantities(text, published, rules) if is_claim(claim, rules)]


def extract_quantities(text: str, published: date | None, rules: ExtractorRules | None = None) -> list[Claim]:
    """Return every quantity mention of ``text`` as a Claim record, optional ones included
    ("$6 each", ages); never dates, years or labels."""
    rules = rules or load_extractor_rules()
    split = sentences.split_sentences(text, rules.sentences)
    quantities = numbers.find_document_quantities(text, [s.text for s in split], rules.numbers)
    if (count := sum(map(len, quantities))) > MAX_QUANTITIES:
        raise ExtractionLimit(
            f"the text holds {count:,} numbers, more than {MAX_QUANTITIES:,}; a table or data dump, not an article"
        )
    lists = reports.find_report_items(text, rules.reports)
    if not lists and not any(quantities):
        return []
    contexts, frame = sentence_contexts(split, published, rules, _needed(split, quantities, lists, rules))
    found = _report_claims(text, lists, contexts, published, rules)
    taken = [(c.start, c.end) for c in found]
    for context, found_here in zip(contexts, quantities):
        if found_here:
            found.extend(_sentence_claims(context, frame, found_here, published, rules, taken))
    return sorted(found, key=lambda c: (c.start, c.end))


def _needed(
    split: list[sentences.Sentence],
    quantities: list[list[Quantity]],
    lists: list[tuple[int, list[reports.ReportItem]]],
    rules: ExtractorRules,
) -> set[int]:
    """Indexes of the sentences whose time spans and speakers the claims can depend on: the
    paragraphs holding quantities, the three sentences before each (pronoun speakers), report
    headings, the lead, and sentences that can set a frame (surveys, reports, statements). The
    rest of a long article is skipped."""
    frame = rules.kinds.frame
    setters = (rules.kinds.survey, frame.report, frame.statement_verb)
    paragraphs = {s.paragraph for s, found in zip(split, quantities) if found}
    needed = {i for i, s in enumerate(split) if s.paragraph in paragraphs or _sets_frame(s.text, setters)}
    needed |= {j for i, found in enumerate(quantities) if found for j in range(max(0, i - 3), i)}
    needed |= {i for i, s in enumerate(split) for at, _ in lists if s.start <= at < s.end}
    return needed | set(range(min(len(split), LEAD_SENTENCES)))


def _sets_frame(text: str, setters: tuple[re.Pattern[str], ...]) -> bool:
    """True when ``text`` names a survey, a report or a statement (memoised searches: the
    kinds ask the same of the sentences with numbers)."""
    return any(sentences.mentions(p, text) for p in setters)


def is_claim(claim: Claim, rules: ExtractorRules) -> bool:
    """False for quantities that are not claims: ages (optional in CLAIMS_SPEC) and the cells
    of flattened tables."""
    return not claim.unit.endswith("year-old") and not sentences.is_table_like(claim.sentence, rules.sentences)


def _overlaps(q: Quantity, spans: list[TimeSpan]) -> bool:
    """True when the quantity is part of a time expression ("in the past 24 hours"); a
    duration that opens a "since" span ("100 days since the invasion") stays a quantity."""
    return any(q.start < s.end and s.start < q.end and not (s.role == "since" and s.start == q.start) for s in spans)


def _report_claims(
    text: str,
    lists: list[tuple[int, list[reports.ReportItem]]],
    contexts: list[SentenceContext],
    published: date | None,
    rules: ExtractorRules,
) -> list[Claim]:
    """Claims of the daily report lists of ``text`` (document offsets), with metric, subject
    and source taken from the list's heading sentence."""
    claims: list[Claim] = []
    for heading_at, items in lists:
        head = next((c for c in contexts if c.sentence.start <= heading_at < c.sentence.end), contexts[0])
        spans = [replace(s, start=s.start + head.sentence.start, end=s.end + head.sentence.start) for s in head.spans]
        subject = attribution.find_subject(
            head.sentence.text, len(head.sentence.text), len(head.sentence.text), rules.actors, rules.attribution
        )
        for claim in reports.report_claims(
            text, heading_at, items, spans, published, rules.periods.war_start, rules.reports, rules.units
        ):
            metric = metrics.classify_metric(claim.unit, head.sentence.text + " " + claim.sentence, rules.taxonomy)
            claims.append(
                replace(claim, metric=metric, subject=subject, source=head.said.source, origin=head.said.origin)
            )
    return claims


def _sentence_claims(
    context: SentenceContext,
    frame: DocumentFrame,
    quantities: list[Quantity],
    published: date | None,
    rules: ExtractorRules,
    taken: list[tuple[int, int]],
) -> list[Claim]:
    """Claims of one sentence's ``quantities``, skipping those inside ``taken`` (document offsets)."""
    text = context.sentence.text
    offset = context.sentence.start
    claims: list[Claim] = []
    previous_unit: str | None = None
    previous: Quantity | None = None
    for q in quantities:
        if _overlaps(q, context.spans) or any(q.start + offset < e and s < q.end + offset for s, e in taken):
            continue
        q, previous = _shared_hedge(text, previous, q), q
        claim = _claim(context, frame, q, previous_unit, published, rules)
        if claim is not None:
            previous_unit = claim.unit
            claims.append(claim)
    return sorted(claims, key=lambda c: (c.start, c.end))


COORDINATED = re.compile(r"\s*(?:,|and|or|,\s*and)\s*$")


def _shared_hedge(text: str, previous: Quantity | None, q: Quantity) -> Quantity:
    """An exact number coordinated with an approximate one ("around 80% and 90%") shares its
    hedge."""
    if previous is None or previous.bound != "~" or q.bound != "=" or q.value is None:
        return q
    return replace(q, bound="~") if COORDINATED.match(text[previous.end : q.start]) else q


def _claim(
    context: SentenceContext,
    frame: DocumentFrame,
    q: Quantity,
    previous_unit: str | None,
    published: date | None,
    rules: ExtractorRules,
) -> Claim | None:
    """Build the claim for quantity ``q`` (offsets relative to the sentence; the claim's are
    document offsets), or None when it counts nothing."""
    text = context.sentence.text
    unit, unit_end = units.unit_of(text, q, previous_unit, rules.units)
    if not unit:
        return None
    metric = metrics.classify_metric(unit, text, rules.taxonomy)
    entry = rules.taxonomy.get(metric) if metric else None
    view = frame.time_for(context.index, q.start, unit_end)
    war_metric = bool(entry and entry.war_cumulative)
    dating = kinds.date_claim(text, q.start, q.end, unit_end, unit, view, war_metric, rules.kinds)
    end = max(q.end, unit_end)
    offset = context.sentence.start
    return Claim(
        start=q.start + offset,
        end=end + offset,
        text=text[q.start : end],
        value=q.value,
        low=q.low,
        high=q.high,
        bound=kinds.approximate(text[: q.start], q.bound, rules.kinds),
        unit=unit,
        kind=dating.kind,
        sentence=text,
        published=published,
        metric=metric,
        subject=attribution.find_subject(text, q.start, unit_end, rules.actors, rules.attribution),
        change=dating.change,
        period_start=dating.period_start,
        period_end=dating.period_end,
        source=context.said.source,
        origin=context.said.origin,
    )
