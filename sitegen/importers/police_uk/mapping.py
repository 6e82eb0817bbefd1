"""API records -> area.yaml fields and a boundary ring.  Pure: nothing is read or written.

Anything unusable is left out, with a note for the report in NOTES.
"""
from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from ...content.events import suggested_id
from ...content.localtime import as_utc, in_fold, in_gap, offset_text, utc_offset
from ...content.schema import EMAIL_RE, PHONE_RE
from ...xmltext import NOT_XML_CHARACTERS
from .api import Neighbourhood
from .text import clip, html_to_text, one_line

LONDON = ZoneInfo("Europe/London")
SOCIAL_KEYS = (("twitter", "x"), ("x", "x"), ("facebook", "facebook"), ("instagram", "instagram"),
               ("youtube", "youtube"), ("bluesky", "bluesky"), ("mastodon", "mastodon"),
               ("threads", "threads"), ("tiktok", "tiktok"), ("linkedin", "linkedin"),
               ("nextdoor", "nextdoor"), ("whatsapp", "whatsapp"), ("web", "web"))
LIMITS = {"name": 100, "role": 100, "bio": 2000, "issue": 1000, "action": 2000, "title": 150,
          "location": 300, "event_description": 2000, "description": 5000, "address": 300}
MAX_TEAM, MAX_PRIORITIES, MAX_EVENTS, MAX_SOCIAL = 50, 50, 200, 20


def area_fields(n: Neighbourhood, force: str, notes: list[str]) -> dict:
    """The area.yaml keys the API supplies for N (empty ones left out)."""
    detail = n.detail
    _note_removed_characters(n, notes)
    fields = {
        "name": _clipped(one_line(detail.get("name")), "name", n.id, notes) or n.id,
        "description": _clipped(html_to_text(detail.get("description")), "description", n.id, notes),
        "population": _population(detail.get("population"), n.id, notes),
        "police_uk_force": force,
        "police_uk_id": n.id,
        "team": [m for m in (_member(p, n.id, notes) for p in n.people[:MAX_TEAM]) if m],
        "contact": _contact(detail, n.id, notes),
        "social": _social(detail, n.id, notes),
        "priorities": [p for p in (_priority(r, n.id, notes) for r in n.priorities[:MAX_PRIORITIES]) if p],
        "events": _events(n.events, n.id, notes),
    }
    return {k: v for k, v in fields.items() if v not in (None, "", [], {})}


def _note_removed_characters(n: Neighbourhood, notes: list[str]) -> None:
    """Say in NOTES which characters text.html_to_text removes from N's text (check refuses them)."""
    found: set[str] = set()
    stack: list[Any] = [n.detail, n.people, n.priorities, n.events]
    while stack:   # a loop, not recursion: the API's JSON may nest deeply
        value = stack.pop()
        if isinstance(value, str):
            found.update(NOT_XML_CHARACTERS.findall(value))
        elif isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    if found:
        codes = ", ".join(f"U+{ord(char):04X}" for char in sorted(found))
        notes.append(f"{n.id}: removed the control character(s) {codes} from the API's text"
                     " (web pages and feeds cannot carry them)")


def boundary_polygon(points: list, nid: str, notes: list[str]) -> tuple | None:
    """The API's boundary (a list of {latitude, longitude} strings) as one closed (lon, lat) ring."""
    ring = []
    for point in points:
        try:
            position = (float(point["longitude"]), float(point["latitude"]))
        except (KeyError, TypeError, ValueError):
            position = (math.nan, math.nan)
        if not all(map(math.isfinite, position)):
            notes.append(f"{nid}: the boundary has an unreadable point; boundary left as it was")
            return None
        ring.append(position)
    if len(set(ring)) < 3:
        return None
    if ring[0] != ring[-1]:
        ring.append(ring[0])
    return ((tuple(ring),),)


