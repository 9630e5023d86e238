"""The compiled period rules: frozen records built once by ``loader.load`` and shared by every
call of the finder (``PeriodRules`` and the rules, joins, dateline and examples it holds)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any

from claimtrack.transforms.periods.context import Anchor, Resolver, Vocab


@dataclass(frozen=True)
class Example:
    """An inline example: ``text`` published on ``published`` must yield a span with this
    role and these ends (and this exact text when ``span`` is given)."""

    text: str
    published: date | None
    role: str
    start: date | None
    end: date | None
    span: str | None = None


@dataclass(frozen=True)
class PeriodRule:
    """One compiled rule: the regex, the resolver it calls, its default role and marker policy."""

    id: str
    pattern: re.Pattern[str]
    trigger: frozenset[str] | None
    resolver: str
    fn: Resolver
    role: str
    markers: str
    params: Mapping[str, Any]
    examples: tuple[Example, ...]
    no_match: tuple[str, ...]


@dataclass(frozen=True)
class Joins:
    """How two adjacent time expressions join into one period: ``connector`` fills the gap
    ("to", "until", "-"); after a span starting with "between", ``after_between`` ("and");
    ``leading`` is a connector the second span already took as its role word ("till")."""

    connector: re.Pattern[str]
    after_between: re.Pattern[str]
    leading: re.Pattern[str]
    examples: tuple[Example, ...]


@dataclass(frozen=True)
class Dateline:
    """How ``find_dateline`` looks for a publication date in the first ``window`` characters."""

    window: int
    label: re.Pattern[str]
    pattern: re.Pattern[str]
    examples: tuple[tuple[str, date | None], ...]


@dataclass(frozen=True, eq=False)
class PeriodRules:
    """The validated rule table. Immutable; build once with ``load_period_rules`` and share."""

    path: Path
    rules: tuple[PeriodRule, ...]
    vocab: Vocab
    anchors: Mapping[str, Anchor]
    war_start: date
    markers: re.Pattern[str]
    marker_actions: Mapping[str, str]
    marker_window: int
    prefilter: re.Pattern[str]
    trigger_patterns: Mapping[str, re.Pattern[str]]
    joins: Joins
    dateline: Dateline
    digit_passes: bool = False  # the prefilter's first alternative is \d: a text with a digit passes it
    by_trigger: Mapping[str, tuple[int, ...]] = field(init=False, repr=False)  # trigger word -> rule indexes
    untriggered: tuple[int, ...] = field(init=False, repr=False)  # the rules that run on every text

    def __post_init__(self) -> None:
        index: dict[str, list[int]] = {}
        for priority, rule in enumerate(self.rules):
            for word in rule.trigger or ():
                index.setdefault(word, []).append(priority)
        object.__setattr__(self, "by_trigger", MappingProxyType({w: tuple(found) for w, found in index.items()}))
        object.__setattr__(self, "untriggered", tuple(p for p, rule in enumerate(self.rules) if rule.trigger is None))
