"""One background thread that calls functions at their deadlines.

Used to shut a connection still busy when its fetch's time is up (a server
that drips a byte at a time never trips a read timeout).  A single shared
thread instead of a timer thread per fetch: starting a thread costs more than
a whole 304.
"""
from __future__ import annotations

import heapq
import itertools
import threading
import time
from collections.abc import Callable


class Deadlines:
    """Calls each scheduled function once its monotonic deadline passes, unless cancelled."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int]] = []
        self._pending: dict[int, Callable[[], None]] = {}
        self._ids = itertools.count()
        self._thread: threading.Thread | None = None

    def schedule(self, deadline: float, action: Callable[[], None]) -> int:
        """Call ACTION at DEADLINE (time.monotonic()); returns a token for cancel()."""
        with self._cond:
            token = next(self._ids)
            self._pending[token] = action
            heapq.heappush(self._heap, (deadline, token))
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="feeds-deadlines", daemon=True)
                self._thread.start()
            self._cond.notify()
        return token

    def cancel(self, token: int) -> None:
        """Forget TOKEN's action (it will not be called)."""
        with self._cond:
            self._pending.pop(token, None)

    def _loop(self) -> None:
        while True:
            for action in self._due():
                try:
                    action()
                except Exception:  # an action that fails must not stop the others
                    pass

    def _due(self) -> list[Callable[[], None]]:
        """Wait until something is due; return the due actions."""
        with self._cond:
            while True:
                while self._heap and self._heap[0][1] not in self._pending:
                    heapq.heappop(self._heap)  # cancelled
                if not self._heap:
                    self._cond.wait()
                    continue
                wait = self._heap[0][0] - time.monotonic()
                if wait <= 0:
                    break
                self._cond.wait(wait)
            due = []
            while self._heap and self._heap[0][0] <= time.monotonic():
                _, token = heapq.heappop(self._heap)
                action = self._pending.pop(token, None)
                if action is not None:
                    due.append(action)
            return due


DEADLINES = Deadlines()
