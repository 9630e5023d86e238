"""The one HTTP client of claimtrack (``ingest.http``): fetch a URL safely.

``fetch`` returns the bytes of one http(s) response or raises ``FetchError`` saying whether a
retry could help (timeouts, dropped connections, 429 and 5xx) or not (404, wrong scheme, too
large, an address inside the user's network, past the deadline). It follows redirects itself, so
each hop is checked like the first (``hop``), connects only to vetted addresses
(``claimtrack.ingest.network``) and bounds a fetch's size and total time, however slowly a
server sends. Feeds are read by ``claimtrack.ingest.feeds``.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from http import HTTPStatus

import httpcore
import httpx

from claimtrack.ingest.network import STOP, AddressRefused, VettingBackend, deadline

USER_AGENT = "claimtrack/0.1 (news statistics tracker; +https://pypi.org/project/claimtrack/)"
TIMEOUT = httpx.Timeout(20.0, connect=10.0)
MAX_BYTES = 20 * 1024 * 1024
MAX_REDIRECTS = 5
REDIRECTS = frozenset({301, 302, 303, 307, 308})
DEADLINE = 60.0  # seconds one fetch may take in all: every redirect and the whole body


class FetchError(RuntimeError):
    """A URL could not be fetched. ``transient`` says whether retrying later may succeed."""

    def __init__(self, url: str, reason: str, transient: bool, retry_after: str | None = None) -> None:
        super().__init__(reason)
        self.url = url
        self.reason = reason
        self.transient = transient
        self.retry_after = retry_after  # the response's Retry-After header, if any


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


Hop = Callable[[str], AbstractContextManager[object]]


class Client:
    """A connection pool that connects only to vetted addresses (``claimtrack.ingest.network``),
    with the timeouts and the User-Agent of its requests. Thread-safe; close it when done."""

    def __init__(
        self,
        timeout: httpx.Timeout | float = TIMEOUT,
        user_agent: str = USER_AGENT,
        allow_private: bool = False,
        networks: Iterable[str] = (),
    ) -> None:
        self.timeout = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
        self.user_agent = user_agent
        self.pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=100,
            max_keepalive_connections=20,
            keepalive_expiry=5.0,
            network_backend=VettingBackend(allow_private, networks),
        )

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close every pooled connection."""
        self.pool.close()


def make_client(
    timeout: httpx.Timeout | float = TIMEOUT,
    user_agent: str = USER_AGENT,
    allow_private: bool = False,
    networks: Iterable[str] = (),
) -> Client:
    """Return a ``Client`` that identifies itself as ``user_agent`` and refuses private
    addresses unless ``allow_private`` or in one of ``networks`` (CIDR strings)."""
    return Client(timeout, user_agent, allow_private, networks)


@dataclass
class Budget:
    """The wall-clock ``seconds`` one fetch may take, counted only while it requests or reads."""

    seconds: float
    spent: float = 0.0
    since: float | None = None

    @contextmanager
    def running(self) -> Iterator[None]:
        self.since = time.monotonic()
        try:
            yield
        finally:
            self.spent += time.monotonic() - self.since
            self.since = None

    def left(self) -> float:
        """Seconds left (negative once the deadline has passed)."""
        running = time.monotonic() - self.since if self.since is not None else 0.0
        return self.seconds - self.spent - running

    def check(self, url: str) -> None:
        """Raise a ``FetchError`` for ``url`` once the deadline has passed."""
        if self.left() <= 0:
            raise self.passed(url)

    def passed(self, url: str) -> FetchError:
        return FetchError(url, f"took longer than the fetch deadline of {self.seconds:g} s", transient=False)


