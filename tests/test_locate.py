"""Issue 17, part 2: finding a ward by location.  The static index of the wards'
outlines (sitegen/outputs/locate.py), the lookup on the device
(sitegen/theme/static/locate.js) run in Chromium against shapely on the full
boundaries, the home page's "Use my location" in its states, and incremental
builds equal to clean ones after a boundary edit and a rename.

The wards are real: tests/data/locate-wards.geojson (see locate-wards.md)."""
from __future__ import annotations

import gzip
import json
import math
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from playwright.sync_api import expect
from shapely.geometry import Point, shape

from browser import axe_violations, describe
from sitegen.errors import Problems
from sitegen.maps import parse_boundary
from sitegen.model import Area
from sitegen.outputs import locate
from test_incremental import assert_same_as_clean, build

WARDS = Path(__file__).parent / "data" / "locate-wards.geojson"
# slug -> ward name in the fixture; north-ward and south-ward are the minimal site's own.
SLUGS = {"north-ward": "Abbey", "south-ward": "Gascoigne", "eastbury": "Eastbury",
         "longbridge": "Longbridge", "thames": "Thames", "kew": "Kew"}
DAY = "2026-11-28"


def features() -> dict[str, dict]:
    """Ward name -> its GeoJSON Feature in the fixture."""
    return {f["properties"]["ward"]: f for f in json.loads(WARDS.read_text())["features"]}


def shapes() -> dict[str, object]:
    """Slug -> the ward's full boundary as a shapely geometry."""
    found = features()
    return {slug: shape(found[ward]["geometry"]) for slug, ward in SLUGS.items()}


FULL = shapes()


def locate_site(root: Path) -> Path:
    """tests/sites/minimal with the fixture's six wards as boundaries (North Ward is Abbey,
    South Ward Gascoigne, and four wards more)."""
    import shutil

    from conftest import SITES
    site = root / "locate"
    shutil.copytree(SITES / "minimal", site, ignore=shutil.ignore_patterns("expected", ".cache"))
    found = features()
    for slug, ward in SLUGS.items():
        folder = site / "content/areas" / slug
        if not folder.is_dir():
            folder.mkdir()
            borough = found[ward]["properties"]["borough"]
            (folder / "area.yaml").write_text(f"name: {ward}\nborough: {borough}\n")
        (folder / "boundary.geojson").write_text(json.dumps(found[ward]))
    return site


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("locate")
    build(locate_site(root), root / "out", root / "state", DAY)
    return root / "out"


def index_of(out: Path) -> dict:
    return json.loads((out / locate.INDEX_PATH).read_text(encoding="utf-8"))


# ---------------------------------------------------------------- the index


def test_the_index_lists_every_ward_with_a_boundary(built):
    index = index_of(built)
    assert {k: index[k] for k in ("version", "decimals")} == {"version": 1, "decimals": 5}
    assert index["border_m"] > 2 * index["tolerance_m"]
    assert [w["slug"] for w in index["wards"]] == sorted(SLUGS)
    full = shapes()
    for ward in index["wards"]:
        assert set(ward) == {"slug", "name", "borough", "url", "bbox", "polygons"}
        assert ward["url"] == f"/areas/{ward['slug']}/"
        assert (built / ward["url"].lstrip("/") / "index.html").is_file()
        west, south, east, north = ward["bbox"]
        bounds = full[ward["slug"]].bounds
        assert all(abs(a - b) < 1e-4 for a, b in zip((west, south, east, north), bounds))
        assert all(isinstance(v, int) for p in ward["polygons"] for ring in p for v in ring)
    assert len(next(w for w in index["wards"] if w["slug"] == "kew")["polygons"]) == 3
    home = (built / "index.html").read_text()
    assert 'data-sitegen-locate="/find/wards.json" hidden' in home and "/assets/locate." in home


def test_decoded_rings_stay_within_the_tolerance_of_the_boundary(built):
    full = shapes()
    for ward in index_of(built)["wards"]:
        boundary = full[ward["slug"]].boundary
        for polygon in ward["polygons"]:
            for flat in polygon:
                ring = locate.decoded(flat)
                assert ring[0] == ring[-1] and len(ring) >= 4
                for lon, lat in ring:
                    metres = boundary.distance(Point(lon, lat)) * locate.METRES_PER_DEGREE
                    assert metres <= locate.TOLERANCE_M + 2, (ward["slug"], lon, lat)


