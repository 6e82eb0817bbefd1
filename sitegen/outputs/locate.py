"""Finding a ward by location: one static index of every ward's outline, which
the home page's "Use my location" (sitegen/theme/static/locate.js) reads and
searches on the device.  Nothing about where a resident is leaves their browser.

The index, /find/wards.json, is published only when at least one area has a
boundary.  It is compact JSON:

    {"version": 1, "decimals": 5, "tolerance_m": 5.0, "border_m": 20.0,
     "wards": [{"slug": "abbey", "name": "Abbey", "borough": "Barking and Dagenham",
                "url": "/areas/abbey/", "bbox": [west, south, east, north],
                "polygons": [[outer ring, hole ring, ...], ...]}, ...]}

On a site of several languages a ward translated into another language also has
`"names": {"cy": "Abbey"}` (language tag -> its name there), so the pages of every
language, which share the one index, name it in theirs, and the index says which
language every `name` is written in, `"language": "en-GB"` (the default's tag), so a
page of another language marks a name it has no translation of with it (WCAG 3.1.2);
a one-language site's index has neither.

Rings are those of the boundary (RFC 7946 order: outer ring, then holes),
simplified (Douglas-Peucker, shapely, topology kept) to within TOLERANCE_M
metres and rounded to DECIMALS decimals (about a metre), each written as a
flat list of integers in 10^-5 degrees, deltas after the first position
(encoded()).  For the 624 London wards the file is about 280 KB, 100 KB
gzipped (bench/locate_bench.py).  Because each ward is
simplified on its own, neighbours may overlap or leave a gap of up to twice
the tolerance along a shared border: a point within BORDER_M metres of another
ward's edge is told it is on the border and shown both wards.  Distances
("nearest wards") are to a ward's edge, in metres, on an equirectangular
approximation around the point (longitude scaled by the cosine of its
latitude), which is true to well under 1% at ward scale.

A narrow build whose area's boundary changed reads the whole site (build/load.py
compares AreaFacts.boundary, its maps.boundary_digest), so the index, which shows every ward, is
made again.
"""
from __future__ import annotations

import json
import math
from collections.abc import Iterable

from ..build.units import Unit, digest
from ..maps import Polygon, Position, Ring, boundary_digest
from ..model import Area, Site
from .base import Output, RenderContext

INDEX_PATH = "find/wards.json"
LOCATE = Unit("locate")                # each ward's outline, name, borough, address: what the index shows
LOCATABLE = Unit("locate", "present")  # whether the site publishes the index (the home page's control)

DECIMALS = 5              # about 1.1 m of latitude
TOLERANCE_M = 5.0         # how far a simplified edge may stray from the boundary
BORDER_M = 20.0           # more than twice TOLERANCE_M and the rounding: see the module docstring
METRES_PER_DEGREE = 6_371_008.8 * math.pi / 180   # of latitude, on the mean Earth radius


def has_index(site: Site) -> bool:
    """Whether SITE publishes the location index: some area has a boundary."""
    return any(area.boundary is not None for area in site.areas)


def index_url(site: Site) -> str:
    """The site path of the index, or '' when SITE publishes none (the control is not shown)."""
    return "/" + INDEX_PATH if has_index(site) else ""


def plan_locate(site: Site) -> list[Output]:
    """The index, when SITE has at least one boundary; it reads only LOCATE."""
    return [Output(INDEX_PATH, "locate", "", deps=(LOCATE,))] if has_index(site) else []


def locate_units(areas: Iterable[Area]) -> dict[Unit, str]:
    """LOCATE (each area's slug, name in every language, borough and boundary) and LOCATABLE
    (whether any area has a boundary), derived from AREAS: editing a boundary or renaming a
    ward, in any language, changes LOCATE, so the index is made again; news, team or meetings
    change neither."""
    shown = sorted((a.slug, a.name, a.borough, boundary_digest(a.boundary), translated_names(a))
                   for a in areas if a.boundary is not None)
    return {LOCATE: digest(*(repr(entry) for entry in shown)), LOCATABLE: digest(str(bool(shown)))}


