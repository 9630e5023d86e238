"""The analyst views on a real DuckDB file seeded with hand-written claims (tests/claims_seed.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from claims_seed import BMI, GS, NEWS, d, seed_database

from claimtrack.transforms import warehouse

VIEWS = ("series", "latest", "daily", "conflicts", "sources", "comparison_periods")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A seeded database file, shared by the tests of this module (they only read it)."""
    return seed_database(tmp_path_factory.mktemp("views") / "claims.duckdb")


def rows(seeded: Path, sql: str, **params: Any) -> list[dict[str, Any]]:
    """The rows of ``sql`` as dicts."""
    return warehouse.query(seeded, sql, params).to_dicts()


def test_every_view_exists_and_answers(seeded: Path) -> None:
    for view in VIEWS:
        assert warehouse.query(seeded, f"select * from {view}").height > 0, view


def test_series_counts_copies_once_and_skips_undated_claims(seeded: Path) -> None:
    series = warehouse.query(seeded, "select * from series")
    ids = set(series["claim_id"])
    assert not {i for i in ids if i.startswith("mirror")}, "claims of a copy are counted"
    assert "undated-0" not in ids  # no as_of: not on the time axis
    assert "undated-1" in ids  # as_of known, publication date unknown
    assert series.height == 23
    stored = warehouse.query(seeded, "select count(*) as n from claim_records")["n"][0]
    assert stored == 25  # the copy's stray claim is in the table, not in the view


def test_series_columns_and_reporter(seeded: Path) -> None:
    series = warehouse.query(seeded, "select * from series")
    for column in (
        "metric",
        "subject",
        "as_of",
        "period_start",
        "kind",
        "value",
        "low",
        "high",
        "bound",
        "unit",
        "source",
        "origin",
        "published",
        "url",
        "title",
        "sentence",
        "claim_id",
        "reporter",
    ):
        assert column in series.columns
    by_id = {r["claim_id"]: r for r in series.to_dicts()}
    assert by_id["news0510-0"]["source"] is None
    assert by_id["news0510-0"]["reporter"] == NEWS  # own voice: the site
    assert by_id["bbc0531-1"]["reporter"] == BMI
    assert by_id["bbc0531-1"]["origin"] == "Russian independent media"
    assert by_id["gs0503-0"]["as_of"] == d(5, 3)
    assert by_id["bbc0531-1"]["period_start"] == d(1, 1)


def test_latest_takes_last_date_and_last_published_figure(seeded: Path) -> None:
    latest = {(r["metric"], r["subject"], r["kind"]): r for r in rows(seeded, "select * from latest")}
    troops = latest[("troop_losses", "Russia", "cumulative")]
    assert troops["as_of"] == d(5, 6)
    assert troops["value"] == 1045  # restated on 05-07, published after the 05-06 article
    assert (troops["reports"], troops["min_value"], troops["max_value"]) == (2, 1040, 1045)
    assert troops["sources"] == [GS]
    tanks = latest[("tank_losses", "Russia", "cumulative")]
    assert (tanks["as_of"], tanks["value"], tanks["sources"]) == (d(6, 2), 400, [NEWS])
    assert latest[("inflation", None, "level")]["value"] == 8.5  # null subject is a key too
    vague = latest[("troop_losses", "Ukraine", "cumulative")]
    assert (vague["value"], vague["low"], vague["high"], vague["bound"]) == (None, 10000, 100000, "~")


