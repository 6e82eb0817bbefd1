"""`sitegen import-police-uk`: areas from the data.police.uk neighbourhood API.

    existing area.yaml files ──► fetch every neighbourhood (network) ──► map to area fields (pure)
        ──► merge with what editors wrote (pinned keys and editor keys kept) ──► check ──► stage ──► rename

Everything is fetched before anything is written, so an API failure changes
nothing.  Each area's new files are staged beside it (a hidden temporary
folder for a new area, hidden temporary files for an existing one) and only
renamed into place once every area has been staged.

The API's HTML (descriptions, bios, priorities) is untrusted: it is cleaned
with nh3 and turned into plain text, which templates then escape.
"""
from __future__ import annotations

import html
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

import nh3
import yaml

from ..content.areas import AREA, AREAS_DIR, BOUNDARY_FILE, PINNABLE
from ..content.schema import EMAIL_RE, PHONE_RE, Where
from ..content.site import slugify
from ..content.yamlsource import LocatedDict, LocatedList, load_yaml_file, parse_yaml
from ..errors import Problem, Problems, ServiceError, SitegenError, did_you_mean
from ..maps import feature_json, parse_boundary
from .http import HttpClient, NotFound

DEFAULT_API_URL = "https://data.police.uk/api"
LONDON = ZoneInfo("Europe/London")

# Keys the import refreshes on every run unless an editor lists them under `pinned:`.
IMPORTED_KEYS = ("name", "description", "population", "team", "contact", "social", "priorities", "events")
# Keys that say where an area comes from; always written, never pinned.
LINK_KEYS = ("police_uk_force", "police_uk_id")
SOCIAL_KEYS = (("twitter", "x"), ("x", "x"), ("facebook", "facebook"), ("instagram", "instagram"),
               ("youtube", "youtube"), ("bluesky", "bluesky"), ("mastodon", "mastodon"),
               ("threads", "threads"), ("tiktok", "tiktok"), ("linkedin", "linkedin"),
               ("nextdoor", "nextdoor"), ("whatsapp", "whatsapp"), ("web", "web"))
LIMITS = {"name": 100, "role": 100, "bio": 2000, "issue": 1000, "action": 2000, "title": 150,
          "location": 300, "event_description": 2000, "description": 5000, "address": 300}
MAX_TEAM, MAX_PRIORITIES, MAX_EVENTS, MAX_SOCIAL = 50, 50, 200, 20

HEADER = """\
# Imported from data.police.uk (force '{force}', neighbourhood '{nid}') by `sitegen import-police-uk`.
# Each import refreshes name, description, population, team, contact, social, priorities, events
# and boundary.geojson, except the keys listed under `pinned:`; other keys are yours.
# See docs/police-uk.md.
"""


# ---------------------------------------------------------------- data


@dataclass(frozen=True)
class Neighbourhood:
    """One neighbourhood as the API gave it: the record and its four sub-resources."""

    id: str
    detail: dict
    people: list
    priorities: list
    events: list
    boundary: list


@dataclass
class ExistingArea:
    """An area folder already in the site, with its area.yaml as plain data."""

    slug: str
    folder: Path
    data: dict


@dataclass
class AreaChange:
    """What the import did to one area."""

    slug: str
    neighbourhood: str
    action: str                                   # created, updated or unchanged
    fields: list[str] = field(default_factory=list)
    pinned: list[str] = field(default_factory=list)
    newly_pinned: list[str] = field(default_factory=list)

    def line(self, force: str) -> str:
        """One line for the report."""
        text = f"{self.action} {self.slug} ({force}/{self.neighbourhood})"
        if self.fields:
            text += ": " + ", ".join(self.fields)
        if self.newly_pinned:
            text += f"; pinned because the API has none, yours kept: {', '.join(self.newly_pinned)}"
        if self.pinned:
            text += f"; pinned, left as written: {', '.join(self.pinned)}"
        return text


@dataclass
class PoliceImportReport:
    """What an import created, changed and left alone, and anything it skipped."""

    force: str
    changes: list[AreaChange] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    requests: int = 0

    def slugs(self, action: str) -> list[str]:
        """Slugs of the areas with ACTION (created, updated, unchanged)."""
        return [c.slug for c in self.changes if c.action == action]

    def lines(self) -> list[str]:
        """The report as lines for people."""
        out = [c.line(self.force) for c in self.changes] + [f"note: {n}" for n in self.notes]
        out.append(f"Created {len(self.slugs('created'))}, updated {len(self.slugs('updated'))}, "
                   f"left {len(self.slugs('unchanged'))} unchanged ({self.requests} API requests).")
        return out


