"""When each event was last published with new content, and its iCalendar
SEQUENCE: what a calendar's DTSTAMP, LAST-MODIFIED and SEQUENCE are made from.

Kept in the build cache beside the build state (`.cache/build/events/shards/`,
whatever --state says, so every build of the site shares it), in 64 shards
(an area always falls in the same one, build/areacache.shard_of), each
`{area slug: {uid: {"hash": <hash of the event's published fields>,
"since": "YYYY-MM-DD", "sequence": <int>}}}` as JSON, after a first line
holding the CRC-32 of that JSON (LEDGER_KIND, crcfile.py): a shard damaged in any byte
reads as lost, never as other numbers (a shard written before the header is
read as it stands).  An event removed from its area keeps its record, so that
if it comes back its SEQUENCE still only rises.

Ten per day: an event with no ledger record (new, or its ledger was lost or
unreadable) gets the top of its build date's range, SEQUENCE = 10 x days + 9,
days being the whole days from 2020-01-01 to the build date.  Every change of
its published fields, even a second one on the same build date, raises it: to
max(old + 1, 10 x days), and "since" becomes the build date.  So a ledger lost
after up to nine edits on a build date still restarts at or above what they
gave; more than nine still rise by one each.  SEQUENCE never goes down (unless
builds are dated back by hand and the ledger is lost, or the ledger is lost on
the day the event was first seen after it was edited that day, or after more
than nine edits on one day).

The build asks the ledger for the calendars it is about to render, before
rendering (so workers only read), and saves it once they have rendered and
before they move into the output folder: a build that fails first leaves it
as it was, and no calendar is ever published with a SEQUENCE the ledger has
not recorded.  `sitegen check` never writes it.  A ledger of one file per area
(`events/<slug>.json`, before the shards) is read and folded in.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..errors import ServiceError
from ..fileio import atomic_write
from ..model import Event
from .areacache import shard_of
from .crcfile import checked_body, with_crc
from .state import default_state_dir

LEDGER_DIR = "events"
SHARDS_DIR = "shards"   # a folder: no old ledger file (events/<slug>.json) can be named as a shard
SEQUENCE_EPOCH = date(2020, 1, 1)
SEQUENCES_PER_DAY = 10
LEDGER_KIND = b"sitegen event ledger,"   # its first line: this, " crc32 " and the JSON's CRC-32 (crcfile)


@dataclass(frozen=True)
class Published:
    """How an event is published now: SINCE, the build date its current content
    was first published (its DTSTAMP and LAST-MODIFIED), and its SEQUENCE."""

    since: date
    sequence: int


def ledger_path(root: Path, area_slug: str) -> Path:
    """The shard file holding AREA_SLUG's ledger in the site at ROOT."""
    return _shard_path(root, shard_of(area_slug))


def _shard_path(root: Path, index: int) -> Path:
    return default_state_dir(root) / LEDGER_DIR / SHARDS_DIR / f"{index:02d}.json"


def _legacy_path(root: Path, area_slug: str) -> Path:
    """Where AREA_SLUG's ledger was kept before the shards: a file of its own."""
    return default_state_dir(root) / LEDGER_DIR / f"{area_slug}.json"


def published_hash(event: Event) -> str:
    """A hash of what a calendar shows of EVENT: its title, place, description
    and times (as instants, and as written in UK time)."""
    times = [f"{t.isoformat()}|{t.utcoffset()}" if t else "" for t in (event.start, event.end)]
    fields = [event.title, event.location, event.description, *times]
    return hashlib.blake2b(json.dumps(fields).encode("utf-8"), digest_size=12).hexdigest()


def sequence_floor(day: date) -> int:
    """The lowest SEQUENCE of content published on DAY: ten per day since 2020-01-01
    (0 for a day before it, given as --build-date: RFC 5545 wants no negative SEQUENCE)."""
    return SEQUENCES_PER_DAY * max(0, (day - SEQUENCE_EPOCH).days)


def sequence_unrecorded(day: date) -> int:
    """The SEQUENCE of an event with no ledger record built on DAY: the top of
    DAY's ten, so it is at least what up to nine edits on DAY gave before."""
    return sequence_floor(day) + SEQUENCES_PER_DAY - 1


def read_ledger(path: Path) -> dict[str, dict]:
    """The ledger at PATH; empty if it is missing or unreadable, or its CRC-32 is not
    its JSON's (so sequences restart from the top of the build date's ten)."""
    try:
        data = json.loads(_checked(path.read_bytes()))
    except Exception:   # whatever a damaged file raises: OSError, ValueError, RecursionError, MemoryError...
        return {}
    return data if isinstance(data, dict) else {}


