"""Peak memory of the database loads alone, as the database grows: no fetching, no extraction,
no Prefect, only ``claimtrack.transforms.warehouse.load_batch`` (one connection and one transaction per
batch, as the pipeline loads) on synthetic batches shaped like the benchmark's pages.

usage: python benchmarks/load_memory.py [--articles 10000] [--batch-size 25] [--every 1000]

Each batch holds ``--batch-size`` new articles of about 8 KB of text with 10 claims each (the
pipeline benchmark stores 9,961 articles and 97,874 claims for N=10,000). Prints the process's
peak RSS and the file size every ``--every`` articles: what the DuckDB write path (commit, and
the checkpoint when the connection closes) adds as the tables grow, apart from the pipeline.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from claimtrack.transforms import warehouse
from claimtrack.transforms.model import Claim
from claimtrack.transforms.normalize import articles_to_frame, claims_to_frame, comparisons_to_frame, failures_to_frame
from claimtrack.transforms.pages import Article, PageText, make_article

DAY = date(2024, 11, 3)
BODY = "Officials said the convoy reached the river towns after three days on the road. " * 100
SENTENCE = "Russia has lost approximately 700,000 troops since the invasion, the ministry said."


def batch(first: int, size: int) -> tuple[list[Article], list[tuple[str, Claim]]]:
    """Articles ``first`` .. ``first + size - 1`` (each text its own) and 10 claims each."""

    def page(i: int) -> PageText:
        return PageText(text=f"Report {i}. {BODY}", title=f"Report {i}", published=DAY, date_source="given")

    articles = [
        make_article(page(i), f"https://news.example/{i}", datetime(2024, 11, 3, tzinfo=UTC))
        for i in range(first, first + size)
    ]
    claims = [
        (
            a.article_id,
            Claim(
                start=s,
                end=s + 7,
                text="700,000",
                value=7e5,
                low=7e5,
                high=7e5,
                bound="~",
                unit="troop",
                kind="cumulative",
                sentence=SENTENCE,
                published=DAY,
                period_end=DAY,
            ),
        )
        for a in articles
        for s in range(0, 800, 80)
    ]
    return articles, claims


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--batch-size", type=int, default=25)
    parser.add_argument("--every", type=int, default=1000)
    args = parser.parse_args()
    db = Path(tempfile.mkdtemp(prefix="claimtrack-load-")) / "load.duckdb"
    print(f"{'articles':>8} {'peak MB':>8} {'file MB':>8} {'ms/batch':>9}")
    started, loads = time.perf_counter(), 0
    for first in range(0, args.articles, args.batch_size):
        articles, claims = batch(first, min(args.batch_size, args.articles - first))
        warehouse.load_batch(
            db,
            articles_to_frame(articles),
            claims_to_frame(claims),
            comparisons_to_frame([]),
            failures_to_frame("load-memory", []),
        )
        loads += 1
        done = first + len(articles)
        if done % args.every == 0 or done == args.articles:
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            per_batch = (time.perf_counter() - started) / loads * 1000
            print(f"{done:>8} {peak:>8.0f} {db.stat().st_size / 2**20:>8.0f} {per_batch:>9.0f}", flush=True)
            started, loads = time.perf_counter(), 0


if __name__ == "__main__":
    main()