@dataclass
class PlannedArea:
    """The files one area needs written (name -> bytes); empty when it is unchanged."""

    slug: str
    folder: Path
    is_new: bool
    files: dict[str, bytes]


# ---------------------------------------------------------------- the command's work


def import_police_uk(root: Path, force: str, ids: list[str], client: HttpClient) -> PoliceImportReport:
    """Create or refresh the areas of FORCE's neighbourhoods (only IDS, if given) under ROOT."""
    if not (root / "site.yaml").is_file():
        raise SitegenError([Problem(str(root / "site.yaml"), 0, 0,
                                    "not found; run this in a site folder or pass --site DIR")])
    existing = scan_areas(root)
    fetched = fetch_neighbourhoods(client, force, ids)
    report = PoliceImportReport(force=force)
    plans = plan_import(root, force, fetched, existing, report)
    write_planned(plans)
    report.requests = client.requests
    return report


# ---------------------------------------------------------------- existing areas


def scan_areas(root: Path) -> list[ExistingArea]:
    """Every area folder with a readable, valid area.yaml; raise with every problem found."""
    base = root / AREAS_DIR
    if not base.is_dir():
        return []
    problems, found = Problems(), []
    for folder in sorted(p for p in base.iterdir() if p.is_dir() and not p.name.startswith(".")):
        rel = f"{AREAS_DIR}/{folder.name}/area.yaml"
        if not (folder / "area.yaml").is_file():
            continue
        try:
            raw = load_yaml_file(folder / "area.yaml", rel)
        except SitegenError as exc:
            problems.extend(exc.problems)
            continue
        AREA.check(raw, Where(rel, (1, 1), ""), problems)
        if isinstance(raw, dict):
            found.append(ExistingArea(folder.name, folder, plain(raw)))
    if problems:
        problems.add("import-police-uk", 0, 0, "fix the area.yaml problems above before importing")
    problems.raise_if_any()
    return found


def plain(value: Any) -> Any:
    """YAML loaded with positions, as plain dicts and lists."""
    if isinstance(value, (dict, LocatedDict)):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, LocatedList)):
        return [plain(v) for v in value]
    return value


def match_areas(ids: list[str], existing: list[ExistingArea], force: str) -> dict[str, ExistingArea]:
    """Which existing area each neighbourhood id belongs to.

    A stored police_uk_id (of this force) wins; then the ONS `code`, then
    `old_code` (Met ids come in both forms).  An area linked to another
    neighbourhood is only ever matched by its police_uk_id.
    """
    def linked(area: ExistingArea) -> bool:
        return "police_uk_id" in area.data

    tiers = [
        lambda a: a.data.get("police_uk_id") if a.data.get("police_uk_force", force) == force else None,
        lambda a: None if linked(a) else a.data.get("code"),
        lambda a: None if linked(a) else a.data.get("old_code"),
    ]
    matched: dict[str, ExistingArea] = {}
    for key_of in tiers:
        for nid in ids:
            if nid in matched:
                continue
            claimed = {id(a) for a in matched.values()}
            hits = [a for a in existing if id(a) not in claimed and _same_id(key_of(a), nid)]
            if len(hits) > 1:
                raise SitegenError([Problem(f"{AREAS_DIR}/{a.slug}/area.yaml", 0, 0,
                                            f"matches neighbourhood '{nid}' like {len(hits) - 1} other area(s);"
                                            " give each area its own police_uk_id") for a in hits])
            if hits:
                matched[nid] = hits[0]
    return matched


def _same_id(value: Any, nid: str) -> bool:
    return value is not None and str(value).strip().upper() == nid.strip().upper()


# ---------------------------------------------------------------- fetching


def _segment(value: str) -> str:
    return quote(value, safe="")


def fetch_neighbourhoods(client: HttpClient, force: str, ids: list[str]) -> list[Neighbourhood]:
    """Every chosen neighbourhood of FORCE with its people, priorities, events and boundary."""
    listing_path = f"/{_segment(force)}/neighbourhoods"
    try:
        listing = client.get_json(listing_path)
    except NotFound as exc:
        raise NotFound(exc.url, f"is '{force}' a police.uk force id (like 'metropolitan' or 'leicestershire')?")
    known = _listed_ids(client.base_url + listing_path, listing)
    chosen = choose_ids(known, ids, force)
    return [fetch_one(client, force, nid) for nid in chosen]


