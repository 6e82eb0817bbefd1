"""A token bucket per client address, for the WSGI app (Lambda relies on API
Gateway or function URL throttling instead; see docs/intake.md)."""
from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable


class RateLimiter:
    """PER_MINUTE requests per client on average, BURST at once; 0 per minute lets everything through."""

    def __init__(self, per_minute: int, burst: int, clock: Callable[[], float] = time.monotonic,
                 max_clients: int = 10000):
        self.rate = per_minute / 60.0
        self.burst = max(1, burst)
        self.clock = clock
        self.max_clients = max_clients
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def wait_seconds(self, client: str) -> int:
        """0 when CLIENT may go ahead (a token is taken), else whole seconds until it may."""
        if self.rate <= 0:
            return 0
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.pop(client, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.rate)
            wait = 0 if tokens >= 1 else max(1, math.ceil((1 - tokens) / self.rate))
            self._buckets[client] = (tokens - 1 if wait == 0 else tokens, now)
            self._forget_oldest()
        return wait

    def _forget_oldest(self) -> None:
        """Keep memory bounded: drop the longest-idle clients beyond MAX_CLIENTS."""
        while len(self._buckets) > self.max_clients:
            self._buckets.popitem(last=False)
