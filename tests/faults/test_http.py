"""A misbehaving web server on 127.0.0.1: every fault is one clear, classified ``FetchError``,
memory and time stay bounded, and a run over all of them stores only the good page."""

from __future__ import annotations

import resource
import time
from pathlib import Path

import httpx
import pytest
from faults_server import faulty  # noqa: F401 - the session fixture
from faults_util import run, snapshot, stored

from claimtrack.ingest import FetchError, fetch

FAST = httpx.Timeout(0.5)
CASES = [  # path, transient, start of the reason
    ("/status/404", False, "HTTP 404 Not Found"),
    ("/status/500", True, "HTTP 500 Internal Server Error"),
    ("/status/503", True, "HTTP 503 Service Unavailable"),
    ("/retry-after", True, "HTTP 429 Too Many Requests"),
    ("/stall", True, "ReadTimeout"),
    ("/reset", True, "ReadError"),
    ("/loop", False, "more than 5 redirects"),
    ("/to-file", False, "redirected to an unsupported URL"),
    ("/bomb", False, "response larger than 20,971,520 bytes"),
    ("/short-length", True, "RemoteProtocolError: peer closed connection without sending complete message body"),
    ("/huge-length", False, "response larger than 20,971,520 bytes (it declares 50,000,000,000)"),
]


@pytest.mark.parametrize(("path", "transient", "reason"), CASES)
def test_each_fault_is_one_classified_line(faulty: str, path: str, transient: bool, reason: str) -> None:  # noqa: F811
    started = time.monotonic()
    with pytest.raises(FetchError) as info:
        fetch(faulty + path, timeout=FAST, allow_private=True)
    assert time.monotonic() - started < 3
    error = info.value
    assert (error.transient, error.url) == (transient, faulty + path)
    assert error.reason.startswith(reason) and "\n" not in error.reason


def test_retry_after_is_kept_for_the_retry_policy(faulty: str) -> None:  # noqa: F811
    with pytest.raises(FetchError) as info:
        fetch(faulty + "/retry-after", timeout=FAST, allow_private=True)
    assert info.value.retry_after == "1"


def test_the_gzip_bomb_is_inflated_only_up_to_the_cap(faulty: str) -> None:  # noqa: F811
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(FetchError, match="larger than 1,000,000 bytes"):
        fetch(faulty + "/bomb", timeout=FAST, max_bytes=1_000_000, allow_private=True)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 50  # the body inflates to 1 GiB


def test_gzip_pages_and_wrong_content_types_still_read(faulty: str) -> None:  # noqa: F811
    assert b"700,000 troops" in fetch(faulty + "/gz-page", timeout=FAST, allow_private=True).body
    assert fetch(faulty + "/png-as-html", timeout=FAST, allow_private=True).body.startswith(
        b"\x89PNG"
    )  # refused at the text stage


@pytest.mark.usefixtures("prefect_harness")
def test_a_run_over_every_fault_stores_only_the_good_page(db: Path, faulty: str) -> None:  # noqa: F811
    urls = [faulty + p for p, _, _ in CASES] + [faulty + "/png-as-html", faulty + "/ok"]
    started = time.monotonic()
    summary = run(db, *urls, fetch_retries=1, fetch_backoff=0.01)
    assert time.monotonic() - started < 45
    assert (summary["articles_read"], summary["failures"]) == (1, len(urls) - 1)
    failures = dict(stored(db, "select input, stage || ': ' || reason from failures"))
    assert failures[faulty + "/png-as-html"] == "text: binary content (a PNG image), not HTML"
    for path, _, reason in CASES:
        assert failures[faulty + path].startswith(f"fetch: {reason}"), path
    assert stored(db, "select url from articles") == [(faulty + "/ok",)]
    after = snapshot(db)
    for _ in range(2):
        run(db, *urls, fetch_retries=0)
        assert snapshot(db) == after
