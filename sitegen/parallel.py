"""Run work in forked worker processes, in order, with results streamed back.

Workers are forked so they share the parent's loaded site without pickling it;
only the items and results cross process boundaries.  With one job, or too
little work to repay the start-up, everything runs in this process.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

_TASK: Callable | None = None


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _run_chunk(chunk: list) -> list:
    task = _TASK
    assert task is not None, "set in each worker before any chunk"
    return [task(item) for item in chunk]


def chunks(items: list[T], count: int) -> list[list[T]]:
    """Split ITEMS into about COUNT lists of neighbouring items."""
    size = max(1, -(-len(items) // count))
    return [items[i:i + size] for i in range(0, len(items), size)]


def parallel_map(task: Callable[[T], R], items: Iterable[T], jobs: int, min_items: int = 200) -> Iterator[R]:
    """TASK over ITEMS in up to JOBS processes, yielding results in ITEMS' order."""
    global _TASK
    items = list(items)
    if jobs <= 1 or len(items) < min_items:
        yield from map(task, items)
        return
    import multiprocessing  # only here: a small rebuild never forks, and need not import it
    if multiprocessing.get_start_method(allow_none=True) not in (None, "fork"):
        yield from map(task, items)
        return
    _TASK = task
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            # Several chunks per worker keep them busy when chunks differ in cost.
            for results in pool.imap(_run_chunk, chunks(items, jobs * 4)):
                yield from results
    finally:
        _TASK = None
