"""Article texts stored in pieces (schema version 7) on real database files: pieces are at most
1,024 characters, ``article_texts`` and reextract's reads give each text back whole, a reload
replaces an article's pieces, and a version-6 database (built by the shipped 001-006 files) keeps
every text through the migration."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pytest

from claimtrack.transforms import warehouse
from claimtrack.transforms.normalize import articles_to_frame, claims_to_frame, comparisons_to_frame, failures_to_frame
from claimtrack.transforms.pages import Article, PageText, make_article
from claimtrack.transforms.warehouse.schema import schema_files

NOW = datetime(2024, 11, 3, 12, tzinfo=UTC)
PIECE = 1024
# Multibyte characters on both sides of the first piece boundary, and a text of exactly two pieces.
TEXTS = {
    "https://example.com/long": "ä" * (PIECE - 1) + "ö€ Russia lost 700,000 troops. " + "x" * 1500,
    "https://example.com/exact": "y" * (2 * PIECE),
    "https://example.com/short": "Ukraine downed 5 drones.",
}


def article(url: str, text: str) -> Article:
    return make_article(PageText(text=text, title="T", published=date(2024, 11, 3), date_source="given"), url, NOW)


def load(db: Path, articles: list[Article]) -> None:
    warehouse.load_batch(
        db, articles_to_frame(articles), claims_to_frame([]), comparisons_to_frame([]), failures_to_frame("run-1", [])
    )


def stored_texts(db: Path) -> dict[str, str]:
    return dict(warehouse.query(db, "select article_id, text from article_texts").rows())


def expected(articles: list[Article]) -> dict[str, str]:
    return {a.article_id: a.text for a in articles}


def test_texts_are_stored_in_pieces_and_given_back_whole(db: Path) -> None:
    articles = [article(url, text) for url, text in TEXTS.items()]
    load(db, articles)
    assert stored_texts(db) == expected(articles)
    pieces = dict(warehouse.query(db, "select article_id, count(*) from article_text_pieces group by all").rows())
    assert pieces == {a.article_id: -(-len(a.text) // PIECE) for a in articles}
    assert warehouse.query(db, "select max(length(text)) as m from article_text_pieces")["m"][0] == PIECE
    assert dict(warehouse.query(db, "select article_id, n_chars from articles").rows()) == {
        a.article_id: len(a.text) for a in articles
    }
    rows = warehouse.rows_of(db, "article_records", [a.article_id for a in articles]).to_dicts()
    assert {r["article_id"]: r["text"] for r in rows} == expected(articles)


def test_a_reloaded_article_keeps_only_its_new_pieces(db: Path) -> None:
    first = article("https://example.com/long", TEXTS["https://example.com/long"])
    load(db, [first])
    shorter = article("https://example.com/long", "Updated: Ukraine downed 7 drones.")
    assert shorter.article_id == first.article_id
    load(db, [shorter])
    assert stored_texts(db) == {first.article_id: shorter.text}
    assert warehouse.query(db, "select count(*) as n from article_text_pieces")["n"][0] == 1


def version_6_database(path: Path, articles: list[Article]) -> None:
    """Build ``path`` as claimtrack's storage version 6 stood: the shipped schema files 001-006,
    with ``articles`` stored whole in ``article_records.text``."""
    con = duckdb.connect(str(path))
    try:
        for version, file in schema_files():
            if version <= 6:
                con.execute(file.read_text(encoding="utf-8"))
                con.execute(warehouse.sql_file("load/record_version.sql"), {"version": version, "name": file.name})
        con.register("staged", articles_to_frame(articles).to_arrow())
        con.execute("insert into article_records by name select * exclude (version_of) from staged")
    finally:
        con.close()


def test_version_7_moves_every_stored_text_into_pieces(db: Path) -> None:
    articles = [article(url, text) for url, text in TEXTS.items()]
    version_6_database(db, articles)
    with warehouse.opened(db) as con:
        assert con.sql("select max(version) from schema_version").fetchall() == [(8,)]
        columns = {
            r[0]
            for r in con.sql("select column_name from duckdb_columns() where table_name = 'article_records'").fetchall()
        }
    assert "text" not in columns and "n_chars" in columns
    assert stored_texts(db) == expected(articles)
    assert warehouse.query(db, "select max(length(text)) as m from article_text_pieces")["m"][0] == PIECE
    load(db, [article("https://example.com/new", "Another text, 9 tanks.")])  # and loads go on after it
    assert len(stored_texts(db)) == len(articles) + 1


def test_the_migration_is_one_transaction_with_its_version(db: Path) -> None:
    version_6_database(db, [article("https://example.com/short", TEXTS["https://example.com/short"])])
    con = duckdb.connect(str(db))
    con.execute("create table article_text_pieces (x integer)")  # in the way: version 7 cannot apply
    con.close()
    with pytest.raises(warehouse.WarehouseError, match="cannot use"):
        with warehouse.opened(db):
            pass
    con = duckdb.connect(str(db), read_only=True)
    try:  # nothing of version 7 was kept: the text is where version 6 put it
        assert con.sql("select max(version) from schema_version").fetchall() == [(6,)]
        assert con.sql("select text from article_records").fetchall() == [(TEXTS["https://example.com/short"],)]
    finally:
        con.close()
