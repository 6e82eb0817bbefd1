"""Which part of the site a build must read afresh, found from file stamps and
hashes before anything is parsed.

Most changes between builds are to one ward: a news story, the team, a
meeting; or, overnight, a ward's cached feeds and the date.  When nothing else
changed (site.yaml, templates, forms, site pages, media, assets, sitegen) and
no area came or went, the selection is those areas; the pipeline then reads
only them, and widens to the whole site if one of them changed what other
pages show of it.  Anything else selects the whole site.  Nothing changed and
every output still there: no selection, nothing to do.
"""
from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .hashing import Hasher
from .report import WHOLE, Selection
from .sources import AREAS, code_hash, feed_units, source_units
from .state import BuildState, load_state
from .units import Unit, changed_units

# Past this many changed areas the whole build, which loads in parallel, is as quick.
MOST_AREAS = 64
# Units whose change is confined to one area (an area's text and translations are parts of its folder).
NARROW_KINDS = frozenset({"area", "area-text", "area-translations", "feeds"})


@dataclass
class Scan:
    """The sources' hashes, taken before anything is parsed, and the last build's state."""

    state: BuildState
    hasher: Hasher
    code: str
    sources: dict[Unit, str]
    # Links leading out of the site, and names sitefiles.name_fault refuses: the whole build reports them.
    links_out: set[str] = field(default_factory=set)
    bad_names: set[str] = field(default_factory=set)

    _last_feeds: dict[Unit, str] | None = field(default=None, repr=False)

    def last_feeds(self) -> dict[Unit, str]:
        """The feeds units of the last build's areas, as the feed cache has them now."""
        if self._last_feeds is None:
            site = self.state.site
            cache_dir = Path(site.feed_cache)
            self._last_feeds = feed_units(site.feeds(), cache_dir, self.hasher) if site.feed_cache else {}
        return self._last_feeds


def scan(root: Path, out_dir: Path, state_dir: Path, clean: bool) -> Scan:
    """Hash the sources of ROOT, against the state of the last build into OUT_DIR."""
    from ..sitefiles import name_fault, outside_target  # the rules for links and names
    state = BuildState() if clean else load_state(state_dir)
    if state.out_dir != str(out_dir) or not out_dir.is_dir():
        state = BuildState()
    links_out: set[str] = set()
    bad_names: set[str] = set()

    def link_out(path: str) -> str | None:
        target = outside_target(root, path)
        if target is not None:
            links_out.add(path)
        return target

    def notice_name(folder: str, name: str) -> None:
        if name_fault(name):
            bad_names.add(f"{folder}/{name}")

    hasher = Hasher(state.stamps, state.folders, link_out, notice_name)
    code = code_hash(hasher)
    last = state.sources if code == state.code else None   # (another sitegen may split a folder otherwise)
    return Scan(state, hasher, code, source_units(root, hasher, last), links_out, bad_names)


def select(found: Scan, out_dir: Path, build_date: date) -> Selection | None:
    """What the build must read afresh, or None if nothing changed and every output is there."""
    state = found.state
    if state.empty or state.code != found.code or found.links_out or found.bad_names:
        return WHOLE   # (a link out of the site, or a bad name: the whole build names it)
    changed = changed_units(state.sources, {**found.sources, **found.last_feeds()})
    dated = state.site.dated_changes(state.build_date, build_date)
    if not changed and not dated:
        return WHOLE if any_missing(out_dir, state.outputs) else None
    if not all(_confined(unit, state.sources, found.sources) for unit in changed):
        return WHOLE
    touched = {unit.name for unit in changed if unit.kind in NARROW_KINDS} | dated
    # (A file deleted from the output by hand outside these areas is made again by the next
    # build of the whole site, or with nothing to do: checking every output here would cost
    # as much as the rest of a narrow build.)
    return Selection(frozenset(touched)) if len(touched) <= MOST_AREAS else WHOLE


def _confined(unit: Unit, old: dict[Unit, str], new: dict[Unit, str]) -> bool:
    """Whether a change of UNIT stays inside one area that was there before and still is."""
    if unit == AREAS or unit.kind == "feeds":
        return True
    return unit.kind in NARROW_KINDS and unit in old and unit in new


def changed_since_scan(found: Scan, root: Path, selection: Selection) -> bool:
    """Whether a file or folder the scan hashed or listed, and that the build of
    SELECTION read, has changed (or gone) since the scan saw it: what the build then
    read may not be what the scan hashed.  (A narrow build reads no other area.)"""
    if selection.areas is None:
        return found.hasher.changed_since(lambda path: True)
    areas = f"{root}/content/areas/"
    read = tuple(f"{areas}{slug}/" for slug in selection.areas)

    def was_read(path: str) -> bool:
        return not path.startswith(areas) or (path + "/").startswith(read)

    return found.hasher.changed_since(was_read)


def any_missing(out_dir: Path, paths: Iterable[str]) -> bool:
    """Whether any of PATHS is no longer under OUT_DIR (someone may have deleted it)."""
    return bool(missing_outputs(out_dir, paths, first=True))


def missing_outputs(out_dir: Path, paths: Iterable[str], *, first: bool = False) -> list[str]:
    """Those of PATHS (build paths) no longer under OUT_DIR; with FIRST, the first one only.

    Each is looked up from an open OUT_DIR, with access() rather than stat(): a third
    less work for a build with nothing to do, which asks this of every output."""
    try:
        folder = os.open(out_dir, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        paths = list(paths)
        return paths[:1] if first else paths
    missing = []
    try:
        for path in paths:
            if not os.access(path, os.F_OK, dir_fd=folder):
                missing.append(path)
                if first:
                    break
    finally:
        os.close(folder)
    return missing
