"""Reading the pipeline's inputs batch by batch, with the next batches already in flight.

A batch is first started (``start_batch``): inputs already stored are skipped and the fetches of
its URLs are submitted to the flow's task runner. It is then finished (``finish_batch``): the
results are waited for, local files read, texts extracted, each article sorted (new, a new
version, a copy, already stored: ``claimtrack.ingest.sort_articles``) and the claims of the new
ones and new versions extracted. Every input ends in one outcome (``Batch.outcomes``).
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

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from prefect.utilities.annotations import quote

from claimtrack.ingest import (
    FeedLedger,
    FetchSettings,
    Input,
    Known,
    Seen,
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
    extracts,
    fetch_pages,
    now,
    read_files,
    read_urls,
    sort_pages,
)
from claimtrack.transforms import warehouse
from claimtrack.transforms.model import Claim, Comparison, Failure
from claimtrack.transforms.pages import Article

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
    refresh: bool = False  # read stored inputs again (what changed becomes a new version)
    ledger: FeedLedger = field(default_factory=FeedLedger)
    seen: Seen = field(default_factory=Seen)
    workers: set[str] = field(default_factory=set)
    totals: warehouse.LoadCounts = field(default_factory=warehouse.LoadCounts)
    lines: list[str] = field(default_factory=list)
    languages: Counter[str] = field(default_factory=Counter)  # originals stored without claims, by language
    files_skipped: Counter[str] = field(default_factory=Counter)  # files in folders that are not pages, by suffix


@dataclass
class Batch:
    """One batch read: articles to load (new ones, new versions and copies), their claims and
    comparisons, the feed items found (read in later batches), the failures, and what became of
    each input (``(input, outcome, article_id)``; failed inputs are added from the failures)."""

    articles: list[Article] = field(default_factory=list)
    claims: list[tuple[str, Claim]] = field(default_factory=list)
    comparisons: list[tuple[str, Comparison]] = field(default_factory=list)
    more: list[Input] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    outcomes: list[tuple[str, str, str | None]] = field(default_factory=list)

    def plus(self, other: Batch) -> Batch:
        """This batch followed by ``other``."""
        return Batch(
            self.articles + other.articles,
            self.claims + other.claims,
            self.comparisons + other.comparisons,
            self.more + other.more,
            self.failures + other.failures,
            self.outcomes + other.outcomes,
        )

    def not_extracted(self) -> Counter[str]:
        """Originals of this batch (new ones and new versions) left without claims, by language
        (``steps.extracts``)."""
        originals = {article for _, outcome, article in self.outcomes if outcome in ("new", "version")}
        return Counter(str(a.language) for a in self.articles if a.article_id in originals and not extracts(a))


@dataclass
class Started:
    """A batch of ``size`` inputs started: its local inputs (read when it is finished), its URLs,
    the tasks in flight for them (``fetch`` tasks, or ``read urls`` tasks when ``spread``), and
    the inputs skipped as already stored (``(input, "stored", article_id)``)."""

    size: int
    local: list[Input]
    remote: list[Input]
    futures: list[Any]
    spread: bool
    skipped: list[tuple[str, str, str | None]] = field(default_factory=list)


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
    fresh, skipped = (batch, []) if state.refresh else split_stored(batch, state.known)
    remote = [item for item in fresh if item.kind == "url"]
    requests = [(item, conditional_headers(item.location, state.known)) for item in remote]
    spread, futures = state.chunks > 1, []
    if requests and spread:
        futures = [read_urls.submit(chunk, state.settings) for chunk in chunked(requests, state.chunks)]
    elif requests:
        futures = [fetch_pages.submit(requests, state.settings)]
    local = [item for item in fresh if item.kind != "url"]
    return Started(len(batch), local, remote, list(futures), spread, skipped)


def finish_batch(started: Started, state: RunState) -> Batch:
    """Wait for a started batch's tasks, read its local files, and extract what is new (``Batch``)."""
    skipped = Batch(outcomes=started.skipped)
    if started.spread:
        remote = collect_reads([future.result() for future in started.futures], state)
        return skipped.plus(read_inputs(started.local, Gathered(), state)).plus(remote)
    done = [future.result() for future in started.futures]
    state.workers.update(worker for _, worker in done)
    fetched = sort_pages(started.remote, [result for results, _ in done for result in results], state.ledger)
    return skipped.plus(read_inputs(started.local, fetched, state))


def read_inputs(local: list[Input], fetched: Gathered, state: RunState) -> Batch:
    """Read the ``local`` files, add the ``fetched`` documents, extract texts, sort the articles,
    then extract the claims of the new ones and new versions (on the task runner's workers when
    ``state.chunks > 1``)."""
    read = (read_files(local) if local else Gathered()).plus(fetched)
    texts = mapped(extract_text, chunked(read.documents, state.chunks), state.chunks > 1)
    state.workers.update(worker for *_, worker in texts)
    sorted_ = sort_articles([a for found, _, _ in texts for a in found], state.known, state.seen)
    extracted = mapped(extract_claims, chunked(sorted_.new, state.chunks), state.chunks > 1)
    state.workers.update(done.worker for done in extracted)
    kept, lost = forget_failed(sorted_, [a for done in extracted for a in done.articles], state.seen, now())
    failures = read.failures + [f for _, problems, _ in texts for f in problems]
    failures += [f for done in extracted for f in done.failures] + lost
    return Batch(
        kept.new + kept.copies,
        [c for done in extracted for c in done.claims],
        [c for done in extracted for c in done.comparisons],
        read.more,
        failures,
        kept.outcomes,
    )


def collect_reads(reads: list[Read], state: RunState) -> Batch:
    """Merge the ``read urls`` results of one batch into ``state`` and keep what is new (see the
    module docstring): each article is sorted alone, and the claims of a new version are keyed
    by the version's id."""
    batch = Batch(more=[item for read in reads for item in read.more])
    batch.failures = [f for read in reads for f in read.failures]
    for read in reads:
        state.ledger.merge(read.ledger)
        state.workers.add(read.worker)
    for article, claims, comparisons in (entry for read in reads for entry in read.found):
        one = sort_articles([article], state.known, state.seen)
        batch.outcomes += one.outcomes
        batch.articles += one.new + one.copies
        for kept in one.new:
            batch.claims += [(kept.article_id, claim) for _, claim in claims]
            batch.comparisons += [(kept.article_id, comparison) for _, comparison in comparisons]
    return batch
