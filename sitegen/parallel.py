"""Run work in forked worker processes, in order, with results streamed back.

Workers are forked so they share the parent's loaded site without pickling it;
only the items and results cross process boundaries.  With one job, or too
little work to repay the start-up, everything runs in this process.  A worker
that dies (killed, out of memory) fails the run with a ServiceError (exit 3)
rather than leaving it waiting for results that will never come; a worker
whose parent dies (killed with SIGKILL, which nothing can catch) stops within
a second rather than waiting for ever for work that will never come.
"""
from __future__ import annotations

import os
import pickle
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Generic, TypeVar

from .errors import ServiceError

if TYPE_CHECKING:
    from concurrent.futures import Future

T = TypeVar("T")
R = TypeVar("R")

_TASK: Callable | None = None

WORKER_DIED = "a worker process stopped (killed, or out of memory); build again, or use --jobs 1"


class Pickled(Generic[T]):
    """VALUE with its pickle DATA, made once.  It crosses to another process as those
    bytes, read there once, and can be kept as them (the area cache) without pickling
    the value a second time: a cold build's areas, loaded in workers, were pickled
    there to reach this process and then again here for the cache."""

    __slots__ = ("value", "data")

    def __init__(self, value: T, data: bytes | None = None):
        self.value = value
        self.data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL) if data is None else data

    def __reduce__(self):
        return _unpickled, (self.data,)


def _unpickled(data: bytes) -> Pickled:
    """A Pickled value, arrived as its DATA."""
    return Pickled(pickle.loads(data), data)  # noqa: S301 - made by this build's own worker


class PickledAs:
    """What to pickle in place of a value whose pickle is DATA (Pickled.data): those
    bytes, read back as the value itself.  A file that keeps values (the area cache)
    then reads as if the value had been pickled there, and no value is pickled twice."""

    __slots__ = ("data",)

    def __init__(self, data: bytes):
        self.data = data

    def __reduce__(self):
        return _value_of, (self.data,)


def _value_of(data: bytes) -> object:
    """The value pickled as DATA."""
    return pickle.loads(data)  # noqa: S301 - read from a file of this build's own making


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _run_chunk(chunk: list) -> list:
    task = _TASK
    assert task is not None, "set in the parent before any worker is forked"
    return [task(item) for item in chunk]


def chunks(items: list[T], count: int) -> list[list[T]]:
    """Split ITEMS into about COUNT lists of neighbouring items."""
    size = max(1, -(-len(items) // count))
    return [items[i:i + size] for i in range(0, len(items), size)]


def parallel_map(task: Callable[[T], R], items: Iterable[T], jobs: int, min_items: int = 200,
                 meanwhile: Callable[[], object] | None = None) -> Iterator[R]:
    """TASK over ITEMS in up to JOBS processes, yielding results in ITEMS' order.

    MEANWHILE, when given, is called once in this process, which would otherwise
    only wait: once every item is handed to the workers (before the first item,
    when there are none).  An exception TASK raises in a worker is raised here
    unchanged; a worker that dies raises ServiceError (exit 3)."""
    items = list(items)
    if jobs <= 1 or len(items) < min_items:
        yield from _inline_map(task, items, meanwhile)
        return
    import multiprocessing  # only here: a small rebuild never forks, and need not import it
    if multiprocessing.get_start_method(allow_none=True) not in (None, "fork"):
        yield from _inline_map(task, items, meanwhile)
        return
    yield from _forked_map(task, items, jobs, meanwhile)


def _inline_map(task: Callable[[T], R], items: list[T],
                meanwhile: Callable[[], object] | None) -> Iterator[R]:
    """TASK over ITEMS in this process, after MEANWHILE."""
    if meanwhile is not None:
        meanwhile()
    yield from map(task, items)


def _forked_map(task: Callable[[T], R], items: list[T], jobs: int,
                meanwhile: Callable[[], object] | None = None) -> Iterator[R]:
    """TASK over ITEMS in JOBS forked workers, in order, calling MEANWHILE here once
    they have it all; ServiceError if one dies."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    global _TASK
    _TASK = task   # before any fork: workers inherit it, it is never pickled
    # With fork, Python 3.11 starts every worker at the first submit(), in this
    # thread; so all of them see _TASK as set just above.
    executor = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"),
                                   initializer=_stop_with_parent, initargs=(os.getpid(),))
    try:
        # Several chunks per worker keep them busy when chunks differ in cost.
        futures: list[Future[list]] = [executor.submit(_run_chunk, part) for part in chunks(items, jobs * 4)]
        if meanwhile is not None:
            meanwhile()
        for future in futures:
            yield from future.result()
    except BrokenProcessPool:
        raise ServiceError("sitegen", WORKER_DIED) from None
    finally:
        # Wait for chunks already running: a worker must not go on writing after
        # its caller has moved on (to clean up staged files, say).
        executor.shutdown(wait=True, cancel_futures=True)
        _TASK = None


PARENT_CHECK_SECONDS = 1.0


def _stop_with_parent(parent: int) -> None:
    """In a worker: stop it once PARENT, the build that forked it, is gone.  A parent
    killed outright closes nothing the worker waits on (its siblings hold the same
    pipe), so it would wait for work for ever, holding a copy of the site in memory."""
    import threading

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="sitegen-parent-watch", daemon=True).start()