def _population(value: Any, nid: str, notes: list[str]) -> int | None:
    """VALUE as a whole number of people, or None (with a note when the API gave something else)."""
    is_text_or_int = isinstance(value, (str, int)) and not isinstance(value, bool)
    text = str(value).replace(",", "").strip() if is_text_or_int else ""
    # [0-9] and not isdigit(): '²' is a digit to Python but no number to int(); 15 digits is check's limit
    if re.fullmatch(r"[0-9]{1,15}", text):
        return int(text)
    if value is not None and one_line(str(value)):
        notes.append(f"{nid}: skipped the population '{_quoted(value)}', "
                     "which is not a whole number of people")
    return None


def _quoted(value: Any) -> str:
    """VALUE on one line, cut to 80 characters, for a note."""
    text = one_line(str(value))
    return text if len(text) <= 80 else text[:79] + "…"


def _clipped(text: str, what: str, nid: str, notes: list[str]) -> str:
    """TEXT clipped to LIMITS[WHAT] characters (what check allows), with a note for the report
    when it is cut."""
    limit = LIMITS[what]
    if len(text) > limit:
        note = f"{nid}: the API's {what} is {len(text):,} characters long; clipped to {limit}"
        if note not in notes:
            notes.append(note)
    return clip(text, limit)


def _member(person: dict, nid: str, notes: list[str]) -> dict | None:
    name = _clipped(one_line(person.get("name")), "name", nid, notes)
    if not name:
        notes.append(f"{nid}: skipped a team member with no name")
        return None
    role = _clipped(one_line(person.get("rank")), "role", nid, notes) or "Neighbourhood officer"
    member = {"name": name, "role": role}
    bio = _clipped(html_to_text(person.get("bio")), "bio", nid, notes)
    return member | ({"bio": bio} if bio else {})


def _contact_details(detail: dict) -> dict:
    details = detail.get("contact_details")
    return details if isinstance(details, dict) else {}


def _contact(detail: dict, nid: str, notes: list[str]) -> dict:
    details = _contact_details(detail)
    contact = {}
    email = one_line(details.get("email"))
    if email and EMAIL_RE.match(email) and len(email) <= 254:
        contact["email"] = email
    elif email:
        notes.append(f"{nid}: skipped the email address '{email}', which does not look like one")
    phone = one_line(details.get("telephone"))
    if phone and PHONE_RE.match(phone):
        contact["phone"] = phone
    elif phone:
        notes.append(f"{nid}: skipped the phone number '{phone}', which does not look like one")
    address = _address(details, detail.get("locations"))
    if address:
        contact["address"] = _clipped(address, "address", nid, notes)
    return contact


def _address(details: dict, locations: Any) -> str:
    """The contact address, else the first listed location (usually the police station)."""
    if one_line(details.get("address")):
        return _join_address([details.get("address")])
    for place in locations if isinstance(locations, list) else []:
        if isinstance(place, dict) and one_line(place.get("address")):
            return _join_address([place.get("name"), place.get("address"), place.get("postcode")])
    return ""


def _join_address(parts: list[Any]) -> str:
    pieces = [one_line(piece) for part in parts if isinstance(part, str)
              for piece in re.split(r"[\n,]", part)]
    return ", ".join(piece for piece in pieces if piece)


def _social(detail: dict, nid: str, notes: list[str]) -> list[dict]:
    """The social and web links the API gives, http(s) only; a note for each other one skipped."""
    details = _contact_details(detail)
    links, seen = [], set()
    for key, network in SOCIAL_KEYS:
        url = _web_url(details.get(key))
        if url and url not in seen:
            links.append({"network": network, "url": url})
            seen.add(url)
        elif not url:
            _note_skipped_link(details.get(key), network, nid, notes)
    force_page = _web_url(detail.get("url_force"))
    if not force_page:
        _note_skipped_link(detail.get("url_force"), "web", nid, notes)
    if force_page and not any(link["network"] == "web" for link in links):
        links.append({"network": "web", "url": force_page})
    return links[:MAX_SOCIAL]


def _note_skipped_link(value: Any, network: str, nid: str, notes: list[str]) -> None:
    if value is not None and one_line(str(value)):
        notes.append(f"{nid}: skipped the {network} link '{_quoted(value)}', which is not an http:// or https://"
                     " address")


def _web_url(value: Any) -> str:
    url = value.strip() if isinstance(value, str) else ""
    parts = urlsplit(url)
    ok = parts.scheme in ("http", "https") and parts.netloc and not re.search(r"\s", url) and len(url) <= 500
    return url if ok else ""


