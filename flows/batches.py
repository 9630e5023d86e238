"""Reading the pipeline's inputs batch by batch, with the next batches already in flight.

A batch is first started (``start_batch``): inputs already stored are skipped and the fetches of
its URLs are submitted to the flow's task runner. It is then finished (``finish_batch``): the
results are waited for, local files read, texts and claims extracted, and repeats dropped.
``claimtrack.pipeline`` keeps a few batches started while it loads the oldest one, so fetching
and extraction never wait for a load, and a slow chunk does not leave the other workers idle.

Spread over workers (``state.chunks > 1``, e.g. on Dask), each chunk of URLs is fetched *and*
extracted in one ``read urls`` task where it runs (``steps.read_urls``), so a page's HTML never
leaves the worker that fetched it and each chunk costs one task instead of three; the flow
process then drops what this run or the database already holds (``collect_reads``), as the
single-process path does. Only a copy of a stored text, or a repeat within the run, has its
claims extracted in vain (then discarded). Local files are read by the flow process (workers may
not see its disk) and take the usual path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from prefect.utilities.annotations import quote

from claimtrack.ingest import (
    FeedLedger,
    FetchSettings,
    Input,
    Known,
    conditional_headers,
    forget_failed,
    sort_articles,
    split_stored,
)
from claimtrack.steps import (
    Gathered,
    Read,
    extract_claims,
    extract_text,
    fetch_pages,
    read_files,
    read_urls,
    sort_pages,
)
from claimtrack.transforms import warehouse
from claimtrack.transforms.model import Claim, Comparison, Failure
from claimtrack.transforms.pages import Article, drop_repeats

TASK_THREADS = 4  # threads of the flow's default task runner: the fetch tasks of the batches in flight
T = TypeVar("T")


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
    seen_hashes: set[str] = field(default_factory=set)  # text hashes of this run's originals
    workers: set[str] = field(default_factory=set)
    totals: warehouse.LoadCounts = field(default_factory=warehouse.LoadCounts)
    lines: list[str] = field(default_factory=list)
    skipped: int = 0


@dataclass
class Batch:
    """One batch read: articles to load (new ones and copies of stored texts), their claims and
    comparisons, the feed items found (read in later batches), and the failures."""

    articles: list[Article] = field(default_factory=list)
    claims: list[tuple[str, Claim]] = field(default_factory=list)
    comparisons: list[tuple[str, Comparison]] = field(default_factory=list)
    more: list[Input] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)

    def plus(self, other: Batch) -> Batch:
        """This batch followed by ``other``."""
        return Batch(
            self.articles + other.articles,
            self.claims + other.claims,
            self.comparisons + other.comparisons,
            self.more + other.more,
            self.failures + other.failures,
        )


@dataclass
class Started:
    """A batch of ``size`` inputs started: its local inputs (read when it is finished), its URLs,
    and the tasks in flight for them (``fetch`` tasks, or ``read urls`` tasks when ``spread``)."""

    size: int
    local: list[Input]
    remote: list[Input]
    futures: list[Any]
    spread: bool


def chunked(items: list[T], parts: int) -> list[list[T]]:
    """Split ``items`` into at most ``parts`` consecutive, non-empty chunks of near-equal size."""
    size = -(-len(items) // max(1, parts)) if items else 1
    return [items[i : i + size] for i in range(0, len(items), size)]


def mapped(step: Any, chunks: list[list[Any]], submit: bool) -> list[Any]:
    """Run task ``step`` on each chunk: submitted to the flow's task runner (threads, or Dask
    workers) and waited for when ``submit``, else called in the flow thread.

    Called in the flow thread, a chunk is passed ``quote``d: Prefect then does not walk every
    article and claim in it looking for futures to wait on (there are none), which was most of
    what Prefect cost the flow (README, "What Prefect costs here"). Submitted to Dask workers, a
    quoted chunk did not arrive unwrapped, so submitted chunks go as they are (one task per
    worker chunk: the walk is paid once per chunk).
    """
    if not submit:
        return [step(quote(chunk)) for chunk in chunks]
    return [future.result() for future in step.map(chunks)]


def start_batch(batch: list[Input], state: RunState) -> Started:
    """Skip what is stored and submit the fetches of ``batch``'s URLs (see the module docstring)."""
    fresh, skipped = split_stored(batch, state.known)
    state.skipped += skipped
    remote = [item for item in fresh if item.kind == "url"]
    requests = [(item, conditional_headers(item.location, state.known)) for item in remote]
    spread, futures = state.chunks > 1, []
    if requests and spread:
        futures = [read_urls.submit(chunk, state.settings) for chunk in chunked(requests, state.chunks)]
    elif requests:
        futures = [fetch_pages.submit(requests, state.settings)]
    return Started(len(batch), [item for item in fresh if item.kind != "url"], remote, list(futures), spread)


def finish_batch(started: Started, state: RunState) -> Batch:
    """Wait for a started batch's tasks, read its local files, and extract what is new (``Batch``)."""
    if started.spread:
        remote = collect_reads([future.result() for future in started.futures], state)
        return read_inputs(started.local, Gathered(), state).plus(remote)
    done = [future.result() for future in started.futures]
    state.workers.update(worker for _, worker in done)
    fetched = sort_pages(started.remote, [result for results, _ in done for result in results], state.ledger)
    return read_inputs(started.local, fetched, state)


def read_inputs(local: list[Input], fetched: Gathered, state: RunState) -> Batch:
    """Read the ``local`` files, add the ``fetched`` documents, extract texts, drop repeats, then
    extract claims (on the task runner's workers when ``state.chunks > 1``)."""
    read = (read_files(local) if local else Gathered()).plus(fetched)
    texts = mapped(extract_text, chunked(read.documents, state.chunks), state.chunks > 1)
    state.workers.update(worker for *_, worker in texts)
    articles = drop_repeats([a for found, _, _ in texts for a in found], state.seen_ids)
    new, copies, stored = sort_articles(articles, state.known, state.seen_hashes)
    state.skipped += stored
    extracted = mapped(extract_claims, chunked(new, state.chunks), state.chunks > 1)
    state.workers.update(done.worker for done in extracted)
    kept = [a for done in extracted for a in done.articles]
    failures = read.failures + [f for _, problems, _ in texts for f in problems]
    failures += [f for done in extracted for f in done.failures]
    return Batch(
        kept + forget_failed(new, kept, copies, state.seen_hashes),
        [c for done in extracted for c in done.claims],
        [c for done in extracted for c in done.comparisons],
        read.more,
        failures,
    )


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
    return Batch(
        [article for article, _, _ in entries],
        [c for _, claims, _ in entries for c in claims],
        [c for _, _, comparisons in entries for c in comparisons],
        [item for read in reads for item in read.more],
        [f for read in reads for f in read.failures],
    )
