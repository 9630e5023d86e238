"""Incremental, idempotent runs: stored articles are not fetched again, an unchanged feed costs
one conditional request, and three runs of the same sources leave identical tables."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import SEED
from polite_site import ETAG, LAST_MODIFIED, serve

from claimtrack.pipeline import pipeline
from claimtrack.transforms import warehouse

pytestmark = pytest.mark.usefixtures("prefect_harness")
TABLES = ("article_records", "article_text_pieces", "claim_records", "comparison_records", "feed_state")
NO_DELAY = {"host_delay": 0.0, "backoff": 0.01, "allow_private_addresses": True}  # a loopback site


def tables(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every stored table (full contents, in a stable order)."""
    return {name: warehouse.query(db, f"select * from {name} order by all").rows() for name in TABLES}


def test_three_runs_of_the_same_sources_leave_identical_tables(db: Path) -> None:
    with serve() as site:
        sources = [site.url("/feed.xml"), str(SEED)]
        first = pipeline(sources=sources, db=str(db), fetch_settings=NO_DELAY)
        after_first = tables(db)
        pages_fetched = len([p for p, _, _ in site.log if p.startswith(("/pages/", "/mirror/"))])
        later = [pipeline(sources=sources, db=str(db), fetch_settings=NO_DELAY) for _ in range(2)]
        assert tables(db) == after_first
        feed_requests = [headers for path, _, headers in site.log if path == "/feed.xml"]
        page_requests = [p for p, _, _ in site.log if p.startswith(("/pages/", "/mirror/"))]
    assert (first["articles_read"], first["copies"], first["failures"]) == (4, 2, 0)
    assert pages_fetched == 3 and len(page_requests) == 3  # never fetched again
    assert len(feed_requests) == 3  # one request per run; the later two are conditional
    assert [h.get("If-None-Match") for h in feed_requests] == [None, ETAG, ETAG]
    assert all(h.get("If-Modified-Since") == LAST_MODIFIED for h in feed_requests[1:])
    for summary in later:
        assert (summary["articles_read"], summary["articles_seen"], summary["feeds_unchanged"]) == (0, 1, 1)
        assert summary["claims_stored"] == 0
    assert after_first["feed_state"][0][:3] == (site.url("/feed.xml"), ETAG, LAST_MODIFIED)
    runs = warehouse.query(
        db, "select articles_new, articles_seen, feeds_unchanged, claims_stored from runs order by started_at"
    ).rows()
    assert runs == [(2, 0, 0, first["claims_stored"]), (0, 1, 1, 0), (0, 1, 1, 0)]  # 2 new, 2 copies


def test_refresh_reads_everything_again(db: Path) -> None:
    with serve() as site:
        pipeline(sources=[site.url("/pages/seed.txt")], db=str(db), fetch_settings=NO_DELAY)
        before = tables(db)
        summary = pipeline(sources=[site.url("/pages/seed.txt")], db=str(db), fetch_settings=NO_DELAY, refresh=True)
        assert len(site.hits("/pages/seed.txt")) == 2
    assert (summary["articles_read"], summary["articles_seen"]) == (0, 1)  # read again, the same text
    assert tables(db) == before


def test_each_run_publishes_its_summary_as_a_markdown_artifact(db: Path) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    summary = pipeline(sources=[str(SEED)], db=str(db))
    with get_client(sync_client=True) as client:
        found = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[summary["run_id"]]))
        )
    assert [(a.key, a.type) for a in found] == [("claimtrack-run-summary", "markdown")]
    assert "| articles new | 1 |" in found[0].data and "| claims added | " in found[0].data


def test_each_article_is_new_a_version_a_copy_or_already_stored() -> None:
    from dataclasses import replace
    from datetime import UTC, date, datetime

    from claimtrack.ingest import Known, Seen, forget_failed, sort_articles
    from claimtrack.transforms.pages import PageText, make_article, version_id

    def article(url: str, text: str) -> Any:
        page = PageText(text=text, title="T", published=date(2024, 11, 3), date_source="given")
        return make_article(page, url, datetime(2024, 11, 3, tzinfo=UTC))

    stored = article("https://a.example/stored-1", "Stored text, 5 tanks.")
    known = Known(ids={stored.article_id}, versions={stored.article_id: {stored.content_hash}})
    known.hashes.add(stored.content_hash)
    seen = Seen()
    first, mirror, other = (
        article("https://a.example/1-a", "Russia lost 700,000 troops."),
        article("https://b.example/1-b", "Russia lost 700,000 troops."),
        article("https://a.example/2-a", "Another text, 9 drones."),
    )
    again, updated = stored, article("https://a.example/stored-1", "Stored text, now 6 tanks.")
    batch = sort_articles([again, first, updated], known, seen)
    version = replace(
        updated, article_id=version_id(stored.article_id, updated.content_hash), version_of=stored.article_id
    )
    assert batch.new == [first, version]
    assert [o[1] for o in batch.outcomes] == ["stored", "new", "version"]
    later = sort_articles([mirror, other, first], known, seen)  # a later batch of the same run
    assert (later.new, later.copies) == ([other], [mirror])
    assert [o[1] for o in later.outcomes] == ["copy", "new", "stored"]
    # claim extraction failed for ``other``: its text is new again, nothing of it is loaded
    kept, lost = forget_failed(later, [], seen, datetime(2024, 11, 3, tzinfo=UTC))
    assert (kept.new, [o[1] for o in kept.outcomes], lost) == ([], ["copy", "stored"], [])
    assert other.content_hash not in seen.hashes and first.content_hash in seen.hashes
