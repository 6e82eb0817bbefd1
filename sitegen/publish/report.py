"""How a publish tells people what it does: a progress bar on a terminal,
nothing in tests and pipelines, and the plan as text for --dry-run.

File names in build/ and keys in the bucket are text from outside: the plan
shows them through `printable`, so an escape sequence in a name reaches the
terminal as visible text, never as a command to it.
"""
from __future__ import annotations

import sys
from typing import Any, TextIO

import click

from ..terminal import printable
from .plan import GROUP_NAMES, Plan


class Reporter:
    """Progress of one step at a time; this base class says nothing."""

    def start(self, label: str, total: int) -> None:
        """A step of TOTAL items begins."""

    def advance(self, count: int = 1) -> None:
        """COUNT more items of the current step are done."""

    def finish(self) -> None:
        """The current step is over."""


class BarReporter(Reporter):
    """A click progress bar on STREAM (stderr), one per step."""

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.bar: Any = None

    def start(self, label: str, total: int) -> None:
        self.finish()
        self.bar = click.progressbar(length=total, label=label.ljust(22), file=self.stream, width=30)
        self.bar.__enter__()

    def advance(self, count: int = 1) -> None:
        if self.bar is not None:
            self.bar.update(count)

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def reporter_for(stream: TextIO | None = None) -> Reporter:
    """A progress bar when STREAM (default stderr) is a terminal, else silence."""
    stream = stream or sys.stderr
    return BarReporter(stream) if stream.isatty() else Reporter()


def plan_lines(plan: Plan, invalidations: list[str], where: str) -> list[str]:
    """The plan as lines for people: one per upload and delete, in the order they run; every
    name, key and path with its control characters shown as escapes (sitegen.terminal)."""
    lines = [f"Plan for {printable(where)}:"]
    for number, uploads in plan.groups():
        lines.append(f"  {GROUP_NAMES[number]}:")
        lines.extend(f"    upload  {printable(u.path)}  ({u.reason})" for u in uploads)
    if plan.deletes:
        lines.append("  stale keys:")
        lines.extend(f"    delete  {printable(path)}" for path in plan.deletes)
    if invalidations:
        lines.append("  CDN:")
        lines.extend(f"    invalidate  {printable(path)}" for path in invalidations)
    lines.append(summary_line(len(plan.uploads), len(plan.deletes), len(plan.unchanged), invalidations,
                              dry_run=True))
    return lines


def summary_line(uploaded: int, deleted: int, unchanged: int, invalidated: list[str],
                 dry_run: bool = False) -> str:
    """'3 uploaded, 1 deleted, 120 unchanged, 2 paths invalidated.'"""
    verb = ("to upload", "to delete", "unchanged", "paths to invalidate") if dry_run else \
        ("uploaded", "deleted", "unchanged", "paths invalidated")
    text = (f"{uploaded} {verb[0]}, {deleted} {verb[1]}, {unchanged} {verb[2]}, "
            f"{len(invalidated)} {verb[3]}.")
    return text + (" Dry run: nothing was changed." if dry_run else "")
