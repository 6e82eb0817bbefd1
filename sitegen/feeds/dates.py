"""A feed's dates as the feed wrote them, read strictly.  Pure: no I/O.

feedparser fills in what it cannot read (`2026/6/29 15:07:41` becomes 1 November,
the month and day of the fetch), so sitegen reads the raw string itself and
accepts only dates it understands fully:

- RFC 822/1123/2822 (RSS): `[Mon, ]01 Jun 2026 10:00[:00] ZONE`, where ZONE is a
  numeric offset (`+0100`, `-0000`) or one of UT, UTC, GMT, Z, BST (British
  Summer Time, +01:00) and the US names EST, EDT, CST, CDT, MST, MDT, PST, PDT.
  The other one-letter military zones are refused: RFC 1123 (5.2.14) says
  RFC 822 gave them the wrong sign, so nobody can tell which instant they mean.
- RFC 3339 / ISO 8601 (Atom): `2026-06-01T10:00[:00[.5]]` with `Z` or an offset.

Anything else, a date without a time or without a zone included, is no date; so
is a date whose weekday is not that day's (`Fri, 29 Jun 2026`: a Monday), and a
placeholder or impossible date before 1995 (`Thu, 01 Jan 1970`, year 1).
"""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
                "october", "november", "december")
_MONTHS = {name: number for number, full in enumerate(_MONTH_NAMES, start=1) for name in (full, full[:3])}
_ZONE_HOURS = {"ut": 0, "utc": 0, "gmt": 0, "z": 0, "bst": 1, "est": -5, "edt": -4, "cst": -6,
               "cdt": -5, "mst": -7, "mdt": -6, "pst": -8, "pdt": -7}
_WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # date.weekday() order
_WEEKDAYS = "(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*"
# No web feed predates 1995: an earlier date is a placeholder (1 Jan 1970, year 1), not a real one.
EARLIEST_YEAR = 1995
_OFFSET = r"[+-]\d{2}:?\d{2}"

_RFC822 = re.compile(
    rf"(?:(?P<weekday>{_WEEKDAYS})\s*,\s*)?(?P<day>\d{{1,2}})\s+(?P<month>[a-z]{{3,9}})\s+(?P<year>\d{{4}}|\d{{2}})\s+"
    rf"(?P<hour>\d{{1,2}}):(?P<minute>\d{{2}})(?::(?P<second>\d{{2}}))?\s*"
    rf"(?P<zone>{_OFFSET}|[a-z]{{1,3}})(?:\s*\([^()]*\))?",
    re.IGNORECASE)
_RFC3339 = re.compile(
    r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})[t ](?P<hour>\d{2}):(?P<minute>\d{2})"
    rf"(?::(?P<second>\d{{2}})(?:\.\d+)?)?\s*(?P<zone>z|{_OFFSET})",
    re.IGNORECASE)


def read_date(text: object) -> datetime | None:
    """The instant TEXT names, in UTC (whole seconds), or None unless fully understood.

    TEXT is a date as a feed wrote it (RFC 822 for RSS, RFC 3339 for Atom).
    """
    if not isinstance(text, str) or len(text) > 100:
        return None
    text = text.strip()
    if match := _RFC3339.fullmatch(text):
        return _instant(match, int(match["month"]), int(match["year"]))
    if match := _RFC822.fullmatch(text):
        month = _MONTHS.get(match["month"].lower())
        return _instant(match, month, _full_year(match["year"])) if month else None
    return None


def _full_year(digits: str) -> int:
    """RFC 2822 (4.3): a two-digit year is 19yy from 50 on, else 20yy."""
    year = int(digits)
    if len(digits) == 2:
        return year + (1900 if year >= 50 else 2000)
    return year


def _zone(text: str) -> timezone | None:
    if text[0] in "+-":
        hours, minutes = int(text[1:3]), int(text[-2:])
        if hours > 23 or minutes > 59:
            return None
        sign = -1 if text[0] == "-" else 1
        return timezone(sign * timedelta(hours=hours, minutes=minutes))
    zone_hours = _ZONE_HOURS.get(text.lower())
    return None if zone_hours is None else timezone(timedelta(hours=zone_hours))


def _instant(match: re.Match, month: int, year: int) -> datetime | None:
    zone = _zone(match["zone"])
    if zone is None:
        return None
    try:
        local = datetime(year, month, int(match["day"]), int(match["hour"]), int(match["minute"]),
                         int(match["second"] or 0), tzinfo=zone)
        instant = local.astimezone(UTC)
    except (ValueError, OverflowError):  # 31 June, 24:00, a leap second, year 1 at -01:00...
        return None
    weekday = match.groupdict().get("weekday")
    if weekday and weekday[:3].lower() != _WEEKDAY_NAMES[local.weekday()]:
        return None
    return instant if instant.year >= EARLIEST_YEAR else None
