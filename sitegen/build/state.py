"""The build state: what each output was made from, remembered between builds.

Generic hash-compare-store: unit hashes, each output's input hash, file
stamps; plus the site facts the pipeline keeps (sitegen/build/facts.py).
Written atomically after a build has moved everything in; outputs a build was
moving when it stopped are marked, and not vouched for by the state.
"""
from __future__ import annotations

import json
import pickle
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import IO, TypeVar

from ..fileio import atomic_write
from .facts import SiteFacts
from .hashing import Entries, Stamp
from .units import Unit

STATE_FORMAT = 9
STATE_FILE = "state.pickle"
MOVING_FILE = "moving.json"   # outputs being moved into place; the state does not vouch for them

T = TypeVar("T")


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


def read_pickle(path: Path, kind: type[T], default: T) -> T:
    """The object pickled at PATH if it is a KIND, else DEFAULT (missing, unreadable, or old)."""
    try:
        with path.open("rb") as handle:
            value = pickle.load(handle)  # noqa: S301 - our own cache file
    except Exception:   # whatever a damaged file raises: EOFError, MemoryError, OverflowError...
        return default
    return value if isinstance(value, kind) else default


def load_state(state_dir: Path) -> BuildState:
    """The saved state, or an empty one if there is none or it is unreadable.

    Outputs a build was moving into place when it stopped are left out, so
    they are made again, and nothing counts as unchanged."""
    state = read_pickle(state_dir / STATE_FILE, BuildState, BuildState())
    if state.format != STATE_FORMAT:
        return BuildState()
    state.sources, state.units = _typed(state.sources), _typed(state.units)
    moving = _moving(state_dir)
    if moving is None:
        return BuildState()
    if moving:
        state.outputs = {path: h for path, h in state.outputs.items() if path not in moving}
        state.sources = {}
    return state


def save_state(state_dir: Path, state: BuildState) -> None:
    """Write STATE atomically, and clear the moving mark it supersedes."""
    kept = replace(state, sources=_plain(state.sources), units=_plain(state.units))
    atomic_write(state_dir / STATE_FILE, lambda handle: _dump(kept, handle), cache=True)
    (state_dir / MOVING_FILE).unlink(missing_ok=True)


def _dump(value: object, handle: IO[bytes]) -> None:
    """Pickle VALUE into HANDLE.

    With pickle's memo (not its "fast" mode): each Unit's class and each repeated
    string is written once and then referred to, so the state of 2,000 wards is read
    in a third of the time (30 ms, not 95) and written quicker too."""
    pickle.dump(value, handle, pickle.HIGHEST_PROTOCOL)


def _plain(units: dict[Unit, str]) -> dict[Unit, str]:
    """UNITS keyed by plain tuples, as they are pickled: a Unit (a named tuple) is pickled
    through Python code, which made writing the state three times as long (110 ms, not 35)."""
    return {tuple(unit): value for unit, value in units.items()}  # type: ignore[misc]


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
