"""Resolvers for expressions relative to the publication date: "last week", "this year",
"the past 24 hours", "yesterday", "on Friday", "the weekend", "two years ago".

Each takes ``(Context, regex match, params)`` and returns ``(period_start, period_end)`` or
``None`` to reject the match; without a publication date they return ``(None, None)``.
"""

from __future__ import annotations

import math
import re
from datetime import date, timedelta

from claimtrack.transforms.periods.context import Context, Params, group, shift
from claimtrack.transforms.periods.dates import Span, add_months, last_day, month_span, most_recent_weekday, week_start


def unit_span(ctx: Context, rel: str, unit: str, mode: str, params: Params) -> Span | None:
    """Calendar unit relative to the publication date: ``offset`` units away, whole or to date."""
    if ctx.published is None:
        return None, None
    rel_key = " ".join(rel.lower().split())
    setting = params["modes"].get(rel_key, 0) if "modes" in params else 0
    offset, how = (setting, mode) if isinstance(setting, int) else (0, setting)
    pub = ctx.published
    unit = unit.lower()
    start = {
        "week": week_start(pub),
        "month": pub.replace(day=1),
        "year": pub.replace(month=1, day=1),
        "quarter": pub.replace(month=(pub.month - 1) // 3 * 3 + 1, day=1),
    }[unit]
    start = shift(start, unit, offset)
    end = shift(start, unit, 1) - timedelta(days=1)
    if how == "to_date":
        return start, pub
    if how == "rest":
        return pub, end
    return start, end


def relative_unit(ctx: Context, match: re.Match[str], params: Params) -> Span | None:
    """ "last week" (previous Mon..Sun), "last month", "this year" (Jan 1 .. published),
    "next quarter"; ``params.modes`` maps the relation word to an offset or a mode."""
    return unit_span(ctx, group(match, "rel") or "", group(match, "unit") or "", "full", params)


def relative_month(ctx: Context, match: re.Match[str], params: Params) -> Span | None:
    """ "last September", "this June", "next May", "March of last year", "June next year"."""
    parts = ctx.parts(group(match, "month") or "")
    if parts is None or parts.month is None or ctx.published is None:
        return None if parts is None else (None, None)
    pub = ctx.published
    if rely := group(match, "rely"):
        y = pub.year + int(params["year_offsets"][" ".join(rely.lower().split())])
    else:
        rel = (group(match, "rel") or "this").lower()
        direction = int(params["month_offsets"][rel])
        y = (
            pub.year
            + (-1 if direction < 0 and parts.month >= pub.month else 0)
            + (1 if direction > 0 and parts.month <= pub.month else 0)
        )
    return month_span(y, parts.month)


def last_n_units(ctx: Context, match: re.Match[str], params: Params) -> Span | None:
    """ "the past 24 hours", "over the past week", "the last three months", "the past year".

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
    """ "the next 3 days" -> published+1 .. published+3; "the coming two weeks"; units listed in
    ``params.from_publication`` start on the publication date ("the next two years")."""
    n = ctx.count(group(match, "n")) or 1
    unit, times = ctx.unit(group(match, "unit") or group(match, "unit1") or "")
    if ctx.published is None:
        return None, None
    first = 0 if unit in params.get("from_publication", ()) else 1
    return ctx.published + timedelta(days=first), shift(ctx.published, unit, n * times)


def season(ctx: Context, match: re.Match[str], params: Params) -> Span | None:
    """ "this winter", "last summer", "the summer of 2020": three months from the month
    ``params.months`` gives the season (winter runs December to February). A stated year
    names the season that starts in it; "this" takes the season nearest publication (the one
    holding it, the one just ended or the one to come), "last" the latest ended before it,
    "next" the first to start after it."""
    first = int(params["months"][(group(match, "season") or group(match, "season2") or "").lower()])

    def of(year: int) -> tuple[date, date]:
        start = date(year, first, 1)
        return start, add_months(start, 3) - timedelta(days=1)

    if year := group(match, "year"):
        return of(int(year))
    if ctx.published is None:
        return None, None
    pub = ctx.published
    found = [of(y) for y in range(pub.year - 2, pub.year + 2)]
    rel = " ".join((group(match, "rel") or "this").lower().split())
    direction = int(params["relations"][rel])
    if direction < 0:
        return max((s for s in found if s[1] < pub), key=lambda s: s[1])
    if direction > 0:
        return min((s for s in found if s[0] > pub), key=lambda s: s[0])
    return min(found, key=lambda s: max((s[0] - pub).days, (pub - s[1]).days, 0))


def decade_end(ctx: Context, match: re.Match[str], params: Params) -> Span | None:
    """ "the end of the decade": December 31 of the next year ending in 0 (the target year
    "by the end of the decade" names: 2030 said in 2024 or 2030)."""
    if ctx.published is None:
        return None, None
    year = ctx.published.year + (-ctx.published.year) % 10
    return date(year, 12, 31), date(year, 12, 31)


def recent(ctx: Context, match: re.Match[str], params: Params) -> Span | None:
    """ "in recent days/weeks": open start, ending on the publication date."""
    return None, ctx.published


def ago(ctx: Context, match: re.Match[str], params: Params) -> Span | None:
    """ "two years ago" (``params.sign`` -1) or "two weeks from now" (+1): one day."""
    n = ctx.count(group(match, "n")) or 1
    unit, times = ctx.unit(group(match, "unit") or "")
    if ctx.published is None:
        return None, None
    day = shift(ctx.published, unit, int(params["sign"]) * n * times)
    return day, day


def relative_day(ctx: Context, match: re.Match[str], params: Params) -> Span | None:
    """ "today", "yesterday", "overnight", "last night": day offsets from ``params.offsets``."""
    key = " ".join(match.group(0).lower().split())
    key = re.sub(r"^the\s+", "", key)
    offsets = params["offsets"].get(key)
    if offsets is None:
        return None
    if ctx.published is None:
        return None, None
    return ctx.published + timedelta(days=int(offsets[0])), ctx.published + timedelta(days=int(offsets[1]))


def weekday(ctx: Context, match: re.Match[str], params: Params) -> Span | None:
    """ "Friday" / "on Friday": the latest Friday on or before the publication date; "last
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
    """ "Friday the 22nd": the latest 22nd of a month on or before the publication date."""
    number = ctx.ordinal(group(match, "dom"))
    if not number or not 1 <= number <= 31:
        return None
    if ctx.published is None:
        return None, None
    month_start = ctx.published.replace(day=1)
    for back in range(3):
        first = add_months(month_start, -back)
        if number <= last_day(first.year, first.month).day and (day := first.replace(day=number)) <= ctx.published:
            return day, day
    return None


def weekend(ctx: Context, match: re.Match[str], params: Params) -> Span | None:
    """ "the weekend", "last weekend": the latest Saturday-Sunday that began on or before the
    publication date ("last weekend" on a weekend: the one before)."""
    if ctx.published is None:
        return None, None
    monday = week_start(ctx.published)
    rel = (group(match, "rel") or "").lower()
    in_weekend = ctx.published.weekday() >= 5 and rel not in params.get("previous_words", ())
    saturday = monday + timedelta(days=5) if in_weekend else monday - timedelta(days=2)
    return saturday, saturday + timedelta(days=1)
