"""Fetch and extraction tasks on a real two-process Dask cluster (``prefect-dask``), loading in
the flow process: tasks ran in both workers, and the stored tables equal a local run's."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, SEED, page_html
from polite_site import serve

from claimtrack.pipeline import pipeline
from claimtrack.transforms import warehouse

pytestmark = pytest.mark.usefixtures("prefect_harness")
NO_DELAY = {"host_delay": 0.0, "backoff": 0.01, "allow_private_addresses": True}  # a loopback site
QUERIES = {
    "articles": "select * exclude (fetched) from article_records order by all",
    "texts": "select * from article_text_pieces order by all",
    "claims": "select * from claim_records order by all",
    "comparisons": "select * from comparison_records order by all",
}


def stored(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    return {name: warehouse.query(db, sql).rows() for name, sql in QUERIES.items()}


def inputs(folder: Path) -> Path:
    """A folder with the four real fixture pages and the seed article."""
    folder.mkdir()
    for gz in sorted((FIXTURES / "pages").glob("*.html.gz")):
        name = gz.name.removesuffix(".html.gz")
        (folder / f"{name}.html").write_bytes(page_html(name))
    (folder / "seed.txt").write_bytes(SEED.read_bytes())
    return folder


def test_tasks_run_in_both_dask_workers_and_store_what_a_local_run_stores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from distributed import LocalCluster
    from prefect.settings import PREFECT_API_URL
    from prefect_dask import DaskTaskRunner

    monkeypatch.setenv("PREFECT_API_URL", str(PREFECT_API_URL.value()))  # workers report to the test server
    folder = inputs(tmp_path / "in")
    with (
        serve() as site,
        LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as cluster,
    ):
        sources = [str(folder), site.url("/feed.xml")]
        on_dask = pipeline.with_options(task_runner=DaskTaskRunner(address=cluster.scheduler_address))
        summary = on_dask(sources=sources, db=str(tmp_path / "dask.duckdb"), chunks=4, fetch_settings=NO_DELAY)
        local = pipeline(sources=sources, db=str(tmp_path / "local.duckdb"), fetch_settings=NO_DELAY)
    pids = {worker.rsplit(":", 1)[1] for worker in summary["workers"]}
    assert len(pids) == 2 and str(os.getpid()) not in pids, summary["workers"]
    assert {k: v for k, v in summary.items() if k not in ("run_id", "db", "workers")} == {
        k: v for k, v in local.items() if k not in ("run_id", "db", "workers")
    }
    assert stored(tmp_path / "dask.duckdb") == stored(tmp_path / "local.duckdb")
    assert summary["articles_read"] == 8 and summary["failures"] == 0


def test_dask_connections_made_for_a_run_keep_only_their_last_messages() -> None:
    import dask
    from distributed.batched import BatchedSend

    from claimtrack.scale import MESSAGE_LOG_LENGTH, task_runner

    default = dask.config.get("distributed.admin.low-level-log-length")
    assert BatchedSend(interval="5ms").recent_message_log.maxlen == default > MESSAGE_LOG_LENGTH
    try:
        task_runner("tcp://127.0.0.1:9")  # builds the runner only: nothing connects yet
        assert BatchedSend(interval="5ms").recent_message_log.maxlen == MESSAGE_LOG_LENGTH
    finally:
        dask.config.set({"distributed.admin.low-level-log-length": default})
