"""Ward boundaries: checking boundary.geojson, and the static SVG map drawn from it."""
from __future__ import annotations

import json
import math
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import BUILD_DATE, run_cli
from sitegen.errors import Problems
from sitegen.maps import MAX_POINTS, draw, parse_boundary, project, simplify

PATH_RE = re.compile(r"^(M-?\d+ -?\d+(L-?\d+ -?\d+)+Z)+$")


def square(lon: float, lat: float, size: float = 0.01) -> list:
    return [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]


def circle(points: int, lon: float = -0.1, lat: float = 51.5, radius: float = 0.01) -> list:
    ring = [[lon + radius * math.cos(2 * math.pi * i / points), lat + radius * math.sin(2 * math.pi * i / points)]
            for i in range(points)]
    return ring + [ring[0]]


def check(value) -> tuple[object, list[str]]:
    problems = Problems()
    text = value if isinstance(value, str) else json.dumps(value)
    boundary = parse_boundary(text, "content/areas/x/boundary.geojson", problems)
    return boundary, [str(p) for p in problems]


# ---------------------------------------------------------------- reading


@pytest.mark.parametrize("value", [
    {"type": "Polygon", "coordinates": [square(-0.1, 51.5)]},
    {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [square(-0.1, 51.5)]}},
    {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": None, "geometry": {"type": "MultiPolygon", "coordinates": [
            [square(-0.1, 51.5)], [square(-0.08, 51.5)]]}}]},
])
def test_polygons_in_any_geojson_wrapping_are_read(value):
    boundary, problems = check(value)
    assert problems == []
    assert boundary.polygons[0][0][0] == (-0.1, 51.5)


def test_positions_may_carry_an_altitude():
    ring = [[lon, lat, 12.5] for lon, lat in square(-0.1, 51.5)]
    boundary, problems = check({"type": "Polygon", "coordinates": [ring]})
    assert problems == [] and boundary.polygons[0][0][1] == pytest.approx((-0.09, 51.5))


def test_bad_json_is_reported_at_its_line_and_column():
    _, problems = check('{\n  "type": "Polygon",\n  "coordinates": [[[0, 0],]]\n}')
    assert problems == ["content/areas/x/boundary.geojson:3:27: not valid JSON: Expecting value"]


@pytest.mark.parametrize("value, message", [
    ({"type": "Point", "coordinates": [0, 51]}, "type: is 'Point'; a boundary must be a Polygon or MultiPolygon"),
    ({"coordinates": []}, "type: missing; expected Polygon, MultiPolygon, Feature or FeatureCollection"),
    ([1, 2], "expected a GeoJSON object"),
    ({"type": "Polygon", "coordinates": [square(-0.1, 51.5)[:-1]]},
     "coordinates[1]: the ring is not closed; repeat the first position at the end (RFC 7946)"),
    ({"type": "Polygon", "coordinates": [[[0, 51], [1, 51], [0, 51]]]},
     "coordinates[1]: a ring needs at least 4 positions, found 3"),
    ({"type": "Polygon", "coordinates": [[[51.5, -0.1], [51.5, 95], [52, 95], [51.5, -0.1]]]},
     "coordinates[1][2]: [51.5, 95] is not a place on Earth; GeoJSON puts longitude first, then latitude"),
    ({"type": "Polygon", "coordinates": [[["-0.1", "51.5"]]]},
     "coordinates[1][1]: expected a position [longitude, latitude] of two numbers"),
    ({"type": "FeatureCollection", "features": {}}, "features: expected a list of features"),
    ({"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": None}]}, "has no polygon"),
    ({"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [square(-10, 40, 30)]}},
     "spans more than 20 degrees"),
    ({"type": "Polygon", "coordinates": [[[0, 51], [1, 51], [2, 51], [0, 51]]]}, "has no area"),
])
def test_wrong_shapes_are_located_problems(value, message):
    boundary, problems = check(value)
    assert boundary is None
    assert len(problems) == 1 and problems[0].startswith("content/areas/x/boundary.geojson: ")
    assert message in problems[0]


def test_every_bad_polygon_is_reported():
    value = {"type": "MultiPolygon", "coordinates": [[square(0, 51)[:-1]], [[[0, 91]]]]}
    _, problems = check(value)
    assert [p.split(": ")[1] for p in problems] == ["coordinates[1][1]", "coordinates[2][1][1]"]


# ---------------------------------------------------------------- drawing


def test_projection_scales_longitude_by_the_cosine_of_latitude():
    (ring,), = [[square(10.0, 60.0 - 0.005, 0.01)]]
    projected, width, height = project(((tuple(map(tuple, ring)),),))
    assert height == 1000
    assert width == round(980 * math.cos(math.radians(60))) + 20     # half as wide as high at 60°N
    xs = [x for x, _ in projected[0][0]]
    ys = [y for _, y in projected[0][0]]
    assert min(xs) == pytest.approx(10) and min(ys) == pytest.approx(10)
    assert projected[0][0][0][1] > projected[0][0][3][1]       # north is up: y grows southwards


