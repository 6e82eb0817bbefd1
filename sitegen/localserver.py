"""What the local HTTP servers (`sitegen serve`, `sitegen intake serve`, `make
serve`) print about their clients: nothing that names them.

The standard library's servers print the client's address with every request
line, and with a traceback whenever a request fails: a client that stalls
part-way through its headers, resets the connection or sends garbage.  These
mixins replace both: client-side failures are silent, and a failure inside the
server is one line naming only the exception's type (its message and
traceback could quote the request, an answer or the address).
"""
from __future__ import annotations

import http.server
import logging
import sys

LOG = logging.getLogger("sitegen.server")


class PrivateServerMixin:
    """For socketserver servers: a failed request is logged without the client's address or a traceback."""

    def handle_error(self, request, client_address) -> None:  # noqa: ARG002 - socketserver's signature
        """Log the exception being handled in one line: its type only."""
        log_failure(sys.exc_info()[1])


class PrivateHandlerMixin:
    """For http.server request handlers: no access log (it names the client and quotes the request line)."""

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - stdlib's name
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
