"""UK wall-clock times that exist, read from what an editor wrote.

Event times are Europe/London local times.  Twice a year the wall clock and
real time part: in spring the clocks go forward and an hour of local times
never happens (the gap); in autumn they go back and an hour of local times
happens twice (the fold).  `UkDateTime` refuses a time in the gap, and a bare
time in the fold, each with a hint; a fold time is accepted with an explicit
offset (`+01:00` for the first, BST; `+00:00` for the second, GMT).  What it
returns is an aware datetime in Europe/London whose `fold` says which of the
two, so comparing instants (`as_utc`) is always right.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from ..errors import Problems
from .schema import DateTime, Where

LONDON = ZoneInfo("Europe/London")
_WRITTEN = re.compile(r"(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:\d{2})?")
_ZONE_NAMES = {timedelta(0): "GMT", timedelta(hours=1): "BST"}


def as_utc(value: datetime) -> datetime:
    """VALUE (aware, any zone, fold respected) as the same instant in UTC."""
    return value.astimezone(UTC)


def in_gap(naive: datetime) -> bool:
    """Whether the wall-clock time NAIVE never happens in the UK (spring forward)."""
    local = naive.replace(tzinfo=LONDON)
    return as_utc(local).astimezone(LONDON).replace(tzinfo=None) != naive


def in_fold(naive: datetime) -> bool:
    """Whether the wall-clock time NAIVE happens twice in the UK (autumn back)."""
    local = naive.replace(tzinfo=LONDON)
    return not in_gap(naive) and local.replace(fold=0).utcoffset() != local.replace(fold=1).utcoffset()


def utc_offset(aware: datetime) -> timedelta:
    """AWARE's offset from UTC; raises ValueError for a naive datetime."""
    offset = aware.utcoffset()
    if offset is None:
        raise ValueError(f"{aware} has no time zone")
    return offset


def offset_text(offset: timedelta) -> str:
    """'+01:00' for an offset from UTC."""
    sign, minutes = ("-" if offset < timedelta(0) else "+"), abs(int(offset.total_seconds())) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def offset_name(offset: timedelta) -> str:
    """'+01:00 (BST)' for an offset from UTC."""
    name = _ZONE_NAMES.get(offset)
    return f"{offset_text(offset)} ({name})" if name else offset_text(offset)


def _zone(offset: timedelta) -> str:
    return _ZONE_NAMES.get(offset, offset_text(offset))


def _hhmm(value: datetime) -> str:
    return f"{value:%H:%M}"


def _edges(naive: datetime, inside) -> tuple[datetime, datetime]:
    """The first minute of the run of minutes around NAIVE for which INSIDE holds,
    and the first minute after it (a UK gap or fold lasts an hour; 3 h bounds any)."""
    start = naive.replace(second=0)
    while inside(start - timedelta(minutes=1)) and naive - start < timedelta(hours=3):
        start -= timedelta(minutes=1)
    end = naive.replace(second=0) + timedelta(minutes=1)
    while inside(end) and end - naive < timedelta(hours=3):
        end += timedelta(minutes=1)
    return start, end


def gap_message(naive: datetime) -> str:
    """What to tell an editor who wrote NAIVE, a time in the spring-forward gap."""
    start, end = _edges(naive, in_gap)
    length = end - start
    return (f"{naive:%Y-%m-%dT%H:%M} does not exist in UK time (clocks go forward from {_hhmm(start)}"
            f" to {_hhmm(end)} that night); use {_hhmm(naive - length)} or {_hhmm(naive + length)}")


def fold_message(naive: datetime) -> str:
    """What to tell an editor who wrote NAIVE, a time in the repeated autumn hour, bare."""
    start, end = _edges(naive, in_fold)
    local = naive.replace(tzinfo=LONDON)
    first, second = utc_offset(local.replace(fold=0)), utc_offset(local.replace(fold=1))
    text = f"{naive:%Y-%m-%dT%H:%M}"
    return (f"{text} happens twice in UK time (clocks go back from {_hhmm(end)} to "
            f"{_hhmm(start)} that night); write {text}{offset_text(first)} for the first "
            f"({_zone(first)}) or {text}{offset_text(second)} for the second ({_zone(second)})")


def _parse_offset(text: str) -> timedelta:
    if text == "Z":
        return timedelta(0)
    sign = -1 if text[0] == "-" else 1
    return sign * timedelta(hours=int(text[1:3]), minutes=int(text[4:6]))


def resolve(naive: datetime, offset: timedelta | None) -> datetime | str:
    """NAIVE as an aware Europe/London datetime, OFFSET (from UTC, if written)
    choosing between the two readings of a fold time; or, if there is no such
    time, the message saying why and what to write instead."""
    local = naive.replace(tzinfo=LONDON)
    if offset is None and local.replace(fold=0).utcoffset() == local.replace(fold=1).utcoffset():
        # One offset whichever the fold: neither in the gap nor in the fold (PEP 495 gives the
        # times of both two offsets), so the time is as written, as resolve_by_readings finds it.
        return local
    return resolve_by_readings(naive, offset)


def resolve_by_readings(naive: datetime, offset: timedelta | None) -> datetime | str:
    """resolve, the long way: the gap first, then both readings of the time compared."""
    if in_gap(naive):
        return gap_message(naive)
    local = naive.replace(tzinfo=LONDON)
    readings = {utc_offset(local.replace(fold=f)): local.replace(fold=f) for f in (0, 1)}
    if offset is None:
        return fold_message(naive) if len(readings) > 1 else local
    if offset in readings:
        return readings[offset]
    allowed = " or ".join(offset_name(o) for o in readings)
    return (f"{naive:%Y-%m-%dT%H:%M} is {allowed} in UK time, not {offset_name(offset)}; "
            "write the UK time without an offset")


@dataclass
class UkDateTime(DateTime):
    """A Europe/London date and time written YYYY-MM-DDTHH:MM, which must exist
    there; an offset (+01:00, +00:00) may follow, and must, for a time in the
    hour the clocks go back.  Checked into an aware datetime (tzinfo LONDON,
    fold set)."""

    def describe(self) -> str:
        return "a UK date and time written YYYY-MM-DDTHH:MM, like 2026-12-03T19:00"

    def check(self, value, where: Where, problems: Problems):
        text = value.strip() if isinstance(value, str) else None
        match = _WRITTEN.fullmatch(text) if text else None
        if not match:
            return self.wrong(value, where, problems)
        try:
            naive = datetime.fromisoformat(f"{match[1]}T{match[2]}:{match[3]}:{match[4] or '00'}")
        except ValueError:
            return where.report(problems,
                                f"'{text}' is not a real date and time; check the month, day and hour")
        offset = _parse_offset(match[5]) if match[5] else None
        if offset is not None and abs(offset) >= timedelta(hours=24):
            return where.report(problems, f"'{match[5]}' is not a UTC offset; write +01:00 or +00:00")
        resolved = resolve(naive, offset)
        if isinstance(resolved, str):
            return where.report(problems, resolved)
        return resolved
