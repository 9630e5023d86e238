"""Shared fixtures: Prefect settings and one test harness per session, a loopback HTTP site.

Prefect's environment is set here, before any test module imports Prefect: a temporary
``PREFECT_HOME`` (so result caches and the SQLite database never leak between runs), no
``PREFECT_API_URL``, analytics off, warnings only; and a temporary user data folder.
"""

from __future__ import annotations

import gzip
import os
import shutil
import tempfile
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

_PREFECT_HOME = tempfile.mkdtemp(prefix="claimtrack-prefect-")
os.environ["PREFECT_HOME"] = _PREFECT_HOME
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ["PREFECT_LOGGING_LEVEL"] = "WARNING"
os.environ["PREFECT_TASKS_REFRESH_CACHE"] = "true"
os.environ.pop("PREFECT_API_URL", None)
os.environ.pop("CLAIMTRACK_DB", None)
# The user data folder (an installed copy's database, `claimtrack server start`'s server) is a
# temporary one: a server the developer left running is never reused by the tests.
_DATA_HOME = tempfile.mkdtemp(prefix="claimtrack-data-")
os.environ["XDG_DATA_HOME"] = _DATA_HOME

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SHARED = ROOT.parent / "shared"
SEED = ROOT / "data" / "samples" / "seed_article.txt"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Remove the temporary PREFECT_HOME and user data folder."""
    shutil.rmtree(_PREFECT_HOME, ignore_errors=True)
    shutil.rmtree(_DATA_HOME, ignore_errors=True)


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """One Prefect test server for the whole session (it takes seconds to start)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=90):
        yield


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Path of a DuckDB file (not created yet) in the test's temporary folder."""
    return tmp_path / "claims.duckdb"


def page_html(name: str) -> bytes:
    """The HTML of a fixture page: ``pages/<name>.html.gz`` (real) or ``site/<name>.html`` (ours)."""
    real = FIXTURES / "pages" / f"{name}.html.gz"
    return gzip.decompress(real.read_bytes()) if real.exists() else (FIXTURES / "site" / f"{name}.html").read_bytes()


@dataclass
class Site:
    """A loopback web site: ``url(path)``, the paths requested, and the feed it serves."""

    base: str
    requests: Counter[str] = field(default_factory=Counter)

    def url(self, path: str) -> str:
        return f"{self.base}{path}"


FEED_ITEMS = (  # (path, title, date) served in /feed.xml
    ("/pages/GlobalNews_2026_05_24.html?utm_source=rss", "Kyiv attack", date(2026, 5, 24)),
    ("/pages/field_report.html", "Aid convoy reaches river towns", date(2024, 3, 5)),
    ("/mirror/field_report.html", "Aid convoy (syndicated copy)", date(2024, 3, 6)),
    ("/missing.html", "A page that is gone", date(2024, 3, 7)),
)


def feed_xml(site: Site) -> bytes:
    """An RSS 2.0 feed whose items link to pages of ``site``."""
    items = "".join(
        f"<item><title>{title}</title><link>{site.url(path).replace('&', '&amp;')}</link>"
        f"<pubDate>{format_datetime(datetime(day.year, day.month, day.day, 9, tzinfo=UTC))}</pubDate></item>"
        for path, title, day in FEED_ITEMS
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Test feed</title>'
        f"<link>{site.base}/</link><description>claimtrack tests</description>{items}"
        "<item><title>Relative link</title><link>/relative.html</link></item></channel></rss>"
    ).encode()


def make_handler(site: Site) -> type[BaseHTTPRequestHandler]:
    """Request handler for ``site``: pages, mirrors, the feed, status codes and flaky URLs."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def send(self, status: int, body: bytes = b"", content_type: str = "text/html; charset=utf-8") -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            site.requests[self.path] += 1
            if path == "/feed.xml":
                return self.send(200, feed_xml(site), "application/rss+xml")
            if path.startswith(("/pages/", "/mirror/")) and path.endswith(".html"):
                try:
                    return self.send(200, page_html(path.rsplit("/", 1)[1][: -len(".html")]))
                except FileNotFoundError:
                    return self.send(404, b"not found")
            if path.startswith("/status/"):
                return self.send(int(path.rsplit("/", 1)[1]), b"status page")
            if path.startswith("/flaky/"):  # 503 twice, then the page
                ok = site.requests[self.path] > 2
                return self.send(200, page_html("field_report")) if ok else self.send(503, b"busy")
            if path == "/redirect":
                self.send_response(302)
                self.send_header("Location", "/pages/field_report.html")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            if path == "/text.txt":
                return self.send(200, SEED.read_bytes(), "text/plain; charset=utf-8")
            return self.send(404, b"not found")

    return Handler


@contextmanager
def running(server: ThreadingHTTPServer) -> Iterator[ThreadingHTTPServer]:
    """Serve ``server`` in a thread for the block, then shut it down and close it."""
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def loopback_server(state_for: Callable[[str], Any], handler_for: Callable[[Any], type]) -> Iterator[Any]:
    """Run a real HTTP server on 127.0.0.1 (a thread) for the block: ``state_for(base_url)``
    builds the state the block gets, ``handler_for(state)`` the request handler class."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    state = state_for(f"http://127.0.0.1:{server.server_address[1]}")
    server.RequestHandlerClass = handler_for(state)
    with running(server):
        yield state


@pytest.fixture(scope="session")
def site() -> Iterator[Site]:
    """A real HTTP server on 127.0.0.1 (a thread) serving the fixture pages and a feed."""
    with loopback_server(lambda base: Site(base=base), make_handler) as state:
        yield state


@pytest.fixture(scope="session")
def sample_db(prefect_harness: None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database ``claimtrack run`` built from the bundled sample (data/sources.toml), once per
    session; tests only read it."""
    from click.testing import CliRunner

    from claimtrack.cli import main

    path = tmp_path_factory.mktemp("sample") / "claimtrack.duckdb"
    result = CliRunner().invoke(main, ["run", "--db", str(path)])
    assert result.exit_code == 0, result.output
    return path
