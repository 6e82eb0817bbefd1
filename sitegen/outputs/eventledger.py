"""When each event was first published as it is now: what a calendar's
SEQUENCE and LAST-MODIFIED are made from.

One small JSON file per area in the build cache (`.cache/build/events/<slug>.json`):
`{uid: {"hash": <hash of the event's published fields>, "since": "YYYY-MM-DD"}}`.
When an event's published fields change, "since" becomes the build date (or
stays, if the ledger already holds a later date); SEQUENCE is the number of
whole days from 2020-01-01 to "since".  So SEQUENCE never goes down: a lost or
unreadable ledger starts again from the build date, which is no earlier than
any date it held (unless builds were dated back by hand).  Edits made on the
same build date share that date's number.

Written only when the calendar is rendered, which `sitegen check` never does.
"""
from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

from ..errors import ServiceError
from ..fileio import atomic_write
from ..incremental import default_state_dir
from ..model import Event

LEDGER_DIR = "events"
SEQUENCE_EPOCH = date(2020, 1, 1)


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


def sequence(since: date) -> int:
    """The iCalendar SEQUENCE of an event whose content dates from SINCE."""
    return (since - SEQUENCE_EPOCH).days


def read_ledger(path: Path) -> dict[str, dict]:
    """The ledger at PATH; empty if it is missing or unreadable (so dates restart
    from the build date, never earlier)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _since(entry: object, content: str, today: date) -> date:
    """The date content CONTENT of an event dates from, given its ledger ENTRY."""
    if not isinstance(entry, dict):
        return today
    try:
        known = date.fromisoformat(entry["since"])
    except (KeyError, TypeError, ValueError):
        return today
    return known if entry.get("hash") == content else max(known, today)


def publish_dates(root: Path, area_slug: str, events: tuple[Event, ...], today: date) -> dict[str, date]:
    """uid -> the date each of EVENTS has been published as it is now, recording
    any new content as of TODAY in the area's ledger.  A ledger that cannot be
    written is an outside failure (ServiceError, exit 3)."""
    path = ledger_path(root, area_slug)
    old = read_ledger(path)
    new, dates = {}, {}
    for event in events:
        content = published_hash(event)
        dates[event.uid] = _since(old.get(event.uid), content, today)
        new[event.uid] = {"hash": content, "since": dates[event.uid].isoformat()}
    if new != old:
        try:
            atomic_write(path, json.dumps(new, indent=1, sort_keys=True) + "\n")
        except OSError as exc:
            raise ServiceError(str(path), f"cannot write the event ledger ({exc.strerror or exc})") from exc
    return dates
