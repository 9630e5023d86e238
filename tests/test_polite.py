"""Polite fetching against a loopback site: Retry-After, robots.txt, per-host delay, User-Agent,
size cap, and the ``[fetch]`` settings table."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from polite_site import SLOW, serve

from claimtrack.ingest import FetchError, FetchSettings, FetchSettingsError, Input
from claimtrack.ingest.polite import parse_retry_after, polite_fetch
from claimtrack.ingest.sources import load_fetch_settings
from claimtrack.steps import fetch_pages

FAST = FetchSettings(allow_private_addresses=True, host_delay=0.0, backoff=0.01)


def test_429_is_retried_after_the_time_retry_after_asks() -> None:
    with serve() as site:
        page = polite_fetch(site.url("/busy/page"), FAST)
        first, second = site.hits("/busy/page")
    assert page.status == 200
    assert second - first >= 0.95  # Retry-After: 1, although the backoff is 0.01 s


def test_robots_txt_disallow_is_respected_and_read_once_per_host() -> None:
    with serve() as site:
        with pytest.raises(FetchError, match="disallowed by robots.txt") as info:
            polite_fetch(site.url("/private/secret.html"), FAST)
        polite_fetch(site.url("/pages/a.html"), FAST)
        polite_fetch(site.url("/pages/b.html"), FAST)
        assert site.hits("/private/secret.html") == []
        assert len(site.hits("/robots.txt")) == 1
        assert (
            polite_fetch(
                site.url("/private/x.html"), FetchSettings(allow_private_addresses=True, host_delay=0, robots=False)
            ).status
            == 200
        )
    assert not info.value.transient


def test_requests_to_one_host_are_spaced_by_the_minimum_delay() -> None:
    settings = FetchSettings(allow_private_addresses=True, host_delay=0.25, host_concurrency=4)
    with serve() as site:
        paths = [f"/pages/p{i}.html" for i in range(5)]
        with ThreadPoolExecutor(max_workers=5) as pool:
            list(pool.map(lambda p: polite_fetch(site.url(p), settings), paths))
        starts = sorted(at for path in paths for at in site.hits(path))
    gaps = [b - a for a, b in zip(starts, starts[1:])]
    assert len(starts) == 5 and min(gaps) >= 0.2, gaps


def test_a_batch_is_fetched_on_threads_within_the_host_limit_and_in_order() -> None:
    for limit, rounds in ((4, 2), (2, 4)):
        with serve() as site:  # a new port: a new host for claimtrack.ingest.polite's per-host limits
            requests = [(Input(site.url(f"/slow/{i}.html"), "url"), {}) for i in range(8)]
            start = time.monotonic()
            pages, _ = fetch_pages.fn(
                requests, FetchSettings(allow_private_addresses=True, host_delay=0, host_concurrency=limit)
            )
            took = time.monotonic() - start
            assert [page.final_url for page in pages] == [item.location for item, _ in requests]
            assert all(f"/slow/{i}.html".encode() in page.body for i, page in enumerate(pages))
            # 8 pages of SLOW seconds each: 8 * SLOW one after the other, `rounds` * SLOW at `limit` at once
            assert rounds * SLOW * 0.95 <= took < (rounds + 1.5) * SLOW, (limit, took)


def test_user_agent_timeouts_and_size_cap_come_from_the_settings() -> None:
    settings = FetchSettings(
        allow_private_addresses=True, host_delay=0, user_agent="claimtrack-test/1.0 (+mailto:ops@example.org)"
    )
    with serve() as site:
        polite_fetch(site.url("/pages/ua.html"), settings)
        agents = {headers.get("User-Agent") for path, _, headers in site.log}
        with pytest.raises(FetchError, match="larger than|more than 1,000"):
            polite_fetch(
                site.url("/pages/big.html"), FetchSettings(allow_private_addresses=True, host_delay=0, max_bytes=1_000)
            )
    assert agents == {settings.user_agent}


def test_unreachable_host_fails_as_transient_after_the_retries() -> None:
    with pytest.raises(FetchError) as info:
        polite_fetch(
            "http://127.0.0.1:9/nothing",
            FetchSettings(allow_private_addresses=True, host_delay=0, retries=1, backoff=0.01, connect_timeout=1.0),
        )
    assert info.value.transient and "robots.txt unreachable" in info.value.reason


def test_fetch_table_of_sources_toml(tmp_path: Path) -> None:
    path = tmp_path / "sources.toml"
    path.write_text('[fetch]\nhost_delay = 2\nuser_agent = "me"\nrobots = false\n')
    settings = load_fetch_settings(path)
    assert (settings.host_delay, settings.user_agent, settings.robots, settings.retries) == (2, "me", False, 3)
    path.write_text("[fetch]\nhost_dealy = 2\n")
    with pytest.raises(FetchSettingsError, match="unknown fetch setting.*host_dealy"):
        load_fetch_settings(path)
    path.write_text('[fetch]\nretries = "many"\n')
    with pytest.raises(FetchSettingsError, match="retries"):
        load_fetch_settings(path)
    assert load_fetch_settings(tmp_path / "missing.toml") == FetchSettings()


def test_retry_after_in_seconds_or_as_a_date() -> None:
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None
