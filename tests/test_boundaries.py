"""Boundaries follow RFC 7946: broken hand-made ones are refused in plain words, imported
ones are repaired and said so, and every GeoJSON sitegen writes is oriented."""
from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from shapely.geometry import LinearRing, Polygon, shape

from conftest import BUILD_DATE, run_cli
from sitegen.errors import Problems
from sitegen.maps import feature_json, parse_boundary, repaired
from test_police_uk import run_import

SAMPLE = Path(__file__).resolve().parent / "fixtures" / "boundaries" / "london-wards-sample.geojson"
FILE = "content/areas/x/boundary.geojson"


def square(lon: float, lat: float, size: float = 0.01) -> list:
    """A counter-clockwise square ring."""
    return [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]


def check(geometry) -> tuple[object, list[str]]:
    problems = Problems()
    boundary = parse_boundary(json.dumps(geometry), FILE, problems)
    return boundary, [str(p) for p in problems]


def polygon(*rings) -> dict:
    return {"type": "Polygon", "coordinates": list(rings)}


def assert_rfc7946(geometry: dict) -> None:
    """Valid, closed, in range, outer rings counter-clockwise and holes clockwise."""
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    assert shape(geometry).is_valid
    for rings in polygons:
        for index, ring in enumerate(rings):
            assert ring[0] == ring[-1]
            assert all(-180 <= lon <= 180 and -90 <= lat <= 90 for lon, lat in ring)
            assert LinearRing(ring).is_ccw == (index == 0)


BOW_TIE = [[0, 51], [0.01, 51.01], [0.01, 51], [0, 51.01], [0, 51]]
HOLE = [[0.002, 51.002], [0.002, 51.004], [0.004, 51.004], [0.004, 51.002], [0.002, 51.002]]
BROKEN = [
    (polygon(BOW_TIE), "ring 1 (the outer boundary) crosses itself near 51.00500, 0.00500"),
    (polygon(square(0, 51), square(0.02, 51, 0.001)), "ring 2 (a hole) lies outside the outer boundary (ring 1)"),
    (polygon(square(0, 51), [[0.005, 51.005], [0.02, 51.005], [0.02, 51.006], [0.005, 51.005]]),
     "a hole crosses another ring"),
    (polygon(square(0, 51), HOLE, [[0.0025, 51.0025], [0.0035, 51.0025], [0.0035, 51.0035], [0.0025, 51.0025]]),
     "a hole lies inside another hole"),
    (polygon(square(0, 51), [[0.005, 51], [0.01, 51.005], [0.005, 51.01], [0, 51.005], [0.005, 51]]),
     "its holes cut the area in two near 51.00000, 0.00500"),
    ({"type": "MultiPolygon", "coordinates": [[square(0, 51)], [square(0.005, 51.005)]]},
     "two of its polygons overlap near"),
    (polygon(square(0, 51)[:-1]), "the ring is not closed"),
    (polygon(square(0, 91)), "is not a place on Earth"),
    (polygon(square(181, 51)), "is not a place on Earth"),
    (polygon(), "a polygon needs at least its outer ring"),
    ({"type": "FeatureCollection", "features": []}, "has no polygon"),
    (polygon([[0, 51], [0, 51], [0, 51], [0, 51]]), "has no area"),
]


@pytest.mark.parametrize("geometry, message", BROKEN)
def test_a_broken_boundary_is_refused_saying_what_is_wrong(geometry, message):
    boundary, problems = check(geometry)
    assert boundary is None
    assert len(problems) == 1 and problems[0].startswith(FILE + ": ") and message in problems[0]


def test_a_self_crossing_ring_says_what_to_do():
    _, problems = check(polygon(BOW_TIE))
    assert problems == [(f"{FILE}: coordinates: ring 1 (the outer boundary) crosses itself near 51.00500, 0.00500;"
                         " redraw it, or let import-police-uk fetch it again")]


def test_a_clockwise_shell_is_read_and_turned_counter_clockwise():
    boundary, problems = check(polygon(square(0, 51)[::-1], HOLE[::-1]))
    assert problems == []
    assert_rfc7946(boundary.geometry())
    assert boundary.polygons[0][0][0] == (0, 51)    # each ring starts where it started


def test_real_ward_boundaries_are_read_and_written_oriented():
    features = json.loads(SAMPLE.read_text())["features"]
    assert not LinearRing(features[0]["geometry"]["coordinates"][0][0]).is_ccw   # as published: clockwise
    for feature in features:
        boundary, problems = check(feature)
        assert problems == []
        written = json.loads(feature_json(boundary.polygons, {}))
        assert_rfc7946(written["geometry"])
        assert shape(written["geometry"]).equals(shape(feature["geometry"]))


