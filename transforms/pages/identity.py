"""Who an article is: canonical URLs, content hashes and the deterministic ids derived from them.

An article is the same article when its canonical URL (tracking parameters dropped) or its
normalised text is the same. ``article_id`` comes from the canonical URL when there is one, else
from the text hash; ``claim_id`` from the article, the claim's span and the extractor version, so a
rerun produces the same ids and the loader can upsert instead of duplicating.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from claimtrack.transforms.pages.text import PageText

ID_LENGTH = 16  # hex characters of a sha256 digest: 64 bits, ample for one user's corpus

TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gclsrc",
        "msclkid",
        "yclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "ref",
        "ref_src",
        "ref_url",
        "cmpid",
        "ocid",
        "smid",
        "smtyp",
        "ito",
        "s_cid",
        "rss",
        "taid",
        "soc_src",
        "soc_trk",
        "guccounter",
        "mbid",
        "spm",
        "sr_share",
        "xtor",
    }
)
TRACKING_PREFIXES = ("utm_", "wt_", "at_", "pk_", "hsa_", "_hs", "mtm_", "oly_", "vero_")
DEFAULT_PORTS = {"http": 80, "https": 443}
WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Article:
    """One article as stored: where it was read, its metadata, its text and its identity.

    ``url`` is where it was read (an http(s) URL, or a ``file://`` URI for local files);
    ``date_source`` says which rule gave ``published`` (``given``, ``metadata``, ``feed``,
    ``text``, or None when no date was found); ``copy_of`` names the article it duplicates
    (set by the loader, which knows what is stored); ``feed_title``/``feed_date`` are what the
    feed item that linked to it said, when it came from a feed.
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


def digest(*parts: object) -> str:
    """Return the first ``ID_LENGTH`` hex characters of sha256 over ``parts`` joined by ``|``."""
    joined = "|".join(str(part) for part in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:ID_LENGTH]


def is_tracking_param(name: str) -> bool:
    """Return True for query parameters that only track the reader (``utm_source``, ``fbclid`` ...)."""
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def canonical_url(url: str | None) -> str | None:
    """Return ``url`` normalised for identity, or None when it is not an absolute http(s) URL.

    Lower-cases scheme and host, drops default ports, the fragment and tracking parameters, sorts
    the remaining query parameters, and turns an empty path into ``/``.
    """
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if scheme not in DEFAULT_PORTS or not host:
        return None
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not is_tracking_param(k))
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query), ""))


def normalised_text(text: str) -> str:
    """Return ``text`` reduced for comparison: NFKC, case-folded, words joined by single spaces."""
    return " ".join(WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


def content_hash(text: str) -> str:
    """Return the full sha256 hex digest of ``normalised_text(text)``."""
    return hashlib.sha256(normalised_text(text).encode("utf-8")).hexdigest()


def article_id(canonical: str | None, text_hash: str) -> str:
    """Return the article id: from the canonical URL when known, else from the text hash."""
    return digest("url", canonical) if canonical else digest("text", text_hash)


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
    """Return the ``Article`` for ``page`` read at ``url``, with its canonical URL, hash and id.

    The canonical URL is the page's own (``<link rel=canonical>``) else ``url``, tracking
    parameters dropped; local files (``file://``) have none, so their id comes from the text.
    """
    canonical = canonical_url(page.canonical_url) or canonical_url(url)
    text_hash = content_hash(page.text)
    return Article(
        article_id=article_id(canonical, text_hash),
        url=url,
        canonical_url=canonical,
        title=page.title,
        author=page.author,
        site=page.site,
        published=page.published,
        date_source=page.date_source,
        fetched=fetched,
        content_hash=text_hash,
        text=page.text,
        source=source,
        language=language,
        feed_title=feed_title,
        feed_date=feed_date,
    )


def drop_repeats(articles: list[Article], seen_ids: set[str]) -> list[Article]:
    """Return ``articles`` without those whose id is in ``seen_ids`` or earlier in the list.

    ``seen_ids`` is updated in place, so one set carried across batches keeps a run from
    reading the same article twice (the same canonical URL from a feed and from the command
    line, say). Copies under other ids are kept: the loader marks them (``copy_of``).
    """
    out = []
    for article in articles:
        if article.article_id not in seen_ids:
            seen_ids.add(article.article_id)
            out.append(article)
    return out