def test_latest_lists_every_source_of_the_last_date(tmp_path: Path) -> None:
    path = seed_database(tmp_path / "two.duckdb")
    with warehouse.opened(path) as con:
        con.execute(
            "insert into claim_records by name select * replace "
            "('extra' as claim_id, 'bbc0531' as article_id, 'British Military Intelligence'"
            " as source, date '2024-05-31' as published) "
            "from claim_records where claim_id = 'gs0507-0'"
        )
    troops = rows(
        path, "select * from latest where metric = 'troop_losses' and subject = 'Russia' and kind = 'cumulative'"
    )[0]
    assert troops["sources"] == sorted([BMI, GS])
    assert troops["value"] == 1045 and troops["published"] == d(5, 31)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2024, 4, 30), set()),
        (date(2024, 5, 1), {"gs0501-0", "gs0501-1"}),
        (date(2024, 5, 3), {"gs0501-0", "gs0501-1", "gs0502-0", "gs0502-1", "gs0503-0", "gs0503-1"}),
    ],
)
def test_known_on_rebuilds_what_was_published_by_a_date(seeded: Path, day: date, expected: set[str]) -> None:
    got = {r["claim_id"] for r in rows(seeded, "select claim_id from known_on($d)", d=day)}
    assert got == expected


def test_known_on_takes_iso_text_and_never_knows_undated_publications(seeded: Path) -> None:
    known = warehouse.query(seeded, "select * from known_on('2024-12-31')")
    assert known.height == 22  # every series row but the one with no publication date
    assert "undated-1" not in set(known["claim_id"])
    assert known.columns == warehouse.query(seeded, "select * from series limit 0").columns
    before_restatement = rows(
        seeded,
        "select value from known_on('2024-05-06') where "
        "metric = 'troop_losses' and kind = 'cumulative' "
        "and as_of = date '2024-05-06'",
    )
    assert [r["value"] for r in before_restatement] == [1040]


def test_daily_increments_flags_and_one_day_figures(seeded: Path) -> None:
    got = rows(seeded, "select * from daily where metric = 'troop_losses' and reporter = $r order by as_of", r=GS)
    summary = [
        (
            r["as_of"],
            r["total"],
            r["increment"],
            r["gap_days"],
            r["reported_day"],
            r["revision"],
            r["disagrees"],
            r["restated"],
        )
        for r in got
    ]
    assert summary == [
        (d(5, 1), 1000, None, None, 10, False, False, False),
        (d(5, 2), 1010, 10, 1, 10, False, False, False),
        (d(5, 3), 1025, 15, 1, 12, False, True, False),  # increment 15, one-day figure 12
        (d(5, 4), 1020, -5, 1, None, True, False, False),  # the total went down
        (d(5, 6), 1045, 25, 2, 10, False, False, True),  # 2 days: not compared; restated
    ]
    assert got[-1]["claim_id"] == "gs0507-0" and got[-1]["prev_as_of"] == d(5, 4)


def test_daily_keeps_one_series_per_reporter_and_only_cumulative_figures(seeded: Path) -> None:
    tanks = rows(
        seeded,
        "select reporter, as_of, total, increment, reported_day from daily "
        "where metric = 'tank_losses' order by reporter, as_of",
    )
    assert [(r["reporter"], r["as_of"], r["total"], r["increment"]) for r in tanks] == [
        (BMI, d(5, 21), 204, None),
        (BMI, d(5, 31), 330, 126),
        (GS, d(5, 10), 100, None),
        (GS, d(5, 20), 200, 100),
        (GS, d(5, 30), 300, 100),
        (NEWS, d(5, 10), 110, None),
        (NEWS, d(6, 2), 400, 290),
    ]
    assert tanks[2]["reported_day"] == 5
    kinds = warehouse.query(seeded, "select distinct metric from daily")["metric"].to_list()
    assert "treason_convictions" not in kinds and "inflation" not in kinds


def test_conflicts_pairs_sources_more_than_5_percent_apart_within_a_day(seeded: Path) -> None:
    got = rows(seeded, "select * from conflicts order by a_as_of")
    pairs = [
        (
            r["metric"],
            r["a_reporter"],
            r["a_as_of"],
            r["a_value"],
            r["b_reporter"],
            r["b_as_of"],
            r["b_value"],
            r["days_apart"],
        )
        for r in got
    ]
    assert pairs == [
        ("tank_losses", GS, d(5, 10), 100, NEWS, d(5, 10), 110, 0),
        ("tank_losses", GS, d(5, 30), 300, BMI, d(5, 31), 330, 1),
    ]
    assert got[0]["rel_diff"] == pytest.approx(10 / 110)
    assert got[0]["a_url"].endswith("/gs0510") and got[0]["b_url"].endswith("/news0510")
    assert got[0]["b_sentence"]


