"""The pipeline's steps: Prefect tasks around the pure functions of ``claimtrack.transforms`` and
the I/O of ``claimtrack.ingest``, the plain functions they call, and the records they pass on.

Each task is thin: fetch a batch's URLs on ``FETCH_THREADS`` threads (``fetch_pages``), read
local files (``read_files``), extract the text and identity of documents (``extract_text``),
their claims and comparisons (``extract_claims``), build the typed polars frames of a batch
(``normalise``) and load them in one transaction (``load``). An input that fails becomes a
``Failure`` and the others go on. ``claimtrack.batches`` arranges these steps into batches;
``claimtrack.pipeline`` is the flow.
"""

from __future__ import annotations

import os
import platform
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from prefect import task
from prefect.cache_policies import NO_CACHE

from claimtrack import ingest
from claimtrack.ingest import FeedLedger, FetchSettings, Input
from claimtrack.transforms import normalize, warehouse
from claimtrack.transforms.model import Claim, Comparison, Failure
from claimtrack.transforms.pages import (
    Article,
    TextError,
    html_to_text,
    is_extracted,
    make_article,
    plain_to_text,
    resolve_published,
)

if TYPE_CHECKING:
    import polars as pl

FETCH_THREADS = 8  # URLs fetched at once per process (claimtrack.ingest.polite still limits each host)
_pool: list[ThreadPoolExecutor] = []  # the process's fetching pool, made by its first batch
_pool_lock = threading.Lock()  # two batches' fetch tasks may start at once


def fetch_pool() -> ThreadPoolExecutor:
    """The process's pool of ``FETCH_THREADS`` fetching threads, made on first use."""
    with _pool_lock:
        if not _pool:
            _pool.append(ThreadPoolExecutor(FETCH_THREADS, thread_name_prefix="claimtrack-fetch"))
        return _pool[0]


@dataclass(frozen=True)
class Document:
    """The bytes of one input, ready for text extraction. ``url``: final URL or ``file://`` URI."""

    input: Input
    url: str
    body: bytes
    kind: str
    fetched: datetime


@dataclass
class Gathered:
    """What reading or fetching some inputs gave: documents to extract, feed items to read next,
    and failures."""

    documents: list[Document] = field(default_factory=list)
    more: list[Input] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)

    def plus(self, other: Gathered) -> Gathered:
        """These followed by ``other``'s."""
        return Gathered(self.documents + other.documents, self.more + other.more, self.failures + other.failures)


@dataclass
class Extracted:
    """What claim extraction gave: the articles it kept (an article whose extraction failed is
    left out), their claims and comparisons (each with its article's id), the failures, and the
    worker it ran on."""

    articles: list[Article] = field(default_factory=list)
    claims: list[tuple[str, Claim]] = field(default_factory=list)
    comparisons: list[tuple[str, Comparison]] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    worker: str = ""


def now() -> datetime:
    """The current time in UTC (when a document was read, when a failure happened)."""
    return datetime.now(UTC)


def failure_of(where: str, stage: str, reason: object, lost: bool = True) -> Failure:
    """A ``Failure`` of ``where`` at ``stage``, keeping the first line of ``reason``; ``lost``:
    the input was not read (False for a note about an input that was)."""
    lines = str(reason).strip().splitlines()
    return Failure(where, stage, lines[0] if lines else "unknown error", now(), lost)


@task(name="discover", cache_policy=NO_CACHE, persist_result=False)
def discover_inputs(sources: list[str], sources_file: Path, published: date | None) -> ingest.Discovered:
    """Task: the inputs named by ``sources``, failures, files skipped in folders (see
    ``claimtrack.ingest.sources.discover``)."""
    return ingest.discover(sources, sources_file, published)


def worker_id() -> str:
    """Where a task runs: ``host:pid`` (tells Dask workers apart in the run summary)."""
    return f"{platform.node()}:{os.getpid()}"


def fetch_page(item: Input, settings: FetchSettings, headers: dict[str, str]) -> ingest.Page | Failure:
    """Fetch one URL politely (``claimtrack.ingest.polite``: robots.txt, per-host limits, retries honouring
    Retry-After) and safely (private addresses only when the settings or the input's source allow
    them); a URL that still fails becomes a ``Failure``."""
    if item.allow_private and not settings.allow_private_addresses:
        settings = replace(settings, allow_private_addresses=True)  # its source reads an intranet
    try:
        return ingest.polite_fetch(item.location, settings, headers or None)
    except ingest.FetchError as exc:
        return failure_of(item.location, "fetch", exc.reason)


