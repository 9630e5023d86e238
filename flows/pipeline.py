"""The ``pipeline`` Prefect flow: discover -> fetch -> extract text -> extract claims ->
normalise -> load, one batch of inputs at a time.

Tasks are thin wrappers around the pure functions in ``transforms`` and the I/O in
``flows.fetch``/``flows.polite``/``flows.sources``. ``fetch`` runs once per chunk of URLs
(mapped over the task runner) and retries transient errors itself (``flows.polite``, honouring
Retry-After); text and claim extraction run once per batch. With ``chunks > 1`` (Dask workers)
each chunk of URLs is fetched and extracted in one task where it runs (``flows.spread``). What
is already stored is skipped (``flows.incremental``, one read of the database per run); each
run publishes a markdown summary artifact and shows progress (``flows.observe``). An input that fails gets one log line and a ``failures`` row; the run goes on.
The database is opened only by the flow process (the single writer), to record the run and to
load a batch, and closed at once.
"""
from __future__ import annotations

import json
import logging
import os
import platform
import uuid
from collections import deque
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import unmapped

from flows import DEFAULT_DB
from flows import fetch as fetching
from flows.incremental import FeedLedger, Known, conditional_headers, load_known, sort_articles, split_stored
from flows.observe import RunProgress, publish_summary, run_summary
from flows.polite import FetchSettings, polite_fetch, settings_for
from flows.sources import SOURCES_FILE, Input, discover, read_local
from transforms import normalize, warehouse
from transforms.identity import Article, drop_repeats, make_article
from transforms.model import Claim, Comparison
from transforms.normalize import Failure
from transforms.text import TextError, html_to_text, plain_to_text, resolve_published

BATCH_SIZE = 25
FETCH_WORKERS = 8
SHOWN_FAILURES = 20      # failure lines carried in the summary (all are stored)
Frames = tuple[Any, Any, Any, Any]
T = TypeVar("T")


@dataclass(frozen=True)
class Document:
    """The bytes of one input, ready for text extraction. ``url``: final URL or ``file://`` URI."""

    input: Input
    url: str
    body: bytes
    kind: str
    fetched: datetime


Gathered = tuple[list[Document], list[Input], list[Failure]]  # documents, feed items to read next, failures
Extracted = tuple[list[Article], list[tuple[str, Claim]], list[tuple[str, Comparison]], list[Failure]]


def _now() -> datetime:
    return datetime.now(UTC)


def _failure(where: str, stage: str, reason: object) -> Failure:
    lines = str(reason).strip().splitlines()
    return Failure(where, stage, lines[0] if lines else "unknown error", _now())


@task(name="discover", cache_policy=NO_CACHE, persist_result=False)
def discover_inputs(sources: list[str], sources_file: Path,
                    published: date | None) -> tuple[list[Input], list[Failure]]:
    """Task: the inputs named by ``sources`` (see ``flows.sources.discover``)."""
    return discover(sources, sources_file, published)


def worker_id() -> str:
    """Where a task runs: ``host:pid`` (tells Dask workers apart in the run summary)."""
    return f"{platform.node()}:{os.getpid()}"


def fetch_page(item: Input, settings: FetchSettings, headers: dict[str, str]) -> fetching.Page | Failure:
    """Fetch one URL politely (``flows.polite``: robots.txt, per-host limits, retries honouring
    Retry-After); a URL that still fails becomes a ``Failure``."""
    try:
        return polite_fetch(item.location, settings, headers or None)
    except fetching.FetchError as exc:
        return _failure(item.location, "fetch", exc.reason)


@task(name="fetch", cache_policy=NO_CACHE, persist_result=False, task_run_name="fetch from {requests[0][0].location}")
def fetch_pages(requests: list[tuple[Input, dict[str, str]]],
                settings: FetchSettings) -> tuple[list[fetching.Page | Failure], str]:
    """Task: fetch a chunk of URLs one after the other (``fetch_page``), each with its conditional
    headers; return the pages or failures in order, and ``worker_id()``."""
    return [fetch_page(item, settings, headers) for item, headers in requests], worker_id()


@task(name="read files", cache_policy=NO_CACHE, persist_result=False)
def read_files(items: list[Input]) -> Gathered:
    """Task: read local files; a feed file yields its items as new inputs."""
    docs, more, failures = [], [], []
    for item in items:
        path = Path(item.location)
        try:
            body = read_local(path)
        except OSError as exc:
            failures.append(_failure(item.location, "read", exc.strerror or exc))
            continue
        if item.kind == "feed":
            new, problems = feed_inputs(item, body)
            more.extend(new)
            failures.extend(problems)
        else:
            docs.append(Document(item, path.resolve().as_uri(), body, item.kind, _now()))
    return docs, more, failures


