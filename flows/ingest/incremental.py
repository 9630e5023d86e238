"""What a run can skip: articles already stored and feeds unchanged since the last run.

``Known`` is read from the database once per run (``load_known``). Before fetching, an input
whose URL (or canonical URL, or ``file://`` URI) is stored is skipped; after text extraction,
an article whose id is stored is skipped, and one whose text is stored under another id, or was
read earlier in this run, goes to the loader as a copy without claim extraction. A feed URL is
requested with the ``ETag`` / ``Last-Modified`` it answered last time, so an unchanged feed costs
one 304 request; its new validators are stored at the end of the run, unless one of its items
failed to fetch (so the next run reads the feed again and retries them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from claimtrack.ingest.sources import Input, absolute, is_url
from claimtrack.transforms.pages import Article, canonical_url

FEED_STATE_SCHEMA = {"url": pl.Utf8(), "etag": pl.Utf8(), "last_modified": pl.Utf8()}


@dataclass
class Known:
    """Stored article ids, URLs (as read and canonical) and text hashes, and feed validators."""

    ids: set[str] = field(default_factory=set)
    urls: set[str] = field(default_factory=set)
    hashes: set[str] = field(default_factory=set)
    feeds: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)


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
    urls = {u for column in ("url", "canonical_url") for u in articles[column].to_list() if u}
    return Known(
        ids=set(articles["article_id"].to_list()),
        urls=urls,
        hashes=set(articles["content_hash"].to_list()),
        feeds={row["url"]: (row["etag"], row["last_modified"]) for row in feeds.iter_rows(named=True)},
    )


def location_uri(item: Input) -> str:
    """The URL an input is stored under: its URL, or the ``file://`` URI of a local file."""
    return item.location if is_url(item.location) else absolute(Path(item.location)).as_uri()


def is_stored(item: Input, known: Known) -> bool:
    """Return True when ``item`` (not a feed) is an article already stored, by URL or canonical URL."""
    if item.kind == "feed" or (item.kind == "url" and item.via is None and item.location in known.feeds):
        return False
    where = location_uri(item)
    return where in known.urls or (canonical_url(where) or "") in known.urls


def split_stored(items: list[Input], known: Known) -> tuple[list[Input], int]:
    """Return the inputs still to read, and how many were skipped as already stored."""
    fresh = [item for item in items if not is_stored(item, known)]
    return fresh, len(items) - len(fresh)


def conditional_headers(url: str, known: Known) -> dict[str, str]:
    """The ``If-None-Match`` / ``If-Modified-Since`` headers for a feed read before (else none)."""
    etag, modified = known.feeds.get(url, (None, None))
    headers = {"If-None-Match": etag} if etag else {}
    if modified:
        headers["If-Modified-Since"] = modified
    return headers


def sort_articles(
    articles: list[Article], known: Known, run_hashes: set[str]
) -> tuple[list[Article], list[Article], int]:
    """Split extracted articles into those to extract claims from, copies (loaded without
    extraction: the text is stored already, or an earlier article of this run has it), and the
    count of articles already stored under their id (skipped). ``run_hashes``, the text hashes
    of this run's originals, gets those of the new originals (see ``forget_failed``)."""
    fresh, copies = [], []
    for article in articles:
        if article.article_id in known.ids:
            continue
        if article.content_hash in known.hashes or article.content_hash in run_hashes:
            copies.append(article)
        else:
            run_hashes.add(article.content_hash)
            fresh.append(article)
    return fresh, copies, len(articles) - len(fresh) - len(copies)


def forget_failed(
    fresh: list[Article], kept: list[Article], copies: list[Article], run_hashes: set[str]
) -> list[Article]:
    """After claim extraction kept ``kept`` of the ``fresh`` originals: drop the failed ones'
    hashes from ``run_hashes`` and return ``copies`` without copies of them (neither is stored,
    so the next run reads both again)."""
    failed = {article.content_hash for article in fresh} - {article.content_hash for article in kept}
    run_hashes -= failed
    return [copy for copy in copies if copy.content_hash not in failed]
