"""Resolver functions named by the rules in ``data/rules/periods.yaml``.

Each resolver takes the ``Context`` (publication date, vocabularies, anchors), the rule's
regex match and the rule's ``params``, and returns ``(period_start, period_end)``, or
``None`` to reject the match. Relative expressions return ``(None, None)`` when the
publication date is unknown: nothing here reads the clock.
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from transforms.period_dates import (
    Parts, Span, add_months, last_day, month_span, most_recent_weekday, parse_parts, parts_span,
    precision_span, quarter_span, range_span, two_digit_year, week_start, year_span,
)

Params = Mapping[str, Any]


@dataclass(frozen=True)
class Vocab:
    """Word tables of the rule file, lower-case keys: month and weekday numbers (Monday = 0),
    cardinal and ordinal number words, quantifiers ("a couple of" = 2), and time units
    (word -> (unit, multiple): "fortnight" -> ("week", 2))."""

    months: Mapping[str, int]
    weekdays: Mapping[str, int]
    cardinals: Mapping[str, int]
    ordinals: Mapping[str, int]
    quantifiers: Mapping[str, int]
    units: Mapping[str, tuple[str, int]]


@dataclass(frozen=True)
class Anchor:
    """A named event date ("full_scale_invasion" = 2022-02-24); ``before`` names the anchor
    to use for texts published before this date ("the war" before 2022 is the 2014 one)."""

    name: str
    day: date
    before: str | None = None


@dataclass(frozen=True)
class Context:
    """What a resolver may read: the publication date, the vocabularies, the anchors."""

    published: date | None
    vocab: Vocab
    anchors: Mapping[str, Anchor]

    def parts(self, text: str) -> Parts | None:
        """Parse a date expression with the file's month and number tables."""
        words = {**self.vocab.cardinals, **self.vocab.ordinals}
        return parse_parts(text, self.vocab.months, words)

    def count(self, text: str | None) -> int | None:
        """Read "3", "three", "twenty-four", "a couple of", "few" as a count (``None`` if absent)."""
        if not text:
            return None
        clean = " ".join(text.lower().replace("-", " ").split())
        if clean.isdigit():
            return int(clean)
        if clean in self.vocab.quantifiers:
            return self.vocab.quantifiers[clean]
        words = clean.split()
        if all(w in self.vocab.cardinals for w in words):
            return sum(self.vocab.cardinals[w] for w in words)
        return None

    def ordinal(self, text: str | None) -> int | None:
        """Read "third", "3rd", "twenty-first" as a number (``None`` if absent or unknown)."""
        if not text:
            return None
        clean = text.lower().strip()
        if m := re.fullmatch(r"(\d+)(?:st|nd|rd|th)?", clean):
            return int(m[1])
        words = clean.replace("-", " ").split()
        if words and all(w in self.vocab.ordinals or w in self.vocab.cardinals for w in words):
            return sum(self.vocab.ordinals.get(w, self.vocab.cardinals.get(w, 0)) for w in words)
        return None

    def unit(self, text: str) -> tuple[str, int]:
        """Map a unit word ("weeks", "fortnight") to (unit, multiple)."""
        return self.vocab.units[text.lower()]

    def anchor(self, name: str) -> date:
        """Return the anchor's date, following ``before`` while the text predates it."""
        anchor = self.anchors[name]
        while self.published is not None and anchor.before and self.published < anchor.day:
            anchor = self.anchors[anchor.before]
        return anchor.day


def group(match: re.Match[str], name: str) -> str | None:
    """Return the named group's text, ``None`` when the group is absent or did not take part."""
    return match.groupdict().get(name)


def shift(day: date, unit: str, amount: int) -> date:
    """Move ``day`` by ``amount`` units (hour counts as a day here)."""
    if unit in ("day", "hour"):
        return day + timedelta(days=amount)
    if unit == "week":
        return day + timedelta(weeks=amount)
    months = {"month": 1, "quarter": 3, "year": 12}[unit]
    return add_months(day, amount * months)


