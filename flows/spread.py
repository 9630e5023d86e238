"""Reading URLs when tasks are spread over workers (``chunks > 1``, e.g. on Dask).

Each ``read urls`` task fetches a chunk of URLs and extracts text and claims where it runs, so a
page's HTML never leaves the worker that fetched it and each chunk costs one task instead of
three. The flow process then drops what this run or the database already holds (as the
single-process path does) and loads. Only a copy of a stored text, or a repeat within the run,
has its claims extracted in vain (then discarded). Local files are read by the flow process
(workers may not see its disk) and take the usual path.
"""
from __future__ import annotations

from dataclasses import dataclass

from prefect import task
from prefect.cache_policies import NO_CACHE
from flows.batches import Batch, RunState
from flows.incremental import FeedLedger, sort_articles
from flows.steps import extract_article_claims, extract_text, fetch_page, sort_pages, worker_id
from flows.polite import FetchSettings
from flows.sources import Input
from transforms.identity import Article, drop_repeats
from transforms.model import Claim, Comparison
from transforms.normalize import Failure


@dataclass
class Read:
    """What one ``read urls`` task returns: each article with its claims and comparisons, the
    feed items found, failures, the feeds it saw, and where it ran."""

    found: list[tuple[Article, list[tuple[str, Claim]], list[tuple[str, Comparison]]]]
    more: list[Input]
    failures: list[Failure]
    ledger: FeedLedger
    worker: str


@task(name="read urls", cache_policy=NO_CACHE, persist_result=False, task_run_name="read from {requests[0][0].location}")
def read_urls(requests: list[tuple[Input, dict[str, str]]], settings: FetchSettings) -> Read:
    """Task: fetch a chunk of URLs (with their conditional headers), extract text and claims."""
    ledger = FeedLedger()
    pages = [fetch_page(item, settings, headers) for item, headers in requests]
    docs, more, failures = sort_pages([item for item, _ in requests], pages, ledger)
    articles, text_failures, _ = extract_text.fn(docs)
    found, claim_failures = [], []
    for article in articles:
        kept, claims, comparisons, problems = extract_article_claims([article])
        claim_failures.extend(problems)
        if kept:
            found.append((article, claims, comparisons))
    return Read(found, more, failures + text_failures + claim_failures, ledger, worker_id())


def collect_reads(reads: list[Read], state: RunState) -> Batch:
    """Merge the ``read urls`` results of one batch into ``state`` and keep what is new (see the
    module docstring)."""
    found = [entry for read in reads for entry in read.found]
    for read in reads:
        state.ledger.merge(read.ledger)
        state.workers.add(read.worker)
    kept_articles = drop_repeats([article for article, _, _ in found], state.seen_ids)
    first = {id(article) for article in kept_articles}
    new, copies, stored = sort_articles(kept_articles, state.known, state.seen_hashes)
    state.skipped += stored
    loaded = {id(article) for article in new + copies}
    entries = [entry for entry in found if id(entry[0]) in first and id(entry[0]) in loaded]
    return Batch([article for article, _, _ in entries], [c for _, claims, _ in entries for c in claims],
                 [c for _, _, comparisons in entries for c in comparisons],
                 [item for read in reads for item in read.more], [f for read in reads for f in read.failures])
