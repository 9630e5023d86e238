"""Named historical events as time spans ("World War II" -> 1939-09-01..1945-09-02).

The table lives in ``data/vocab/events.yaml``. A mention preceded by "since" is skipped: the
period rules read "since <date>" and an open start is not the event itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from claimtrack.transforms.model import TimeSpan
from claimtrack.transforms.rules import alternation, check_keys, data_file, fail, load_yaml

EVENT_KEYS = ["name", "aliases", "start", "end"]
WAR_KEYS = ["name", "start", "cues", "scope"]
WAR_MENTIONS = 3  # an article names its war at least this often
SINCE = re.compile(r"\b(?:since|after|before|until|after the end of|since the end of)\s+(?:the\s+)?$", re.IGNORECASE)


@dataclass(frozen=True)
class War:
    """A war an article can be about: its start, the words that name it (``cues``) and the
    phrases that put a count in it (``scope``: "the assault on Gaza")."""

    name: str
    start: date
    cues: re.Pattern[str]
    scope: re.Pattern[str]


@dataclass(frozen=True)
class Events:
    """Event mentions compiled into one regex; ``dates`` maps each alias to its event;
    ``wars`` are the wars an article's running totals may count from."""

    pattern: re.Pattern[str] | None
    dates: dict[str, tuple[str, date, date]]
    wars: tuple[War, ...] = ()


def _event(path: Path, index: int, entry: object) -> tuple[str, list[str], date, date]:
    """Validate one event entry; return (name, aliases, start, end)."""
    table = check_keys(path, f"events[{index}]", entry, EVENT_KEYS, EVENT_KEYS)
    name, start, end = str(table["name"]), table["start"], table["end"]
    if not isinstance(start, date) or not isinstance(end, date) or end < start:
        raise fail(path, name, "start and end must be ISO dates with start <= end", "write YYYY-MM-DD")
    return name, [str(a) for a in table["aliases"]], start, end


def _war(path: Path, index: int, entry: object) -> War:
    """Validate one ``wars`` entry."""
    table = check_keys(path, f"wars[{index}]", entry, WAR_KEYS, WAR_KEYS)
    name, start = str(table["name"]), table["start"]
    if not isinstance(start, date):
        raise fail(path, name, "start must be an ISO date", "write YYYY-MM-DD")
    cues, scope = (
        re.compile(r"(?<!\w)" + alternation(path, f"{name}.{key}", [str(w) for w in table[key]]) + r"(?!\w)", re.I)
        for key in ("cues", "scope")
    )
    return War(name, start, cues, scope)


@lru_cache(maxsize=4)
def load_events(path: Path | None = None) -> Events:
    """Load and validate ``data/vocab/events.yaml`` (or ``path``)."""
    path = path or data_file("vocab", "events.yaml")
    table = check_keys(path, None, load_yaml(path), ["version", "events", "wars", "examples"], ["events"])
    dates: dict[str, tuple[str, date, date]] = {}
    for index, entry in enumerate(table["events"] or []):
        name, aliases, start, end = _event(path, index, entry)
        dates.update({alias.lower(): (name, start, end) for alias in aliases})
    wars = tuple(_war(path, index, entry) for index, entry in enumerate(table.get("wars") or []))
    if not dates:
        return Events(None, {}, wars)
    body = alternation(path, "events", list(dates))
    return Events(re.compile(r"(?<!\w)" + body + r"(?!\w)", re.IGNORECASE), dates, wars)


def article_war(text: str, published: date | None, events: Events) -> War | None:
    """The war an article is about: of the wars begun by ``published``, the one its text names
    most, at least ``WAR_MENTIONS`` times (the latest begun on a tie: the full-scale invasion
    over the Donbas war); None when no war is clear."""
    counts = [
        (len(war.cues.findall(text)), war.start, war)
        for war in events.wars
        if published is None or war.start <= published
    ]
    best = max(counts, key=lambda c: (c[0], c[1]), default=None)
    return best[2] if best and best[0] >= WAR_MENTIONS else None


def find_event_spans(text: str, events: Events) -> list[TimeSpan]:
    """Every named event in ``text`` as a ``period`` time span (not after "since")."""
    if events.pattern is None:
        return []
    spans = []
    for match in events.pattern.finditer(text):
        if SINCE.search(text, 0, match.start()):
            continue
        _, start, end = events.dates[match.group(0).lower()]
        spans.append(TimeSpan(match.start(), match.end(), match.group(0), "period", start, end))
    return spans


def event_name(text: str, events: Events) -> str | None:
    """The name of the first event ``text`` mentions (not after "since"), or None."""
    spans = find_event_spans(text, events)
    return events.dates[spans[0].text.lower()][0] if spans else None