def _ring(points: list[tuple[float, float]]) -> tuple:
    return tuple(points) + (points[0],)


star = st.lists(st.tuples(st.floats(0.2, 1.0), st.floats(0.0, 2 * math.pi)), min_size=3, max_size=30, unique_by=lambda p: p[1])


@settings(max_examples=100, deadline=None)
@given(star, st.booleans())
def test_any_star_shaped_ring_either_way_round_is_written_counter_clockwise(points, clockwise):
    ring = [(round(-0.1 + 0.01 * r * math.cos(a), 6), round(51.5 + 0.01 * r * math.sin(a), 6))
            for r, a in sorted(points, key=lambda p: p[1], reverse=clockwise)]
    assume(len(set(ring)) >= 3 and LinearRing(_ring(ring)).is_simple and Polygon(_ring(ring)).area > 0)
    geometry = json.loads(feature_json(((_ring(ring),),), {}))["geometry"]
    assert_rfc7946(geometry)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 20), st.integers(0, 20)), min_size=3, max_size=12))
def test_any_ring_is_repaired_into_valid_oriented_polygons_or_nothing(points):
    ring = _ring([(0.001 * x, 51 + 0.001 * y) for x, y in points])
    polygons, wrong = repaired(((ring,),))
    if not polygons:
        assert wrong   # nothing usable is left only of a broken ring
        return
    geometry = json.loads(feature_json(polygons, {}))["geometry"]
    assert_rfc7946(geometry)
    problems = Problems()
    assert parse_boundary(json.dumps(geometry), FILE, problems) is not None, [str(p) for p in problems]
    assert bool(wrong) == (not shape({"type": "Polygon", "coordinates": [ring]}).is_valid)


# ---------------------------------------------------------------- in a site


@pytest.mark.parametrize("geometry, message", BROKEN[:3])
def test_check_refuses_a_broken_hand_made_boundary(make_site, geometry, message):
    site = make_site()
    (site / "content/areas/north-ward/boundary.geojson").write_text(json.dumps(geometry))
    result = run_cli("check", "--site", str(site))
    assert result.exit_code == 1
    assert f"content/areas/north-ward/boundary.geojson: coordinates: {message}" in result.output
    assert "Traceback" not in result.output


def test_a_clockwise_hand_made_boundary_is_published_counter_clockwise(make_site, tmp_path):
    site = make_site()
    feature = json.loads(SAMPLE.read_text())["features"][1]
    (site / "content/areas/north-ward/boundary.geojson").write_text(json.dumps(feature))
    # check asks for a boundary for every ward of a borough once one has one
    south = json.loads(SAMPLE.read_text())["features"][2]
    (site / "content/areas/south-ward/boundary.geojson").write_text(json.dumps(south))
    out = tmp_path / "out"
    result = run_cli("build", "--site", str(site), "--out", str(out), "--build-date", BUILD_DATE)
    assert result.exit_code == 0, result.output
    published = json.loads((out / "areas/north-ward/boundary.geojson").read_text())
    assert_rfc7946(published["geometry"])


def _api_ring(ring: list) -> list[dict]:
    return [{"latitude": str(lat), "longitude": str(lon)} for lon, lat in ring]


@pytest.mark.parametrize("ring, said", [
    (BOW_TIE, "the API's boundary was repaired: ring 1 (the outer boundary) crosses itself near 51.00500, 0.00500"),
    (square(-1.14, 52.63)[::-1], None),
])
def test_an_imported_boundary_is_repaired_oriented_and_said(make_site, api, sleeps, ring, said):
    site = make_site("example")
    api.replace("/api/leicestershire/NC04/events", [])   # events are not what these tests are about
    api.replace("/api/leicestershire/NC04/boundary", _api_ring(ring))
    result = run_import(site, api, "--force", "leicestershire")
    assert result.exit_code == 0, result.output
    assert (f"note: NC04: {said}" in result.output) if said else ("repaired" not in result.output)
    written = json.loads((site / "content/areas/city-centre/boundary.geojson").read_text())
    assert_rfc7946(written["geometry"])
    assert run_cli("check", "--site", str(site)).exit_code == 0


def test_an_imported_boundary_with_nothing_left_is_not_written(make_site, api, sleeps):
    site = make_site("example")
    api.replace("/api/leicestershire/NC04/events", [])   # events are not what these tests are about
    api.replace("/api/leicestershire/NC04/boundary", _api_ring([[0, 51], [0.01, 51], [0.02, 51], [0, 51]]))
    result = run_import(site, api, "--force", "leicestershire")
    assert result.exit_code == 0, result.output
    assert "note: NC04: the API's boundary is unusable (ring 1 (the outer boundary) crosses itself" in result.output
    assert not (site / "content/areas/city-centre/boundary.geojson").exists()
