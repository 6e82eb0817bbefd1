"""The build state: what each output was made from, remembered between builds.

Generic hash-compare-store: unit hashes, each output's input hash, file
stamps; plus the site facts the pipeline keeps (sitegen/build/facts.py).
Written atomically after a build has moved everything in; outputs a build was
moving when it stopped are marked, and not vouched for by the state.

On disk: two files, each a header line naming the format and the Python that
wrote it, then fields, each its length first (8 bytes), in marshal's format
(dicts of strings, numbers and tuples), then a CRC-32 of all after the header.
STATE_FILE (the base) holds a whole state, DELTA_FILE what the builds since
changed of it: the values that changed in its large mappings (file stamps,
folders, units, outputs, the areas' facts) and the rest whole.  A one-area edit
changes a few dozen of 60,000 entries: it rewrites the delta (kilobytes), not
the base (3.1 MB at 2,000 wards, 15 ms); a build that adds or removes an entry
(a new file, a new output), or whose delta grows past an eighth of the base,
writes a new base and an empty delta.  Each names the base it belongs to (a
random id): a delta missing, or not of the base there, is no state, as is
either file not exactly as written (a flipped byte would read as wrong values
rather than fail: the CRC) or from another Python (marshal's format may change
with Python's version); the next build then renders everything.  In the base,
the units are kept as what they add to the sources (most units are sources,
with the same hashes), the site facts as plain values (facts.plain_facts), and
it is written a field at a time, so the build's peak memory holds one field's
bytes, not the whole file's.
"""
from __future__ import annotations

import marshal
import os
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import IO, Any

from ..fileio import atomic_write
from ..outputfolder import BUILD_MARKER
from .facts import SiteFacts, plain_area, plain_facts, typed_areas, typed_facts
from .hashing import Entries, Stamp
from .units import Unit, changed_entries

STATE_FORMAT = 12
STATE_FILE = "state.bin"
DELTA_FILE = "state.delta"
STATE_HEADER = (f"sitegen build state {STATE_FORMAT} "   # and what wrote it: marshal's format is Python's
                f"{sys.implementation.cache_tag} marshal {marshal.version}\n")
CRC_BYTES = 4
LENGTH_BYTES = 8
OLD_STATE_FILE = "state.pickle"   # where formats up to 9 kept it: removed by the first save
MOVING_FILE = "moving.json"   # outputs being moved into place; the state does not vouch for them
# A delta larger than this part of the base's entries is written as a new base.
DELTA_SHARE = 8

Changes = dict[str, dict[Any, Any]]   # name of a large mapping (_large) -> its entries that changed


@dataclass
class BuildState:
    """Everything a rebuild needs to know about the last successful build."""

    format: int = STATE_FORMAT
    code: str = ""                                             # sitegen's own code (sources.code_hash)
    out_dir: str = ""
    build_date: date | None = None
    stamps: dict[str, Stamp] = field(default_factory=dict)     # file -> (mtime_ns, size, hash)
    folders: dict[str, tuple[int, Entries]] = field(default_factory=dict)   # folder -> (mtime_ns, names)
    sources: dict[Unit, str] = field(default_factory=dict)     # the units read: files and cached feeds
    units: dict[Unit, str] = field(default_factory=dict)       # those and the derived ones: what hashes mixed
    outputs: dict[str, str] = field(default_factory=dict)      # build path -> input hash
    frame: str = ""                                            # what every output shows, hashed
    templates: dict[str, str] = field(default_factory=dict)    # template -> hash with its includes
    site: SiteFacts = field(default_factory=SiteFacts)
    # The base file it was read from (its id) and what the delta changed of it, when this
    # is still what those files hold: save_state then writes only what changed since.
    disk: tuple[str, Changes] | None = field(default=None, init=False, compare=False, repr=False)

    @property
    def empty(self) -> bool:
        """Whether there is no last build to compare with."""
        return not self.outputs


def default_state_dir(root: Path) -> Path:
    """Where the build state of the site at ROOT is kept unless --state says otherwise."""
    return root / ".cache" / "build"


def load_state(state_dir: Path) -> BuildState:
    """The saved state, or an empty one if there is none or it is unreadable.

    Outputs a build was moving into place or deleting when it stopped are vouched
    for as nothing (an empty hash): each is made again if it is still wanted, and
    deleted if not (left out, one no longer wanted would stay published, unknown
    to every build); and nothing counts as unchanged."""
    state = read_state(state_dir)
    moving = _moving(state_dir)
    if moving is None:
        return BuildState()
    if moving:
        moving.discard(BUILD_MARKER)   # the output folder's own mark, no output
        state = replace(state, outputs={**state.outputs, **dict.fromkeys(sorted(moving), "")},
                        sources={})   # (no longer what the files hold: the next save writes a base)
    return state


