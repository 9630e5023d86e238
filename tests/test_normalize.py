"""The typed polars frames: one schema each, ids, dedupe, empty batches."""

from __future__ import annotations

from datetime import UTC, date, datetime

import polars as pl

from claimtrack.transforms.model import EXTRACTOR_VERSION, Claim, Comparison, Failure, PeriodRef
from claimtrack.transforms.normalize import (
    ARTICLE_SCHEMA,
    CLAIM_SCHEMA,
    COMPARISON_SCHEMA,
    FAILURE_SCHEMA,
    articles_to_frame,
    claims_to_frame,
    comparisons_to_frame,
    failures_to_frame,
)
from claimtrack.transforms.pages import claim_id

PUBLISHED = date(2024, 11, 3)


def claim(start: int = 10, value: float | None = 700000, unit: str = "Troop ") -> Claim:
    return Claim(
        start=start,
        end=start + 7,
        text="700,000",
        value=value,
        low=value,
        high=value,
        bound="~",
        unit=unit,
        kind="cumulative",
        sentence="They lost 700,000 troops.",
        published=PUBLISHED,
        period_start=date(2022, 2, 24),
        period_end=PUBLISHED,
    )


def test_claims_frame_has_the_one_schema_and_ids() -> None:
    frame = claims_to_frame([("a1", claim()), ("a1", claim(start=40, value=None))])
    assert frame.schema == pl.Schema(CLAIM_SCHEMA)
    assert frame["value"].dtype == pl.Float64 and frame["period_end"].dtype == pl.Date
    assert frame["claim_id"].to_list() == [
        claim_id("a1", 10, 17, EXTRACTOR_VERSION),
        claim_id("a1", 40, 47, EXTRACTOR_VERSION),
    ]
    assert frame["unit"].to_list() == ["troop", "troop"]
    assert frame["value"].to_list() == [700000.0, None]


def test_claims_frame_drops_repeated_ids_and_handles_empty_input() -> None:
    assert claims_to_frame([("a1", claim()), ("a1", claim())]).height == 1
    empty = claims_to_frame([])
    assert empty.height == 0 and empty.schema == pl.Schema(CLAIM_SCHEMA)


def test_comparisons_frame_flattens_both_sides() -> None:
    comparison = Comparison(
        start=5,
        end=30,
        text="more convictions",
        relation="max_since",
        left=PeriodRef(date(2024, 1, 1), date(2024, 6, 30)),
        right=PeriodRef(years=9, bound=">="),
        sentence="s",
        published=PUBLISHED,
        extra={"note": 1},
    )
    row = comparisons_to_frame([("a1", comparison)]).row(0, named=True)
    assert (row["left_start"], row["left_end"], row["right_years"], row["right_bound"]) == (
        date(2024, 1, 1),
        date(2024, 6, 30),
        9.0,
        ">=",
    )
    assert row["extra"] == '{"note": 1}'
    assert comparisons_to_frame([]).schema == pl.Schema(COMPARISON_SCHEMA)


def test_articles_and_failures_frames() -> None:
    assert articles_to_frame([]).schema == pl.Schema(ARTICLE_SCHEMA)
    at = datetime(2024, 1, 1, 12, tzinfo=UTC)
    frame = failures_to_frame("run-1", [Failure("x.html", "text", "no main text", at)])
    assert frame.schema == pl.Schema(FAILURE_SCHEMA)
    assert frame.row(0) == ("run-1", "x.html", "text", "no main text", at)
    assert Failure("x.html", "text", "no main text", at).line() == "x.html: text failed: no main text"