def _listed_ids(url: str, listing: Any) -> list[str]:
    if not isinstance(listing, list) or not all(isinstance(r, dict) and r.get("id") for r in listing):
        raise ServiceError(url, "expected a list of neighbourhoods like [{\"id\": ..., \"name\": ...}]")
    return [str(r["id"]) for r in listing]


def choose_ids(known: list[str], wanted: list[str], force: str) -> list[str]:
    """WANTED (all of KNOWN when empty), each checked against KNOWN, without repeats."""
    if not wanted:
        return list(dict.fromkeys(known))
    by_upper = {k.upper(): k for k in known}
    unknown = [w for w in wanted if w.upper() not in by_upper]
    if unknown:
        raise SitegenError([Problem("--neighbourhood", 0, 0, f"'{w}' is not a neighbourhood of '{force}'"
                                    f"{did_you_mean(w, known)}") for w in unknown])
    return list(dict.fromkeys(by_upper[w.upper()] for w in wanted))


def fetch_one(client: HttpClient, force: str, nid: str) -> Neighbourhood:
    """GET /{force}/{id} and its /people, /priorities, /events and /boundary."""
    base = f"/{_segment(force)}/{_segment(nid)}"
    try:
        detail = client.get_json(base)
    except NotFound as exc:
        raise ServiceError(exc.url, "listed by /neighbourhoods but not found (HTTP 404)")
    if not isinstance(detail, dict):
        raise ServiceError(client.base_url + base, "expected a neighbourhood record (a JSON object)")
    return Neighbourhood(id=nid, detail=detail, people=_optional_list(client, base + "/people"),
                         priorities=_optional_list(client, base + "/priorities"),
                         events=_optional_list(client, base + "/events"),
                         boundary=_optional_list(client, base + "/boundary"))


def _optional_list(client: HttpClient, path: str) -> list:
    """A list sub-resource; one the API does not have (404) is empty."""
    try:
        value = client.get_json(path)
    except NotFound:
        return []
    if value is None:
        return []
    if not isinstance(value, list):
        raise ServiceError(client.base_url + path, "expected a JSON list")
    return [item for item in value if isinstance(item, dict)]


# ---------------------------------------------------------------- untrusted text


BLOCK_TAGS = {"p", "div", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "tr"}
DROP_WITH_CONTENT = {"script", "style", "template", "iframe", "noscript", "object", "embed", "svg", "math",
                     "title", "textarea", "select", "noembed", "noframes", "xmp"}


class _TextCollector(HTMLParser):
    """Text of already-cleaned HTML, with paragraph breaks at block elements."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self.parts.append("\n")
        elif tag in BLOCK_TAGS:
            self.parts.append("\n\n- " if tag == "li" else "\n\n")

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        self.parts.append(re.sub(r"\s+", " ", data))   # source line breaks are only spaces in HTML


def html_to_text(value: Any) -> str:
    """Untrusted HTML (or plain text) from the API as plain text: paragraphs split by blank lines.

    nh3 first keeps only a few block tags, with no attributes, and drops
    scripts, styles and the like with their content; the rest becomes text.
    """
    if not isinstance(value, str) or not value.strip():
        return ""
    if not re.search(r"<[A-Za-z!/?]", value):
        return _paragraphs(html.unescape(value).replace("\r", "").split("\n"))
    cleaned = nh3.clean(value, tags=BLOCK_TAGS | {"br"}, attributes={}, clean_content_tags=DROP_WITH_CONTENT,
                        strip_comments=True, link_rel=None)
    collector = _TextCollector()
    collector.feed(cleaned)
    collector.close()
    return _paragraphs(re.split(r"\n\s*\n", "".join(collector.parts)), keep_breaks=True)


def _paragraphs(blocks: list[str], keep_breaks: bool = False) -> str:
    out = []
    for block in blocks:
        lines = [" ".join(line.split()) for line in (block.split("\n") if keep_breaks else [block])]
        text = "\n".join(line for line in lines if line)
        if text and text != "-":
            out.append(text)
    return "\n\n".join(out)


def one_line(value: Any) -> str:
    """Untrusted VALUE as text on one line: tags dropped (scripts with their content), whitespace collapsed."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return " ".join(html_to_text(value).split())