def feed_inputs(feed: Input, body: bytes) -> tuple[list[Input], list[Failure]]:
    """Turn a feed's bytes into one ``url`` input per item, keeping the item's date and title."""
    try:
        items, refused = fetching.parse_feed(body)
    except fetching.FeedError as exc:
        return [], [_failure(feed.location, "feed", exc)]
    inputs = [Input(i.link, "url", feed.source, feed.language, None, i.published, i.title, feed.location)
              for i in items]
    return inputs, [_failure(f"{feed.location} -> {link}", "feed", reason) for link, reason in refused]


def sort_pages(items: list[Input], results: list[fetching.Page | Failure], ledger: FeedLedger) -> Gathered:
    """Split fetched responses into documents, feed items to read next, and failures; note feed
    validators, unchanged feeds (304) and feeds with a failed item in ``ledger``."""
    docs, more, failures = [], [], []
    for item, result in zip(items, results, strict=True):
        if isinstance(result, Failure):
            failures.append(result)
            if item.via:
                ledger.dirty.add(item.via)
        elif result.status == 304:
            ledger.unchanged += 1
        elif fetching.looks_like_feed(result.body, result.content_type):
            if item.via:
                reason = f"a feed linked from the feed {item.via}; not followed"
                failures.append(_failure(item.location, "feed", reason))
                continue
            if result.etag or result.last_modified:
                ledger.validators[item.location] = (result.etag, result.last_modified)
            new, problems = feed_inputs(item, result.body)
            more.extend(new)
            failures.extend(problems)
        else:
            kind = "text" if result.content_type.lower().startswith("text/plain") else "html"
            docs.append(Document(item, result.final_url, result.body, kind, result.fetched))
    return docs, more, failures


@task(name="extract text", cache_policy=NO_CACHE, persist_result=False)
def extract_text(docs: list[Document]) -> tuple[list[Article], list[Failure], str]:
    """Task: main text, metadata, publication date and identity of each document; and ``worker_id()``."""
    articles, failures = [], []
    for doc in docs:
        item = doc.input
        try:
            page = html_to_text(doc.body, doc.url) if doc.kind == "html" else plain_to_text(doc.body)
        except Exception as exc:  # noqa: BLE001 - one bad page must not stop the run
            reason = exc if isinstance(exc, TextError) else f"{type(exc).__name__}: {exc}"
            failures.append(_failure(item.location, "text", reason))
            continue
        if not page.title and item.feed_title:
            page = replace(page, title=item.feed_title)
        page = resolve_published(page, item.feed_date, item.published, item.language)
        articles.append(make_article(page, doc.url, doc.fetched, item.source, item.language,
                                     item.feed_title, item.feed_date))
    return articles, failures, worker_id()


@task(name="extract claims", cache_policy=NO_CACHE, persist_result=False)
def extract_claims(articles: list[Article]) -> tuple[Extracted, str]:
    """Task: the claims and comparisons of each article, and ``worker_id()``. An article whose
    extraction fails is dropped from the batch (so what is stored for it stays as it was) and reported."""
    return extract_article_claims(articles), worker_id()


def extract_article_claims(articles: list[Article]) -> Extracted:
    """The claims and comparisons of each article (``Extracted``); no Prefect involved."""
    from transforms import claims as extractor  # imported here: the extractor loads its rules

    kept, claims, comparisons, failures = [], [], [], []
    for article in articles:
        try:
            found = extractor.extract_claims(article.text, article.published)
            compared = extractor.extract_comparisons(article.text, article.published)
        except Exception as exc:  # noqa: BLE001 - any extractor bug must not stop the run
            failures.append(_failure(article.url, "extract", f"{type(exc).__name__}: {exc}"))
            continue
        kept.append(article)
        claims.extend((article.article_id, claim) for claim in found)
        comparisons.extend((article.article_id, comparison) for comparison in compared)
    return kept, claims, comparisons, failures


@task(name="normalise", cache_policy=NO_CACHE, persist_result=False)
def normalise(run_id: str, articles: list[Article], claims: list[tuple[str, Claim]],
              comparisons: list[tuple[str, Comparison]], failures: list[Failure]) -> Frames:
    """Task: the four typed polars frames of one batch."""
    return (normalize.articles_to_frame(articles), normalize.claims_to_frame(claims),
            normalize.comparisons_to_frame(comparisons), normalize.failures_to_frame(run_id, failures))