def _checked(data: bytes) -> bytes:
    """The JSON of a ledger file's DATA, after its first line if its CRC-32 is right
    (crcfile.DamagedFile, a ValueError, if not); a file without that line (written
    before it) as it stands."""
    return checked_body(LEDGER_KIND, data) if data.startswith(LEDGER_KIND) else data


def ledger_bytes(ledger: dict[str, dict]) -> bytes:
    """LEDGER as a shard file holds it: the line with the CRC-32, then the JSON."""
    return with_crc(LEDGER_KIND, (json.dumps(ledger, indent=1, sort_keys=True) + "\n").encode("utf-8"))


def _known(entry: object) -> tuple[str, Published] | None:
    """(hash, how published) from a ledger ENTRY, or None if it is not one.  An
    entry written before sequences were kept published SEQUENCE = its days."""
    if not isinstance(entry, dict) or not isinstance(entry.get("hash"), str):
        return None
    try:
        since = date.fromisoformat(entry["since"])
    except (KeyError, TypeError, ValueError):
        return None
    number = entry.get("sequence", max(0, (since - SEQUENCE_EPOCH).days))
    if not isinstance(number, int) or isinstance(number, bool):
        return None
    return entry["hash"], Published(since, number)


def _publish(entry: object, content: str, today: date) -> Published:
    """How an event whose published fields hash to CONTENT is published when
    built on TODAY, given its ledger ENTRY."""
    known = _known(entry)
    if known is None:
        return Published(today, sequence_unrecorded(today))
    old_hash, old = known
    if old_hash == content:
        return old
    return Published(max(old.since, today), max(old.sequence + 1, sequence_floor(today)))


class EventLedger:
    """The event ledgers of the site at ROOT: shards read when first asked for,
    changes kept in memory until save()."""

    def __init__(self, root: Path):
        self.root = root
        self.shards: dict[int, dict[str, dict]] = {}
        self.changed: set[int] = set()
        self.legacy: set[Path] = set()   # old per-area files folded into a shard, removed by save()
        self._legacy_names: set[str] | None = None   # the names of those files, listed once

    def publish(self, area_slug: str, events: tuple[Event, ...], today: date) -> dict[str, Published]:
        """uid -> how each of EVENTS (AREA_SLUG's) is published when built on TODAY,
        recording any new content."""
        index = shard_of(area_slug)
        shard = self._shard(index)
        old = shard.get(area_slug)
        if not isinstance(old, dict):
            old = self._legacy(area_slug)
        # Removed events keep their records: one that comes back never goes down.
        new = {uid: entry for uid, entry in old.items() if isinstance(entry, dict)}
        published = {}
        for event in events:
            content = published_hash(event)
            now = published[event.uid] = _publish(old.get(event.uid), content, today)
            new[event.uid] = {"hash": content, "since": now.since.isoformat(), "sequence": now.sequence}
        if new != shard.get(area_slug):
            shard[area_slug] = new
            self.changed.add(index)
        return published

    def save(self) -> None:
        """Write the shards that changed.  A ledger that cannot be written is an
        outside failure (ServiceError, exit 3)."""
        for index in sorted(self.changed):
            path = self._path(index)
            try:
                atomic_write(path, ledger_bytes(self.shards[index]))
            except OSError as exc:
                reason = f"cannot write the event ledger ({exc.strerror or exc})"
                raise ServiceError(str(path), reason) from exc
        self.changed.clear()
        for path in sorted(self.legacy):
            path.unlink(missing_ok=True)
        self.legacy.clear()

    def _path(self, index: int) -> Path:
        return _shard_path(self.root, index)

    def _shard(self, index: int) -> dict[str, dict]:
        if index not in self.shards:
            self.shards[index] = read_ledger(self._path(index))
        return self.shards[index]

    def _legacy(self, area_slug: str) -> dict:
        """AREA_SLUG's ledger in the file of its own it had before the shards ({} if none)."""
        path = _legacy_path(self.root, area_slug)
        if self._legacy_names is None:
            try:
                self._legacy_names = {entry.name for entry in os.scandir(path.parent) if entry.is_file()}
            except OSError:
                self._legacy_names = set()
        if path.name not in self._legacy_names:
            return {}
        found = read_ledger(path)
        if found:
            self.legacy.add(path)
        return found