@task(
    name="fetch",
    cache_policy=NO_CACHE,
    persist_result=False,
    task_run_name="fetch {requests[0][0].location} and the batch's other URLs",
)
def fetch_pages(
    requests: list[tuple[Input, dict[str, str]]], settings: FetchSettings
) -> tuple[list[ingest.Page | Failure], str]:
    """Task: fetch a batch of URLs (``fetch_page``, each with its conditional headers) on the
    process's fetching threads (``fetch_pool()``); return the pages or failures in order, and
    ``worker_id()``.

    One task run per batch (it was one per chunk of URLs, eight per batch): each task run costs
    Prefect's bookkeeping (states, events sent to the API, rows in its database).
    """
    pages = fetch_pool().map(lambda request: fetch_page(request[0], settings, request[1]), requests)
    return list(pages), worker_id()


@task(name="read files", cache_policy=NO_CACHE, persist_result=False)
def read_files(items: list[Input]) -> Gathered:
    """Task: read local files; a feed file yields its items as new inputs."""
    read = Gathered()
    for item in items:
        path = Path(item.location)
        try:
            body = ingest.read_local(path)
        except OSError as exc:
            read.failures.append(failure_of(item.location, "read", exc.strerror or exc))
            continue
        if item.kind == "feed":
            new, problems = feed_inputs(item, body)
            read.more.extend(new)
            read.failures.extend(problems)
        else:
            read.documents.append(Document(item, path.resolve().as_uri(), body, item.kind, now()))
    return read


def feed_inputs(feed: Input, body: bytes) -> tuple[list[Input], list[Failure]]:
    """Turn a feed's bytes into one ``url`` input per item, keeping the item's date and title."""
    try:
        items, refused = ingest.parse_feed(body)
    except ingest.FeedError as exc:
        return [], [failure_of(feed.location, "feed", exc)]
    inputs = [
        Input(
            i.link,
            "url",
            source=feed.source,
            language=feed.language,
            feed_date=i.published,
            feed_title=i.title,
            via=feed.location,
            allow_private=feed.allow_private,
        )
        for i in items
    ]
    # a refused "(...)" entry is a note on the feed (read in recovery mode, items past the limit)
    notes = [failure_of(f"{feed.location} -> {link}", "feed", why, not link.startswith("(")) for link, why in refused]
    return inputs, notes


def sort_pages(items: list[Input], results: list[ingest.Page | Failure], ledger: FeedLedger) -> Gathered:
    """Split fetched responses into documents, feed items to read next, and failures; note feed
    validators, unchanged feeds (304) and feeds with a failed item in ``ledger``."""
    gathered = Gathered()
    for item, result in zip(items, results, strict=True):
        if isinstance(result, Failure):
            gathered.failures.append(result)
            if item.via:
                ledger.dirty.add(item.via)
        elif result.status == 304:
            ledger.unchanged += 1
        elif ingest.looks_like_feed(result.body, result.content_type):
            if item.via:
                reason = f"a feed linked from the feed {item.via}; not followed"
                gathered.failures.append(failure_of(item.location, "feed", reason))
                continue
            if result.etag or result.last_modified:
                ledger.validators[item.location] = (result.etag, result.last_modified)
            new, problems = feed_inputs(item, result.body)
            gathered.more.extend(new)
            gathered.failures.extend(problems)
        else:
            kind = "text" if result.content_type.lower().startswith("text/plain") else "html"
            gathered.documents.append(Document(item, result.final_url, result.body, kind, result.fetched))
    return gathered


@task(name="extract text", cache_policy=NO_CACHE, persist_result=False)
def extract_text(docs: list[Document]) -> tuple[list[Article], list[Failure], str]:
    """Task: main text, metadata, publication date, language and identity of each document; and
    ``worker_id()``."""
    articles, failures = [], []
    for doc in docs:
        item = doc.input
        try:
            page = (
                html_to_text(doc.body, doc.url, read_at=doc.fetched) if doc.kind == "html" else plain_to_text(doc.body)
            )
        except Exception as exc:
            reason = exc if isinstance(exc, TextError) else f"{type(exc).__name__}: {exc}"
            failures.append(failure_of(item.location, "text", reason))
            continue
        if not page.title and item.feed_title:
            page = replace(page, title=item.feed_title)
        page = resolve_published(page, item.feed_date, item.published)
        article = make_article(page, doc.url, doc.fetched, item.source, item.language, item.feed_title, item.feed_date)
        articles.append(replace(article, input=item.location))
    return articles, failures, worker_id()


