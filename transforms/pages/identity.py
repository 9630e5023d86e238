"""Who an article is: its identity, content hash and the deterministic ids derived from them.

An article is identified by its canonical URL (the page's own, when it names an article; see
``canonical.page_canonical``), else by where it was read: the fetched URL (canonicalised), or
a local file's path (its ``file://`` URI). ``article_id`` is derived from that identity; a later
text of the same article (an update) is a new version with its own id (``version_id``), and the
same text under another identity is a copy (decided where what is stored is known). ``claim_id``
comes from the article, the claim's span and the extractor version, so a rerun produces the same
ids and the loader can upsert instead of duplicating.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from claimtrack.transforms.pages.canonical import canonical_url
from claimtrack.transforms.pages.text import PageText

ID_LENGTH = 16  # hex characters of a sha256 digest: 64 bits, ample for one user's corpus

WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Article:
    """One article as stored: where it was read, its metadata, its text and its identity.

    ``url`` is where it was read (an http(s) URL, or a ``file://`` URI for local files);
    ``date_source`` says which evidence gave ``published`` (see ``PageText``); ``copy_of``
    names the article whose text it repeats (set by the loader, which knows what is stored);
    ``version_of`` the first version's ``article_id`` when this is a later text of a stored
    article; ``feed_title``/``feed_date`` are what the feed item that linked to it said, when it
    came from a feed; ``input`` is the input it was read for (a path or URL as given, or a feed
    item's link), for the run's accounting (not stored with the article).
    """

    article_id: str
    url: str
    canonical_url: str | None
    title: str | None
    author: str | None
    site: str | None
    published: date | None
    date_source: str | None
    fetched: datetime
    content_hash: str
    text: str
    source: str | None = None
    language: str | None = None
    copy_of: str | None = None
    feed_title: str | None = None
    feed_date: date | None = None
    version_of: str | None = None
    input: str | None = None


def digest(*parts: object) -> str:
    """Return the first ``ID_LENGTH`` hex characters of sha256 over ``parts`` joined by ``|``."""
    joined = "|".join(str(part) for part in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:ID_LENGTH]


def normalised_text(text: str) -> str:
    """Return ``text`` reduced for comparison: NFKC, case-folded, words joined by single spaces."""
    return " ".join(WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


def content_hash(text: str) -> str:
    """Return the full sha256 hex digest of ``normalised_text(text)``."""
    return hashlib.sha256(normalised_text(text).encode("utf-8")).hexdigest()


def article_id(canonical: str | None, location: str) -> str:
    """Return the id of an article's first version: from its canonical URL when known, else from
    ``location``, where it was read (a local file's ``file://`` URI)."""
    return digest("url", canonical) if canonical else digest("file", location)


def version_id(first: str, text_hash: str) -> str:
    """Return the id of the version of article ``first`` (its first version's id) whose text has
    ``text_hash``."""
    return digest("version", first, text_hash)


def claim_id(article: str, start: int, end: int, extractor_version: str) -> str:
    """Return the id of the claim at ``[start, end)`` of ``article`` by that extractor version."""
    return digest(article, start, end, extractor_version)


def comparison_id(article: str, start: int, end: int, extractor_version: str) -> str:
    """Return the id of a comparison record (a separate id space from claims)."""
    return digest("comparison", article, start, end, extractor_version)


def make_article(
    page: PageText,
    url: str,
    fetched: datetime,
    source: str | None = None,
    language: str | None = None,
    feed_title: str | None = None,
    feed_date: date | None = None,
) -> Article:
    """Return the ``Article`` for ``page`` read at ``url``, with its identity, hash and id.

    The canonical URL is the page's own (``page.canonical_url``) else ``url`` canonicalised (an
    http(s) URL); a local file without one has none, and its id comes from its path. The
    language is the one detected in the text, else ``language`` (the source's).
    """
    canonical = page.canonical_url or canonical_url(url)
    return Article(
        article_id=article_id(canonical, url),
        url=url,
        canonical_url=canonical,
        title=page.title,
        author=page.author,
        site=page.site,
        published=page.published,
        date_source=page.date_source,
        fetched=fetched,
        content_hash=content_hash(page.text),
        text=page.text,
        source=source,
        language=page.language or language,
        feed_title=feed_title,
        feed_date=feed_date,
    )
