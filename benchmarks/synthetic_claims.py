"""Build a DuckDB file of synthetic claims through the real schema and time every view.

Run it with the project installed (``pip install -e .``), from the repository root:

    python benchmarks/synthetic_claims.py --claims 10000 --db /tmp/synthetic.duckdb
    python benchmarks/synthetic_claims.py --claims 100000 --dashboard /tmp/dashboard.html

The data imitate what the pipeline stores from a war tracker's sources over ~1,000 days:
- one primary reporter ("Ukraine's General Staff") publishes a daily article with running
  totals (cumulative) and one-day figures (period) for three metrics, with a few revisions
  (a total that goes down) and one-day figures that disagree with the increment;
- monthly and weekly reporters (British Military Intelligence, UNHCR, Rosstat) for other
  metrics and kinds (period, level, percent);
- as many outlets as the requested size needs, each publishing every few days; each repeats
  a primary figure, citing it (source set) or in its own voice (source null), mostly exactly,
  sometimes rounded, and now and then off by 10% (a conflict);
- 3% of outlet articles are stored a second time under another URL as copies (copy_of set),
  with claims that must not count.

Frames follow ``claimtrack.transforms.normalize`` schemas and are loaded by ``warehouse.load_batch``, so
the views are timed on the real tables. Prints one line per view: rows and best-of-3 seconds.
"""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import click
import polars as pl

from claimtrack.transforms import warehouse
from claimtrack.transforms.normalize import ARTICLE_SCHEMA, CLAIM_SCHEMA, COMPARISON_SCHEMA, FAILURE_SCHEMA

START = date(2022, 2, 24)
DAYS = 1000
PRIMARY = "Ukraine's General Staff"
DAILY_METRICS = (
    ("troop_losses", "troop", 1100.0),
    ("tank_losses", "tank", 8.0),
    ("artillery_losses", "artillery system", 15.0),
)
OUTLET_CADENCE = 5
CLAIMS_PER_OUTLET_ARTICLE = 3
VIEW_QUERIES = {
    "series": "select * from series",
    "latest": "select * from latest",
    "known_on": "select * from known_on(date '2023-06-30')",
    "daily": "select * from daily",
    "conflicts": "select * from conflicts",
    "sources": "select * from sources",
    "comparison_periods": "select * from comparison_periods",
    "series, one metric, 90 days": (
        "select * from series where metric = 'troop_losses' and as_of >= date '2024-08-01' order by as_of"
    ),
}


@dataclass
class Batch:
    """Rows being built: articles and claims as dicts keyed by schema column."""

    articles: list[dict[str, Any]]
    claims: list[dict[str, Any]]

    def article(self, article_id: str, site: str, day: date, title: str, copy_of: str | None = None) -> None:
        """Append one article row (text is a placeholder: views never read it).

        A copy carries its original's text hash: the loader finds copies by text.
        """
        self.articles.append(
            {
                "article_id": article_id,
                "url": f"https://{site}/{article_id}",
                "canonical_url": f"https://{site}/{article_id}",
                "title": title,
                "site": site,
                "published": day,
                "date_source": "metadata",
                "fetched": datetime.combine(day, datetime.min.time(), UTC),
                "content_hash": copy_of or article_id,
                "text": title,
                "copy_of": copy_of,
            }
        )

    def claim(self, article_id: str, n: int, day: date, **fields: Any) -> None:
        """Append one claim row of ``article_id`` published on ``day``; fields override."""
        value = fields.get("value")
        row = {
            "claim_id": f"{article_id}-{n}",
            "article_id": article_id,
            "start": n * 10,
            "end": n * 10 + 6,
            "text": f"{value:,.0f}",
            "low": value,
            "high": value,
            "bound": "=",
            "change": None,
            "subject": "Russia",
            "period_start": None,
            "period_end": day,
            "source": None,
            "origin": None,
            "rule": "synthetic",
            "published": day,
            "extractor_version": "synthetic",
        }
        row.update(fields)
        row["sentence"] = (
            f"{row['source'] or 'The outlet'} reported {row['text']} "
            f"{row['unit']} ({row['metric']}) as of {row['period_end']}."
        )
        self.claims.append(row)


def primary_reports(batch: Batch, rng: random.Random) -> dict[tuple[str, int], float]:
    """Daily running totals plus one-day figures; returns the true total per (metric, day)."""
    truth: dict[tuple[str, int], float] = {}
    totals = {metric: 1000.0 for metric, _, _ in DAILY_METRICS}
    for d in range(DAYS):
        day = START + timedelta(days=d)
        aid = f"gs{d:05d}"
        batch.article(aid, "mil.gov.ua", day, f"Losses of the enemy as of {day}")
        for k, (metric, unit, rate) in enumerate(DAILY_METRICS):
            step = float(max(0, round(rng.gauss(rate, rate / 3))))
            totals[metric] += step
            truth[(metric, d)] = totals[metric]
            total = totals[metric] - (50 if rng.random() < 0.005 else 0)  # a revision
            told = step + (3 if rng.random() < 0.01 else 0)  # a one-day figure that disagrees
            common = {"metric": metric, "unit": unit, "source": PRIMARY}
            batch.claim(aid, 2 * k, day, value=total, kind="cumulative", period_start=START, **common)
            batch.claim(aid, 2 * k + 1, day, value=told, kind="period", change="up", period_start=day, **common)
    return truth


