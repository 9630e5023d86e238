"""The network under claimtrack's HTTP client: which addresses it may connect to, and for how long.

A feed claimtrack does not control must not make it read inside the user's network. By default
every connection to an address that is loopback, private, link-local (e.g. a cloud's metadata
service at 169.254.169.254), multicast, reserved, unspecified or otherwise not globally reachable
is refused, IPv4-mapped IPv6 included. The check is made where the socket is opened
(``VettingBackend``, an ``httpcore`` network backend): the host name is resolved once with
``getaddrinfo`` (which also reads numeric forms such as ``2130706433`` or ``0x7f.1``), every
address is checked, and the connection is made to a vetted address, so DNS cannot answer one
address to the check and another to the connection. Every connection is made this way: every
redirect hop, every robots.txt. ``allow_private=True`` (``allow_private_addresses`` in
sources.toml) lets a user read an intranet; ``networks`` (``allow_networks``) only some of it.

Every read and write of a connection is also bounded (``BoundedStream``): by the deadline of the
fetch running in that thread (``deadline(at)``), however slowly a server sends, and by
``STOP``: once it is set (claimtrack is interrupted), a connection's next read or write, or one
waiting for data, fails within ``SLICE`` seconds.
"""

from __future__ import annotations

import ipaddress
import math
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import httpcore

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
CATEGORIES = (  # (attribute of ipaddress, words for the reason), most telling first
    ("is_unspecified", "the unspecified address"),
    ("is_loopback", "a loopback address"),
    ("is_link_local", "a link-local address"),
    ("is_private", "a private or special-purpose address"),
    ("is_multicast", "a multicast address"),
    ("is_reserved", "a reserved address"),
)
SLICE = 0.5  # seconds a blocked read or write waits before it looks at STOP again
STOP = threading.Event()  # set when claimtrack is interrupted: every connection gives up
T = TypeVar("T")
HOW_TO_ALLOW = (
    "to read an intranet, set allow_private_addresses = true in sources.toml ([fetch] or the source) "
    "or list its networks in [fetch] allow_networks"
)


def stop_fetching() -> None:
    """Make every fetch of this process give up at once (claimtrack is interrupted)."""
    STOP.set()


def resume_fetching() -> None:
    """Let fetches run again (a new run in a process whose earlier run was interrupted)."""
    STOP.clear()


def stopping() -> bool:
    """Whether ``stop_fetching`` was called."""
    return STOP.is_set()


class AddressRefused(Exception):
    """A host resolves only to addresses the policy refuses; the message says which and why."""


def category(address: IPAddress) -> str | None:
    """Why ``address`` is refused (``a loopback address``, ``a private address`` ...), or None when
    it is a globally reachable unicast address. An IPv4-mapped IPv6 address is judged as its IPv4."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    for attribute, words in CATEGORIES:
        if getattr(address, attribute):
            return words
    return None if address.is_global else "not a globally reachable address"


def resolve(host: str, port: int) -> list[IPAddress]:
    """The addresses ``host`` resolves to, in ``getaddrinfo``'s order (numeric forms included).

    Raises ``httpcore.ConnectError`` when the name cannot be resolved."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
    unique: dict[str, IPAddress] = {}
    for *_, sockaddr in found:
        text = str(sockaddr[0]).split("%", 1)[0]  # drop an IPv6 zone
        unique.setdefault(text, ipaddress.ip_address(text))
    return list(unique.values())


def vetted(host: str, port: int, allow_private: bool, networks: Iterable[IPNetwork] = ()) -> list[IPAddress]:
    """The addresses of ``host`` a connection may use: all with ``allow_private``, else the
    globally reachable ones and those in ``networks``. Raises ``AddressRefused`` when none."""
    addresses = resolve(host, port)
    if allow_private:
        return addresses
    allowed = [a for a in addresses if category(a) is None or any(a in network for network in networks)]
    if not allowed:
        first = addresses[0]
        shown = host if host == str(first) else f"{host} ({first})"
        raise AddressRefused(f"refused: {shown} is {category(first)}; {HOW_TO_ALLOW}")
    return allowed


class VettingBackend(httpcore.NetworkBackend):
    """httpcore's synchronous backend, connecting only to addresses ``vetted`` allows."""

    def __init__(self, allow_private: bool = False, networks: Iterable[str] = ()) -> None:
        self.allow_private = allow_private
        self.networks = [ipaddress.ip_network(network) for network in networks]
        self._sync = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        """Connect to the first vetted address of ``host`` that answers (raises ``AddressRefused``,
        or the last connection error)."""
        error: Exception | None = None
        for address in vetted(host, port, self.allow_private, self.networks):
            try:
                limit = _bounded(timeout)
                return BoundedStream(self._sync.connect_tcp(str(address), port, limit, local_address, socket_options))
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        assert error is not None  # vetted() returns at least one address
        raise error

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        """Refused: claimtrack fetches over TCP only."""
        raise AddressRefused(f"refused: a Unix socket ({path})")

    def sleep(self, seconds: float) -> None:
        self._sync.sleep(seconds)


_deadlines = threading.local()  # the deadline (time.monotonic()) of the fetch running in each thread


@contextmanager
def deadline(at: float) -> Iterator[None]:
    """Within the block, this thread's connections may read and write until ``time.monotonic()``
    reaches ``at``."""
    before = getattr(_deadlines, "at", math.inf)
    _deadlines.at = at
    try:
        yield
    finally:
        _deadlines.at = before


def _bounded(timeout: float | None) -> float:
    """``timeout`` cut to this thread's deadline (at least a millisecond)."""
    left = getattr(_deadlines, "at", math.inf) - time.monotonic()
    return max(0.001, min(math.inf if timeout is None else timeout, left))


def _sliced(step: Callable[[float], T], timeout: float | None, timed_out: type[Exception]) -> T:
    """Call ``step(seconds)`` in slices of at most ``SLICE`` seconds until it returns, ``timeout``
    (cut to the thread's deadline) passes, or ``STOP`` is set (then ``httpcore.ReadError``)."""
    end = time.monotonic() + _bounded(timeout)
    while True:
        if STOP.is_set():
            raise httpcore.ReadError("interrupted")
        left = end - time.monotonic()
        if left <= 0:
            raise timed_out("timed out")
        try:
            return step(min(left, SLICE))
        except timed_out:
            continue


class BoundedStream(httpcore.NetworkStream):
    """A connection whose every read and write is bounded by the thread's deadline and ``STOP``."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return _sliced(lambda seconds: self._inner.read(max_bytes, seconds), timeout, httpcore.ReadTimeout)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _bounded(timeout))  # requests are small: one bounded write

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        return BoundedStream(self._inner.start_tls(ssl_context, server_hostname, _bounded(timeout)))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)
