"""Whole runs against a real server on 127.0.0.1: the cache, failures, backoff and concurrency."""
from __future__ import annotations

import json
import threading
import time
from collections import Counter
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from sitegen.feeds import parse as parse_module
from sitegen.feeds.cache import SUMMARY_FILE, feed_file, read_record, write_summary
from sitegen.feeds.fetch import Limits
from sitegen.feeds.limits import run_limited
from sitegen.feeds.run import FeedJob, RunOptions, collect_jobs, refresh_feeds
from sitegen.feeds.workers import FeedParser
from sitegen.model import Area, SocialLink

try:
    from feedserver import ENTITY_BOMB, HOSTILE_RSS, HTML_PAGE, INVALID_XML, rss
except ImportError:  # tests/ is a package
    from tests.feedserver import ENTITY_BOMB, HOSTILE_RSS, HTML_PAGE, INVALID_XML, rss

START = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = START):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def options(tmp_path, clock):
    return RunOptions(cache_dir=tmp_path / "cache", user_agent="sitegen-test (+https://police.example/)",
                      limits=Limits(connect_timeout=1, read_timeout=1, max_redirects=3, allow_private=True),
                      max_entries=5, concurrency=8, per_host=8, clock=clock)


def run_one(url: str, options: RunOptions):
    summary = refresh_feeds([FeedJob(url, ("content/areas/abbey/area.yaml",))], options)
    return summary.outcomes[0], read_record(options.cache_dir, url)


def test_first_run_fetches_and_caches_by_url_hash(feed_server, options):
    url = feed_server.add("/abbey.rss", body=rss(), etag='"v1"')
    outcome, record = run_one(url, options)
    assert outcome.kind == "fetched"
    assert feed_file(options.cache_dir, url).is_file() and feed_file(options.cache_dir, url).stem.isalnum()
    assert record.title == "Abbey SNT" and len(record.posts) == 5 and record.etag == '"v1"'
    assert record.fetched_at == record.checked_at == START
    assert not [p for p in options.cache_dir.iterdir() if p.name.endswith(".tmp")]


def test_second_run_sends_if_none_match_and_gets_304(feed_server, options, clock):
    url = feed_server.add("/abbey.rss", body=rss(), etag='"v1"')
    _, first = run_one(url, options)
    clock.advance(days=1)
    outcome, second = run_one(url, options)
    assert feed_server.seen("/abbey.rss")[1].headers["if-none-match"] == '"v1"'
    assert outcome.kind == "not_modified"
    assert second.posts == first.posts and second.fetched_at == START
    assert second.checked_at == START + timedelta(days=1)


def test_same_bytes_without_validators_count_as_not_modified(feed_server, options):
    url = feed_server.add("/abbey.rss", body=rss())
    run_one(url, options)
    outcome, _ = run_one(url, options)
    assert outcome.kind == "not_modified"


def test_a_changed_feed_replaces_the_copy(feed_server, options):
    url = feed_server.add("/abbey.rss", body=rss(), etag='"v1"')
    run_one(url, options)
    feed_server.add("/abbey.rss", body=rss(title="Abbey team"), etag='"v2"')
    outcome, record = run_one(url, options)
    assert outcome.kind == "fetched" and record.title == "Abbey team" and record.etag == '"v2"'


FAILURES = {
    "404": dict(status=404, body=b"missing"),
    "500": dict(status=500, body=b"oops"),
    "timeout": dict(body=rss(title="Too late"), delay=3),
    "invalid-xml": dict(body=INVALID_XML),
    "html-page": dict(body=HTML_PAGE, content_type="text/html"),
    "entity-bomb": dict(body=ENTITY_BOMB),
    "five-mb": dict(body=b"<rss>" + b"x" * 5_000_000),
    "redirect-loop": dict(status=301, headers={"Location": "/abbey.rss"}),
}


@pytest.mark.parametrize("failure", sorted(FAILURES))
def test_the_last_good_copy_survives_every_failure(feed_server, options, clock, failure):
    url = feed_server.add("/abbey.rss", body=rss(), etag='"v1"')
    _, good = run_one(url, options)
    feed_server.add("/abbey.rss", **FAILURES[failure])
    clock.advance(days=1)
    outcome, after = run_one(url, options)
    assert outcome.kind == "failed" and outcome.has_copy
    assert after.posts == good.posts and after.title == good.title and after.fetched_at == good.fetched_at
    assert after.failures == 1 and after.last_error and after.failed_at == clock.now
    assert after.checked_at == good.checked_at  # the copy was not confirmed


