"""Decide a claim's kind (cumulative / period / level), its period and its change.

The decision list of CLAIMS_SPEC section 6, one function per step: ``_age`` (step 0, a war's
or an ongoing state's age), ``is_flow`` (step 1, state or accumulation), ``_flow`` (step 2, what
bounds a flow, then the frames of step 3) and ``_as_of`` (step 4). The time a quantity may take
comes from the document frame (``claimtrack.transforms.claims.frame``) as a ``TimeView``; cue
lists live in ``data/rules/kinds.yaml`` (compiled by ``cues``). Nothing reads the clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from claimtrack.transforms.claims.cues import KindRules
from claimtrack.transforms.claims.frame import HEDGE_THAN, TimeView, clause_bounds
from claimtrack.transforms.claims.sentences import mentions
from claimtrack.transforms.model import Bound, Change, Kind, TimeSpan

RATE_LEAD = re.compile(r"^\s*\w+ing\b")  # "troops dying each day": the rate follows a participle
CHANGE_BY = re.compile(r"\b\w+\b[^,;.]{0,80}\bby\s*$")  # "increased the number of troops by"
OPENED_BY = re.compile(r"\b(?:since|after)\b[^,;.]*$", re.IGNORECASE)  # the event a running total counts from
PAST = re.compile(r"\b(?:was|were|had|\w{3,}ed)\b", re.IGNORECASE)
PRESENT = re.compile(r"\b(?:is|are|has|have|now|will|would|can|could)\b", re.IGNORECASE)
AUXILIARIES = r"is|are|was|were|has|have|had|will|would|can|could|may|might|do|does|did"
AUXILIARY_VERB = re.compile(rf"\b(?:{AUXILIARIES})\b", re.IGNORECASE)
SUBJECT_VERB = re.compile(  # the verb right after a subject that ends with a date
    rf"(?:\s+and\s+\S+)?\s+(?:{AUXILIARIES}|contains?|includes?|carry|carries|(?!compared\b)\w+ed)\b",
    re.IGNORECASE,
)
SINCE_EVENT = re.compile(
    r"\b(?:since|after)\s+(?:the\s+)?(?!\d)\w+[^,;.]*\b(?:began|started|broke\s+out|erupted)\b", re.I
)
FROM_START = re.compile(r"from\s", re.IGNORECASE)
OPENING_WORD = re.compile(r"(?:from|at)\s+(?=\S*\d)(?!.*\b(?:to|and)\b)", re.IGNORECASE)
STREAK = re.compile(r"\b(?:consecutive|straight|successive|running)\b", re.IGNORECASE)
SHARE_OF = re.compile(r"\s+of\b", re.IGNORECASE)  # "90% of the capacity that ..."
ONGOING_FOR = re.compile(  # a perfect progressive, then "for" right before the duration
    r"\b(?:has|have|had)\s+been\s+\w+ing\b[^,;.]*\bfor\s+(?:almost|nearly|about|around|some|more\s+than|over)?\s*$",
    re.IGNORECASE,
)
OPENS = 3  # a time span this near the start of a sentence opens it and frames all its clauses
CUE_WINDOW = 60  # cues further than this from the number do not govern it
RELATIVE_AFTER = re.compile(r"\b(?:who|that|which|whom)\b", re.IGNORECASE)  # "includes 180 who have fled"
THAT_CLAUSE = re.compile(r"\s+that\b")  # "a study found that ...": a verb that reports, not an event
AUXILIARY = re.compile(r"(?:\s+(?:been|being|be|also|now|already|not|all|reportedly|\w+ly))*\s+")


@dataclass(frozen=True)
class Dating:
    """What ``date_claim`` decides for one quantity."""

    kind: Kind
    period_start: date | None
    period_end: date | None
    change: Change | None = None


def find_change(before: str, rules: KindRules, after: str = "") -> Change | None:
    """``up``/``down`` when the words right before a number say it is a change ("rose 18%",
    "increased the number of troops by 7,000"), or a change noun right ``after`` it ("a 3%
    drop")."""
    if rules.change_after_up.match(after):
        return "up"
    if rules.change_after_down.match(after):
        return "down"
    tail = before[-60:]
    if rules.phrasal.search(tail):  # "gave up 12 floors", "shut down 40 plants": a verb's particle
        return None
    if rules.change_up.search(tail):
        return "up"
    if rules.change_down.search(tail):
        return "down"
    tail = before[-100:]
    far = CHANGE_BY.search(tail) if tail.rstrip().endswith("by") else None  # the pattern ends in "by"
    if far and (verb := rules.change_verb.search(far.group(0))):
        return (
            "up"
            if rules.change_up.search(verb.group(0))
            else "down"
            if rules.change_down.search(verb.group(0))
            else None
        )
    return None


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


def clause_of(sentence: str, q_start: int, q_end: int, rules: KindRules) -> tuple[int, int]:
    """Offsets of the clause holding ``sentence[q_start:q_end]`` (between clause breaks)."""
    return clause_bounds(sentence, q_start, q_end, rules.clause_break)


def governing(sentence: str, left: int, right: int, q_start: int, unit_end: int, rules: KindRules) -> str | None:
    """Step 1: "flow" when the cue nearest the quantity in its clause ``[left, right)`` is an
    accumulation word ("killed", "sales"), "state" when it is a state word ("has",
    "population", "sold for"), None when there is none. A state word right before a flow word
    is its auxiliary ("were killed"); a running-total cue ("now totals", "has claimed") is a
    flow word."""
    right = _before_comparison(sentence, unit_end, right, rules)
    described = RELATIVE_AFTER.search(sentence, unit_end, right)
    if described and _cue_in(sentence, left, described.start(), rules):
        right = described.start()  # "includes 180 who have been displaced": the main verb decides
    if mentions(rules.running_total, sentence[left:right]):
        return "flow"
    opener = OPENING_WORD.match(sentence, q_start, unit_end)  # "raised it from 0.1-0.2": a range with its "from"
    before = sentence[max(left, q_start - CUE_WINDOW) : opener.end() if opener else q_start]
    state_before = rules.state_before.search(before)
    reached = state_before is not None and state_before.group(0).lower().startswith("to")
    if state_before and not reached:
        return "state"
    left, right = max(left, q_start - CUE_WINDOW), min(right, unit_end + CUE_WINDOW)
    flows = [m.span() for m in rules.flow.finditer(sentence, left, right) if not THAT_CLAUSE.match(sentence, m.end())]
    if reached:  # "spending rose to $5bn": the value of what rose decides, not the change verb
        flows = [f for f in flows if not rules.change_verb.fullmatch(sentence, *f)]
    states = [
        m.span()
        for m in rules.state.finditer(sentence, left, right)
        if not any(f[0] >= m.end() and AUXILIARY.fullmatch(sentence, m.end(), f[0]) for f in flows)
    ]

    if any(not _inside(f, q_start, unit_end) for f in flows):  # "fired nine staff members": the verb decides
        states = [m for m in states if not _inside(m, q_start, unit_end)]

    def gap(span: tuple[int, int]) -> int:
        if _inside(span, q_start, unit_end):
            return 0
        return span[0] - unit_end if span[0] >= unit_end else max(0, q_start - span[1])

    best_flow = min(map(gap, flows), default=None)
    best_state = min(map(gap, states), default=None)
    if best_flow is not None and (best_state is None or best_flow <= best_state):
        return "flow"
    return "state" if best_state is not None else None


def _before_comparison(sentence: str, unit_end: int, right: int, rules: KindRules) -> int:
    """Where a comparison after the quantity starts ("is twice the request approved in March":
    the words after "twice the" are the other figure's), else ``right``."""
    found = rules.frame.comparison.finditer(sentence, unit_end, right)
    return min((c.start() for c in found if not HEDGE_THAN.match(sentence, c.start())), default=right)


def _past(clause: str, rules: KindRules) -> bool:
    """True when ``clause`` tells of the past (a past-tense verb, no present or future word)."""
    return PAST.search(clause) is not None and not PRESENT.search(clause) and not rules.present.search(clause)


def _cue_in(sentence: str, left: int, right: int, rules: KindRules) -> bool:
    """True when a flow or state cue stands in ``sentence[left:right]``."""
    return any(p.search(sentence, left, right) for p in (rules.flow, rules.state, rules.running_total))


def _inside(span: tuple[int, int], q_start: int, unit_end: int) -> bool:
    """True when a cue lies inside the quantity's own phrase (its number and unit noun)."""
    return span[0] >= q_start and span[1] <= unit_end


def _is_age(sentence: str, q_start: int, unit_end: int, unit: str, rules: KindRules) -> str:
    """ "war" when a duration states the war's own age ("four months into the war"), "state"
    when it states an ongoing state's ("has persisted for 25 years"), else ""."""
    if unit.rsplit(" ", 1)[-1] not in rules.duration_units:
        return ""
    if STREAK.search(unit):
        return "state"  # "the sixth consecutive quarter of growth", "for a 5th straight year"
    if ONGOING_FOR.search(sentence, max(0, q_start - 80), q_start):
        return "state"  # "has been operating in the country for almost a century"
    before, after = sentence[max(0, q_start - 30) : q_start], sentence[unit_end : unit_end + 40]
    if mentions(rules.war_words, sentence) and (rules.war_after.search(after) or rules.war_before.search(before)):
        return "war"
    return "state" if rules.ongoing_before.search(before) or rules.ongoing_after.match(after) else ""


def _in_war(clause: str, view: TimeView, rules: KindRules) -> bool:
    """True when ``clause`` puts its count in the article's war ("killed in the war", "the
    assault on Gaza has killed")."""
    war = view.war
    return war is not None and (mentions(rules.war_scope, clause) or mentions(war.scope, clause))


def _cap(day: date | None, view: TimeView, plan: bool = False) -> date | None:
    """An as-of date is never after publication, unless it is the date a plan or forecast
    names (``plan``: "by 2030" in a clause that speaks of the future)."""
    if day is None or view.published is None or (plan and view.future):
        return day
    return min(day, view.published)


def _as_of(own: TimeSpan | None, share_or_survey: bool, view: TimeView, rules: KindRules) -> date | None:
    """Step 4: the figure's own date, else its statement day, else the survey's fieldwork end
    (shares and survey sentences), else the publication date. An own date after publication
    stands when its clause speaks of the future and it names a plan's date ("by 2030") or a
    time that runs from publication ("within two years")."""
    if own is not None:
        ahead = own.period_start is not None and own.period_start == view.published  # "within two years"
        return _cap(own.period_end, view, _is_as_of(own, rules) or ahead)
    if view.statement:
        return view.statement
    if share_or_survey and view.survey_end:
        return view.survey_end
    return view.published


@dataclass(frozen=True)
class _Read:
    """What the steps read of one quantity's sentence: its clause, the spans nearest it."""

    clause: str
    since: TimeSpan | None
    as_of: TimeSpan | None
    bounded: TimeSpan | None
    elsewhere: TimeSpan | None


def _read(sentence: str, q_start: int, q_end: int, unit_end: int, view: TimeView, rules: KindRules) -> _Read:
    q_end = max(q_end, unit_end)  # distances run from the end of the unit phrase
    left, right = clause_of(sentence, q_start, q_end, rules)
    clause = list(view.clause)
    opening = [s for s in view.sentence if s.role == "since" and s.start < 3]
    starts = [
        s
        for s in clause + opening
        if s.role == "since" and not rules.superlative.search(sentence[max(0, s.start - 50) : s.start])
    ]
    as_of = _nearest(sentence, [s for s in clause if _is_as_of(s, rules)], q_start, q_end, rules)
    bounded = _nearest(
        sentence, [s for s in clause if s.role != "since" and not _is_as_of(s, rules)], q_start, q_end, rules
    )
    if bounded is not None:  # "up 70% in 2024 from 2023": beside a bound, "from" names the baseline
        starts = [s for s in starts if not FROM_START.match(s.text)]
    since = _nearest(sentence, starts, q_start, q_end, rules)
    rest = [s for s in view.sentence if s.role != "since" and not _is_as_of(s, rules) and s.end <= q_start]
    return _Read(sentence[left:right], since, as_of, bounded, _nearest(sentence, rest, q_start, q_end, rules))


def date_claim(
    sentence: str,
    q_start: int,
    q_end: int,
    unit_end: int,
    unit: str,
    view: TimeView,
    war_metric: bool,
    rules: KindRules,
) -> Dating:
    """Return kind, period and change for the quantity at ``sentence[q_start:q_end]``.

    ``unit_end`` is where its unit phrase ends; ``view`` the times the document frame offers it
    (sentence offsets), with the article's war, whose start a running total "in the war", or of
    a metric marked ``war_cumulative`` (``war_metric``), counts from.
    """
    change = find_change(sentence[:q_start], rules, sentence[q_end : unit_end + 25])
    read = _read(sentence, q_start, q_end, unit_end, view, rules)
    share = unit in rules.level_units
    survey = share or mentions(rules.survey, sentence)
    age = _is_age(sentence, q_start, unit_end, unit, rules)
    if age:
        war_start = view.war.start if view.war and age == "war" else None
        start = read.since.period_start if read.since else war_start
        return Dating("cumulative", start, _as_of(read.as_of, False, view, rules), change)
    left, right = clause_of(sentence, q_start, max(q_end, unit_end), rules)
    state_unit = unit in rules.state_units or unit.rsplit(" ", 1)[-1] in rules.state_units
    cue = governing(sentence, left, right, q_start, unit_end, rules)
    flow = (
        change
        or cue == "flow"
        or (cue is None and read.since is not None)
        or _share_of_flow(sentence, right, unit_end, share, read, rules)
    )
    if (state_unit and not change) or not flow:
        own = _level_date(sentence, (left, q_start, max(q_end, unit_end)), read, view, share, rules)
        return Dating("level", None, _as_of(own, survey, view, rules), change)
    war = view.war.start if view.war and (war_metric or _in_war(read.clause, view, rules)) else None
    return _flow(sentence, q_start, unit_end, read, view, share, change, war, rules)


def _share_of_flow(sentence: str, right: int, unit_end: int, share: bool, read: _Read, rules: KindRules) -> bool:
    """True for a share of a flow in a stated period ("home to 90% of the capacity that broke
    ground in 2024", CLAIMS_SPEC: "90% of exports last year" is a period)."""
    after = sentence[unit_end:right]
    return share and read.bounded is not None and SHARE_OF.match(after) is not None and mentions(rules.flow, after)


def _level_date(
    sentence: str, at: tuple[int, int, int], read: _Read, view: TimeView, share: bool, rules: KindRules
) -> TimeSpan | None:
    """The date a level's own text gives it (``at``: its clause start, its start and end): the
    nearer of its clause's dates; else a date opening the sentence ("In 1989, after ten years of
    ..."); none after a present-tense word ("its current output of"); else, for a state told in
    the past, the frame the sentence before sets."""
    left, q_start, q_end = at
    if rules.present.search(sentence, max(left, q_start - CUE_WINDOW), q_start):
        return None  # "is now a sixth": as of the statement
    dated = [s for s in (read.as_of, read.bounded) if s is not None and not _in_subject(sentence, s, q_end, rules)]
    opening = read.elsewhere if read.elsewhere and read.elsewhere.start < OPENS and not share else None
    own = _nearest(sentence, dated, q_start, q_end, rules) or opening
    if own is None and view.paragraph and _past(read.clause, rules):
        return view.paragraph  # a past state told in a dated narrative
    return own


def _in_subject(sentence: str, span: TimeSpan, q_end: int, rules: KindRules) -> bool:
    """True when ``span`` dates a noun of the subject the figure stands in, not the figure:
    it follows the figure with no verb between and is followed by the clause's verb ("31% of
    new investors in 2022 used ...", "two batches of bills printed in 2014 contain ...")."""
    if span.start < q_end:
        return False
    between = sentence[q_end : span.start]
    verb = SUBJECT_VERB.match(sentence, span.end)
    return verb is not None and not rules.flow.search(between) and not AUXILIARY_VERB.search(between)


def _flow(
    sentence: str,
    q_start: int,
    unit_end: int,
    read: _Read,
    view: TimeView,
    share: bool,
    change: Change | None,
    war_start: date | None,
    rules: KindRules,
) -> Dating:
    """Step 2 and 3 for a flow: a start, a bound (before any running-total cue: "when overall
    cases fell to 653 in 2023" is a period), a running total, the sentence's and the frames'
    bounds, in that order."""
    as_of = _as_of(read.as_of, share, view, rules)
    running = mentions(rules.running_total, read.clause) or mentions(rules.perfect_tense, read.clause)
    if read.since:
        return Dating("cumulative", read.since.period_start, as_of, change)
    if read.bounded and running and OPENED_BY.search(sentence, max(0, read.bounded.start - 80), read.bounded.start):
        return Dating("cumulative", read.bounded.period_start, as_of, change)  # "since the riots broke out last week"
    if read.bounded:
        return Dating("period", read.bounded.period_start, read.bounded.period_end, change)
    if read.as_of:  # "by the end of May": a total as of that day; a share as of it is a state
        return Dating("level" if share and not change else "cumulative", None, as_of, change)
    rate = rules.rate.search(RATE_LEAD.sub("", sentence[unit_end : unit_end + 30], count=1))
    if rate or (share and not change) or (view.future and not running and not change):
        return Dating("level", None, as_of, change)  # a rate, a share, a plan's size
    if read.elsewhere:  # the sentence dates the events before a running-total word of the clause
        return Dating("period", read.elsewhere.period_start, read.elsewhere.period_end, change)
    if running and not (change and not mentions(rules.running_total, read.clause)):
        if view.frame and SINCE_EVENT.search(read.clause):  # "injured since the riot began": the frame's day
            return Dating("cumulative", view.frame.period_start, as_of, change)
        return Dating("cumulative", war_start, as_of, change)
    bound = view.frame
    if bound is not None:
        return Dating("period", bound.period_start, bound.period_end, change)
    if change:
        return Dating("level", None, as_of, change)
    scoped = war_start if _in_war(read.clause, view, rules) else None
    return Dating("cumulative", scoped, as_of, change)


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
        if mentions(rules.survey, text)
        for span in spans
        if span.period_end and span.role != "since" and (published is None or span.period_end < published)
    ]
    fieldwork = [s for s in found if s.period_start and s.period_end and s.period_start < s.period_end] or found
    return max((s.period_end for s in fieldwork if s.period_end), default=None)
