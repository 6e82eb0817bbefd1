"""One HTTP GET of a feed, with every limit a hostile server needs.

http and https only; the host resolved and checked (see `addresses`) before
every connection, redirects included; the connection pinned to the checked
address; a connect timeout, a read timeout on every socket operation and a hard
deadline for the whole fetch; the size cap enforced while the body streams in;
the body read only for a 200.  Interpreting the status (304, 410, 5xx...) is
the caller's job: this module only moves bytes.
"""
from __future__ import annotations

import functools
import http.client
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote, urljoin, urlsplit

from .addresses import AddressRefused, Resolver, checked_addresses, system_resolver
from .deadlines import DEADLINES

REDIRECTS = frozenset({301, 302, 303, 307, 308})
BODY_STATUSES = frozenset({200, 203})
CHUNK = 64 * 1024
ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"
KEPT_HEADERS = ("etag", "last-modified", "retry-after", "content-type", "location",
                "content-length", "content-encoding")

_VISIBLE_ASCII = "".join(chr(code) for code in range(0x21, 0x7F))  # left as they are in a request path

Connector = Callable[[str, int, float], socket.socket]


class FetchError(Exception):
    """The fetch failed before a usable HTTP response: timeout, refused address, too big..."""


def plain_connect(address: str, port: int, timeout: float) -> socket.socket:
    """A TCP connection to ADDRESS:PORT (an IP address, never a name)."""
    return socket.create_connection((address, port), timeout=timeout)


@dataclass(frozen=True)
class Network:
    """How names are resolved and connections made; tests replace these."""

    resolve: Resolver = system_resolver
    connect: Connector = plain_connect
    ssl_context: ssl.SSLContext | None = None

    def tls(self) -> ssl.SSLContext:
        """The TLS context: the given one, or the system's default verification."""
        return self.ssl_context or _default_tls()


@functools.lru_cache(maxsize=1)
def _default_tls() -> ssl.SSLContext:
    return ssl.create_default_context()


@dataclass(frozen=True)
class Limits:
    """The bounds of one fetch."""

    connect_timeout: float = 5
    read_timeout: float = 10
    max_bytes: int = 2 * 1024 * 1024
    max_redirects: int = 3
    allow_private: bool = False

    @property
    def deadline_seconds(self) -> float:
        """The whole fetch, redirects included, must end within this."""
        return self.connect_timeout + self.read_timeout

    @classmethod
    def from_settings(cls, settings) -> Limits:
        """Limits from site.yaml's FeedSettings."""
        return cls(settings.connect_timeout, settings.read_timeout, settings.max_bytes,
                   settings.max_redirects, settings.allow_private_hosts)


@dataclass(frozen=True)
class Request:
    """What to fetch, with the validators of the copy we already hold."""

    url: str
    user_agent: str
    etag: str = ""
    last_modified: str = ""

    def headers(self) -> dict[str, str]:
        """Request headers, conditional when we hold validators."""
        headers = {"User-Agent": self.user_agent, "Accept": ACCEPT, "Accept-Encoding": "identity"}
        if header_safe(self.etag):
            headers["If-None-Match"] = self.etag
        if header_safe(self.last_modified):
            headers["If-Modified-Since"] = self.last_modified
        return headers


def header_safe(value: str) -> bool:
    """True for a short, printable ASCII value: a validator we can send back as it came."""
    return 0 < len(value) <= 512 and all(" " <= ch <= "~" for ch in value)


@dataclass(frozen=True)
class Response:
    """The final response after redirects; BODY is empty unless the status is 200."""

    status: int
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


@dataclass(frozen=True)
class _Target:
    scheme: str
    host: str
    port: int
    path: str
    url: str


