"""Where feed bodies are parsed: in the fetching thread, or in worker processes.

feedparser is pure Python and takes several milliseconds a feed.  In the
fetching threads it holds the interpreter lock, so a thousand feeds would
parse one at a time and slow every thread waiting on the network; in worker
processes they parse on every core while the threads keep fetching.  Small
runs parse in place: starting processes would cost more than it saves.
"""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime

from . import parse

POOL_FROM = 64  # feeds in a run before worker processes pay for their start


def parse_processes(feeds: int, wanted: int | None = None) -> int:
    """How many worker processes to parse FEEDS feeds with (0: parse in place).

    WANTED overrides the choice; by default one per core, for runs of POOL_FROM feeds or more.
    """
    if wanted is not None:
        return max(0, wanted)
    cores = os.cpu_count() or 1
    return cores if cores > 1 and feeds >= POOL_FROM else 0


class FeedParser:
    """Parses feed bodies in place or in a pool of PROCESSES workers; use as a context manager."""

    def __init__(self, processes: int = 0):
        self._processes = processes
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> FeedParser:
        if self._processes:
            # forkserver/spawn, never fork: the run forks no process while its threads hold locks.
            method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
            self._pool = ProcessPoolExecutor(self._processes, mp_context=multiprocessing.get_context(method))
        return self

    def __exit__(self, *exc_info) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    def parse(self, body: bytes, url: str, max_entries: int, *, content_type: str = "",
              now: datetime | None = None) -> parse.ParsedFeed:
        """parse.parse_feed(BODY, URL, MAX_ENTRIES, content_type=..., now=...), wherever this parser runs it.

        If a worker process dies, the feeds it held fail this time (they are
        retried next run) and the rest of the run parses in place.
        """
        pool = self._pool
        if pool is None:
            return parse.parse_feed(body, url, max_entries, content_type=content_type, now=now)
        try:
            return pool.submit(parse.parse_feed, body, url, max_entries, content_type=content_type,
                               now=now).result()
        except BrokenProcessPool:
            self._pool = None
            pool.shutdown(wait=False, cancel_futures=True)
            raise
