"""Writes: batch loads (articles, claims, comparisons, failures in one transaction), run records,
feed validators, and the reads and replacements ``claimtrack reextract`` needs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from claimtrack.transforms.warehouse.core import WarehouseError, in_transaction, sql_file, statements_of
from claimtrack.transforms.warehouse.engine import opened
from claimtrack.transforms.warehouse.exports import query


@dataclass(frozen=True)
class LoadCounts:
    """What one batch (or run) did with its inputs: articles written (``articles``: new, versions
    and copies), of which new first versions, copies, claims and comparisons stored, inputs that
    failed, then new versions, inputs already stored, and originals stored without claims
    because their language is not one the extractor reads (``not_extracted``)."""

    articles: int = 0
    articles_new: int = 0
    copies: int = 0
    claims: int = 0
    comparisons: int = 0
    failures: int = 0
    versions: int = 0
    stored: int = 0
    not_extracted: int = 0

    def __add__(self, other: LoadCounts) -> LoadCounts:
        return LoadCounts(*(a + b for a, b in zip(self.astuple(), other.astuple(), strict=True)))

    def astuple(self) -> tuple[int, ...]:
        """Return the counts in field order."""
        return tuple(getattr(self, name) for name in self.__dataclass_fields__)

    @property
    def inputs(self) -> int:
        """Every input accounted for: new + versions + copies + already stored + failed."""
        return self.articles_new + self.versions + self.copies + self.stored + self.failures


NO_INPUTS = {"input": pl.Utf8(), "outcome": pl.Utf8(), "article_id": pl.Utf8()}  # INPUT_SCHEMA's columns


def load_batch(
    path: Path,
    articles: pl.DataFrame,
    claims: pl.DataFrame,
    comparisons: pl.DataFrame,
    failures: pl.DataFrame,
    *,
    run_id: str = "",
    inputs: pl.DataFrame | None = None,
    not_extracted: int = 0,
) -> LoadCounts:
    """Write one batch in one transaction: upsert articles (numbering new versions), replace their
    claims and comparisons, append failures and what became of each input of run ``run_id``
    (``inputs``, ``INPUT_SCHEMA``: to ``run_inputs``). Copies (same text as a stored or earlier
    original) get ``copy_of`` and no claims.

    Frames follow the schemas in ``claimtrack.transforms.normalize``; ``not_extracted`` (articles
    left without claims for their language) is passed through to the counts. Nothing is written
    if any step fails.
    """
    for frame, column in ((claims, "claim_id"), (comparisons, "comparison_id")):
        if frame.height and frame[column].n_unique() < frame.height:
            raise WarehouseError(f"a batch repeats a {column}; nothing was written to {path} (a bug: report it)")
    with opened(path) as con:
        for name, frame in (
            ("staged_articles", articles.with_row_index("pos")),
            ("staged_claims", claims),
            ("staged_comparisons", comparisons),
            ("staged_failures", failures),
            ("staged_inputs", inputs if inputs is not None else pl.DataFrame(schema=NO_INPUTS)),
        ):
            con.register(name, frame.to_arrow())
        counts = in_transaction(con, partial(_write_batch, con, run_id))
    outcomes = counts.pop("outcomes")
    return LoadCounts(
        articles=articles.height,
        articles_new=counts["articles_new"],
        copies=counts["copies"],
        claims=counts["claims"],
        comparisons=counts["comparisons"],
        failures=outcomes.get("failed", 0) if inputs is not None else failures.height,
        versions=counts["versions"],
        stored=outcomes.get("stored", 0),
        not_extracted=not_extracted,
    )


def _write_batch(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, Any]:
    """The statements of ``load_batch`` on the staged frames; returns the batch's counts and
    ``outcomes`` (outcome -> inputs)."""
    con.execute(sql_file("load/resolve_copies.sql"))
    counts: dict[str, Any] = con.sql(sql_file("load/batch_counts.sql")).pl().row(0, named=True)
    for name in ("upsert_articles", "replace_text_pieces", "replace_claims", "replace_comparisons", "insert_failures"):
        con.execute(sql_file(f"load/{name}.sql"))
    con.execute(sql_file("load/resolve_inputs.sql"), {"run_id": run_id})
    con.execute(sql_file("load/insert_run_inputs.sql"))
    counts["outcomes"] = dict(con.sql(sql_file("load/input_counts.sql")).fetchall())
    return counts


def start_run(
    path: Path, run_id: str, started_at: datetime, sources: str, host: str | None = None, pid: int | None = None
) -> None:
    """Record that run ``run_id`` started (status ``running``); ``sources`` is a JSON list;
    ``host`` and ``pid`` name the process that runs it (see ``abandon_runs``)."""
    with opened(path) as con:
        con.execute(
            sql_file("load/start_run.sql"),
            {"run_id": run_id, "started_at": started_at, "sources": sources, "host": host, "pid": pid},
        )


def running_runs(path: Path, host: str) -> list[tuple[str, int]]:
    """(run_id, pid) of the runs still marked ``running`` that a process on ``host`` started."""
    with opened(path) as con:
        rows = con.execute(sql_file("queries/running_runs.sql"), {"host": host}).fetchall()
    return [(str(run), int(pid)) for run, pid in rows]


def abandon_runs(path: Path, run_ids: list[str]) -> None:
    """Mark ``run_ids`` (still ``running``, their process gone: killed outright) ``abandoned``."""
    if run_ids:
        with opened(path) as con:
            con.execute(sql_file("load/abandon_runs.sql"), {"run_ids": run_ids})


def finish_run(path: Path, run_id: str, finished_at: datetime, status: str, counts: LoadCounts) -> None:
    """Close run ``run_id``'s row with its status and counts."""
    with opened(path) as con:
        con.execute(
            sql_file("load/finish_run.sql"),
            {
                "run_id": run_id,
                "finished_at": finished_at,
                "status": status,
                "inputs": counts.inputs,
                "articles_read": counts.articles,
                "articles_new": counts.articles_new,
                "versions": counts.versions,
                "copies": counts.copies,
                "not_extracted": counts.not_extracted,
                "claims_stored": counts.claims,
                "comparisons_stored": counts.comparisons,
                "failures": counts.failures,
            },
        )


