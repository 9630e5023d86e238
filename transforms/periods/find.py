"""Find time expressions in news text and resolve them against the publication date.

The rules live in ``data/rules/periods.yaml`` (patterns, resolver names, role markers,
vocabularies, named anchors, inline examples); ``load_period_rules`` validates and compiles
them once. ``find_time_spans`` returns every time expression of a sentence or paragraph as a
``TimeSpan`` with a role:

- ``period``: a bounded interval ("in the first 6 months of 2024", "last week", "in May");
- ``since``: an open start ("since February 24, 2022"); ``period_end`` is None, the caller
  fills the as-of date;
- ``as_of``: a moment ("as of June 1" -> end only; "on Friday", "on 3 March 2024" -> that day);
- ``point``: a date or month named without a role word ("March 2023").

How a text is read: one regex search (``prefilter``) skips texts without any date word; each
rule whose ``trigger`` words occur runs its regex; the resolver named by the rule turns the
match into dates (``claimtrack.transforms.periods.resolvers`` / ``period_relative``); a role word before
the match ("since", "as of", "in", "on") extends the span and sets the role; overlaps keep the
longest match; neighbours linked by "to/until/through" ("from today till tomorrow") are
joined into one period. Dates are read with the rule file's month and number tables, not
dateparser, whose absolute parser calls ``datetime.today()``.

Conventions (listed in the rule file's header, each pinned by inline examples): weeks run
Monday to Sunday; "this week/month/year" run to the publication date; "the past N days/
weeks/24 hours" end the day before publication, "the past N months/years" on it;
"overnight"/"last night" cover the previous day and the publication day; year-less dates take
the publication year, or the year before when they would start after publication. Nothing
reads the clock: with ``published=None`` relative expressions resolve to ``None`` ends.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from claimtrack.transforms.model import TimeSpan
from claimtrack.transforms.periods.dates import Span
from claimtrack.transforms.periods.loader import load
from claimtrack.transforms.periods.resolvers import Context, year_month_day
from claimtrack.transforms.periods.tables import PeriodRule, PeriodRules
from claimtrack.transforms.periods.triggers import trigger_words

FROM = re.compile(r"from\s", re.IGNORECASE)
DIGIT = re.compile(r"\d")  # found at once: a search for a set of characters skips the others


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    priority: int
    role: str
    period_start: date | None
    period_end: date | None


def load_period_rules(path: Path | None = None) -> PeriodRules:
    """Load, validate and compile the period rules (default ``data/rules/periods.yaml``).

    Returns an immutable ``PeriodRules`` to build once and pass to every call.
    Raises ``claimtrack.transforms.rules.RuleError`` naming the file, the rule and the fix.
    """
    return load(path)


def find_time_spans(text: str, published: date | None, rules: PeriodRules) -> list[TimeSpan]:
    """Return every time expression in ``text``, resolved against ``published``.

    Spans are sorted by offset and never overlap (the longest match wins; on a tie, the rule
    listed first). ``TimeSpan.text == text[start:end]``. A text with no date word costs one
    regex search (a text with a digit passes at once when the prefilter starts with a digit class).
    Never raises on arbitrary text.
    """
    if not text or not ((rules.digit_passes and DIGIT.search(text)) or rules.prefilter.search(text)):
        return []
    ctx = Context(_as_date(published), rules.vocab, rules.anchors)
    words = trigger_words(text, rules.trigger_patterns)
    chosen = _triggered(words, rules)
    found = [c for priority in chosen for c in _candidates(rules.rules[priority], priority, text, ctx, rules)]
    spans = [
        TimeSpan(c.start, c.end, text[c.start : c.end], c.role, c.period_start, c.period_end)  # type: ignore[arg-type]
        for c in _select(found)
    ]
    spans = [_open_start(s) for s in spans]
    return _join(spans, text, rules) if len(spans) > 1 else spans


def _triggered(words: frozenset[str], rules: PeriodRules) -> list[int]:
    """Indexes of the rules to run on a text holding ``words``: those without a trigger and
    those with one of their trigger words there, in file order."""
    chosen = set(rules.untriggered)
    for word in words:
        chosen.update(rules.by_trigger.get(word, ()))
    return sorted(chosen)


def _open_start(span: TimeSpan) -> TimeSpan:
    """ "from March" that no "to ..." closes is an open start (``since``): CLAIMS_SPEC section 6,
    one-sided bounds."""
    if span.role == "point" and FROM.match(span.text) and span.period_start is not None:
        return TimeSpan(span.start, span.end, span.text, "since", span.period_start, None)
    return span


def rule_fires(rule: PeriodRule, text: str, rules: PeriodRules, published: date | None = None) -> bool:
    """Tell whether ``rule`` alone yields a span in ``text`` (used for ``no_match`` examples)."""
    ctx = Context(_as_date(published), rules.vocab, rules.anchors)
    return any(True for _ in _candidates(rule, 0, text, ctx, rules))


def _as_date(value: date | None) -> date | None:
    return value.date() if isinstance(value, datetime) else value


def _candidates(rule: PeriodRule, priority: int, text: str, ctx: Context, rules: PeriodRules) -> list[_Candidate]:
    """Run one rule over ``text``: match, resolve, then apply the role marker before the match."""
    out: list[_Candidate] = []
    for match in rule.pattern.finditer(text):
        if match.end() == match.start():
            continue
        try:
            span = rule.fn(ctx, match, rule.params)
        except (ValueError, OverflowError):
            span = None
        if span is None:
            continue
        marked = _apply_marker(rule, text, match.start(), span, rules)
        if marked is not None:
            start, role, (first, last) = marked
            out.append(_Candidate(start, match.end(), priority, role, first, last))
    return out


def _apply_marker(
    rule: PeriodRule, text: str, start: int, span: Span, rules: PeriodRules
) -> tuple[int, str, Span] | None:
    """Extend a match over a preceding role word and set the role it implies.

    "since X" -> since (start only); "as of/by/until X" -> as_of (end only); "on X" -> as_of;
    "in/during/over/for X" -> period; "on X" -> as_of only when X is one day. Rules with
    ``markers: required`` need such a word; ``role: since`` rules drop the end.
    """
    first, last = span
    marker = None
    if rule.markers != "none":
        marker = rules.markers.search(text, max(0, start - rules.marker_window), start)
    action = rules.marker_actions[" ".join(marker["m"].lower().split())] if marker else None
    if marker is None or (action == "keep" and rule.markers == "role_word"):
        if rule.markers in ("required", "role_word"):
            return None
        return start, rule.role, ((first, None) if rule.role == "since" else span)
    if action == "since":
        return marker.start(), "since", (first, None)
    if action == "as_of_end":
        return marker.start(), "as_of", (None, last)
    if action == "as_of":
        return marker.start(), ("as_of" if first == last else rule.role), span
    if action == "keep":
        return marker.start(), rule.role, ((first, None) if rule.role == "since" else span)
    return marker.start(), "period", span


def _select(found: list[_Candidate]) -> list[_Candidate]:
    """Keep the longest non-overlapping candidates (ties: earlier rule), in text order."""
    taken: list[_Candidate] = []
    for cand in sorted(found, key=lambda c: (c.start - c.end, c.priority, c.start)):
        if all(cand.end <= t.start or cand.start >= t.end for t in taken):
            taken.append(cand)
    return sorted(taken, key=lambda c: c.start)


def _join(spans: list[TimeSpan], text: str, rules: PeriodRules) -> list[TimeSpan]:
    """Join neighbours linked by a connector ("today till tomorrow", "between May 2015 and
    2018") into one period from the first's start to the second's end."""
    out: list[TimeSpan] = []
    for span in spans:
        joined = _joined(out[-1], span, text, rules) if out else None
        if joined is not None:
            out[-1] = joined
        else:
            out.append(span)
    return out


def _joined(first: TimeSpan, second: TimeSpan, text: str, rules: PeriodRules) -> TimeSpan | None:
    """Return ``first`` and ``second`` as one period when a connector links them, else None."""
    if first.period_start is None or second.period_end is None or first.period_start > second.period_end:
        return None
    gap = text[first.end : second.start]
    if first.text.lower().startswith("between"):
        linked = rules.joins.after_between.fullmatch(gap) is not None
    else:
        linked = rules.joins.connector.fullmatch(gap) is not None or (
            not gap.strip() and rules.joins.leading.match(second.text.lower()) is not None
        )
    if not linked:
        return None
    return TimeSpan(
        first.start, second.end, text[first.start : second.end], "period", first.period_start, second.period_end
    )


def find_dateline(text: str, rules: PeriodRules) -> date | None:
    """Return a publication date stated near the top of an article, else ``None``.

    Looks in the first ``dateline.window`` characters: first after a label ("Published:",
    "Updated", "Posted on"), then at the first full date (day, month and year: "November 3,
    2024", "3 Nov 2024", "2024-11-03", "2024 Nov 03"). Only dates that state their year count.
    Parsed with the rule file's month table, not dateparser: dateparser's absolute parser
    reads the clock (``datetime.today()`` in ``dateparser/utils/strptime.py``).
    """
    head = text[: rules.dateline.window] if text else ""
    for label in rules.dateline.label.finditer(head):
        found = _first_full_date(head[label.end() : label.end() + 80].split("\n", 1)[0], rules)
        if found is not None:
            return found
    return _first_full_date(head, rules)


def _first_full_date(text: str, rules: PeriodRules) -> date | None:
    """Parse the first match of the dateline date pattern that gives a real day."""
    ctx = Context(None, rules.vocab, rules.anchors)
    for match in rules.dateline.pattern.finditer(text):
        parts = ctx.parts(match.group(0))
        if parts is not None and (day := year_month_day(parts)) is not None:
            return day
    return None


def check_examples(rules: PeriodRules) -> list[str]:
    """Run every inline example of the rule file; return one message per failure (empty = all pass)."""
    failures: list[str] = []
    for rule in rules.rules:
        for ex in rule.examples:
            spans = find_time_spans(ex.text, ex.published, rules)
            want = (ex.role, ex.start, ex.end)
            if not any((s.role, s.period_start, s.period_end) == want and ex.span in (None, s.text) for s in spans):
                got = [(s.text, s.role, str(s.period_start), str(s.period_end)) for s in spans]
                failures.append(
                    f"rule '{rule.id}': {ex.text!r} ({ex.published}) expected "
                    f"{ex.span or ''} {ex.role} {ex.start}..{ex.end}, got {got}"
                )
        failures += [f"rule '{rule.id}': no_match {t!r} matched" for t in rule.no_match if rule_fires(rule, t, rules)]
    for ex in rules.joins.examples:
        spans = find_time_spans(ex.text, ex.published, rules)
        if not any((s.role, s.period_start, s.period_end) == (ex.role, ex.start, ex.end) for s in spans):
            failures.append(f"joins: {ex.text!r} expected {ex.role} {ex.start}..{ex.end}, got {spans}")
    for text, expected in rules.dateline.examples:
        if (day := find_dateline(text, rules)) != expected:
            failures.append(f"dateline: {text!r} expected {expected}, got {day}")
    return failures
