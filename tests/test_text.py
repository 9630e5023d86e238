"""HTML and plain text to main text and metadata; the publication-date fallback chain."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from conftest import FIXTURES, SEED, page_html
from hypothesis import given, settings
from hypothesis import strategies as st

from claimtrack.transforms.pages.text import (
    PageText,
    TextError,
    date_near_top,
    decode_text,
    html_to_text,
    plain_to_text,
    resolve_published,
)

EXPECTED = json.loads((FIXTURES / "pages" / "expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_pages_give_main_text_and_metadata(name: str) -> None:
    expected = EXPECTED[name]
    page = html_to_text(page_html(name.removesuffix(".html.gz")), url=None)
    assert page.text.startswith(expected["first_words"])
    assert page.title is not None and page.title.startswith(expected["title"].strip())
    assert page.published == date.fromisoformat(expected["published"])
    assert page.date_source == "metadata"
    assert page.canonical_url == expected["url"]
    assert page.site
    assert page.author is not None and all(a in page.author for a in expected["authors"])
    assert "Cookie" not in page.text[:200]


def test_page_without_metadata_names_no_canonical_url_and_has_no_date() -> None:
    page = html_to_text(page_html("field_report"), url="http://127.0.0.1:9/pages/field_report.html")
    assert page.title == "Aid convoy reaches river towns after week of delays"
    assert page.canonical_url is None  # the article is then identified by the read URL (make_article)
    assert (page.published, page.language) == (None, "en")


@pytest.mark.parametrize(
    "data", [b"", b"<html><body><script>var x = 1;</script></body></html>", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"]
)
def test_pages_without_text_raise_text_error(data: bytes) -> None:
    with pytest.raises(TextError):
        html_to_text(data, url=None)


def test_plain_text_keeps_every_character_and_takes_the_first_line_as_title() -> None:
    raw = SEED.read_bytes()
    page = plain_to_text(raw)
    assert page.text == raw.decode("utf-8")
    assert page.title == "Puitn's Nightmare: Russian Soldiers and Civilians are Turning on the Ukraine War"


def test_decode_text_handles_boms_and_legacy_encodings() -> None:
    assert decode_text("\ufeffHello".encode("utf-8")) == "Hello"
    assert decode_text("Grüße".encode("utf-16")) == "Grüße"
    assert "Straße" in decode_text("Die Straße ist lang und die Häuser sind alt.".encode("latin-1"))
    with pytest.raises(TextError):
        decode_text(b"PK\x03\x04\x00\x00binary")
    with pytest.raises(TextError):
        plain_to_text(b" \n\t ")


def test_seed_article_date_is_found_near_the_top() -> None:
    page = resolve_published(plain_to_text(SEED.read_bytes()))
    assert (page.published, page.date_source) == (date(2024, 11, 3), "text")


def test_date_fallback_chain_order() -> None:
    dated = PageText(text="Title\nMarch 2, 2023\nBody", published=date(2024, 1, 1), date_source="metadata")
    undated = PageText(text="Title\nMarch 2, 2023\nBody")
    feed = date(2024, 2, 2)
    assert resolve_published(dated, feed, given=date(2020, 5, 5)).published == date(2020, 5, 5)
    assert resolve_published(dated, feed).date_source == "metadata"
    at_top = PageText(text="Body", published=date(2024, 1, 3), date_source="text")
    assert resolve_published(at_top, feed).date_source == "text"  # the page's own dateline beats the feed
    for weak in ("url", "search"):  # a date in the URL or found by searching the page: after the feed
        page = PageText(text="Body", published=date(2024, 1, 4), date_source=weak)
        assert (resolve_published(page, feed).date_source, resolve_published(page).date_source) == ("feed", weak)
    assert (resolve_published(undated, feed).published, resolve_published(undated, feed).date_source) == (feed, "feed")
    assert resolve_published(undated).published == date(2023, 3, 2)
    nothing = resolve_published(PageText(text="Title\nNo date here at all.\nToday we report 5 tanks."))
    assert (nothing.published, nothing.date_source) == (None, None)  # never the clock


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Headline\nBy A. Writer | 3rd March 2023\nBody", date(2023, 3, 3)),
        ("Headline\nPublished 2022-06-15 09:30\n", date(2022, 6, 15)),
        ("Headline\nSept. 9, 2024\n", date(2024, 9, 9)),
        ("Headline\nIn May troops moved.\n", None),  # no day and year: not a date
        ("Headline\n" + "A long paragraph. " * 20 + "On March 2, 2023 it began.\n", None),  # body, not a dateline
    ],
)
def test_date_near_top(text: str, expected: date | None) -> None:
    assert date_near_top(text) == expected


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_date_near_top_never_raises(text: str) -> None:
    found = date_near_top(text)
    assert found is None or isinstance(found, date)


def test_fixture_pages_exist() -> None:
    assert len(list((FIXTURES / "pages").glob("*.html.gz"))) == len(EXPECTED) == 4
    assert Path(FIXTURES / "SOURCES.md").exists()
