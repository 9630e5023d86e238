"""What the period resolvers read: the publication date, the rule file's vocabularies and
named anchors (``Context``), plus small helpers shared by ``claimtrack.transforms.periods.resolvers`` and
``claimtrack.transforms.periods.relative``. Nothing here reads the clock.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from claimtrack.transforms.periods.dates import Parts, Span, add_months, parse_parts

Params = Mapping[str, Any]
Resolver = Callable[[Any, "re.Match[str]", Params], "Span | None"]


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