def periodic_reports(batch: Batch, rng: random.Random) -> None:
    """Monthly convictions (period), weekly refugees (level), monthly inflation (percent)."""
    refugees, convictions = 4_000_000.0, 0.0
    for d in range(0, DAYS, 7):
        day = START + timedelta(days=d)
        refugees += rng.gauss(20_000, 8_000)
        aid = f"un{d:05d}"
        batch.article(aid, "unhcr.org", day, f"Refugee situation update {day}")
        batch.claim(
            aid,
            0,
            day,
            value=round(refugees, -3),
            bound="~",
            kind="level",
            metric="refugees",
            unit="refugee",
            subject="Ukraine",
            source="UNHCR",
        )
    for d in range(0, DAYS, 30):
        day = START + timedelta(days=d)
        convictions = float(rng.randint(20, 90))
        aid = f"bmi{d:05d}"
        batch.article(aid, "bbc.co.uk", day, f"Defence intelligence update {day}")
        batch.claim(
            aid,
            0,
            day,
            value=convictions,
            kind="period",
            metric="treason_convictions",
            unit="conviction",
            period_start=day - timedelta(days=29),
            source="British Military Intelligence",
            origin="Russian independent media",
        )
        batch.claim(
            aid,
            1,
            day,
            value=round(rng.uniform(4, 12), 1),
            kind="level",
            metric="inflation",
            unit="percent",
            source="Rosstat",
        )


def outlet_reports(batch: Batch, rng: random.Random, truth: dict[tuple[str, int], float], outlets: int) -> None:
    """Outlets repeating primary totals, some in their own voice, some off by 10%, 3% copied."""
    for o in range(outlets):
        site = f"outlet{o:03d}.example"
        for d in range(o % OUTLET_CADENCE, DAYS, OUTLET_CADENCE):
            day = START + timedelta(days=d)
            aid = f"o{o:03d}d{d:05d}"
            batch.article(aid, site, day, f"War update from {site}, {day}")
            own_voice, first = rng.random() < 0.5, len(batch.claims)
            for n in range(CLAIMS_PER_OUTLET_ARTICLE):
                metric, unit, _ = DAILY_METRICS[n % len(DAILY_METRICS)]
                as_of = d - 1 if d and rng.random() < 0.3 else d
                value = truth[(metric, as_of)] * outlet_noise(rng)
                batch.claim(
                    aid,
                    n,
                    day,
                    value=value,
                    bound="~" if own_voice else "=",
                    kind="cumulative",
                    metric=metric,
                    unit=unit,
                    period_start=START,
                    period_end=START + timedelta(days=as_of),
                    source=None if own_voice else PRIMARY,
                )
            if rng.random() < 0.03:
                copy_article(batch, batch.claims[first:], f"mirror{o:03d}.example", day)


def outlet_noise(rng: random.Random) -> float:
    """Mostly exact, sometimes within 2%, now and then 10% off."""
    draw = rng.random()
    if draw < 0.90:
        return 1.0
    if draw < 0.97:
        return 1 + rng.uniform(-0.02, 0.02)
    return 1.10


def copy_article(batch: Batch, rows: list[dict[str, Any]], site: str, day: date) -> None:
    """Store the article of ``rows`` again under another URL as a copy, with its claims."""
    original = rows[0]["article_id"]
    copy_id = f"{original}c"
    batch.article(copy_id, site, day, f"Copy of {original}", copy_of=original)
    for row in rows:
        batch.claims.append({**row, "claim_id": f"{copy_id}-{row['start']}", "article_id": copy_id})


