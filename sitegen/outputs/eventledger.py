"""When each event was last published with new content, and its iCalendar
SEQUENCE: what a calendar's DTSTAMP, LAST-MODIFIED and SEQUENCE are made from.

One small JSON file per area in the build cache (`.cache/build/events/<slug>.json`):
`{uid: {"hash": <hash of the event's published fields>, "since": "YYYY-MM-DD",
"sequence": <int>}}`.

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

Written only when the calendar is rendered, which `sitegen check` never does.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..build.state import default_state_dir
from ..errors import ServiceError
from ..fileio import atomic_write
from ..model import Event

LEDGER_DIR = "events"
SEQUENCE_EPOCH = date(2020, 1, 1)
SEQUENCES_PER_DAY = 10


@dataclass(frozen=True)
class Published:
    """How an event is published now: SINCE, the build date its current content
    was first published (its DTSTAMP and LAST-MODIFIED), and its SEQUENCE."""

    since: date
    sequence: int


def ledger_path(root: Path, area_slug: str) -> Path:
    """The ledger file of AREA_SLUG in the site at ROOT (beside the build state,
    whatever --state says, so every build of the site shares it)."""
    return default_state_dir(root) / LEDGER_DIR / f"{area_slug}.json"


def published_hash(event: Event) -> str:
    """A hash of what a calendar shows of EVENT: its title, place, description
    and times (as instants, and as written in UK time)."""
    times = [f"{t.isoformat()}|{t.utcoffset()}" if t else "" for t in (event.start, event.end)]
    fields = [event.title, event.location, event.description, *times]
    return hashlib.blake2b(json.dumps(fields).encode("utf-8"), digest_size=12).hexdigest()


def sequence_floor(day: date) -> int:
    """The lowest SEQUENCE of content published on DAY: ten per day since 2020-01-01."""
    return SEQUENCES_PER_DAY * (day - SEQUENCE_EPOCH).days


def sequence_unrecorded(day: date) -> int:
    """The SEQUENCE of an event with no ledger record built on DAY: the top of
    DAY's ten, so it is at least what up to nine edits on DAY gave before."""
    return sequence_floor(day) + SEQUENCES_PER_DAY - 1


def read_ledger(path: Path) -> dict[str, dict]:
    """The ledger at PATH; empty if it is missing or unreadable (so sequences
    restart from the top of the build date's ten)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _known(entry: object) -> tuple[str, Published] | None:
    """(hash, how published) from a ledger ENTRY, or None if it is not one.  An
    entry written before sequences were kept published SEQUENCE = its days."""
    if not isinstance(entry, dict) or not isinstance(entry.get("hash"), str):
        return None
    try:
        since = date.fromisoformat(entry["since"])
    except (KeyError, TypeError, ValueError):
        return None
    number = entry.get("sequence", (since - SEQUENCE_EPOCH).days)
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


def publish_dates(root: Path, area_slug: str, events: tuple[Event, ...], today: date) -> dict[str, Published]:
    """uid -> how each of EVENTS is published when built on TODAY, recording any
    new content in the area's ledger.  A ledger that cannot be written is an
    outside failure (ServiceError, exit 3)."""
    path = ledger_path(root, area_slug)
    old = read_ledger(path)
    new, published = {}, {}
    for event in events:
        content = published_hash(event)
        now = published[event.uid] = _publish(old.get(event.uid), content, today)
        new[event.uid] = {"hash": content, "since": now.since.isoformat(), "sequence": now.sequence}
    if new != old:
        try:
            atomic_write(path, json.dumps(new, indent=1, sort_keys=True) + "\n")
        except OSError as exc:
            raise ServiceError(str(path), f"cannot write the event ledger ({exc.strerror or exc})") from exc
    return published