def test_the_index_for_all_london_wards_is_small():
    """All 624 London wards: at most 300 KB as written, about 100 KB gzipped."""
    collection = json.loads((Path(__file__).parent.parent / "data/london-wards.geojson").read_text())
    areas = []
    for number, feature in enumerate(collection["features"]):
        problems = Problems()
        boundary = parse_boundary(json.dumps(feature), "x", problems)
        assert boundary is not None, list(problems)
        areas.append(Area(slug=f"w{number}", name=feature["properties"]["ward"], source="x",
                          borough=feature["properties"]["borough"], boundary=boundary))
    data = json.dumps({"wards": [locate.ward_entry(a) for a in areas]}, separators=(",", ":")).encode()
    assert len(data) <= 300_000, len(data)
    assert len(gzip.compress(data)) <= 120_000


def test_no_boundary_no_index_and_no_control(make_site, tmp_path):
    site = make_site()
    build(site, tmp_path / "out", tmp_path / "state", DAY)
    assert not (tmp_path / "out" / locate.INDEX_PATH).exists()
    home = (tmp_path / "out/index.html").read_text()
    assert "data-sitegen-locate" not in home and "locate." not in home


# ---------------------------------------------------------------- incremental == clean


def test_a_boundary_edit_and_a_rename_rebuild_the_index_exactly(tmp_path):
    site = locate_site(tmp_path)
    out, state = tmp_path / "out", tmp_path / "state"
    build(site, out, state, DAY)
    before = index_of(out)
    # Shrink Eastbury's outline by 2% towards its middle (a gap, never an overlap): its entry moves.
    path = site / "content/areas/eastbury/boundary.geojson"
    feature = json.loads(path.read_text())
    mid = FULL["eastbury"].centroid
    feature["geometry"]["coordinates"] = [
        [[round(mid.x + 0.98 * (lon - mid.x), 6), round(mid.y + 0.98 * (lat - mid.y), 6)] for lon, lat in ring]
        for ring in feature["geometry"]["coordinates"]]
    path.write_text(json.dumps(feature))
    build(site, out, state, DAY)
    assert index_of(out) != before
    assert_same_as_clean(site, tmp_path)
    # Rename a ward: the index names it anew.
    yaml = site / "content/areas/thames/area.yaml"
    yaml.write_text(yaml.read_text().replace("name: Thames", "name: Thames View"))
    build(site, out, state, DAY)
    assert "Thames View" in [w["name"] for w in index_of(out)["wards"]]
    assert_same_as_clean(site, tmp_path)
    # The last boundary goes: no index, no control.
    for slug in SLUGS:
        (site / "content/areas" / slug / "boundary.geojson").unlink()
    build(site, out, state, DAY)
    assert not (out / locate.INDEX_PATH).exists()
    assert "data-sitegen-locate" not in (out / "index.html").read_text()
    assert_same_as_clean(site, tmp_path)


def test_an_edit_to_a_ward_s_news_leaves_the_index_alone(tmp_path):
    from test_incremental import build_here
    site = locate_site(tmp_path)
    build_here(site, tmp_path)
    path = site / "content/areas/north-ward/area.yaml"
    path.write_text(path.read_text().replace("summary:", "summary: Edited.", 1))
    report = build_here(site, tmp_path)
    assert locate.INDEX_PATH not in report.rendered


# ---------------------------------------------------------------- on the device (Chromium)


def metres_projection(lat0: float):
    """(lon, lat) -> metres east and north of the meridian and equator, with longitude
    scaled by cos(LAT0): the approximation locate.js measures with."""
    k = math.cos(math.radians(lat0)) * locate.METRES_PER_DEGREE
    return lambda lon, lat: (lon * k, lat * locate.METRES_PER_DEGREE)