def explicit_date(ctx: Context, match: re.Match[str], params: Params) -> Span | None:
    """A stated date, month, or month and year (group ``date`` or the whole match)."""
    parts = ctx.parts(group(match, "date") or match.group(0))
    return None if parts is None else parts_span(parts, ctx.published)


def year(ctx: Context, match: re.Match[str], params: Params) -> Span | None:
    """A stated year (group ``year``): January 1 .. December 31."""
    return year_span(int(group(match, "year") or match.group(0)))


def year_range(ctx: Context, match: re.Match[str], params: Params) -> Span | None:
    """"1932-33", "from 2015 to 2018": first day of ``a`` .. last day of ``b``; ``b`` after ``a``."""
    first, text = int(group(match, "a") or 0), group(match, "b") or ""
    second = int(text) if len(text) == 4 else first - first % 100 + int(text)
    return (date(first, 1, 1), date(second, 12, 31)) if first < second else None


def decade(ctx: Context, match: re.Match[str], params: Params) -> Span | None:
    """"the 1990s", "the '90s", "the nineties": the ten years of the decade ("the 20s" and
    below read as 2000s, "the '40s" and above as 1900s)."""
    digits = re.search(r"\d+", match.group(0))
    if digits:
        value = int(digits[0])
        start = value if value >= 100 else (2000 + value if value < 30 else 1900 + value)
    else:
        word = (group(match, "word") or "").lower()
        start = 1900 + int(params["words"][word])
    return (date(start, 1, 1), date(start + 9, 12, 31)) if start % 10 == 0 else None


def century(ctx: Context, match: re.Match[str], params: Params) -> Span | None:
    """"the 21st century": 2000-01-01 .. 2099-12-31."""
    number = ctx.ordinal(group(match, "ord"))
    return None if not number or number > 99 else (date(max(1, (number - 1) * 100), 1, 1), date(number * 100 - 1, 12, 31))


def _year_of(ctx: Context, match: re.Match[str], params: Params) -> int | None:
    """The year a quarter/half/part refers to: group ``year``, or ``rely`` (this/last/next year)."""
    if text := group(match, "year"):
        return int(text)
    if (rel := group(match, "rely")) and ctx.published is not None:
        return ctx.published.year + int(params["year_offsets"][" ".join(rel.lower().split())])
    return None


def _past_preferred(ctx: Context, build: Callable[[int], tuple[date, date]], explicit: int | None) -> Span:
    """Build a span in the explicit year, else the publication year, else the year before."""
    if explicit is not None:
        return build(explicit)
    if ctx.published is None:
        return None, None
    span = build(ctx.published.year)
    return span if span[0] <= ctx.published else build(ctx.published.year - 1)


