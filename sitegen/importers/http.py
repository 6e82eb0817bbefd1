"""A small, polite JSON-over-HTTP client (standard library only).

Politeness: a token bucket keeps to the service's rate limit; 429 and 5xx
answers and network failures are retried with exponential backoff, honouring
Retry-After.  Every request has a size cap and a total deadline: connecting,
waiting and reading must all be over within `timeout` seconds, so a server
that drips a byte at a time (never tripping a socket timeout) is cut off too;
the feeds' shared deadline thread shuts the request's socket when time is up.
When retries run out the caller gets a `ServiceError` (exit 3) naming the URL.

Time is injectable (`clock`, `sleep`) so tests never wait for real.
"""
from __future__ import annotations

import email.utils
import functools
import http.client
import json
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from .. import __version__
from ..errors import Problem, ServiceError, SitegenError
from ..feeds.deadlines import DEADLINES

USER_AGENT = f"sitegen/{__version__} (neighbourhood importer)"
MAX_BYTES = 20 * 1024 * 1024   # a boundary of a big rural neighbourhood is well under this
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


def pause(seconds: float) -> None:
    """Sleep for SECONDS (the default `sleep` of clients and buckets)."""
    time.sleep(seconds)


class TokenBucket:
    """At most RATE requests a second on average, with bursts of up to BURST."""

    def __init__(self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] | None = None):
        self.rate, self.burst = float(rate), float(burst)
        self.clock = clock
        self.sleep = sleep if sleep is not None else pause
        self.tokens = float(burst)
        self.updated = clock()
        self._lock = threading.Lock()

    def acquire(self) -> float:
        """Take one token, sleeping until there is one; returns the time slept."""
        with self._lock:
            now = self.clock()
            self.tokens = min(self.burst, self.tokens + max(0.0, now - self.updated) * self.rate)
            self.updated = max(now, self.updated)
            if self.tokens >= 1:
                self.tokens -= 1
                return 0.0
            wait = (1 - self.tokens) / self.rate
            self.sleep(wait)
            # The token earned while waiting is spent at once; account for the
            # wait even if the clock has not moved (a fake clock in tests).
            self.tokens = 0.0
            self.updated = max(self.clock(), self.updated + wait)
            return wait


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry: delays BASE, 2*BASE, 4*BASE... capped at CAP."""

    attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 30.0
    max_retry_after: float = 120.0

    def delay(self, attempt: int, retry_after: float | None) -> float:
        """Seconds to wait before retry number ATTEMPT (1-based)."""
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.max_retry_after)
        return min(self.base_delay * 2 ** (attempt - 1), self.max_delay)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Retry-After as seconds: a number of seconds or an HTTP date; None if absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class NotFound(SitegenError):
    """The service answered 404: the thing asked for does not exist (exit 1)."""

    def __init__(self, url: str, hint: str = ""):
        self.url = url
        super().__init__([Problem(url, 0, 0, "not found (HTTP 404)" + (f"; {hint}" if hint else ""))])


class _Retryable(Exception):
    """A failure worth another try: the reason, and the server's Retry-After."""

    def __init__(self, reason: str, retry_after: float | None = None):
        super().__init__(reason)
        self.reason, self.retry_after = reason, retry_after


class HttpClient:
    """GET JSON from one base URL, politely."""

    def __init__(self, base_url: str, bucket: TokenBucket | None = None, timeout: float = 20.0,
                 policy: RetryPolicy = RetryPolicy(), sleep: Callable[[float], None] | None = None,
                 max_bytes: int = MAX_BYTES):
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise SitegenError([Problem("--api-url", 0, 0, f"'{base_url}' is not an http(s) URL")])
        self.base_url = base_url.rstrip("/")
        self.sleep = sleep if sleep is not None else pause
        self.bucket = bucket or TokenBucket(rate=15, burst=30, sleep=self.sleep)
        self.timeout, self.policy, self.max_bytes = timeout, policy, max_bytes
        self.requests = 0

    def get_json(self, path: str) -> Any:
        """GET base_url + PATH and parse it as JSON, retrying transient failures.

        Raises NotFound for a 404 and ServiceError (exit 3) for anything else
        that still fails after the retries.
        """
        url = self.base_url + path
        for attempt in range(1, self.policy.attempts + 1):
            try:
                return _parse_json(url, self._fetch(url))
            except _Retryable as failure:
                if attempt == self.policy.attempts:
                    raise ServiceError(url,
                                       f"{failure.reason}; gave up after {attempt} attempts") from failure
                self.sleep(self.policy.delay(attempt, failure.retry_after))
        raise AssertionError("unreachable")  # pragma: no cover

    def _fetch(self, url: str) -> bytes:
        self.bucket.acquire()
        self.requests += 1
        deadline = RequestDeadline(self.timeout)
        token = DEADLINES.schedule(deadline.ends, deadline.expire)
        try:
            return self._exchange(url, deadline)
        finally:
            DEADLINES.cancel(token)
            deadline.close()

    def _exchange(self, url: str, deadline: RequestDeadline) -> bytes:
        """One GET of URL within DEADLINE: the body, or the failure as an exception."""
        request = urllib.request.Request(url,
                                         headers={"User-Agent": USER_AGENT, "Accept": "application/json"})
        opener = urllib.request.build_opener(_WatchedHTTP(deadline), _WatchedHTTPS(deadline))
        answered = False
        try:
            with opener.open(request, timeout=self.timeout) as response:  # scheme checked in __init__
                answered = True
                body = _read_capped(url, response, self.max_bytes)
        except urllib.error.HTTPError as exc:
            raise _http_failure(url, exc) from exc
        except (OSError, http.client.HTTPException) as exc:
            if deadline.expired:
                raise _Retryable(_late(answered, self.timeout)) from exc
            raise _transport_failure(exc, self.timeout) from exc
        if deadline.expired:  # the socket was shut mid-body: what arrived is cut short
            raise _Retryable(_late(answered, self.timeout))
        return body