def clip(text: str, limit: int) -> str:
    """TEXT cut to LIMIT characters at a word, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,.;:\n") + "…"


# ---------------------------------------------------------------- mapping


def area_fields(n: Neighbourhood, force: str, notes: list[str]) -> dict:
    """The area.yaml keys the API supplies for N (empty ones left out)."""
    detail = n.detail
    fields = {
        "name": clip(one_line(detail.get("name")), LIMITS["name"]) or n.id,
        "description": clip(html_to_text(detail.get("description")), LIMITS["description"]),
        "population": _population(detail.get("population")),
        "police_uk_force": force,
        "police_uk_id": n.id,
        "team": [m for m in (_member(p, n.id, notes) for p in n.people[:MAX_TEAM]) if m],
        "contact": _contact(detail, n.id, notes),
        "social": _social(detail),
        "priorities": [p for p in (_priority(r, n.id, notes) for r in n.priorities[:MAX_PRIORITIES]) if p],
        "events": _events(n.events, n.id, notes),
    }
    return {k: v for k, v in fields.items() if v not in (None, "", [], {})}


def _population(value: Any) -> int | None:
    text = str(value).replace(",", "").strip() if isinstance(value, (str, int)) else ""
    return int(text) if text.isdigit() else None


def _member(person: dict, nid: str, notes: list[str]) -> dict | None:
    name = clip(one_line(person.get("name")), LIMITS["name"])
    if not name:
        notes.append(f"{nid}: skipped a team member with no name")
        return None
    member = {"name": name, "role": clip(one_line(person.get("rank")), LIMITS["role"]) or "Neighbourhood officer"}
    bio = clip(html_to_text(person.get("bio")), LIMITS["bio"])
    return member | ({"bio": bio} if bio else {})


def _contact(detail: dict, nid: str, notes: list[str]) -> dict:
    details = detail.get("contact_details") if isinstance(detail.get("contact_details"), dict) else {}
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
        contact["address"] = clip(address, LIMITS["address"])
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
    pieces = [one_line(piece) for part in parts if isinstance(part, str) for piece in re.split(r"[\n,]", part)]
    return ", ".join(piece for piece in pieces if piece)


def _social(detail: dict) -> list[dict]:
    details = detail.get("contact_details") if isinstance(detail.get("contact_details"), dict) else {}
    links, seen = [], set()
    for key, network in SOCIAL_KEYS:
        url = _web_url(details.get(key))
        if url and url not in seen:
            links.append({"network": network, "url": url})
            seen.add(url)
    force_page = _web_url(detail.get("url_force"))
    if force_page and not any(link["network"] == "web" for link in links):
        links.append({"network": "web", "url": force_page})
    return links[:MAX_SOCIAL]


def _web_url(value: Any) -> str:
    url = value.strip() if isinstance(value, str) else ""
    parts = urlsplit(url)
    ok = parts.scheme in ("http", "https") and parts.netloc and not re.search(r"\s", url) and len(url) <= 500
    return url if ok else ""


def _priority(record: dict, nid: str, notes: list[str]) -> dict | None:
    issue = clip(html_to_text(record.get("issue")), LIMITS["issue"])
    issued = _day(record.get("issue-date"))
    if not issue or not issued:
        notes.append(f"{nid}: skipped a priority with no issue or no issue date")
        return None
    priority = {"issue": issue, "date": issued}
    action = clip(html_to_text(record.get("action")), LIMITS["action"])
    if action:
        priority["action"] = action
    acted = _day(record.get("action-date"))
    if acted and acted >= issued:
        priority["action_date"] = acted
    return priority


def _events(records: list, nid: str, notes: list[str]) -> list[dict]:
    events, seen = [], set()
    for record in records:
        event = _event(record)
        if event is None:
            notes.append(f"{nid}: skipped an event with no title or no start time")
        elif (event["start"], event["title"]) not in seen:
            seen.add((event["start"], event["title"]))
            events.append(event)
    events.sort(key=lambda e: (e["start"], e["title"]))
    return events[-MAX_EVENTS:]


def _event(record: dict) -> dict | None:
    title = clip(one_line(record.get("title")), LIMITS["title"])
    start = _minute(record.get("start_date"))
    if not title or not start:
        return None
    event = {"title": title, "start": start}
    end = _minute(record.get("end_date"))
    if end and end >= start:
        event["end"] = end
    location = clip(_join_address([record.get("address")]), LIMITS["location"])
    if location:
        event["location"] = location
    description = clip(html_to_text(record.get("description")), LIMITS["event_description"])
    if description:
        event["description"] = description
    return event


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


def boundary_polygon(points: list, nid: str, notes: list[str]) -> tuple | None:
    """The API's boundary (a list of {latitude, longitude} strings) as one closed (lon, lat) ring."""
    ring = []
    for point in points:
        try:
            ring.append((float(point["longitude"]), float(point["latitude"])))
        except (KeyError, TypeError, ValueError):
            notes.append(f"{nid}: the boundary has an unreadable point; boundary left as it was")
            return None
    if len(set(ring)) < 3:
        return None
    if ring[0] != ring[-1]:
        ring.append(ring[0])
    return ((tuple(ring),),)


