"""A local stand-in for the CDN: serves a build folder on 127.0.0.1 with the
headers `sitegen publish` stores (Content-Type, Cache-Control) and gzip for
text, as CloudFront's compression would, so page weight is measured as a
resident would receive it."""
from __future__ import annotations

import gzip
import http.server
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sitegen.publish.headers import headers_for

COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/atom+xml",
                "application/xml", "application/geo+json", "application/manifest+json", "text/calendar")


class CdnHandler(http.server.BaseHTTPRequestHandler):
    """GET and HEAD for files under `root`, /x/ meaning /x/index.html."""

    root: Path

    def log_message(self, format, *args):  # noqa: A002
        pass

    def do_HEAD(self):  # noqa: N802
        self._respond(head=True)

    def do_GET(self):  # noqa: N802
        self._respond(head=False)

    def _respond(self, head: bool) -> None:
        rel = unquote(urlsplit(self.path).path).lstrip("/")
        if rel == "" or rel.endswith("/"):
            rel += "index.html"
        path = (self.root / rel).resolve()
        status = 200
        if self.root.resolve() not in path.parents or not path.is_file():
            status, rel, path = 404, "404.html", self.root / "404.html"
        body = path.read_bytes()
        headers = headers_for(rel)
        self.send_response(status)
        self.send_header("Content-Type", headers.content_type)
        self.send_header("Cache-Control", headers.cache_control)
        if headers.content_type.startswith(COMPRESSIBLE) and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body, compresslevel=9, mtime=0)
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)


def serve_like_cdn(root: Path) -> tuple[str, http.server.ThreadingHTTPServer]:
    """Start a server for ROOT on a free port; returns (base URL, server)."""
    handler = type("Handler", (CdnHandler,), {"root": root})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}", server
