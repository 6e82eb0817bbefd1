"""The feed cache: one JSON file per feed, named by a hash of its URL.

Each file holds the last good copy (title, posts) and what the next fetch
needs (validators, failures, when to try again).  Files are replaced
atomically (temporary file + os.replace), so a reader sees the old copy or the
new one, never half of either.  A file that cannot be read, or does not match
the shape below, counts as absent: the cache is trusted no more than a feed.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ..fileio import atomic_write
from .post import Post
from .sanitise import safe_link

CACHE_VERSION = 1
SUMMARY_FILE = "run-summary.json"


@dataclass(frozen=True)
class FeedRecord:
    """What we know about one feed URL."""

    url: str
    title: str = ""
    link: str | None = None
    posts: tuple[Post, ...] = ()
    etag: str = ""
    last_modified: str = ""
    content_hash: str = ""
    final_url: str = ""
    fetched_at: datetime | None = None   # last 200 whose body was accepted
    checked_at: datetime | None = None   # last time the server confirmed our copy (200 or 304)
    failures: int = 0                    # consecutive failed fetches
    last_error: str = ""
    failed_at: datetime | None = None
    next_attempt: datetime | None = None  # skip the feed until then (backoff, Retry-After, gone)
    gone: bool = False                   # the server said 410 Gone

    @property
    def has_copy(self) -> bool:
        """True once a body has been accepted: there is a last good copy."""
        return self.fetched_at is not None


def site_cache_dir(config) -> Path:
    """A site's feed cache folder: site.yaml's feeds.cache_dir, relative to the site."""
    return config.root / config.feeds.cache_dir


def feed_file(cache_dir: Path, url: str) -> Path:
    """The cache file of URL: a hash of the URL, so any URL makes a safe name."""
    return cache_dir / (hashlib.sha256(url.encode("utf-8")).hexdigest()[:32] + ".json")


def read_record(cache_dir: Path, url: str) -> FeedRecord | None:
    """URL's record, or None when it is missing, unreadable or malformed."""
    try:
        data = json.loads(feed_file(cache_dir, url).read_text(encoding="utf-8"))
        record = record_from_json(data)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None
    return record if record is not None and record.url == url else None


def write_record(cache_dir: Path, record: FeedRecord) -> None:
    """Replace RECORD's cache file atomically."""
    atomic_write_json(feed_file(cache_dir, record.url), record_to_json(record))


def write_summary(cache_dir: Path, summary: dict) -> Path:
    """Save the run summary beside the feed files; returns its path."""
    path = cache_dir / SUMMARY_FILE
    atomic_write_json(path, summary)
    return path


def atomic_write_json(path: Path, data: dict) -> None:
    """Write DATA as JSON to PATH so that a reader never sees half of it."""
    atomic_write(path, json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n")


def record_to_json(record: FeedRecord) -> dict:
    """RECORD as plain JSON data."""
    return {
        "version": CACHE_VERSION, "url": record.url, "title": record.title, "link": record.link,
        "posts": [_post_to_json(p) for p in record.posts],
        "etag": record.etag, "last_modified": record.last_modified, "content_hash": record.content_hash,
        "final_url": record.final_url, "fetched_at": _time(record.fetched_at),
        "checked_at": _time(record.checked_at), "failures": record.failures,
        "last_error": record.last_error, "failed_at": _time(record.failed_at),
        "next_attempt": _time(record.next_attempt), "gone": record.gone,
    }


def record_from_json(data: dict) -> FeedRecord | None:
    """A record from JSON data written by record_to_json; None if it is not one."""
    if (not isinstance(data, dict) or data.get("version") != CACHE_VERSION
            or not isinstance(data.get("url"), str)):
        return None
    return FeedRecord(
        url=data["url"], title=_str(data.get("title")), link=safe_link(data.get("link")),
        posts=tuple(p for p in map(_post_from_json, _list(data.get("posts"))) if p is not None),
        etag=_str(data.get("etag")), last_modified=_str(data.get("last_modified")),
        content_hash=_str(data.get("content_hash")), final_url=_str(data.get("final_url")),
        fetched_at=_parse_time(data.get("fetched_at")), checked_at=_parse_time(data.get("checked_at")),
        failures=_count(data.get("failures")), last_error=_str(data.get("last_error")),
        failed_at=_parse_time(data.get("failed_at")), next_attempt=_parse_time(data.get("next_attempt")),
        gone=data.get("gone") is True,
    )


def _post_to_json(post: Post) -> dict:
    return {"title": post.title, "link": post.link, "published": _time(post.published),
            "summary_html": post.summary_html}


def _post_from_json(data: object) -> Post | None:
    if not isinstance(data, dict) or not isinstance(data.get("title"), str):
        return None
    return Post(title=data["title"], link=safe_link(data.get("link")),
                published=_parse_time(data.get("published")), summary_html=_str(data.get("summary_html")))


def _time(value: datetime | None) -> str | None:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


def _parse_time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


def _list(value: object) -> list:
    return value if isinstance(value, list) else []


def _count(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0
