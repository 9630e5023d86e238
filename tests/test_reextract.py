"""``claimtrack reextract`` on a real database whose claims came from an older extractor."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

from click.testing import CliRunner
from conftest import SEED

from claimtrack.cli import main
from claimtrack.transforms import warehouse
from claimtrack.transforms.claims import extract_claims, extract_comparisons
from claimtrack.transforms.model import EXTRACTOR_VERSION
from claimtrack.transforms.normalize import articles_to_frame, claims_to_frame, comparisons_to_frame, failures_to_frame
from claimtrack.transforms.pages import make_article, plain_to_text, resolve_published

PUBLISHED = date(2024, 11, 3)


def store_with_old_claims(db: Path) -> int:
    """Store the seed article with claims as an older extractor left them: one altered, one
    missing, one that the current rules no longer find. Returns the current claim count."""
    page = resolve_published(plain_to_text(SEED.read_bytes()), given=PUBLISHED)
    article = make_article(page, SEED.resolve().as_uri(), datetime(2024, 11, 3, tzinfo=UTC))
    current = extract_claims(article.text, article.published)
    old = [replace(c, extractor_version="0.0.1") for c in current]
    old[0] = replace(old[0], unit="something else")  # altered
    old = old[:-1]  # the last one: added by the new rules
    old.append(replace(old[1], start=0, end=3, text="Old"))  # removed by the new rules
    comparisons = extract_comparisons(article.text, article.published)
    warehouse.load_batch(
        db,
        articles_to_frame([article]),
        claims_to_frame([(article.article_id, c) for c in old]),
        comparisons_to_frame([(article.article_id, c) for c in comparisons]),
        failures_to_frame("run", []),
    )
    return len(current)


def test_reextract_replaces_old_claims_and_reports_the_changes(db: Path) -> None:
    count = store_with_old_claims(db)
    result = CliRunner().invoke(main, ["reextract", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"claimtrack reextract: 1 article(s) re-extracted with extractor {EXTRACTOR_VERSION}",
        f"claims: 1 added, 1 removed, 1 altered, {count - 2} unchanged",
        f"comparisons: 0 added, 0 removed, 0 altered, {len(warehouse.query(db, 'select * from comparisons'))} unchanged",  # noqa: E501
    ]
    versions = warehouse.query(db, "select distinct extractor_version from claim_records").rows()
    assert versions == [(EXTRACTOR_VERSION,)]
    assert warehouse.query(db, "select count(*) from claim_records").rows() == [(count,)]
    again = CliRunner().invoke(main, ["reextract", "--db", str(db)])
    assert again.stdout.splitlines()[0].startswith("claimtrack reextract: 0 article(s)")
    everything = CliRunner().invoke(main, ["reextract", "--all", "--db", str(db)])
    assert everything.stdout.splitlines()[1] == f"claims: 0 added, 0 removed, 0 altered, {count} unchanged"
