"""Calendar arithmetic and date-part parsing for ``claimtrack.transforms.periods.find``.

Pure functions over ``datetime.date``; nothing here reads the clock. ``parse_parts`` reads
the text of a date expression already found by a rule ("March 3, 2024", "24.02", "3rd of
Sept", "2019-sep-1") into its stated parts, with the month and number tables of the rule file.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta

Span = tuple[date | None, date | None]

ISO_YMD = re.compile(r"(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})")
NUM_3 = re.compile(r"(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})")
NUM_MDY_COMMA = re.compile(r"(\d{1,2})/(\d{1,2}),\s*(\d{4}|\d{2})")
NUM_2 = re.compile(r"(\d{1,2})([./])(\d{1,2})")
NUM_YM = re.compile(r"(\d{4})\s*[-/.]\s*(\d{1,2})")
NUM_MY = re.compile(r"(\d{1,2})\s*[-/]\s*(\d{4})")
TOKEN = re.compile(r"'\d{2}\b|\d+(?:st|nd|rd|th)?|[a-z]+")


@dataclass(frozen=True)
class Parts:
    """The parts a date expression states: any of year, month, day (``None`` = not stated)."""

    year: int | None = None
    month: int | None = None
    day: int | None = None


def last_day(year: int, month: int) -> date:
    """Return the last day of ``month`` in ``year``."""
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: date, months: int) -> date:
    """Return ``day`` moved by ``months`` calendar months, clamping the day of month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if not 1 <= year <= 9999:
        raise OverflowError("date out of range")
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def month_span(year: int, month: int) -> tuple[date, date]:
    """Return the first and last day of a month."""
    return date(year, month, 1), last_day(year, month)


def year_span(year: int) -> tuple[date, date]:
    """Return January 1 and December 31 of ``year``."""
    return date(year, 1, 1), date(year, 12, 31)


def quarter_span(year: int, quarter: int) -> tuple[date, date]:
    """Return the bounds of calendar quarter ``quarter`` (1-4) of ``year``."""
    first = 3 * (quarter - 1) + 1
    return date(year, first, 1), last_day(year, first + 2)


def week_start(day: date) -> date:
    """Return the Monday of the ISO week holding ``day``."""
    return day - timedelta(days=day.weekday())


def two_digit_year(value: int) -> int:
    """Expand a two-digit year: 00-49 -> 2000s, 50-99 -> 1900s."""
    return 2000 + value if value < 50 else 1900 + value


def valid(parts: Parts) -> bool:
    """Tell whether the stated parts can form a real date (Feb 29 needs a leap year if given)."""
    if parts.month is not None and not 1 <= parts.month <= 12:
        return False
    if parts.year is not None and not 1 <= parts.year <= 9999:
        return False
    if parts.day is None:
        return True
    if parts.month is None:
        return 1 <= parts.day <= 31
    year = parts.year if parts.year is not None else 2000
    return 1 <= parts.day <= calendar.monthrange(year, parts.month)[1]


def _numeric(text: str) -> Parts | None:
    """Parse an all-numeric date: ISO, d.m.y (day first), m/d/y (month first unless > 12)."""
    if m := ISO_YMD.fullmatch(text):
        return Parts(int(m[1]), int(m[2]), int(m[3]))
    if m := NUM_MDY_COMMA.fullmatch(text):
        return _order(int(m[1]), int(m[2]), "/", _year(m[3]))
    if m := NUM_3.fullmatch(text):
        return _order(int(m[1]), int(m[3]), m[2], _year(m[4]))
    if m := NUM_YM.fullmatch(text):
        return Parts(int(m[1]), int(m[2]))
    if m := NUM_MY.fullmatch(text):
        return Parts(int(m[2]), int(m[1]))
    if m := NUM_2.fullmatch(text):
        return _order(int(m[1]), int(m[3]), m[2], None)
    return None


def _year(text: str) -> int:
    return int(text) if len(text) == 4 else two_digit_year(int(text))


def _order(first: int, second: int, sep: str, year: int | None) -> Parts:
    """Day-first for ``.``, month-first for ``/`` and ``-``; swap when a field exceeds 12."""
    day_first = sep == "." if first <= 12 and second <= 12 else first > 12
    return Parts(year, second, first) if day_first else Parts(year, first, second)


def parse_parts(text: str, months: Mapping[str, int], numbers: Mapping[str, int]) -> Parts | None:
    """Read the stated year, month and day of a date expression, or ``None`` when unreadable.

    ``months`` maps lower-case month names to 1-12; ``numbers`` maps lower-case number and
    ordinal words ("first", "twenty", "one") to values. Weekday names and filler words are
    ignored. "August 99" reads 99 as a two-digit year (no day above 31).
    """
    clean = text.strip().lower().replace("’", "'")
    numeric = _numeric(re.sub(r"\s+", "", clean)) if not re.search(r"[a-z]", clean) else None
    if numeric is not None:
        return numeric if valid(numeric) else None
    parts = _tokens(clean, months, numbers)
    if parts is None or parts == Parts() or not valid(parts):
        return None
    return parts


