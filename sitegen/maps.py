"""Ward boundaries: content/areas/<slug>/boundary.geojson, checked, and drawn
as a small static SVG map (no tiles, no script).

The file is GeoJSON (RFC 7946: positions are [longitude, latitude]): a
Polygon or MultiPolygon, bare or in a Feature or FeatureCollection, kept to 6
decimals (the grid it is written on) and checked as a shape with shapely (no
ring crossing itself, holes inside their outer ring); rings are turned as RFC
7946 asks (outer counter-clockwise, holes clockwise).  For the
map, positions are projected equirectangularly with the longitude scaled by
cos(latitude) at the middle of the area (true enough at ward scale), fitted
into a 1000-unit box, and simplified (Douglas-Peucker) to at most
MAX_POINTS points.
"""
from __future__ import annotations

import hashlib
import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import Problem, Problems, SitegenError
from .sitefiles import refuse_link_out

if TYPE_CHECKING:   # shapely (and numpy behind it) is imported only by a build that reads a boundary
    from shapely.geometry import Polygon as ShapelyPolygon
    from shapely.geometry.base import BaseGeometry

    from .model import Area

SIZE = 1000          # the longer side of the drawing, in SVG units
PAD = 10             # space around the shape, so the stroke is not clipped
MAX_POINTS = 300     # most points drawn, over all rings
MAX_POSITIONS = 200_000
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_REPORTED = 10    # problems reported per file before stopping
COORDINATE_DECIMALS = 6   # in written GeoJSON: about 10 cm, plenty for a ward
BOUNDARY_FILE = "boundary.geojson"   # an area folder's boundary (content/areas.py reads it)

Position = tuple[float, float]          # (longitude, latitude)
Ring = tuple[Position, ...]             # closed: first == last
Polygon = tuple[Ring, ...]              # outer ring, then holes


@dataclass(frozen=True)
class MapDrawing:
    """An SVG drawing of a boundary: its viewBox, path data and point count."""

    view_box: str
    path: str
    points: int
    width: int
    height: int


@dataclass(frozen=True)
class Boundary:
    """A checked boundary: polygons of (lon, lat) rings, and its drawing."""

    polygons: tuple[Polygon, ...]
    source: str
    drawing: MapDrawing

    def geometry(self) -> dict:
        """The boundary as a GeoJSON Polygon or MultiPolygon geometry."""
        return geometry_of(self.polygons)

    @cached_property
    def digest(self) -> str:
        """A short hash of its positions (boundary_digest), worked out once: facts, maps
        and the location index each ask it of every ward."""
        return hashlib.blake2b(repr(self.polygons).encode(), digest_size=16).hexdigest()


class _ShapeError(Exception):
    """A value in the GeoJSON that is not what it should be, with where it is."""

    def __init__(self, where: str, message: str):
        super().__init__(message)
        self.where, self.message = where, message


# ---------------------------------------------------------------- loading


def load_boundary(path: Path, rel: str, problems: Problems) -> Boundary | None:
    """Read and check the GeoJSON file at PATH (named REL in problems)."""
    try:
        refuse_link_out(path, rel)
    except SitegenError as exc:
        problems.extend(exc.problems)
        return None
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.add(rel, 0, 0, f"cannot be read: {exc.strerror}")
        return None
    if len(data) > MAX_FILE_BYTES:
        problems.add(rel, 0, 0, f"is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; simplify the boundary")
        return None
    return parse_boundary(data, rel, problems)