def metres_to(geometry, lon: float, lat: float) -> float:
    """Metres from (LON, LAT) to GEOMETRY's edge, measured as locate.js measures."""
    import shapely
    project = metres_projection(lat)
    projected = shapely.transform(geometry, lambda xy: [project(x, y) for x, y in xy])
    return projected.boundary.distance(Point(*project(lon, lat)))


def find_on_device(page, points: list[tuple[float, float]], index: dict | None = None) -> list[dict]:
    """locate.js's findWard for each (lon, lat) of POINTS, with INDEX or the one the page would fetch."""
    return page.evaluate("""async ([points, given]) => {
        const script = document.querySelector('script[src*="/assets/locate."]').src;
        const { findWard } = await import(script);
        const index = given || await (await fetch('/find/wards.json')).json();
        return points.map(([lon, lat]) => findWard(index, lon, lat));
    }""", [points, index])


def square(west: float, south: float, size: float) -> list[list[float]]:
    """A closed ring, counter-clockwise, SIZE degrees a side."""
    return [[west, south], [west + size, south], [west + size, south + size], [west, south + size],
            [west, south]]


@pytest.mark.browser
def test_holes_and_islands_on_the_device(device):
    """A ward with a hole and a ward of two parts, one of them inside that hole."""
    donut = {"type": "Polygon", "coordinates": [square(0, 51.5, 0.01), square(0.003, 51.503, 0.004)[::-1]]}
    island = {"type": "MultiPolygon", "coordinates": [[square(0.004, 51.504, 0.002)], [square(0.02, 51.5, 0.002)]]}
    areas = []
    for slug, geometry in (("donut", donut), ("island", island)):
        problems = Problems()
        boundary = parse_boundary(json.dumps(geometry), slug, problems)
        assert boundary is not None, list(problems)
        areas.append(Area(slug=slug, name=slug.title(), source=slug, boundary=boundary))
    index = {"version": 1, "decimals": locate.DECIMALS, "tolerance_m": locate.TOLERANCE_M,
             "border_m": locate.BORDER_M, "wards": [locate.ward_entry(a) for a in areas]}
    points = [(0.001, 51.501), (0.005, 51.505), (0.0035, 51.5035), (0.021, 51.501), (0.05, 51.5)]
    found = [(r["kind"], [w["slug"] for w in r["wards"]]) for r in find_on_device(device, points, index)]
    assert found == [("inside", ["donut"]),                  # in the ring
                     ("inside", ["island"]),                 # in the hole, on the island
                     ("outside", ["donut", "island"]),       # in the hole, off the island: 35 m and 65 m
                     ("inside", ["island"]),                 # on the island's other part
                     ("outside", ["island", "donut"])]       # east of both: the island's far part is nearer


@pytest.fixture(scope="module")
def site_url(built, serve_dir) -> str:
    return serve_dir(built)


@pytest.fixture(scope="module")
def device(browser, site_url):
    """One page on the home page, with JavaScript, for the lookups."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(site_url + "/")
    yield page
    context.close()


WEST, SOUTH, EAST, NORTH = -0.32, 51.46, 0.14, 51.56   # the six wards and around them


@st.composite
def points_in_wards(draw) -> tuple[str, float, float]:
    """A ward's slug and a point inside its full boundary."""
    slug = draw(st.sampled_from(sorted(FULL)))
    west, south, east, north = FULL[slug].bounds
    u, v = draw(st.floats(0, 1)), draw(st.floats(0, 1))
    lon, lat = west + u * (east - west), south + v * (north - south)
    if not FULL[slug].contains(Point(lon, lat)):
        point = FULL[slug].representative_point()
        lon, lat = point.x, point.y
    return slug, lon, lat


@pytest.mark.browser
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(inside=st.lists(points_in_wards(), min_size=1, max_size=20),
       outside=st.lists(st.tuples(st.floats(WEST, EAST), st.floats(SOUTH, NORTH)), max_size=10))