def synthetic_frames(claims: int, seed: int = 7) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Return (articles, claims) frames with about ``claims`` claims (at least ~9,000)."""
    rng = random.Random(seed)
    batch = Batch([], [])
    truth = primary_reports(batch, rng)
    periodic_reports(batch, rng)
    per_outlet = CLAIMS_PER_OUTLET_ARTICLE * math.ceil(DAYS / OUTLET_CADENCE)
    outlets = max(1, math.ceil((claims - len(batch.claims)) / per_outlet))
    outlet_reports(batch, rng, truth, outlets)
    articles = pl.DataFrame({k: [r.get(k) for r in batch.articles] for k in ARTICLE_SCHEMA}, schema=ARTICLE_SCHEMA)
    frame = pl.DataFrame({k: [r.get(k) for r in batch.claims] for k in CLAIM_SCHEMA}, schema=CLAIM_SCHEMA)
    return articles, frame


def empty(schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """An empty frame of ``schema``."""
    return pl.DataFrame(schema=schema)


def comparisons_frame() -> pl.DataFrame:
    """Two comparisons of the British Military Intelligence articles (one per side shape)."""
    common = {
        "start": 0,
        "end": 10,
        "metric": "treason_convictions",
        "subject": "Russia",
        "source": "British Military Intelligence",
        "sentence": "More convictions.",
        "extractor_version": "synthetic",
        "left_start": date(2024, 1, 1),
        "left_end": date(2024, 6, 30),
    }
    rows = [
        {
            **common,
            "comparison_id": "cmp0",
            "article_id": "bmi00000",
            "relation": ">",
            "text": "more convictions in the first 6 months of 2024 than in all of 2023",
            "right_start": date(2023, 1, 1),
            "right_end": date(2023, 12, 31),
            "published": START,
        },
        {
            **common,
            "comparison_id": "cmp1",
            "article_id": "bmi00030",
            "relation": "max_since",
            "text": "the highest level in at least 9 years",
            "right_years": 9.0,
            "right_bound": ">=",
            "published": START + timedelta(days=30),
        },
    ]
    return pl.DataFrame({k: [r.get(k) for r in rows] for k in COMPARISON_SCHEMA}, schema=COMPARISON_SCHEMA)


def record_run(path: Path, counts: warehouse.LoadCounts) -> None:
    """A finished run with two failures, so the dashboard's last-run section has rows."""
    run_id, now = "synthetic-run", datetime(2024, 11, 20, 12, 0, tzinfo=UTC)
    failures = pl.DataFrame(
        {
            "run_id": [run_id] * 2,
            "input": ["https://gone.example/feed.xml", "data/bad.html"],
            "stage": ["fetch", "text"],
            "reason": ["HTTP 404", "no main text found"],
            "at": [now, now],
        },
        schema=FAILURE_SCHEMA,
    )
    warehouse.start_run(path, run_id, now, '["synthetic"]')
    warehouse.load_batch(path, empty(ARTICLE_SCHEMA), empty(CLAIM_SCHEMA), empty(COMPARISON_SCHEMA), failures)
    warehouse.finish_run(
        path, run_id, now.replace(minute=5), "completed", counts + warehouse.LoadCounts(failures=failures.height)
    )


def build(path: Path, claims: int, seed: int = 7) -> float:
    """Create ``path`` (replacing it) with about ``claims`` synthetic claims; return seconds."""
    began = time.perf_counter()
    for stale in (path, path.with_name(path.name + ".wal")):
        stale.unlink(missing_ok=True)
    articles, frame = synthetic_frames(claims, seed)
    counts = warehouse.load_batch(path, articles, frame, comparisons_frame(), empty(FAILURE_SCHEMA))
    record_run(path, counts)
    return time.perf_counter() - began


def time_views(path: Path, repeat: int = 3) -> list[tuple[str, int, float]]:
    """Return (name, rows, best seconds of ``repeat``) for every query in ``VIEW_QUERIES``."""
    results = []
    con = warehouse.connect(path, read_only=True)
    try:
        for name, sql in VIEW_QUERIES.items():
            best, rows = math.inf, 0
            for _ in range(repeat):
                began = time.perf_counter()
                rows = con.sql(sql).pl().height
                best = min(best, time.perf_counter() - began)
            results.append((name, rows, best))
    finally:
        con.close()
    return results


@click.command()
@click.option("--claims", "n_claims", default=10_000, show_default=True, help="About how many claims to generate.")
@click.option(
    "--db",
    "db_path",
    type=click.Path(path_type=Path),
    default=Path("/tmp/claimtrack-synthetic.duckdb"),
    show_default=True,
)
@click.option(
    "--dashboard",
    "dashboard_out",
    type=click.Path(path_type=Path),
    default=None,
    help="Also write the dashboard here and time it.",
)
@click.option("--seed", default=7, show_default=True)
def main(n_claims: int, db_path: Path, dashboard_out: Path | None, seed: int) -> None:
    """Build a synthetic claims database and print the time every view takes.

    Example: python benchmarks/synthetic_claims.py --claims 100000 --dashboard /tmp/d.html
    """
    seconds = build(db_path, n_claims, seed)
    stored = warehouse.query(db_path, "select count(*) as n from claims")["n"][0]
    click.echo(f"built {db_path}: {stored:,} claims stored in {seconds:.1f} s")
    for name, rows, best in time_views(db_path):
        click.echo(f"  {name:<30} {rows:>8,} rows  {best * 1000:8.1f} ms")
    if dashboard_out is not None:
        from claimtrack.cli.dashboard import write_dashboard

        began = time.perf_counter()
        write_dashboard(db_path, dashboard_out)
        size = dashboard_out.stat().st_size / 1e6
        click.echo(f"  dashboard {dashboard_out}: {size:.1f} MB in {time.perf_counter() - began:.2f} s")


if __name__ == "__main__":
    main()
