"""A small, polite JSON-over-HTTP client (standard library only).

Politeness: a token bucket keeps to the service's rate limit; 429 and 5xx
answers and network failures are retried with exponential backoff, honouring
Retry-After; every request has a timeout and a size cap.  When retries run
out the caller gets a `ServiceError` (exit 3) naming the URL.

Time is injectable (`clock`, `sleep`) so tests never wait for real.
"""
from __future__ import annotations

import email.utils
import http.client
import json
import socket
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable
from urllib.parse import urlsplit

from .. import __version__
from ..errors import Problem, ServiceError, SitegenError

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
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


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
                    raise ServiceError(url, f"{failure.reason}; gave up after {attempt} attempts")
                self.sleep(self.policy.delay(attempt, failure.retry_after))
        raise AssertionError("unreachable")  # pragma: no cover

    def _fetch(self, url: str) -> bytes:
        self.bucket.acquire()
        self.requests += 1
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - scheme checked
                return _read_capped(url, response, self.max_bytes)
        except urllib.error.HTTPError as exc:
            raise _http_failure(url, exc)
        except (TimeoutError, socket.timeout):
            raise _Retryable(f"no answer within {self.timeout:g} seconds")
        except urllib.error.URLError as exc:
            raise _Retryable(f"could not connect ({_reason(exc.reason)})")
        except (OSError, http.client.HTTPException) as exc:
            raise _Retryable(f"connection failed ({_reason(exc) or type(exc).__name__})")


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
        return _Retryable(f"the API answered HTTP {status}", parse_retry_after(exc.headers.get("Retry-After")))
    return ServiceError(url, f"the API answered HTTP {status}")


def _read_capped(url: str, response, limit: int) -> bytes:
    data = response.read(limit + 1)
    if len(data) > limit:
        raise ServiceError(url, f"the answer is larger than {limit:,} bytes; refusing it")
    return data


def _parse_json(url: str, data: bytes) -> Any:
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ServiceError(url, f"the answer is not valid JSON ({exc})")