def test_the_lookup_on_the_device_agrees_with_shapely(device, inside, outside):
    """For points inside a ward, locate.js answers that ward (first, or among the wards of
    a border answer; a clear answer when it is further than border_m from every edge);
    for points in no ward, the nearest ward by distance to its full boundary."""
    outside = [(lon, lat) for lon, lat in outside if not any(s.contains(Point(lon, lat)) for s in FULL.values())]
    found = find_on_device(device, [(lon, lat) for _, lon, lat in inside] + outside)
    for (slug, lon, lat), answer in zip(inside, found):
        slugs = [w["slug"] for w in answer["wards"]]
        assert answer["kind"] in ("inside", "border") and slug in slugs, (slug, lon, lat, answer)
        if answer["kind"] == "inside":
            assert slugs == [slug]
        if min(metres_to(s, lon, lat) for s in FULL.values()) > locate.BORDER_M + locate.TOLERANCE_M + 2:
            assert answer["kind"] == "inside", (slug, lon, lat, answer)
    for (lon, lat), answer in zip(outside, found[len(inside):]):
        distances = sorted((metres_to(s, lon, lat), slug) for slug, s in FULL.items())
        if distances[0][0] <= locate.BORDER_M:
            continue   # beside a ward: a border answer (the inside test covers those)
        assert answer["kind"] == "outside" and len(answer["wards"]) == 3
        first = answer["wards"][0]
        slack = locate.TOLERANCE_M + 2 + distances[0][0] * 0.005
        assert abs(first["metres"] - distances[0][0]) <= slack
        if distances[1][0] - distances[0][0] > 2 * slack:
            assert first["slug"] == distances[0][1]


def shared_vertex(a: str, b: str) -> tuple[float, float]:
    """A position on both wards' full boundaries (a point of their common border)."""
    corners = set(FULL[a].boundary.coords) if FULL[a].geom_type == "Polygon" else \
        {c for g in FULL[a].geoms for c in g.exterior.coords}
    for g in ([FULL[b]] if FULL[b].geom_type == "Polygon" else FULL[b].geoms):
        for corner in g.exterior.coords:
            if corner in corners:
                return corner
    raise AssertionError(f"{a} and {b} share no position")


def use_location(page, lon: float, lat: float):
    page.context.set_geolocation({"longitude": lon, "latitude": lat, "accuracy": 10})
    result = page.locator("#locate-result")
    result.evaluate("element => { element.dataset.state = 'before'; }")
    page.get_by_role("button", name="Use my location").click()
    expect(result).to_have_attribute("data-state", re.compile(r"^(inside|border|outside|failed)$"))
    return result


def located_in_any_language(page, lon: float, lat: float):
    """'Use my location' pressed at LON, LAT on PAGE in any language (the button found by its
    place, not its English name): the result box."""
    page.context.set_geolocation({"longitude": lon, "latitude": lat, "accuracy": 10})
    page.locator("[data-sitegen-locate] button").click()
    return page.locator("#locate-result")


@pytest.mark.browser
def test_use_my_location_inside_on_a_border_and_outside(browser, site_url):
    context = browser.new_context(permissions=["geolocation"])
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(site_url + "/")
    point = FULL["eastbury"].representative_point()
    result = use_location(page, point.x, point.y)
    expect(result).to_contain_text("You are in Eastbury ward, Barking and Dagenham.")
    expect(result.get_by_role("link", name="Eastbury ward")).to_have_attribute("href", "/areas/eastbury/")
    expect(result.get_by_role("link", name="find your ward by its name")).to_have_count(0)
    assert describe(axe_violations(page)) == ""

    result = use_location(page, *shared_vertex("north-ward", "south-ward"))
    expect(result).to_contain_text("on or near the border")
    assert result.get_by_role("link").evaluate_all("links => links.map(a => a.getAttribute('href'))")[:2] \
        in (["/areas/north-ward/", "/areas/south-ward/"], ["/areas/south-ward/", "/areas/north-ward/"])

    result = use_location(page, -0.1281, 51.5080)   # Trafalgar Square, in none of the six
    expect(result).to_contain_text("Your location is not in any ward this site covers.")
    expect(result.get_by_role("listitem")).to_have_count(3)
    expect(result.get_by_role("listitem").first).to_contain_text("km away")
    expect(result.get_by_role("link", name="find your ward by its name")).to_have_attribute("href", "#area-filter")
    assert describe(axe_violations(page)) == ""
    # Nothing left the site, and the index was fetched once for the three lookups.
    assert requests and all(url.startswith(site_url + "/") for url in requests), requests
    assert sum(url.endswith("/" + locate.INDEX_PATH) for url in requests) == 1
    context.close()


