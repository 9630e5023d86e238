"""Time is bounded per fetch, not per read: a server that drips its body one byte at a time
(each read well under the read timeout), or a chain of slow redirects, is cut at the fetch's
deadline and becomes a failure row, and the host's slot is free again for its other URLs."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from canary import serve
from faults_util import FAST_FETCH, run, stored

from claimtrack.ingest import FetchError, FetchSettings, fetch
from claimtrack.ingest.polite import polite_fetch


def test_a_dripping_body_is_cut_at_the_deadline() -> None:
    with serve() as site:
        started = time.monotonic()
        with pytest.raises(FetchError) as info:
            fetch(site.url("/drip"), timeout=0.5, allow_private=True, deadline=1.5)  # a byte every 0.1 s
        took = time.monotonic() - started
    assert info.value.reason == "took longer than the fetch deadline of 1.5 s" and not info.value.transient
    assert 1.5 <= took < 2.5


def test_the_deadline_covers_every_redirect_of_a_fetch() -> None:
    with serve() as site:
        chain = site.url("/page")
        for _ in range(4):  # four redirects of 0.4 s each
            chain = site.url(f"/slow-go?to={chain}")
        assert fetch(chain, allow_private=True, deadline=5).final_url == site.url("/page")
        with pytest.raises(FetchError, match=r"took longer than the fetch deadline of 1 s$"):
            fetch(chain, allow_private=True, deadline=1)


def test_a_polite_fetch_is_not_retried_past_its_deadline_and_frees_the_host() -> None:
    settings = FetchSettings(allow_private_addresses=True, host_delay=0, host_concurrency=1, deadline=1.0, retries=3)
    with serve() as site:
        started = time.monotonic()
        with pytest.raises(FetchError, match="deadline of 1 s"):
            polite_fetch(site.url("/drip"), settings)
        assert polite_fetch(site.url("/page"), settings).status == 200  # the host's one slot is free
        assert time.monotonic() - started < 3
        assert site.paths.count("/drip") == 1


@pytest.mark.usefixtures("prefect_harness")
def test_a_run_records_the_dripping_page_as_a_failure_and_reads_the_rest(db: Path) -> None:
    with serve() as site:
        started = time.monotonic()
        summary = run(db, site.url("/drip"), site.url("/page"), fetch_settings={**FAST_FETCH, "deadline": 1.0})
        assert time.monotonic() - started < 20
    assert (summary["articles_read"], summary["failures"]) == (1, 1)
    assert stored(db, "select input, stage, reason from failures") == [
        (site.url("/drip"), "fetch", "took longer than the fetch deadline of 1 s")
    ]
    assert stored(db, "select status from runs") == [("completed",)]
