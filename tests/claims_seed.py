"""Hand-written claims for the view and dashboard tests, loaded through the real warehouse.

Every edge case the views handle has a row here (dates are 2024):
- troop_losses, Russia, Ukraine's General Staff (GS), daily running totals and one-day figures:
  05-01 1000 (+10 told), 05-02 1010 (+10 told, agrees), 05-03 1025 (+12 told: disagrees with
  the increment 15), 05-04 1020 (a revision: down 5), 05-06 1040 then restated 1045 in a later
  article (gap of 2 days, one-day figure 10 not compared);
- tank_losses, cumulative: GS vs news.example on 05-10 (100 vs 110: a conflict), GS vs British
  Military Intelligence (BMI) 05-20/05-21 (200 vs 204: within 5%), 05-30/05-31 (300 vs 330:
  a conflict a day apart), news.example 06-02 400 (three days from GS: not compared);
  a GS one-day figure 5 on 05-10 (other kind: not compared);
- a copy of the news.example article (same text, another URL) whose claims must not count,
  and a claim put straight into claim_records for a copy (defence in depth);
- treason_convictions, a five-month period, and a comparison (BMI, citing Russian media);
- inflation with no subject (Rosstat), a claim with no metric, a vague "tens of thousands"
  (no point value), a claim with no date at all, one with an as_of but no publication date
  (refugees, from an article whose date is unknown).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import polars as pl

from claimtrack.transforms import warehouse
from claimtrack.transforms.normalize import ARTICLE_SCHEMA, CLAIM_SCHEMA, COMPARISON_SCHEMA, FAILURE_SCHEMA

GS, BMI, NEWS = "Ukraine's General Staff", "British Military Intelligence", "news.example"
RUN_ID = "run-2"


def d(month: int, day: int) -> date:
    """A date in 2024."""
    return date(2024, month, day)


ARTICLES: list[dict[str, Any]] = [
    {"article_id": "gs0501", "site": "mil.gov.ua", "published": d(5, 1)},
    {"article_id": "gs0502", "site": "mil.gov.ua", "published": d(5, 2)},
    {"article_id": "gs0503", "site": "mil.gov.ua", "published": d(5, 3)},
    {"article_id": "gs0504", "site": "mil.gov.ua", "published": d(5, 4)},
    {"article_id": "gs0506", "site": "mil.gov.ua", "published": d(5, 6)},
    {"article_id": "gs0507", "site": "mil.gov.ua", "published": d(5, 7)},
    {"article_id": "gs0510", "site": "mil.gov.ua", "published": d(5, 10)},
    {"article_id": "gs0520", "site": "mil.gov.ua", "published": d(5, 20)},
    {"article_id": "gs0530", "site": "mil.gov.ua", "published": d(5, 30)},
    {"article_id": "news0510", "site": NEWS, "published": d(5, 10), "text": "news story"},
    {"article_id": "mirror0510", "site": "mirror.example", "published": d(5, 11), "text": "news story"},
    {"article_id": "news0602", "site": NEWS, "published": d(6, 2)},
    {"article_id": "bbc0521", "site": "bbc.co.uk", "published": d(5, 21)},
    {"article_id": "bbc0531", "site": "bbc.co.uk", "published": d(5, 31)},
    {"article_id": "undated", "site": "undated.example", "published": None},
]


def claim(
    article: str, n: int, value: float | None, metric: str | None, as_of: date | None, **fields: Any
) -> dict[str, Any]:
    """One claim row; defaults: cumulative, exact, Russia, published = the article's date."""
    published = next(a["published"] for a in ARTICLES if a["article_id"] == article)
    row = {
        "claim_id": f"{article}-{n}",
        "article_id": article,
        "start": n * 10,
        "end": n * 10 + 5,
        "text": f"{value}",
        "value": value,
        "low": value,
        "high": value,
        "bound": "=",
        "unit": "troop",
        "kind": "cumulative",
        "metric": metric,
        "subject": "Russia",
        "period_end": as_of,
        "source": GS,
        "published": published,
        "sentence": f"{metric} {value} as of {as_of}.",
        "extractor_version": "test",
    }
    row.update(fields)
    return row


def one_day(article: str, n: int, value: float, metric: str, day: date, **kw: Any) -> dict[str, Any]:
    """A one-day ``period`` figure (period_start = period_end = ``day``), change up."""
    return claim(article, n, value, metric, day, kind="period", change="up", period_start=day, **kw)


