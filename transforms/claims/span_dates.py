"""Dates of time spans as the document frame reads them: whether a span lies after
publication, can frame what follows, how many days it covers, and a past-resolved date moved
forward when its clause speaks of the future. In: ``TimeSpan`` records and the publication
date; out: booleans, day counts and adjusted spans."""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import replace
from datetime import date

from claimtrack.transforms.model import TimeSpan

YEAR_IN_TEXT = re.compile(r"(?<!\d)(?:1[89]|20)\d{2}(?!\d)")
DURATION = re.compile(r"(?:in|within)\s+(?!the\b)", re.IGNORECASE)  # "in two years", not "in the past year"
BACKWARD_WORDS = re.compile(r"\b(?:last|past|previous|ago|yesterday|earlier|since|this|today)\b", re.IGNORECASE)


def after_publication(span: TimeSpan, published: date | None) -> bool:
    """True when the whole span lies after publication (a plan, not a date of a past figure)."""
    return published is not None and span.period_start is not None and span.period_start > published


def moved_forward(span: TimeSpan, published: date | None) -> TimeSpan:
    """A year-less date or month that resolved to the past moves a year on when its clause
    speaks of the future ("will open in June" said in May); a duration back from publication
    turns forward ("will hire 300 in two years", "within a decade")."""
    if published is None or span.period_end is None or span.role == "since":
        return span
    if span.period_end == published and span.period_start and DURATION.match(span.text):
        return replace(span, period_start=published, period_end=_ahead(span.period_start, published))
    if span.period_end >= published:
        return span
    if YEAR_IN_TEXT.search(span.text) or BACKWARD_WORDS.search(span.text):
        return span
    if span.period_start == span.period_end and not re.search(r"\d", span.text):
        return span  # a weekday resolves by its own words ("next Friday")
    start = _next_year(span.period_start)
    end = _next_year(span.period_end)
    return replace(span, period_start=start, period_end=end) if end and end >= published else span


def _ahead(start: date, published: date) -> date:
    """``published`` moved on by as long as ``start`` lies before it (whole months when the
    day of the month is the same: "two years" back from 2026-01-06 is 2028-01-06 ahead)."""
    months = (published.year - start.year) * 12 + published.month - start.month
    if start.day == published.day and months > 0:
        year, month = divmod(published.month - 1 + months, 12)
        year += published.year
        return date(year, month + 1, min(published.day, monthrange(year, month + 1)[1]))
    return published + (published - start)


def _next_year(day: date | None) -> date | None:
    """``day`` one year on (February 29 becomes February 28)."""
    if day is None:
        return None
    return day.replace(year=day.year + 1, day=min(day.day, 28 if day.month == 2 else day.day))


def capped(day: date | None, published: date | None) -> date | None:
    """A statement day is never after publication ("said last week" ends on Sunday, at most
    the publication day)."""
    return min(day, published) if day and published else day


def can_frame(span: TimeSpan, published: date | None) -> bool:
    """A span that can frame what follows: both ends known, not after publication."""
    return (
        span.role in ("period", "point", "as_of")
        and span.period_start is not None
        and span.period_end is not None
        and (published is None or span.period_end <= published)
    )


def span_days(span: TimeSpan) -> int:
    """How many days a bounded span covers, less one (a day: 0)."""
    return (span.period_end - span.period_start).days if span.period_start and span.period_end else 10**6
