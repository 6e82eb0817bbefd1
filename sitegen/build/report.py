"""What a build did, told as it goes: the reporter a caller passes to build().

The command line prints a summary from the result; tests and benchmarks pass
a Reporter and read what was selected, rendered, copied and deleted, and how
long each phase took, without reaching into the pipeline.
"""
from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple


class Selection(NamedTuple):
    """What a build reads afresh: AREAS (slugs) alone, the rest as the last
    build left it; or, when AREAS is None, the whole site.  (This and BuildResult
    are named tuples: every build imports them, and a frozen dataclass takes
    five times as long to define, half a millisecond.)"""

    areas: frozenset[str] | None = None

    @property
    def whole(self) -> bool:
        """Whether the whole site is read."""
        return self.areas is None

    def __str__(self) -> str:
        return "the whole site" if self.areas is None else f"areas {', '.join(sorted(self.areas))}"


WHOLE = Selection()


class BuildResult(NamedTuple):
    """What a build made: PAGES (HTML pages in the site), FILES (in the site),
    RENDERED (outputs rendered this time, whether or not their bytes changed), in OUT_DIR."""

    pages: int
    files: int
    rendered: int
    out_dir: Path


@dataclass
class Reporter:
    """Records what one build does (Lektor's reporter, in small).

    selections: every selection the build tried, in order (a narrow one that
    turned out to reach other pages is followed by WHOLE); empty when nothing
    had changed.  rendered, copied, deleted: build paths.  phases: seconds per
    phase, in order."""

    selections: list[Selection] = field(default_factory=list)
    rendered: list[str] = field(default_factory=list)
    copied: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)   # rendered to the bytes already there: left alone
    moved: int = 0
    cold: bool = False   # whether a whole new tree was swapped in
    phases: dict[str, float] = field(default_factory=dict)

    def selected(self, selection: Selection) -> None:
        """The build reads SELECTION afresh."""
        self.selections.append(selection)

    def made(self, rendered: list[str], copied: list[str], deleted: list[str], *, cold: bool,
             unchanged: list[str] | None = None) -> None:
        """The build rendered RENDERED (of which UNCHANGED gave the bytes already in
        place, and were left alone), copied COPIED and deleted DELETED (build paths)."""
        self.rendered += rendered
        self.copied += copied
        self.deleted += deleted
        self.unchanged += unchanged or []
        self.cold = cold

    def moving(self, path: str) -> None:
        """PATH (a build path) is being moved into the output folder: called once
        per file for a build that moves changed files in, not for a cold one."""
        self.moved += 1

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        """Time the phase NAME."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self.phases[name] = self.phases.get(name, 0.0) + time.perf_counter() - started

    @property
    def selection(self) -> Selection | None:
        """The selection the build was made from (None: nothing had changed)."""
        return self.selections[-1] if self.selections else None
