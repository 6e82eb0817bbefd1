"""A real HTTP server on 127.0.0.1 for the feed tests, and the feeds it serves.

Each path answers as its `Route` says: a status, headers and body, after an
optional delay, with ETag-based 304s when the route has an ETag.  Every
request is recorded (path and headers) so tests can see what the client sent.
"""
from __future__ import annotations

import ipaddress
import ssl
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest


@dataclass
class Route:
    """How one path answers."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    etag: str = ""                 # when set, sent, and a matching If-None-Match gets 304
    send_length: bool = True       # False: no Content-Length, the body ends when the connection closes
    content_type: str = "application/rss+xml; charset=utf-8"
    drip: float = 0.0              # when set, the body goes out one byte at a time, this many seconds apart
    drip_head: bool = False        # drip the status line and headers too
    status_line: str = ""          # sent as it is instead of "HTTP/1.0 <status> <reason>" (hostile servers)


@dataclass(frozen=True)
class Seen:
    """One request the server received."""

    path: str
    headers: dict[str, str]
    at: float


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def handle_error(self, request, client_address) -> None:
        """Clients hanging up on slow or huge answers are expected here: stay quiet."""


class FeedServer:
    """A threaded HTTP server on 127.0.0.1 with a route table."""

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Seen] = []
        self._lock = threading.Lock()
        self._httpd = _Server(("127.0.0.1", 0), _handler_for(self))
        if tls is not None:
            self._httpd.socket = tls.wrap_socket(self._httpd.socket, server_side=True)
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)

    def start(self) -> FeedServer:
        """Serve in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self._httpd.shutdown()
        self._httpd.server_close()

    def url(self, path: str) -> str:
        """The full URL of PATH on this server."""
        return f"http://127.0.0.1:{self.port}{path}"

    def add(self, path: str, **route) -> str:
        """Serve PATH as Route(**route); returns its URL."""
        self.routes[path] = Route(**route)
        return self.url(path)

    def seen(self, path: str) -> list[Seen]:
        """Requests received for PATH, oldest first."""
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def record(self, seen: Seen) -> None:
        """Note a request (called by the handler)."""
        with self._lock:
            self.requests.append(seen)


def _handler_for(server: FeedServer):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            server.record(Seen(self.path, {k.lower(): v for k, v in self.headers.items()}, time.monotonic()))
            route = server.routes.get(self.path, Route(status=404, body=b"not found", content_type="text/plain"))
            if route.delay:
                time.sleep(route.delay)
            if route.etag and self.headers.get("If-None-Match") == route.etag:
                self._answer(304, b"", route, length=False)
            else:
                self._answer(route.status, route.body, route, length=route.send_length)

        def _answer(self, status: int, body: bytes, route: Route, length: bool) -> None:
            head = self._head(status, route, len(body) if length else None)
            if route.drip and route.drip_head:
                self._drip(head, route.drip)
            else:
                self.wfile.write(head)
            if body and route.drip:
                self._drip(body, route.drip)
            elif body:
                self.wfile.write(body)

        def _head(self, status: int, route: Route, length: int | None) -> bytes:
            """The status line and headers, as bytes (latin-1: hostile values go out as given)."""
            lines = [route.status_line or f"HTTP/1.0 {status} {self.responses.get(status, ('',))[0]}",
                     f"Content-Type: {route.content_type}"]
            if route.etag:
                lines.append(f"ETag: {route.etag}")
            lines += [f"{name}: {value}" for name, value in route.headers.items()]
            if length is not None:
                lines.append(f"Content-Length: {length}")
            return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

        def _drip(self, body: bytes, pause: float) -> None:
            for byte in body:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(pause)

        def log_message(self, format, *args) -> None:  # noqa: A002
            """Quiet."""

    return Handler


@pytest.fixture
def feed_server():
    """A FeedServer on 127.0.0.1, stopped after the test."""
    server = FeedServer().start()
    yield server
    server.stop()


# --- feeds ------------------------------------------------------------------------------------

