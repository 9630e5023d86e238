"""Polite fetching: per-host concurrency and delay, robots.txt, retries honouring Retry-After.

``polite_fetch(url, settings)`` wraps ``claimtrack.ingest.http.fetch`` (which does one GET) with what a
crawler that runs for months against other people's sites owes them:

- at most ``host_concurrency`` requests in flight per host and at least ``host_delay`` seconds
  between the starts of two requests to the same host (per process);
- an identifying ``User-Agent`` and connect/read timeouts, on one shared client;
- robots.txt, fetched once per host (cached for ``robots_ttl`` seconds) over the same client and
  read with ``urllib.robotparser`` (RFC 9309: a 4xx robots.txt allows everything, a 5xx or an
  unreachable one disallows for now, which is a transient error);
- retries of timeouts, dropped connections, 429 and 5xx with exponential backoff, waiting at
  least what ``Retry-After`` asks (and giving up when it asks more than ``max_retry_after``);
- a cap on the response size and on the time one fetch may take (``deadline``);
- robots.txt and the host's turn for every redirect target too, not only the first URL.

Settings (``claimtrack.ingest.settings``) come from the ``[fetch]`` table of ``data/sources.toml``.
"""

from __future__ import annotations

import threading
import time
import urllib.robotparser
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from email.utils import parsedate_to_datetime
from functools import lru_cache, partial
from urllib.parse import urlsplit

import httpx

from claimtrack.ingest import http as fetching  # the one GET this module makes polite
from claimtrack.ingest.network import STOP
from claimtrack.ingest.settings import FetchSettings

ROBOTS_MAX_BYTES = 512 * 1024
DEFAULTS = FetchSettings()


class HostGate:
    """Per-host concurrency limit and minimum delay between request starts (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._next_start: dict[str, float] = {}

    @contextmanager
    def turn(self, host: str, concurrency: int, delay: float) -> Iterator[None]:
        """Hold one of ``host``'s ``concurrency`` slots, starting ``delay`` s after the last start."""
        with self._lock:
            slot = self._slots.setdefault(host, threading.BoundedSemaphore(max(1, concurrency)))
        with slot:
            with self._lock:
                now = time.monotonic()
                start = max(now, self._next_start.get(host, now))
                self._next_start[host] = start + delay
            if start > now:
                STOP.wait(start - now)  # returns at once when claimtrack is interrupted
            yield


GATE = HostGate()
_robots: dict[str, tuple[urllib.robotparser.RobotFileParser, float]] = {}
_robots_lock = threading.Lock()


def host_of(url: str) -> str:
    """Return ``scheme://host[:port]`` of ``url``, lower case (the unit of politeness)."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


@lru_cache(maxsize=8)
def client_for(settings: FetchSettings) -> fetching.Client:
    """The shared client of these settings (timeouts, User-Agent, address policy), kept for the process."""
    timeout = httpx.Timeout(settings.read_timeout, connect=settings.connect_timeout)
    return fetching.make_client(timeout, settings.user_agent, settings.allow_private_addresses, settings.allow_networks)


def robots_allow(url: str, settings: FetchSettings) -> bool:
    """Return whether ``host_of(url)``'s robots.txt lets ``settings.user_agent`` fetch ``url``.

    Raises a transient ``FetchError`` when robots.txt is unreachable or answers 5xx.
    """
    host = host_of(url)
    with _robots_lock:
        cached = _robots.get(host)
    if cached is None or time.monotonic() - cached[1] > settings.robots_ttl:
        cached = (_read_robots(host, settings), time.monotonic())
        with _robots_lock:
            _robots[host] = cached
    return cached[0].can_fetch(settings.user_agent, url)


def _read_robots(host: str, settings: FetchSettings) -> urllib.robotparser.RobotFileParser:
    """Fetch and parse ``host``/robots.txt (a 4xx answer allows everything)."""
    parser = urllib.robotparser.RobotFileParser(f"{host}/robots.txt")
    try:
        with GATE.turn(host, settings.host_concurrency, settings.host_delay):
            client, limit = client_for(settings), settings.deadline
            page = fetching.fetch(f"{host}/robots.txt", max_bytes=ROBOTS_MAX_BYTES, client=client, deadline=limit)
    except fetching.FetchError as exc:
        if exc.transient:
            raise fetching.FetchError(
                f"{host}/robots.txt",
                f"robots.txt unreachable ({exc.reason})",
                transient=True,
                retry_after=exc.retry_after,
            ) from exc
        parser.allow_all = True  # 4xx: no rules (RFC 9309, 2.3.1.3)
        return parser
    parser.parse(page.body.decode("utf-8", errors="replace").splitlines())
    return parser


def retry_delay(exc: fetching.FetchError, attempt: int, settings: FetchSettings) -> float:
    """Seconds to wait before retry number ``attempt + 1``: the exponential backoff, or longer
    when the server's ``Retry-After`` asks for it (seconds or an HTTP date)."""
    backoff = min(settings.max_backoff, settings.backoff * 2**attempt)
    return max(backoff, parse_retry_after(exc.retry_after) or 0.0)


def parse_retry_after(value: str | None) -> float | None:
    """Return the seconds a ``Retry-After`` header asks to wait, or None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def polite_fetch(
    url: str, settings: FetchSettings = DEFAULTS, headers: Mapping[str, str] | None = None
) -> fetching.Page:
    """GET ``url`` politely (see the module docstring), retrying transient errors.

    Returns the ``Page``; raises ``FetchError`` (``transient`` still set when the retries ran out).
    """
    if not url.lower().startswith(("http://", "https://")):
        raise fetching.FetchError(url, "only http(s) URLs can be fetched", transient=False)
    attempt = 0
    while True:
        try:
            return _attempt(url, settings, headers)
        except fetching.FetchError as exc:
            if not exc.transient or attempt >= settings.retries:
                raise
            delay = retry_delay(exc, attempt, settings)
            if delay > settings.max_retry_after:
                raise fetching.FetchError(
                    url, f"{exc.reason}; Retry-After {delay:.0f} s is longer than max_retry_after", transient=True
                ) from exc
            if STOP.wait(delay):
                raise fetching.FetchError(url, "interrupted", transient=False) from exc
            attempt += 1


def _attempt(url: str, settings: FetchSettings, headers: Mapping[str, str] | None) -> fetching.Page:
    """One attempt: one GET following redirects, each hop checked against robots.txt in its host's turn."""
    return fetching.fetch(
        url,
        max_bytes=settings.max_bytes,
        headers=headers,
        client=client_for(settings),
        deadline=settings.deadline,
        hop=partial(_hop, settings=settings),
    )


@contextmanager
def _hop(url: str, settings: FetchSettings) -> Iterator[None]:
    """Around the request of ``url`` (the first or a redirect target): its host's robots.txt must
    allow it (else a ``FetchError``), and it waits for that host's turn."""
    if settings.robots and not robots_allow(url, settings):
        raise fetching.FetchError(url, "disallowed by robots.txt", transient=False)
    with GATE.turn(host_of(url), settings.host_concurrency, settings.host_delay):
        if STOP.is_set():
            raise fetching.FetchError(url, "interrupted", transient=False)
        yield
