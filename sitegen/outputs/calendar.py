"""iCalendar (RFC 5545) files of each ward's upcoming events, in Europe/London time.
Deterministic: every date comes from content, the injected build date or the
event ledger (build dates recorded when each event's content was first
published: see eventledger.py), never the clock."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from functools import partial

from ..build.eventledger import EventLedger, Published
from ..content.localtime import as_utc, in_fold
from ..i18n import gettext
from ..model import Event
from ..xmltext import xml_safe
from .base import Output, RenderContext
from .pages import written_lang

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
    """VALUE as iCalendar TEXT: characters iCalendar forbids removed (controls
    other than tab, as XML forbids them, and DEL), then backslash, semicolon,
    comma and every line break (CRLF, LF or a lone CR) escaped."""
    value = xml_safe(value).replace("\x7f", "")
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n"))


def fold(line: str) -> str:
    """Fold a content line at 75 octets, continuation lines starting with a space."""
    if len(line) <= 75 and line.isascii():   # one octet a character: most lines, told without encoding
        return line
    return fold_by_octets(line)


def fold_by_octets(line: str) -> str:
    """fold, counting LINE's UTF-8 octets (what fold's quick answer for a short ASCII line gives)."""
    if len(line.encode("utf-8")) <= 75:
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


def _ics_time(name: str, value: datetime) -> str:
    """NAME's content line for VALUE (aware, Europe/London): in London time, or,
    for a time in the hour the clocks go back (which a TZID time cannot tell
    apart from its twin), in UTC."""
    naive = value.replace(tzinfo=None)
    if in_fold(naive):
        return f"{name}:{as_utc(value):%Y%m%dT%H%M%SZ}"
    return f"{name};TZID=Europe/London:{naive:%Y%m%dT%H%M%S}"


def _utc_day(day: date) -> str:
    """DAY's start in UTC, as an iCalendar DATE-TIME."""
    return f"{day:%Y%m%d}T000000Z"


def _vevent(event: Event, published: Published, url: str, language: str = "",
            written: Callable[[str], str] = lambda name: "") -> list[str]:
    """The content lines of one event, published as PUBLISHED says (see eventledger); its
    texts carry LANGUAGE (RFC 5545 3.2.10) when given, or the language WRITTEN gives for the
    field (title, location, description: one shown in the default language for want of a
    translation)."""
    def text(name: str) -> str:
        tag = (written(name) or language) if language else ""
        return f";LANGUAGE={tag}:" if tag else ":"
    since = published.since
    lines = ["BEGIN:VEVENT", f"UID:{ics_text(event.uid)}",
             # When this version of the event was made: the date its ledger gives (see eventledger).
             f"DTSTAMP:{_utc_day(since)}", f"LAST-MODIFIED:{_utc_day(since)}",
             f"SEQUENCE:{published.sequence}",
             _ics_time("DTSTART", event.start)]
    if event.end:
        lines.append(_ics_time("DTEND", event.end))
    lines.append(f"SUMMARY{text('title')}{ics_text(event.title)}")
    if event.location:
        lines.append(f"LOCATION{text('location')}{ics_text(event.location)}")
    if event.description:
        lines.append(f"DESCRIPTION{text('description')}{ics_text(event.description)}")
    return lines + [f"URL:{url}", "END:VEVENT"]


def render_ics(ctx: RenderContext, key: str) -> bytes:
    """An iCalendar file of one ward's upcoming events, in Europe/London time.

    Each event's SEQUENCE and when its content was first published come from
    the event ledger, asked before rendering (publish_calendars)."""
    site = ctx.site
    area = site.area(key)
    published = ctx.published[ledger_key(ctx.lang, key)]
    # A site of several languages says which each calendar's words are in (one language: as before).
    language = ctx.language.code if site.config.multilingual else ""
    text = f";LANGUAGE={language}:" if language else ":"
    calendar_name = gettext("%(name)s police events") % {"name": site.full_name(area)}
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:-//sitegen//{ics_text(site.config.name)}//EN",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME{text}{ics_text(calendar_name)}",
             "X-WR-TIMEZONE:Europe/London"]
    lines += VTIMEZONE
    url = site.config.url(ctx.address(area.url))
    for event in area.upcoming_events(site.build_date):
        # An event's words its area's translation does not give are in the default language.
        lines += _vevent(event, published[event.uid], url, language, partial(written_lang, ctx, area, event))
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")


def publish_calendars(ctx: RenderContext, outputs: list[Output]) -> EventLedger:
    """Ask the site's event ledger how the events of every calendar among
    OUTPUTS are published on the build date, into ctx.published; the ledger,
    for the build to save once the calendars are in place."""
    ledger = EventLedger(ctx.site.config.root)
    for output in outputs:
        if output.kind == "ics":
            site = ctx.in_language(output.lang).site
            key = ledger_key(output.lang, output.key)
            ctx.published[key] = ledger.publish(key, site.area(output.key).events, site.build_date)
    return ledger


def ledger_key(lang: str, slug: str) -> str:
    """The event ledger's name for the calendar of the area SLUG in the language LANG ("" the
    default): each language's calendar is a calendar of its own, whose events (the same UIDs:
    the same events) are published, and raise their SEQUENCE, as its words change."""
    return f"{lang}:{slug}" if lang else slug
