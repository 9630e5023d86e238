"""The real ``pipeline`` flow under one Prefect test harness, reading a loopback web site,
feeds and local files into a real DuckDB file."""

from __future__ import annotations

import logging
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, SEED, Site, page_html

from claimtrack.cli import main
from claimtrack.pipeline import pipeline
from claimtrack.transforms import warehouse

pytestmark = pytest.mark.usefixtures("prefect_harness")
STORED = ("article_records", "article_text_pieces", "claim_records", "comparison_records")


def run(db: Path, *sources: str, **options: Any) -> dict[str, Any]:
    options.setdefault("fetch_backoff", 0.01)
    options.setdefault("fetch_settings", {"host_delay": 0.0, "allow_private_addresses": True})  # a loopback site
    return pipeline(sources=list(sources), db=str(db), **options)


def rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    return warehouse.query(db, sql).rows()


def snapshot(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    return {name: rows(db, f"select * from {name} order by all") for name in STORED}


def test_feed_items_are_fetched_dated_deduplicated_and_failures_recorded(db: Path, site: Site) -> None:
    summary = run(db, site.url("/feed.xml"))
    assert (summary["articles_read"], summary["copies"], summary["failures"]) == (3, 1, 2)
    articles = {
        r[0]: r
        for r in rows(db, "select url, canonical_url, published, date_source, copy_of, article_id, title from articles")
    }
    kyiv = articles[site.url("/pages/GlobalNews_2026_05_24.html?utm_source=rss")]
    assert kyiv[1] == site.url("/pages/GlobalNews_2026_05_24.html")  # its canonical link names another site
    assert (kyiv[2], kyiv[3]) == (date(2026, 5, 24), "metadata")
    assert rows(db, "select feed_title, feed_date from articles where site = 'Global News'") == [
        ("Kyiv attack", date(2026, 5, 24))
    ]  # the feed item's title and date are kept
    report = articles[site.url("/pages/field_report.html")]
    assert (report[2], report[3], report[4]) == (date(2024, 3, 5), "feed", None)  # the feed item's date
    assert report[6] == "Aid convoy reaches river towns after week of delays"
    mirror = articles[site.url("/mirror/field_report.html")]
    assert mirror[4] == report[5]  # the same text under another URL is a copy
    assert rows(db, f"select count(*) from claims where article_id = '{mirror[5]}'") == [(0,)]
    failures = rows(db, "select input, stage, reason from failures order by stage")
    assert failures == [
        (f"{site.url('/feed.xml')} -> /relative.html", "feed", "feed item link is not an absolute http(s) URL"),
        (site.url("/missing.html"), "fetch", "HTTP 404 Not Found"),
    ]
    assert rows(db, "select status, articles_read, copies, failures from runs") == [("completed", 3, 1, 2)]


def test_a_rerun_leaves_the_stored_tables_identical(db: Path, site: Site) -> None:
    run(db, site.url("/feed.xml"), str(SEED))
    before = snapshot(db)
    summary = run(db, site.url("/feed.xml"), str(SEED))
    assert summary["articles_new"] == 0
    assert snapshot(db) == before
    assert rows(db, "select count(*) from runs") == [(2,)]


def test_transient_errors_are_retried_with_backoff(db: Path, site: Site) -> None:
    summary = run(db, site.url("/flaky/retry-test"), fetch_retries=3)
    assert (summary["articles_read"], summary["failures"]) == (1, 0)
    assert site.requests["/flaky/retry-test"] == 3  # two 503s, then the page
    before = site.requests["/status/503"]
    summary = run(db, site.url("/status/503"), fetch_retries=2)
    assert site.requests["/status/503"] - before == 3
    assert rows(db, "select stage, reason from failures") == [("fetch", "HTTP 503 Service Unavailable")]


def test_bad_local_inputs_fail_alone_and_leave_stored_data_untouched(db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED, folder / "seed.txt")
    run(db, str(folder))
    before = snapshot(db)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    (folder / "voa.html").write_bytes(page_html("VoiceOfAmerica_2024_04_28"))
    summary = run(db, str(folder), str(tmp_path / "missing.txt"))
    assert (summary["articles_read"], summary["articles_seen"], summary["failures"]) == (1, 1, 3)  # seed.txt is stored
    stages = rows(db, "select stage, regexp_extract(input, '[^/]+$') from failures order by 2")
    assert stages == [("text", "empty.txt"), ("text", "image.html"), ("discover", "missing.txt")]
    after = snapshot(db)
    assert set(before["claim_records"]) <= set(after["claim_records"])
    assert rows(db, "select published, date_source from articles where url like '%voa.html'") == [
        (date(2024, 4, 28), "metadata")
    ]


def test_local_feed_file_plain_text_url_and_copies_across_batches(db: Path, tmp_path: Path, site: Site) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_text(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        f"<item><title>Seed</title><link>{site.url('/text.txt')}</link>"
        "<pubDate>Mon, 04 Nov 2024 08:00:00 GMT</pubDate></item></channel></rss>"
    )
    shutil.copy(SEED, tmp_path / "seed-copy.txt")
    summary = run(db, str(feed), str(tmp_path / "seed-copy.txt"), batch_size=1)
    assert (summary["articles_read"], summary["copies"], summary["failures"]) == (2, 1, 0)
    local = rows(db, "select article_id, published, date_source, copy_of from articles where url like 'file:%'")
    assert local == [(local[0][0], date(2024, 11, 3), "text", None)]  # read first: the original
    served = rows(db, f"select published, date_source, copy_of from articles where url = '{site.url('/text.txt')}'")
    assert served == [(date(2024, 11, 4), "feed", local[0][0])]  # a text has no metadata: the feed date


def test_batches_in_flight_do_not_change_what_is_stored(tmp_path: Path, site: Site) -> None:
    """One input per batch (the next batch fetched while one is loaded) stores what one batch does."""
    one, many = tmp_path / "one.duckdb", tmp_path / "many.duckdb"
    run(one, site.url("/feed.xml"), str(SEED), site.url("/pages/field_report.html"), batch_size=1)
    run(many, site.url("/feed.xml"), str(SEED), site.url("/pages/field_report.html"), batch_size=100)
    for query in (
        "select url, article_id, copy_of from articles order by url",
        "select article_id, count(*) from claims group by all order by all",
        "select input, stage, reason from failures order by all",
    ):
        assert rows(one, query) == rows(many, query)
    assert len(rows(one, "select * from articles")) == 4  # the three feed articles and the seed


def test_published_override_for_local_files(db: Path) -> None:
    run(db, str(SEED), published=date(2024, 11, 5))
    assert rows(db, "select published, date_source from articles") == [(date(2024, 11, 5), "given")]
    assert rows(db, "select count(*) from claims where published <> date '2024-11-05'") == [(0,)]


def test_the_fixture_pages_load_through_the_flow(db: Path, tmp_path: Path) -> None:
    for gz in sorted((FIXTURES / "pages").glob("*.html.gz")):
        (tmp_path / gz.name.removesuffix(".gz")).write_bytes(page_html(gz.name.removesuffix(".html.gz")))
    summary = run(db, str(tmp_path))
    assert (summary["articles_read"], summary["failures"]) == (4, 0)
    assert rows(db, "select count(*) from articles where published is not null and site is not null") == [(4,)]
    offsets = rows(
        db,
        'select count(*), count(*) filter (where substring(t.text, c."start" + 1, c."end" - c."start") = c.text) '
        "from claims c join article_texts t using (article_id)",
    )
    assert offsets[0][0] > 20 and offsets[0][0] == offsets[0][1]  # every claim's offsets index into its stored text


def test_run_command_exits_1_when_nothing_could_be_read(db: Path, tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    result = CliRunner().invoke(main, ["run", str(tmp_path / "in"), "--db", str(db)])
    assert result.exit_code == 1
    assert result.stdout.startswith(
        "claimtrack run: 1 input (0 new, 0 new versions, 0 copies, 0 already stored, 1 failed), "
        "0 claims and 0 comparisons stored\n"
    )
    assert result.stderr == "Error: no input could be read; see the failures above\n"
    assert rows(db, "select status, inputs, failures from runs") == [("completed", 1, 1)]


@pytest.mark.parametrize("source", ["missing.txt", "http://", "https://exa mple.org/a"])
def test_a_bad_source_is_refused_before_prefect_starts_or_the_database_is_made(
    db: Path, tmp_path: Path, source: str
) -> None:
    where = str(tmp_path / source) if source == "missing.txt" else source
    result = CliRunner().invoke(main, ["run", str(SEED), where, "--db", str(db)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {where}: ") and result.stderr.count("\n") == 1, result.stderr
    assert not db.exists()


def test_a_loaded_batch_leaves_no_task_bookkeeping_in_the_flow_run() -> None:
    """What Prefect keeps per task run (result states, assets, cancel events) is dropped once a
    batch is loaded, so a long run's memory does not grow with its number of batches."""
    from prefect import flow, task
    from prefect.context import FlowRunContext
    from prefect.task_runners import ThreadPoolTaskRunner

    from claimtrack.batches import Started
    from claimtrack.pipeline import forget_finished

    @task(persist_result=False)
    def square(x: int) -> list[int]:
        return [x * x]

    @flow(task_runner=ThreadPoolTaskRunner(max_workers=2))
    def batch_of_tasks() -> tuple[tuple[int, int, int], tuple[int, int, int]]:
        futures = list(square.map([1, 2, 3]))
        [future.result() for future in futures]
        square(4)
        context = FlowRunContext.get()
        sizes = lambda: (  # noqa: E731
            len(context.run_results),
            len(context.task_run_assets),
            len(context.task_runner._cancel_events),
        )
        before = sizes()
        forget_finished(Started(3, [], [], futures, False))
        return before, sizes()

    before, after = batch_of_tasks()
    assert min(before) > 0 and after == (0, 0, 0)


def test_prefect_queue_drain_warnings_do_not_reach_the_user() -> None:
    """As a run ends (a signal, a slow server), Prefect's event queue warns "Still processing
    items: 1 items remaining..." on stderr; the run's own line is the only one the user sees."""
    from claimtrack.pipeline import quiet_logs

    quiet_logs()
    drained = logging.getLogger("EventsWorker")
    assert not drained.isEnabledFor(logging.WARNING) and drained.isEnabledFor(logging.ERROR)
    assert logging.getLogger("prefect.flow_runs").isEnabledFor(logging.WARNING)  # Prefect's own runs still warn
