"""Resolver functions named by the rules in ``data/rules/periods.yaml`` (registry ``RESOLVERS``).

Each resolver takes the ``Context`` (publication date, vocabularies, anchors), the rule's
regex match and the rule's ``params``, and returns ``(period_start, period_end)``, or
``None`` to reject the match. Absolute expressions are here; those relative to the
publication date are in ``claimtrack.transforms.periods.relative``. Nothing here reads the clock.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, timedelta

from claimtrack.transforms.periods.context import Anchor, Context, Params, Resolver, Vocab, group, shift
from claimtrack.transforms.periods.dates import (
    Parts,
    Span,
    add_months,
    last_day,
    parts_span,
    precision_span,
    quarter_span,
    range_span,
    year_span,
)
from claimtrack.transforms.periods.relative import (
    ago,
    decade_end,
    last_n_units,
    next_n_units,
    recent,
    relative_day,
    relative_month,
    relative_unit,
    season,
    unit_span,
    weekday,
    weekday_dom,
    weekend,
)

__all__ = ["RESOLVERS", "Anchor", "Context", "Resolver", "Vocab", "year_month_day"]


def explicit_date(ctx: Context, match: re.Match[str], params: Params) -> Span | None:
    """A stated date, month, or month and year (group ``date`` or the whole match)."""
    parts = ctx.parts(group(match, "date") or match.group(0))
    return None if parts is None else parts_span(parts, ctx.published)


def year(ctx: Context, match: re.Match[str], params: Params) -> Span | None:
    """A stated year (group ``year``): January 1 .. December 31."""
    return year_span(int(group(match, "year") or match.group(0)))


def year_range(ctx: Context, match: re.Match[str], params: Params) -> Span | None:
    """ "1932-33", "from 2015 to 2018": first day of ``a`` .. last day of ``b``; ``b`` after ``a``.
    A fiscal year ("2024/25", "FY2024-25": group ``sep`` is "/" or group ``fy`` is there) is
    the first calendar year named."""
    first, text = int(group(match, "a") or 0), group(match, "b") or ""
    second = int(text) if len(text) == 4 else first - first % 100 + int(text)
    if first >= second:
        return None
    if group(match, "fy") or group(match, "sep") == "/":  # a fiscal year "2024/25", "FY2024-25"
        return year_span(first)
    return date(first, 1, 1), date(second, 12, 31)


def decade(ctx: Context, match: re.Match[str], params: Params) -> Span | None:
    """ "the 1990s", "the '90s", "the nineties": the ten years of the decade ("the 20s" and
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
    """ "the 21st century": 2000-01-01 .. 2099-12-31."""
    number = ctx.ordinal(group(match, "ord"))
    return (
        None if not number or number > 99 else (date(max(1, (number - 1) * 100), 1, 1), date(number * 100 - 1, 12, 31))
    )


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
    """ "Q3 2023", "the third quarter", "the last quarter" (previous quarter when no year)."""
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
    """ "H1 2024", "the first half of the year", "the second half of 2023"."""
    word = (group(match, "hw") or "").lower()
    number = int(group(match, "h") or 0) or params["words"].get(word) or ctx.ordinal(word)
    if number not in (1, 2):
        return None

    def build(year: int) -> tuple[date, date]:
        return date(year, 1 + 6 * (number - 1), 1), last_day(year, 6 * number)

    return _past_preferred(ctx, build, _year_of(ctx, match, params))


def first_n_months(ctx: Context, match: re.Match[str], params: Params) -> Span | None:
    """ "the first 6 months of 2024" -> Jan 1 .. Jun 30; "the last two months of the year"."""
    n = ctx.count(group(match, "n")) or 1
    unit, times = ctx.unit(group(match, "unit") or "month")
    from_end = (group(match, "pos") or "first").lower() in params.get("from_end", ())

    def build(y: int) -> tuple[date, date]:
        if from_end:
            return shift(date(y + 1, 1, 1), unit, -n * times), date(y, 12, 31)
        return date(y, 1, 1), shift(date(y, 1, 1), unit, n * times) - timedelta(days=1)

    span = _past_preferred(ctx, build, _year_of(ctx, match, params))
    return None if span[0] and span[1] and span[0].year != span[1].year else span


MONTH_DAYS = (28, 31)  # a span this long is a month: "early March" is March


def part_of(ctx: Context, match: re.Match[str], params: Params) -> Span | None:
    """ "early March", "mid-2022", "late last year", "the end of 2023": a third (or the first or
    last day) of a year or week; early, mid and late of a month are the whole month (CLAIMS_SPEC
    section 6). ``params.parts`` maps the part word to a slice."""
    base = _part_base(ctx, match, params)
    if base is None:
        return None
    start, end = base
    word = " ".join((group(match, "part") or "").lower().replace("-", " ").split())
    piece = params["parts"].get(word)
    if start is None or end is None or piece is None:
        return None if piece is None else base
    if piece == "first_day":
        return start, start
    if piece == "last_day":
        return end, end
    if MONTH_DAYS[0] <= (end - start).days + 1 <= MONTH_DAYS[1]:
        return base
    return _third(start, end, int(piece))


def _part_base(ctx: Context, match: re.Match[str], params: Params) -> Span | None:
    """The month, year or relative unit a part-of expression slices."""
    if text := group(match, "month"):
        parts = ctx.parts(text)
        return None if parts is None else parts_span(parts, ctx.published)
    if group(match, "year"):
        return year(ctx, match, params)
    if group(match, "rel") or group(match, "unit"):
        return unit_span(ctx, group(match, "rel") or "this", group(match, "unit") or "year", "full", params)
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


def anchor(ctx: Context, match: re.Match[str], params: Params) -> Span | None:
    """A named event (``params.anchor``): "since the start of the full-scale invasion"; moved
    by ``params.offset_days`` ("before the invasion" is the day before)."""
    day = ctx.anchor(str(params["anchor"])) + timedelta(days=int(params.get("offset_days", 0)))
    return day, day


def anchor_span(ctx: Context, match: re.Match[str], params: Params) -> Span | None:
    """ "the first year of the war" (group ``ord``) -> anchor .. anchor + 1 year - 1 day;
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
    """ "from 24.02 to 15.06", "between March and May", "28 April - 11 May", "November 19-20",
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


RESOLVERS: Mapping[str, Resolver] = {
    fn.__name__: fn
    for fn in (
        explicit_date,
        year,
        year_range,
        decade,
        century,
        quarter,
        half,
        first_n_months,
        part_of,
        relative_unit,
        relative_month,
        last_n_units,
        next_n_units,
        recent,
        ago,
        relative_day,
        weekday,
        weekday_dom,
        weekend,
        season,
        decade_end,
        anchor,
        anchor_span,
        date_range,
    )
}
