"""The report of an import: what it created, changed and left alone, and anything it skipped."""
from __future__ import annotations

from dataclasses import dataclass, field

from ...content.areas import PINNABLE
from .merge import LINK_KEYS


@dataclass
class AreaChange:
    """What the import did to one area."""

    slug: str
    neighbourhood: str
    action: str                                   # created, updated or unchanged
    fields: list[str] = field(default_factory=list)
    pinned: list[str] = field(default_factory=list)
    newly_pinned: list[str] = field(default_factory=list)

    def line(self, force: str) -> str:
        """One line for the report."""
        text = f"{self.action} {self.slug} ({force}/{self.neighbourhood})"
        if self.fields:
            text += ": " + ", ".join(self.fields)
        if self.newly_pinned:
            text += f"; pinned because the API has none, yours kept: {', '.join(self.newly_pinned)}"
        if self.pinned:
            text += f"; pinned, left as written: {', '.join(self.pinned)}"
        return text


@dataclass
class PoliceImportReport:
    """What an import created, changed and left alone, and anything it skipped."""

    force: str
    changes: list[AreaChange] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    requests: int = 0

    def slugs(self, action: str) -> list[str]:
        """Slugs of the areas with ACTION (created, updated, unchanged)."""
        return [c.slug for c in self.changes if c.action == action]

    def lines(self) -> list[str]:
        """The report as lines for people."""
        out = [c.line(self.force) for c in self.changes] + [f"note: {n}" for n in self.notes]
        out.append(f"Created {len(self.slugs('created'))}, updated {len(self.slugs('updated'))}, "
                   f"left {len(self.slugs('unchanged'))} unchanged ({self.requests} API requests).")
        return out


def area_change(slug: str, nid: str, action: str, old: dict, new: dict, changed: list[str]) -> AreaChange:
    """How the report tells of area SLUG (neighbourhood NID) after ACTION.

    OLD and NEW are its area.yaml data before and after, CHANGED the keys
    (and "boundary") that differ.
    """
    was_pinned = old.get("pinned", [])
    shown = [k for k in changed if k not in (*LINK_KEYS, "pinned")] if action != "created" else []
    return AreaChange(slug, nid, action, shown, [k for k in was_pinned if k in PINNABLE],
                      [k for k in new.get("pinned", []) if k not in was_pinned])
