"""The WSGI door: any WSGI server in front of the core, plus a per-client rate
limit, and `make_wsgi_server()` for local use (wsgiref, a thread per request).
Production runs the Lambda handler instead; see docs/intake.md.

The request line and headers must arrive within a total deadline (10 s, then
408; sitegen/localserver.py).  The body is read only after they pass (route, form,
content type, Content-Length within the limit), never more than the limit, and
within a total deadline (`body_timeout_seconds`): a body that stalls or ends
before its Content-Length is refused with 400.  Whatever goes wrong, the app
answers with a status, never an exception for the server to print.
"""
from __future__ import annotations

import socketserver
import threading
import time
from collections.abc import Callable, Iterable
from wsgiref.simple_server import ServerHandler, WSGIRequestHandler, WSGIServer, make_server

from ..localserver import BoundedRequestMixin, PrivateHandlerMixin, PrivateServerMixin, log_failure
from .core import BadLength, Receiver, Request, declared_length
from .ratelimit import RateLimiter
from .responses import Response

CHUNK = 64 * 1024
# environ key of a callable(seconds | None) that bounds each socket read (None: the server's usual timeout)
READ_TIMEOUT_KEY = "sitegen.set_read_timeout"


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
        """The Response to the request in ENVIRON: 500 for a bug, never an exception."""
        request = request_from_environ(environ)
        try:
            return self._respond(environ, request)
        except Exception as exc:  # noqa: BLE001 - a server would print its traceback, which may hold answers
            return self.receiver.failed(request, exc)

    def _respond(self, environ: dict, request: Request) -> Response:
        if request.method == "POST":
            wait = self.limiter.wait_seconds(request.client)
            if wait:
                return self.receiver.rate_limited(request, wait)
        early = self.receiver.precheck(request)   # everything but POST to a known form ends here
        if early is not None:
            return early
        settings = self.receiver.settings
        try:
            body = read_body(environ, settings.max_body_bytes, settings.body_timeout_seconds)
        except BodyTooLarge:
            return self.receiver.too_large(request)
        except LengthRequired:
            return self.receiver.length_required(request)
        except BodyIncomplete:
            return self.receiver.incomplete(request)
        return self.receiver.handle(Request(request.method, request.path, request.headers, body,
                                            request.client))


class BodyTooLarge(Exception):
    """The body is longer than the limit (found from Content-Length or while reading)."""


class LengthRequired(Exception):
    """No Content-Length and a server that does not mark the end of the body."""


class BodyIncomplete(Exception):
    """The body ended, broke off or stalled past the deadline before all of it arrived."""


def request_from_environ(environ: dict) -> Request:
    """The method, path, headers and client address of a WSGI request (no body yet)."""
    headers = {key[5:].replace("_", "-").lower(): value for key, value in environ.items()
               if key.startswith("HTTP_")}
    for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if environ.get(key):
            headers[key.replace("_", "-").lower()] = environ[key]
    return Request(environ.get("REQUEST_METHOD", "GET").upper(), environ.get("PATH_INFO", "") or "/", headers,
                   b"", environ.get("REMOTE_ADDR", ""))


def read_body(environ: dict, limit: int, seconds: float) -> bytes:
    """The body, at most LIMIT bytes, all of it within SECONDS.

    BodyTooLarge when longer than LIMIT, LengthRequired when its length is unknown, BodyIncomplete
    when it is shorter than its Content-Length, the connection fails, or SECONDS pass first.  Each
    read is bounded by the time left when the server offers READ_TIMEOUT_KEY (make_wsgi_server
    does); other servers' reads are bounded by their own timeouts, and the deadline is checked
    between reads.
    """
    try:
        length = declared_length(environ.get("CONTENT_LENGTH") or "")
    except BadLength:
        raise BodyIncomplete() from None   # the core refuses these before reading; never guess a length
    if length is None and not environ.get("wsgi.input_terminated"):
        raise LengthRequired()
    if length is not None and length > limit:
        raise BodyTooLarge()
    reader = _DeadlineReader(environ, seconds)
    try:
        body = reader.read(limit + 1 if length is None else length)
    finally:
        reader.close()
    if len(body) > limit:
        raise BodyTooLarge()
    if length is not None and len(body) < length:
        raise BodyIncomplete()
    return body


