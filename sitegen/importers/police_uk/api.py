"""Fetching neighbourhoods from the data.police.uk API through `..http.HttpClient`.

Only the shape of each answer is checked here; what the records say is
turned into area fields by `mapping`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from ...errors import Problem, ServiceError, SitegenError, did_you_mean
from ..http import HttpClient, NotFound

DEFAULT_API_URL = "https://data.police.uk/api"


@dataclass(frozen=True)
class Neighbourhood:
    """One neighbourhood as the API gave it: the record and its four sub-resources."""

    id: str
    detail: dict
    people: list
    priorities: list
    events: list
    boundary: list


def fetch_neighbourhoods(client: HttpClient, force: str, ids: list[str]) -> list[Neighbourhood]:
    """Every chosen neighbourhood of FORCE with its people, priorities, events and boundary."""
    listing_path = f"/{_segment(force)}/neighbourhoods"
    try:
        listing = client.get_json(listing_path)
    except NotFound as exc:
        raise NotFound(exc.url, f"is '{force}' a police.uk force id"
                                " (like 'metropolitan' or 'leicestershire')?") from exc
    known = _listed_ids(client.base_url + listing_path, listing)
    chosen = choose_ids(known, ids, force)
    return [fetch_one(client, force, nid) for nid in chosen]


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
        raise ServiceError(exc.url, "listed by /neighbourhoods but not found (HTTP 404)") from exc
    if not isinstance(detail, dict):
        raise ServiceError(client.base_url + base, "expected a neighbourhood record (a JSON object)")
    return Neighbourhood(id=nid, detail=detail, people=_optional_list(client, base + "/people"),
                         priorities=_optional_list(client, base + "/priorities"),
                         events=_optional_list(client, base + "/events"),
                         boundary=_optional_list(client, base + "/boundary"))


def _segment(value: str) -> str:
    return quote(value, safe="")


def _listed_ids(url: str, listing: Any) -> list[str]:
    if not isinstance(listing, list) or not all(isinstance(r, dict) and r.get("id") for r in listing):
        raise ServiceError(url, "expected a list of neighbourhoods like [{\"id\": ..., \"name\": ...}]")
    return [str(r["id"]) for r in listing]


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
