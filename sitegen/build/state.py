"""The build state: what each output was made from, remembered between builds.

Generic hash-compare-store: unit hashes, each output's input hash, file
stamps; plus the site facts the pipeline keeps (sitegen/build/facts.py).
Written atomically after a build has moved everything in; outputs a build was
moving when it stopped are marked, and not vouched for by the state.

On disk (STATE_FILE): a header line naming the format and the Python that wrote
it; then each field, its length first (8 bytes), in marshal's format (dicts of
strings, numbers and tuples); then a CRC-32 of all after the header.  Every
build reads and writes the whole state (3.1 MB at 2,000 wards): marshal writes
it in a third of pickle's time, and a field at a time, so the build's peak
memory holds one field's bytes, not the whole file's.  The units are kept as
what they add to the sources (most units are sources, with the same hashes),
the site facts as plain values (facts.plain_facts).  marshal's format may
change with Python's version, and a file that is not exactly what was written
(a flipped byte) would read as wrong values rather than fail, so a state from
another Python, or whose CRC does not match, is no state: the next build
renders everything.
"""
from __future__ import annotations

import json
import marshal
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any

from ..fileio import atomic_write
from .facts import SiteFacts, plain_facts, typed_facts
from .hashing import Entries, Stamp
from .units import Unit

STATE_FORMAT = 11
STATE_FILE = "state.bin"
STATE_HEADER = (f"sitegen build state {STATE_FORMAT} "   # and what wrote it: marshal's format is Python's
                f"{sys.implementation.cache_tag} marshal {marshal.version}\n")
CRC_BYTES = 4
LENGTH_BYTES = 8
OLD_STATE_FILE = "state.pickle"   # where formats up to 9 kept it: removed by the first save
MOVING_FILE = "moving.json"   # outputs being moved into place; the state does not vouch for them


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

    @property
    def empty(self) -> bool:
        """Whether there is no last build to compare with."""
        return not self.outputs


def default_state_dir(root: Path) -> Path:
    """Where the build state of the site at ROOT is kept unless --state says otherwise."""
    return root / ".cache" / "build"


def load_state(state_dir: Path) -> BuildState:
    """The saved state, or an empty one if there is none or it is unreadable.

    Outputs a build was moving into place when it stopped are left out, so
    they are made again, and nothing counts as unchanged."""
    state = read_state(state_dir / STATE_FILE)
    moving = _moving(state_dir)
    if moving is None:
        return BuildState()
    if moving:
        state.outputs = {path: h for path, h in state.outputs.items() if path not in moving}
        state.sources = {}
    return state


def save_state(state_dir: Path, state: BuildState) -> None:
    """Write STATE atomically, and clear the moving mark it supersedes."""
    atomic_write(state_dir / STATE_FILE, lambda handle: _write_state(state, handle), cache=True)
    (state_dir / MOVING_FILE).unlink(missing_ok=True)
    (state_dir / OLD_STATE_FILE).unlink(missing_ok=True)


def _fields(state: BuildState) -> Iterator[Any]:   # (what marshal takes: its stub's type is private)
    """STATE's fields as they are marshalled, one by one (read_state reads them back in this order)."""
    yield from (state.code, state.out_dir, state.build_date.toordinal() if state.build_date else 0,
                state.stamps, state.folders)
    yield _plain(state.sources)
    yield _apart(state.units, state.sources)
    yield from (state.outputs, state.frame, state.templates)
    yield plain_facts(state.site)


def _write_state(state: BuildState, handle: IO[bytes]) -> None:
    """Write STATE to HANDLE as STATE_FILE holds it (see the module docstring)."""
    handle.write(STATE_HEADER.encode())
    crc = 0
    for field_value in _fields(state):
        data = marshal.dumps(field_value)
        part = len(data).to_bytes(LENGTH_BYTES, "big")
        handle.write(part)
        handle.write(data)
        crc = zlib.crc32(data, zlib.crc32(part, crc))
    handle.write(crc.to_bytes(CRC_BYTES, "big"))


def read_state(path: Path) -> BuildState:
    """The state saved at PATH by save_state; an empty one if the file is missing, unreadable, from
    another format or Python, or not exactly as written."""
    try:
        data = path.read_bytes()
    except OSError:
        return BuildState()
    header = STATE_HEADER.encode()
    body = memoryview(data)[len(header):-CRC_BYTES]
    if not data.startswith(header) or len(data) < len(header) + CRC_BYTES \
            or data[-CRC_BYTES:] != zlib.crc32(body).to_bytes(CRC_BYTES, "big"):
        return BuildState()
    try:
        (code, out_dir, day, stamps, folders, sources, (added, lacking), outputs, frame, templates,
         site) = _unmarshalled(body)
        facts = typed_facts(site)
    except Exception:   # written by another sitegen (with other site facts, say)
        return BuildState()
    sources = _typed(sources)
    return BuildState(STATE_FORMAT, code, out_dir, date.fromordinal(day) if day else None, stamps, folders,
                      sources, _together(sources, added, lacking), outputs, frame, templates, facts)


def _unmarshalled(body: memoryview) -> list:
    """The fields _write_state wrote into BODY, each after its length."""
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
    atomic_write(state_dir / MOVING_FILE, json.dumps(sorted(paths)), cache=True)


def _moving(state_dir: Path) -> set[str] | None:
    """The paths marked as moving (none if no mark), or None if the mark is unreadable."""
    try:
        return set(json.loads((state_dir / MOVING_FILE).read_text(encoding="utf-8")))
    except FileNotFoundError:
        return set()
    except (OSError, ValueError, TypeError):
        return None
