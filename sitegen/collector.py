"""Keeping Python's cycle collector out of the way of a build.

A build loads tens of thousands of small objects (the model, the build state)
that hold no reference cycles.  While they are being made the collector would
walk them again and again; once made, it would walk them on every collection
while pages render.  So it is paused while loading, and what was loaded is then
frozen out of its walks (`gc.freeze`, as long-lived servers do before forking).
"""
from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[Callable[[], None]]:
    """Pause the collector; the function given back marks loading done.

    On leaving, everything frozen becomes collectable again (a long-running
    preview server builds many times) and the collector is as it was."""
    was_enabled = gc.isenabled()
    gc.disable()

    def loaded() -> None:
        gc.freeze()
        if was_enabled:
            gc.enable()

    try:
        yield loaded
    finally:
        gc.unfreeze()
        if was_enabled:
            gc.enable()