@pytest.mark.browser
def test_refused_or_failing_location_and_no_javascript(browser, site_url, page_without_js):
    context = browser.new_context()   # no permission given: the browser refuses
    page = context.new_page()
    page.goto(site_url + "/")
    page.get_by_role("button", name="Use my location").click()
    result = page.locator("#locate-result")
    expect(result).to_contain_text("You did not allow this site to use your location")
    expect(result).to_contain_text("find your ward by its name instead, or choose from the list below.")
    assert describe(axe_violations(page)) == ""
    # A device that cannot say where it is (2), or not in time (3).
    page.add_init_script("navigator.geolocation.getCurrentPosition = (ok, fail) => fail({code: window.failWith});")
    page.reload()
    for code, words in ((2, "Your location could not be found."), (3, "took too long")):
        page.evaluate(f"window.failWith = {code}")
        page.get_by_role("button", name="Use my location").click()
        expect(result).to_contain_text(words)
        expect(result).to_contain_text("find your ward by its name instead")
    context.close()

    page_without_js.goto(site_url + "/")
    assert page_without_js.locator("[data-sitegen-locate]").count() == 1
    expect(page_without_js.get_by_role("button", name="Use my location")).to_be_hidden()
    expect(page_without_js.get_by_label("Filter wards by name")).to_be_hidden()
    expect(page_without_js.locator("#area-list").get_by_role("link", name="Barking and Dagenham")).to_be_visible()


# ---------------------------------------------------------------- languages (issue 20)

@pytest.fixture(scope="module")
def bilingual(tmp_path_factory) -> Path:
    """tests/sites/bilingual (north-ward translated as Ward y Gogledd, south-ward not), built once."""
    import shutil

    from conftest import SITES
    root = tmp_path_factory.mktemp("locate-bilingual")
    shutil.copytree(SITES / "bilingual", root / "site", ignore=shutil.ignore_patterns(".cache"))
    build(root / "site", root / "out", root / "state", DAY)
    return root / "out"


def test_the_index_names_translated_wards_in_each_language(bilingual, built):
    """One index for the site, with `names` only for wards translated, and none on a
    one-language site (its bytes as before)."""
    wards = {w["slug"]: w for w in index_of(bilingual)["wards"]}
    assert wards["north-ward"]["names"] == {"cy": "Ward y Gogledd"}
    assert "names" not in wards["south-ward"]
    assert not (bilingual / "cy" / locate.INDEX_PATH).exists()
    assert all("names" not in w for w in index_of(built)["wards"])


def test_a_welsh_rename_rebuilds_the_index_exactly(tmp_path):
    import shutil

    from conftest import SITES
    site = tmp_path / "site"
    shutil.copytree(SITES / "bilingual", site, ignore=shutil.ignore_patterns(".cache"))
    build(site, tmp_path / "out", tmp_path / "state", DAY)
    welsh = site / "content/areas/north-ward/area.cy.yaml"
    welsh.write_text(welsh.read_text().replace("Ward y Gogledd", "Ward Ogleddol"))
    build(site, tmp_path / "out", tmp_path / "state", DAY)
    assert index_of(tmp_path / "out")["wards"][0]["names"] == {"cy": "Ward Ogleddol"}
    assert_same_as_clean(site, tmp_path, DAY)


@pytest.mark.browser
def test_use_my_location_on_a_welsh_page_names_the_ward_in_welsh(browser, bilingual, serve_dir):
    site_url = serve_dir(bilingual)
    context = browser.new_context(permissions=["geolocation"])
    page = context.new_page()
    page.goto(site_url + "/cy/")
    result = located_in_any_language(page, -0.995, 54.015)   # in north-ward
    expect(result).to_have_attribute("data-state", "inside")
    link = result.get_by_role("link", name=re.compile("Ward y Gogledd"))
    expect(link).to_have_attribute("href", "/cy/areas/north-ward/")
    expect(result).not_to_contain_text("North Ward")
    context.close()