def test_a_detailed_boundary_is_simplified_to_a_few_hundred_points():
    boundary, _ = check({"type": "Polygon", "coordinates": [circle(5000)]})
    drawing = boundary.drawing
    assert 20 <= drawing.points <= MAX_POINTS
    assert PATH_RE.match(drawing.path)
    numbers = [int(n) for n in re.findall(r"\d+", drawing.path)]
    assert min(numbers) >= 0 and max(numbers) <= 1000
    assert drawing.view_box == f"0 0 {drawing.width} {drawing.height}"


def test_holes_and_islands_are_drawn_as_subpaths():
    outer, hole = circle(60, radius=0.02), circle(30, radius=0.005)
    boundary, _ = check({"type": "MultiPolygon", "coordinates": [[outer, hole], [square(-0.05, 51.5, 0.005)]]})
    assert boundary.drawing.path.count("M") == 3


def test_simplify_keeps_corners_and_drops_points_on_a_line():
    line = [(0, 0), (1, 0.01), (2, 0), (3, 0), (3, 3), (0, 3), (0, 0)]
    assert simplify(line, 0.5) == [(0, 0), (3, 0), (3, 3), (0, 3), (0, 0)]


def douglas_peucker(points, tolerance):
    """Douglas-Peucker written out (the textbook recursion), to check GEOS's against."""
    if len(points) < 3:
        return list(points)

    def distance(p, a, b):
        dx, dy = b[0] - a[0], b[1] - a[1]
        if dx == 0 and dy == 0:
            return math.hypot(p[0] - a[0], p[1] - a[1])
        t = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)))
        return math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy))

    far, index = max((distance(points[i], points[0], points[-1]), -i) for i in range(1, len(points) - 1))
    if far <= tolerance:
        return [points[0], points[-1]]
    return douglas_peucker(points[:1 - index], tolerance)[:-1] + douglas_peucker(points[-index:], tolerance)


@settings(max_examples=200, deadline=None)
@given(points=st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), min_size=2, max_size=40),
       closed=st.booleans(), tolerance=st.sampled_from([0.5, 1, 2.5, 7]))
def test_simplify_is_douglas_peucker(points, closed, tolerance):
    # Whole numbers make ties between equally far points common: the first is kept, as written out.
    line = points + points[:1] if closed else points
    assert simplify(line, tolerance) == [(float(x), float(y)) for x, y in douglas_peucker(line, tolerance)]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(-0.2, 0.2), st.floats(51.3, 51.7)), min_size=3, max_size=2000))
def test_any_ring_draws_within_budget(points):
    ring = tuple(points) + (points[0],)
    drawing = draw((((ring),),), max_points=MAX_POINTS)
    assert drawing.points <= MAX_POINTS
    assert drawing.path == "" or PATH_RE.match(drawing.path)


# ---------------------------------------------------------------- in a site


def test_a_broken_boundary_file_fails_check_with_exit_1(make_site):
    site = make_site("example")
    (site / "content/areas/alibon/boundary.geojson").write_text('{"type": "Polygon",\n "coordinates": [}')
    result = run_cli("check", "--site", str(site))
    assert result.exit_code == 1
    assert "content/areas/alibon/boundary.geojson:2:18: not valid JSON" in result.output


def test_a_hand_made_boundary_is_drawn_and_published(make_site, tmp_path):
    site = make_site("example")
    feature = {"type": "Feature", "properties": {"note": "drawn by an editor"},
               "geometry": {"type": "Polygon",   # inside Alibon: check refuses wards overlapping
                            "coordinates": [circle(400, lon=0.1511, lat=51.5466, radius=0.004)]}}
    (site / "content/areas/alibon/boundary.geojson").write_text(json.dumps(feature))
    out = tmp_path / "out"
    result = run_cli("build", "--site", str(site), "--out", str(out), "--build-date", BUILD_DATE)
    assert result.exit_code == 0, result.output
    page = (out / "areas/alibon/index.html").read_text()
    assert 'role="img" aria-label="Map of the area the Alibon team covers"' in page
    assert "<title>Map of the area the Alibon team covers</title>" in page
    assert 'href="/areas/alibon/boundary.geojson"' in page
    assert " style=" not in page and "<script src" not in page
    published = json.loads((out / "areas/alibon/boundary.geojson").read_text())
    assert published["properties"] == {"name": "Alibon", "url": "https://www.example.police.uk/areas/alibon/"}
    assert published["geometry"]["type"] == "Polygon"
    assert len(published["geometry"]["coordinates"][0]) == 401
    # the other wards keep the real boundaries the example site ships with
    assert (out / "areas/abbey-barking-and-dagenham/boundary.geojson").exists()