def test_conflicts_ignore_copies_other_kinds_and_small_differences(seeded: Path) -> None:
    values = warehouse.query(seeded, "select a_value, b_value from conflicts")
    flat = set(values["a_value"]) | set(values["b_value"])
    assert not flat & {999.0, 5000.0, 5.0, 200.0, 204.0, 400.0}


def test_sources_per_reporter_and_origin(seeded: Path) -> None:
    got = {(r["reporter"], r["origin"]): r for r in rows(seeded, "select * from sources")}
    gs = got[(GS, None)]
    assert (gs["claims"], gs["articles"]) == (15, 10)
    assert gs["metrics"] == ["tank_losses", "troop_losses"]
    assert (gs["first_seen"], gs["last_seen"]) == (d(5, 1), d(5, 31))
    cited = got[(BMI, "Russian independent media")]
    assert (cited["claims"], cited["metrics"], cited["sites"]) == (1, ["treason_convictions"], ["bbc.co.uk"])
    own_voice = got[(NEWS, None)]
    assert own_voice["source"] is None and own_voice["claims"] == 2  # the copy not counted


def test_comparison_periods_give_both_periods(seeded: Path) -> None:
    got = {r["comparison_id"]: r for r in rows(seeded, "select * from comparison_periods")}
    assert set(got) == {"cmp-bbc", "cmp-max"}
    half = got["cmp-bbc"]
    assert (half["left_start"], half["left_end"], half["left_days"]) == (d(1, 1), d(6, 30), 182)
    assert half["right_days"] == 365 and half["relation"] == ">"
    assert half["reporter"] == BMI and half["url"].endswith("/bbc0531")
    since = got["cmp-max"]
    assert (since["right_years"], since["right_bound"], since["right_days"]) == (9.0, ">=", None)


def test_views_survive_reapplying_the_schema(seeded: Path, tmp_path: Path) -> None:
    path = seed_database(tmp_path / "again.duckdb")
    with warehouse.opened(path):  # a writer re-creates every view
        pass
    for view in VIEWS:
        before = warehouse.query(seeded, f"select * from {view}")
        after = warehouse.query(path, f"select * from {view}")
        assert before.height == after.height, view


def test_dashboard_queries_run(seeded: Path) -> None:
    from claimtrack.transforms.dashboard import DASHBOARD_QUERIES

    for name, (filename, params) in DASHBOARD_QUERIES.items():
        frame = warehouse.query(seeded, warehouse.sql_file(f"queries/{filename}"), params)
        assert isinstance(frame, pl.DataFrame), name
    claims = warehouse.query(seeded, warehouse.sql_file("queries/dashboard_claims.sql"))
    assert claims.height == 23
    # every claim with a metric and a point value is drawn (no group has more than two)
    assert claims["charted"].sum() == 21


EXPORT_ALL = {"metric": None, "subject": None, "source": None, "since": None, "until": None}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, 23),
        ({"metric": "tank_losses"}, 8),
        ({"metric": "tank_losses", "source": NEWS}, 2),
        ({"source": BMI}, 4),
        ({"subject": "Ukraine"}, 2),
        ({"since": "2024-05-30", "until": date(2024, 5, 31)}, 6),
        ({"metric": "no such metric"}, 0),
    ],
)
def test_export_query_filters_by_parameters(seeded: Path, filters: dict[str, Any], expected: int) -> None:
    sql = warehouse.sql_file("queries/export_series.sql")
    frame = warehouse.query(seeded, sql, {**EXPORT_ALL, **filters})
    assert frame.height == expected
    for column in ("source", "origin", "url", "sentence", "published"):
        assert column in frame.columns


def test_export_query_treats_parameters_as_values_not_sql(seeded: Path) -> None:
    sql = warehouse.sql_file("queries/export_series.sql")
    hostile = {**EXPORT_ALL, "metric": "x' or '1'='1"}
    assert warehouse.query(seeded, sql, hostile).height == 0
