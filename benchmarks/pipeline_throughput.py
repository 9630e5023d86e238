"""Pages per second through the full pipeline flow, through the same functions without Prefect,
and through trafilatura alone, on N real news pages; and each one's peak memory.

usage: python benchmarks/pipeline_throughput.py [--n 1000 --n 10000] [--modes ...] [--batch-size B] [--copies]

The 258 real pages of ../shared/corpus/fundus_news_pages (gzip HTML) are served from a loopback
HTTP server, repeated to N under distinct URLs (``/p/<i>.html``; their canonical links are
renamed so that each URL is its own article), and linked from RSS feeds ``/feed/<k>.xml`` of
``FEED_ITEMS`` items each (claimtrack reads at most 1,000 items per feed). Each repeat's
paragraphs start with a word of its own (``Copy <letters>:``) and its absolute links point to a
host of its own, so every page is a new article that goes all the way through claim extraction;
``--copies`` serves the repeats unchanged instead (claimtrack then skips a repeat of a canonical
URL, and stores a repeat of a text as a copy without extracting its claims again). Each
measurement runs in a fresh process (so its peak RSS is its own), one after the other:

- ``trafilatura``: ``bare_extraction`` (with metadata, as claimtrack calls it) over the same page
  bytes, made in memory (only the extraction calls are timed); one core, in a process that does
  not import ``flows``, so with glibc's default allocator (``claimtrack.memory`` fixes the mmap
  threshold, which costs trafilatura about a fifth of its speed: the reference is the faster one).
- ``direct``: the pipeline's steps called as plain functions, batch after batch, without Prefect:
  fetching on 8 threads (the next batch while one is extracted, as the flow does), text
  extraction, skipping repeats and copies, claim extraction, polars frames, one DuckDB
  transaction per batch; one core.
- ``flow``: ``claimtrack``'s ``pipeline`` flow on the feeds, as ``claimtrack run`` calls it
  (thread task runner; one core for the extraction).
- ``flow-dask``: the same flow as ``claimtrack run --dask local`` runs it: a ``LocalCluster`` of
  one worker process per core (its start and stop are in the time), fetch and extraction tasks on
  the workers, loading in the flow process.

Flows report to one local Prefect server started once (``claimtrack.local_server``), not counted.
Nothing is kept in memory across batches: the pages are produced per request from the 258.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "fundus_news_pages"
MODES = ("trafilatura", "direct", "flow", "flow-dask")
FEED_ITEMS = 500
CANONICAL = re.compile(rb"""(rel\s*=\s*["']?)canonical|(property\s*=\s*["']?)og:url""", re.I)


def corpus() -> list[bytes]:
    """The 258 pages' HTML with canonical links renamed (each repeat is its own article)."""
    return [
        CANONICAL.sub(rb"\1\2x-renamed", gzip.decompress(p.read_bytes())) for p in sorted(CORPUS.rglob("*.html.gz"))
    ]


PARAGRAPH = re.compile(rb"(<p\b[^>]*>)", re.I)


def page_of(pages: list[bytes], i: int, copies: bool = False) -> bytes:
    """Page ``i``: corpus page ``i mod 258``, unless ``copies`` with its paragraphs marked and
    its absolute links (canonical URL included) on a host of its own, both named after ``i``."""
    page = pages[i % len(pages)]
    if copies:
        return page
    mark = letters(i).encode()
    return PARAGRAPH.sub(rb"\1Copy " + mark + b": ", page.replace(b"://", b"://" + mark + b"."))


def letters(i: int) -> str:
    """``i`` written in the letters a-z (no digits, so the mark is never read as a number)."""
    word = ""
    while True:
        i, rest = divmod(i, 26)
        word = chr(ord("a") + rest) + word
        if i == 0:
            return word


def feed_of(base: str, k: int, n: int) -> bytes:
    """RSS feed ``k``: links to pages ``k * FEED_ITEMS`` .. (at most ``n`` pages in all)."""
    first = k * FEED_ITEMS
    items = "".join(
        f"<item><title>Page {i}</title><link>{base}/p/{i}.html</link></item>"
        for i in range(first, min(n, first + FEED_ITEMS))
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>bench</title><link>{base}/</link>'
        f"{items}</channel></rss>"
    ).encode()


def feeds(base: str, n: int) -> list[str]:
    """The URLs of the feeds that together link to ``n`` pages."""
    return [f"{base}/feed/{k}.xml" for k in range(-(-n // FEED_ITEMS))]


def serve_pages(n: int, copies: bool = False) -> tuple[ThreadingHTTPServer, str]:
    """Start the loopback server (a thread): ``/feed/<k>.xml``, ``/p/<i>.html``, 404 otherwise."""
    pages = corpus()
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    base = f"http://127.0.0.1:{server.server_address[1]}"

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            match = re.fullmatch(r"/p/(\d+)\.html", self.path)
            feed = re.fullmatch(r"/feed/(\d+)\.xml", self.path)
            body, kind = (
                (feed_of(base, int(feed.group(1)), n), "application/rss+xml")
                if feed
                else (page_of(pages, int(match.group(1)), copies), "text/html")
                if match
                else (b"", "text/plain")
            )
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server.RequestHandlerClass = Handler
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, base


def run_trafilatura(n: int, base: str, db: Path, batch_size: int, copies: bool) -> tuple[int, float]:
    """trafilatura alone on the same bytes (made in memory); returns pages with text and the
    seconds spent in ``bare_extraction``."""
    from trafilatura import bare_extraction

    pages, done, seconds = corpus(), 0, 0.0
    for i in range(n):
        html = page_of(pages, i, copies).decode("utf-8", "replace")
        start = time.perf_counter()
        doc = bare_extraction(
            html,
            url=f"{base}/p/{i}.html",
            with_metadata=True,
            include_comments=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
        seconds += time.perf_counter() - start
        done += bool(doc is not None and doc.text)
    return done, seconds


def run_direct(n: int, base: str, db: Path, batch_size: int, copies: bool) -> tuple[int, float]:
    """The pipeline's steps as plain functions (no Prefect), batch after batch, the next batch
    fetched while one is extracted and loaded (as the flow does); returns articles stored and
    the seconds taken."""
    from collections import deque
    from datetime import UTC, datetime

    from claimtrack import steps
    from claimtrack.ingest import FeedLedger, FetchSettings, Seen, discover, load_known
    from claimtrack.transforms import warehouse

    start = time.perf_counter()
    warehouse.start_run(db, "direct", datetime.now(UTC), "[]")
    settings, ledger, known = (
        FetchSettings(host_delay=0.0, host_concurrency=8, allow_private_addresses=True),
        FeedLedger(),
        load_known(db),
    )
    queue, in_flight, seen, stored = deque(discover(feeds(base, n))[0]), deque[Any](), Seen(), 0
    while queue or in_flight:
        while queue and len(in_flight) < 2:
            batch = [queue.popleft() for _ in range(min(batch_size, len(queue)))]
            in_flight.append(
                (batch, [steps.fetch_pool().submit(steps.fetch_page, item, settings, {}) for item in batch])
            )
        batch, pages = in_flight.popleft()
        gathered = steps.sort_pages(batch, [page.result() for page in pages], ledger)
        queue.extend(gathered.more)
        stored += direct_batch(gathered.documents, gathered.failures, known, seen, db)
    warehouse.finish_run(db, "direct", datetime.now(UTC), "completed", warehouse.LoadCounts())
    return stored, time.perf_counter() - start


def direct_batch(docs: list[Any], failures: list[Any], known: Any, seen: Any, db: Path) -> int:
    """One batch's documents through the steps ``claimtrack.batches.read_inputs`` runs as tasks;
    returns the articles stored."""
    from datetime import UTC, datetime

    from claimtrack import steps
    from claimtrack.ingest import forget_failed, sort_articles

    articles, problems, _ = steps.extract_text.fn(docs)
    sorted_ = sort_articles(articles, known, seen)
    done = steps.extract_article_claims(sorted_.new)
    kept, lost = forget_failed(sorted_, done.articles, seen, datetime.now(UTC))
    failed = failures + problems + done.failures + lost
    outcomes = kept.outcomes + [(f.input, "failed", None) for f in failed if f.lost]
    frames = steps.normalise.fn(kept.new + kept.copies, done.claims, done.comparisons, failed, outcomes, "direct")
    return int(steps.load.fn(db, "direct", frames, 0).articles)


def run_flow(n: int, base: str, db: Path, batch_size: int, copies: bool, dask: bool = False) -> tuple[int, float]:
    """The ``pipeline`` flow on the feeds, as ``claimtrack run`` calls it (``--dask local`` when
    ``dask``: a LocalCluster of one worker process per core, started and stopped in the time);
    returns articles read and the seconds taken."""
    from claimtrack.pipeline import run_pipeline
    from claimtrack.scale import run_on_dask

    parameters = {
        "sources": feeds(base, n),
        "db": str(db),
        "batch_size": batch_size,
        "fetch_settings": {"host_delay": 0.0, "host_concurrency": 8, "allow_private_addresses": True},
    }
    start = time.perf_counter()
    summary = run_on_dask("local", None, False, **parameters) if dask else run_pipeline(**parameters)
    return int(summary["articles_read"]), time.perf_counter() - start


def child(mode: str, n: int, base: str, batch_size: int, copies: bool) -> dict[str, Any]:
    """Run one measurement in this process; return seconds, pages and peak RSS."""
    if mode != "trafilatura":  # trafilatura alone runs as anyone would call it, glibc's defaults
        from claimtrack.memory import return_large_buffers
        from claimtrack.transforms.claims import load_extractor_rules

        return_large_buffers()  # first, as the pipeline flow does (claimtrack.memory)

        load_extractor_rules()  # warm-up, not counted (every mode but trafilatura pays it once)
        import claimtrack.pipeline  # noqa: F401 - importing Prefect is not counted either
    import trafilatura  # noqa: F401

    db = Path(tempfile.mkdtemp(prefix="claimtrack-bench-")) / "bench.duckdb"
    work = {
        "trafilatura": run_trafilatura,
        "direct": run_direct,
        "flow": run_flow,
        "flow-dask": lambda *a: run_flow(*a, dask=True),
    }[mode]
    pages, seconds = work(n, base, db, batch_size, copies)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest Dask worker
    return {
        "mode": mode,
        "n": n,
        "pages": pages,
        "seconds": seconds,
        "pages_per_s": n / seconds,
        "peak_rss_mb": peak,
        "worker_peak_rss_mb": workers if mode == "flow-dask" else 0.0,
    }


def measure(mode: str, n: int, base: str, batch_size: int, copies: bool) -> dict[str, Any]:
    """Run ``mode`` in a fresh process and return its JSON result."""
    env = {**os.environ, "PREFECT_LOGGING_LEVEL": "ERROR"}
    command = [
        sys.executable,
        __file__,
        "--child",
        mode,
        "--n",
        str(n),
        "--base",
        base,
        "--batch-size",
        str(batch_size),
    ]
    out = subprocess.run(
        command + (["--copies"] if copies else []), capture_output=True, text=True, env=env, check=False
    )
    if out.returncode != 0:
        raise SystemExit(f"{mode} N={n} failed:\n{out.stderr[-3000:]}")
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def report(results: list[dict[str, Any]]) -> None:
    """Print one line per measurement and the ratios the issue sets targets for."""
    print(f"{'mode':12} {'N':>6} {'pages':>6} {'seconds':>8} {'pages/s':>8} {'peak MB':>8} {'worker MB':>9}")
    for r in results:
        workers = f"{r['worker_peak_rss_mb']:.0f}" if r["mode"] == "flow-dask" else ""
        print(
            f"{r['mode']:12} {r['n']:>6} {r['pages']:>6} {r['seconds']:>8.1f} {r['pages_per_s']:>8.1f} "
            f"{r['peak_rss_mb']:>8.0f} {workers:>9}"
        )
    for n in sorted({r["n"] for r in results}):
        rate = {r["mode"]: r["pages_per_s"] for r in results if r["n"] == n}
        if "flow" in rate and "direct" in rate:
            print(
                f"N={n}: flow / direct = {rate['flow'] / rate['direct']:.2f} "
                f"(Prefect overhead {1 - rate['flow'] / rate['direct']:.0%}; target: at most 15%)"
            )
        for flow, cores in (("flow", "one core"), ("flow-dask", "both cores; target: at least 0.80")):
            if flow in rate and "trafilatura" in rate:
                print(f"N={n}: {flow} / trafilatura alone = {rate[flow] / rate['trafilatura']:.2f} ({cores})")


def report_memory(results: list[dict[str, Any]]) -> None:
    """Print, per mode, how peak memory changed from the smallest N to the largest."""
    sizes = sorted({r["n"] for r in results})
    for mode in MODES:
        peaks = {r["n"]: r["peak_rss_mb"] for r in results if r["mode"] == mode}
        if len(sizes) > 1 and sizes[0] in peaks and sizes[-1] in peaks:
            change = peaks[sizes[-1]] / peaks[sizes[0]] - 1
            print(
                f"{mode}: peak memory N={sizes[-1]} vs N={sizes[0]}: {change:+.0%} "
                f"({peaks[sizes[0]]:.0f} -> {peaks[sizes[-1]]:.0f} MB)"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, action="append", help="pages (repeatable) [default: 1000 and 10000]")
    parser.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES))
    parser.add_argument(
        "--batch-size",
        type=int,
        help="inputs per batch [default: the pipeline's, claimtrack.pipeline.BATCH_SIZE; with Dask at least "
        "25 per task, as 'claimtrack run --dask' does]",
    )
    parser.add_argument("--copies", action="store_true", help="serve the repeats unchanged (stored as copies)")
    parser.add_argument("--child", choices=MODES, help=argparse.SUPPRESS)
    parser.add_argument("--base", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sizes = args.n or [1000, 10000]
    if args.child:
        print(json.dumps(child(args.child, sizes[0], args.base, args.batch_size, args.copies)))
        return
    from claimtrack.local_server import prefect_api
    from claimtrack.pipeline import BATCH_SIZE

    batch_size = args.batch_size or BATCH_SIZE
    server, base = serve_pages(max(sizes), args.copies)
    results = []
    with prefect_api():
        for n in sizes:
            for mode in args.modes:
                results.append(measure(mode, n, base, batch_size, args.copies))
                print(json.dumps(results[-1]), file=sys.stderr, flush=True)
    server.shutdown()
    report(results)
    report_memory(results)


if __name__ == "__main__":
    main()