def parse_boundary(data: bytes | str, rel: str, problems: Problems) -> Boundary | None:
    """Check GeoJSON DATA and return its Boundary, or record located problems and return None."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        value = json.loads(text)
    except UnicodeDecodeError:
        problems.add(rel, 0, 0, "is not UTF-8 text; save the file as UTF-8")
        return None
    except json.JSONDecodeError as exc:
        problems.add(rel, exc.lineno, exc.colno, f"not valid JSON: {exc.msg}")
        return None
    except RecursionError:   # json's decoder recurses once per [ or {
        problems.add(rel, 0, 0, "is nested too deeply to be a boundary (arrays in arrays thousands deep);"
                                " export the boundary again as GeoJSON")
        return None
    return boundary_of(value, rel, problems)


def boundary_of(value: Any, rel: str, problems: Problems, line: int = 0, col: int = 0,
                prefix: str = "") -> Boundary | None:
    """Check the parsed GeoJSON VALUE and draw it; problems are recorded at REL:LINE:COL,
    each message after PREFIX (where VALUE sits in a larger file, like 'features[3]')."""
    polygons = checked_polygons(value, rel, problems, line, col, prefix)
    return None if polygons is None else Boundary(polygons=polygons, source=rel, drawing=draw(polygons))


def checked_polygons(value: Any, rel: str, problems: Problems, line: int = 0, col: int = 0,
                     prefix: str = "") -> tuple[Polygon, ...] | None:
    """The polygons of the parsed GeoJSON VALUE, checked as boundary_of checks them (problems
    likewise), without drawing them: for what only checks or rewrites a boundary (import-wards)."""
    found: list[_ShapeError] = []
    polygons = _polygons_of(value, found)
    for error in found[:MAX_REPORTED]:
        where = ": ".join(part for part in (prefix, error.where) if part)
        problems.add(rel, line, col, f"{where}: {error.message}" if where else error.message)
    return None if found else polygons


def _polygons_of(value: Any, found: list[_ShapeError]) -> tuple[Polygon, ...]:
    """Every polygon in a GeoJSON object; problems go into FOUND."""
    try:
        geometries = _geometries(value, "")
    except _ShapeError as error:
        found.append(error)
        return ()
    polygons: list[Polygon] = []
    places: list[str] = []
    for where, geometry in geometries:
        for at, coordinates in _polygon_coordinates(geometry, where, found):
            try:
                polygons.append(_polygon(coordinates, at))
                places.append(at)
            except _ShapeError as error:
                found.append(error)
    if not found and not polygons:
        found.append(_ShapeError("", "has no polygon; expected a Polygon or MultiPolygon (RFC 7946)"))
    if not found and sum(len(r) for p in polygons for r in p) > MAX_POSITIONS:
        found.append(_ShapeError("", f"has more than {MAX_POSITIONS} positions; simplify the boundary"))
    if not found:
        _check_extent(polygons, found)
    if not found:
        found += _invalid_parts(polygons, places)
    return tuple(rfc7946(polygon) for polygon in polygons) if not found else ()


def _geometries(value: Any, where: str) -> list[tuple[str, Any]]:
    """The geometries inside VALUE (a geometry, a Feature or a FeatureCollection)."""
    kind = _type_of(value, where)
    if kind == "FeatureCollection":
        features = value.get("features")
        if not isinstance(features, list):
            raise _ShapeError(_join(where, "features"), "expected a list of features")
        found = []
        for index, feature in enumerate(features):
            found += _geometries_of_feature(feature, f"{_join(where, 'features')}[{index + 1}]")
        return found
    if kind == "Feature":
        return _geometries_of_feature(value, where)
    return [(where, value)]


def _geometries_of_feature(feature: Any, where: str) -> list[tuple[str, Any]]:
    if _type_of(feature, where) != "Feature":
        raise _ShapeError(where, "expected a Feature")
    if feature.get("geometry") is None:
        return []
    return [(_join(where, "geometry"), feature["geometry"])]


def _type_of(value: Any, where: str) -> str:
    if not isinstance(value, dict):
        raise _ShapeError(where, "expected a GeoJSON object like {\"type\": \"Polygon\", ...}")
    kind = value.get("type")
    if not isinstance(kind, str):
        raise _ShapeError(_join(where, "type"),
                          "missing; expected Polygon, MultiPolygon, Feature or FeatureCollection")
    return kind


def _polygon_coordinates(geometry: Any, where: str, found: list[_ShapeError]) -> list[tuple[str, Any]]:
    """(location, coordinates) of each polygon of a Polygon or MultiPolygon geometry."""
    try:
        kind = _type_of(geometry, where)
        coordinates, at = geometry.get("coordinates"), _join(where, "coordinates")
        if kind == "Polygon":
            return [(at, coordinates)]
        if kind == "MultiPolygon":
            _expect_list(coordinates, at, "a list of polygons")
            return [(f"{at}[{i}]", p) for i, p in enumerate(coordinates, start=1)]
        raise _ShapeError(_join(where, "type"), f"is '{kind}'; a boundary must be a Polygon or MultiPolygon")
    except _ShapeError as error:
        found.append(error)
        return []


def _polygon(value: Any, where: str) -> Polygon:
    _expect_list(value, where, "a list of rings (outer boundary first, then any holes)")
    if not value:
        raise _ShapeError(where, "a polygon needs at least its outer ring")
    return tuple(_ring(ring, f"{where}[{i}]") for i, ring in enumerate(value, start=1))


def _ring(value: Any, where: str) -> Ring:
    _expect_list(value, where, "a list of [longitude, latitude] positions")
    ring = tuple(_position(p, f"{where}[{i}]") for i, p in enumerate(value, start=1))
    if len(ring) < 4:
        raise _ShapeError(where, f"a ring needs at least 4 positions, found {len(ring)}")
    if ring[0] != ring[-1]:
        raise _ShapeError(where, "the ring is not closed; repeat the first position at the end (RFC 7946)")
    return ring


def _position(value: Any, where: str) -> Position:
    if not isinstance(value, list) or len(value) not in (2, 3) or not all(_is_number(v) for v in value):
        raise _ShapeError(where, "expected a position [longitude, latitude] of two numbers")
    lon, lat = round(float(value[0]), COORDINATE_DECIMALS), round(float(value[1]), COORDINATE_DECIMALS)
    if not -180 <= lon <= 180 or not -90 <= lat <= 90:
        raise _ShapeError(where, f"[{value[0]}, {value[1]}] is not a place on Earth;"
                                 " GeoJSON puts longitude first, then latitude")
    return lon, lat


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _expect_list(value: Any, where: str, what: str) -> None:
    if not isinstance(value, list):
        raise _ShapeError(where, f"expected {what}")


def _check_extent(polygons: list[Polygon], found: list[_ShapeError]) -> None:
    lons = [lon for p in polygons for lon, _ in p[0]]
    lats = [lat for p in polygons for _, lat in p[0]]
    if max(lons) - min(lons) > 20 or max(lats) - min(lats) > 20:
        found.append(_ShapeError("", "spans more than 20 degrees; a ward boundary is much smaller"
                                     " (check that positions are [longitude, latitude])"))
    elif max(lons) == min(lons) or max(lats) == min(lats):
        found.append(_ShapeError("", "has no area: its positions lie on one line"))


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


# ---------------------------------------------------------------- validity (RFC 7946, OGC simple features)

FIX = "redraw it, or let import-police-uk fetch it again"
_PLACE_RE = re.compile(r"^(?P<what>.*?)\[(?P<lon>\S+) (?P<lat>\S+)\]\Z")


def _invalid_parts(polygons: list[Polygon], places: list[str]) -> list[_ShapeError]:
    """A problem, in plain words, for each polygon that is not a valid shape, and for
    polygons of one boundary that overlap."""
    import shapely
    from shapely.geometry import MultiPolygon
    found = [_ShapeError(at, message) for polygon, at in zip(polygons, places)
             if (message := polygon_problem(polygon))]
    if not found and len(polygons) > 1:
        reason = shapely.is_valid_reason(MultiPolygon([_shape(p) for p in polygons]))
        if reason != "Valid Geometry":
            found.append(_ShapeError("", f"two of its polygons overlap{_near(reason)}; {FIX}"))
    return found


def polygon_problem(polygon: Polygon) -> str:
    """What is wrong with POLYGON (outer ring, then holes) as a shape, in plain words
    with a place 'near LAT, LON', or '' when it is valid.  Rings count from 1."""
    import shapely
    reason = shapely.is_valid_reason(_shape(polygon))
    if reason == "Valid Geometry":
        return ""
    return f"{_explain(polygon, reason)}{_near(reason)}; {FIX}"


def _explain(polygon: Polygon, reason: str) -> str:
    from shapely.geometry import LinearRing
    from shapely.geometry import Polygon as ShapelyPolygon
    match = _PLACE_RE.match(reason)
    what = match["what"] if match else reason
    if "Self-intersection" in what:
        crossing = [i for i, ring in enumerate(polygon, 1) if not LinearRing(ring).is_simple]
        return f"{_ring_name(crossing[0])} crosses itself" if crossing else "a hole crosses another ring"
    if what == "Hole lies outside shell":
        shell = ShapelyPolygon(polygon[0])
        outside = [i for i, ring in enumerate(polygon[1:], 2) if not shell.contains(ShapelyPolygon(ring))]
        return f"{_ring_name(outside[0] if outside else 2)} lies outside the outer boundary (ring 1)"
    if what.startswith("Too few"):
        return "a ring has fewer than three different positions"
    plain = {"Interior is disconnected": "its holes cut the area in two",
             "Holes are nested": "a hole lies inside another hole",
             "Nested shells": "one of its polygons lies inside another",
             "Duplicate Rings": "two of its rings are the same"}
    return plain.get(what, what.lower() or "it is not a valid shape")


def _ring_name(number: int) -> str:
    return f"ring {number} (the outer boundary)" if number == 1 else f"ring {number} (a hole)"


def _near(reason: str) -> str:
    """' near LAT, LON' from a GEOS reason like 'Self-intersection[-0.12 51.53]', or ''."""
    match = _PLACE_RE.match(reason)
    if not match:
        return ""
    return f" near {float(match['lat']):.5f}, {float(match['lon']):.5f}"


def _shape(polygon: Polygon) -> ShapelyPolygon:
    from shapely.geometry import Polygon as ShapelyPolygon
    return ShapelyPolygon(polygon[0], polygon[1:])


def rfc7946(polygon: Polygon) -> Polygon:
    """POLYGON with its outer ring counter-clockwise and its holes clockwise (RFC 7946 3.1.6),
    each ring starting where it started."""
    from shapely.geometry.polygon import orient
    shape = orient(_shape(polygon), sign=1.0)
    return (tuple(shape.exterior.coords),) + tuple(tuple(ring.coords) for ring in shape.interiors)


def repaired(polygons: tuple[Polygon, ...]) -> tuple[tuple[Polygon, ...], str]:
    """POLYGONS on the grid GeoJSON is written to, made valid (shapely.make_valid) and
    oriented as RFC 7946 asks; and what was wrong in plain words ('' when nothing was).
    A valid shape keeps each ring's first position.  No polygons come back when
    nothing with an area is left."""
    import shapely
    from shapely.geometry import MultiPolygon
    from shapely.geometry.polygon import orient
    polygons = tuple(tuple(tuple((_round(x), _round(y)) for x, y in ring) for ring in p) for p in polygons)
    shapes = [_shape(p) for p in polygons]
    whole = shapes[0] if len(shapes) == 1 else MultiPolygon(shapes)
    reason = shapely.is_valid_reason(whole)
    if reason == "Valid Geometry":
        return tuple(rfc7946(p) for p in polygons), ""
    problem = next((found for p in polygons if (found := polygon_problem(p))), "")
    what = problem.split(";")[0] if problem else f"two of its polygons overlap{_near(reason)}"
    # Snapped to the written grid, so that rounding on the way out cannot break the repair.
    fixed = shapely.set_precision(shapely.make_valid(whole), 10 ** -COORDINATE_DECIMALS)
    return tuple(_from_shape(orient(part, sign=1.0)) for part in _polygon_parts(fixed)), what


def _polygon_parts(geometry: BaseGeometry) -> list[ShapelyPolygon]:
    """The polygons in GEOMETRY (make_valid may give a collection holding lines too)."""
    from shapely.geometry import Polygon as ShapelyPolygon
    if isinstance(geometry, ShapelyPolygon):
        return [geometry] if not geometry.is_empty else []
    return [part for child in getattr(geometry, "geoms", ()) for part in _polygon_parts(child)]


def _from_shape(shape: ShapelyPolygon) -> Polygon:
    rings = (shape.exterior, *shape.interiors)
    return tuple(tuple((_round(x), _round(y)) for x, y, *_ in ring.coords) for ring in rings)


# ---------------------------------------------------------------- GeoJSON out


def geometry_of(polygons: tuple[Polygon, ...]) -> dict:
    """POLYGONS as a GeoJSON Polygon (one) or MultiPolygon (several) geometry, each
    oriented as RFC 7946 asks (outer rings counter-clockwise, holes clockwise)."""
    as_lists = [[[[_round(lon), _round(lat)] for lon, lat in ring] for ring in rfc7946(polygon)]
                for polygon in polygons]
    if len(as_lists) == 1:
        return {"type": "Polygon", "coordinates": as_lists[0]}
    return {"type": "MultiPolygon", "coordinates": as_lists}


def feature_json(polygons: tuple[Polygon, ...], properties: dict) -> bytes:
    """A GeoJSON Feature of POLYGONS with PROPERTIES, as stable compact bytes."""
    feature = {"type": "Feature", "properties": properties, "geometry": geometry_of(polygons)}
    return (json.dumps(feature, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def _round(value: float) -> float | int:
    rounded = round(value, COORDINATE_DECIMALS)
    return int(rounded) if rounded == int(rounded) else rounded


# ---------------------------------------------------------------- drawing


def draw(polygons: tuple[Polygon, ...], max_points: int = MAX_POINTS) -> MapDrawing:
    """Project, fit and simplify POLYGONS into an SVG drawing of at most MAX_POINTS points."""
    projected, width, height = project(polygons)
    tolerance = 0.5
    while True:
        simplified = _simplify_all(projected, tolerance)
        count = sum(len(ring) for polygon in simplified for ring in polygon)
        if count <= max_points or tolerance > SIZE:
            break
        tolerance *= 1.5
    return MapDrawing(view_box=f"0 0 {width} {height}", path=svg_path(simplified), points=count,
                      width=width, height=height)


def project(polygons: tuple[Polygon, ...]) -> tuple[list[list[list[Position]]], int, int]:
    """Equirectangular projection with cos(mid-latitude) scaling, fitted into SIZE units.

    Returns the projected polygons (y grows downwards, as in SVG) and the
    drawing's width and height, padding included.
    """
    lons = [lon for polygon in polygons for ring in polygon for lon, _ in ring]
    lats = [lat for polygon in polygons for ring in polygon for _, lat in ring]
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    k = math.cos(math.radians((north + south) / 2))
    span = max((east - west) * k, north - south, 1e-9)   # a degenerate shape must not divide by zero
    scale = (SIZE - 2 * PAD) / span

    def to_xy(lon: float, lat: float) -> Position:
        return PAD + (lon - west) * k * scale, PAD + (north - lat) * scale

    projected = [[[to_xy(lon, lat) for lon, lat in ring] for ring in polygon] for polygon in polygons]
    width = round((east - west) * k * scale) + 2 * PAD
    height = round((north - south) * scale) + 2 * PAD
    return projected, width, height


def _simplify_all(projected: list[list[list[Position]]], tolerance: float) -> list[list[list[Position]]]:
    rings = _simplified_rings([ring for polygon in projected for ring in polygon], tolerance)
    out, at = [], 0
    for polygon in projected:
        mine = [_round_ring(ring) for ring in rings[at:at + len(polygon)]]
        at += len(polygon)
        if len(mine[0]) < 4:
            continue   # an island smaller than the tolerance: not worth drawing
        out.append([mine[0]] + [ring for ring in mine[1:] if len(ring) >= 4])
    return out


def simplify(points: list[Position], tolerance: float) -> list[Position]:
    """Douglas-Peucker: drop points closer than TOLERANCE to the line kept (the ends stay)."""
    return _simplified_rings([points], tolerance)[0]


def _simplified_rings(rings: list[list[Position]], tolerance: float) -> list[list[Position]]:
    """Each of RINGS (or lines) simplified by Douglas-Peucker, in one call to GEOS (shapely):
    a ring's first and last points stay, as for any line."""
    import shapely
    lines = [shapely.LineString(ring) if len(ring) >= 3 else None for ring in rings]
    simplified = shapely.simplify([line for line in lines if line is not None], tolerance,
                                  preserve_topology=False)
    out, found = [], iter(simplified)
    for ring, line in zip(rings, lines):
        if line is None:
            out.append(list(ring))
        else:
            out.append([(x, y) for x, y in shapely.get_coordinates(next(found)).tolist()])
    return out