def quarter(ctx: Context, match: re.Match[str], params: Params) -> Span | None:
    """"Q3 2023", "the third quarter", "the last quarter" (previous quarter when no year)."""
    word = (group(match, "qw") or "").lower()
    explicit = _year_of(ctx, match, params)
    if word in params.get("previous_words", ()) and explicit is None:
        if ctx.published is None:
            return None, None
        current = quarter_span(ctx.published.year, (ctx.published.month - 1) // 3 + 1)[0]
        start = add_months(current, -3)
        return quarter_span(start.year, (start.month - 1) // 3 + 1)
    number = int(group(match, "q") or 0) or params["words"].get(word) or ctx.ordinal(word)
    if not number or not 1 <= number <= 4:
        return None
    return _past_preferred(ctx, lambda y: quarter_span(y, number), explicit)


def half(ctx: Context, match: re.Match[str], params: Params) -> Span | None:
    """"H1 2024", "the first half of the year", "the second half of 2023"."""
    word = (group(match, "hw") or "").lower()
    number = int(group(match, "h") or 0) or params["words"].get(word) or ctx.ordinal(word)
    if number not in (1, 2):
        return None
    build = lambda y: (date(y, 1 + 6 * (number - 1), 1), last_day(y, 6 * number))  # noqa: E731
    return _past_preferred(ctx, build, _year_of(ctx, match, params))


def first_n_months(ctx: Context, match: re.Match[str], params: Params) -> Span | None:
    """"the first 6 months of 2024" -> Jan 1 .. Jun 30; "the last two months of the year"."""
    n = ctx.count(group(match, "n")) or 1
    unit, times = ctx.unit(group(match, "unit") or "month")
    from_end = (group(match, "pos") or "first").lower() in params.get("from_end", ())

    def build(y: int) -> tuple[date, date]:
        if from_end:
            return shift(date(y + 1, 1, 1), unit, -n * times), date(y, 12, 31)
        return date(y, 1, 1), shift(date(y, 1, 1), unit, n * times) - timedelta(days=1)

    span = _past_preferred(ctx, build, _year_of(ctx, match, params))
    return None if span[0] and span[1] and span[0].year != span[1].year else span


def part_of(ctx: Context, match: re.Match[str], params: Params) -> Span | None:
    """"early March", "mid-2022", "late last year", "the end of 2023": a third (or the first or
    last day) of a month, year or week. ``params.parts`` maps the part word to a slice."""
    base = _part_base(ctx, match, params)
    if base is None or base[0] is None or base[1] is None:
        return base
    word = " ".join((group(match, "part") or "").lower().replace("-", " ").split())
    piece = params["parts"][word]
    start, end = base
    if piece == "first_day":
        return start, start
    if piece == "last_day":
        return end, end
    return _third(start, end, int(piece))


def _part_base(ctx: Context, match: re.Match[str], params: Params) -> Span | None:
    """The month, year or relative unit a part-of expression slices."""
    if text := group(match, "month"):
        parts = ctx.parts(text)
        return None if parts is None else parts_span(parts, ctx.published)
    if group(match, "year"):
        return year(ctx, match, params)
    if group(match, "rel") or group(match, "unit"):
        return _unit_span(ctx, group(match, "rel") or "this", group(match, "unit") or "year", "full", params)
    return None


def _third(start: date, end: date, index: int) -> tuple[date, date]:
    """Return third ``index`` (0, 1, 2) of a month (days 1-10, 11-20, 21-end), a year
    (Jan-Apr, May-Aug, Sep-Dec) or a week (Mon-Wed, Tue-Fri, Thu-Sun)."""
    length = (end - start).days + 1
    if length >= 365:
        first = add_months(start, 4 * index)
        return first, add_months(first, 4) - timedelta(days=1)
    if length == 7:
        offsets = ((0, 2), (1, 4), (3, 6))[index]
        return start + timedelta(days=offsets[0]), start + timedelta(days=offsets[1])
    first = start + timedelta(days=10 * index)
    return first, (end if index == 2 else first + timedelta(days=9))


def _unit_span(ctx: Context, rel: str, unit: str, mode: str, params: Params) -> Span | None:
    """Calendar unit relative to the publication date: ``offset`` units away, whole or to date."""
    if ctx.published is None:
        return None, None
    rel_key = " ".join(rel.lower().split())
    setting = params["modes"].get(rel_key, 0) if "modes" in params else 0
    offset, how = (setting, mode) if isinstance(setting, int) else (0, setting)
    pub = ctx.published
    unit = unit.lower()
    start = {"week": week_start(pub), "month": pub.replace(day=1), "year": pub.replace(month=1, day=1),
             "quarter": pub.replace(month=(pub.month - 1) // 3 * 3 + 1, day=1)}[unit]
    start = shift(start, unit, offset)
    end = shift(start, unit, 1) - timedelta(days=1)
    if how == "to_date":
        return start, pub
    if how == "rest":
        return pub, end
    return start, end


def relative_unit(ctx: Context, match: re.Match[str], params: Params) -> Span | None:
    """"last week" (previous Mon..Sun), "last month", "this year" (Jan 1 .. published),
    "next quarter"; ``params.modes`` maps the relation word to an offset or a mode."""
    return _unit_span(ctx, group(match, "rel") or "", group(match, "unit") or "", "full", params)


def relative_month(ctx: Context, match: re.Match[str], params: Params) -> Span | None:
    """"last September", "this June", "next May", "March of last year", "June next year"."""
    parts = ctx.parts(group(match, "month") or "")
    if parts is None or parts.month is None or ctx.published is None:
        return None if parts is None else (None, None)
    pub = ctx.published
    if rely := group(match, "rely"):
        y = pub.year + int(params["year_offsets"][" ".join(rely.lower().split())])
    else:
        rel = (group(match, "rel") or "this").lower()
        direction = int(params["month_offsets"][rel])
        y = pub.year + (-1 if direction < 0 and parts.month >= pub.month else 0) \
            + (1 if direction > 0 and parts.month <= pub.month else 0)
    return month_span(y, parts.month)


def last_n_units(ctx: Context, match: re.Match[str], params: Params) -> Span | None:
    """"the past 24 hours", "over the past week", "the last three months", "the past year".

    Starts ``n`` units before the publication date; ends ``params.end_offset_days[unit]``
    days from it (hours, days, weeks: the day before; months, years: the publication day).
    A plural unit without a count ("in past years") is too vague and is rejected.
    """
    word = group(match, "unit") or ""
    if group(match, "n") is None and word.lower().endswith("s"):
        return None
    n = ctx.count(group(match, "n")) or 1
    unit, times = ctx.unit(word)
    if ctx.published is None:
        return None, None
    amount = math.ceil(n * times / 24) if unit == "hour" else n * times
    start = shift(ctx.published, "day" if unit == "hour" else unit, -amount)
    end = ctx.published + timedelta(days=int(params["end_offset_days"][unit]))
    return (start, end) if start <= end else (end, end)


def next_n_units(ctx: Context, match: re.Match[str], params: Params) -> Span | None:
    """"the next 3 days" -> published+1 .. published+3; "the coming two weeks"."""
    n = ctx.count(group(match, "n")) or 1
    unit, times = ctx.unit(group(match, "unit") or "")
    if ctx.published is None:
        return None, None
    return ctx.published + timedelta(days=1), shift(ctx.published, unit, n * times)


def recent(ctx: Context, match: re.Match[str], params: Params) -> Span | None:
    """"in recent days/weeks": open start, ending on the publication date."""
    return None, ctx.published


def ago(ctx: Context, match: re.Match[str], params: Params) -> Span | None:
    """"two years ago" (``params.sign`` -1) or "two weeks from now" (+1): one day."""
    n = ctx.count(group(match, "n")) or 1
    unit, times = ctx.unit(group(match, "unit") or "")
    if ctx.published is None:
        return None, None
    day = shift(ctx.published, unit, int(params["sign"]) * n * times)
    return day, day


def relative_day(ctx: Context, match: re.Match[str], params: Params) -> Span | None:
    """"today", "yesterday", "overnight", "last night": day offsets from ``params.offsets``."""
    key = " ".join(match.group(0).lower().split())
    key = re.sub(r"^the\s+", "", key)
    offsets = params["offsets"].get(key)
    if offsets is None:
        return None
    if ctx.published is None:
        return None, None
    return ctx.published + timedelta(days=int(offsets[0])), ctx.published + timedelta(days=int(offsets[1]))


def weekday(ctx: Context, match: re.Match[str], params: Params) -> Span | None:
    """"Friday" / "on Friday": the latest Friday on or before the publication date; "last
    Friday" strictly before; "this/next Friday" in this/next week; "Friday next week" (group
    ``wrel`` with ``params.week_offsets``) in the named week; "Friday night" runs to the next
    day (not past the publication date)."""
    name = (group(match, "wd") or "").lower().rstrip(".")
    if name not in ctx.vocab.weekdays or ctx.published is None:
        return None if name not in ctx.vocab.weekdays else (None, None)
    number, pub = ctx.vocab.weekdays[name], ctx.published
    rel = (group(match, "rel") or "").lower()
    if wrel := group(match, "wrel"):
        offset = int(params.get("week_offsets", {}).get(wrel.lower(), 0))
        day = week_start(pub) + timedelta(days=7 * offset + number)
    elif rel in ("this", "next"):
        day = week_start(pub) + timedelta(days=number + (7 if rel == "next" else 0))
    else:
        day = most_recent_weekday(pub, number, strictly_before=rel in ("last", "past"))
    if (group(match, "part") or "").lower() in params.get("night_words", ()):
        return day, min(day + timedelta(days=1), max(day, pub))
    return day, day


def weekday_dom(ctx: Context, match: re.Match[str], params: Params) -> Span | None:
    """"Friday the 22nd": the latest 22nd of a month on or before the publication date."""
    number = ctx.ordinal(group(match, "dom"))
    if not number or not 1 <= number <= 31:
        return None
    if ctx.published is None:
        return None, None
    month_start = ctx.published.replace(day=1)
    for back in range(0, 3):
        first = add_months(month_start, -back)
        if number <= last_day(first.year, first.month).day and (day := first.replace(day=number)) <= ctx.published:
            return day, day
    return None


def weekend(ctx: Context, match: re.Match[str], params: Params) -> Span | None:
    """"the weekend", "last weekend": the latest Saturday-Sunday that began on or before the
    publication date ("last weekend" on a weekend: the one before)."""
    if ctx.published is None:
        return None, None
    monday = week_start(ctx.published)
    rel = (group(match, "rel") or "").lower()
    in_weekend = ctx.published.weekday() >= 5 and rel not in params.get("previous_words", ())
    saturday = monday + timedelta(days=5) if in_weekend else monday - timedelta(days=2)
    return saturday, saturday + timedelta(days=1)


def anchor(ctx: Context, match: re.Match[str], params: Params) -> Span | None:
    """A named event (``params.anchor``): "since the start of the full-scale invasion"."""
    day = ctx.anchor(str(params["anchor"]))
    return day, day


def anchor_span(ctx: Context, match: re.Match[str], params: Params) -> Span | None:
    """"the first year of the war" (group ``ord``) -> anchor .. anchor + 1 year - 1 day;
    "the first 6 months of the war" (group ``n``) -> anchor .. anchor + 6 months - 1 day."""
    start = ctx.anchor(str(params["anchor"]))
    unit, times = ctx.unit(group(match, "unit") or "")
    if group(match, "ord"):
        index = ctx.ordinal(group(match, "ord"))
        if not index:
            return None
        start, n = shift(start, unit, (index - 1) * times), times
    else:
        n = (ctx.count(group(match, "n")) or 1) * times
    return start, shift(start, unit, n) - timedelta(days=1)


def date_range(ctx: Context, match: re.Match[str], params: Params) -> Span | None:
    """"from 24.02 to 15.06", "between March and May", "28 April - 11 May", "November 19-20",
    "4 to 22 January 1995", "from 1 August to today": groups ``a`` and ``b``."""
    ends = []
    for name in ("a", "b"):
        text = (group(match, name) or "").strip()
        if text.lower() in params.get("now_words", ()):
            if ctx.published is None:
                return None, None
            ends.append(Parts(ctx.published.year, ctx.published.month, ctx.published.day))
        elif (parts := ctx.parts(text)) is None:
            return None
        else:
            ends.append(parts)
    return range_span(ends[0], ends[1], ctx.published)


def year_month_day(parts: Parts) -> date | None:
    """Return the date of fully stated parts (used by the dateline finder)."""
    if parts.year is None or parts.month is None or parts.day is None:
        return None
    return precision_span(parts, parts.year)[0]


Resolver = Callable[[Context, "re.Match[str]", Params], "Span | None"]

RESOLVERS: Mapping[str, Resolver] = {
    fn.__name__: fn for fn in (
        explicit_date, year, year_range, decade, century, quarter, half, first_n_months, part_of,
        relative_unit, relative_month, last_n_units, next_n_units, recent, ago, relative_day,
        weekday, weekday_dom, weekend, anchor, anchor_span, date_range,
    )
}
