"""Fetch every feed of a site into the cache, and summarise the run.

Each feed URL is fetched once however many wards list it.  A feed's result
never stops the run: every failure, whatever raised it, is recorded in the
feed's cache file and in the summary, and the last good copy stays in place.
"""
from __future__ import annotations

import hashlib
import http
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from urllib.parse import urlsplit

from ..config import SiteConfig
from ..model import Area
from ..terminal import printable
from . import policy
from .cache import FeedRecord, read_record, site_cache_dir, write_record
from .fetch import BODY_STATUSES, FetchError, Limits, Network, Request, Response, fetch
from .limits import run_limited
from .parse import FeedParseError
from .summary import Outcome, RunSummary
from .workers import FeedParser, parse_processes

PARSER_VERSION = "2"  # starts a copy's content hash: a new parser re-reads copies an older one made

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The current time in UTC."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class FeedJob:
    """One feed URL and the area files that list it (and, for messages, where
    each lists it: 'PATH:LINE:COL' of its 'feed:' key)."""

    url: str
    areas: tuple[str, ...] = ()
    places: tuple[str, ...] = field(default=(), compare=False)

    @property
    def host(self) -> str:
        """The host name, for the per-host limit."""
        try:
            return (urlsplit(self.url).hostname or "").lower()
        except ValueError:
            return ""


def collect_jobs(areas: Iterable[Area]) -> list[FeedJob]:
    """One job per distinct feed URL in AREAS' social links, in order of first use."""
    found: dict[str, list[str]] = {}
    places: dict[str, list[str]] = {}
    for area in areas:
        for link in area.social:
            if link.feed and area.source not in found.setdefault(link.feed, []):
                found[link.feed].append(area.source)
                places.setdefault(link.feed, []).append(f"{area.source}:{link.feed_at[0]}:{link.feed_at[1]}")
    return [FeedJob(url, tuple(sources), tuple(places[url])) for url, sources in found.items()]


@dataclass(frozen=True)
class RunOptions:
    """Everything a run needs besides the jobs."""

    cache_dir: Path
    user_agent: str
    limits: Limits = Limits()
    max_entries: int = 5
    concurrency: int = 16
    per_host: int = 4
    network: Network = Network()
    clock: Clock = utc_now
    parse_processes: int | None = None  # None: one per core for big runs (see workers)

    @classmethod
    def for_site(cls, config: SiteConfig, **overrides) -> RunOptions:
        """Options from site.yaml's feeds settings; OVERRIDES replace any of them."""
        settings = config.feeds
        options = dict(cache_dir=site_cache_dir(config), user_agent=user_agent(config),
                       limits=Limits.from_settings(settings), max_entries=settings.max_entries,
                       concurrency=settings.concurrency, per_host=settings.per_host)
        return cls(**{**options, **overrides})


def user_agent(config: SiteConfig) -> str:
    """A User-Agent naming the tool and the site, so a feed's owner knows who asks."""
    try:
        ours = version("sitegen")
    except PackageNotFoundError:
        ours = "0"
    name = "".join(ch for ch in config.name if ch.isprintable() and ch not in "()\\")
    return f"sitegen/{ours} (+{config.base_url}; {name})"


def refresh_feeds(jobs: list[FeedJob], options: RunOptions,
                  progress: Callable[[Outcome], None] | None = None) -> RunSummary:
    """Fetch every job's feed into the cache; PROGRESS is called after each one."""
    summary = RunSummary(started_at=options.clock())
    lock = threading.Lock()
    started = time.perf_counter()

    options.cache_dir.mkdir(parents=True, exist_ok=True)
    processes = parse_processes(len(jobs), options.parse_processes)
    with FeedParser(processes) as parser:
        def work(job: FeedJob, release: Callable[[], None]) -> None:
            outcome = refresh_one(job, options, parser, release)
            with lock:
                summary.outcomes.append(outcome)
                if progress is not None:
                    progress(outcome)

        # Fetched feeds give their connection slot back while they parse in a worker
        # process; spare threads keep CONCURRENCY fetches in flight meanwhile.
        run_limited(jobs, work, key=lambda job: job.host, concurrency=options.concurrency,
                    per_key=options.per_host, spare_threads=2 * processes)
    summary.seconds = time.perf_counter() - started
    return summary


