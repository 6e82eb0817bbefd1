"""What the local HTTP servers (`sitegen serve`, `sitegen intake serve`, `make
serve`) print about their clients (nothing that names them), how long they wait
for one (a bounded total), and what they say when they cannot listen.

The standard library's servers print the client's address with every request
line, and with a traceback whenever a request fails: a client that stalls
part-way through its headers, resets the connection or sends garbage.  These
mixins replace both: client-side failures are silent, and a failure inside the
server is one line naming only the exception's type (its message and
traceback could quote the request, an answer or the address).

A socket timeout bounds each read, not a request: a client dripping one byte
a second never trips it.  `BoundedRequestMixin` gives the request line and
headers one total deadline (`head_seconds`), enforced by the shared deadline
thread of sitegen.feeds.deadlines, which shuts the connection for reading when
it passes; the client gets 408 and the connection is closed.
"""
from __future__ import annotations

import http.server
import logging
import socket
import sys
import threading
import time
from collections.abc import Callable
from http import HTTPStatus
from typing import TYPE_CHECKING, ClassVar, TypeVar

from .errors import EXIT_USAGE, Problem, SitegenError
from .feeds.deadlines import DEADLINES

LOG = logging.getLogger("sitegen.server")
HEAD_SECONDS = 10.0      # total wait for a request line and its headers
SOCKET_SECONDS = 30.0    # any single read or write on a client's connection
MAX_REQUEST_LINE = 65536
Server = TypeVar("Server")


class PrivateServerMixin:
    """For socketserver servers: a failed request is logged without the client's address or a traceback."""

    def handle_error(self, request, client_address) -> None:
        """Log the exception being handled in one line: its type only."""
        log_failure(sys.exc_info()[1])


class PrivateHandlerMixin:
    """For http.server request handlers: no access log (it names the client and quotes the request line)."""

    def log_message(self, format: str, *args) -> None:
        pass


def log_failure(exc: BaseException | None) -> None:
    """One log line for EXC, which ended a request: debug for a client that went away or timed out
    (OSError: routine), a warning for anything else (a bug); never the message, address or traceback."""
    if exc is None:
        return
    if isinstance(exc, OSError):
        LOG.debug("local server: connection ended early (%s)", type(exc).__name__)
    else:
        LOG.warning("local server: a request failed with %s", type(exc).__name__)


class PrivateThreadingHTTPServer(PrivateServerMixin, http.server.ThreadingHTTPServer):
    """http.server's threading server, keeping clients out of its output."""


class _HeadCutoff:
    """Shuts CONNECTION for reading if the request head is still being read at the deadline."""

    def __init__(self, connection: socket.socket):
        self.connection = connection
        self.expired = False
        self._finished = False
        self._lock = threading.Lock()

    def expire(self) -> None:
        """Called by the deadline thread: wake the blocked read (it sees the end of the stream)."""
        with self._lock:
            if self._finished:
                return
            self.expired = True
            try:
                self.connection.shutdown(socket.SHUT_RD)
            except OSError:
                pass   # the client has already gone

    def finish(self) -> bool:
        """The head has been read (or given up on); whether the deadline cut it off."""
        with self._lock:
            self._finished = True
            return self.expired


if TYPE_CHECKING:  # the mixin uses the handler's socket, files and error pages
    _HandlerBase = http.server.BaseHTTPRequestHandler
else:
    _HandlerBase = object


class BoundedRequestMixin(_HandlerBase):
    """For http.server request handlers: the request line and headers must arrive within
    `head_seconds` in total (else 408 and the connection closes), and every socket read or
    write within `timeout` seconds.  Both are class attributes, so a test can shorten them."""

    timeout: ClassVar[float | None] = SOCKET_SECONDS
    head_seconds: ClassVar[float] = HEAD_SECONDS

    def read_head(self) -> bool:
        """Read and parse the request line and headers within the deadline.

        True when a request is ready to answer.  False when there is none: the client sent
        nothing or went away, the deadline passed (408 sent), or the request was malformed
        (its error status sent).
        """
        cutoff = _HeadCutoff(self.connection)
        token = DEADLINES.schedule(time.monotonic() + self.head_seconds, cutoff.expire)
        try:
            parsed = self._read_and_parse(cutoff)
        finally:
            DEADLINES.cancel(token)
            expired = cutoff.finish()
        if expired and parsed is not False:   # False: parse_request has already answered
            self._refuse_late()
            return False
        return bool(parsed)

    def _read_and_parse(self, cutoff: _HeadCutoff) -> bool | None:
        """parse_request()'s verdict; None when no request line arrived in time (no answer sent yet)."""
        self.raw_requestline = self.rfile.readline(MAX_REQUEST_LINE + 1)
        if len(self.raw_requestline) > MAX_REQUEST_LINE:
            self._blank_request()
            self.send_error(HTTPStatus.REQUEST_URI_TOO_LONG)
            return False
        if not self.raw_requestline or cutoff.expired:   # the client went away, or the line was cut off
            self.close_connection = True
            return None
        return self.parse_request()

    def _refuse_late(self) -> None:
        self.close_connection = True
        if not getattr(self, "command", None):
            self._blank_request()
        try:
            self.send_error(HTTPStatus.REQUEST_TIMEOUT,
                            explain="The request line and headers took too long to arrive.")
        except OSError:
            pass   # the client has gone too

    def _blank_request(self) -> None:
        self.requestline, self.request_version, self.command = "", "", ""

    def handle_one_request(self) -> None:
        """http.server's loop step, with the head read by read_head()."""
        try:
            if not self.read_head():
                self.close_connection = True
                return
            method = getattr(self, f"do_{self.command}", None)
            if method is None:
                self.send_error(HTTPStatus.NOT_IMPLEMENTED, "Unsupported method")
                return
            method()
            self.wfile.flush()
        except TimeoutError:   # a single read or write stalled past `timeout`
            self.close_connection = True


def listen(make_server: Callable[[], Server], host: str, port: int,
           advice: str = "stop what uses the port, or pass another --port or --host") -> Server:
    """MAKE_SERVER() (which binds HOST:PORT).

    SitegenError with exit 2 (a usage problem: the command line asked for a place
    it cannot have, so choose another --port or --host; 1 is kept for wrong site
    input) when it cannot listen there: 'HOST:PORT: cannot listen here (REASON); ADVICE'.
    """
    try:
        return make_server()
    except OSError as exc:   # the port is taken, needs privileges, or HOST is not this machine's
        reason = exc.strerror or type(exc).__name__
        raise SitegenError([Problem(f"{host}:{port}", 0, 0, f"cannot listen here ({reason}); {advice}")],
                           exit_code=EXIT_USAGE) from None


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    """Whether PORT on HOST can be listened on now, asked as the servers listen (SO_REUSEADDR,
    their allow_reuse_address): a port left in TIME_WAIT by a server just stopped is free."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True
