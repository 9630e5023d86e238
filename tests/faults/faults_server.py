"""A loopback HTTP server that misbehaves on purpose, as the session fixture ``faulty``.

Import the fixture into a test module: ``from faults_server import faulty``.
Every misbehaviour is bounded: stalls sleep at most ``STALL`` seconds, bombs are generated
once, in memory, from a few kilobytes of zeros.
"""

from __future__ import annotations

import gzip
import socket
import struct
import threading
import time
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

STALL = 3.0  # seconds a stalling response waits (tests use a 0.5 s read timeout)
BOMB_INFLATED = 1 << 30  # the gzip bomb inflates to 1 GiB
PAGE = (
    b"<html><head><title>Fault page</title></head><body><article><p>Officials said on Monday "
    b"that Russia had lost 700,000 troops since February 2022, and 9,000 tanks.</p>"
    b"<p>The figures could not be verified independently by reporters.</p></article></body></html>"
)


def gzip_bomb(size: int = BOMB_INFLATED) -> bytes:
    """Return a gzip stream of ``size`` zero bytes (about 1 MB per GiB), built chunk by chunk."""
    packer, block = zlib.compressobj(9, zlib.DEFLATED, 31), bytes(1 << 20)
    parts = [packer.compress(block) for _ in range(size >> 20)]
    return b"".join(parts) + packer.flush()


class FaultHandler(BaseHTTPRequestHandler):
    """``/ok``, ``/status/<n>``, ``/retry-after``, ``/stall``, ``/reset``, ``/loop``, ``/to-file``,
    ``/bomb``, ``/png-as-html``, ``/short-length``, ``/huge-length``."""

    protocol_version = "HTTP/1.1"
    bomb = b""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def head(self, status: int, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()

    def send(
        self, status: int, body: bytes = b"", content_type: str = "text/html; charset=utf-8", **extra: str
    ) -> None:
        self.head(
            status,
            {
                "Content-Type": content_type,
                "Content-Length": str(len(body)),
                **{k.replace("_", "-"): v for k, v in extra.items()},
            },
        )
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        if path.startswith("/status/"):
            return self.send(int(path.rsplit("/", 1)[1]), b"status page")
        handler = getattr(self, "_" + path.strip("/").replace("-", "_"), None)
        return handler() if handler else self.send(404, b"not found")

    def _ok(self) -> None:
        self.send(200, PAGE)

    def _retry_after(self) -> None:
        self.send(429, b"slow down", Retry_After="1")

    def _stall(self) -> None:
        self.head(200, {"Content-Type": "text/html", "Content-Length": str(len(PAGE) * 2)})
        self.wfile.write(PAGE)
        self.wfile.flush()
        time.sleep(STALL)

    def _reset(self) -> None:
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    def _loop(self) -> None:
        self.send(302, b"", Location="/loop")

    def _to_file(self) -> None:
        self.send(302, b"", Location="file:///etc/passwd")

    def _bomb(self) -> None:
        self.send(200, FaultHandler.bomb, Content_Encoding="gzip")

    def _png_as_html(self) -> None:
        self.send(200, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))

    def _short_length(self) -> None:  # promises more than it sends, then hangs up
        self.head(200, {"Content-Type": "text/html", "Content-Length": str(len(PAGE) + 5000)})
        self.wfile.write(PAGE)
        self.close_connection = True

    def _huge_length(self) -> None:  # claims 50 GB
        self.head(200, {"Content-Type": "text/html", "Content-Length": str(50 * 10**9)})
        self.wfile.write(PAGE)
        self.close_connection = True

    def _gz_page(self) -> None:
        self.send(200, gzip.compress(PAGE), Content_Encoding="gzip")


class QuietServer(ThreadingHTTPServer):
    """A threading server that does not print the connections its handlers reset on purpose."""

    daemon_threads = True
    request_queue_size = 128  # the default backlog of 5 drops concurrent connects

    def handle_error(self, request: object, client_address: object) -> None:
        pass


@pytest.fixture(scope="session")
def faulty() -> Iterator[str]:
    """Base URL of a misbehaving HTTP server on 127.0.0.1 (a thread)."""
    FaultHandler.bomb = gzip_bomb()
    server = QuietServer(("127.0.0.1", 0), FaultHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