def _round_ring(ring: list[Position]) -> list[Position]:
    """Whole SVG units, without repeated points."""
    out: list[Position] = []
    for x, y in ring:
        point = (round(x), round(y))
        if not out or out[-1] != point:
            out.append(point)
    return out


def svg_path(polygons: list[list[list[Position]]]) -> str:
    """SVG path data: one closed subpath per ring ('M x y L x y ... Z')."""
    parts = []
    for polygon in polygons:
        for ring in polygon:
            points = ring[:-1] if ring[0] == ring[-1] else ring
            parts.append("M" + "L".join(f"{x} {y}" for x, y in points) + "Z")
    return "".join(parts)


# ---------------------------------------------------------------- wards together: neighbours, overlaps, maps

TOUCH_DEGREES = 1e-5     # about a metre: wards this close are neighbours (shared borders rounded apart)
SLIVER = 0.01            # an overlap larger than this share of the smaller ward's area is a problem
AREA_MAP_TOLERANCE = 2.0   # SVG units (of SIZE) a borough or home map's outline may stray: a pixel or two


def boundary_digest(boundary: Boundary | None) -> str:
    """A short hash of BOUNDARY's positions ('' for none): what other pages may show of it."""
    return boundary.digest if boundary is not None else ""


@dataclass(frozen=True)
class Touching:
    """The areas with a boundary, their shapes, and the (i, j) pairs, i < j, within
    TOUCH_DEGREES of each other: worked out once a build (touching()), read by
    neighbours() and boundary_problems()."""

    bounded: tuple[Area, ...]
    shapes: tuple[BaseGeometry, ...]
    pairs: tuple[tuple[int, int], ...]