def fetch(
    url: str,
    timeout: httpx.Timeout | float = TIMEOUT,
    max_bytes: int = MAX_BYTES,
    headers: Mapping[str, str] | None = None,
    client: Client | None = None,
    *,
    allow_private: bool = False,
    networks: Iterable[str] = (),
    deadline: float = DEADLINE,
    hop: Hop | None = None,
) -> Page:
    """GET ``url`` (http or https only), following up to ``MAX_REDIRECTS`` redirects itself.

    Every connection goes to an address ``claimtrack.ingest.network`` allows (loopback,
    private, link-local ... only with ``allow_private`` or in ``networks``). ``headers`` are sent with the request
    (e.g. ``If-None-Match``); ``client`` is used instead of a new one (its own timeout, User-Agent
    and address policy then apply). The whole fetch, redirects and body included, may take
    ``deadline`` seconds. ``hop(url)``, when given, is entered around the request of each URL,
    redirect targets included (polite fetching checks robots.txt and takes the host's turn there).

    Returns the ``Page`` (status 304 with an empty body when not modified); raises ``FetchError``
    on any failure, ``transient`` set for errors worth retrying; a redirect target's failure
    says which URL it was.
    """
    if not is_http(url):
        raise FetchError(url, "only http(s) URLs can be fetched", transient=False)
    if STOP.is_set():
        raise FetchError(url, "interrupted", transient=False)
    if client is not None:
        return _follow(client, url, max_bytes, headers, Budget(deadline), hop)
    with make_client(timeout, allow_private=allow_private, networks=networks) as own:
        return _follow(own, url, max_bytes, headers, Budget(deadline), hop)


def is_http(url: str) -> bool:
    """Return True for an absolute http(s) URL."""
    return url.lower().startswith(("http://", "https://"))


def _follow(
    client: Client, url: str, max_bytes: int, headers: Mapping[str, str] | None, budget: Budget, hop: Hop | None
) -> Page:
    """Request ``url`` and each redirect target in turn; the final ``Page``."""
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        try:
            with hop(current) if hop else nullcontext(), budget.running():
                found = _request(client, current, max_bytes, headers, budget)
        except FetchError as exc:
            if current == url:
                raise
            raise FetchError(url, f"redirected to {current}: {exc.reason}", exc.transient, exc.retry_after) from exc
        if isinstance(found, Page):
            return replace(found, url=url)
        current = _redirect_target(url, current, found)
    raise FetchError(url, f"more than {MAX_REDIRECTS} redirects", transient=False)


def _redirect_target(url: str, current: str, location: str) -> str:
    """The absolute http(s) URL a redirect from ``current`` to ``location`` names."""
    try:
        target = str(httpx.URL(current).join(location))
    except (httpx.InvalidURL, ValueError) as exc:
        raise FetchError(url, f"redirected to an invalid URL ({location!r})", transient=False) from exc
    if not is_http(target):
        raise FetchError(url, f"redirected to an unsupported URL ({target})", transient=False)
    return target


def _request(client: Client, url: str, max_bytes: int, headers: Mapping[str, str] | None, budget: Budget) -> Page | str:
    """One GET of ``url``: the ``Page``, or the ``Location`` of a redirect. Raises ``FetchError``."""
    try:
        target = httpx.URL(url)
        where = httpcore.URL(scheme=target.raw_scheme, host=target.raw_host, port=target.port, target=target.raw_path)
        extensions = {"timeout": client.timeout.as_dict()}
        with (
            deadline(time.monotonic() + budget.left()),
            client.pool.stream(
                "GET", where, headers=_request_headers(client, target, headers), extensions=extensions
            ) as response,
        ):
            return _response(url, response, max_bytes, budget)
    except (AddressRefused, httpcore.TimeoutException, httpcore.NetworkError, httpcore.ProtocolError) as exc:
        raise _failure(url, exc, budget) from exc
    except (httpcore.UnsupportedProtocol, httpx.InvalidURL) as exc:
        raise FetchError(url, f"{type(exc).__name__}: {exc}", transient=False) from exc


