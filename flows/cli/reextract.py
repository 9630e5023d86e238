"""``claimtrack reextract``: run the current extractor again over stored article texts.

After the rules change (``claimtrack.transforms.model.EXTRACTOR_VERSION`` bumped), the claims stored by an
older version are stale. ``reextract`` reads the texts of the articles that have such claims (or
of every original with ``--all``), extracts again, replaces each article's claims and
comparisons in one transaction, and reports the claims added, removed and altered (a claim is
the same claim when it covers the same span; altered when any other field but its id and
version changed). No Prefect and no network: the texts are already stored.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from claimtrack.cli.options import Command, db_option, handle_errors
from claimtrack.defaults import default_db

CHUNK = 200  # articles read, extracted and written together
IGNORED = ("claim_id", "comparison_id", "extractor_version")


@dataclass
class Changes:
    """Claims (or comparisons) added, removed and altered by a re-extraction."""

    added: int = 0
    removed: int = 0
    altered: int = 0
    unchanged: int = 0

    def __iadd__(self, other: Changes) -> Changes:
        self.added, self.removed = self.added + other.added, self.removed + other.removed
        self.altered, self.unchanged = self.altered + other.altered, self.unchanged + other.unchanged
        return self


def compare(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> Changes:
    """Compare two sets of rows keyed by ``(article_id, start, end)``; ids and versions are ignored."""

    def keyed(rows: list[dict[str, Any]]) -> dict[tuple[Any, ...], dict[str, Any]]:
        return {(r["article_id"], r["start"], r["end"]): {k: v for k, v in r.items() if k not in IGNORED} for r in rows}

    before, after = keyed(old), keyed(new)
    common = before.keys() & after.keys()
    altered = sum(1 for key in common if before[key] != after[key])
    return Changes(len(after.keys() - common), len(before.keys() - common), altered, len(common) - altered)


def chunks(ids: list[str], size: int = CHUNK) -> Iterator[list[str]]:
    """Yield ``ids`` in slices of ``size``."""
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def reextract_chunk(db: Path, ids: list[str]) -> tuple[Changes, Changes]:
    """Extract the articles ``ids`` again and replace their claims; return the claim and
    comparison changes."""
    from claimtrack.transforms import claims as extractor
    from claimtrack.transforms import normalize, warehouse
    from claimtrack.transforms.pages import is_extracted

    rows = warehouse.rows_of(db, "article_records", ids).to_dicts()
    articles = [a for a in rows if is_extracted(a["language"])]  # others keep no claims
    found = [(a["article_id"], c) for a in articles for c in extractor.extract_claims(a["text"], a["published"])]
    compared = [
        (a["article_id"], c) for a in articles for c in extractor.extract_comparisons(a["text"], a["published"])
    ]
    claims, comparisons = normalize.claims_to_frame(found), normalize.comparisons_to_frame(compared)
    old_claims = warehouse.rows_of(db, "claim_records", ids).to_dicts()
    old_comparisons = warehouse.rows_of(db, "comparison_records", ids).to_dicts()
    warehouse.replace_article_claims(db, ids, claims, comparisons)
    return compare(old_claims, claims.to_dicts()), compare(old_comparisons, comparisons.to_dicts())


def reextract(db: Path, everything: bool = False) -> tuple[int, Changes, Changes]:
    """Re-extract the stale articles of ``db`` (all when ``everything``); return how many
    articles were re-extracted and the claim and comparison changes."""
    from claimtrack.transforms import warehouse
    from claimtrack.transforms.model import EXTRACTOR_VERSION

    ids = warehouse.stale_articles(db, EXTRACTOR_VERSION, everything)
    claims, comparisons = Changes(), Changes()
    for part in chunks(ids):
        got_claims, got_comparisons = reextract_chunk(db, part)
        claims += got_claims
        comparisons += got_comparisons
    return len(ids), claims, comparisons


@click.command("reextract", cls=Command)
@db_option
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="Re-extract every stored article, not only those extracted by an older version.",
)
@handle_errors
def reextract_command(db: Path | None, everything: bool) -> None:
    """Extract claims again from stored article texts after the rules changed.

    Articles whose claims carry an older extractor_version (every article with --all) get their
    claims and comparisons replaced, one transaction per article. Prints what changed.

    \b
    Examples:
      claimtrack reextract
      claimtrack reextract --all --db news.duckdb
    """
    from claimtrack.transforms import warehouse
    from claimtrack.transforms.model import EXTRACTOR_VERSION

    db_path = db or default_db()
    with warehouse.opened(db_path, read_only=True):  # fails early on a missing --db
        pass
    warehouse.check_ours(db_path)  # ... and on a file it must not write to
    count, claims, comparisons = reextract(db_path, everything)
    click.echo(f"claimtrack reextract: {count} article(s) re-extracted with extractor {EXTRACTOR_VERSION}")
    click.echo(
        f"claims: {claims.added} added, {claims.removed} removed, {claims.altered} altered, "
        f"{claims.unchanged} unchanged"
    )
    click.echo(
        f"comparisons: {comparisons.added} added, {comparisons.removed} removed, "
        f"{comparisons.altered} altered, {comparisons.unchanged} unchanged"
    )