def touching(areas: Sequence[Area]) -> Touching:
    """Which of AREAS' boundaries touch or overlap (shapely's STRtree, 'dwithin').  A site
    without boundaries does not import shapely (and numpy behind it: 0.1 s and 18 MB)."""
    bounded = tuple(a for a in areas if a.boundary is not None)
    if not bounded:
        return Touching(bounded, (), ())
    from shapely import STRtree
    from shapely.geometry import MultiPolygon
    shapes = tuple(MultiPolygon([_shape(p) for p in a.boundary.polygons])   # type: ignore[union-attr]
                   for a in bounded)
    left, right = STRtree(shapes).query(shapes, predicate="dwithin", distance=TOUCH_DEGREES)
    return Touching(bounded, shapes, tuple(sorted({(int(i), int(j)) for i, j in zip(left, right) if i < j})))


def neighbours(areas: Sequence[Area], touch: Touching | None = None) -> dict[str, tuple[str, ...]]:
    """Slug -> the slugs of the AREAS whose boundary touches or overlaps its own (within
    TOUCH_DEGREES), in slug order; areas without a boundary have none.  TOUCH: touching(AREAS),
    when the caller has it."""
    touch = touch or touching(areas)
    found: dict[str, set[str]] = {a.slug: set() for a in areas}
    for i, j in touch.pairs:
        found[touch.bounded[i].slug].add(touch.bounded[j].slug)
        found[touch.bounded[j].slug].add(touch.bounded[i].slug)
    return {slug: tuple(sorted(others)) for slug, others in found.items()}