def save_state(state_dir: Path, state: BuildState, since: BuildState | None = None) -> None:
    """Write STATE atomically, and clear the moving mark it supersedes.  SINCE: the state
    the build started from (load_state's), whose mappings it has not changed; then only
    what differs from its base is written, while that is a few values (see the module
    docstring)."""
    changes = _changes(since, state) if since is not None else None
    if changes is None:
        base = os.urandom(8).hex()
        atomic_write(state_dir / STATE_FILE, lambda handle: _write(handle, _fields(state, base)), cache=True)
        changes = {}
    else:
        assert since is not None and since.disk is not None
        base = since.disk[0]
    delta = _delta(state, base, changes)
    atomic_write(state_dir / DELTA_FILE, lambda handle: _write(handle, delta), cache=True)
    (state_dir / MOVING_FILE).unlink(missing_ok=True)
    (state_dir / OLD_STATE_FILE).unlink(missing_ok=True)


def _large(state: BuildState) -> dict[str, dict[Any, Any]]:
    """STATE's large mappings by name: a delta holds those of their entries that changed."""
    return {"outputs": state.outputs, "units": state.units, "sources": state.sources, "stamps": state.stamps,
            "folders": state.folders, "areas": state.site.areas, "neighbours": state.site.neighbours}


def _changes(since: BuildState, state: BuildState) -> Changes | None:
    """What STATE changed of the base SINCE was read from (the delta's and its own changes),
    or None if it must be written whole: SINCE is not what the files hold, STATE has an
    entry more or less in a large mapping, or the changes are more than a DELTA_SHARE."""
    if since.disk is None:
        return None
    changes: Changes = {}
    earlier, old_mappings, new_mappings = since.disk[1], _large(since), _large(state)
    total, share = sum(map(len, new_mappings.values())), 0
    for name, new in new_mappings.items():   # (the outputs first: a whole build changes most)
        old = old_mappings[name]
        # (One taken as it was read is unchanged: a build with nothing to do keeps all but the stamps.)
        changed = {} if new is old else changed_entries(old, new)
        if len(new) != len(old) or not changed.keys() <= old.keys():
            return None
        changes[name] = {**earlier.get(name, {}), **changed}
        share += len(changes[name])
        if share * DELTA_SHARE > total:
            return None
    return changes


def _fields(state: BuildState, base: str) -> Iterator[Any]:   # (Any: marshal's stub's type is private)
    """STATE's fields as the base file holds them, one by one (read_state reads them in this order)."""
    yield ("base", base)
    yield from (state.code, state.out_dir, state.build_date.toordinal() if state.build_date else 0,
                state.stamps, _shared(state.folders))
    yield _plain(state.sources)
    yield _apart(state.units, state.sources)
    yield from (state.outputs, state.frame, state.templates)
    yield plain_facts(state.site)


def _shared(folders: dict[str, tuple[int, Entries]]) -> dict[str, tuple[int, Entries]]:
    """FOLDERS with each listing one object with every listing equal to it (area folders hold
    files of the same names): marshal writes an object it meets again as a reference, so the
    base holds and read_state makes each once, and the builds after keep them shared (at
    2,000 wards 4,000 listings of 17 kinds: 0.42 -> 0.27 MB, 1.9 -> 0.8 ms to read)."""
    pool: dict[Entries, Entries] = {}
    return {folder: (mtime, pool.setdefault(names, names)) for folder, (mtime, names) in folders.items()}


def _delta(state: BuildState, base: str, changes: Changes) -> Iterator[Any]:
    """The delta file's fields: of the base BASE; STATE's small fields whole (its site facts
    but the areas and neighbours); the CHANGES to its large mappings (keyed as the base)."""
    yield ("delta", base)
    yield (state.code, state.out_dir, state.build_date.toordinal() if state.build_date else 0, state.frame,
           state.templates, plain_facts(replace(state.site, areas={}, neighbours={})))
    plain = dict(changes)
    for name in ("sources", "units"):
        plain[name] = _plain(changes.get(name, {}))
    plain["areas"] = {slug: plain_area(facts) for slug, facts in changes.get("areas", {}).items()}
    yield plain


def _write(handle: IO[bytes], fields: Iterable[Any]) -> None:
    """Write FIELDS to HANDLE as the state's files hold them (see the module docstring)."""
    handle.write(STATE_HEADER.encode())
    crc = 0
    for field_value in fields:
        data = marshal.dumps(field_value)
        part = len(data).to_bytes(LENGTH_BYTES, "big")
        handle.write(part)
        handle.write(data)
        crc = zlib.crc32(data, zlib.crc32(part, crc))
    handle.write(crc.to_bytes(CRC_BYTES, "big"))


