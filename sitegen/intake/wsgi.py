"""The WSGI door: any WSGI server in front of the core, plus a per-client rate
limit, and `make_wsgi_server()` for local use (wsgiref, a thread per request).
Production runs the Lambda handler instead; see docs/intake.md.

The body is read only after the request line and headers pass (route, form,
content type, Content-Length within the limit), and never more than the limit.
"""
from __future__ import annotations

import socketserver
import threading
from typing import Callable, Iterable
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from .core import Receiver, Request
from .ratelimit import RateLimiter
from .responses import Response

CHUNK = 64 * 1024


class IntakeApp:
    """A WSGI application around RECEIVER, limiting each client address with LIMITER."""

    def __init__(self, receiver: Receiver, limiter: RateLimiter | None = None):
        self.receiver = receiver
        settings = receiver.settings
        self.limiter = limiter or RateLimiter(settings.rate_per_minute, settings.rate_burst)

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        response = self.respond(environ)
        start_response(response.status_line, response.headers + [("Content-Length", str(len(response.body)))])
        return [response.body]

    def respond(self, environ: dict) -> Response:
        """The Response to the request in ENVIRON."""
        request = request_from_environ(environ)
        if request.method == "POST":
            wait = self.limiter.wait_seconds(request.client)
            if wait:
                return self.receiver.rate_limited(request, wait)
        early = self.receiver.precheck(request)   # everything but POST to a known form ends here
        if early is not None:
            return early
        try:
            body = read_body(environ, self.receiver.settings.max_body_bytes)
        except BodyTooLarge:
            return self.receiver.too_large(request)
        except LengthRequired:
            return self.receiver.length_required(request)
        return self.receiver.handle(Request(request.method, request.path, request.headers, body, request.client))


class BodyTooLarge(Exception):
    """The body is longer than the limit (found from Content-Length or while reading)."""


class LengthRequired(Exception):
    """No Content-Length and a server that does not mark the end of the body."""


def request_from_environ(environ: dict) -> Request:
    """The method, path, headers and client address of a WSGI request (no body yet)."""
    headers = {key[5:].replace("_", "-").lower(): value for key, value in environ.items() if key.startswith("HTTP_")}
    for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if environ.get(key):
            headers[key.replace("_", "-").lower()] = environ[key]
    return Request(environ.get("REQUEST_METHOD", "GET").upper(), environ.get("PATH_INFO", "") or "/", headers,
                   b"", environ.get("REMOTE_ADDR", ""))


def read_body(environ: dict, limit: int) -> bytes:
    """The body, reading at most LIMIT bytes; BodyTooLarge when longer, LengthRequired when unknown."""
    stream = environ["wsgi.input"]
    length = (environ.get("CONTENT_LENGTH") or "").strip()
    if not length:
        if not environ.get("wsgi.input_terminated"):
            raise LengthRequired()
        return _read_until_end(stream, limit)
    remaining = int(length)
    if remaining > limit:
        raise BodyTooLarge()
    parts = []
    while remaining > 0:
        chunk = stream.read(min(CHUNK, remaining))
        if not chunk:
            break
        parts.append(chunk)
        remaining -= len(chunk)
    return b"".join(parts)


def _read_until_end(stream, limit: int) -> bytes:
    parts, size = [], 0
    while True:
        chunk = stream.read(CHUNK)
        if not chunk:
            return b"".join(parts)
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge()
        parts.append(chunk)


class ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    """wsgiref's server with a thread per request and a deep listen queue."""

    daemon_threads = True
    request_queue_size = 256


class QuietHandler(WSGIRequestHandler):
    """No access log on stderr (the receiver logs its own lines, without answers); slow clients time out."""

    timeout = 30

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - stdlib's name
        pass


def make_wsgi_server(app: IntakeApp, host: str = "127.0.0.1", port: int = 0) -> ThreadingWSGIServer:
    """A threading wsgiref server for APP on HOST:PORT (0: a free port)."""
    return make_server(host, port, app, server_class=ThreadingWSGIServer, handler_class=QuietHandler)


def serve_in_thread(app: IntakeApp, host: str = "127.0.0.1", port: int = 0) -> tuple[ThreadingWSGIServer, str]:
    """Start APP in a daemon thread; (server, 'http://host:port'). Stop with server.shutdown()."""
    server = make_wsgi_server(app, host, port)
    threading.Thread(target=server.serve_forever, daemon=True, name="sitegen-intake").start()
    return server, f"http://{host}:{server.server_address[1]}"
