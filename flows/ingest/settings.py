"""How URLs are fetched: ``FetchSettings``, the ``[fetch]`` table of sources.toml, checked whole.

Every field has a type and a range (``field`` metadata), so a wrong value is refused with the
file, the key and the fix in one line before any work starts: ``retries = -5``,
``read_timeout = 0``, ``robots = "no"`` (a boolean must be ``true`` or ``false``), an unknown key.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from claimtrack.ingest.http import DEADLINE, MAX_BYTES, USER_AGENT


def _setting(default: Any, low: float | None = None, high: float | None = None, above: float | None = None) -> Any:
    """A ``FetchSettings`` field: its default and the range a value must fall in."""
    return field(default=default, metadata={"low": low, "high": high, "above": above})


@dataclass(frozen=True)
class FetchSettings:
    """How politely and how safely to fetch; every field can be set in the ``[fetch]`` table."""

    user_agent: str = _setting(USER_AGENT)
    connect_timeout: float = _setting(10.0, above=0)  # seconds to open a connection
    read_timeout: float = _setting(20.0, above=0)  # seconds to wait for each read
    deadline: float = _setting(DEADLINE, above=0)  # seconds one fetch may take in all (redirects, body)
    retries: int = _setting(3, low=0, high=10)  # retries of transient errors (timeouts, 429, 5xx)
    backoff: float = _setting(1.0, low=0, high=600)  # seconds before the first retry; doubles each time
    max_backoff: float = _setting(60.0, low=0)  # cap of one backoff wait
    max_retry_after: float = _setting(300.0, low=0)  # a longer Retry-After gives up (the next run tries again)
    max_bytes: int = _setting(MAX_BYTES, low=1)
    host_concurrency: int = _setting(2, low=1, high=64)  # requests in flight per host
    host_delay: float = _setting(1.0, low=0)  # seconds between the starts of two requests to one host
    robots: bool = _setting(True)  # respect robots.txt
    robots_ttl: float = _setting(3600.0, low=0)  # seconds a host's robots.txt is reused
    allow_private_addresses: bool = _setting(False)  # fetch loopback, private, link-local addresses
    allow_networks: tuple[str, ...] = _setting(())  # ... or only those in these networks ("10.1.0.0/16")

    def with_overrides(self, overrides: Mapping[str, Any] | None) -> FetchSettings:
        """Return a copy with ``overrides`` (field name -> value) applied.

        Raises ``ValueError`` naming the key and the fix for an unknown name or a value of the
        wrong type or out of range."""
        if not overrides:
            return self
        for name, value in overrides.items():
            check_setting(name, value)
        return replace(self, **{name: tuple(v) if isinstance(v, list) else v for name, v in overrides.items()})


class FetchSettingsError(ValueError):
    """The ``[fetch]`` table is malformed; the message names the file, the key and the fix."""


SETTINGS = {f.name: f for f in fields(FetchSettings)}


def check_setting(name: str, value: Any) -> None:
    """Raise ``ValueError`` (``"key = value: problem; fix"``) unless ``value`` suits setting ``name``."""
    if name not in SETTINGS:
        raise ValueError(f"unknown fetch setting '{name}'; use {', '.join(SETTINGS)}")
    spec, shown = SETTINGS[name], f"{name} = {value!r}"
    default = spec.default
    if isinstance(default, tuple):
        return _check_networks(shown, value)
    if not _same_type(value, default):
        raise ValueError(f"{shown}: expected {_kind(default)}; e.g. {name} = {_toml(default)}")
    low, high, above = (spec.metadata[key] for key in ("low", "high", "above"))
    if isinstance(value, str):
        if not value.strip():
            raise ValueError(f"{shown}: must not be empty; e.g. {name} = {_toml(default)}")
        return
    if above is not None and not value > above:
        raise ValueError(f"{shown}: must be more than {above:g}; e.g. {name} = {_toml(default)}")
    if (low is not None and value < low) or (high is not None and value > high):
        span = f"from {low:g} to {high:g}" if high is not None else f"at least {low:g}"
        raise ValueError(f"{shown}: must be {span}; e.g. {name} = {_toml(default)}")


def _check_networks(shown: str, value: Any) -> None:
    """Raise ``ValueError`` unless ``value`` is a list of networks (``"10.1.0.0/16"``, ``"192.0.2.7"``)."""
    example = 'e.g. allow_networks = ["10.1.0.0/16", "192.168.1.20"]'
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{shown}: expected a list of quoted networks; {example}")
    for network in value:
        try:
            ipaddress.ip_network(network)
        except ValueError as exc:
            raise ValueError(f"{shown}: '{network}' is not a network ({exc}); {example}") from None


def _same_type(value: Any, default: Any) -> bool:
    """Whether ``value`` has the type of ``default`` (an int may stand for a float; a boolean is
    never a number)."""
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, float):
        return isinstance(value, int | float)
    return isinstance(value, type(default))


def _kind(default: Any) -> str:
    """What a setting takes, in words."""
    if isinstance(default, bool):
        return "true or false"
    return {str: "a quoted string", int: "a whole number", float: "a number"}[type(default)]


def _toml(value: Any) -> str:
    """``value`` written as TOML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return f'"{value}"' if isinstance(value, str) else repr(value)


def fetch_settings(table: Any, where: str) -> FetchSettings:
    """The settings of a ``[fetch]`` table read from ``where`` (a file name, for messages).

    Raises ``FetchSettingsError`` with the file, the key and the fix."""
    if not isinstance(table, dict):
        raise FetchSettingsError(f"{where}: 'fetch' must be a table; write [fetch] with key = value lines")
    try:
        return FetchSettings().with_overrides(table)
    except ValueError as exc:
        raise FetchSettingsError(f"{where}: [fetch] {exc}") from exc
