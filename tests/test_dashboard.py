"""The dashboard: one self-contained HTML file, checked as a page in a real headless Chromium.

The browser tests load the file from ``file://``, fail on any console error, uncaught
exception or error log entry (CSP violations, blocked loads), compare the points each chart
holds with the database, use the tooltip, the search and the pager, and save a screenshot to
``test-artifacts/dashboard.png``.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

import polars as pl
import pytest
from claims_seed import GS, seed_database
from click.testing import CliRunner
from conftest import SEED
from headless_chromium import Browser

from claimtrack.cli import main
from claimtrack.cli.dashboard import dashboard_command, read_dashboard_frames, write_dashboard
from claimtrack.transforms import warehouse
from claimtrack.transforms.dashboard import load_assets, render_dashboard

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
READY = "document.body && document.body.dataset.ready === 'true'"


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(database, dashboard HTML) built from the hand-written claims."""
    folder = tmp_path_factory.mktemp("dashboard")
    db = seed_database(folder / "claims.duckdb")
    return db, write_dashboard(db, folder / "dashboard.html")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    """One headless Chromium for the module (a fresh profile in a temp folder)."""
    chromium = Browser(tmp_path_factory.mktemp("chromium") / "profile")
    yield chromium
    chromium.close()


MIN_POINTS = 3  # a metric and unit with fewer points is listed, not charted (app.js)
CHARTS = """[...document.querySelectorAll('.chart')].map(c =>
    [c.dataset.metric, c.dataset.unit, Number(c.dataset.points)])"""


def expected_points(db: Path) -> dict[tuple[str, str], int]:
    """Points per (metric, unit) straight from `series`: every claim with a metric and a value
    (the seed has no group of more than two claims, which is what the chart query keeps)."""
    frame = warehouse.query(
        db, "select metric, unit, count(*) as n from series where metric is not null and value is not null group by all"
    )
    return {(r["metric"], r["unit"]): r["n"] for r in frame.to_dicts()}


def charted_and_listed(browser: Browser) -> tuple[dict[tuple[str, str], int], int]:
    """The page's charts as {(metric, unit): points} and the number of rows of its short list."""
    charts = {(m, u): n for m, u, n in browser.evaluate(CHARTS)}
    listed = browser.evaluate("Number((document.getElementById('small-table') || {dataset: {rows: 0}}).dataset.rows)")
    return charts, listed


def assert_charts_match(db: Path, browser: Browser) -> None:
    """Every (metric, unit) with MIN_POINTS points or more is one chart holding them all; the
    others are rows of the short list; charts come fullest first."""
    expected = expected_points(db)
    charts, listed = charted_and_listed(browser)
    assert charts == {key: n for key, n in expected.items() if n >= MIN_POINTS}
    assert listed == sum(n for n in expected.values() if n < MIN_POINTS)
    sizes = [n for _, _, n in browser.evaluate(CHARTS)]
    assert sizes == sorted(sizes, reverse=True)


def test_page_is_self_contained_and_escapes_article_text(page_file: tuple[Path, Path]) -> None:
    html = page_file[1].read_text(encoding="utf-8")
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=\"(?!data:)", html)
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert "uPlot" in html and "leeoniya" in html  # the charting library is inlined
    assert "<b>not found</b>" not in html  # failure text travels escaped in the JSON
    assert html.count("</script>") == 3


def test_script_breaking_text_cannot_close_the_data_element(tmp_path: Path) -> None:
    claims = pl.DataFrame(
        {
            "metric": ["m"],
            "sentence": ["</script><script>alert(1)</script>"],
            "value": [1.0],
            "as_of": [19000],
            "charted": [True],
        }
    )
    html = render_dashboard({"claims": claims}, load_assets(), datetime(2024, 1, 1, tzinfo=UTC))
    assert "alert(1)</script>" not in html
    assert "\\u003c/script\\u003e\\u003cscript\\u003ealert(1)" in html


