"""Benchmark `sitegen feeds`: 1,200 feeds from a local server that takes 100 ms per answer.

Prints the seconds for a first run (every feed 200: fetch, parse, sanitise,
cache) and for a second run in which every feed answers 304 to its ETag.
The server runs in its own process on 127.0.0.1 so that it does not share the
fetcher's interpreter lock.  A script that prints figures, not a test:

    .venv/bin/python bench/feeds_bench.py                       # the defaults of site.yaml
    .venv/bin/python bench/feeds_bench.py --concurrency 48      # more feeds in flight
    .venv/bin/python bench/feeds_bench.py --no-latency-on-304   # a server that answers 304s at once

One local server stands in for many hosts, so the per-host limit is raised to
the concurrency unless --per-host is given (with site.yaml's default of 4 per
host, 1,200 feeds on ONE host take at least 1,200 x 0.1 s / 4 = 30 s).
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sitegen.config import FeedSettings  # noqa: E402
from sitegen.feeds.fetch import Limits  # noqa: E402
from sitegen.feeds.run import FeedJob, RunOptions, refresh_feeds  # noqa: E402
from sitegen.feeds.workers import parse_processes  # noqa: E402


def feed_body(number: int, items: int = 20) -> bytes:
    """A realistic ward feed: ITEMS posts with HTML summaries (about 14 KB)."""
    posts = "".join(
        f"<item><title>Ward {number}: patrol update {n}</title><link>https://news.example/ward-{number}/{n}</link>"
        f"<guid>https://news.example/ward-{number}/{n}</guid><pubDate>Mon, {n % 28 + 1:02d} Nov 2026 10:00:00 +0000</pubDate>"
        f"<description>&lt;p&gt;Officers from the &lt;a href=\"https://news.example/ward-{number}\"&gt;ward team&lt;/a&gt;"
        f" were out on patrol near the station after residents raised antisocial behaviour. &lt;img src=\"/i.png\"&gt;"
        f" Thank you for your reports.&lt;/p&gt;&lt;p&gt;More about the team's work and the next ward panel.&lt;/p&gt;"
        f"</description></item>" for n in range(items))
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Ward {number} team</title>'
            f"<link>https://news.example/ward-{number}</link><description>News</description>{posts}</channel></rss>").encode()


def serve(port_pipe, latency: float, latency_on_304: bool) -> None:
    """The feed server (runs in a child process): /feed/N.xml with ETag "N"."""
    bodies: dict[int, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            number = int(self.path.rsplit("/", 1)[-1].split(".")[0])
            etag = f'"{number}"'
            not_modified = self.headers.get("If-None-Match") == etag
            if latency and (latency_on_304 or not not_modified):
                time.sleep(latency)
            body = b"" if not_modified else bodies.setdefault(number, feed_body(number))
            self.send_response(304 if not_modified else 200)
            self.send_header("ETag", etag)
            self.send_header("Content-Type", "application/rss+xml")
            if not not_modified:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 1024

    httpd = Server(("127.0.0.1", 0), Handler)
    port_pipe.send(httpd.server_address[1])
    httpd.serve_forever()


def timed_run(jobs: list[FeedJob], options: RunOptions) -> tuple[float, Counter]:
    """Seconds for one run, and how many feeds ended each way."""
    started = time.perf_counter()
    summary = refresh_feeds(jobs, options)
    return time.perf_counter() - started, Counter(o.kind for o in summary.outcomes)


def main() -> None:
    """Run the benchmark and print its figures."""
    defaults = FeedSettings()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--feeds", type=int, default=1200)
    parser.add_argument("--latency-ms", type=float, default=100)
    parser.add_argument("--concurrency", type=int, default=defaults.concurrency)
    parser.add_argument("--per-host", type=int, default=None, help="default: the concurrency (see above)")
    parser.add_argument("--parse-processes", type=int, default=None,
                        help="worker processes for parsing (default: one per core; 0 parses in the fetching threads)")
    parser.add_argument("--no-latency-on-304", dest="latency_on_304", action="store_false",
                        help="answer conditional requests at once (a cache in front of the feed)")
    args = parser.parse_args()

    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    receive, send = context.Pipe(duplex=False)
    server = context.Process(target=serve, args=(send, args.latency_ms / 1000, args.latency_on_304), daemon=True)
    server.start()
    port = receive.recv()
    try:
        with tempfile.TemporaryDirectory() as cache:
            report(args, port, Path(cache))
    finally:
        server.terminate()


def report(args, port: int, cache: Path) -> None:
    """Two runs against the server on PORT, printed."""
    per_host = args.per_host or args.concurrency
    jobs = [FeedJob(f"http://127.0.0.1:{port}/feed/{n}.xml") for n in range(args.feeds)]
    settings = FeedSettings()
    options = RunOptions(cache_dir=cache, user_agent="sitegen-bench (+https://police.example/; Bench)",
                         limits=Limits(settings.connect_timeout, settings.read_timeout, settings.max_bytes,
                                       settings.max_redirects, allow_private=True),
                         max_entries=settings.max_entries, concurrency=args.concurrency, per_host=per_host,
                         parse_processes=args.parse_processes)
    floor = args.feeds * args.latency_ms / 1000 / args.concurrency
    load = f", load {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    print(f"feeds_bench: {args.feeds} feeds of {len(feed_body(0)):,} bytes, {args.latency_ms:g} ms per answer"
          f" ({'304s too' if args.latency_on_304 else '304s at once'}), concurrency {args.concurrency},"
          f" per host {per_host}, parse processes {parse_processes(args.feeds, args.parse_processes)},"
          f" {os.cpu_count()} cores{load}")
    first, kinds = timed_run(jobs, options)
    print(f"  first run (200, parse, sanitise, cache): {first:6.2f} s   {dict(kinds)}")
    second, kinds = timed_run(jobs, options)
    print(f"  second run (every feed 304):             {second:6.2f} s   {dict(kinds)}")
    print(f"  waiting alone at this concurrency: {floor:.2f} s per run"
          f" ({args.feeds} x {args.latency_ms:g} ms / {args.concurrency});"
          f" one after another: {args.feeds * args.latency_ms / 1000:.0f} s of waiting plus the work")


if __name__ == "__main__":
    main()
