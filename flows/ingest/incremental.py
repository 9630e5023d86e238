"""What a run can skip, and what each article it reads is: new, a new version, a copy, or
already stored.

``Known`` is read from the database once per run (``load_known``). Before fetching, an input
whose URL (or canonical URL) is stored is skipped, and so is a local file stored under its
``file://`` URI and not modified since it was read (``split_stored``). After text extraction
(``sort_articles``), an article is identified by its canonical URL (the page's own) or where it
was read: with a text it already has (stored, or read earlier in this run) it is already
stored; with a text another article has, a copy (loaded without claim extraction); with a new
text of a known article, a new version (its own id and claims; the earlier ones stay); else
new. In one run, one canonical URL stands for one text: a page naming a canonical URL that an
earlier page of the run named with another text (a site template's mistake, say) is identified
by where it was read instead. A feed URL is requested with the ``ETag`` / ``Last-Modified`` it
answered last time, so an unchanged feed costs one 304 request; its new validators are stored at
the end of the run, unless one of its items failed to fetch (so the next run reads the feed
again and retries them).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from claimtrack.ingest.sources import Input, absolute, is_url
from claimtrack.transforms.model import Failure
from claimtrack.transforms.pages import Article, article_id, canonical_url, version_id

FEED_STATE_SCHEMA = {"url": pl.Utf8(), "etag": pl.Utf8(), "last_modified": pl.Utf8()}


@dataclass
class Known:
    """What the database holds: every article id; per URL and canonical URL, the first version's
    id of the article stored there and when it was last read; per first version, the text
    hashes of its versions; the text hashes of originals (not copies); feed validators."""

    ids: set[str] = field(default_factory=set)
    urls: dict[str, tuple[str, datetime]] = field(default_factory=dict)
    versions: dict[str, set[str]] = field(default_factory=dict)
    hashes: set[str] = field(default_factory=set)
    feeds: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)


@dataclass
class Seen:
    """What this run has read so far: per first version, the text hashes read; the text hashes
    of the originals it stores; per canonical URL a page named, the first text naming it."""

    versions: dict[str, set[str]] = field(default_factory=dict)
    hashes: set[str] = field(default_factory=set)
    canonicals: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Sorted:
    """Extracted articles sorted (``sort_articles``): originals to extract claims from (``new``:
    new articles and new versions), ``copies`` (loaded without claims) and ``outcomes``,
    ``(input, outcome, article_id)`` for each article, ``stored`` ones included."""

    new: list[Article]
    copies: list[Article]
    outcomes: list[tuple[str, str, str | None]]


@dataclass
class FeedLedger:
    """Feeds read this run: new validators, feeds with a failed item, and feeds answering 304."""

    validators: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    dirty: set[str] = field(default_factory=set)
    unchanged: int = 0

    def merge(self, other: FeedLedger) -> None:
        """Add what ``other`` (a worker's ledger) saw."""
        self.validators.update(other.validators)
        self.dirty |= other.dirty
        self.unchanged += other.unchanged

    def to_frame(self) -> pl.DataFrame:
        """The validators to store: every feed read with validators whose items all fetched."""
        rows = [
            {"url": url, "etag": etag, "last_modified": modified}
            for url, (etag, modified) in sorted(self.validators.items())
            if url not in self.dirty
        ]
        return pl.DataFrame(rows, schema=FEED_STATE_SCHEMA)


def load_known(db: Path) -> Known:
    """Return what ``db`` already holds (one read of the database)."""
    from claimtrack.transforms import warehouse  # here: reading local files needs no DuckDB

    articles, feeds = warehouse.known_articles(db)
    known = Known(feeds={row["url"]: (row["etag"], row["last_modified"]) for row in feeds.iter_rows(named=True)})
    for row in articles.iter_rows(named=True):
        first, read = row["first_version"], row["fetched"]
        known.ids.add(row["article_id"])
        known.versions.setdefault(first, set()).add(row["content_hash"])
        if row["original"]:
            known.hashes.add(row["content_hash"])
        for url in {row["url"], row["canonical_url"]} - {None}:
            if url not in known.urls or known.urls[url][1] < read:
                known.urls[url] = (first, read)
    return known


def location_uri(item: Input) -> str:
    """The URL an input is stored under: its URL, or the ``file://`` URI of a local file."""
    return item.location if is_url(item.location) else absolute(Path(item.location)).as_uri()


def stored_as(item: Input, known: Known) -> str | None:
    """The first version's id of the stored article ``item`` (not a feed) is, or None when it must
    be read: an unstored URL, or a local file modified since it was last read."""
    if item.kind == "feed" or (item.kind == "url" and item.via is None and item.location in known.feeds):
        return None
    where = location_uri(item)
    found = known.urls.get(where) or known.urls.get(canonical_url(where) or "")
    if found is None or item.kind == "url":
        return found[0] if found else None
    try:
        modified = datetime.fromtimestamp(Path(item.location).stat().st_mtime, UTC)
    except OSError:
        return None  # reading it reports the problem
    return found[0] if modified <= found[1] else None


def split_stored(items: list[Input], known: Known) -> tuple[list[Input], list[tuple[str, str, str | None]]]:
    """Return the inputs still to read, and ``(input, "stored", article_id)`` for those skipped."""
    fresh, skipped = [], []
    for item in items:
        if (first := stored_as(item, known)) is None:
            fresh.append(item)
        else:
            skipped.append((item.location, "stored", first))
    return fresh, skipped


def conditional_headers(url: str, known: Known) -> dict[str, str]:
    """The ``If-None-Match`` / ``If-Modified-Since`` headers for a feed read before (else none)."""
    etag, modified = known.feeds.get(url, (None, None))
    headers = {"If-None-Match": etag} if etag else {}
    if modified:
        headers["If-Modified-Since"] = modified
    return headers


def own_identity(article: Article) -> Article:
    """``article`` identified by where it was read (its URL, or a local file's path), not by the
    canonical URL its page names."""
    own = canonical_url(article.url)
    return replace(article, canonical_url=own, article_id=article_id(own, article.url))


def named_once(article: Article, seen: Seen) -> Article:
    """``article``, or, when its page names a canonical URL that an earlier page of this run named
    with another text, ``article`` identified by where it was read."""
    named = article.canonical_url
    if named is None or named == canonical_url(article.url):
        return article
    first_text = seen.canonicals.setdefault(named, article.content_hash)
    return article if first_text == article.content_hash else own_identity(article)


def first_version(article: Article, known: Known) -> str:
    """The id of the first version of ``article``: its own id, or, for a local file stored under
    an id of an older scheme, the id stored at its URL."""
    if article.article_id in known.versions or article.canonical_url is not None:
        return article.article_id
    found = known.urls.get(article.url)
    return found[0] if found else article.article_id


def sort_articles(articles: list[Article], known: Known, seen: Seen) -> Sorted:
    """Sort extracted articles into new ones and new versions (to extract claims from), copies,
    and already stored ones (see the module docstring); ``seen`` records what this run read."""
    new, copies, outcomes = [], [], []
    for read in articles:
        article = named_once(read, seen)
        first = first_version(article, known)
        texts = seen.versions.setdefault(first, set())
        earlier = known.versions.get(first, set())
        if article.content_hash in texts or article.content_hash in earlier:
            outcomes.append((article.input or article.url, "stored", first))
            continue
        if texts or earlier:
            article = replace(article, article_id=version_id(first, article.content_hash), version_of=first)
        texts.add(article.content_hash)
        is_copy = article.content_hash in known.hashes or article.content_hash in seen.hashes
        (copies if is_copy else new).append(article)
        outcome = "copy" if is_copy else "version" if article.version_of else "new"
        outcomes.append((article.input or article.url, outcome, article.article_id))
        seen.hashes.add(article.content_hash)
    return Sorted(new, copies, outcomes)


def forget_failed(sorted_: Sorted, kept: list[Article], seen: Seen, when: datetime) -> tuple[Sorted, list[Failure]]:
    """After claim extraction kept ``kept`` of ``sorted_.new``: forget what this run read of the
    failed ones (so the next run reads them again), and turn the copies of their texts into
    failures (neither is stored). Returns the batch to load and those failures."""
    kept_ids = {article.article_id for article in kept}
    failed = [article for article in sorted_.new if article.article_id not in kept_ids]
    lost = {article.content_hash for article in failed}
    for article in failed:
        seen.hashes.discard(article.content_hash)
        seen.versions.get(article.version_of or article.article_id, set()).discard(article.content_hash)
    copies = [copy for copy in sorted_.copies if copy.content_hash not in lost]
    failures = [
        Failure(copy.input or copy.url, "extract", "same text as an article whose claim extraction failed", when)
        for copy in sorted_.copies
        if copy.content_hash in lost
    ]
    failed_ids, failed_copies = {article.article_id for article in failed}, {f.input for f in failures}
    outcomes = [
        (where, outcome, article)
        for where, outcome, article in sorted_.outcomes
        if not (outcome in ("new", "version") and article in failed_ids)
        and not (outcome == "copy" and where in failed_copies)
    ]
    return Sorted(kept, copies, outcomes), failures