def test_cli_writes_the_dashboard(page_file: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "out" / "d.html"
    result = CliRunner().invoke(dashboard_command, ["--db", str(page_file[0]), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "dashboard written" in result.output and out.stat().st_size > 50_000


def test_cli_says_what_to_do_without_a_database(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        dashboard_command, ["--db", str(tmp_path / "none.duckdb"), "-o", str(tmp_path / "d.html")]
    )
    assert result.exit_code == 1
    assert "does not exist; run 'claimtrack run' first" in result.output


def test_cli_reads_the_project_default_database(
    page_file: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLAIMTRACK_DB", str(page_file[0]))
    result = CliRunner().invoke(dashboard_command, ["-o", str(tmp_path / "d.html")])
    assert result.exit_code == 0, result.output


@pytest.mark.usefixtures("prefect_harness")
def test_run_writes_the_dashboard_when_asked(tmp_path: Path, browser: Browser) -> None:
    db, out = tmp_path / "run.duckdb", tmp_path / "pages" / "run.html"
    result = CliRunner().invoke(main, ["run", str(SEED), "--db", str(db), "--dashboard", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == f"dashboard: {out}"
    browser.open(out.as_uri(), READY)
    assert browser.errors() == []
    assert_charts_match(db, browser)
    assert browser.evaluate("document.getElementById('claims-table').dataset.rows") == str(
        warehouse.query(db, "select count(*) as n from series")["n"][0]
    )


def test_frames_hold_every_section(page_file: tuple[Path, Path]) -> None:
    frames = read_dashboard_frames(page_file[0])
    assert frames["claims"].height == 23
    assert frames["conflicts"].height == 2 and frames["revisions"].height == 3
    assert frames["last_run"]["run_id"].to_list() == ["run-2"]
    assert frames["last_stored_run"]["run_id"].to_list() == ["run-2"]  # run-1 stored nothing
    assert frames["failures"].height == 1


def test_page_in_chromium_has_no_errors_and_all_points(page_file: tuple[Path, Path], browser: Browser) -> None:
    db, html = page_file
    browser.open(html.as_uri(), READY)
    assert browser.errors() == []
    assert_charts_match(db, browser)
    assert browser.evaluate("window.claimtrack.charts.every(u => u.root.querySelector('canvas'))")
    counts = browser.evaluate("""({
        claims: document.getElementById('claims-table').dataset.rows,
        conflicts: document.getElementById('conflicts-table').dataset.rows,
        revisions: document.getElementById('revisions-table').dataset.rows,
        failures: document.getElementById('failures-table').textContent})""")
    assert (counts["claims"], counts["conflicts"], counts["revisions"]) == ("23", "2", "3")
    assert "HTTP 404 <b>not found</b>" in counts["failures"]  # shown as text, not markup
    assert browser.evaluate("document.getElementById('run-stored')") is None  # the last run stored something
    browser.screenshot(ARTIFACTS / "dashboard.png")


def test_hover_shows_the_claim_and_click_pins_the_link(page_file: tuple[Path, Path], browser: Browser) -> None:
    browser.open(page_file[1].as_uri(), READY)
    browser.evaluate("window.scrollTo(0, 0)")
    x, y = browser.evaluate("""(() => {
        const u = window.claimtrack.charts.find(u => u.root.parentNode.dataset.metric === 'troop_losses'
            && u.root.parentNode.dataset.unit === 'troop');
        u.root.scrollIntoView();
        const r = u.over.getBoundingClientRect(), s = u.data.findIndex((d, i) => i > 0 && d[0] != null);
        return [r.left + u.valToPos(u.data[0][0], 'x'), r.top + u.valToPos(u.data[s][0], 'y')];
    })()""")
    browser.mouse("mouseMoved", x, y)
    tip = browser.evaluate(
        "[document.getElementById('tooltip').hidden, document.getElementById('tooltip').textContent]"
    )
    assert tip[0] is False
    assert "1,000 troop" in tip[1] and GS in tip[1] and "2024-05-01" in tip[1]
    browser.mouse("mousePressed", x, y)
    browser.mouse("mouseReleased", x, y)
    link = browser.evaluate("document.querySelector('.pinned a').href")
    assert link == "https://mil.gov.ua/gs0501"
    assert browser.errors() == []


def test_search_sort_and_pages(page_file: tuple[Path, Path], browser: Browser) -> None:
    browser.open(page_file[1].as_uri(), READY)
    rows = browser.evaluate("""(async () => {
        const box = document.getElementById('claims-search'), table = document.getElementById('claims-table');
        const wait = () => new Promise(r => setTimeout(r, 250));
        box.value = 'news.example'; box.dispatchEvent(new Event('input')); await wait();
        const news = table.dataset.rows;
        box.value = 'CONVICTIONS'; box.dispatchEvent(new Event('input')); await wait();
        const convictions = table.dataset.rows;
        box.value = ''; box.dispatchEvent(new Event('input')); await wait();
        const select = document.getElementById('claims-metric');
        select.value = 'tank_losses'; select.dispatchEvent(new Event('change'));
        const first = () => table.querySelector('tbody tr td:nth-child(3)').textContent;
        table.querySelector('th[data-key=value]').click();
        const largest = first();
        table.querySelector('th[data-key=value]').click();
        return [news, convictions, table.dataset.rows, largest, first()];
    })()""")
    assert rows == ["2", "1", "8", "400 tank", "5 tank"]  # the copy's tank claim not counted
    assert browser.errors() == []


def load_benchmark() -> ModuleType:
    """Import benchmarks/synthetic_claims.py (not a package)."""
    spec = importlib.util.spec_from_file_location("synthetic_claims", ROOT / "benchmarks" / "synthetic_claims.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_page_stays_usable_with_100k_claims(tmp_path: Path, browser: Browser) -> None:
    bench = load_benchmark()
    db = tmp_path / "big.duckdb"
    bench.build(db, 100_000)
    html = write_dashboard(db, tmp_path / "big.html")
    seconds = browser.open(html.as_uri(), READY, timeout=90)
    assert browser.errors() == []
    charted = warehouse.query(db, warehouse.sql_file("queries/dashboard_claims.sql"))
    points = browser.evaluate("""[...document.querySelectorAll('.chart')]
        .reduce((n, c) => n + Number(c.dataset.points), 0)""")
    assert points == charted["charted"].sum()
    assert browser.evaluate("document.getElementById('claims-table').dataset.rows") == str(charted.height)
    search = browser.evaluate(
        """(async () => {
        const box = document.getElementById('claims-search'), t0 = performance.now();
        box.value = 'outlet007'; box.dispatchEvent(new Event('input'));
        await new Promise(r => setTimeout(r, 200));
        while (document.getElementById('claims-table').dataset.rows === 'ALL')
            await new Promise(r => setTimeout(r, 20));
        return performance.now() - t0;
    })()""".replace("ALL", str(charted.height))
    )
    assert seconds < 30 and search < 3000, (seconds, search)


def test_page_of_an_empty_database_has_no_errors(tmp_path: Path, browser: Browser) -> None:
    db = tmp_path / "empty.duckdb"
    with warehouse.opened(db):  # schema and views, no rows
        pass
    html = write_dashboard(db, tmp_path / "empty.html")
    browser.open(html.as_uri(), READY)
    assert browser.errors() == []
    state = browser.evaluate("""[document.getElementById('chart-list').dataset.charts,
        document.getElementById('claims-table').dataset.rows,
        document.getElementById('run-body').textContent]""")
    assert state[:2] == ["0", "0"] and "none recorded" in state[2]


@pytest.fixture(scope="module")
def mixed_page(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The seed plus one metric in two currencies, a metric spanning six orders of magnitude, and
    a last run that stored nothing: (database, dashboard HTML)."""
    from claims_seed import claim, d, frame

    from claimtrack.transforms.normalize import CLAIM_SCHEMA

    folder = tmp_path_factory.mktemp("mixed")
    db = seed_database(folder / "claims.duckdb")
    extra = [claim("gs0530", 10 + k, 100.0 + k, "aid", d(5, 1 + k), unit="usd", kind="level") for k in range(3)]
    extra += [
        claim("bbc0531", 10 + k, 90.0 + k, "aid", d(5, 1 + k), unit="eur", kind="level", source="EU") for k in range(3)
    ]
    extra += [
        claim("gs0520", 10 + k, 10.0**k, "displaced", d(5, 10 + k), unit="person", kind="level") for k in (0, 3, 6)
    ]
    with warehouse.opened(db) as con:
        con.register("extra", frame(extra, CLAIM_SCHEMA).to_arrow())
        con.execute("insert into claim_records by name select * from extra")
    warehouse.start_run(db, "run-3", datetime(2024, 7, 2, tzinfo=UTC), "[]")
    warehouse.finish_run(db, "run-3", datetime(2024, 7, 2, 0, 1, tzinfo=UTC), "completed", warehouse.LoadCounts())
    return db, write_dashboard(db, folder / "mixed.html")


def test_currencies_get_charts_of_their_own_and_wide_ranges_a_log_axis(
    mixed_page: tuple[Path, Path], browser: Browser
) -> None:
    db, html = mixed_page
    browser.open(html.as_uri(), READY)
    assert browser.errors() == []
    assert_charts_match(db, browser)
    charts, _ = charted_and_listed(browser)
    assert charts[("aid", "usd")] == 3 and charts[("aid", "eur")] == 3
    scales = browser.evaluate("""Object.fromEntries([...document.querySelectorAll('.chart')].map(c =>
        [c.dataset.metric + '/' + c.dataset.unit, c.dataset.scale]))""")
    assert scales["displaced/person"] == "log" and scales["aid/usd"] == "linear"
    y_range = browser.evaluate("""(() => { const u = window.claimtrack.charts.find(u =>
        u.root.parentNode.dataset.metric === 'aid' && u.root.parentNode.dataset.unit === 'usd');
        return [u.scales.y.min, u.scales.y.max]; })()""")
    assert 95 < y_range[0] < 100 and 102 < y_range[1] < 107  # fitted to 100-102, not from zero


def test_last_run_and_last_run_that_stored_something(mixed_page: tuple[Path, Path], browser: Browser) -> None:
    browser.open(mixed_page[1].as_uri(), READY)
    last = browser.evaluate("document.getElementById('run-last').innerText")
    stored = browser.evaluate("document.getElementById('run-stored').innerText")
    assert last.startswith("2024-07-02 00:01:00 UTC\nlast run (completed)\n0\ninputs\n0\nnew articles")
    run_2 = warehouse.query(mixed_page[0], "select inputs, claims_stored from runs where run_id = 'run-2'").row(0)
    assert (
        stored.startswith("2024-07-01 12:05:00 UTC\nlast run that stored something")
        and f"\n{run_2[0]}\ninputs" in stored
        and f"{run_2[1]}\nclaims stored" in stored
    )


def test_filters_by_source_subject_and_dates_apply_to_charts_list_and_table(
    mixed_page: tuple[Path, Path], browser: Browser
) -> None:
    db, html = mixed_page
    browser.open(html.as_uri(), READY)
    state = browser.evaluate("""(async () => {
        const set = (id, v) => {
            const e = document.getElementById(id); e.value = v; e.dispatchEvent(new Event('change')); };
        const code = (name, text) => [...document.getElementById(name).options]
            .find(o => o.text.startsWith(text + ' (')).value;
        const seen = () => [document.querySelectorAll('.chart').length,
            document.getElementById('claims-table').dataset.rows,
            Number((document.getElementById('small-table') || {dataset: {rows: 0}}).dataset.rows)];
        const all = seen();
        set('filter-source', code('filter-source', 'EU'));
        const eu = seen();
        set('filter-source', ''); set('filter-subject', code('filter-subject', 'Ukraine'));
        const ukraine = seen();
        document.getElementById('filter-reset').click();
        set('filter-from', '2024-05-10'); set('filter-to', '2024-05-12');
        const may = seen();
        document.getElementById('filter-reset').click();
        return {all, eu, ukraine, may, back: seen()};
    })()""")
    table = lambda sql: str(warehouse.query(db, f"select count(*) as n from series where {sql}")["n"][0])  # noqa: E731
    assert state["eu"] == [1, table("reporter = 'EU'"), 0]
    assert state["ukraine"][1] == table("subject = 'Ukraine'")
    assert state["may"][1] == table("as_of between date '2024-05-10' and date '2024-05-12'")
    assert state["back"] == state["all"] and state["all"][1] == table("true")
    assert browser.errors() == []