# ---------------------------------------------------------------- merging and planning


def merge(existing: dict | None, imported: dict) -> dict:
    """EXISTING area.yaml data refreshed with IMPORTED, keeping pinned and editor-owned keys.

    Once an area is linked (it has a police_uk_id) the API is the source of
    every IMPORTED_KEYS key that is not pinned: what it no longer lists goes.
    The first import into an editor's area pins the keys the editor filled
    and the API has nothing for, so linking never deletes their work.
    """
    current = dict(existing or {})
    pinned = list(current.get("pinned", []))
    if current and "police_uk_id" not in current:
        pinned += [k for k in IMPORTED_KEYS if k in current and k not in imported and k not in pinned]
    merged = dict(current) | ({"pinned": pinned} if pinned else {})
    for key in IMPORTED_KEYS:
        if key in pinned:
            continue
        if key in imported:
            merged[key] = imported[key]
        elif key != "name":
            merged.pop(key, None)
    for key in LINK_KEYS:
        merged[key] = imported[key]
    if "social" in imported and "social" not in pinned:
        merged["social"] = _keep_feeds(current.get("social") or [], merged["social"])
    return _ordered(merged)


def _keep_feeds(old: list, new: list) -> list:
    """An editor's `feed:` on a social link survives when the link does."""
    feeds = {link.get("url"): link["feed"] for link in old if isinstance(link, dict) and link.get("feed")}
    return [link | ({"feed": feeds[link["url"]]} if link["url"] in feeds else {}) for link in new]


def _ordered(fields: dict) -> dict:
    order = [f.name for f in AREA.fields]
    rank = {name: index for index, name in enumerate(order)}
    return dict(sorted(fields.items(), key=lambda kv: rank.get(kv[0], len(order))))


def plan_import(root: Path, force: str, fetched: list[Neighbourhood], existing: list[ExistingArea],
                report: PoliceImportReport) -> list[PlannedArea]:
    """What to write for each neighbourhood; fills REPORT.  Writes nothing."""
    matched = match_areas([n.id for n in fetched], existing, force)
    taken = {a.slug for a in existing} | _folders(root)
    plans, problems = [], Problems()
    for n in fetched:
        area = matched.get(n.id)
        slug = area.slug if area else _new_slug(n, taken)
        taken.add(slug)
        plan, change = _plan_area(root, force, n, slug, area, report.notes, problems)
        plans.append(plan)
        report.changes.append(change)
    problems.raise_if_any()
    return plans


def _folders(root: Path) -> set[str]:
    base = root / AREAS_DIR
    return {p.name for p in base.iterdir()} if base.is_dir() else set()


def _new_slug(n: Neighbourhood, taken: set[str]) -> str:
    name = one_line(n.detail.get("name"))
    for candidate in (slugify(name), slugify(f"{name} {n.id}"), slugify(n.id)):
        if candidate and candidate not in taken:
            return candidate
    counter = 2
    while f"{slugify(n.id) or 'area'}-{counter}" in taken:
        counter += 1
    return f"{slugify(n.id) or 'area'}-{counter}"


