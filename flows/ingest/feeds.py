"""RSS/Atom feeds (``ingest.feeds``): tell a feed from a page, read its items.

``parse_feed`` turns feed bytes into items (link, title, date) with feedparser; it never hands
feedparser a string, which it would treat as a URL or a path to open, and refuses feeds that
declare XML entities.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from xml.sax import SAXParseException

import feedparser

FEED_MEDIA = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")
FEED_ROOTS = (b"<rss", b"<feed", b"<rdf:rdf")
MAX_FEED_ITEMS = 1000  # items read from one feed; the rest are reported, not fetched
ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)


class FeedError(ValueError):
    """The bytes are not an RSS/Atom feed."""


@dataclass(frozen=True)
class FeedItem:
    """One feed entry: the article link, and the title and date the feed gives for it."""

    link: str
    title: str | None
    published: date | None


def looks_like_feed(body: bytes, content_type: str = "") -> bool:
    """Return True when the response is an RSS/Atom feed rather than a page (type or first bytes)."""
    if content_type.split(";")[0].strip().lower() in FEED_MEDIA:
        return True
    head = body[:4096].lower()
    first = min((i for root in FEED_ROOTS if (i := head.find(root)) >= 0), default=-1)
    page = min((i for tag in (b"<html", b"<!doctype html") if (i := head.find(tag)) >= 0), default=-1)
    return first >= 0 and (page < 0 or first < page)


def parse_feed(body: bytes) -> tuple[list[FeedItem], list[tuple[str, str]]]:
    """Parse feed bytes into items with absolute http(s) links.

    Returns ``(items, refused)``; ``refused`` lists ``(link, reason)`` for entries whose link is
    missing, relative or not http(s), one entry for the items past ``MAX_FEED_ITEMS`` and one
    when the XML is malformed (read in recovery mode). Raises ``FeedError`` when the bytes hold
    no feed, or declare XML entities (entity-expansion bombs, external entities reading files).
    """
    root = min((i for r in FEED_ROOTS if (i := body.find(r)) >= 0), default=len(body))
    if ENTITY_DECL.search(body, 0, root):
        raise FeedError(
            "the feed declares XML entities in its DOCTYPE (entity expansion or external files); refused unread"
        )
    parsed = feedparser.parse(body)
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception") or "no RSS or Atom elements"
        raise FeedError(f"not an RSS/Atom feed ({reason})")
    items, refused = [], _feed_problems(parsed)
    for entry in parsed.entries[:MAX_FEED_ITEMS]:
        link = (entry.get("link") or "").strip()
        if not link.lower().startswith(("http://", "https://")):
            where = link or f"entry '{entry.get('title', '?')}'"
            refused.append((where, "feed item link is not an absolute http(s) URL"))
            continue
        items.append(FeedItem(link=link, title=entry.get("title") or None, published=_entry_date(entry)))
    return items, refused


def _feed_problems(parsed: Any) -> list[tuple[str, str]]:
    """Return ``(where, reason)`` for malformed XML and for the items past ``MAX_FEED_ITEMS``."""
    problems = []
    if isinstance(parsed.get("bozo_exception"), SAXParseException):
        problems.append(("(feed XML)", f"malformed XML ({parsed.bozo_exception}); items read in recovery mode"))
    extra = len(parsed.entries) - MAX_FEED_ITEMS
    if extra > 0:
        problems.append(
            (
                f"(items {MAX_FEED_ITEMS + 1:,}-{len(parsed.entries):,})",
                f"feed has {len(parsed.entries):,} items; only the first {MAX_FEED_ITEMS:,} are read",
            )
        )
    return problems


def _entry_date(entry: Any) -> date | None:
    """Return the entry's published (else updated) date as the feed writes it (its own calendar
    date, not converted to UTC: "Mon, 04 Nov 2024 01:00:00 +0200" is 2024-11-04), else in UTC
    when feedparser alone reads the stamp, or None."""
    for key in ("published", "updated"):
        if stamp := _stated_date(entry.get(key) or ""):
            return stamp
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return datetime.fromtimestamp(calendar.timegm(parsed), UTC).date() if parsed else None


def _stated_date(value: str) -> date | None:
    """The calendar date of an RFC 822 (RSS) or ISO 8601 (Atom) stamp as written, else None."""
    try:
        return datetime.fromisoformat(value.strip()).date()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError):
        return None
