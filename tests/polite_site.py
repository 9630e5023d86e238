"""A loopback web site for incremental and polite fetching: a feed with ETag/Last-Modified
(304 when unchanged), robots.txt with a disallowed folder, 429 with Retry-After, and a log of
when each request arrived."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler

from conftest import SEED, loopback_server, page_html

ETAG = '"feed-v1"'
LAST_MODIFIED = "Mon, 04 Nov 2024 08:00:00 GMT"
SLOW = 0.3  # seconds a /slow/ page takes
ROBOTS = b"User-agent: *\nDisallow: /private/\n"


@dataclass
class PoliteSite:
    """The site's base URL and every request it received: ``(path, monotonic time, headers)``."""

    base: str
    log: list[tuple[str, float, dict[str, str]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def hits(self, path: str) -> list[float]:
        """Arrival times of the requests for ``path``."""
        with self.lock:
            return [at for p, at, _ in self.log if p == path]


def feed(site: PoliteSite) -> bytes:
    """An RSS feed linking to two pages and a copy of the first under another URL."""
    links = [
        ("/pages/field_report.html", "Aid convoy"),
        ("/pages/seed.txt", "Seed"),
        ("/mirror/field_report.html", "Aid convoy (copy)"),
    ]
    items = "".join(
        f"<item><title>{t}</title><link>{site.url(p)}</link><pubDate>Tue, 05 Mar 2024 09:00:00 GMT</pubDate></item>"
        for p, t in links
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>polite</title>'
        f"<link>{site.base}/</link>{items}</channel></rss>"
    ).encode()


def handler(site: PoliteSite) -> type[BaseHTTPRequestHandler]:
    """Routes: /feed.xml (conditional), /pages/*, /mirror/*, /robots.txt, /private/*, /busy/* (429
    once), /slow/* (a page after SLOW seconds)."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def send(
            self,
            status: int,
            body: bytes = b"",
            kind: str = "text/html; charset=utf-8",
            headers: dict[str, str] | None = None,
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            with site.lock:
                site.log.append((self.path, time.monotonic(), dict(self.headers)))
                count = sum(1 for p, _, _ in site.log if p == self.path)
            if self.path == "/feed.xml":
                if self.headers.get("If-None-Match") == ETAG:
                    return self.send(304)
                return self.send(200, feed(site), "application/rss+xml", {"ETag": ETAG, "Last-Modified": LAST_MODIFIED})
            if self.path == "/robots.txt":
                return self.send(200, ROBOTS, "text/plain")
            if self.path == "/pages/seed.txt":
                return self.send(200, SEED.read_bytes(), "text/plain; charset=utf-8")
            if self.path.startswith(("/pages/", "/mirror/", "/private/")):
                return self.send(200, page_html("field_report"))
            if self.path.startswith("/slow/"):
                time.sleep(SLOW)
                return self.send(200, page_html("field_report").replace(b"</body>", self.path.encode() + b"</body>"))
            if self.path.startswith("/busy/"):  # 429 with Retry-After: 1 the first time
                if count == 1:
                    return self.send(429, b"slow down", headers={"Retry-After": "1"})
                return self.send(200, page_html("field_report"))
            return self.send(404, b"not found")

    return Handler


@contextmanager
def serve() -> Iterator[PoliteSite]:
    """Run a ``PoliteSite`` on 127.0.0.1 (a thread) for the duration of the block."""
    with loopback_server(lambda base: PoliteSite(base=base), handler) as site:
        yield site