def known_articles(path: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Return what a run skips: stored articles (``article_id, first_version, url, canonical_url,
    content_hash, original, fetched``) and stored feed validators (``url, etag, last_modified``),
    in one read of the database."""
    with opened(path) as con:
        return in_transaction(
            con,
            lambda: (con.sql(sql_file("load/known_articles.sql")).pl(), con.sql(sql_file("load/feed_states.sql")).pl()),
        )


def save_feed_states(path: Path, states: pl.DataFrame) -> None:
    """Store feed validators (columns ``url, etag, last_modified``), changing rows only when they differ."""
    if states.height == 0:
        return
    with opened(path) as con:
        con.register("staged_feed_states", states.to_arrow())
        con.execute(sql_file("load/save_feed_states.sql"))


def finish_run_extra(path: Path, run_id: str, articles_seen: int, feeds_unchanged: int) -> None:
    """Record the counts schema version 4 added to run ``run_id``'s row."""
    with opened(path) as con:
        con.execute(
            sql_file("load/finish_run_extra.sql"),
            {"run_id": run_id, "articles_seen": articles_seen, "feeds_unchanged": feeds_unchanged},
        )


def stale_articles(path: Path, version: str, everything: bool = False) -> list[str]:
    """Return the ids of stored originals extracted by another version than ``version`` (all when
    ``everything``), in id order."""
    params = {"version": version, "all": everything}
    return query(path, sql_file("queries/stale_articles.sql"), params)["article_id"].to_list()


def rows_of(path: Path, table: str, ids: list[str]) -> pl.DataFrame:
    """Return the rows of ``table`` (article_records, claim_records or comparison_records) of ``ids``."""
    names = {"article_records": "articles", "claim_records": "claims", "comparison_records": "comparisons"}
    if table not in names:
        raise ValueError(f"not a stored table: {table}")
    return query(path, sql_file(f"queries/{names[table]}_of.sql"), {"ids": ids})


def _run_all(con: duckdb.DuckDBPyConnection, statements: list[str], params: dict[str, str]) -> None:
    """Execute ``statements`` in order on ``con``, each with ``params``."""
    for statement in statements:
        con.execute(statement, params)


def replace_article_claims(path: Path, article_ids: list[str], claims: pl.DataFrame, comparisons: pl.DataFrame) -> None:
    """Replace the claims and comparisons of each of ``article_ids`` with its rows in the frames,
    one transaction per article (an article's claims are never half replaced)."""
    with opened(path) as con:
        con.register("staged_claims", claims.to_arrow())
        con.register("staged_comparisons", comparisons.to_arrow())
        statements = statements_of(sql_file("load/replace_article_claims.sql"))
        for article_id in article_ids:
            in_transaction(con, partial(_run_all, con, statements, {"article_id": article_id}))
