"""The document time frame: the times a document sets, by scope, for the kind and period steps.

``build_frame(sentences, spans, sources, published, rules)`` reads a document once: each
sentence's time spans (resolved by ``claimtrack.transforms.periods``), which of them sit in a
clause about another event ("who took office in 2009"), which are the day a statement was made
("said on Monday"), the frame each paragraph sets ("In 2024, ..."), and the frame the article
sets (the coverage of a report it summarises, the event day of its lead). ``frame.time_for(i,
start, end)`` answers for one quantity of sentence ``i`` with a ``TimeView``: the spans of its
clause, the other spans of its sentence, the nearest frame (paragraph, then article), its
speaker's statement day, the survey's fieldwork end and whether its clause speaks of the future.
Offsets are relative to the sentence. Nothing reads the clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from claimtrack.transforms.claims.events import War
from claimtrack.transforms.claims.sentences import Sentence, matches_in, mentions
from claimtrack.transforms.claims.span_dates import after_publication, can_frame, capped, moved_forward, span_days
from claimtrack.transforms.model import TimeSpan

HEDGE_THAN = re.compile(  # "more than 2,000": a bound, not a comparison
    r"than\s+(?:\d|an?\b|one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty|hundred|dozen|half)",
    re.IGNORECASE,
)
COMPARISON_END = re.compile(r",(?!\d)|[;:–—()!?]|\s-\s|\.(?!\d)")
POSSESSIVE = re.compile(r"['’]s\b")  # "... and now May's report": a later noun phrase's date
NIGHT = re.compile(r"\bnight\b|\bovernight\b", re.IGNORECASE)
NAMED = re.compile(r"\b[A-Z]")  # a speaker named with a capital, not "the report", "officials"
CLAUSE_OPEN = re.compile(r"[;:–—]|,\s+(?:and|but|while|whereas)\b")
CLAUSE_END = re.compile(r",(?!\d)|[;:–—()]|\s-\s")  # not the comma of "1,200"
BEFORE_VERB = re.compile(r"\s*(?:also\s+|later\s+)?")
ANTECEDENT = 40  # a relative clause's antecedent noun phrase: at most this many characters
REPORTED_WORDS = 3  # a speech verb followed by fewer words closes its sentence ("..., he added.")
SPEAKER_WORDS = 12  # a speaker named between a heading time and its speech verb: at most this many words
LEAD_SENTENCES = 3  # the lead of an article: its title and first sentences
LEAD_DAYS = 7  # a lead's event day lies within this many days before publication
TITLE_DAYS = 92  # a title's date that frames the article: a day to a quarter
LEAD_PARAGRAPHS = 8  # the lead's event day frames the article's first paragraphs only


@dataclass(frozen=True)
class FrameRules:
    """Compiled cues the frame reads (from ``data/rules/kinds.yaml``)."""

    isolating: re.Pattern[str]
    temporal: re.Pattern[str]
    report: re.Pattern[str]
    statement_verb: re.Pattern[str]
    statement_gap: re.Pattern[str]
    event_verb: re.Pattern[str]
    comparison: re.Pattern[str]
    baseline: re.Pattern[str]
    future: re.Pattern[str]
    clause_break: re.Pattern[str]


@dataclass(frozen=True)
class TimeView:
    """The times one quantity can take, nearest scope first (sentence offsets).

    ``clause``: spans of its clause; ``sentence``: the other spans of its sentence that may
    date it; ``paragraph``, ``article``: the frames its paragraph and its article set;
    ``statement``: the day its speaker made the statement; ``survey_end``: the article's last
    fieldwork day; ``future``: its clause speaks of the future (dates after publication are
    plans, not errors); ``war``: the war the article is about (``events.article_war``).
    """

    @property
    def frame(self) -> TimeSpan | None:
        """The nearest frame: the paragraph's, else the article's."""
        return self.paragraph or self.article

    clause: tuple[TimeSpan, ...]
    sentence: tuple[TimeSpan, ...]
    paragraph: TimeSpan | None
    article: TimeSpan | None
    statement: date | None
    survey_end: date | None
    published: date | None
    future: bool
    war: War | None = None


@dataclass(frozen=True)
class DocumentFrame:
    """What ``build_frame`` read from a document; query it with ``time_for``."""

    sentences: tuple[Sentence, ...]
    spans: tuple[tuple[TimeSpan, ...], ...]
    foreign: tuple[tuple[tuple[int, int, bool], ...], ...]
    statement_spans: tuple[frozenset[int], ...]
    statements: tuple[date | None, ...]
    statement_from: tuple[int, ...]
    paragraph_frames: tuple[TimeSpan | None, ...]
    article_frame: TimeSpan | None
    article_reach: int
    survey_end: date | None
    published: date | None
    rules: FrameRules
    war: War | None = None

    def time_for(self, index: int, start: int, end: int) -> TimeView:
        """The ``TimeView`` of the quantity at ``[start, end)`` of sentence ``index``."""
        text = self.sentences[index].text
        left, right = clause_bounds(text, start, end, self.rules.clause_break)
        cue = self.rules.future.search(text, left, right)
        future = cue is not None
        usable = [
            moved_forward(s, self.published) if cue else s
            for k, s in enumerate(self.spans[index])
            if k not in self.statement_spans[index] and _visible(s, start, self.foreign[index], text)
        ]
        usable = [
            s
            for s in usable
            if (future or not after_publication(s, self.published))
            and not _compared(text, s, start, end, self.rules)
            and not self.rules.baseline.match(text, s.end)
            and not (s.start >= end and POSSESSIVE.match(text, s.end))
        ]
        clause = tuple(s for s in usable if left <= s.start < right or left < s.end <= right)
        rest = tuple(s for s in usable if s not in clause)
        return TimeView(
            clause,
            rest,
            self.paragraph_frames[index],
            self.article_frame if index < self.article_reach else None,
            self.statements[index] if start >= self.statement_from[index] else None,
            self.survey_end,
            self.published,
            future,
            self.war,
        )


def _compared(text: str, span: TimeSpan, start: int, end: int, rules: FrameRules) -> bool:
    """True when a comparison stands between the quantity at ``[start, end)`` and ``span``:
    the span dates the figure compared with ("40% now, up from 35% in 2022"; "a sixth of
    what it was before the war"), unless a clause mark closes the comparison first. "than"
    before a number is a bound ("more than 2,000"), not a comparison."""
    gap = text[end : span.start] if span.start >= end else text[span.end : start]
    return any(
        not HEDGE_THAN.match(gap, cue.start()) and not COMPARISON_END.search(gap, cue.end())
        for cue in rules.comparison.finditer(gap)
    )


def clause_bounds(text: str, start: int, end: int, breaks: re.Pattern[str]) -> tuple[int, int]:
    """Offsets of the clause holding ``text[start:end]`` (between clause breaks)."""
    left, right = 0, len(text)
    for match in matches_in(breaks, text):
        if match.end() <= start:
            left = match.end()
        elif match.start() >= end:
            right = match.start()
            break
    return left, right


def _visible(span: TimeSpan, at: int, foreign: tuple[tuple[int, int, bool], ...], text: str = "") -> bool:
    """False when ``span`` lies in a clause about another event that does not hold offset
    ``at``. The numbers inside a relative clause see its antecedent's date: any date of a
    temporal clause's sentence ("the flood of 2019, when 40 homes were destroyed"), and the date
    inside the noun phrase a "which" clause describes ("the May 2 storm, which killed 40")."""
    if any(first <= at < last and _antecedent(span, first, text) for first, last, _ in foreign):
        return True  # "... the 2021 unrest, which left 350 dead" (even when the unrest is in another clause)
    for first, last, temporal in foreign:
        inside_span = first <= span.start < last
        inside_number = first <= at < last
        if inside_span and not inside_number:
            return False
        if inside_number and not inside_span and not temporal:
            return False
    return True


def _antecedent(span: TimeSpan, clause: int, text: str) -> bool:
    """True when ``span`` stands in the noun phrase right before the relative clause starting
    at ``clause`` ("the 2021 riots, which ...": no clause mark between them)."""
    gap = text[span.end : clause]
    return span.end <= clause and len(gap) <= ANTECEDENT and not CLAUSE_END.search(gap.rstrip(", "))


def foreign_clauses(text: str, rules: FrameRules) -> tuple[tuple[int, int, bool], ...]:
    """Relative clauses of ``text`` as (start, end, temporal): from "who", "which", "when"...
    to the next clause mark or the end of the sentence."""
    found: list[tuple[int, int, bool]] = []
    for pattern, temporal in ((rules.temporal, True), (rules.isolating, False)):
        for match in pattern.finditer(text):
            if any(first <= match.start() < last for first, last, _ in found):
                continue  # "which" of ", in which" is the temporal clause already read
            close = CLAUSE_END.search(text, match.end())
            found.append((match.start(), close.start() if close else len(text), temporal))
    return tuple(sorted(found))


def statement_span_indexes(text: str, spans: list[TimeSpan], rules: FrameRules) -> frozenset[int]:
    """Indexes of the spans of ``text`` that give the day a statement was made: right after a
    speech verb ("said on Monday", "told reporters Tuesday"), right before it ("on Friday
    announced") or heading the speaker's clause ("In March, the minister said")."""
    return frozenset(k for k, span in enumerate(spans) if _statement_role(text, span, rules))


def statement_heading(text: str, spans: list[TimeSpan], rules: FrameRules) -> int:
    """Where the first statement day that heads its speaker's clause starts ("..., and last
    week it emerged that ..."): the figures before it are not that statement's. 0 if none."""
    return min((s.start for s in spans if _statement_role(text, s, rules) == HEADING), default=0)


ADJACENT, HEADING = 1, 2


def _statement_role(text: str, span: TimeSpan, rules: FrameRules) -> int:
    """ADJACENT when ``span`` stands right after a speech verb (allowing "in a statement",
    "told reporters") or right before it ("on Friday announced"); HEADING when it heads the
    speaker's clause ("In March, the finance minister said", "Last week it emerged"): a
    speaker's words at most between them, no number, no event verb; else 0."""
    if span.role == "since" or span.period_end is None:
        return 0
    best = 0
    for verb in matches_in(rules.statement_verb, text):
        if span.start >= verb.end():
            if rules.statement_gap.match(text[verb.end() : span.start]) is not None:
                return ADJACENT
        elif span.end <= verb.start():
            gap = text[span.end : verb.start()]
            if BEFORE_VERB.fullmatch(gap) is not None:
                return ADJACENT
            heads = _heads(gap, rules) and _opens(text[: span.start], rules) and _reports(text[verb.end() :])
            best = best or (HEADING if heads else 0)
    return best


def _reports(after: str) -> bool:
    """True when a speech verb introduces what follows it ("said that ...", "announced plans
    to ..."), not closes the sentence ("..., he added.")."""
    return len(re.findall(r"\w+", after)) >= REPORTED_WORDS


def _opens(before: str, rules: FrameRules) -> bool:
    """True when nothing of the clause before a time span says what happened (no number, no
    event verb): the span opens it ("As reported, in March", "..., and last week")."""
    start = max((m.end() for m in CLAUSE_OPEN.finditer(before)), default=0)
    return not re.search(r"\d", before[start:]) and not rules.event_verb.search(before, start)


def _heads(gap: str, rules: FrameRules) -> bool:
    """True when ``gap``, the words between a time span and a speech verb after it, can be
    the speaker alone: few words, no number, no event verb, no second clause."""
    return (
        0 < len(re.findall(r"\w+", gap)) <= SPEAKER_WORDS
        and not re.search(r"\d|\b(?:and|but|or|while|when|after|before|that|which|who)\b", gap)
        and not rules.event_verb.search(gap)
    )


def _statement_dates(
    sentences: list[Sentence],
    spans: list[list[TimeSpan]],
    said: list[int],
    sources: list[str | None],
    published: date | None,
    rules: FrameRules,
) -> list[date | None]:
    """The statement day of each sentence: its own ("X said on Monday"), else the day its
    named speaker was given anywhere in the article (not a generic one: "the report" may be
    another report), else, for a speech sentence without a named
    speaker ("she said"), the last statement day of its paragraph."""
    own: list[date | None] = [None] * len(sentences)
    by_speaker: dict[str, date] = {}
    for i, found in enumerate(spans):
        days = [_said_on(found[k]) for k in sorted(_statement_set(sentences[i].text, found, rules))]
        day = capped(days[0], published) if days else None
        own[i] = day
        if day and sources[i] and NAMED.search(str(sources[i])):
            by_speaker.setdefault(str(sources[i]).lower(), day)
    result: list[date | None] = []
    last: date | None = None
    paragraph = -1
    for i, sentence in enumerate(sentences):
        if sentence.paragraph != paragraph:
            last, paragraph = None, sentence.paragraph
        source = sources[i]
        day = own[i] or (by_speaker.get(source.lower()) if source else None)
        if day is None and i in said and not source:
            day = last
        result.append(day)
        last = own[i] or last
    return result


def _said_on(span: TimeSpan) -> date | None:
    """The day a statement dated by ``span`` was made: its last day ("said last week": that
    Sunday), but the evening's day for a night ("said last night")."""
    return span.period_start if NIGHT.search(span.text) else span.period_end


def _statement_set(text: str, found: list[TimeSpan], rules: FrameRules) -> frozenset[int]:
    return statement_span_indexes(text, found, rules) if found else frozenset()


def _paragraph_frames(
    sentences: list[Sentence], usable: list[list[TimeSpan]], published: date | None
) -> list[TimeSpan | None]:
    """For each sentence, the last bounded span of the sentence before it in its paragraph (a
    sentence without a date of its own ends the frame: the narrative has moved on)."""
    frames: list[TimeSpan | None] = []
    last: TimeSpan | None = None
    paragraph = -1
    for sentence, found in zip(sentences, usable):
        if sentence.paragraph != paragraph:
            last, paragraph = None, sentence.paragraph
        frames.append(last)
        last = next((s for s in reversed(found) if can_frame(s, published)), None)
    return frames


def _article_frame(
    sentences: list[Sentence], usable: list[list[TimeSpan]], published: date | None, rules: FrameRules
) -> tuple[TimeSpan | None, int]:
    """The frame an article sets for its undated flows, with the number of sentences it
    reaches: the coverage of a report it summarises ("the report covers March 2022 to January
    2024"; the whole article), else the day, month or quarter its title names ("X gave up office space
    in January"), else the event day of its lead (a single day of the last week named in its
    first sentences); a title's or lead's frame reaches the first paragraphs, where that news
    is told."""
    for sentence, found in zip(sentences, usable):
        if mentions(rules.report, sentence.text):
            covered = [s for s in found if can_frame(s, published) and s.period_start != s.period_end]
            if covered:
                return covered[0], len(sentences)
    if published is None:
        return None, 0
    first = sentences[0].paragraph if sentences else 0
    reach = max((i for i, s in enumerate(sentences) if s.paragraph - first < LEAD_PARAGRAPHS), default=0) + 1
    titled = [s for s in (usable[0] if usable else []) if can_frame(s, published) and span_days(s) <= TITLE_DAYS]
    if titled:
        return titled[0], reach
    lead = [s for found in usable[:LEAD_SENTENCES] for s in found if can_frame(s, published)]
    days = [s for s in lead if s.period_end and s.period_start == s.period_end]
    return next(
        (s for s in days if s.period_end and published - s.period_end <= timedelta(days=LEAD_DAYS)), None
    ), reach


def build_frame(
    sentences: list[Sentence],
    spans: list[list[TimeSpan]],
    sources: list[str | None],
    survey_end: date | None,
    published: date | None,
    rules: FrameRules,
    war: War | None = None,
) -> DocumentFrame:
    """Read the time frame of a document: ``sentences`` with their time ``spans`` (sentence
    offsets), the ``sources`` attribution gave them and the ``war`` it is about."""
    foreign = [foreign_clauses(s.text, rules) for s in sentences]
    statement = [_statement_set(s.text, found, rules) for s, found in zip(sentences, spans)]
    said = [i for i, s in enumerate(sentences) if mentions(rules.statement_verb, s.text)]
    usable = [
        [s for k, s in enumerate(found) if k not in statement[i] and _visible(s, -1, foreign[i])]
        for i, found in enumerate(spans)
    ]
    article = _article_frame(sentences, usable, published, rules)
    return DocumentFrame(
        sentences=tuple(sentences),
        spans=tuple(tuple(found) for found in spans),
        foreign=tuple(foreign),
        statement_spans=tuple(statement),
        statement_from=tuple(statement_heading(s.text, found, rules) for s, found in zip(sentences, spans)),
        statements=tuple(_statement_dates(sentences, spans, said, sources, published, rules)),
        paragraph_frames=tuple(_paragraph_frames(sentences, usable, published)),
        article_frame=article[0],
        article_reach=article[1],
        survey_end=survey_end,
        published=published,
        rules=rules,
        war=war,
    )