def _failure(url: str, exc: Exception, budget: Budget) -> FetchError:
    """The ``FetchError`` of a refused address, a timeout, a network or a protocol error."""
    if isinstance(exc, AddressRefused):
        return FetchError(url, str(exc), transient=False)
    if STOP.is_set():
        return FetchError(url, "interrupted", transient=False)
    if isinstance(exc, httpcore.TimeoutException) and budget.left() <= 0:
        return budget.passed(url)
    transient = not isinstance(exc, httpcore.LocalProtocolError)
    return FetchError(url, f"{type(exc).__name__}: {exc or 'no details'}", transient=transient)


def _request_headers(client: Client, target: httpx.URL, extra: Mapping[str, str] | None) -> list[tuple[bytes, bytes]]:
    """Host, User-Agent, Accept-Encoding (the codings ``_read_capped`` inflates) and ``extra``."""
    given = {"Host": target.netloc.decode("ascii"), "User-Agent": client.user_agent, "Accept": "*/*"}
    given |= {"Accept-Encoding": "gzip, deflate", **(extra or {})}
    return [(name.encode("ascii"), value.encode("latin-1")) for name, value in given.items()]


def _response(url: str, response: httpcore.Response, max_bytes: int, budget: Budget) -> Page | str:
    """Turn one response into a ``Page`` (2xx, 304) or a redirect's ``Location``; else raise."""
    status, headers = response.status, httpx.Headers(response.headers)
    if status in REDIRECTS and headers.get("location"):
        return str(headers["location"])
    if status != 304:
        _check_status(url, status, headers)
    body = b"" if status == 304 else _read_capped(url, response, headers, max_bytes, budget)
    return Page(
        url=url,
        final_url=url,
        status=status,
        content_type=headers.get("content-type", ""),
        body=body,
        fetched=datetime.now(UTC),
        etag=headers.get("etag"),
        last_modified=headers.get("last-modified"),
    )


def _check_status(url: str, status: int, headers: httpx.Headers) -> None:
    """Raise ``FetchError`` for a non-2xx status (transient for 408, 425, 429 and 5xx)."""
    if 200 <= status < 300:
        return
    transient = status in (408, 425, 429) or status >= 500
    raise FetchError(
        url, f"HTTP {status} {_phrase(status)}".strip(), transient=transient, retry_after=headers.get("retry-after")
    )


def _phrase(status: int) -> str:
    """The standard reason phrase of ``status`` (never the server's own text)."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _read_capped(
    url: str, response: httpcore.Response, headers: httpx.Headers, max_bytes: int, budget: Budget
) -> bytes:
    """Read the body, refusing more than ``max_bytes`` (declared, or counted after decompression)
    and stopping at the fetch's deadline.

    gzip and deflate bodies are inflated here, never more than ``max_bytes + 1`` bytes, so a
    small compressed bomb cannot allocate gigabytes; another content coding is refused.
    """
    declared = headers.get("content-length", "")
    encoding = headers.get("content-encoding", "").strip().lower()
    if declared.isdigit() and not encoding and int(declared) > max_bytes:
        raise FetchError(
            url, f"response larger than {max_bytes:,} bytes (it declares {int(declared):,})", transient=False
        )
    if encoding not in ("", "identity", "gzip", "x-gzip", "deflate"):
        raise FetchError(url, f"unsupported content coding '{encoding}'", transient=False)
    raw = _timed(url, response.iter_stream(), budget)
    stream = _inflate(url, raw, max_bytes + 1) if encoding not in ("", "identity") else raw
    chunks, size = [], 0
    for chunk in stream:
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(url, f"response larger than {max_bytes:,} bytes", transient=False)
        chunks.append(chunk)
    return b"".join(chunks)


def _timed(url: str, chunks: Iterable[bytes], budget: Budget) -> Iterator[bytes]:
    """Yield ``chunks`` until the fetch's deadline passes (then raise ``FetchError``)."""
    for chunk in chunks:
        budget.check(url)
        yield chunk


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