def rss(title: str = "Abbey SNT", items: list[tuple[str, str, str, str]] | None = None) -> bytes:
    """An RSS 2.0 feed; ITEMS are (title, link, RFC 822 date, description as escaped XML)."""
    items = items if items is not None else [
        (f"Patrol update {n}", f"https://news.example/abbey/{n}", format_datetime(datetime(2026, 11, n, 10, tzinfo=UTC)),
         f"&lt;p&gt;Officers were out on patrol, day {n}.&lt;/p&gt;") for n in range(1, 8)]
    body = "".join(f"<item><title>{t}</title><link>{link}</link><pubDate>{d}</pubDate>"
                   f"<description>{desc}</description></item>" for t, link, d, desc in items)
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>https://news.example/abbey</link><description>News</description>{body}</channel></rss>").encode()


HOSTILE_RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Hostile &lt;script&gt;alert('feed')&lt;/script&gt;</title><link>javascript:alert(1)</link>
<description>x</description>
<item><title>Scripted &lt;b onmouseover="alert(2)"&gt;post&lt;/b&gt;</title><link>javascript:alert(3)</link>
<pubDate>Tue, 10 Nov 2026 09:00:00 +0000</pubDate>
<description>&lt;p onclick="alert(4)"&gt;Hello&lt;script&gt;alert(5)&lt;/script&gt;&lt;style&gt;body{display:none}&lt;/style&gt;
&lt;iframe src="https://evil.example/frame"&gt;&lt;/iframe&gt;&lt;img src="https://evil.example/pixel.gif" onerror="alert(6)"&gt;
&lt;a href="javascript:alert(7)"&gt;js link&lt;/a&gt; &lt;a href="data:text/html;base64,PHNjcmlwdD5hbGVydCg4KTwvc2NyaXB0Pg=="&gt;data link&lt;/a&gt;
&lt;a href=" jAvAsCrIpT:alert(9)"&gt;spaced&lt;/a&gt; &lt;a href="/relative/ok"&gt;relative&lt;/a&gt;
&lt;svg onload="alert(10)"&gt;&lt;script&gt;alert(11)&lt;/script&gt;&lt;/svg&gt;&lt;object data="x.swf"&gt;&lt;/object&gt;
&lt;form action="https://evil.example/"&gt;&lt;input name="q"&gt;&lt;/form&gt;&lt;/p&gt;</description></item>
<item><title>Data link post</title><link>data:text/html,&lt;script&gt;alert(12)&lt;/script&gt;</link>
<pubDate>Mon, 09 Nov 2026 09:00:00 +0000</pubDate><description>Plain words</description></item>
</channel></rss>"""

ATOM_TEXT_WITH_MARKUP = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title type="text">Abbey &lt;i&gt;team&lt;/i&gt;</title>
<link href="https://news.example/abbey"/><id>urn:x</id><updated>2026-11-10T09:00:00Z</updated>
<entry><title type="text">&lt;script&gt;alert("title")&lt;/script&gt; Tips &amp;amp; advice</title>
<link href="https://news.example/abbey/tips"/><id>urn:1</id><updated>2026-11-10T09:00:00Z</updated>
<summary type="text">Use &lt;b&gt;locks&lt;/b&gt; &amp; lights</summary></entry>
</feed>"""

ENTITY_BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
<!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">]>
<rss version="2.0"><channel><title>&h;</title><item><title>&h;</title></item></channel></rss>"""

INVALID_XML = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Broken</title>
<item><title>Half a post</title><link>https://news.example/half</link></item><item><title>cut"""

HTML_PAGE = b"""<!DOCTYPE html><html lang="en"><head><title>Abbey police</title></head>
<body><h1>Welcome</h1><p>This is a web page, not a feed.</p></body></html>"""


def self_signed_certificate(folder: Path, host: str) -> tuple[Path, Path]:
    """A self-signed certificate and key for HOST (a DNS name or an IP address), as
    PEM files in FOLDER: (cert path, key path), valid for a day, for TLS test servers."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    try:
        alt_name: x509.GeneralName = x509.IPAddress(ipaddress.ip_address(host))
    except ValueError:
        alt_name = x509.DNSName(host)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(hours=1))
            .not_valid_after(now + timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([alt_name]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path
