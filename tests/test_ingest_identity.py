"""Issue 18: nothing merges unless it is the same article, and every input of a run is accounted
for (inputs = new + versions + copies + already stored + failed, each input in exactly one),
through the real flow on real files and a real DuckDB file."""

from __future__ import annotations

import os
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import SEED
from daily_reports import FIRST_DAY, report_page, totals, write_reports

from claimtrack.cli import main
from claimtrack.pipeline import pipeline
from claimtrack.transforms import warehouse

pytestmark = pytest.mark.usefixtures("prefect_harness")
OUTCOMES = ("new", "version", "copy", "stored", "failed")
UNITS = {  # the extractor's unit for each report item
    "personnel": "personnel",
    "tanks": "tank",
    "armoured combat vehicles": "armoured combat vehicle",
    "artillery systems": "artillery system",
    "aircraft": "aircraft",
}
GERMAN = (
    "Bericht aus Kiew\n12. März 2024\nDie Regierung teilte am Dienstag mit, dass seit Beginn des Krieges "
    "mehr als 700.000 Soldaten gefallen seien. Um 10 Uhr begann die Sitzung des Ausschusses.\n"
)


def rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    return warehouse.query(db, sql).rows()


def outcomes(db: Path, run_id: str) -> dict[str, str]:
    """Each input of run ``run_id`` -> its outcome; fails if an input appears twice."""
    found = rows(db, f"select input, outcome from run_inputs where run_id = '{run_id}' order by input")
    assert len({where for where, _ in found}) == len(found), found
    return dict(found)


def check_invariant(db: Path, summary: dict[str, Any]) -> None:
    """The run's counts (summary and ``runs``) are its inputs' outcomes, and add up to its inputs."""
    counted = Counter(outcomes(db, summary["run_id"]).values())
    buckets = (summary["articles_new"], summary["versions"], summary["copies"])
    buckets += (summary["articles_seen"], summary["failures"])
    assert buckets == tuple(counted[o] for o in OUTCOMES)
    assert summary["inputs"] == sum(buckets) == sum(counted.values())
    stored = rows(
        db,
        "select inputs, articles_new, versions, copies, articles_seen, failures from runs "
        f"where run_id = '{summary['run_id']}'",
    )
    assert stored == [(summary["inputs"], *buckets)]


@pytest.mark.parametrize("og_url", ["https://www.mod.example/en/", "https://www.mod.example/en/news/67000"])
def test_a_hundred_pages_sharing_one_bogus_og_url_stay_a_hundred_articles(
    db: Path, tmp_path: Path, og_url: str
) -> None:
    """The issue's case: pages with no canonical link and one og:url (the site's home page, or one
    article's address on every page); before, they got one article_id and overwrote each other."""
    days = write_reports(tmp_path / "reports", 100, og_url=og_url)
    summary = pipeline(sources=[str(tmp_path / "reports")], db=str(db))
    assert (summary["inputs"], summary["articles_new"], summary["failures"]) == (100, 100, 0)
    check_invariant(db, summary)
    assert rows(db, "select count(distinct article_id), count(distinct published) from articles") == [(100, 100)]
    assert rows(db, "select min(published), max(published) from articles") == [(days[0], days[-1])]
    named = rows(db, "select count(*) from articles where canonical_url is not null")
    assert named == [(0 if og_url.endswith("/en/") else 1,)]  # a home page is no identity; a shared one, once