def read_state(state_dir: Path) -> BuildState:
    """The state save_state saved in STATE_DIR; an empty one if either of its files is missing,
    unreadable, from another format or Python, or not exactly as written, or if the delta
    is not of the base there."""
    base, delta = _read(state_dir / STATE_FILE), _read(state_dir / DELTA_FILE)
    if base is None or delta is None:
        return BuildState()
    try:
        ((kind, base_id), code, out_dir, day, stamps, folders, sources, (added, lacking), outputs, frame,
         templates, site) = base
        if (kind, delta[0]) != ("base", ("delta", base_id)):
            return BuildState()
        facts = typed_facts(site)
        sources = _typed(sources)
        units = _together(sources, added, lacking)
        state = BuildState(STATE_FORMAT, code, out_dir, date.fromordinal(day) if day else None, stamps,
                           folders, sources, units, outputs, frame, templates, facts)
        _, (code, out_dir, day, frame, templates, rest), plain = delta
        changes = {**plain, "sources": _typed(plain["sources"]), "units": _typed(plain["units"]),
                   "areas": typed_areas(plain["areas"])}
        small = typed_facts(rest)
    except Exception:   # written by another sitegen (with other site facts, say)
        return BuildState()
    for name, mapping in _large(state).items():
        mapping.update(changes.get(name, {}))
    state = replace(state, code=code, out_dir=out_dir, build_date=date.fromordinal(day) if day else None,
                    frame=frame, templates=templates,
                    site=replace(small, areas=state.site.areas, neighbours=state.site.neighbours))
    state.disk = (base_id, changes)
    return state


def _read(path: Path) -> list[Any] | None:
    """The fields _write wrote to PATH; None if it is missing, unreadable, from another format
    or Python, or not exactly as written."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    header = STATE_HEADER.encode()
    body = memoryview(data)[len(header):-CRC_BYTES]
    if not data.startswith(header) or len(data) < len(header) + CRC_BYTES \
            or data[-CRC_BYTES:] != zlib.crc32(body).to_bytes(CRC_BYTES, "big"):
        return None
    try:
        return _unmarshalled(body)
    except Exception:   # (a length that is not: cut short, yet with a CRC that matches)
        return None


def _unmarshalled(body: memoryview) -> list[Any]:
    """The fields _write wrote into BODY, each after its length."""
    fields, at = [], 0
    while at < len(body):
        length = int.from_bytes(body[at:at + LENGTH_BYTES], "big")
        at += LENGTH_BYTES
        fields.append(marshal.loads(body[at:at + length]))
        at += length
    return fields


def _plain(units: dict[Unit, str]) -> dict[Unit, str]:
    """UNITS keyed by plain tuples, as marshal writes them (it knows no named tuple)."""
    return {tuple(unit): value for unit, value in units.items()}  # type: ignore[misc]


def _apart(units: dict[Unit, str], sources: dict[Unit, str]) -> tuple[dict[Unit, str], list[Unit]]:
    """UNITS as what they add to SOURCES, as marshal writes it: (the units with a hash other
    than SOURCES gives them, or that SOURCES lacks; those of SOURCES that UNITS lacks).
    Most of a build's units are its sources: 8,000 of 12,000 at 2,000 wards."""
    added = {tuple(unit): value for unit, value in units.items() if sources.get(unit) != value}
    lacking = [tuple(unit) for unit in sources.keys() - units.keys()]
    return added, lacking  # type: ignore[return-value]


def _together(sources: dict[Unit, str], added: dict[Unit, str], lacking: list[Unit]) -> dict[Unit, str]:
    """The units _apart gave ADDED and LACKING of, with SOURCES (typed)."""
    units = {**sources, **_typed(added)}
    for unit in lacking:
        del units[unit]   # (a plain tuple finds the Unit equal to it)
    return units


def _typed(units: dict[Unit, str]) -> dict[Unit, str]:
    """UNITS keyed by Units again (tuple.__new__: quicker than calling Unit)."""
    make = tuple.__new__
    return {make(Unit, unit): value for unit, value in units.items()}


def mark_moving(state_dir: Path, paths: set[str]) -> None:
    """Record that PATHS are about to be replaced or deleted in the output."""
    # (Imported here and in _moving: a build with nothing to do, and no mark, needs no json.)
    import json
    atomic_write(state_dir / MOVING_FILE, json.dumps(sorted(paths)), cache=True)


def _moving(state_dir: Path) -> set[str] | None:
    """The paths marked as moving (none if no mark), or None if the mark is unreadable."""
    try:
        text = (state_dir / MOVING_FILE).read_text(encoding="utf-8")
    except FileNotFoundError:
        return set()
    except (OSError, ValueError):
        return None
    import json
    try:
        return set(json.loads(text))
    except (ValueError, TypeError):
        return None
