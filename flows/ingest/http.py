"""The one HTTP client of claimtrack (``ingest.http``): fetch a URL with httpx, read RSS/Atom feeds.

``fetch`` returns the bytes of one http(s) response or raises ``FetchError`` saying whether a
retry could help (timeouts, dropped connections, 429 and 5xx) or not (404, wrong scheme, too
large). ``parse_feed`` turns feed bytes into items (link, title, date) with feedparser; it never
hands feedparser a string, which it would treat as a URL or a path to open.
"""

from __future__ import annotations

import calendar
import re
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from xml.sax import SAXParseException

import feedparser
import httpx

USER_AGENT = "claimtrack/0.1 (news statistics tracker; +https://pypi.org/project/claimtrack/)"
TIMEOUT = httpx.Timeout(20.0, connect=10.0)
MAX_BYTES = 20 * 1024 * 1024
MAX_REDIRECTS = 5
FEED_MEDIA = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")
FEED_ROOTS = (b"<rss", b"<feed", b"<rdf:rdf")
MAX_FEED_ITEMS = 1000  # items read from one feed; the rest are reported, not fetched
ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)


class FetchError(RuntimeError):
    """A URL could not be fetched. ``transient`` says whether retrying later may succeed."""

    def __init__(self, url: str, reason: str, transient: bool, retry_after: str | None = None) -> None:
        super().__init__(reason)
        self.url = url
        self.reason = reason
        self.transient = transient
        self.retry_after = retry_after  # the response's Retry-After header, if any


class FeedError(ValueError):
    """The bytes are not an RSS/Atom feed."""


@dataclass(frozen=True)
class Page:
    """One fetched response: where it ended up after redirects, its type and its body.

    ``status`` 304 (not modified, after a conditional request) comes with an empty body;
    ``etag``/``last_modified`` are the validators to send next time.
    """

    url: str
    final_url: str
    status: int
    content_type: str
    body: bytes
    fetched: datetime
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class FeedItem:
    """One feed entry: the article link, and the title and date the feed gives for it."""

    link: str
    title: str | None
    published: date | None


def fetch(
    url: str,
    timeout: httpx.Timeout | float = TIMEOUT,
    max_bytes: int = MAX_BYTES,
    headers: Mapping[str, str] | None = None,
    client: httpx.Client | None = None,
) -> Page:
    """GET ``url`` (http or https only), following up to ``MAX_REDIRECTS`` redirects.

    ``headers`` are sent with the request (e.g. ``If-None-Match``); ``client`` is used instead
    of a new one (its own timeout and headers then apply). Returns the ``Page`` (status 304 with
    an empty body when not modified); raises ``FetchError`` on any failure, ``transient`` set
    for errors worth retrying.
    """
    if not url.lower().startswith(("http://", "https://")):
        raise FetchError(url, "only http(s) URLs can be fetched", transient=False)
    try:
        if client is not None:
            return _get(client, url, max_bytes, headers)
        with make_client(timeout) as own:
            return _get(own, url, max_bytes, headers)
    except httpx.TooManyRedirects as exc:
        raise FetchError(url, f"more than {MAX_REDIRECTS} redirects", transient=False) from exc
    except httpx.UnsupportedProtocol as exc:
        raise FetchError(url, f"redirected to an unsupported URL ({exc})", transient=False) from exc
    except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as exc:
        raise FetchError(url, f"{type(exc).__name__}: {exc or 'no details'}", transient=True) from exc
    except httpx.HTTPError as exc:
        raise FetchError(url, f"{type(exc).__name__}: {exc}", transient=False) from exc


def make_client(timeout: httpx.Timeout | float = TIMEOUT, user_agent: str = USER_AGENT) -> httpx.Client:
    """Return an httpx client that follows up to ``MAX_REDIRECTS`` redirects and identifies itself."""
    return httpx.Client(
        timeout=timeout, follow_redirects=True, max_redirects=MAX_REDIRECTS, headers={"User-Agent": user_agent}
    )


def _get(client: httpx.Client, url: str, max_bytes: int, headers: Mapping[str, str] | None) -> Page:
    """One GET with ``client``: the ``Page``, or ``FetchError`` for a non-2xx status (304 excepted)."""
    with client.stream("GET", url, headers=headers) as response:
        if response.status_code != 304:
            _check_status(url, response)
        body = b"" if response.status_code == 304 else _read_capped(url, response, max_bytes)
        return Page(
            url=url,
            final_url=str(response.url),
            status=response.status_code,
            content_type=response.headers.get("content-type", ""),
            body=body,
            fetched=datetime.now(UTC),
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
        )


def _check_status(url: str, response: httpx.Response) -> None:
    """Raise ``FetchError`` for a non-2xx status (transient for 408, 429 and 5xx)."""
    status = response.status_code
    if 200 <= status < 300:
        return
    transient = status in (408, 425, 429) or status >= 500
    raise FetchError(
        url,
        f"HTTP {status} {response.reason_phrase}".strip(),
        transient=transient,
        retry_after=response.headers.get("retry-after"),
    )


def _read_capped(url: str, response: httpx.Response, max_bytes: int) -> bytes:
    """Read the body, refusing more than ``max_bytes`` (declared, or counted after decompression).

    gzip and deflate bodies are inflated here, never more than ``max_bytes + 1`` bytes, so a
    small compressed bomb cannot allocate gigabytes.
    """
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and "content-encoding" not in response.headers and int(declared) > max_bytes:
        raise FetchError(
            url, f"response larger than {max_bytes:,} bytes (it declares {int(declared):,})", transient=False
        )
    encoding = response.headers.get("content-encoding", "").strip().lower()
    stream = (
        _inflate(url, response.iter_raw(), max_bytes + 1)
        if encoding in ("gzip", "x-gzip", "deflate")
        else response.iter_bytes()
    )
    chunks, size = [], 0
    for chunk in stream:
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(url, f"response larger than {max_bytes:,} bytes", transient=False)
        chunks.append(chunk)
    return b"".join(chunks)


def _inflate(url: str, raw: Iterator[bytes], limit: int) -> Iterator[bytes]:
    """Inflate a gzip or zlib stream chunk by chunk, yielding at most ``limit`` bytes in all."""
    inflater, produced = zlib.decompressobj(zlib.MAX_WBITS | 32), 0
    try:
        for data in raw:
            while data and produced < limit:
                out = inflater.decompress(data, limit - produced)
                produced += len(out)
                yield out
                data = inflater.unconsumed_tail
            if produced >= limit:
                return
    except zlib.error as exc:
        raise FetchError(url, f"compressed body is corrupt ({exc})", transient=False) from exc


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
