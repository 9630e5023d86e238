"""Turn a page or a plain-text file into main text plus metadata, and find its publication date.

HTML goes through trafilatura's ``bare_extraction`` (main text, title, author, site name); the
canonical URL is the page's own ``<link rel=canonical>`` or ``og:url`` when it names an article
(``identity.page_canonical``); the publication date is the page's own statement of it
(``dates.publication_date``); the language is detected (``language.detect_language``). Plain text
keeps its characters exactly (offsets index into it); its first non-empty line is the title. The
publication date follows one chain (``resolve_published``): a date given by the user, else what
the page states (metadata, else a date at the top of its main text), else the feed item's date,
else a date in the URL or found by htmldate's search of the page, else (plain text) a date on a
short line near the top, else None. Nothing here reads the clock or the network.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from claimtrack.transforms.pages.canonical import page_canonical
from claimtrack.transforms.pages.dates import evidence_kind, publication_date
from claimtrack.transforms.pages.language import detect_language

TOP_LINES = 12  # how many non-empty lines count as "the top of the text"
TOP_LINE_MAX = 250  # longer lines are body paragraphs, not datelines or bylines
TITLE_MAX = 300
LEAD = timedelta(hours=14)  # the most a page's local calendar runs ahead of UTC (UTC+14)
PAGE_EVIDENCE = frozenset({"metadata", "text"})  # date sources that beat a feed item's date
MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
DATE_SPAN = re.compile(
    rf"\b(?:{MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH}\.?,?\s+(?:19|20)\d\d"
    r"|(?:19|20)\d\d-[01]\d-[0-3]\d)\b",
    re.IGNORECASE,
)
BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024  # larger pages or texts are refused (HTML parsing takes ~1 s/MB)
MAX_HTML_DEPTH = 255  # libxml2 drops everything nested deeper than this
MAGIC = (
    (b"\x89PNG", "a PNG image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x1f\x8b", "gzip data"),
    (b"\xd0\xcf\x11\xe0", "an Office document"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
)
CONTROL = frozenset(range(0, 9)) | frozenset(range(14, 32)) | {127}
TAG = re.compile(rb"<(/?)([a-zA-Z][\w:-]*)[^<>]*?(/?)>")
VOID = frozenset(b"area base br col embed hr img input link meta param source track wbr".split())


class TextError(ValueError):
    """The input holds no readable text; the message says why."""


@dataclass(frozen=True)
class PageText:
    """Main text and metadata of one document. ``date_source`` names the evidence that gave
    ``published`` (``given``, ``metadata``, ``text``, ``feed``, ``url``, ``search``) or is None
    without a date; ``canonical_url`` is the page's own canonical URL when it names an article
    (else None); ``language`` the detected language of the text (ISO 639-1), None when unknown."""

    text: str
    title: str | None = None
    author: str | None = None
    site: str | None = None
    canonical_url: str | None = None
    published: date | None = None
    date_source: str | None = None
    language: str | None = None


def check_document(data: bytes, what: str = "text") -> bytes:
    """Return ``data`` without stray NUL bytes, ready to decode as ``what`` (``text``, ``HTML``).

    Raises ``TextError`` when it is larger than ``MAX_DOCUMENT_BYTES``, starts with a known
    binary signature (PNG, PDF, ZIP...) or is mostly control bytes. UTF-16 with a BOM passes.
    """
    if not data.strip():
        raise TextError("empty document")
    if len(data) > MAX_DOCUMENT_BYTES:
        raise TextError(f"{len(data):,} bytes, larger than the {MAX_DOCUMENT_BYTES:,}-byte limit for one document")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data
    kind = next((name for magic, name in MAGIC if data.startswith(magic)), None)
    head = data[:4096]
    if kind is None and head and sum(byte in CONTROL for byte in head) > len(head) // 10:
        kind = "binary data (control bytes)"
    if kind:
        raise TextError(f"binary content ({kind}), not {what}")
    return data.replace(b"\x00", b"")


def html_depth(data: bytes) -> int:
    """Return how deeply the elements of ``data`` nest (void and self-closed tags not counted)."""
    depth = deepest = 0
    for match in TAG.finditer(data):
        closing, name, selfclosed = match.groups()
        if closing:
            depth = max(0, depth - 1)
        elif not selfclosed and name.lower() not in VOID:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def decode_text(data: bytes) -> str:
    """Decode a plain-text file: BOM, else UTF-8, else the best charset guess.

    Raises ``TextError`` for binary content, a document over the size limit, or no text at all.
    """
    data = check_document(data)
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:65536]).best()
    return data.decode(best.encoding if best else "latin-1", errors="replace")


def plain_to_text(data: bytes) -> PageText:
    """Read a plain-text document: the text as is, its first non-empty line as the title, its
    detected language."""
    text = decode_text(data)
    if not text.strip():
        raise TextError("empty text")
    first = next(line.strip() for line in text.splitlines() if line.strip())
    return PageText(text=text, title=first[:TITLE_MAX], language=detect_language(text))


def html_to_text(html: bytes | str, url: str | None = None, *, read_at: datetime | None = None) -> PageText:
    """Extract the main text and metadata of an HTML page (see the module docstring).

    ``url`` is where the page was read (None, or a ``file://`` URI, for a local file); it
    resolves a relative canonical link and is the identity a canonical URL of another site is
    refused for. ``read_at`` is when it was read: no date after it (plus ``LEAD``) is plausible.
    Raises ``TextError`` when the page has no main text.
    """
    from htmldate.utils import load_html
    from trafilatura import bare_extraction

    if isinstance(html, bytes):
        html = check_document(html, "HTML")
    doc = bare_extraction(html, url=url, with_metadata=True, include_comments=False)
    text = (getattr(doc, "text", None) or "").strip()
    if not text:
        raw = html if isinstance(html, bytes) else html.encode("utf-8", "replace")
        if (depth := html_depth(raw)) > MAX_HTML_DEPTH:
            raise TextError(f"elements nested {depth:,} deep, more than the parser's {MAX_HTML_DEPTH}; no text read")
        raise TextError("no main text found in the page")
    meta: dict[str, Any] = doc.as_dict() if doc is not None and not isinstance(doc, dict) else doc or {}
    tree = load_html(html)
    web_url = url if url and url.lower().startswith(("http://", "https://")) else None
    published, label = publication_date(tree, web_url, text=text, max_date=(read_at + LEAD).date() if read_at else None)
    return PageText(
        text=text,
        title=meta.get("title"),
        author=meta.get("author"),
        site=site_name(meta, tree),
        canonical_url=page_canonical(tree, web_url) if tree is not None else None,
        published=published,
        date_source=evidence_kind(label),
        language=detect_language(text),
    )


def date_near_top(text: str, language: str = "en") -> date | None:
    """Return the first full date (day, month, year) stated on a short line near the top.

    Candidate spans come from ``DATE_SPAN`` on the first ``TOP_LINES`` non-empty lines of at
    most ``TOP_LINE_MAX`` characters; each is parsed with dateparser in ``language``.
    """
    lines = [line for line in text.splitlines() if line.strip()][:TOP_LINES]
    for line in lines:
        if len(line) > TOP_LINE_MAX:
            continue
        for match in DATE_SPAN.finditer(line):
            parsed: datetime | None = _date_parser(language).get_date_data(match.group(0)).date_obj
            if parsed is not None:
                return parsed.date()
    return None


@lru_cache(maxsize=8)
def _date_parser(language: str) -> Any:
    """Return one reusable dateparser ``DateDataParser`` for full dates in ``language``."""
    from dateparser.date import DateDataParser  # type: ignore[import-untyped]  # dateparser ships no types

    return DateDataParser(
        languages=[language],
        settings={
            "REQUIRE_PARTS": ["day", "month", "year"],
            "PREFER_DAY_OF_MONTH": "first",
            "STRICT_PARSING": True,
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )


def site_name(meta: dict[str, Any], tree: Any) -> str | None:
    """The site's name from trafilatura's metadata (``sitename``, else ``hostname``), except a
    part of the page's ``<title>`` holding a digit: trafilatura takes a title part with a ``.``
    for a site's domain name, and on a daily page ("... from 24.02 to 13.04 | Ministry") that is
    the page's own headline, different on every page."""
    name = meta.get("sitename")
    title = (tree.findtext(".//title") or "") if tree is not None else ""
    if name and name in title and any(char.isdigit() for char in name):
        name = None
    return name or meta.get("hostname")


def resolve_published(
    page: PageText, feed_date: date | None = None, given: date | None = None, language: str = "en"
) -> PageText:
    """Return ``page`` with ``published`` and ``date_source`` set by the fallback chain.

    Order: ``given`` (the user's ``--published``); what the page states (``metadata``, then a
    date at the top of its main text, ``text``); ``feed_date``; a date in the URL (``url``) or
    found by searching the page (``search``); a date near the top of a plain text (``text``);
    else None. Never the current date.
    """
    if given is not None:
        return replace(page, published=given, date_source="given")
    if page.published is not None and page.date_source in PAGE_EVIDENCE:
        return page
    if feed_date is not None:
        return replace(page, published=feed_date, date_source="feed")
    if page.published is not None:
        return page
    found = date_near_top(page.text, language)
    return replace(page, published=found, date_source="text" if found else None)