def test_410_marks_the_feed_gone_and_it_is_not_asked_again(feed_server, options, clock):
    url = feed_server.add("/abbey.rss", body=rss())
    run_one(url, options)
    feed_server.add("/abbey.rss", status=410)
    outcome, record = run_one(url, options)
    assert outcome.kind == "gone" and record.gone and record.posts
    clock.advance(days=7)
    outcome, _ = run_one(url, options)
    assert outcome.kind == "gone" and len(feed_server.seen("/abbey.rss")) == 2
    clock.advance(days=30)
    feed_server.add("/abbey.rss", body=rss(title="Abbey is back"))
    outcome, record = run_one(url, options)
    assert outcome.kind == "fetched" and not record.gone and record.title == "Abbey is back"


def test_repeated_failures_back_off_for_growing_intervals(feed_server, options, clock):
    url = feed_server.add("/abbey.rss", status=500)
    waits = []
    for _ in range(5):
        outcome, record = run_one(url, options)
        assert outcome.kind == "failed"
        waits.append(record.next_attempt - clock.now if record.next_attempt else timedelta(0))
        clock.advance(minutes=1)
        if record.next_attempt:
            assert run_one(url, options)[0].kind == "backed_off"
            clock.now = record.next_attempt
    assert waits == [timedelta(0), timedelta(hours=6), timedelta(hours=12), timedelta(hours=24), timedelta(hours=48)]
    assert len(feed_server.seen("/abbey.rss")) == 5  # backed-off runs sent nothing


def test_retry_after_is_honoured(feed_server, options, clock):
    url = feed_server.add("/abbey.rss", status=503, headers={"Retry-After": "7200"})
    outcome, record = run_one(url, options)
    assert record.next_attempt == START + timedelta(hours=2)
    clock.advance(hours=1)
    assert run_one(url, options)[0].kind == "backed_off"
    clock.advance(hours=1)
    feed_server.add("/abbey.rss", body=rss())
    assert run_one(url, options)[0].kind == "fetched"


def test_retry_after_dates_are_capped(feed_server, options):
    url = feed_server.add("/abbey.rss", status=429, headers={"Retry-After": "Fri, 31 Dec 2100 23:59:59 GMT"})
    _, record = run_one(url, options)
    assert record.next_attempt == START + timedelta(days=7)


def test_success_clears_the_failures(feed_server, options, clock):
    url = feed_server.add("/abbey.rss", status=500)
    run_one(url, options)
    feed_server.add("/abbey.rss", body=rss())
    _, record = run_one(url, options)
    assert record.failures == 0 and record.last_error == "" and record.next_attempt is None


def test_one_slow_feed_does_not_hold_up_the_others(feed_server, options):
    slow = feed_server.add("/slow.rss", body=rss(), delay=5)
    quick = [feed_server.add(f"/quick-{n}.rss", body=rss()) for n in range(8)]
    finished: dict[str, float] = {}
    started = time.monotonic()
    jobs = [FeedJob(slow)] + [FeedJob(url) for url in quick]  # the slow one takes the first slot
    limits = replace(options.limits, read_timeout=2)
    summary = refresh_feeds(jobs, replace(options, concurrency=2, per_host=2, limits=limits),
                            progress=lambda o: finished.setdefault(o.job.url, time.monotonic() - started))
    assert Counter(o.kind for o in summary.outcomes) == {"fetched": 8, "failed": 1}
    assert max(finished[url] for url in quick) < finished[slow]  # all done while the slow one waited
    assert finished[slow] < 4.5  # cut at its 2 s timeout, not left for the server's 5 s


def test_a_feed_listed_by_two_areas_is_fetched_once(feed_server, options):
    url = feed_server.add("/borough.rss", body=rss())
    areas = [Area(slug=s, name=s, source=f"content/areas/{s}/area.yaml",
                  social=(SocialLink("web", "https://news.example/", url), SocialLink("x", "https://x.com/a")))
             for s in ("abbey", "alibon")]
    jobs = collect_jobs(areas)
    assert jobs == [FeedJob(url, ("content/areas/abbey/area.yaml", "content/areas/alibon/area.yaml"))]
    refresh_feeds(jobs, options)
    assert len(feed_server.seen("/borough.rss")) == 1


def test_an_unexpected_error_is_recorded_and_the_run_goes_on(feed_server, options, monkeypatch):
    good = feed_server.add("/good.rss", body=rss())
    bad = feed_server.add("/bad.rss", body=rss(title="Trigger"))

    real = parse_module.parse_feed

    def explode(body, url, count, **options):
        if b"Trigger" in body:
            raise RecursionError("maximum recursion depth exceeded")
        return real(body, url, count, **options)

    monkeypatch.setattr(parse_module, "parse_feed", explode)
    summary = refresh_feeds([FeedJob(bad), FeedJob(good)], options)
    kinds = {o.job.url: o.kind for o in summary.outcomes}
    assert kinds == {good: "fetched", bad: "failed"}
    assert "RecursionError" in read_record(options.cache_dir, bad).last_error


