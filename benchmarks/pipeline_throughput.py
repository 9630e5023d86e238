"""Pages per second through the full pipeline flow, through the same functions without Prefect,
and through trafilatura alone, on N real news pages; and each one's peak memory.

usage: python benchmarks/pipeline_throughput.py [--n 1000 --n 10000] [--modes ...] [--batch-size 25]

The 258 real pages of ../shared/corpus/fundus_news_pages (gzip HTML) are served from a loopback
HTTP server, repeated to N under distinct URLs (``/p/<i>.html``; their canonical links are
renamed so that each URL is its own article), and linked from RSS feeds ``/feed/<k>.xml`` of
``FEED_ITEMS`` items each (claimtrack reads at most 1,000 items per feed). Each
measurement runs in a fresh process (so its peak RSS is its own), one after the other:

- ``trafilatura``: ``bare_extraction`` (with metadata, as claimtrack calls it) over the same page
  bytes, read from memory; one core.
- ``direct``: the pipeline's functions called without Prefect: polite fetching on 8 threads,
  text extraction, claim extraction, polars frames, one DuckDB transaction per batch; one core.
- ``flow``: ``claimtrack``'s ``pipeline`` flow on the feed (thread task runner; one core).
- ``flow-dask``: the same flow with its tasks on a ``LocalCluster`` of one worker process per core.

Flows report to one local Prefect server started once (``flows.local_server``), not counted.
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
from collections.abc import Iterator
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
    return [CANONICAL.sub(rb"\1\2x-renamed", gzip.decompress(p.read_bytes()))
            for p in sorted(CORPUS.rglob("*.html.gz"))]


def page_of(pages: list[bytes], i: int) -> bytes:
    return pages[i % len(pages)]


def feed_of(base: str, k: int, n: int) -> bytes:
    """RSS feed ``k``: links to pages ``k * FEED_ITEMS`` .. (at most ``n`` pages in all)."""
    first = k * FEED_ITEMS
    items = "".join(f"<item><title>Page {i}</title><link>{base}/p/{i}.html</link></item>"
                    for i in range(first, min(n, first + FEED_ITEMS)))
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>bench</title><link>{base}/</link>'
            f"{items}</channel></rss>").encode()


def feeds(base: str, n: int) -> list[str]:
    """The URLs of the feeds that together link to ``n`` pages."""
    return [f"{base}/feed/{k}.xml" for k in range(-(-n // FEED_ITEMS))]


def serve_pages(n: int) -> tuple[ThreadingHTTPServer, str]:
    """Start the loopback server (a thread): ``/feed/<k>.xml``, ``/p/<i>.html``, 404 otherwise."""
    pages = corpus()
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    base = f"http://127.0.0.1:{server.server_address[1]}"

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

        def do_GET(self) -> None:  # noqa: N802
            match = re.fullmatch(r"/p/(\d+)\.html", self.path)
            feed = re.fullmatch(r"/feed/(\d+)\.xml", self.path)
            body, kind = (feed_of(base, int(feed.group(1)), n), "application/rss+xml") if feed else \
                (page_of(pages, int(match.group(1))), "text/html") if match else (b"", "text/plain")
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server.RequestHandlerClass = Handler
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, base


def batches(n: int, size: int) -> Iterator[range]:
    for start in range(0, n, size):
        yield range(start, min(n, start + size))


def run_trafilatura(n: int, base: str, db: Path, batch_size: int) -> int:
    """trafilatura alone on the same bytes (from memory); returns pages with text."""
    from trafilatura import bare_extraction

    pages, done = corpus(), 0  # about 1 s of the measurement: 258 decompressions
    for i in range(n):
        doc = bare_extraction(page_of(pages, i).decode("utf-8", "replace"), url=f"{base}/p/{i}.html",
                              with_metadata=True, include_comments=False,
                              date_extraction_params={"extensive_search": False, "original_date": True})
        done += bool(doc is not None and doc.text)
    return done


def run_direct(n: int, base: str, db: Path, batch_size: int) -> int:
    """The pipeline's functions without Prefect, batch by batch; returns articles stored."""
    from concurrent.futures import ThreadPoolExecutor

    from flows.batches import FETCH_WORKERS
    from flows.polite import FetchSettings

    settings = FetchSettings(host_delay=0.0, host_concurrency=8)
    seen: set[str] = set()
    stored = 0
    with ThreadPoolExecutor(max_workers=FETCH_WORKERS) as pool:
        for feed in feeds(base, n):
            stored += direct_feed(feed, settings, pool, seen, db, batch_size)
    return stored


def direct_feed(feed: str, settings: Any, pool: Any, seen: set[str], db: Path, batch_size: int) -> int:
    """One feed's pages through the pipeline's functions, batch by batch; returns articles stored."""
    from flows import steps
    from flows.fetch import parse_feed
    from flows.polite import polite_fetch
    from flows.sources import Input
    from transforms import warehouse
    from transforms.identity import drop_repeats

    items, _ = parse_feed(polite_fetch(feed, settings).body)
    stored = 0
    for part in batches(len(items), batch_size):
        inputs = [Input(items[i].link, "url", via=feed) for i in part]
        pages = list(pool.map(lambda item: polite_fetch(item.location, settings), inputs))
        docs = [steps.Document(item, page.final_url, page.body, "html", page.fetched) for item, page in zip(inputs, pages)]
        articles, failures, _ = steps.extract_text.fn(docs)
        kept, claims, comparisons, problems = steps.extract_article_claims(drop_repeats(articles, seen))
        frames = steps.normalise.fn("direct", kept, claims, comparisons, failures + problems)
        stored += warehouse.load_batch(db, *frames).articles
    return stored


