"""Loopback servers that log every request: canaries that prove a refused fetch sent nothing,
robots.txt and redirects for per-hop checks, a server that drips its body, and HTTPS.

``serve(host)`` runs one on ``host`` (``127.0.0.1`` or ``127.0.0.2``: Linux routes all of
127/8 to the loopback interface) for the block and yields it. Routes: ``/robots.txt``
(``Disallow: /private/``), ``/page``, ``/private/...``, ``/go?to=URL`` (302 to URL),
``/slow-go?to=URL`` (the same after ``SLOW`` seconds), ``/drip`` (one byte every ``DRIP``
seconds, never done), ``/feed?n=N`` (an RSS feed of N items) linking to ``/slow/<i>`` (a page
of its own after ``SLOW`` seconds).
"""

from __future__ import annotations

import datetime
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from conftest import running

PAGE = (
    b"<html><head><title>Canary</title></head><body><article><p>Officials said on Monday that "
    b"Russia had lost 700,000 troops since February 2022, and 9,000 tanks.</p><p>The figures "
    b"could not be verified independently by reporters.</p></article></body></html>"
)
SLOW = 0.4  # seconds /slow-go waits before redirecting
DRIP = 0.1  # seconds between two bytes of /drip


class Canary(ThreadingHTTPServer):
    """A threading HTTP server that records the path of every request it receives."""

    daemon_threads = True

    def __init__(self, host: str) -> None:
        super().__init__((host, 0), Handler)
        self.paths: list[str] = []
        self.lock = threading.Lock()
        self.scheme = "http"

    def url(self, path: str) -> str:
        return f"{self.scheme}://{self.server_address[0]}:{self.server_address[1]}{path}"

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that gives up on /drip is expected


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Canary

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send(self, status: int, body: bytes = b"", **headers: str) -> None:
        self.send_response(status)
        for name, value in {"Content-Type": "text/html", "Content-Length": str(len(body)), **headers}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        with self.server.lock:
            self.server.paths.append(self.path)
        path, query = urlsplit(self.path).path, parse_qs(urlsplit(self.path).query)
        if path == "/robots.txt":
            return self.send(200, b"User-agent: *\nDisallow: /private/\n", **{"Content-Type": "text/plain"})
        if path in ("/go", "/slow-go"):
            time.sleep(SLOW if path == "/slow-go" else 0)
            return self.send(302, Location=query["to"][0])
        if path == "/drip":
            return self.drip()
        if path == "/feed":
            return self.send(200, self.feed(int(query["n"][0])), **{"Content-Type": "application/rss+xml"})
        if path.startswith("/slow/"):
            time.sleep(SLOW)
            return self.send(200, PAGE.replace(b"</article>", f"<p>Page {path}.</p></article>".encode()))
        return self.send(200, PAGE)

    def feed(self, items: int) -> bytes:
        links = "".join(
            f"<item><title>{i}</title><link>{self.server.url(f'/slow/{i}')}</link></item>" for i in range(items)
        )
        return f'<?xml version="1.0"?><rss version="2.0"><channel><title>slow</title>{links}</channel></rss>'.encode()

    def drip(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", "100000")
        self.end_headers()
        for _ in range(100_000):
            self.wfile.write(b" ")
            self.wfile.flush()
            time.sleep(DRIP)


@contextmanager
def serve(host: str = "127.0.0.1", tls: ssl.SSLContext | None = None) -> Iterator[Canary]:
    """A ``Canary`` on ``host`` (HTTPS with ``tls``) in a thread, for the block."""
    server = Canary(host)
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
        server.scheme = "https"
    with running(server):
        yield server


def self_signed(folder: Path) -> tuple[ssl.SSLContext, Path]:
    """A server TLS context with a new self-signed certificate for localhost and 127.0.0.1, and
    the certificate's file (for a client to trust through ``SSL_CERT_FILE``)."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    names = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    return context, cert_file