def extracts(article: Article) -> bool:
    """Whether the extractor reads ``article``'s language (``pages.is_extracted``)."""
    return is_extracted(article.language)


@task(name="extract claims", cache_policy=NO_CACHE, persist_result=False)
def extract_claims(articles: list[Article]) -> Extracted:
    """Task: the claims and comparisons of each article, with ``worker_id()``. An article whose
    extraction fails is dropped from the batch (so what is stored for it stays as it was) and reported."""
    return replace(extract_article_claims(articles), worker=worker_id())


def extract_article_claims(articles: list[Article]) -> Extracted:
    """The claims and comparisons of each article (``Extracted``); no Prefect involved. An
    article in a language the extractor does not read is kept without claims."""
    from claimtrack.transforms import claims as extractor  # imported here: the extractor loads its rules

    done = Extracted()
    for article in articles:
        if not extracts(article):  # stored without claims, counted by the run
            done.articles.append(article)
            continue
        try:
            found = extractor.extract_claims(article.text, article.published)
            compared = extractor.extract_comparisons(article.text, article.published)
        except Exception as exc:
            done.failures.append(failure_of(article.input or article.url, "extract", f"{type(exc).__name__}: {exc}"))
            continue
        done.articles.append(article)
        done.claims.extend((article.article_id, claim) for claim in found)
        done.comparisons.extend((article.article_id, comparison) for comparison in compared)
    return done


@dataclass(frozen=True)
class Frames:
    """The typed polars frames of one batch (schemas in ``claimtrack.transforms.normalize``);
    ``inputs``: what became of each input."""

    articles: pl.DataFrame
    claims: pl.DataFrame
    comparisons: pl.DataFrame
    failures: pl.DataFrame
    inputs: pl.DataFrame


@task(name="normalise", cache_policy=NO_CACHE, persist_result=False)
def normalise(
    articles: list[Article],
    claims: list[tuple[str, Claim]],
    comparisons: list[tuple[str, Comparison]],
    failures: list[Failure],
    outcomes: list[tuple[str, str, str | None]],
    run_id: str,
) -> Frames:
    """Task: the typed polars frames of one batch (``outcomes``: what became of each input)."""
    return Frames(
        articles=normalize.articles_to_frame(articles),
        claims=normalize.claims_to_frame(claims),
        comparisons=normalize.comparisons_to_frame(comparisons),
        failures=normalize.failures_to_frame(run_id, failures),
        inputs=normalize.inputs_to_frame(outcomes),
    )


@task(name="load", cache_policy=NO_CACHE, persist_result=False)
def load(db: Path, run_id: str, frames: Frames, not_extracted: int) -> warehouse.LoadCounts:
    """Task: write one batch in one transaction (see ``warehouse.load_batch``)."""
    return warehouse.load_batch(
        db,
        frames.articles,
        frames.claims,
        frames.comparisons,
        frames.failures,
        run_id=run_id,
        inputs=frames.inputs,
        not_extracted=not_extracted,
    )


@dataclass
class Read:
    """What one ``read urls`` task returns: each article with its claims and comparisons, the
    feed items found, failures, the feeds it saw, and where it ran."""

    found: list[tuple[Article, list[tuple[str, Claim]], list[tuple[str, Comparison]]]]
    more: list[Input]
    failures: list[Failure]
    ledger: FeedLedger
    worker: str


@task(
    name="read urls", cache_policy=NO_CACHE, persist_result=False, task_run_name="read from {requests[0][0].location}"
)
def read_urls(requests: list[tuple[Input, dict[str, str]]], settings: FetchSettings) -> Read:
    """Task: fetch a chunk of URLs (with their conditional headers), extract text and claims."""
    ledger = FeedLedger()
    pages = [fetch_page(item, settings, headers) for item, headers in requests]
    gathered = sort_pages([item for item, _ in requests], pages, ledger)
    articles, text_failures, _ = extract_text.fn(gathered.documents)
    found, claim_failures = [], []
    for article in articles:
        done = extract_article_claims([article])
        claim_failures.extend(done.failures)
        if done.articles:
            found.append((article, done.claims, done.comparisons))
    return Read(found, gathered.more, gathered.failures + text_failures + claim_failures, ledger, worker_id())
