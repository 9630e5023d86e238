"""Hostile feeds: malformed XML, entity bombs, external entities, bad links, 10,000 items."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import Site
from faults_util import run, snapshot, stored

from claimtrack.ingest import FeedError, parse_feed
from claimtrack.ingest import feeds as fetching

SECRET = "TOP-SECRET-VALUE"
BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">'
    + "".join(f'<!ENTITY {b} "{("&" + a + ";") * 10}">' for a, b in zip("abcdefg", "bcdefgh"))
    + ']><rss version="2.0"><channel><title>&h;</title><item><title>&h;</title>'
    "<link>https://example.com/a</link></item></channel></rss>"
)


def xxe(secret: Path) -> str:
    return (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<rss version="2.0"><channel><title>t &x;</title><item><title>&x;</title>'
        "<link>https://example.com/&x;</link><description>&x;</description></item></channel></rss>"
    )


def rss(items: str) -> str:
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'


def test_entity_bombs_and_external_entities_are_refused_unread(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    for body in (BILLION_LAUGHS, xxe(secret)):
        started = time.monotonic()
        with pytest.raises(FeedError, match="declares XML entities") as info:
            parse_feed(body.encode())
        assert SECRET not in str(info.value) and time.monotonic() - started < 1


def test_malformed_xml_is_read_in_recovery_mode_and_reported() -> None:
    body = rss("<item><title>a</title><link>https://example.com/x</link></item><item><title>b<</link>").encode()
    items, refused = parse_feed(body)
    assert [i.link for i in items] == ["https://example.com/x"]
    assert refused[0][0] == "(feed XML)" and refused[0][1].startswith("malformed XML (")
    with pytest.raises(FeedError, match="not an RSS/Atom feed"):
        parse_feed(b"<<<>>> not xml at all \x01")


def test_relative_file_and_javascript_links_are_refused() -> None:
    links = [
        "/relative.html",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "ftp://example.com/x",
        "https://example.com/ok",
    ]
    items, refused = parse_feed(rss("".join(f"<item><title>t</title><link>{x}</link></item>" for x in links)).encode())
    assert [i.link for i in items] == ["https://example.com/ok"]
    assert [link[:6] for link, _ in refused] == [x[:6] for x in links[:4]]  # feedparser trims file:///
    assert {reason for _, reason in refused} == {"feed item link is not an absolute http(s) URL"}


def test_a_feed_of_10000_items_parses_in_bounded_time_and_is_capped() -> None:
    body = rss(
        "".join(f"<item><title>t{i}</title><link>https://example.com/{i}</link></item>" for i in range(10_000))
    ).encode()
    started = time.monotonic()
    items, refused = parse_feed(body)
    assert time.monotonic() - started < 10
    assert len(items) == fetching.MAX_FEED_ITEMS
    assert refused == [("(items 1,001-10,000)", "feed has 10,000 items; only the first 1,000 are read")]


@pytest.mark.usefixtures("prefect_harness")
def test_hostile_feed_files_fail_alone_and_rerun_identically(
    db: Path, tmp_path: Path, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fetching, "MAX_FEED_ITEMS", 12)
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    feeds = {
        "bomb.xml": BILLION_LAUGHS,
        "xxe.xml": xxe(secret),
        "broken.xml": rss(f"<item><title>a</title><link>{site.url('/pages/field_report.html')}</link></item><item>"),
        "links.xml": rss(
            "<item><title>j</title><link>javascript:alert(1)</link></item>"
            "<item><title>f</title><link>file:///etc/passwd</link></item>"
        ),
        "many.xml": rss(
            "".join(
                f"<item><title>t{i}</title><link>{site.url('/status/404')}?n={i}</link></item>" for i in range(10_000)
            )
        ),
    }
    for name, body in feeds.items():
        (tmp_path / name).write_text(body)
    paths = [str(tmp_path / name) for name in feeds]
    started = time.monotonic()
    summary = run(db, *paths, batch_size=25)
    assert time.monotonic() - started < 60
    failures = stored(db, "select input, stage, reason from failures")
    by_input = {(i.rsplit("/", 1)[-1], stage): reason for i, stage, reason in failures}
    assert by_input[("bomb.xml", "feed")].startswith("the feed declares XML entities")
    assert by_input[("xxe.xml", "feed")].startswith("the feed declares XML entities")
    assert by_input[("broken.xml -> (feed XML)", "feed")].startswith("malformed XML")
    assert by_input[("many.xml -> (items 13-10,000)", "feed")] == "feed has 10,000 items; only the first 12 are read"
    assert sum(stage == "fetch" for _, stage, _ in failures) == 12  # the first 12 items, each a 404
    assert not any(SECRET in str(row) for row in failures + stored(db, "select * from articles"))
    assert summary["articles_read"] == 1  # the one good item of broken.xml
    after = snapshot(db)
    for _ in range(2):
        run(db, *paths)
        assert snapshot(db) == after
