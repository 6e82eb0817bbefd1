"""What each kind of result means for a feed's record.  Pure: the time is passed in.

- 200 with a feed we accept: the new copy replaces the old one.
- 304, or a 200 whose bytes are the ones we hold: the copy is confirmed.
- 410: the feed is gone; it is left alone for GONE_RETRY, and not shown.
- Anything else (4xx, 5xx, timeouts, refused, unparseable): the last good copy
  stays, the failure is recorded, and the feed is skipped for a growing
  interval after the second failure in a row.  A `Retry-After` header makes
  the wait at least that long (capped, so a server cannot switch a feed off).
  The failure's message is kept with its control characters escaped (it may
  quote the server's status line or headers), so showing the cache or the
  summary cannot drive a terminal.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

from ..terminal import printable
from .cache import FeedRecord
from .parse import ParsedFeed

BACKOFF_FIRST = timedelta(hours=6)
BACKOFF_MAX = timedelta(days=7)
RETRY_AFTER_MAX = timedelta(days=7)
GONE_RETRY = timedelta(days=30)
ERROR_MAX = 300


def is_due(record: FeedRecord, now: datetime) -> bool:
    """True when the feed may be fetched at NOW (not backing off, not gone)."""
    return record.next_attempt is None or now >= record.next_attempt


def backoff(failures: int) -> timedelta:
    """How long to leave a feed after FAILURES failures in a row.

    None after the first (it is retried next run), then 6 hours, doubling up to 7 days.
    """
    if failures <= 1:
        return timedelta(0)
    return min(BACKOFF_FIRST * 2 ** (failures - 2), BACKOFF_MAX)


def retry_after(value: str, now: datetime) -> datetime | None:
    """The time a Retry-After header (seconds or an HTTP date) points to, capped."""
    value = (value or "").strip()
    if value.isdigit():
        when = now + timedelta(seconds=int(value[:9]))
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None or when.tzinfo is None:
            return None
    return min(when, now + RETRY_AFTER_MAX)


def failed(record: FeedRecord, now: datetime, message: str, retry_at: datetime | None = None) -> FeedRecord:
    """RECORD after a failed fetch: the copy kept, the failure counted, a wait set."""
    failures = record.failures + 1
    wait_until = now + backoff(failures)
    if retry_at is not None and retry_at > wait_until:
        wait_until = retry_at
    return replace(record, failures=failures, last_error=printable(message)[:ERROR_MAX], failed_at=now,
                   next_attempt=wait_until if wait_until > now else None)


def gone(record: FeedRecord, now: datetime) -> FeedRecord:
    """RECORD after 410 Gone: not fetched again for GONE_RETRY, not shown."""
    return replace(record, gone=True, failures=0, last_error="HTTP 410 Gone", failed_at=now,
                   next_attempt=now + GONE_RETRY)


def confirmed(record: FeedRecord, now: datetime, etag: str = "", last_modified: str = "") -> FeedRecord:
    """RECORD after a 304 (or identical bytes): the copy is current as of NOW."""
    return replace(record, checked_at=now, etag=etag or record.etag,
                   last_modified=last_modified or record.last_modified, **_healthy())


def accepted(record: FeedRecord, now: datetime, feed: ParsedFeed, *, etag: str, last_modified: str,
             content_hash: str, final_url: str) -> FeedRecord:
    """RECORD holding a newly fetched and parsed copy."""
    return replace(record, title=feed.title, link=feed.link, posts=feed.posts, etag=etag,
                   last_modified=last_modified, content_hash=content_hash, final_url=final_url,
                   fetched_at=now, checked_at=now, **_healthy())


def _healthy() -> dict:
    return {"failures": 0, "last_error": "", "failed_at": None, "next_attempt": None, "gone": False}
