"""The DuckDB boundary on real database files: schema, upserts, copies, transactions, locks."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import polars as pl
import pytest

from claimtrack.transforms import warehouse
from claimtrack.transforms.model import Claim, Failure
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
from claimtrack.transforms.pages import Article, PageText, make_article

NOW = datetime(2024, 11, 3, 12, tzinfo=UTC)
DUCK_TYPES = {
    pl.Utf8(): "VARCHAR",
    pl.Int64(): "BIGINT",
    pl.Float64(): "DOUBLE",
    pl.Date(): "DATE",
    pl.Datetime("us", "UTC"): "TIMESTAMP WITH TIME ZONE",
    pl.Int32(): "INTEGER",
    pl.Boolean(): "BOOLEAN",
}


def article(url: str, text: str = "Russia lost 700,000 troops.") -> Article:
    return make_article(PageText(text=text, title="T", published=date(2024, 11, 3), date_source="given"), url, NOW)


def claim(start: int = 12) -> Claim:
    return Claim(
        start=start,
        end=start + 7,
        text="700,000",
        value=700000,
        low=700000,
        high=700000,
        bound="~",
        unit="troop",
        kind="cumulative",
        sentence="Russia lost 700,000 troops.",
        published=date(2024, 11, 3),
        period_end=date(2024, 11, 3),
    )


def load(
    db: Path, articles: list[Article], claims: list[tuple[str, Claim]] | None = None, failures: list[Failure] = ()
) -> warehouse.LoadCounts:  # type: ignore[assignment]
    pairs = claims if claims is not None else [(a.article_id, claim()) for a in articles]
    return warehouse.load_batch(
        db,
        articles_to_frame(articles),
        claims_to_frame(pairs),
        comparisons_to_frame([]),
        failures_to_frame("run-1", failures),
    )


def table(db: Path, sql: str) -> list[tuple[object, ...]]:
    return warehouse.query(db, sql).rows()


def test_schema_is_versioned_idempotent_and_creates_the_views(db: Path) -> None:
    with warehouse.opened(db) as con:
        assert warehouse.apply_schema(con) == []  # opened() applied version 1 already
        views = {r[0] for r in con.sql("select view_name from duckdb_views() where not internal").fetchall()}
    assert {"articles", "claims", "comparisons"} <= views
    assert table(db, "select version, name from schema_version") == [
        (1, "001_tables.sql"),
        (2, "002_feed_items.sql"),
        (3, "003_feed_state.sql"),
        (4, "004_run_counts.sql"),
        (5, "005_view_state.sql"),
        (6, "006_claims_without_keys.sql"),
        (7, "007_text_pieces.sql"),
        (8, "008_versions_and_inputs.sql"),
        (9, "009_forecasts.sql"),
        (10, "010_run_owner.sql"),
    ]
    assert [p.name for p in warehouse.view_files()][:3] == ["00_articles.sql", "01_claims.sql", "02_comparisons.sql"]


def test_views_are_recreated_only_when_their_files_change(db: Path) -> None:
    with warehouse.opened(db) as con:
        con.execute("drop view sources")
    with warehouse.opened(db) as con:  # same view files: the views are left as they are
        assert "sources" not in {r[0] for r in con.sql("select view_name from duckdb_views()").fetchall()}
        con.execute("update view_state set views_hash = 'from another claimtrack version'")
    with warehouse.opened(db) as con:  # other view files: every view is created again
        assert "sources" in {r[0] for r in con.sql("select view_name from duckdb_views()").fetchall()}
    assert table(db, "select views_hash from view_state") == [(warehouse.views_hash(),)]


# Stored articles hold their text's length; the text itself is in article_text_pieces (version 7);
# the version number is given by the load (version 8).
STORED_ARTICLE_SCHEMA = {
    ("n_chars" if name == "text" else name): (pl.Int64() if name == "text" else dtype)
    for name, dtype in ARTICLE_SCHEMA.items()
} | {"version": pl.Int32()}


@pytest.mark.parametrize(
    ("name", "schema"),
    [
        ("claim_records", CLAIM_SCHEMA),
        ("article_records", STORED_ARTICLE_SCHEMA),
        ("comparison_records", COMPARISON_SCHEMA),
        ("failures", FAILURE_SCHEMA),
    ],
)
def test_tables_match_the_polars_schemas(db: Path, name: str, schema: dict[str, pl.DataType]) -> None:
    with warehouse.opened(db):
        pass
    columns = table(
        db, f"select column_name, data_type from duckdb_columns() where table_name = '{name}' order by column_index"
    )
    assert columns == [(column, DUCK_TYPES[dtype]) for column, dtype in schema.items()]


def test_a_version_1_database_is_migrated_in_place(db: Path) -> None:
    with warehouse.opened(db) as con:  # roll back to version 1, with an article stored
        con.execute("alter table article_records drop column feed_date")
        con.execute("delete from schema_version where version = 2")
    with warehouse.opened(db) as con:
        assert warehouse.apply_schema(con) == []
    assert table(db, "select max(version) from schema_version") == [(10,)]
    assert "feed_date" in warehouse.query(db, "select * from articles").columns


def test_version_6_drops_the_claim_keys_and_keeps_every_claim(db: Path) -> None:
    load(db, [article("https://example.com/a"), article("https://example.com/b", "Other text, 5 tanks.")])
    with warehouse.opened(db) as con:  # back to version 5: claims with a primary key, no forecast
        con.execute("alter table claim_records drop column forecast")
        con.execute("delete from schema_version where version = 9")
        con.execute("alter table claim_records rename to unkeyed")
        con.execute("create table claim_records as select * from unkeyed")
        con.execute("alter table claim_records add primary key (claim_id)")
        con.execute("drop table unkeyed")
        con.execute("delete from schema_version where version = 6")
        before = con.sql("select * from claim_records order by all").fetchall()
    with warehouse.opened(db) as con:
        keys = con.sql(
            "select count(*) from duckdb_constraints() where table_name in "
            "('claim_records', 'comparison_records') and constraint_type = 'PRIMARY KEY'"
        ).fetchall()
        after = con.sql("select * exclude (forecast) from claim_records order by all").fetchall()
        assert keys == [(0,)] and after == before
    assert len(before) == 2
    assert table(db, "select count(*) from claims") == [(2,)]


def test_a_batch_whose_claim_ids_repeat_is_refused_and_nothing_is_written(db: Path) -> None:
    a = article("https://example.com/a")
    twice = pl.concat([claims_to_frame([(a.article_id, claim())])] * 2)  # claims_to_frame itself never repeats one
    with pytest.raises(warehouse.WarehouseError, match="repeats a claim_id; nothing was written"):
        warehouse.load_batch(db, articles_to_frame([a]), twice, comparisons_to_frame([]), failures_to_frame("r", []))
    assert not db.exists()


def test_rerun_upserts_instead_of_duplicating(db: Path) -> None:
    articles = [article("https://example.com/a"), article("https://example.com/b", "Other text, 5 tanks.")]
    first = load(db, articles)
    again = load(db, articles)
    assert (first.articles_new, first.claims, again.articles_new, again.claims) == (2, 2, 0, 2)
    assert table(db, "select count(*) from claims") == [(2,)]
    assert table(db, "select count(*) from articles") == [(2,)]


def test_reload_replaces_an_articles_claims_and_keeps_first_fetched(db: Path) -> None:
    a = article("https://example.com/a")
    load(db, [a], [(a.article_id, claim(12)), (a.article_id, claim(40))])
    later = Article(**{**a.__dict__, "fetched": datetime(2025, 1, 1, tzinfo=UTC), "title": "New title"})
    load(db, [later], [(a.article_id, claim(12))])
    assert table(db, 'select "start" from claims') == [(12,)]
    assert table(db, "select title, fetched from articles") == [("New title", NOW)]


def test_a_copy_under_another_url_is_marked_and_its_claims_not_counted(db: Path) -> None:
    original, copy = article("https://example.com/a"), article("https://mirror.example/a")
    counts = load(db, [original, copy])
    assert (counts.copies, counts.claims) == (1, 1)
    assert table(db, "select url, copy_of from articles order by url") == [
        ("https://example.com/a", None),
        ("https://mirror.example/a", original.article_id),
    ]
    assert table(db, "select url from claims") == [("https://example.com/a",)]
    load(db, [copy, original])  # order changes in a later run: the stored original stays
    assert table(db, "select count(*) from articles where copy_of is null") == [(1,)]
    assert table(db, "select article_id from claims") == [(original.article_id,)]


def test_a_failing_batch_writes_nothing(db: Path) -> None:
    a = article("https://example.com/a")
    load(db, [a])
    b = article("https://example.com/b", "Another text")
    bad = claims_to_frame([(b.article_id, claim())]).with_columns(pl.lit(None, pl.Utf8).alias("bound"))
    with pytest.raises(duckdb.ConstraintException):
        warehouse.load_batch(
            db,
            articles_to_frame([b]),
            bad,
            comparisons_to_frame([]),
            failures_to_frame("run-2", [Failure("x", "fetch", "404", NOW)]),
        )
    assert table(db, "select url from articles") == [("https://example.com/a",)]
    assert table(db, "select count(*) from failures") == [(0,)]
    assert table(db, "select count(*) from claims") == [(1,)]


def test_runs_and_failures_are_recorded(db: Path) -> None:
    warehouse.start_run(db, "run-1", NOW, '["data/samples"]')
    load(db, [article("https://example.com/a")], failures=[Failure("https://x.example", "fetch", "HTTP 404", NOW)])
    warehouse.finish_run(db, "run-1", NOW, "completed", warehouse.LoadCounts(1, 1, 0, 1, 0, 1))
    assert table(db, "select status, articles_read, claims_stored, failures from runs") == [("completed", 1, 1, 1)]
    assert table(db, "select run_id, input, stage, reason from failures") == [
        ("run-1", "https://x.example", "fetch", "HTTP 404")
    ]


def test_query_is_read_only_and_reports_bad_sql(db: Path) -> None:
    with pytest.raises(warehouse.WarehouseError, match="does not exist; run 'claimtrack run' first"):
        warehouse.query(db, "select 1")
    load(db, [article("https://example.com/a")])
    with pytest.raises(warehouse.QueryError, match="syntax error"):
        warehouse.query(db, "selec 1")
    with pytest.raises(warehouse.QueryError):
        warehouse.query(db, "delete from claim_records")
    assert warehouse.query(db, "select count(*) as n from claims where unit = $u", {"u": "troop"})["n"][0] == 1


def test_a_non_duckdb_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "notes.duckdb"
    path.write_text("not a database")
    with pytest.raises(warehouse.WarehouseError, match="cannot open"):
        warehouse.load_batch(
            path, articles_to_frame([]), claims_to_frame([]), comparisons_to_frame([]), failures_to_frame("r", [])
        )
    assert path.read_text() == "not a database"


def test_readers_wait_for_a_writer_in_another_process(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    load(db, [article("https://example.com/a")])
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            (
                "import duckdb, sys, time\n"
                f"con = duckdb.connect({str(db)!r})\n"
                "print('locked', flush=True)\n"
                "time.sleep(1.5)\n"
                "con.close()\n"
            ),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        assert warehouse.query(db, "select count(*) as n from claims")["n"][0] == 1
        assert time.monotonic() - started > 0.5
    finally:
        holder.wait(timeout=30)
    assert "is locked by another process" in capsys.readouterr().err


def test_export_csv_writes_iso_dates_and_a_header(db: Path, tmp_path: Path) -> None:
    load(db, [article("https://example.com/a")])
    out = tmp_path / "out" / "claims.csv"
    assert (
        warehouse.export_csv(
            db,
            warehouse.sql_file("queries/export_claims.sql"),
            {"metric": None, "subject": None, "source": None, "since": date(2024, 1, 1), "until": None},
            out,
        )
        == 1
    )
    header, row = out.read_text(encoding="utf-8").splitlines()
    assert header.startswith("claim_id,article_id,doc,start,end,text,value")
    assert "2024-11-03" in row and "https://example.com/a" in row
