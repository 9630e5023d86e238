"""Helpers shared by the fault tests: run the flow, snapshot the stored tables."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from claimtrack.transforms import warehouse

STORED = ("article_records", "article_text_pieces", "claim_records", "comparison_records")
FAST_FETCH = {
    "host_delay": 0.0,
    "host_concurrency": 8,
    "connect_timeout": 5.0,
    "read_timeout": 0.5,
    "allow_private_addresses": True,  # the servers are ours, on loopback
}


def run(db: Path, *sources: str, **options: Any) -> dict[str, Any]:
    """Run the pipeline flow on ``sources`` into ``db`` (no retries, no politeness delays,
    0.5 s read timeout, loopback addresses allowed: the servers are ours); return its summary."""
    from claimtrack.pipeline import pipeline

    options.setdefault("fetch_settings", FAST_FETCH)
    options.setdefault("fetch_backoff", 0.01)
    options.setdefault("fetch_retries", 0)
    return pipeline(sources=list(sources), db=str(db), **options)


def stored(db: Path, sql: str) -> list[tuple[Any, ...]]:
    """The rows of ``sql`` on ``db``."""
    return warehouse.query(db, sql).rows()


def snapshot(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the stored tables, sorted (empty lists when ``db`` does not exist yet)."""
    if not db.exists():
        return {name: [] for name in STORED}
    return {name: stored(db, f"select * from {name} order by all") for name in STORED}


def batch(articles: int, tag: str) -> tuple[Any, Any, Any, Any]:
    """The four frames of one batch: ``articles`` articles with two claims each (no Prefect)."""
    from datetime import UTC, date, datetime

    from claimtrack.transforms.model import Claim
    from claimtrack.transforms.normalize import (
        articles_to_frame,
        claims_to_frame,
        comparisons_to_frame,
        failures_to_frame,
    )
    from claimtrack.transforms.pages import PageText, make_article

    day = date(2024, 11, 3)
    stored_articles, claims = [], []
    for n in range(articles):
        text = f"Report {tag}-{n}: Russia lost {700_000 + n:,} troops and {9_000 + n:,} tanks."
        article = make_article(
            PageText(text=text, title=f"{tag} {n}", published=day),
            f"https://example.com/{tag}/{n}",
            datetime(2024, 11, 3, tzinfo=UTC),
        )
        stored_articles.append(article)
        for start, unit, metric in (
            (text.index("Russia") + 12, "troop", "personnel_losses"),
            (text.index(" and ") + 5, "tank", "tank_losses"),
        ):
            end = text.index(" ", start)
            value = float(text[start:end].replace(",", ""))
            claims.append(
                (
                    article.article_id,
                    Claim(
                        start=start,
                        end=end,
                        text=text[start:end],
                        value=value,
                        low=value,
                        high=value,
                        bound="=",
                        unit=unit,
                        kind="cumulative",
                        sentence=text,
                        published=day,
                        metric=metric,
                        period_end=day,
                    ),
                )
            )
    return (
        articles_to_frame(stored_articles),
        claims_to_frame(claims),
        comparisons_to_frame([]),
        failures_to_frame(tag, []),
    )
