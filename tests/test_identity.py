"""Canonical URLs (normalised, and a page's own when it names an article), text hashes and
deterministic ids."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml.html import fromstring

from claimtrack.transforms.pages import PageText
from claimtrack.transforms.pages.canonical import canonical_url, names_article, page_canonical, same_site
from claimtrack.transforms.pages.identity import (
    article_id,
    claim_id,
    comparison_id,
    content_hash,
    make_article,
    normalised_text,
    version_id,
)

NOW = datetime(2024, 5, 1, tzinfo=UTC)


def test_canonical_url_drops_tracking_parameters_fragment_and_default_port() -> None:
    url = "HTTPS://Example.COM:443/news/a?utm_source=rss&id=7&fbclid=x&wt_mc=feed&ref=home#top"
    assert canonical_url(url) == "https://example.com/news/a?id=7"


def test_canonical_url_sorts_kept_parameters_and_fills_the_path() -> None:
    assert canonical_url("http://example.com?b=2&a=1") == "http://example.com/?a=1&b=2"
    assert canonical_url("http://example.com:8080/x") == "http://example.com:8080/x"


def test_canonical_url_is_none_for_files_and_junk() -> None:
    for url in (None, "", "file:///tmp/a.html", "javascript:alert(1)", "/relative/path", "http://"):
        assert canonical_url(url) is None


def test_heise_feed_link_and_its_clean_form_are_the_same_article() -> None:
    link = "http://www.heise.de/developer/meldung/Java-Anwendungsserver-Red-Hat-gibt-WildFly-10-frei-3088438.html?wt_mc=rss.developer.beitrag.atom"
    assert canonical_url(link) == canonical_url(link.split("?")[0])


@given(st.text(alphabet="abc/?=&#%:.", max_size=30))
def test_canonical_url_is_idempotent(path: str) -> None:
    first = canonical_url("https://example.org/" + path)
    assert first is None or canonical_url(first) == first


def test_normalised_text_ignores_case_spacing_and_punctuation() -> None:
    assert normalised_text("Russia’s  LOSSES:\n700,000 troops!") == normalised_text("russia s losses 700 000 troops")
    assert content_hash("A  b\tc.") == content_hash("a b c")
    assert content_hash("a b c") != content_hash("a b d")


def test_ids_are_deterministic_and_distinct() -> None:
    by_url = article_id("https://example.com/a", "file:///tmp/a.html")
    assert by_url == article_id("https://example.com/a", "file:///tmp/b.html")  # the canonical URL decides
    by_path = article_id(None, "file:///tmp/a.html")
    assert by_path == article_id(None, "file:///tmp/a.html") != article_id(None, "file:///tmp/b.html")
    assert len({by_url, by_path, version_id(by_url, "hash"), version_id(by_url, "other hash")}) == 4
    assert len(by_url) == 16
    assert claim_id(by_url, 3, 9, "0.1.0") == claim_id(by_url, 3, 9, "0.1.0")
    assert (
        len(
            {
                claim_id(by_url, 3, 9, "0.1.0"),
                claim_id(by_url, 3, 10, "0.1.0"),
                claim_id(by_url, 3, 9, "0.2.0"),
                comparison_id(by_url, 3, 9, "0.1.0"),
            }
        )
        == 4
    )


def test_make_article_uses_the_page_canonical_url_else_the_read_url_else_the_path() -> None:
    page = PageText(text="Some text", canonical_url="https://example.com/a-1")
    article = make_article(page, "https://example.com/a-1?utm_medium=x", NOW)
    assert article.canonical_url == "https://example.com/a-1"
    assert article.article_id == article_id("https://example.com/a-1", article.url)
    fetched = make_article(PageText(text="Some text"), "https://example.com/b-2?utm_source=rss", NOW)
    assert fetched.canonical_url == "https://example.com/b-2"
    local = make_article(PageText(text="Some text"), "file:///tmp/a.txt", NOW)
    assert local.canonical_url is None
    assert local.article_id == article_id(None, "file:///tmp/a.txt") != article_id(None, "file:///tmp/b.txt")
    assert local.content_hash == content_hash("some   TEXT")


@pytest.mark.parametrize(
    ("url", "article"),
    [
        ("https://mod.example/", False),
        ("https://mod.example/en/", False),
        ("https://mod.example/en/news/", False),
        ("https://mod.example/index.html", False),
        ("https://mod.example/en/news/67234", True),
        ("https://news.example/2024/05/03/story", True),
        ("https://news.example/world/kyiv-attack-damages-schools", True),
        ("https://news.example/a/7585813.html", True),
        ("https://news.example/story-1019241/artikel", True),
    ],
)
def test_names_article_refuses_home_pages_and_sections(url: str, article: bool) -> None:
    assert names_article(url) is article


def test_same_site_is_the_host_or_the_registrable_domain() -> None:
    assert same_site("https://www.bbc.co.uk/news/1", "https://bbc.co.uk/x")
    assert same_site("https://edition.cnn.com/a-1", "https://www.cnn.com/b")
    assert not same_site("https://a.co.uk/a-1", "https://b.co.uk/a-1")  # co.uk is a public suffix
    assert same_site("http://127.0.0.1:8000/a", "http://127.0.0.1:9000/b")
    assert not same_site("https://globalnews.ca/news/1", "http://127.0.0.1:8000/news/1")


def head(*tags: str) -> object:
    return fromstring(f"<html><head>{''.join(tags)}</head><body><p>Text.</p></body></html>")


def test_page_canonical_comes_only_from_the_page_link_or_og_url_when_it_names_an_article() -> None:
    link = '<link rel="canonical" href="/en/news/67234">'
    og_home = '<meta property="og:url" content="https://mod.example/en/">'
    base = '<base href="https://mod.example/">'
    page = "https://mod.example/en/news/67234?utm_source=x"
    assert page_canonical(head(link, og_home), page) == "https://mod.example/en/news/67234"
    assert page_canonical(head(og_home, base), page) is None  # a home page and a <base> are no identity
    assert page_canonical(head(og_home, base), None) is None
    other = '<link rel="canonical" href="https://elsewhere.example/story-1">'
    assert page_canonical(head(other), page) is None  # another site's page
    assert page_canonical(head(other), None) == "https://elsewhere.example/story-1"  # a saved page: its own
    assert page_canonical(head(link), None) is None  # relative, and no page URL to resolve it