def refresh_one(job: FeedJob, options: RunOptions, parser: FeedParser | None = None,
                release: Callable[[], None] = lambda: None) -> Outcome:
    """Fetch one feed unless it is backing off or gone, and record the result.

    RELEASE is called once the network part is over (before parsing).
    """
    record = read_record(options.cache_dir, job.url) or FeedRecord(url=job.url)
    visit = _Visit(job, record, options.clock(), options, parser or FeedParser(), release)
    if not policy.is_due(record, visit.now):
        kind = "gone" if record.gone else "backed_off"
        return Outcome(job, kind, _waiting_message(record), record.has_copy)
    try:
        updated, outcome = visit.attempt()
    except Exception as exc:  # a hostile body must not stop the run: record it as a failure
        updated, outcome = visit.failure(f"unexpected error: {type(exc).__name__}: {exc}")
    write_record(options.cache_dir, updated)
    return outcome


def _waiting_message(record: FeedRecord) -> str:
    until = record.next_attempt.strftime("%Y-%m-%d %H:%M UTC") if record.next_attempt else "later"
    last = printable(record.last_error)  # a cache written by an older sitegen may hold it raw
    reason = "gone (HTTP 410)" if record.gone else f"{record.failures} failures in a row, last: {last}"
    return f"skipped until {until}: {reason}"


@dataclass(frozen=True)
class _Visit:
    """One attempt at one feed: each step returns the new record and the outcome."""

    job: FeedJob
    record: FeedRecord
    now: datetime
    options: RunOptions
    parser: FeedParser
    release: Callable[[], None]

    def attempt(self) -> tuple[FeedRecord, Outcome]:
        """Fetch, conditionally when we hold a copy, and judge the response."""
        current = self.record.has_copy and made_by_this_parser(self.record)
        validators = (self.record.etag, self.record.last_modified) if current else ("", "")
        request = Request(self.job.url, self.options.user_agent, *validators)
        try:
            response = fetch(request, self.options.limits, self.options.network)
        except FetchError as exc:
            return self.failure(str(exc))
        finally:
            self.release()
        return self.interpret(response)

    def interpret(self, response: Response) -> tuple[FeedRecord, Outcome]:
        """The status first: only a 200 gets its body looked at."""
        status, record = response.status, self.record
        if status == 304 and record.has_copy:
            updated = policy.confirmed(record, self.now, response.headers.get("etag", ""),
                                       response.headers.get("last-modified", ""))
            return updated, Outcome(self.job, "not_modified", has_copy=True)
        if status == 410:
            return policy.gone(record, self.now), Outcome(self.job, "gone", "HTTP 410 Gone", record.has_copy)
        if status not in BODY_STATUSES:
            retry_at = policy.retry_after(response.headers.get("retry-after", ""), self.now)
            return self.failure(_status_text(status), retry_at)
        return self.accept(response)

    def accept(self, response: Response) -> tuple[FeedRecord, Outcome]:
        """A 200: the same bytes confirm the copy; new bytes replace it if they parse."""
        etag, last_modified = response.headers.get("etag", ""), response.headers.get("last-modified", "")
        digest = content_hash(response.body, self.options.max_entries)
        if self.record.has_copy and digest == self.record.content_hash:
            updated = policy.confirmed(self.record, self.now, etag, last_modified)
            return updated, Outcome(self.job, "not_modified", has_copy=True)
        try:
            feed = self.parser.parse(response.body, response.url, self.options.max_entries,
                                     content_type=response.headers.get("content-type", ""), now=self.now)
        except FeedParseError as exc:
            return self.failure(str(exc))
        updated = policy.accepted(self.record, self.now, feed, etag=etag, last_modified=last_modified,
                                  content_hash=digest, final_url=response.url)
        return updated, Outcome(self.job, "fetched", has_copy=True)

    def failure(self, message: str, retry_at: datetime | None = None) -> tuple[FeedRecord, Outcome]:
        """The copy kept, the failure recorded."""
        updated = policy.failed(self.record, self.now, message, retry_at)
        return updated, Outcome(self.job, "failed", updated.last_error, self.record.has_copy)


def content_hash(body: bytes, max_entries: int) -> str:
    """Identifies what a copy was made from: the bytes, the entry count and the parser."""
    digest = hashlib.sha256(body)
    digest.update(f"|{max_entries}|{PARSER_VERSION}".encode())
    return f"{PARSER_VERSION}:{digest.hexdigest()}"


def made_by_this_parser(record: FeedRecord) -> bool:
    """True when RECORD's copy was parsed by this PARSER_VERSION.

    An older copy is fetched without validators, so a 304 cannot keep what an
    older parser got wrong (text decoded with the wrong encoding, guessed dates).
    """
    return record.content_hash.startswith(f"{PARSER_VERSION}:")


def _status_text(status: int) -> str:
    try:
        return f"HTTP {status} {http.HTTPStatus(status).phrase}"
    except ValueError:
        return f"HTTP {status}"
