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
- a cap on the response size.

Settings come from the ``[fetch]`` table of ``data/sources.toml`` (``load_fetch_settings``).
"""

from __future__ import annotations

import threading
import time
import tomllib
import urllib.robotparser
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from email.utils import parsedate_to_datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from claimtrack.ingest import http as fetching  # the one GET this module makes polite

ROBOTS_MAX_BYTES = 512 * 1024


@dataclass(frozen=True)
class FetchSettings:
    """How politely to fetch; every field can be set in the ``[fetch]`` table of sources.toml."""

    user_agent: str = fetching.USER_AGENT
    connect_timeout: float = 10.0  # seconds to open a connection
    read_timeout: float = 20.0  # seconds to wait for each read
    retries: int = 3  # retries of transient errors (timeouts, 429, 5xx)
    backoff: float = 1.0  # seconds before the first retry; doubles each time
    max_backoff: float = 60.0  # cap of one backoff wait
    max_retry_after: float = 300.0  # a longer Retry-After gives up (the next run tries again)
    max_bytes: int = fetching.MAX_BYTES
    host_concurrency: int = 2  # requests in flight per host
    host_delay: float = 1.0  # seconds between the starts of two requests to one host
    robots: bool = True  # respect robots.txt
    robots_ttl: float = 3600.0  # seconds a host's robots.txt is reused

    def with_overrides(self, overrides: Mapping[str, Any] | None) -> FetchSettings:
        """Return a copy with ``overrides`` (field name -> value) applied; unknown names raise."""
        if not overrides:
            return self
        unknown = sorted(set(overrides) - {f.name for f in fields(self)})
        if unknown:
            known = ", ".join(f.name for f in fields(self))
            raise ValueError(f"unknown fetch setting(s) {', '.join(unknown)}; use {known}")
        return replace(self, **dict(overrides))


class FetchSettingsError(ValueError):
    """The ``[fetch]`` table is malformed; the message names the file, the key and the fix."""


def load_fetch_settings(path: Path) -> FetchSettings:
    """Return the settings of ``path``'s ``[fetch]`` table (defaults when absent or no file).

    Raises ``FetchSettingsError`` for unknown keys or values of the wrong type.
    """
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8")).get("fetch", {})
    except FileNotFoundError:
        return FetchSettings()
    except tomllib.TOMLDecodeError as exc:
        raise FetchSettingsError(f"{path}: not valid TOML ({exc}); fix the syntax") from exc
    defaults = FetchSettings()
    try:
        settings = defaults.with_overrides(table)
    except (ValueError, TypeError) as exc:
        raise FetchSettingsError(f"{path}: [fetch]: {exc}") from exc
    for f in fields(settings):
        value, default = getattr(settings, f.name), getattr(defaults, f.name)
        if not isinstance(value, type(default)) and not (isinstance(default, float) and isinstance(value, int)):
            raise FetchSettingsError(f"{path}: [fetch] {f.name} = {value!r}: expected a {type(default).__name__}")
    return settings


def settings_for(
    sources_file: Path,
    retries: int | None = None,
    backoff: float | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> FetchSettings:
    """The settings of a run: ``sources_file``'s ``[fetch]`` table, then ``overrides`` (field ->
    value), then ``retries``/``backoff`` when given (the ``run`` options)."""
    settings = load_fetch_settings(sources_file).with_overrides(overrides)
    given = {"retries": retries, "backoff": backoff}
    return settings.with_overrides({k: v for k, v in given.items() if v is not None})


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
                time.sleep(start - now)
            yield


GATE = HostGate()
_robots: dict[str, tuple[urllib.robotparser.RobotFileParser, float]] = {}
_robots_lock = threading.Lock()


def host_of(url: str) -> str:
    """Return ``scheme://host[:port]`` of ``url``, lower case (the unit of politeness)."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


@lru_cache(maxsize=8)
def client_for(settings: FetchSettings) -> httpx.Client:
    """The shared client of these settings (timeouts, User-Agent), kept for the process."""
    timeout = httpx.Timeout(settings.read_timeout, connect=settings.connect_timeout)
    return fetching.make_client(timeout, settings.user_agent)


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
            page = fetching.fetch(f"{host}/robots.txt", max_bytes=ROBOTS_MAX_BYTES, client=client_for(settings))
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
    url: str, settings: FetchSettings = FetchSettings(), headers: Mapping[str, str] | None = None
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
            time.sleep(delay)
            attempt += 1


def _attempt(url: str, settings: FetchSettings, headers: Mapping[str, str] | None) -> fetching.Page:
    """One attempt: robots.txt check, then one GET in the host's turn."""
    if settings.robots and not robots_allow(url, settings):
        raise fetching.FetchError(url, "disallowed by robots.txt", transient=False)
    with GATE.turn(host_of(url), settings.host_concurrency, settings.host_delay):
        return fetching.fetch(url, max_bytes=settings.max_bytes, headers=headers, client=client_for(settings))