def test_the_same_page_saved_twice_is_one_article(db: Path, tmp_path: Path) -> None:
    plain, linked = tmp_path / "plain", tmp_path / "linked"
    plain.mkdir(), linked.mkdir()
    page = report_page(FIRST_DAY)
    canonical = page.replace("<head>", '<head><link rel="canonical" href="https://www.mod.example/en/news/67000">')
    for name in ("report.html", "report (1).html"):
        (plain / name).write_text(page, encoding="utf-8")
        (linked / name).write_text(canonical, encoding="utf-8")
    by_path = pipeline(sources=[str(plain)], db=str(db))
    assert (by_path["articles_new"], by_path["copies"], by_path["inputs"]) == (1, 1, 2)  # its own path each
    check_invariant(db, by_path)
    by_link = pipeline(sources=[str(linked)], db=str(db))
    assert (by_link["articles_new"], by_link["copies"], by_link["articles_seen"]) == (0, 1, 1)  # one article
    check_invariant(db, by_link)
    assert rows(db, "select count(*) from series where text = '706'") == [(1,)]  # its claims counted once


def test_a_mixed_run_puts_every_input_in_exactly_one_bucket(db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "report.html").write_text(report_page(FIRST_DAY), encoding="utf-8")
    (folder / "seed.txt").write_bytes(SEED.read_bytes())
    first = pipeline(sources=[str(folder)], db=str(db))
    assert (first["articles_new"], first["inputs"]) == (2, 2)
    time.sleep(0.01)
    updated = report_page(FIRST_DAY).replace("tanks ‒ 706 (+6)", "tanks ‒ 708 (+8)")
    (folder / "report.html").write_text(updated, encoding="utf-8")  # an update: a new version
    (folder / "next.html").write_text(report_page(date(2022, 4, 12)), encoding="utf-8")  # new
    (folder / "next2.html").write_text(report_page(date(2022, 4, 12)), encoding="utf-8")  # a copy
    (folder / "broken.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")  # fails
    (folder / "bericht.txt").write_text(GERMAN, encoding="utf-8")  # new, not English
    summary = pipeline(sources=[str(folder)], db=str(db))
    check_invariant(db, summary)
    by_name = {Path(where).name: outcome for where, outcome in outcomes(db, summary["run_id"]).items()}
    assert by_name == {
        "bericht.txt": "new",
        "broken.html": "failed",
        "next2.html": "copy",
        "next.html": "new",
        "report.html": "version",
        "seed.txt": "stored",
    }
    assert summary["inputs"] == 6
    assert summary["not_extracted"] == {"de": 1}
    versions = rows(db, "select version, version_of is null from articles where url like '%report.html' order by 1")
    assert versions == [(1, True), (2, False)]
    assert rows(db, "select count(*) from claims c join articles a using (article_id) where a.language = 'de'") == [
        (0,)
    ]  # no English-rule garbage ("uhr") from the German text
    tanks = rows(db, "select value from series where unit = 'tank' and kind = 'cumulative' and as_of = '2022-04-11'")
    assert sorted(tanks) == [(706.0,), (708.0,)]  # both versions' figures, the restated ones once
    assert rows(db, "select count(*) from series where unit = 'personnel' and as_of = '2022-04-11'") == [(2,)]