def parse_target(url: str) -> _Target:
    """Split URL into what a connection needs; refuse anything but plain http(s)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise FetchError(f"not a valid URL: {exc}") from None
    if parts.scheme not in ("http", "https"):
        raise FetchError(f"refused: only http and https URLs are fetched, not '{parts.scheme}:'")
    if not parts.hostname or parts.username is not None or parts.password is not None:
        raise FetchError("refused: the URL needs a host name and no user name or password")
    host = _ascii_host(parts.hostname)
    path = quote((parts.path or "/") + (f"?{parts.query}" if parts.query else ""), safe=_VISIBLE_ASCII)
    return _Target(parts.scheme, host, port or (443 if parts.scheme == "https" else 80), path, url.strip())


def _ascii_host(host: str) -> str:
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        raise FetchError(f"not a valid host name: {host!r}") from None


def fetch(request: Request, limits: Limits, network: Network = Network()) -> Response:
    """GET REQUEST.url, following at most limits.max_redirects redirects.

    Returns the final response (any status); raises FetchError when no usable
    response came back in time, the body is too big, or an address is refused.
    """
    deadline = time.monotonic() + limits.deadline_seconds
    url = request.url
    for _ in range(limits.max_redirects + 1):
        response = _exchange(parse_target(url), request.headers(), limits, network, deadline)
        if response.status not in REDIRECTS:
            return response
        url = _redirect_target(url, response)
    raise FetchError(f"more than {limits.max_redirects} redirects (last to {url})")


def _redirect_target(url: str, response: Response) -> str:
    location = response.headers.get("location", "").strip()
    if not location:
        raise FetchError(f"HTTP {response.status} redirect without a Location header")
    return urljoin(url, location)


def _exchange(target: _Target, headers: dict[str, str], limits: Limits, network: Network,
              deadline: float) -> Response:
    """One request and response on a fresh connection, bounded by DEADLINE."""
    try:
        addresses = checked_addresses(target.host, target.port, network.resolve, limits.allow_private)
    except AddressRefused as exc:
        raise FetchError(str(exc)) from None
    except OSError as exc:
        raise FetchError(f"could not resolve {target.host}: {_reason(exc)}") from None
    conn = _PinnedConnection(target, addresses, limits, network, deadline)
    watch = DEADLINES.schedule(deadline, conn.abort)
    try:
        return _request(conn, target, headers, limits)
    except (OSError, http.client.HTTPException) as exc:
        if conn.aborted or time.monotonic() >= deadline:
            raise FetchError(f"took longer than {limits.deadline_seconds:g} seconds") from None
        raise FetchError(_transport_message(exc, limits)) from None
    finally:
        DEADLINES.cancel(watch)
        conn.close()


def _request(conn: _PinnedConnection, target: _Target, headers: dict[str, str], limits: Limits) -> Response:
    conn.request("GET", target.path, headers=headers)
    resp = conn.getresponse()
    kept = {name: resp.headers.get(name, "") for name in KEPT_HEADERS if resp.headers.get(name)}
    body = _read_body(resp, conn, kept, limits) if resp.status in BODY_STATUSES else b""
    return Response(resp.status, target.url, kept, body)


def _read_body(resp: http.client.HTTPResponse, conn: _PinnedConnection, headers: dict[str, str],
               limits: Limits) -> bytes:
    """The body, refused as soon as it grows past limits.max_bytes."""
    encoding = headers.get("content-encoding", "identity").strip().lower()
    if encoding not in ("", "identity"):
        raise FetchError(f"unsupported Content-Encoding '{encoding}' (we ask for identity)")
    declared = _declared_length(headers.get("content-length", ""), limits.max_bytes)
    chunks: list[bytes] = []
    total = 0
    while True:
        conn.bound_next_read()
        chunk = resp.read1(CHUNK)
        if not chunk:
            if conn.aborted:  # a socket shut at the deadline also reads as the end
                raise FetchError(f"took longer than {limits.deadline_seconds:g} seconds")
            if declared is not None and total < declared:
                raise FetchError(f"the body ended after {total:,} of {declared:,} bytes")
            return b"".join(chunks)
        total += len(chunk)
        if total > limits.max_bytes:
            raise FetchError(f"larger than the {limits.max_bytes:,} byte limit")
        chunks.append(chunk)


def _declared_length(value: str, max_bytes: int) -> int | None:
    """The Content-Length, if any; refused at once when over MAX_BYTES."""
    if not value.strip().isdigit():
        return None
    if int(value) > max_bytes:
        raise FetchError(f"larger than the {max_bytes:,} byte limit (Content-Length {int(value):,})")
    return int(value)


def _transport_message(exc: BaseException, limits: Limits) -> str:
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return f"timed out (no data for {limits.read_timeout:g} seconds)"
    if isinstance(exc, ssl.SSLError):
        return f"TLS failed: {_reason(exc)}"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    return f"{type(exc).__name__}: {_reason(exc)}"


def _reason(exc: BaseException) -> str:
    return str(getattr(exc, "reason", "") or getattr(exc, "strerror", "") or exc or type(exc).__name__)


class _PinnedConnection(http.client.HTTPConnection):
    """An HTTP(S) connection to an address checked beforehand, never re-resolved.

    The Host header and TLS (SNI and certificate check) use the host name; the
    socket goes to one of the checked addresses.
    """

    def __init__(self, target: _Target, addresses: list[str], limits: Limits, network: Network,
                 deadline: float):
        super().__init__(target.host, target.port, timeout=limits.read_timeout)
        self.default_port = 443 if target.scheme == "https" else 80  # Host header without :443
        self._target, self._addresses, self._limits = target, addresses, limits
        self._network, self._deadline = network, deadline
        self.raw_socket: socket.socket | None = None
        self.aborted = False
        self._lock = threading.Lock()

    def connect(self) -> None:
        """Connect to the first checked address that answers, then start TLS for https."""
        sock = self._first_connection()
        sock.settimeout(self._read_timeout())
        with self._lock:
            self.raw_socket = sock  # from here on, abort() can interrupt the TLS handshake too
        if self._target.scheme == "https":
            sock = self._start_tls(sock)
        with self._lock:
            self.sock = self.raw_socket = sock

    def _start_tls(self, sock: socket.socket) -> socket.socket:
        try:
            return self._network.tls().wrap_socket(sock, server_hostname=self._target.host)
        except BaseException:
            sock.close()
            raise

    def _first_connection(self) -> socket.socket:
        error: OSError = OSError("no address")
        for address in self._addresses:
            timeout = max(0.01, min(self._limits.connect_timeout, self._deadline - time.monotonic()))
            try:
                return self._network.connect(address, self._target.port, timeout)
            except OSError as exc:
                error = exc
        raise error

    def _read_timeout(self) -> float:
        return max(0.01, min(self._limits.read_timeout, self._deadline - time.monotonic()))

    def bound_next_read(self) -> None:
        """Let the next read wait no longer than the read timeout or the deadline."""
        if time.monotonic() >= self._deadline:
            raise FetchError(f"took longer than {self._limits.deadline_seconds:g} seconds")
        if self.raw_socket is not None:
            self.raw_socket.settimeout(self._read_timeout())

    def abort(self) -> None:
        """Shut the socket from another thread, waking any read blocked on it."""
        with self._lock:
            self.aborted = True
            sock = self.raw_socket
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
