"""Run jobs with at most N in flight in all, and a few per host.

A worker never waits on a busy host while another host's job could run: it
takes the next job whose host has room, round-robin over hosts, so one slow or
crowded host does not hold up the rest.  A job may give its slot back before it
ends (a feed, once fetched, is parsed without holding a connection slot); spare
threads then start the next jobs meanwhile.
"""
from __future__ import annotations

import threading
from collections import Counter, OrderedDict, deque
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

T = TypeVar("T")
Release = Callable[[], None]


class _HostQueue(Generic[T]):
    """Pending jobs grouped by key, handed out within a global and a per-key limit."""

    def __init__(self, jobs: Iterable[T], key: Callable[[T], str], limit: int, per_key: int):
        self._pending: OrderedDict[str, deque[T]] = OrderedDict()
        for job in jobs:
            self._pending.setdefault(key(job), deque()).append(job)
        self._active: Counter[str] = Counter()
        self._running = 0
        self._limit, self._per_key = limit, per_key
        self._cond = threading.Condition()

    def take(self) -> tuple[str, T] | None:
        """The next job whose key has room, waiting if needed; None when all are taken."""
        with self._cond:
            while self._pending:
                found = self._next_ready() if self._running < self._limit else None
                if found is not None:
                    return found
                self._cond.wait()
            return None

    def _next_ready(self) -> tuple[str, T] | None:
        for key in list(self._pending):
            if self._active[key] < self._per_key:
                jobs = self._pending.pop(key)
                job = jobs.popleft()
                if jobs:
                    self._pending[key] = jobs  # re-added at the end: round-robin
                self._active[key] += 1
                self._running += 1
                return key, job
        return None

    def release(self, key: str) -> None:
        """Free a slot of KEY and wake the waiting workers."""
        with self._cond:
            self._active[key] -= 1
            self._running -= 1
            self._cond.notify_all()


def run_limited(jobs: Iterable[T], work: Callable[[T, Release], None], key: Callable[[T], str],
                concurrency: int, per_key: int, spare_threads: int = 0) -> None:
    """Call WORK(job, release) on every job: at most CONCURRENCY at once, PER_KEY per key.

    A job holds its slot until WORK returns or calls `release()`.  SPARE_THREADS
    extra threads let new jobs start while released ones finish.  WORK should
    handle its own errors; the first one that escapes is re-raised here once
    every job has run.
    """
    jobs = list(jobs)
    limit = max(1, concurrency)
    queue = _HostQueue(jobs, key, limit, max(1, per_key))
    errors: list[BaseException] = []

    def worker() -> None:
        while (taken := queue.take()) is not None:
            released = threading.Event()

            def release(slot: str = taken[0], flag: threading.Event = released) -> None:
                if not flag.is_set():
                    flag.set()
                    queue.release(slot)

            try:
                work(taken[1], release)
            except BaseException as exc:  # re-raised in the caller's thread below
                errors.append(exc)
            finally:
                release()

    count = max(1, min(limit + max(0, spare_threads), len(jobs)))
    threads = [threading.Thread(target=worker, name=f"feeds-{n}", daemon=True) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