def _tokens(text: str, months: Mapping[str, int], numbers: Mapping[str, int]) -> Parts | None:
    """Token-wise reading of a date with a month name or number words."""
    parts = Parts()
    pending_words = 0
    for token in TOKEN.findall(text):
        if token in months and parts.month is None:
            parts = replace(parts, month=months[token])
        elif token in numbers:
            pending_words += numbers[token]
        elif token[0] == "'" or token[0].isdigit():
            updated = _number_token(parts, token)
            if updated is None:
                return None
            parts = updated
    if pending_words:
        parts = replace(parts, day=pending_words) if parts.day is None else parts
    return parts


def _number_token(parts: Parts, token: str) -> Parts | None:
    """Assign a digit token to year or day."""
    digits = re.sub(r"\D", "", token)
    value = int(digits)
    if token[0] == "'" or len(digits) == 4:
        year = value if len(digits) == 4 else two_digit_year(value)
        return replace(parts, year=year) if parts.year is None else parts
    if parts.day is None and 1 <= value <= 31:
        return replace(parts, day=value)
    if parts.year is None and parts.month is not None and len(digits) == 2:
        return replace(parts, year=two_digit_year(value))
    return None


def precision_span(parts: Parts, year: int) -> tuple[date, date]:
    """Return the first and last day covered by ``parts`` in ``year`` (day, month or year)."""
    if parts.month is None:
        return year_span(year)
    if parts.day is None:
        return month_span(year, parts.month)
    day = date(year, parts.month, parts.day)
    return day, day


def resolve_year(parts: Parts, published: date | None) -> int | None:
    """Return the stated year, else the publication year, or the year before it when the
    expression would otherwise start after the publication date (past preferred)."""
    if parts.year is not None:
        return parts.year
    if published is None or parts.month is None:
        return None
    if parts.day is not None and parts.month == 2 and parts.day == 29:
        year = published.year
        while not calendar.isleap(year) or precision_span(parts, year)[0] > published:
            year -= 1
        return year
    start = precision_span(parts, published.year)[0]
    return published.year if start <= published else published.year - 1


def parts_span(parts: Parts, published: date | None) -> Span:
    """Resolve ``parts`` to their first and last day (``(None, None)`` when the year is unknown)."""
    year = resolve_year(parts, published)
    if year is None:
        return None, None
    return precision_span(parts, year)


def most_recent_weekday(published: date, weekday: int, strictly_before: bool = False) -> date:
    """Return the latest date with ``weekday`` (0 = Monday) on or before ``published``."""
    delta = (published.weekday() - weekday) % 7
    if strictly_before and delta == 0:
        delta = 7
    return published - timedelta(days=delta)


def inherit_range(first: Parts, second: Parts) -> tuple[Parts, Parts]:
    """Fill the parts one end of a range leaves out from the other end.

    "4 to 22 January 1995": the first end takes month and year; "November 19-20": the second
    end takes the month. A range that crosses the new year ("10/25 to 01/25") puts the first
    end in the year before.
    """
    if first.month is None and first.day is not None:
        first = replace(first, month=second.month)
    if second.month is None and second.day is not None:
        second = replace(second, month=first.month)
    if first.year is None and second.year is not None:
        crosses = (first.month or 1) > (second.month or 12)
        first = replace(first, year=second.year - 1 if crosses else second.year)
    if second.year is None and first.year is not None:
        crosses = (second.month or 12) < (first.month or 1)
        second = replace(second, year=first.year + 1 if crosses else first.year)
    return first, second


def range_span(first: Parts, second: Parts, published: date | None) -> Span | None:
    """Resolve a two-ended range to (first day of ``first``, last day of ``second``).

    Year-less ranges take the publication year for their end (the start a year earlier when
    the range crosses the new year), shifted a year back when the start would fall after the
    publication date. Returns ``None`` when the ends are out of order.
    """
    first, second = inherit_range(first, second)
    if first.year is None or second.year is None:
        if published is None or first.month is None or second.month is None:
            return None, None
        crosses = first.month > second.month
        second = replace(second, year=published.year)
        first = replace(first, year=published.year - 1 if crosses else published.year)
        if valid(first) and precision_span(first, first.year or 0)[0] > published:
            first, second = replace(first, year=(first.year or 0) - 1), replace(second, year=published.year - 1)
    if not (valid(first) and valid(second)):
        return None
    start = precision_span(first, first.year or 0)[0]
    end = precision_span(second, second.year or 0)[1]
    return (start, end) if start <= end else None
