"""iCalendar (RFC 5545) files of each ward's upcoming events, in Europe/London time.
Deterministic: every date comes from content or the injected build date, never the clock."""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from . import RenderContext, renderer

LONDON = ZoneInfo("Europe/London")


# Europe/London since 1996: GMT in winter, BST from the last Sunday of March
# to the last Sunday of October (RFC 5545 section 3.6.5).
VTIMEZONE = [
    "BEGIN:VTIMEZONE", "TZID:Europe/London",
    "BEGIN:DAYLIGHT", "TZOFFSETFROM:+0000", "TZOFFSETTO:+0100", "TZNAME:BST",
    "DTSTART:19810329T010000", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT",
    "BEGIN:STANDARD", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0000", "TZNAME:GMT",
    "DTSTART:19961027T020000", "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD",
    "END:VTIMEZONE",
]


def ics_text(value: str) -> str:
    """Escape TEXT for iCalendar: backslash, semicolon, comma and newlines."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def fold(line: str) -> str:
    """Fold a content line at 75 octets, continuation lines starting with a space."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts, current, limit = [], b"", 75
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > limit:
            parts.append(current.decode("utf-8"))
            current, limit = b"", 74
        current += encoded
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _local(value: datetime) -> str:
    return f"{value:%Y%m%dT%H%M%S}"


def _utc(value: datetime) -> str:
    return f"{value.replace(tzinfo=LONDON).astimezone(timezone.utc):%Y%m%dT%H%M%SZ}"


@renderer("ics")
def render_ics(ctx: RenderContext, key: str) -> bytes:
    """An iCalendar file of one ward's upcoming events, in Europe/London time."""
    site = ctx.site
    area = site.area(key)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:-//sitegen//{ics_text(site.config.name)}//EN",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{ics_text(area.name + ' police events')}", "X-WR-TIMEZONE:Europe/London"]
    lines += VTIMEZONE
    for event in area.upcoming_events(site.build_date):
        lines += ["BEGIN:VEVENT", f"UID:{event.uid}",
                  # DTSTAMP must not change between builds, so it is the event's own start.
                  f"DTSTAMP:{_utc(event.start)}",
                  f"DTSTART;TZID=Europe/London:{_local(event.start)}"]
        if event.end:
            lines.append(f"DTEND;TZID=Europe/London:{_local(event.end)}")
        lines.append(f"SUMMARY:{ics_text(event.title)}")
        if event.location:
            lines.append(f"LOCATION:{ics_text(event.location)}")
        if event.description:
            lines.append(f"DESCRIPTION:{ics_text(event.description)}")
        lines += [f"URL:{site.config.url(area.url)}", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")