def run_flow(n: int, base: str, db: Path, batch_size: int, dask: bool = False) -> int:
    """The ``pipeline`` flow on the feeds (on a Dask LocalCluster when ``dask``); returns articles read."""
    from flows.pipeline import run_pipeline

    runner, chunks = None, 1
    if dask:
        from flows.scale import CHUNKS_PER_WORKER, task_runner, workers_of

        runner, chunks = task_runner("local"), CHUNKS_PER_WORKER * workers_of("local")
    summary = run_pipeline(task_runner=runner, sources=feeds(base, n), db=str(db), batch_size=batch_size,
                           fetch_settings={"host_delay": 0.0, "host_concurrency": 8}, chunks=chunks)
    return int(summary["articles_read"])


def child(mode: str, n: int, base: str, batch_size: int) -> dict[str, Any]:
    """Run one measurement in this process; return seconds, pages and peak RSS."""
    from transforms.claims import load_extractor_rules

    load_extractor_rules()  # warm-up, not counted (every mode but trafilatura pays it once)
    import flows.pipeline  # noqa: F401 - importing Prefect is not counted either
    import trafilatura  # noqa: F401
    db = Path(tempfile.mkdtemp(prefix="claimtrack-bench-")) / "bench.duckdb"
    work = {"trafilatura": run_trafilatura, "direct": run_direct, "flow": run_flow,
            "flow-dask": lambda *a: run_flow(*a, dask=True)}[mode]
    start = time.perf_counter()
    pages = work(n, base, db, batch_size)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest Dask worker
    return {"mode": mode, "n": n, "pages": pages, "seconds": seconds, "pages_per_s": n / seconds, "peak_rss_mb": peak,
            "worker_peak_rss_mb": workers if mode == "flow-dask" else 0.0}


def measure(mode: str, n: int, base: str, batch_size: int) -> dict[str, Any]:
    """Run ``mode`` in a fresh process and return its JSON result."""
    env = {**os.environ, "PREFECT_LOGGING_LEVEL": "ERROR"}
    out = subprocess.run([sys.executable, __file__, "--child", mode, "--n", str(n), "--base", base,
                          "--batch-size", str(batch_size)], capture_output=True, text=True, env=env, check=False)
    if out.returncode != 0:
        raise SystemExit(f"{mode} N={n} failed:\n{out.stderr[-3000:]}")
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def report(results: list[dict[str, Any]]) -> None:
    """Print one line per measurement and the ratios the issue sets targets for."""
    print(f"{'mode':12} {'N':>6} {'pages':>6} {'seconds':>8} {'pages/s':>8} {'peak MB':>8} {'worker MB':>9}")
    for r in results:
        workers = f"{r['worker_peak_rss_mb']:.0f}" if r["mode"] == "flow-dask" else ""
        print(f"{r['mode']:12} {r['n']:>6} {r['pages']:>6} {r['seconds']:>8.1f} {r['pages_per_s']:>8.1f} "
              f"{r['peak_rss_mb']:>8.0f} {workers:>9}")
    for n in sorted({r["n"] for r in results}):
        rate = {r["mode"]: r["pages_per_s"] for r in results if r["n"] == n}
        if "flow" in rate and "direct" in rate:
            print(f"N={n}: flow / direct = {rate['flow'] / rate['direct']:.2f} (Prefect overhead {1 - rate['flow'] / rate['direct']:.0%})")
        for flow in ("flow", "flow-dask"):
            if flow in rate and "trafilatura" in rate:
                print(f"N={n}: {flow} / trafilatura alone = {rate[flow] / rate['trafilatura']:.2f}")


def report_memory(results: list[dict[str, Any]]) -> None:
    """Print, per mode, how peak memory changed from the smallest N to the largest."""
    sizes = sorted({r["n"] for r in results})
    for mode in MODES:
        peaks = {r["n"]: r["peak_rss_mb"] for r in results if r["mode"] == mode}
        if len(sizes) > 1 and sizes[0] in peaks and sizes[-1] in peaks:
            change = peaks[sizes[-1]] / peaks[sizes[0]] - 1
            print(f"{mode}: peak memory N={sizes[-1]} vs N={sizes[0]}: {change:+.0%} "
                  f"({peaks[sizes[0]]:.0f} -> {peaks[sizes[-1]]:.0f} MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, action="append", help="pages (repeatable) [default: 1000 and 10000]")
    parser.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES))
    parser.add_argument("--batch-size", type=int, default=25)
    parser.add_argument("--child", choices=MODES, help=argparse.SUPPRESS)
    parser.add_argument("--base", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sizes = args.n or [1000, 10000]
    if args.child:
        print(json.dumps(child(args.child, sizes[0], args.base, args.batch_size)))
        return
    from flows.local_server import prefect_api

    server, base = serve_pages(max(sizes))
    results = []
    with prefect_api():
        for n in sizes:
            for mode in args.modes:
                results.append(measure(mode, n, base, args.batch_size))
                print(json.dumps(results[-1]), file=sys.stderr, flush=True)
    server.shutdown()
    report(results)
    report_memory(results)


if __name__ == "__main__":
    main()
