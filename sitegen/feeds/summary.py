"""The outcome of each feed in a run, counted, listed for people and saved as JSON."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .run import FeedJob

OUTCOMES = ("fetched", "not_modified", "failed", "gone", "backed_off")
PROBLEMS = ("failed", "gone", "backed_off")


@dataclass(frozen=True)
class Outcome:
    """What happened to one feed in a run."""

    job: FeedJob
    kind: str               # one of OUTCOMES
    message: str = ""
    has_copy: bool = False


@dataclass
class RunSummary:
    """The outcome of every feed in a run, and how long it took."""

    started_at: datetime
    seconds: float = 0.0
    outcomes: list[Outcome] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """How many feeds ended each way."""
        return {kind: sum(1 for o in self.outcomes if o.kind == kind) for kind in OUTCOMES}

    def line(self) -> str:
        """One line for people: 'Feeds: 3 checked in 1.2s: 1 fetched, ...'."""
        parts = ", ".join(f"{n:,} {kind.replace('_', ' ')}" for kind, n in self.counts().items())
        return f"Feeds: {len(self.outcomes):,} checked in {self.seconds:.1f}s: {parts}."

    def problem_lines(self) -> list[str]:
        """One line per feed that did not come back fine, as
        'PATH:LINE:COL: feed URL: what happened; what to do' (PATH:LINE:COL being
        where the first area.yaml lists it; just PATH, or 'feeds', when unknown)."""
        return [f"{_where(o)}: feed {o.job.url}: {o.message}; {_advice(o)}" for o in self.problems()]

    def problems(self) -> list[Outcome]:
        """Outcomes other than fetched and not modified, by URL."""
        return sorted((o for o in self.outcomes if o.kind in PROBLEMS),
                      key=lambda o: o.job.url)

    def to_json(self) -> dict:
        """The summary as JSON data, saved beside the cache."""
        return {"started_at": self.started_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "seconds": round(self.seconds, 3), "feeds": len(self.outcomes), "counts": self.counts(),
                "problems": [{"url": o.job.url, "areas": list(o.job.areas), "outcome": o.kind,
                              "message": o.message, "showing_last_good_copy": o.has_copy}
                             for o in self.problems()]}


def _where(outcome: Outcome) -> str:
    job = outcome.job
    return job.places[0] if job.places else job.areas[0] if job.areas else "feeds"


def _advice(outcome: Outcome) -> str:
    """What an editor can do about OUTCOME, and what the site shows meanwhile."""
    if outcome.kind == "gone":
        return ("the site says this feed is gone for good, so it is no longer shown;"
                " remove the 'feed:' line, or give the feed's new address")
    retry = "it is tried again then" if outcome.kind == "backed_off" else "it is tried again on the next run"
    shown = ("the last good copy is shown meanwhile" if outcome.has_copy
             else "nothing is shown until it works")
    return f"check that the address opens in a browser, and correct it if it has moved; {retry}, and {shown}"
