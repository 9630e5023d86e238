"""Canonical URLs, text hashes and deterministic ids."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from claimtrack.transforms.pages import PageText
from claimtrack.transforms.pages.identity import (
    Article,
    article_id,
    canonical_url,
    claim_id,
    comparison_id,
    content_hash,
    drop_repeats,
    make_article,
    normalised_text,
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
    by_url = article_id("https://example.com/a", "hash")
    assert by_url == article_id("https://example.com/a", "other hash")  # the URL decides
    assert article_id(None, "hash") == article_id(None, "hash") != by_url
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


def test_make_article_uses_the_page_canonical_url_else_the_read_url() -> None:
    page = PageText(text="Some text", canonical_url="https://example.com/a?utm_medium=x")
    article = make_article(page, "https://mirror.example/a", NOW)
    assert article.canonical_url == "https://example.com/a"
    assert article.article_id == article_id("https://example.com/a", content_hash("Some text"))
    local = make_article(PageText(text="Some text"), "file:///tmp/a.txt", NOW)
    assert local.canonical_url is None
    assert local.article_id == article_id(None, content_hash("some   TEXT"))


def test_drop_repeats_keeps_the_first_of_each_id_across_batches() -> None:
    def art(url: str, text: str) -> Article:
        return make_article(PageText(text=text), url, NOW)

    seen: set[str] = set()
    first = drop_repeats(
        [
            art("https://a.example/1", "x"),
            art("https://a.example/1?utm_source=y", "x"),
            art("https://b.example/1", "x"),
        ],
        seen,
    )
    assert [a.url for a in first] == ["https://a.example/1", "https://b.example/1"]
    assert drop_repeats([art("https://b.example/1", "changed")], seen) == []