@task(name="load", cache_policy=NO_CACHE, persist_result=False)
def load(db: Path, frames: Frames) -> warehouse.LoadCounts:
    """Task: write one batch in one transaction (see ``warehouse.load_batch``)."""
    return warehouse.load_batch(db, *frames)


@dataclass
class RunState:
    """What one run carries from batch to batch (the flow process is the only writer)."""

    run_id: str
    db: Path
    settings: FetchSettings
    known: Known
    chunks: int = 1
    ledger: FeedLedger = field(default_factory=FeedLedger)
    seen_ids: set[str] = field(default_factory=set)
    workers: set[str] = field(default_factory=set)
    totals: warehouse.LoadCounts = field(default_factory=warehouse.LoadCounts)
    lines: list[str] = field(default_factory=list)
    skipped: int = 0


def chunked(items: list[T], parts: int) -> list[list[T]]:
    """Split ``items`` into at most ``parts`` consecutive, non-empty chunks of near-equal size."""
    size = -(-len(items) // max(1, parts)) if items else 1
    return [items[i:i + size] for i in range(0, len(items), size)]


def mapped(step: Any, chunks: list[list[Any]], submit: bool) -> list[Any]:
    """Run task ``step`` on each chunk: submitted to the flow's task runner (threads, or Dask
    workers) and waited for when ``submit``, else called in the flow thread."""
    if not submit:
        return [step(chunk) for chunk in chunks]
    return [future.result() for future in step.map(chunks)]


def gather(items: list[Input], state: RunState) -> Gathered:
    """Read the local files and fetch the URLs of one batch (URLs concurrently)."""
    local = [i for i in items if i.kind != "url"]
    remote = [i for i in items if i.kind == "url"]
    docs, more, failures = read_files(local) if local else ([], [], [])
    if remote:
        requests = [(i, conditional_headers(i.location, state.known)) for i in remote]
        chunks = chunked(requests, max(FETCH_WORKERS, state.chunks))
        done = [f.result() for f in fetch_pages.map(chunks, unmapped(state.settings))]
        state.workers.update(worker for _, worker in done)
        got = sort_pages(remote, [result for results, _ in done for result in results], state.ledger)
        docs, more, failures = docs + got[0], more + got[1], failures + got[2]
    return docs, more, failures


@dataclass
class Batch:
    """One batch read: articles to load (new ones and copies of stored texts), their claims and
    comparisons, the feed items found (read in later batches), and the failures."""

    articles: list[Article]
    claims: list[tuple[str, Claim]]
    comparisons: list[tuple[str, Comparison]]
    more: list[Input]
    failures: list[Failure]


def read_batch(batch: list[Input], state: RunState) -> Batch:
    """Fetch/read a batch, skip what is stored, extract texts, then claims (see ``Batch``). With
    ``state.chunks > 1`` URLs go to ``flows.spread`` (fetch and extraction in one task per chunk)."""
    fresh, skipped = split_stored(batch, state.known)
    state.skipped += skipped
    if state.chunks > 1 and any(item.kind == "url" for item in fresh):
        from flows.spread import read_spread

        local = read_inputs([item for item in fresh if item.kind != "url"], state)
        remote = read_spread([item for item in fresh if item.kind == "url"], state)
        return Batch(local.articles + remote.articles, local.claims + remote.claims,
                     local.comparisons + remote.comparisons, local.more + remote.more,
                     local.failures + remote.failures)
    return read_inputs(fresh, state)


def read_inputs(fresh: list[Input], state: RunState) -> Batch:
    """Fetch/read inputs not stored yet, extract texts, drop repeats, then extract claims."""
    docs, more, failures = gather(fresh, state)
    texts = mapped(extract_text, chunked(docs, state.chunks), state.chunks > 1)
    state.workers.update(worker for *_, worker in texts)
    articles = drop_repeats([a for found, _, _ in texts for a in found], state.seen_ids)
    new, copies, stored = sort_articles(articles, state.known)
    state.skipped += stored
    extracted = mapped(extract_claims, chunked(new, state.chunks), state.chunks > 1)
    state.workers.update(worker for _, worker in extracted)
    kept = [a for (found, *_), _ in extracted for a in found]
    claims = [c for (_, found, _, _), _ in extracted for c in found]
    comparisons = [c for (_, _, found, _), _ in extracted for c in found]
    failures += [f for _, problems, _ in texts for f in problems]
    failures += [f for (*_, problems), _ in extracted for f in problems]
    return Batch(kept + copies, claims, comparisons, more, failures)


def process(state: RunState, inputs: list[Input], failures: list[Failure], batch_size: int) -> None:
    """Run every batch through fetch, text, claims, normalise and load, updating ``state``."""
    logger = get_run_logger()
    progress = RunProgress(logger)
    queue, pending, done = deque(inputs), list(failures), 0
    try:
        while queue or pending:
            batch = [queue.popleft() for _ in range(min(batch_size, len(queue)))]
            read = read_batch(batch, state)
            queue.extend(read.more)
            batch_failures = pending + read.failures
            for failure in batch_failures:
                logger.warning(failure.line())
            state.lines.extend(failure.line() for failure in batch_failures)
            state.totals += load(state.db, normalise(state.run_id, read.articles, read.claims,
                                                        read.comparisons, batch_failures))
            pending, done = [], done + len(batch)
            progress.update(done, done + len(queue), state.totals.articles_new, state.skipped, state.totals.failures)
    finally:
        progress.close()


@flow(name="pipeline", task_runner=ThreadPoolTaskRunner(max_workers=FETCH_WORKERS))
def pipeline(sources: list[str] | None = None, db: str = str(DEFAULT_DB), sources_file: str | None = None,
             published: date | None = None, batch_size: int = BATCH_SIZE, fetch_retries: int | None = None,
             fetch_backoff: float | None = None, fetch_settings: dict[str, Any] | None = None,
             refresh: bool = False, chunks: int = 1) -> dict[str, Any]:
    """Read ``sources`` (paths, URLs, feed URLs or names in sources.toml; none: every enabled
    source) into the database ``db``; return the run's summary (counts, failure lines, workers).

    Articles already stored are skipped (``refresh`` reads everything again); fetching follows the
    ``[fetch]`` table of the sources file, overridden by ``fetch_retries``/``fetch_backoff`` and
    ``fetch_settings`` (field -> value); ``chunks`` splits each batch's extraction into that many
    tasks (for a Dask task runner). Publishes a markdown artifact with the summary.
    """
    db_path, started = Path(db), _now()
    run_id = flow_run.get_id() or uuid.uuid4().hex
    warehouse.start_run(db_path, run_id, started, json.dumps(sources or []))
    try:
        state = RunState(run_id, db_path, settings_for(Path(sources_file or SOURCES_FILE), fetch_retries, fetch_backoff,
                                                         fetch_settings),
                         Known() if refresh else load_known(db_path), chunks)
        inputs, failures = discover_inputs(sources or [], Path(sources_file or SOURCES_FILE), published)
        process(state, inputs, failures, batch_size)
        warehouse.save_feed_states(db_path, state.ledger.to_frame())
    except BaseException:
        warehouse.finish_run(db_path, run_id, _now(), "failed", warehouse.LoadCounts())
        raise
    finished = _now()
    warehouse.finish_run(db_path, run_id, finished, "completed", state.totals)
    warehouse.finish_run_extra(db_path, run_id, state.skipped, state.ledger.unchanged)
    summary = run_summary(state, sources or [], SHOWN_FAILURES)
    publish_summary(summary, started.isoformat(timespec="seconds"), finished.isoformat(timespec="seconds"))
    return summary


class _NoTraceback(logging.Filter):
    """Drop tracebacks from console log records (Prefect's own log store keeps them)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True


def quiet_logs(tracebacks: bool = False) -> None:
    """Silence HTML-extraction chatter; unless ``tracebacks``, keep console log records to one line."""
    from prefect.logging.configuration import setup_logging

    for name in ("trafilatura", "htmldate", "charset_normalizer"):
        logging.getLogger(name).setLevel(logging.ERROR)
    setup_logging()
    if not tracebacks:
        for handler in logging.getLogger().handlers:
            if not any(isinstance(f, _NoTraceback) for f in handler.filters):
                handler.addFilter(_NoTraceback())


def run_pipeline(tracebacks: bool = False, task_runner: Any = None, **parameters: Any) -> dict[str, Any]:
    """Call ``pipeline(**parameters)`` (on ``task_runner`` when given) with one-line console logs;
    return its summary or raise the exception that failed it (without Prefect's wrapping)."""
    quiet_logs(tracebacks)
    flow_to_run = pipeline.with_options(task_runner=task_runner) if task_runner is not None else pipeline
    state = flow_to_run(**parameters, return_state=True)
    result = state.result(raise_on_failure=False)
    if isinstance(result, BaseException):
        raise result
    return dict(result)
