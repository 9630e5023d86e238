"""The views compare like with like: units kept apart, conflicts only within one period, and
claims dated after their article's publication kept off the time axis unless the text dates
them as a forecast (data/vocab/forecasts.yaml). On the seeded database plus a few claims."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from claims_seed import BMI, GS, claim, d, frame, seed_database

from claimtrack.transforms import warehouse
from claimtrack.transforms.forecasts import forecast_examples, has_forecast_wording, is_forecast
from claimtrack.transforms.model import Claim
from claimtrack.transforms.normalize import CLAIM_SCHEMA, claims_to_frame

EXTRA = [
    # two units on one date, one reporter: two rows in `latest`
    claim("bbc0531", 5, 2, "war_duration", d(5, 31), unit="week", kind="level", source=None),
    claim("bbc0531", 6, 3, "war_duration", d(5, 31), unit="day", kind="level", source=None),
    # two reporters, same metric, subject, kind, unit and date but different periods: no conflict
    claim("gs0530", 1, 50, "drone_strikes", d(5, 30), unit="drone", kind="period", period_start=d(5, 1)),
    claim("bbc0531", 7, 90, "drone_strikes", d(5, 30), unit="drone", kind="period", period_start=d(5, 24), source=BMI),
    # ... and the same period: a conflict
    claim("gs0530", 2, 60, "drone_strikes", d(5, 30), unit="drone", kind="period", period_start=d(5, 24)),
    # dated after publication (2024-05-31): a stray year end, and a forecast the text dates
    claim(
        "bbc0531",
        8,
        14,
        "heat_records",
        date(2099, 12, 31),
        unit="year",
        kind="level",
        subject=None,
        sentence="The 21st century has seen 14 of the 15 warmest years.",
    ),
    claim(
        "bbc0531",
        9,
        4000,
        "teachers",
        date(2027, 12, 31),
        unit="teacher",
        kind="level",
        subject=None,
        sentence="The ministry will hire 4,000 teachers by the end of 2027.",
        forecast=True,
    ),
]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = seed_database(tmp_path_factory.mktemp("like") / "claims.duckdb")
    extra = frame(EXTRA, CLAIM_SCHEMA)
    with warehouse.opened(path) as con:
        con.register("extra", extra.to_arrow())
        con.execute("insert into claim_records by name select * from extra")
    return path


def rows(path: Path, sql: str) -> list[dict[str, Any]]:
    return warehouse.query(path, sql).to_dicts()


def test_latest_keeps_units_apart(seeded: Path) -> None:
    found = rows(seeded, "select unit, value, min_value, max_value from latest where metric = 'war_duration'")
    assert sorted((r["unit"], r["value"], r["min_value"], r["max_value"]) for r in found) == [
        ("day", 3.0, 3.0, 3.0),
        ("week", 2.0, 2.0, 2.0),
    ]


def test_conflicts_compare_only_the_same_period(seeded: Path) -> None:
    found = rows(seeded, "select * from conflicts where metric = 'drone_strikes'")
    assert [(r["a_value"], r["b_value"], r["period_start"]) for r in found] == [(90.0, 60.0, d(5, 24))]
    assert {found[0]["a_reporter"], found[0]["b_reporter"]} == {BMI, GS}


def test_claims_after_publication_are_flagged_and_kept_off_the_series_unless_forecast(seeded: Path) -> None:
    flagged = rows(seeded, "select claim_id, after_publication, forecast from claims where after_publication")
    assert {(r["claim_id"], r["forecast"]) for r in flagged} == {("bbc0531-8", False), ("bbc0531-9", True)}
    series = {r["claim_id"]: r for r in rows(seeded, "select claim_id, forecast from series")}
    assert "bbc0531-8" not in series and series["bbc0531-9"]["forecast"] is True
    assert not any(r["forecast"] for i, r in series.items() if i != "bbc0531-9")
    dated = "select count(*) as n from claims where period_end is not null and (not after_publication or forecast)"
    assert rows(seeded, dated)[0]["n"] == len(series)


def test_units_per_reporter_in_sources(seeded: Path) -> None:
    bmi = rows(seeded, f"select units from sources where reporter = '{BMI}' and origin is null")
    assert bmi and "drone" in bmi[0]["units"] and "tank" in bmi[0]["units"]


@pytest.mark.parametrize("example", forecast_examples(), ids=lambda ex: ex["sentence"][:40])
def test_forecast_wording_examples(example: dict[str, Any]) -> None:
    assert has_forecast_wording(example["sentence"]) is example["forecast"]


def test_forecast_is_set_when_claims_are_normalised() -> None:
    sentence = "The ministry will hire 4,000 teachers by the end of 2027."
    assert is_forecast(date(2027, 12, 31), date(2024, 5, 1), sentence)
    assert not is_forecast(date(2024, 4, 30), date(2024, 5, 1), sentence)  # not after publication
    assert not is_forecast(date(2099, 12, 31), date(2024, 5, 1), "The 21st century saw 14 warm years.")
    assert not is_forecast(date(2027, 12, 31), None, sentence)
    claim_row = Claim(
        start=0,
        end=5,
        text="4,000",
        value=4000,
        low=4000,
        high=4000,
        bound="=",
        unit="teacher",
        kind="level",
        sentence=sentence,
        published=date(2024, 5, 1),
        period_end=date(2027, 12, 31),
    )
    assert claims_to_frame([("a1", claim_row)])["forecast"].to_list() == [True]