def test_a_folder_of_daily_reports_gives_each_days_figures(db: Path, tmp_path: Path) -> None:
    """The official daily pages end to end through ``claimtrack run``: one article per page, each
    item's cumulative figure as of the page's date, its one-day change, nothing from the sidebar."""
    days = write_reports(tmp_path / "reports", 5, og_url="https://www.mod.example/en/")
    result = CliRunner().invoke(main, ["run", str(tmp_path / "reports"), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("claimtrack run: 5 inputs (5 new, 0 new versions, 0 copies, 0 already stored")
    assert rows(db, "select count(*), count(distinct published) from articles") == [(5, 5)]
    stored = rows(db, "select as_of, unit, kind, period_start, value, change from series order by all")
    expected = []
    for day in days:
        for item, (total, change) in totals(day).items():
            unit = UNITS[item]
            expected += [(day, unit, "cumulative", date(2022, 2, 24), float(total), None)]
            expected += [(day, unit, "period", day, float(change), "up")]
    kept = [r for r in stored if r[1] != "day"]  # "day 47 of the full-scale invasion" is a figure too
    assert kept == sorted(expected)
    sidebar = "select count(*) from claims where text in ('9999', '99') or sentence like '%Latest news%'"
    assert rows(db, sidebar) == [(0,)]
    daily = "select count(distinct reporter), count(*) filter (where increment = reported_day), count(*) from daily"
    assert rows(db, daily) == [(1, 4 * 5, 5 * 6)]  # one series per item (and the day count): total = last + change


def test_a_prefect_server_that_never_comes_up_is_retried_then_explained(tmp_path: Path) -> None:
    """A loaded machine: the temporary server misses its start-up deadline (forced here with a
    1-second one); the run tries once more, then says in one line what to do."""
    import subprocess
    import sys

    env = {
        **os.environ,
        "PREFECT_HOME": str(tmp_path / "prefect"),
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "1",
    }
    env.pop("PREFECT_API_URL", None)
    db = tmp_path / "c.duckdb"
    result = subprocess.run(
        [sys.executable, "-m", "claimtrack", "run", str(SEED), "--db", str(db)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1, result.stderr
    error = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(error) == 1 and "did not start in time, twice" in error[0] and "prefect server start" in error[0]
    assert "Traceback" not in result.stderr
    assert rows(db, "select count(*) from runs") == [(0,)]  # the flow never started


def test_on_workers_a_new_version_keeps_its_claims_under_its_own_id(db: Path) -> None:
    """With ``--dask`` the claims are extracted where a page is fetched, before the flow knows it
    is a new version: the flow keys them by the version's id (``batches.collect_reads``)."""
    from datetime import UTC, datetime

    from claimtrack.batches import RunState, collect_reads
    from claimtrack.ingest import FeedLedger, FetchSettings, Known
    from claimtrack.steps import Read, extract_article_claims
    from claimtrack.transforms.pages import PageText, make_article

    def read(text: str) -> Read:
        page = PageText(text=text, published=date(2024, 11, 3), date_source="given")
        article = make_article(page, "https://news.example/losses-1", datetime(2024, 11, 3, tzinfo=UTC))
        done = extract_article_claims([article])
        return Read([(article, done.claims, done.comparisons)], [], [], FeedLedger(), "worker")

    state = RunState("run", db, FetchSettings(), Known(), chunks=2)
    batch = collect_reads([read("Russia has lost 700,000 troops."), read("Russia has lost 710,000 troops.")], state)
    assert [outcome for _, outcome, _ in batch.outcomes] == ["new", "version"]
    first, version = batch.articles
    assert version.version_of == first.article_id != version.article_id
    assert sorted((article, claim.value) for article, claim in batch.claims) == sorted(
        [(first.article_id, 700000.0), (version.article_id, 710000.0)]
    )


def test_an_updated_file_is_a_new_version_whose_restated_figures_count_once(db: Path, tmp_path: Path) -> None:
    seed = tmp_path / "seed.txt"
    seed.write_bytes(SEED.read_bytes())
    first = pipeline(sources=[str(seed)], db=str(db))
    before = {
        view: rows(db, f"select count(*) from {view}")[0][0] for view in ("claims", "series", "comparison_periods")
    }
    time.sleep(0.01)
    seed.write_text(SEED.read_text(encoding="utf-8") + "\nUpdate: officials now say 12 drones were downed.\n")
    update = pipeline(sources=[str(seed)], db=str(db))
    assert (first["articles_new"], update["versions"], update["inputs"]) == (1, 1, 1)
    check_invariant(db, update)
    after = {view: rows(db, f"select count(*) from {view}")[0][0] for view in before}
    assert after["claims"] == 2 * before["claims"] + 1  # each version keeps its claims
    assert (after["series"], after["comparison_periods"]) == (before["series"] + 1, before["comparison_periods"])
    assert rows(db, "select text, unit from series where seen = (select max(seen) from series)") == [
        ("12 drones", "drone")
    ]