class RequestDeadline:
    """One request's total time limit: when it passes, the request's sockets are shut.

    Shutting a socket wakes a read blocked on it from another thread.  The
    sockets watched are duplicates of the connection's own, so the shutdown
    reaches the connection even after TLS has taken the original object over.
    """

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.ends = time.monotonic() + seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()

    def watch(self, sock: socket.socket) -> None:
        """Shut SOCK (a duplicate is kept) at the deadline, or now if it has passed."""
        watched = sock.dup()
        with self._lock:
            self._sockets.append(watched)
            expired = self.expired
        if expired:
            _shut(watched)

    def expire(self) -> None:
        """Mark the request late and shut its sockets (called by the deadline thread)."""
        with self._lock:
            self.expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shut(sock)

    def close(self) -> None:
        """Close the duplicates (the connection closes its own sockets)."""
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            sock.close()


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed by the other side


def _watched_connect(deadline: RequestDeadline) -> Callable[..., socket.socket]:
    """socket.create_connection, with each new socket watched by DEADLINE."""

    def connect(*args, **kwargs) -> socket.socket:
        sock = socket.create_connection(*args, **kwargs)
        deadline.watch(sock)
        return sock

    return connect


class _WatchedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection whose every new socket is watched by DEADLINE."""

    def __init__(self, *args, deadline: RequestDeadline, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _watched_connect(deadline)


class _WatchedHTTPSConnection(http.client.HTTPSConnection):
    """An HTTPS connection whose every new socket is watched by DEADLINE."""

    def __init__(self, *args, deadline: RequestDeadline, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _watched_connect(deadline)


class _WatchedHTTP(urllib.request.HTTPHandler):
    """urllib's http handler (proxies and redirects as usual) with the request's deadline."""

    def __init__(self, deadline: RequestDeadline):
        super().__init__()
        self._connection = functools.partial(_WatchedHTTPConnection, deadline=deadline)

    def http_open(self, req):
        return self.do_open(self._connection, req)


class _WatchedHTTPS(urllib.request.HTTPSHandler):
    """urllib's https handler (the system's certificate checks) with the request's deadline."""

    def __init__(self, deadline: RequestDeadline):
        super().__init__()
        self._connection = functools.partial(_WatchedHTTPSConnection, deadline=deadline)

    def https_open(self, req):
        return self.do_open(self._connection, req)


def _late(answered: bool, seconds: float) -> str:
    if answered:
        return f"the answer was still arriving after {_seconds(seconds)}, the limit for a whole request"
    return f"no answer within {_seconds(seconds)}"


def _seconds(seconds: float) -> str:
    return f"{seconds:g} second" + ("" if seconds == 1 else "s")


def _transport_failure(exc: BaseException, seconds: float) -> _Retryable:
    if isinstance(exc, (TimeoutError, socket.timeout)):
        return _Retryable(f"no answer within {_seconds(seconds)}")
    if isinstance(exc, urllib.error.URLError):
        return _Retryable(f"could not connect ({_reason(exc.reason)})")
    return _Retryable(f"connection failed ({_reason(exc) or type(exc).__name__})")


def _reason(reason: object) -> str:
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return "timed out"
    return getattr(reason, "strerror", None) or str(reason)


def _http_failure(url: str, exc: urllib.error.HTTPError) -> Exception:
    status = exc.code
    exc.close()
    if status == 404:
        return NotFound(url)
    if status in RETRY_STATUSES:
        return _Retryable(f"the API answered HTTP {status}",
                          parse_retry_after(exc.headers.get("Retry-After")))
    return ServiceError(url, f"the API answered HTTP {status}")


def _read_capped(url: str, response, limit: int) -> bytes:
    declared = (response.headers.get("Content-Length") or "").strip()
    if declared.isdigit() and int(declared) > limit:
        raise ServiceError(url, f"the answer is larger than {limit:,} bytes; refusing it")
    data = response.read(limit + 1)
    if len(data) > limit:
        raise ServiceError(url, f"the answer is larger than {limit:,} bytes; refusing it")
    return data


def _parse_json(url: str, data: bytes) -> Any:
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ServiceError(url, f"the answer is not valid JSON ({exc})") from exc