def _plan_area(root: Path, force: str, n: Neighbourhood, slug: str, area: ExistingArea | None,
               notes: list[str], problems: Problems) -> tuple[PlannedArea, AreaChange]:
    folder = root / AREAS_DIR / slug
    old = area.data if area else {}
    new = merge(old, area_fields(n, force, notes))
    if not area and re.fullmatch(r"E0[0-9]{7}", n.id):
        new = _ordered(new | {"code": n.id})
    files: dict[str, bytes] = {}
    changed = [k for k in _ordered(old | new) if old.get(k) != new.get(k)]
    if changed:
        files["area.yaml"] = area_yaml_text(new, force, n.id).encode("utf-8")
        _check_area_yaml(files["area.yaml"], f"{AREAS_DIR}/{slug}/area.yaml", problems)
    boundary = _boundary_bytes(n, new, folder, notes)
    if boundary is not None:
        files[BOUNDARY_FILE] = boundary
        changed.append("boundary")
    was_pinned = old.get("pinned", [])
    newly = [k for k in new.get("pinned", []) if k not in was_pinned]
    action = "created" if area is None else ("updated" if files else "unchanged")
    shown = [k for k in changed if k not in (*LINK_KEYS, "pinned")] if area else []
    change = AreaChange(slug, n.id, action, shown, [k for k in was_pinned if k in PINNABLE], newly)
    return PlannedArea(slug, folder, area is None, files), change


def _boundary_bytes(n: Neighbourhood, fields: dict, folder: Path, notes: list[str]) -> bytes | None:
    """The new boundary.geojson, or None when it is pinned, absent, unusable or unchanged."""
    if "boundary" in fields.get("pinned", []) or not n.boundary:
        return None
    polygons = boundary_polygon(n.boundary, n.id, notes)
    if polygons is None:
        return None
    data = feature_json(polygons, {"name": fields.get("name", n.id), "source": "data.police.uk",
                                   "force": fields["police_uk_force"], "neighbourhood": n.id})
    found = Problems()
    if parse_boundary(data, BOUNDARY_FILE, found) is None:
        notes.append(f"{n.id}: the API's boundary is unusable ({'; '.join(p.message for p in found)})")
        return None
    current = folder / BOUNDARY_FILE
    if current.is_file() and current.read_bytes() == data:
        return None
    return data


def _check_area_yaml(data: bytes, rel: str, problems: Problems) -> None:
    """The importer never writes an area.yaml the build would refuse."""
    found = Problems()
    AREA.check(parse_yaml(data.decode("utf-8"), rel), Where(rel, (1, 1), ""), found)
    problems.extend(Problem(p.path, p.line, p.col, f"the import would write this invalid value: {p.message}")
                    for p in found)


class _Dumper(yaml.SafeDumper):
    """Safe YAML with several-line text as literal blocks, easy for editors to change."""


def _represent_str(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def area_yaml_text(fields: dict, force: str, nid: str) -> str:
    """FIELDS as area.yaml text, with a header saying where it came from."""
    body = yaml.dump(fields, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return HEADER.format(force=force, nid=nid) + body


# ---------------------------------------------------------------- writing


def write_planned(plans: list[PlannedArea]) -> None:
    """Stage every area's files, then rename them into place; on failure remove what was staged."""
    staged: list[tuple[Path, Path]] = []
    try:
        for plan in plans:
            staged += _stage(plan)
    except BaseException:
        _discard(staged)
        raise
    for temp, final in staged:
        os.replace(temp, final)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _stage(plan: PlannedArea) -> list[tuple[Path, Path]]:
    """Write PLAN's files to hidden temporaries; return (temporary, final) pairs."""
    if not plan.files:
        return []
    if plan.is_new:
        plan.folder.parent.mkdir(parents=True, exist_ok=True)
        temp = Path(tempfile.mkdtemp(dir=plan.folder.parent, prefix=f".{plan.slug}.import-"))
        pairs = [(temp, plan.folder)]
        try:
            temp.chmod(0o777 & ~_umask())   # mkdtemp makes it private; an area folder is not
            for name, data in plan.files.items():
                (temp / name).write_bytes(data)
        except BaseException:
            _discard(pairs)
            raise
        return pairs
    pairs = []
    try:
        for name, data in plan.files.items():
            fd, temp_name = tempfile.mkstemp(dir=plan.folder, prefix=f".{name}.", suffix=".tmp")
            pairs.append((Path(temp_name), plan.folder / name))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.chmod(temp_name, _file_mode(plan.folder / name))
    except BaseException:
        _discard(pairs)
        raise
    return pairs


def _file_mode(path: Path) -> int:
    """The mode of the file being replaced, or the usual one for a new file."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        return 0o666 & ~_umask()


def _discard(staged: list[tuple[Path, Path]]) -> None:
    for temp, _ in staged:
        if temp.is_dir():
            shutil.rmtree(temp, ignore_errors=True)
        else:
            temp.unlink(missing_ok=True)