def boundary_problems(areas: Sequence[Area], root: Path | None = None,
                      touch: Touching | None = None) -> list[Problem]:
    """Problems of the AREAS' boundaries taken together: an area without one when
    others of its borough have one (at its area.yaml; areas with no borough are one
    group), and two boundaries overlapping by more than SLIVER of the smaller (at
    each boundary file).  With the site's ROOT, an area whose boundary file is there
    but was refused (its own problem says why) is not also called missing.  TOUCH:
    touching(AREAS), when the caller has it."""
    touch = touch or touching(areas)
    bounded, shapes = touch.bounded, touch.shapes
    if not bounded:
        return []
    mapped = Counter(a.borough for a in bounded)

    def missing(area: Area) -> bool:
        if area.boundary is not None or not mapped[area.borough]:
            return False
        return root is None or not (root / Path(area.source).parent / BOUNDARY_FILE).exists()

    problems = [Problem(a.source, 0, 0, f"has no {BOUNDARY_FILE} while {mapped[a.borough]} other wards"
                        f"{' of ' + a.borough if a.borough else ''} have one; run sitegen import-wards"
                        " with --boundaries, or draw one (docs/editing.md)")
                for a in areas if missing(a)]
    for i, j in touch.pairs:
        shared = shapes[i].intersection(shapes[j]).area
        smaller = min(shapes[i].area, shapes[j].area)
        if smaller and shared / smaller > SLIVER:
            share = f"{shared / smaller:.0%}" if shared / smaller >= 0.01 else "over 1%"
            for one, other in ((bounded[i], bounded[j]), (bounded[j], bounded[i])):
                problems.append(Problem(one.boundary.source, 0, 0,   # type: ignore[union-attr]
                                        f"overlaps the boundary of {other.name} ({other.boundary.source})"  # type: ignore[union-attr]
                                        f" by {share} of the smaller ward; a street belongs to one ward,"
                                        " so correct one of the two boundaries"))
    return problems