def render_locate(ctx: RenderContext, key: str) -> bytes:
    """The index of every area with a boundary, in slug order, as compact UTF-8 JSON."""
    multilingual = ctx.site.config.multilingual
    wards = [ward_entry(area, multilingual) for area in sorted(ctx.site.areas, key=lambda a: a.slug)
             if area.boundary is not None]
    index = {"version": 1, "decimals": DECIMALS, "tolerance_m": TOLERANCE_M, "border_m": BORDER_M,
             **({"language": ctx.site.default_language} if multilingual else {}), "wards": wards}
    return (json.dumps(index, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def ward_entry(area: Area, multilingual: bool = False) -> dict:
    """AREA's entry in the index: slug, name, borough, url, bbox and simplified polygons, and
    when MULTILINGUAL and AREA is translated, `names` (language tag -> its name there)."""
    assert area.boundary is not None
    polygons = simplified(area.boundary.polygons)
    lons = [lon for polygon in polygons for lon, _ in polygon[0]]
    lats = [lat for polygon in polygons for _, lat in polygon[0]]
    entry: dict[str, object] = {"slug": area.slug, "name": area.name, "borough": area.borough,
                                "url": area.url}
    names = translated_names(area) if multilingual else ()
    if names:
        entry["names"] = dict(names)
    return {**entry, "bbox": [min(lons), min(lats), max(lons), max(lats)],
            "polygons": [[encoded(ring) for ring in polygon] for polygon in polygons]}


def translated_names(area: Area) -> tuple[tuple[str, str], ...]:
    """(language tag, AREA's name in it) for each language AREA is translated into (it has an
    area.<code>.yaml: a version made for its translated stories alone has the original's words),
    whose translation gives a name (one that leaves it out shows, and marks, the default's), in tag order."""
    return tuple(sorted((code, version.name) for code, version in area.translations
                        if version.source != area.source and "name" not in version.fallbacks))


def encoded(ring: Ring) -> list[int]:
    """RING (closed, on the DECIMALS grid) as the index holds it: a flat list of integers in
    units of 10^-DECIMALS degrees, the first position whole and each next one as its change
    from the one before (lon, lat, dlon, dlat, ...); the closing position is left out.
    Deltas are mostly two or three digits, which halves the file."""
    scale = 10 ** DECIMALS
    out: list[int] = []
    last = (0, 0)
    for lon, lat in ring[:-1]:
        here = (round(lon * scale), round(lat * scale))
        out += [here[0] - last[0], here[1] - last[1]]
        last = here
    return out


def decoded(flat: list[int]) -> Ring:
    """The closed ring of (lon, lat) positions that encoded() gave FLAT for (the inverse)."""
    scale = 10 ** DECIMALS
    lon = lat = 0
    ring: list[Position] = []
    for index in range(0, len(flat), 2):
        lon, lat = lon + flat[index], lat + flat[index + 1]
        ring.append((lon / scale, lat / scale))
    return tuple(ring + ring[:1])


def simplified(polygons: tuple[Polygon, ...], tolerance_m: float = TOLERANCE_M) -> tuple[Polygon, ...]:
    """POLYGONS ((lon, lat) rings) simplified to within TOLERANCE_M metres and rounded to
    DECIMALS.  Rings that simplify to nothing (an island or hole smaller than the
    tolerance) are dropped; a polygon whose outer ring goes keeps its rounded original
    rather than vanish, so that every ward can still be found."""
    import shapely
    from shapely.geometry import Polygon as ShapelyPolygon

    lat0 = sum(lat for polygon in polygons for _, lat in polygon[0]) / sum(len(p[0]) for p in polygons)
    k = math.cos(math.radians(lat0))
    out: list[Polygon] = []
    for polygon in polygons:
        # Simplified in metres (longitude scaled by cos(latitude)), so the tolerance is the same both ways.
        local = ShapelyPolygon([_to_metres(p, k) for p in polygon[0]],
                               [[_to_metres(p, k) for p in ring] for ring in polygon[1:]])
        shape = shapely.simplify(local, tolerance_m, preserve_topology=True)
        if not isinstance(shape, ShapelyPolygon) or shape.is_empty:
            out.append(tuple(_rounded(ring) for ring in polygon))
            continue
        rings = [_rounded(tuple(_from_metres(xy, k) for xy in ring.coords))
                 for ring in (shape.exterior, *shape.interiors)]
        if len(rings[0]) < 4:
            out.append(tuple(_rounded(ring) for ring in polygon))
            continue
        out.append(tuple(ring for ring in rings if len(ring) >= 4))
    return tuple(out)


def _to_metres(position: Position, k: float) -> Position:
    lon, lat = position
    return lon * k * METRES_PER_DEGREE, lat * METRES_PER_DEGREE


def _from_metres(xy: tuple[float, ...], k: float) -> Position:
    return xy[0] / (k * METRES_PER_DEGREE), xy[1] / METRES_PER_DEGREE


def _rounded(ring: Ring) -> Ring:
    """RING rounded to DECIMALS, without positions repeated by the rounding (kept closed)."""
    out: list[Position] = []
    for lon, lat in ring:
        position = (round(lon, DECIMALS), round(lat, DECIMALS))
        if not out or out[-1] != position:
            out.append(position)
    if out and out[0] != out[-1]:
        out.append(out[0])
    return tuple(out)