def _priority(record: dict, nid: str, notes: list[str]) -> dict | None:
    issue = _clipped(html_to_text(record.get("issue")), "issue", nid, notes)
    issued = _day(record.get("issue-date"))
    if not issue or not issued:
        notes.append(f"{nid}: skipped a priority with no issue or no issue date")
        return None
    priority = {"issue": issue, "date": issued}
    action = _clipped(html_to_text(record.get("action")), "action", nid, notes)
    if action:
        priority["action"] = action
    acted = _day(record.get("action-date"))
    if acted and acted >= issued:
        priority["action_date"] = acted
    return priority


def _events(records: list, nid: str, notes: list[str]) -> list[dict]:
    events, seen = [], set()
    for record in records:
        event = _event(record, nid, notes)
        if event is None:
            notes.append(f"{nid}: skipped an event with no title or no start time")
        elif (event["start"], event["title"]) not in seen:
            seen.add((event["start"], event["title"]))
            events.append(event)
    events.sort(key=lambda e: (e["start"], e["title"]))
    return _unique_ids(events[-MAX_EVENTS:])


def _unique_ids(events: list[dict]) -> list[dict]:
    """EVENTS, those sharing an id (a title and a day) told apart by their start time."""
    counts: dict[str, int] = {}
    for event in events:
        counts[event["id"]] = counts.get(event["id"], 0) + 1
    for event in events:
        if counts[event["id"]] > 1:
            event["id"] += f"-{event['start'][11:13]}{event['start'][14:16]}"
    return events


def _event(record: dict, nid: str, notes: list[str]) -> dict | None:
    title = _clipped(one_line(record.get("title")), "title", nid, notes)
    start = _minute(record.get("start_date"))
    if not title or not start:
        return None
    start, start_at = _uk_time(start, nid, notes)
    # A stable id from the API's own data (title and day), so a re-import keeps each event's calendar UID.
    event = {"id": suggested_id({"title": title, "start": start}), "title": title, "start": start}
    end = _minute(record.get("end_date"))
    if end:
        end, end_at = _uk_time(end, nid, notes)
        if as_utc(end_at) > as_utc(start_at):
            event["end"] = end
    location = _clipped(_join_address([record.get("address")]), "location", nid, notes)
    if location:
        event["location"] = location
    description = _clipped(html_to_text(record.get("description")), "event_description", nid, notes)
    if description:
        event["description"] = description
    return event


def _uk_time(text: str, nid: str, notes: list[str]) -> tuple[str, datetime]:
    """A London time 'YYYY-MM-DDTHH:MM' as area.yaml must hold it, and its instant: one the
    clocks skip becomes the instant a calendar would read it as; one that happens twice gets
    the offset of its first reading (BST).  Each with a note."""
    naive = datetime.fromisoformat(text)
    local = naive.replace(tzinfo=LONDON)
    if in_gap(naive):
        local = as_utc(local).astimezone(LONDON)
        notes.append(f"{nid}: event time {text} does not exist in UK time; "
                     f"imported as {local:%Y-%m-%dT%H:%M}")
        return f"{local:%Y-%m-%dT%H:%M}", local
    if in_fold(naive):
        written = f"{text}{offset_text(utc_offset(local))}"
        notes.append(f"{nid}: event time {text} happens twice in UK time; imported as the first, {written}")
        return written, local
    return text, local


def _day(value: Any) -> str | None:
    """'2016-04-14T00:00:00' -> '2016-04-14' (None when it is not a real date)."""
    match = re.match(r"(\d{4}-\d{2}-\d{2})", value) if isinstance(value, str) else None
    try:
        return date.fromisoformat(match[1]).isoformat() if match else None
    except ValueError:
        return None


def _minute(value: Any) -> str | None:
    """An API time as local London time 'YYYY-MM-DDTHH:MM' (None when unreadable)."""
    if not isinstance(value, str) or not re.match(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}", value.strip()):
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace(" ", "T", 1))
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(LONDON).replace(tzinfo=None)
    return f"{moment:%Y-%m-%dT%H:%M}"