CLAIMS: list[dict[str, Any]] = [
    claim("gs0501", 0, 1000, "troop_losses", d(5, 1)),
    one_day("gs0501", 1, 10, "troop_losses", d(5, 1)),
    claim("gs0502", 0, 1010, "troop_losses", d(5, 2)),
    one_day("gs0502", 1, 10, "troop_losses", d(5, 2)),
    claim("gs0503", 0, 1025, "troop_losses", d(5, 3)),
    one_day("gs0503", 1, 12, "troop_losses", d(5, 3)),
    claim("gs0504", 0, 1020, "troop_losses", d(5, 4)),
    claim("gs0506", 0, 1040, "troop_losses", d(5, 6)),
    one_day("gs0506", 1, 10, "troop_losses", d(5, 6)),
    claim("gs0507", 0, 1045, "troop_losses", d(5, 6)),
    claim("gs0510", 0, 100, "tank_losses", d(5, 10), unit="tank"),
    one_day("gs0510", 1, 5, "tank_losses", d(5, 10), unit="tank"),
    claim("news0510", 0, 110, "tank_losses", d(5, 10), unit="tank", source=None),
    claim("mirror0510", 0, 999, "tank_losses", d(5, 20), unit="tank", source=None),
    claim("gs0520", 0, 200, "tank_losses", d(5, 20), unit="tank"),
    claim("bbc0521", 0, 204, "tank_losses", d(5, 21), unit="tank", source=BMI),
    claim("gs0530", 0, 300, "tank_losses", d(5, 30), unit="tank"),
    claim("bbc0531", 0, 330, "tank_losses", d(5, 31), unit="tank", source=BMI),
    claim("news0602", 0, 400, "tank_losses", d(6, 2), unit="tank", source=None),
    claim(
        "bbc0531",
        1,
        300,
        "treason_convictions",
        d(5, 31),
        unit="conviction",
        kind="period",
        period_start=d(1, 1),
        source=BMI,
        origin="Russian independent media",
    ),
    claim("bbc0531", 2, 8.5, "inflation", d(5, 31), unit="percent", kind="level", subject=None, source="Rosstat"),
    claim("bbc0531", 3, 40, None, d(5, 31), unit="drone", kind="period", period_start=d(5, 31), subject=None),
    claim(
        "bbc0531", 4, None, "troop_losses", d(5, 31), low=10000, high=100000, bound="~", subject="Ukraine", source=BMI
    ),
    claim("undated", 0, 7, "troop_losses", None, source=None),
    claim("undated", 1, 8, "refugees", d(5, 5), unit="refugee", kind="level", subject="Ukraine", source=None),
]

COMPARISONS: list[dict[str, Any]] = [
    {
        "comparison_id": "cmp-bbc",
        "article_id": "bbc0531",
        "start": 0,
        "end": 9,
        "text": "more convictions in the first 6 months of 2024 than in all of 2023",
        "relation": ">",
        "left_start": d(1, 1),
        "left_end": d(6, 30),
        "right_start": date(2023, 1, 1),
        "right_end": date(2023, 12, 31),
        "metric": "treason_convictions",
        "subject": "Russia",
        "source": BMI,
        "origin": "Russian independent media",
        "sentence": "More convictions.",
        "published": d(5, 31),
        "extractor_version": "test",
    },
    {
        "comparison_id": "cmp-max",
        "article_id": "bbc0531",
        "start": 10,
        "end": 19,
        "text": "the highest level in at least 9 years",
        "relation": "max_since",
        "left_start": d(1, 1),
        "left_end": d(6, 30),
        "right_years": 9.0,
        "right_bound": ">=",
        "metric": "treason_convictions",
        "subject": "Russia",
        "source": BMI,
        "sentence": "Highest in 9 years.",
        "published": d(5, 31),
        "extractor_version": "test",
    },
]


def frame(rows: list[dict[str, Any]], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """Rows as a frame of exactly ``schema`` (missing keys are null)."""
    return pl.DataFrame({k: [r.get(k) for r in rows] for k in schema}, schema=schema)


def article_rows() -> list[dict[str, Any]]:
    """ARTICLES completed with url, title, text and hash (same text = same hash = a copy)."""
    rows = []
    for a in ARTICLES:
        text = a.get("text", f"text of {a['article_id']}")
        rows.append(
            {
                **a,
                "url": f"https://{a['site']}/{a['article_id']}",
                "canonical_url": f"https://{a['site']}/{a['article_id']}",
                "title": f"Title {a['article_id']}",
                "text": text,
                "content_hash": text,
                "fetched": datetime(2024, 7, 1, tzinfo=UTC),
            }
        )
    return rows


def seed_database(path: Path) -> Path:
    """Create ``path`` with the rows above, a finished run with one failure; return ``path``."""
    failures = frame(
        [
            {
                "run_id": RUN_ID,
                "input": "https://gone.example/feed.xml",
                "stage": "fetch",
                "reason": "HTTP 404 <b>not found</b>",
                "at": datetime(2024, 7, 1, 12, tzinfo=UTC),
            }
        ],
        FAILURE_SCHEMA,
    )
    warehouse.start_run(path, "run-1", datetime(2024, 6, 30, tzinfo=UTC), "[]")
    warehouse.finish_run(path, "run-1", datetime(2024, 6, 30, 0, 1, tzinfo=UTC), "completed", warehouse.LoadCounts())
    warehouse.start_run(path, RUN_ID, datetime(2024, 7, 1, 12, tzinfo=UTC), '["data/samples"]')
    counts = warehouse.load_batch(
        path,
        frame(article_rows(), ARTICLE_SCHEMA),
        frame(CLAIMS, CLAIM_SCHEMA),
        frame(COMPARISONS, COMPARISON_SCHEMA),
        failures,
    )
    warehouse.finish_run(path, RUN_ID, datetime(2024, 7, 1, 12, 5, tzinfo=UTC), "completed", counts)
    with warehouse.opened(path) as con:  # a copy's claim stored anyway must still not count
        con.execute(
            "insert into claim_records by name select * replace "
            "('mirror0510-9' as claim_id, 5000.0 as value) from claim_records "
            "where claim_id = 'gs0510-0'"
        )
        con.execute("update claim_records set article_id = 'mirror0510' where claim_id = 'mirror0510-9'")
    return path