class _DeadlineReader:
    """Reads wsgi.input until a byte count or the end, within a total deadline."""

    def __init__(self, environ: dict, seconds: float):
        stream = environ["wsgi.input"]
        self.read_some = getattr(stream, "read1", stream.read)   # read1: one socket read at most
        self.set_timeout = environ.get(READ_TIMEOUT_KEY)
        self.deadline = time.monotonic() + seconds

    def read(self, most: int) -> bytes:
        """Up to MOST bytes, fewer when the body ends; BodyIncomplete on a timeout or a broken connection."""
        parts, size = [], 0
        while size < most:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise BodyIncomplete()
            try:
                if self.set_timeout:
                    self.set_timeout(left)
                chunk = self.read_some(min(CHUNK, most - size))
            except OSError:   # TimeoutError included: the client stalled, reset or went away
                raise BodyIncomplete() from None
            if not chunk:
                break
            parts.append(chunk)
            size += len(chunk)
        return b"".join(parts)

    def close(self) -> None:
        """Give the connection back its usual timeout (for writing the answer)."""
        if self.set_timeout:
            self.set_timeout(None)


class ThreadingWSGIServer(PrivateServerMixin, socketserver.ThreadingMixIn, WSGIServer):
    """wsgiref's server with a thread per request and a deep listen queue; a failed request is
    logged without the client's address or a traceback."""

    daemon_threads = True
    request_queue_size = 256


class _PrivateServerHandler(ServerHandler):
    """wsgiref's per-request handler, logging a failure in one line instead of a traceback."""

    request_handler: WSGIRequestHandler | None = None   # set as wsgiref's own handle() does

    def log_exception(self, exc_info) -> None:
        log_failure(exc_info[1])


class QuietHandler(PrivateHandlerMixin, BoundedRequestMixin, WSGIRequestHandler):
    """No access log (the receiver logs its own lines, without answers or addresses); the request line
    and headers must arrive within a total deadline (BoundedRequestMixin.head_seconds, then 408), each
    socket read or write within `timeout`; the body reader bounds its reads by the body deadline
    (READ_TIMEOUT_KEY)."""

    def get_environ(self) -> dict:
        environ = super().get_environ()
        environ[READ_TIMEOUT_KEY] = self._set_read_timeout
        lengths = self.headers.get_all("content-length") or []
        # wsgiref keeps the first; all of them, so the receiver refuses the request (400).
        if len(lengths) > 1:
            environ["CONTENT_LENGTH"] = ", ".join(lengths)
        return environ

    def _set_read_timeout(self, seconds: float | None) -> None:
        self.connection.settimeout(self.timeout if seconds is None else max(seconds, 0.001))

    def handle(self) -> None:
        """wsgiref's handle(), with the head read within its deadline and _PrivateServerHandler in place
        of ServerHandler."""
        if not self.read_head():   # nothing to answer, or an error status has been sent
            return
        # typeshed types rfile as BufferedIOBase and ServerHandler's stdin as IO[bytes];
        # wsgiref passes it so too.
        handler = _PrivateServerHandler(self.rfile, self.wfile, self.get_stderr(),  # type: ignore[arg-type]
                                        self.get_environ(), multithread=False)
        handler.request_handler = self
        assert isinstance(self.server, WSGIServer), "a QuietHandler serves a ThreadingWSGIServer"
        app = self.server.get_app()
        assert app is not None, "make_wsgi_server sets the app"
        handler.run(app)


def make_wsgi_server(app: IntakeApp, host: str = "127.0.0.1", port: int = 0) -> ThreadingWSGIServer:
    """A threading wsgiref server for APP on HOST:PORT (0: a free port)."""
    return make_server(host, port, app, server_class=ThreadingWSGIServer, handler_class=QuietHandler)


def serve_in_thread(app: IntakeApp, host: str = "127.0.0.1",
                    port: int = 0) -> tuple[ThreadingWSGIServer, str]:
    """Start APP in a daemon thread; (server, 'http://host:port'). Stop with server.shutdown()."""
    server = make_wsgi_server(app, host, port)
    threading.Thread(target=server.serve_forever, daemon=True, name="sitegen-intake").start()
    return server, f"http://{host}:{server.server_address[1]}"
