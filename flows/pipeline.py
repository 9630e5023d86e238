"""The ``pipeline`` Prefect flow: discover -> fetch -> extract text -> extract claims ->
normalise -> load, one batch of inputs at a time.

Tasks are thin wrappers around the pure functions in ``transforms`` and the I/O in
``flows.fetch``/``flows.sources``; each handles a whole batch, except ``fetch``, which runs once
per URL (mapped over a thread pool) so that it can be retried with exponential backoff on
transient errors. An input that fails gets one log line and a ``failures`` row; the run goes
on. The database is opened only to record the run and to load a batch, and closed at once.
"""
from __future__ import annotations

import json
import logging
import uuid
from collections import deque
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.context import TaskRunContext
from prefect.runtime import flow_run
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.tasks import exponential_backoff

from flows import DEFAULT_DB
from flows import fetch as fetching
from flows.sources import SOURCES_FILE, Input, discover
from transforms import normalize, warehouse
from transforms.identity import Article, drop_repeats, make_article
from transforms.model import Claim, Comparison
from transforms.normalize import Failure
from transforms.text import TextError, html_to_text, plain_to_text, resolve_published

BATCH_SIZE = 25
FETCH_RETRIES = 3
FETCH_BACKOFF = 1.0      # seconds before the first retry; doubles for each further one
FETCH_WORKERS = 8
SHOWN_FAILURES = 20      # failure lines carried in the summary (all are stored)
Frames = tuple[Any, Any, Any, Any]


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


@task(name="fetch", cache_policy=NO_CACHE, persist_result=False, task_run_name="fetch {item.location}")
def fetch_page(item: Input) -> fetching.Page | Failure:
    """Task: fetch one URL. Transient errors raise (Prefect retries them with backoff) until
    the last attempt, which returns a ``Failure`` like every permanent error does."""
    try:
        return fetching.fetch(item.location)
    except fetching.FetchError as exc:
        context = TaskRunContext.get()
        attempts_left = context is not None and context.task_run.run_count <= context.task.retries
        if exc.transient and attempts_left:
            raise
        return _failure(item.location, "fetch", exc.reason)


@task(name="read files", cache_policy=NO_CACHE, persist_result=False)
def read_files(items: list[Input]) -> Gathered:
    """Task: read local files; a feed file yields its items as new inputs."""
    docs, more, failures = [], [], []
    for item in items:
        path = Path(item.location)
        try:
            body = path.read_bytes()
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


def sort_pages(items: list[Input], results: list[fetching.Page | Failure]) -> Gathered:
    """Split fetched responses into documents, feed items to read next, and failures."""
    docs, more, failures = [], [], []
    for item, result in zip(items, results, strict=True):
        if isinstance(result, Failure):
            failures.append(result)
        elif fetching.looks_like_feed(result.body, result.content_type):
            if item.via:
                reason = f"a feed linked from the feed {item.via}; not followed"
                failures.append(_failure(item.location, "feed", reason))
                continue
            new, problems = feed_inputs(item, result.body)
            more.extend(new)
            failures.extend(problems)
        else:
            kind = "text" if result.content_type.lower().startswith("text/plain") else "html"
            docs.append(Document(item, result.final_url, result.body, kind, result.fetched))
    return docs, more, failures


@task(name="extract text", cache_policy=NO_CACHE, persist_result=False)
def extract_text(docs: list[Document]) -> tuple[list[Article], list[Failure]]:
    """Task: main text, metadata, publication date and identity of each document."""
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
    return articles, failures


@task(name="extract claims", cache_policy=NO_CACHE, persist_result=False)
def extract_claims(articles: list[Article]) -> Extracted:
    """Task: the claims and comparisons of each article. An article whose extraction fails is
    dropped from the batch (so what is stored for it stays as it was) and reported."""
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


def gather(items: list[Input], fetch_retries: int, fetch_backoff: float) -> Gathered:
    """Read the local files and fetch the URLs of one batch (URLs concurrently)."""
    local = [i for i in items if i.kind != "url"]
    remote = [i for i in items if i.kind == "url"]
    docs, more, failures = read_files(local) if local else ([], [], [])
    if remote:
        fetcher = fetch_page.with_options(retries=fetch_retries, retry_jitter_factor=0.2,
                                          retry_delay_seconds=exponential_backoff(fetch_backoff))
        results = [future.result() for future in fetcher.map(remote)]
        got = sort_pages(remote, results)
        docs, more, failures = docs + got[0], more + got[1], failures + got[2]
    return docs, more, failures


def process(run_id: str, db: Path, inputs: list[Input], failures: list[Failure], batch_size: int,
            fetch_retries: int, fetch_backoff: float) -> tuple[warehouse.LoadCounts, list[str]]:
    """Run every batch through fetch, text, claims, normalise and load; return totals and the
    failure lines."""
    logger = get_run_logger()
    queue, pending, seen = deque(inputs), list(failures), set[str]()
    totals, lines = warehouse.LoadCounts(), []
    while queue or pending:
        batch = [queue.popleft() for _ in range(min(batch_size, len(queue)))]
        docs, more, fetch_failures = gather(batch, fetch_retries, fetch_backoff)
        queue.extend(more)
        articles, text_failures = extract_text(docs)
        kept, claims, comparisons, claim_failures = extract_claims(drop_repeats(articles, seen))
        batch_failures = pending + fetch_failures + text_failures + claim_failures
        for failure in batch_failures:
            logger.warning(failure.line())
        lines.extend(failure.line() for failure in batch_failures)
        totals += load(db, normalise(run_id, kept, claims, comparisons, batch_failures))
        pending = []
    return totals, lines


@flow(name="pipeline", task_runner=ThreadPoolTaskRunner(max_workers=FETCH_WORKERS))
def pipeline(sources: list[str] | None = None, db: str = str(DEFAULT_DB), sources_file: str | None = None,
             published: date | None = None, batch_size: int = BATCH_SIZE,
             fetch_retries: int = FETCH_RETRIES, fetch_backoff: float = FETCH_BACKOFF) -> dict[str, Any]:
    """Read ``sources`` (paths, URLs, feed URLs or names in sources.toml; none: every enabled
    source) into the database ``db``; return the run's summary (counts and failure lines)."""
    db_path = Path(db)
    run_id = flow_run.get_id() or uuid.uuid4().hex
    warehouse.start_run(db_path, run_id, _now(), json.dumps(sources or []))
    try:
        inputs, failures = discover_inputs(sources or [], Path(sources_file or SOURCES_FILE), published)
        totals, lines = process(run_id, db_path, inputs, failures, batch_size, fetch_retries, fetch_backoff)
    except BaseException:
        warehouse.finish_run(db_path, run_id, _now(), "failed", warehouse.LoadCounts())
        raise
    warehouse.finish_run(db_path, run_id, _now(), "completed", totals)
    return {"run_id": run_id, "db": str(db_path), "articles_read": totals.articles,
            "articles_new": totals.articles_new, "copies": totals.copies, "claims_stored": totals.claims,
            "comparisons_stored": totals.comparisons, "failures": totals.failures,
            "failure_lines": lines[:SHOWN_FAILURES]}


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


def run_pipeline(tracebacks: bool = False, **parameters: Any) -> dict[str, Any]:
    """Call ``pipeline(**parameters)`` with one-line console logs; return its summary or raise
    the exception that failed it (without Prefect's wrapping)."""
    quiet_logs(tracebacks)
    state = pipeline(**parameters, return_state=True)
    result = state.result(raise_on_failure=False)
    if isinstance(result, BaseException):
        raise result
    return dict(result)
