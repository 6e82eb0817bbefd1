"""The `events:` of an area.yaml: times that exist in the UK, and an identity
that survives edits.

Each event has an `id:` written in the source (a slug, unique within the
area), so its calendar UID stays the same whatever else is edited, on every
checkout.  An event without one, or with one another event already has, is
refused with a located message; so is an end that is not after the start as
real instants (see localtime.py for times that do not exist or happen twice).
"""
from __future__ import annotations

import re
from dataclasses import replace

from ..errors import Problems
from ..model import Event
from . import slugify
from .localtime import UkDateTime, as_utc
from .schema import Field, Kind, ListOf, Record, Slug, Str, Text, Where
from .yamlsource import LocatedDict

ID_TITLE_CHARS = 50   # of the title, in a suggested id


def suggested_id(raw: dict) -> str:
    """An id to suggest for the event written RAW: its title and date, like
    'ward-panel-meeting-2027-01-14' (from what can be read of them)."""
    title, start = raw.get("title"), raw.get("start")
    day = re.match(r"\d{4}-\d{2}-\d{2}", start if isinstance(start, str) else "")
    words = slugify(title if isinstance(title, str) else "", max_length=ID_TITLE_CHARS) or "event"
    return f"{words}-{day[0]}" if day else words


def event_uid(area_slug: str, event_id: str, host: str) -> str:
    """The calendar UID of event EVENT_ID of area AREA_SLUG: 'north-ward.ward-panel-2027-01-14@HOST'.
    (A dot, which no slug holds, so 'a' + 'b-c' and 'a-b' + 'c' stay apart.)"""
    return f"{area_slug}.{event_id}@{host}"


class _EventRecord(Record):
    """An event: its fields, then an id and an end after the start."""

    def check(self, value, where: Where, problems: Problems):
        if isinstance(value, dict) and value.get("id") is None:
            # 'id' is required (so the admin asks for it); without it, the other keys are still
            # checked, and the message suggests an id rather than the generic 'missing key'.
            without_id = Record(name=self.name, rules=self.rules, fields=[
                replace(f, required=False) if f.name == "id" else f for f in self.fields])
            without_id.check(value, where, problems)
            where.report(problems, f"add 'id: {suggested_id(value)}' (any short name"
                                   " that stays the same when you edit the event)")
            return None
        out = super().check(value, where, problems)
        if out is None:
            return None
        if "id" not in out:   # written, but not a slug: already reported
            return None
        start, end = out.get("start"), out.get("end")
        if start and end and as_utc(end) <= as_utc(start):
            spot = where.child("end", value.value_where("end") if isinstance(value, LocatedDict)
                               else where.pos)
            spot.report(problems, f"{end:%Y-%m-%dT%H:%M} is not after the start ({start:%Y-%m-%dT%H:%M}) in"
                                  " real time; check 'end'")
            return None
        return out


class _Recorded(Kind):
    """ITEM, noting each value checked with where it was and what it gave."""

    def __init__(self, item: Kind, seen: list[tuple[Where, object, dict | None]]):
        self.item, self.seen = item, seen

    def describe(self) -> str:
        return self.item.describe()

    def check(self, value, where, problems):
        checked = self.item.check(value, where, problems)
        self.seen.append((where, value, checked))
        return checked


class EventList(ListOf):
    """A list of events whose ids are all different."""

    def check(self, value, where: Where, problems: Problems):
        seen: list[tuple[Where, object, dict | None]] = []
        out = ListOf(_Recorded(self.item, seen), self.max_items).check(value, where, problems)
        first: dict[str, Where] = {}
        for item_where, raw, checked in seen:
            if not checked:
                continue
            if checked["id"] in first:
                other = first[checked["id"]]
                spot = item_where.child("id", raw.value_where("id") if isinstance(raw, LocatedDict)
                                        else item_where.pos)
                spot.report(problems,
                            f"'{checked['id']}' is already the id of {other.name} "
                            f"(line {other.pos[0]}); give each event its own id")
                out = [e for e in out if e is not checked]
            else:
                first[checked["id"]] = item_where
        return out


EVENT = _EventRecord(name="event", fields=[
    Field("id", Slug, required=True,
          doc="A short name for the event, unique in the area, that stays the same when the event"
              " is edited (its calendar identity), like 'ward-panel-2027-01-14'."),
    Field("title", Str(max_len=150), required=True, doc="What the event is.", translatable=True),
    Field("start", UkDateTime(), required=True,
          doc="UK start time, YYYY-MM-DDTHH:MM (+01:00 or +00:00 "
              "after it only in the hour the clocks go back)."),
    Field("end", UkDateTime(), doc="UK end time, written as 'start', after it."),
    Field("location", Str(max_len=300), doc="Where it happens.", translatable=True),
    Field("description", Text(2000), doc="A few sentences about it.", translatable=True),
])

EVENTS = EventList(EVENT, 200, key="id")


def events_from(area_slug: str, checked: list[dict], host: str) -> tuple[Event, ...]:
    """The checked events of an area as Events, in the order they happen."""
    events = (Event(uid=event_uid(area_slug, e["id"], host), **{k: v for k, v in e.items() if k != "id"})
              for e in checked)
    return tuple(sorted(events, key=lambda e: (as_utc(e.start), e.title)))
