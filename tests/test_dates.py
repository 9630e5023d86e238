"""Publication dates as pages state them (``pages.publication_date``) and the language of a text,
on small invented pages (the real-page figures are in benchmarks/publication_dates.py)."""

from __future__ import annotations

from datetime import date

import pytest
from daily_reports import FIRST_DAY, report_page
from htmldate import find_date

from claimtrack.transforms.pages import html_to_text, publication_date
from claimtrack.transforms.pages.dates import evidence_kind
from claimtrack.transforms.pages.language import detect_language

URL = "https://www.mod.example/en/news/67000"  # no date in it
SIDEBARS = ["sidebar", "col-md-4 news-list"]  # found by its class, or not at all


@pytest.mark.parametrize("sidebar_class", SIDEBARS)
def test_daily_report_date_under_the_headline_beats_the_sidebar(sidebar_class: str) -> None:
    html = report_page(FIRST_DAY, sidebar_class=sidebar_class)
    assert publication_date(html, URL) == (FIRST_DAY, "main-text-top")
    assert publication_date(html, None) == (FIRST_DAY, "main-text-top")


@pytest.mark.parametrize("sidebar_class", SIDEBARS)
def test_htmldate_alone_takes_the_newest_sidebar_date(sidebar_class: str) -> None:
    """Why the port exists: htmldate (extensive or not, as in trafilatura's metadata) returns the
    newest sidebar item's date on this page."""
    html = report_page(FIRST_DAY, sidebar_class=sidebar_class)
    for extensive in (True, False):
        assert find_date(html, url=URL, extensive_search=extensive, original_date=True) == "2022-04-18"


def test_structured_metadata_is_taken_as_written_not_in_utc() -> None:
    html = (
        '<html><head><meta property="article:published_time" content="2024-08-27T01:27:57+02:00">'
        "</head><body><article><p>Text.</p></article></body></html>"
    )
    assert publication_date(html) == (date(2024, 8, 27), "meta:article:published_time")


def test_jsonld_article_entity_beats_nested_and_meta_dates() -> None:
    html = """<html><head><meta property="article:published_time" content="2024-08-05T19:49:50Z">
<script type="application/ld+json">{"@type": "NewsArticle", "image": [{"@type": "ImageObject",
"datePublished": "2024-08-01T10:00:00Z"}], "datePublished": "2024-08-04T13:23:00Z"}</script>
</head><body><article><p>Text.</p></article></body></html>"""
    assert publication_date(html) == (date(2024, 8, 4), "jsonld:datePublished")


def test_teaser_microdata_in_a_related_list_is_ignored() -> None:
    html = """<html><body><article><h1>Title</h1><p>Published 6 February 2025</p>
<p>Body text.</p></article><section class="related">
<article itemscope itemtype="https://schema.org/NewsArticle">
<time itemprop="datePublished" datetime="2025-04-16T10:00:00+02:00"></time></article></section>
</body></html>"""
    assert publication_date(html) == (date(2025, 2, 6), "main-text-top")


def test_a_date_in_the_url_then_nothing_and_never_after_max_date() -> None:
    empty = "<html><body><p>No date here at all.</p></body></html>"
    assert publication_date(empty, "https://example.org/2023/04/28/story") == (date(2023, 4, 28), "url")
    assert publication_date(empty, None) == (None, "none")
    html = '<html><head><meta name="date" content="2031-01-01"></head><body><p>Text.</p></body></html>'
    assert publication_date(html, None, max_date=date(2030, 12, 31)) == (None, "none")
    assert publication_date(html, None, max_date=date(2031, 1, 1)) == (date(2031, 1, 1), "meta:date")


@pytest.mark.parametrize(
    ("label", "kind"),
    [
        ("jsonld:datePublished", "metadata"),
        ("meta:og:published_time", "metadata"),
        ("microdata:datePublished", "metadata"),
        ("main-header:time", "text"),
        ("main-text-top", "text"),
        ("url", "url"),
        ("htmldate-extensive", "search"),
        ("none", None),
    ],
)
def test_every_evidence_label_has_its_date_source(label: str, kind: str | None) -> None:
    assert evidence_kind(label) == kind


def test_html_to_text_dates_and_reads_a_report_page_without_its_sidebar() -> None:
    page = html_to_text(report_page(FIRST_DAY, og_url="https://www.mod.example/en/"), None)
    assert (page.published, page.date_source, page.canonical_url, page.language) == (FIRST_DAY, "text", None, "en")
    assert "tanks ‒ 706 (+6)" in page.text and "9999" not in page.text and "Latest news" not in page.text


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Russia has lost about 700,000 troops since the start of the full-scale invasion, officials said.", "en"),
        ("Die Bundesregierung hat am Dienstag beschlossen, die Hilfen für die Ukraine zu verlängern.", "de"),
        ("Le gouvernement a annoncé mardi une nouvelle aide de 500 millions d'euros pour l'Ukraine.", "fr"),
        ("Правительство объявило во вторник о новой помощи в размере 500 миллионов евро.", "ru"),
        ("12 345 — 6 (+7)", None),  # too few letters to tell
    ],
)
def test_detect_language(text: str, language: str | None) -> None:
    assert detect_language(text) == language


def test_a_feed_item_date_is_the_feed_own_calendar_date_not_utc() -> None:
    from claimtrack.ingest import parse_feed

    items = "".join(
        f"<item><title>t{i}</title><link>https://news.example/a-{i}</link><pubDate>{stamp}</pubDate></item>"
        for i, stamp in enumerate(["Mon, 04 Nov 2024 01:00:00 +0200", "Sun, 03 Nov 2024 23:30:00 -0500"])
    )
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>f</title>{items}</channel></rss>'
    found, _ = parse_feed(feed.encode())
    assert [item.published for item in found] == [date(2024, 11, 4), date(2024, 11, 3)]  # UTC: Nov 3 and Nov 4