@dataclass(frozen=True)
class AreaMap:
    """Several areas drawn in one frame: the viewBox and (key, path data) of each."""

    view_box: str
    paths: tuple[tuple[str, str], ...]


def draw_areas(shapes: Sequence[tuple[str, tuple[Polygon, ...]]],
               tolerance: float = AREA_MAP_TOLERANCE) -> AreaMap:
    """SHAPES (key, polygons) projected into one SIZE-unit frame and simplified to within
    TOLERANCE units, each to one path (an area too small to draw gets an empty one)."""
    everything = tuple(p for _, polygons in shapes for p in polygons)
    projected, width, height = project(everything)
    paths, at = [], 0
    for key, polygons in shapes:
        mine = projected[at:at + len(polygons)]
        at += len(polygons)
        paths.append((key, svg_path(_simplify_all(mine, tolerance))))
    return AreaMap(view_box=f"0 0 {width} {height}", paths=tuple(paths))


def merged(polygons: Sequence[tuple[Polygon, ...]]) -> tuple[Polygon, ...]:
    """The union of several areas' POLYGONS (a borough from its wards), as polygons."""
    import shapely
    from shapely.geometry import MultiPolygon
    union = shapely.unary_union([MultiPolygon([_shape(p) for p in ps]) for ps in polygons])
    union = shapely.set_precision(union, 10 ** -COORDINATE_DECIMALS)
    return tuple(_from_shape(part) for part in _polygon_parts(union))
