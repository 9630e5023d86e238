"""Typed polars frames for everything the warehouse stores, each schema defined once here.

``CLAIM_SCHEMA`` is the one claim frame schema (Float64 values, Date periods, Utf8 text); the
DuckDB table ``claim_records`` has the same columns (a test checks it). Functions take the record
objects produced upstream and return frames ready for ``warehouse.load_batch``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict

import polars as pl

from claimtrack.transforms.model import Claim, Comparison, Failure, PeriodRef
from claimtrack.transforms.pages import Article, claim_id, comparison_id

UTC_TIME = pl.Datetime("us", "UTC")

CLAIM_SCHEMA: dict[str, pl.DataType] = {
    "claim_id": pl.Utf8(),
    "article_id": pl.Utf8(),
    "start": pl.Int64(),
    "end": pl.Int64(),
    "text": pl.Utf8(),
    "value": pl.Float64(),
    "low": pl.Float64(),
    "high": pl.Float64(),
    "bound": pl.Utf8(),
    "unit": pl.Utf8(),
    "kind": pl.Utf8(),
    "change": pl.Utf8(),
    "metric": pl.Utf8(),
    "subject": pl.Utf8(),
    "period_start": pl.Date(),
    "period_end": pl.Date(),
    "source": pl.Utf8(),
    "origin": pl.Utf8(),
    "rule": pl.Utf8(),
    "sentence": pl.Utf8(),
    "published": pl.Date(),
    "extractor_version": pl.Utf8(),
}
ARTICLE_SCHEMA: dict[str, pl.DataType] = {
    "article_id": pl.Utf8(),
    "url": pl.Utf8(),
    "canonical_url": pl.Utf8(),
    "title": pl.Utf8(),
    "author": pl.Utf8(),
    "site": pl.Utf8(),
    "published": pl.Date(),
    "date_source": pl.Utf8(),
    "fetched": UTC_TIME,
    "content_hash": pl.Utf8(),
    "text": pl.Utf8(),
    "source": pl.Utf8(),
    "language": pl.Utf8(),
    "copy_of": pl.Utf8(),
    "feed_title": pl.Utf8(),
    "feed_date": pl.Date(),
    "version_of": pl.Utf8(),
}
COMPARISON_SCHEMA: dict[str, pl.DataType] = {
    "comparison_id": pl.Utf8(),
    "article_id": pl.Utf8(),
    "start": pl.Int64(),
    "end": pl.Int64(),
    "text": pl.Utf8(),
    "relation": pl.Utf8(),
    "left_start": pl.Date(),
    "left_end": pl.Date(),
    "left_years": pl.Float64(),
    "left_bound": pl.Utf8(),
    "right_start": pl.Date(),
    "right_end": pl.Date(),
    "right_years": pl.Float64(),
    "right_bound": pl.Utf8(),
    "metric": pl.Utf8(),
    "subject": pl.Utf8(),
    "source": pl.Utf8(),
    "origin": pl.Utf8(),
    "sentence": pl.Utf8(),
    "published": pl.Date(),
    "extractor_version": pl.Utf8(),
    "extra": pl.Utf8(),
}
INPUT_SCHEMA: dict[str, pl.DataType] = {  # what became of one input (run_inputs, less run_id)
    "input": pl.Utf8(),
    "outcome": pl.Utf8(),
    "article_id": pl.Utf8(),
}
FAILURE_SCHEMA: dict[str, pl.DataType] = {
    "run_id": pl.Utf8(),
    "input": pl.Utf8(),
    "stage": pl.Utf8(),
    "reason": pl.Utf8(),
    "at": UTC_TIME,
}


def _frame(rows: list[dict[str, object]], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """Build a frame with exactly ``schema``'s columns from row dicts (empty rows -> empty frame)."""
    data = {name: [row.get(name) for row in rows] for name in schema}
    return pl.DataFrame(data, schema=schema)


def claims_to_frame(pairs: Iterable[tuple[str, Claim]]) -> pl.DataFrame:
    """Return one ``CLAIM_SCHEMA`` row per ``(article_id, claim)``, units lower-cased, ids unique."""
    rows = []
    for article, claim in pairs:
        row = asdict(claim)
        row["claim_id"] = claim_id(article, claim.start, claim.end, claim.extractor_version)
        row["article_id"] = article
        rows.append(row)
    return (
        _frame(rows, CLAIM_SCHEMA)
        .with_columns(
            pl.col("unit").str.strip_chars().str.to_lowercase(),
            pl.col("metric").str.strip_chars(),
        )
        .unique(subset="claim_id", keep="first", maintain_order=True)
    )


def _side(prefix: str, ref: PeriodRef) -> dict[str, object]:
    """Flatten one side of a comparison into ``<prefix>_start/_end/_years/_bound`` columns."""
    return {
        f"{prefix}_start": ref.period_start,
        f"{prefix}_end": ref.period_end,
        f"{prefix}_years": ref.years,
        f"{prefix}_bound": ref.bound,
    }


def comparisons_to_frame(pairs: Iterable[tuple[str, Comparison]]) -> pl.DataFrame:
    """Return one ``COMPARISON_SCHEMA`` row per ``(article_id, comparison)``; ``extra`` as JSON."""
    rows = []
    for article, comp in pairs:
        row = {
            k: getattr(comp, k)
            for k in (
                "start",
                "end",
                "text",
                "relation",
                "metric",
                "subject",
                "source",
                "origin",
                "sentence",
                "published",
                "extractor_version",
            )
        }
        row |= _side("left", comp.left) | _side("right", comp.right)
        row |= {
            "comparison_id": comparison_id(article, comp.start, comp.end, comp.extractor_version),
            "article_id": article,
            "extra": json.dumps(comp.extra, default=str) if comp.extra else None,
        }
        rows.append(row)
    return _frame(rows, COMPARISON_SCHEMA).unique(subset="comparison_id", keep="first", maintain_order=True)


def articles_to_frame(articles: Iterable[Article]) -> pl.DataFrame:
    """Return one ``ARTICLE_SCHEMA`` row per article (text included), ids unique."""
    rows = [asdict(article) for article in articles]
    return _frame(rows, ARTICLE_SCHEMA).unique(subset="article_id", keep="first", maintain_order=True)


def failures_to_frame(run_id: str, failures: Iterable[Failure]) -> pl.DataFrame:
    """Return one ``FAILURE_SCHEMA`` row per failure of run ``run_id``."""
    rows = [{"run_id": run_id, **asdict(failure)} for failure in failures]
    return _frame(rows, FAILURE_SCHEMA)


def inputs_to_frame(outcomes: Iterable[tuple[str, str, str | None]]) -> pl.DataFrame:
    """Return one ``INPUT_SCHEMA`` row per ``(input, outcome, article_id)``."""
    rows: list[dict[str, object]] = [dict(zip(INPUT_SCHEMA, outcome, strict=True)) for outcome in outcomes]
    return _frame(rows, INPUT_SCHEMA)
