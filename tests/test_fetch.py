"""Fetching over HTTP from a real loopback server, and reading real RSS/Atom feeds."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import FIXTURES, Site

from claimtrack.ingest import FeedError, FetchError, fetch, looks_like_feed, parse_feed


def test_fetch_returns_the_page_after_redirects(site: Site) -> None:
    page = fetch(site.url("/redirect"), allow_private=True)
    assert page.status == 200
    assert page.final_url == site.url("/pages/field_report.html")
    assert page.content_type.startswith("text/html")
    assert b"Aid convoy" in page.body
    assert page.fetched.tzinfo is not None


@pytest.mark.parametrize(
    ("path", "transient"),
    [("/status/404", False), ("/status/410", False), ("/status/503", True), ("/status/429", True)],
)
def test_http_errors_say_whether_a_retry_can_help(site: Site, path: str, transient: bool) -> None:
    with pytest.raises(FetchError) as info:
        fetch(site.url(path), allow_private=True)
    assert info.value.transient is transient
    assert info.value.reason.startswith(f"HTTP {path.rsplit('/', 1)[1]}")


def test_refused_and_unreachable_urls(site: Site) -> None:
    with pytest.raises(FetchError, match="only http"):
        fetch("file:///etc/passwd")
    with pytest.raises(FetchError, match="larger than"):
        fetch(site.url("/pages/GlobalNews_2026_05_24.html"), max_bytes=10_000, allow_private=True)
    with pytest.raises(FetchError) as info:
        fetch("http://127.0.0.1:9/nothing-listens-here", allow_private=True)
    assert info.value.transient


def test_guardian_rss_items_keep_link_title_and_date() -> None:
    items, refused = parse_feed((FIXTURES / "feeds" / "guardian.rss").read_bytes())
    assert (len(items), refused) == (55, [])
    first = items[0]
    assert (
        first.link
        == "https://www.theguardian.com/us-news/2018/jan/31/donald-trump-state-of-the-union-address-unity-discord"
    )
    assert first.title == "Trump State of the Union address promised unity but emphasized discord"
    assert first.published == date(2018, 1, 31)


def test_heise_atom_items() -> None:
    items, _ = parse_feed((FIXTURES / "feeds" / "heise.atom").read_bytes())
    assert len(items) == 15
    assert items[0].published == date(2016, 2, 1)
    assert "wt_mc=" in items[0].link


def test_relative_and_non_http_item_links_are_refused() -> None:
    body = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        b"<item><title>a</title><link>/relative.html</link></item>"
        b"<item><title>b</title><link>javascript:alert(1)</link></item>"
        b"<item><title>c</title><link>https://example.com/ok</link></item></channel></rss>"
    )
    items, refused = parse_feed(body)
    assert [i.link for i in items] == ["https://example.com/ok"]
    assert [link for link, _ in refused] == ["/relative.html", "javascript:alert(1)"]


def test_not_a_feed() -> None:
    with pytest.raises(FeedError, match="not an RSS/Atom feed"):
        parse_feed(b"just some words")


def test_looks_like_feed() -> None:
    assert looks_like_feed((FIXTURES / "feeds" / "guardian.rss").read_bytes())
    assert looks_like_feed(b"<whatever/>", "application/atom+xml; charset=utf-8")
    assert not looks_like_feed(b"<!DOCTYPE html><html><head><link type='application/rss+xml'></head></html>")
    assert not looks_like_feed(b"plain text", "text/plain")