def test_a_corrupt_cache_file_counts_as_absent(feed_server, options):
    url = feed_server.add("/abbey.rss", body=rss(), etag='"v1"')
    options.cache_dir.mkdir(parents=True)
    feed_file(options.cache_dir, url).write_text("{not json", encoding="utf-8")
    outcome, record = run_one(url, options)
    assert outcome.kind == "fetched" and record.posts
    assert "if-none-match" not in feed_server.seen("/abbey.rss")[0].headers


def test_the_summary_counts_every_outcome_and_is_saved(feed_server, options):
    good = feed_server.add("/good.rss", body=rss())
    broken = feed_server.add("/broken.rss", status=500)
    gone = feed_server.add("/gone.rss", status=410)
    summary = refresh_feeds([FeedJob(good, ("content/areas/abbey/area.yaml",)),
                             FeedJob(broken, ("content/areas/alibon/area.yaml",)), FeedJob(gone)], options)
    assert summary.counts() == {"fetched": 1, "not_modified": 0, "failed": 1, "gone": 1, "backed_off": 0}
    assert summary.line().startswith("Feeds: 3 checked in ")
    assert summary.line().endswith(": 1 fetched, 0 not modified, 1 failed, 1 gone, 0 backed off.")
    assert (f"content/areas/alibon/area.yaml: feed {broken}: HTTP 500 Internal Server Error; check that the address"
            " opens in a browser, and correct it if it has moved; it is tried again on the next run, and nothing is"
            " shown until it works") in summary.problem_lines()
    saved = json.loads(write_summary(options.cache_dir, summary.to_json()).read_text())
    assert saved["counts"]["failed"] == 1 and saved["feeds"] == 3
    assert {p["url"] for p in saved["problems"]} == {broken, gone}
    assert (options.cache_dir / SUMMARY_FILE).is_file()


def test_run_limited_keeps_both_limits_and_lets_other_hosts_through():
    active, peak, lock = Counter(), Counter(), threading.Lock()
    order: list[str] = []

    def work(job: tuple[str, int], release) -> None:
        host = job[0]
        with lock:
            active[host] += 1
            active["*"] += 1
            peak[host] = max(peak[host], active[host])
            peak["*"] = max(peak["*"], active["*"])
            order.append(host)
        time.sleep(0.01)
        with lock:
            active[host] -= 1
            active["*"] -= 1

    jobs = [("a", n) for n in range(20)] + [("b", n) for n in range(5)]
    run_limited(jobs, work, key=lambda job: job[0], concurrency=4, per_key=2)
    assert len(order) == 25
    assert peak["a"] <= 2 and peak["b"] <= 2 and peak["*"] <= 4
    assert order.index("b") < 6  # host b did not wait behind host a's twenty jobs


def test_run_limited_reraises_after_finishing_the_rest():
    done = []

    def work(n: int, release) -> None:
        if n == 0:
            raise ValueError("boom")
        done.append(n)

    with pytest.raises(ValueError, match="boom"):
        run_limited(range(5), work, key=lambda n: "h", concurrency=2, per_key=2)
    assert sorted(done) == [1, 2, 3, 4]


def test_released_jobs_let_spare_threads_start_the_next_ones():
    together = threading.Barrier(4, timeout=10)  # passes only if four jobs run at once

    def work(n: int, release) -> None:
        release()        # the slot is free: the job goes on without it (as parsing does)
        together.wait()

    run_limited(range(4), work, key=lambda n: "h", concurrency=2, per_key=2, spare_threads=2)


def test_worker_processes_parse_the_same_as_in_place(feed_server, options, tmp_path):
    urls = [feed_server.add("/good.rss", body=rss()), feed_server.add("/hostile.rss", body=HOSTILE_RSS),
            feed_server.add("/broken.rss", body=INVALID_XML)]
    in_place = refresh_feeds([FeedJob(u) for u in urls], replace(options, parse_processes=0))
    pooled_options = replace(options, cache_dir=tmp_path / "pooled", parse_processes=2)
    pooled = refresh_feeds([FeedJob(u) for u in urls], pooled_options)
    assert sorted((o.job.url, o.kind, o.message) for o in pooled.outcomes) == \
        sorted((o.job.url, o.kind, o.message) for o in in_place.outcomes)
    for url in urls:
        assert read_record(pooled_options.cache_dir, url).posts == read_record(options.cache_dir, url).posts


def test_a_dead_parser_process_fails_its_feed_and_the_rest_parse_in_place():
    class DeadPool:
        def submit(self, *args, **kwargs):
            future = Future()
            future.set_exception(BrokenProcessPool("a worker died"))
            return future

        def shutdown(self, **kwargs):
            pass

    parser = FeedParser(0)
    parser._pool = DeadPool()
    with pytest.raises(BrokenProcessPool):
        parser.parse(rss(), "https://news.example/abbey.rss", 5)
    assert parser.parse(rss(), "https://news.example/abbey.rss", 5).title == "Abbey SNT"
