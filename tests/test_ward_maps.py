"""Real ward boundaries (issue 17, parts 1 and 6): import-wards attaches them, the ward
page's map names its neighbours, the borough and home maps link every ward, check
refuses a missing or overlapping boundary, and incremental builds stay exact when a
neighbour is renamed or a boundary edited."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from shapely.affinity import scale
from shapely.geometry import mapping, shape

from conftest import ROOT, run_cli
from sitegen.errors import Problems
from sitegen.maps import SLIVER, boundary_problems, parse_boundary
from test_incremental import assert_same_as_clean, build

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "ward_maps" / "wards.geojson"
CSV = ("borough,ward,ons_code,old_code,population_2015,area_sq_km\n"
       "Barking and Dagenham,Abbey,E05000026,00ABFX,14750,1.3\n"
       "Barking and Dagenham,Eastbury,E05000031,00ABGC,11900,1.4\n"
       "Barking and Dagenham,Gascoigne,E05000032,00ABGD,15850,1.1\n")
BUILD_DATE = "2026-11-28"
BOROUGH_PAGE = "boroughs/barking-and-dagenham/index.html"


def areas_files(site: Path) -> dict[str, bytes]:
    base = site / "content/areas"
    return {p.relative_to(base).as_posix(): p.read_bytes() for p in sorted(base.rglob("*")) if p.is_file()}


def boundary(site: Path, slug: str) -> dict:
    return json.loads((site / f"content/areas/{slug}/boundary.geojson").read_text())


def write_boundary(site: Path, slug: str, geometry) -> None:
    feature = {"type": "Feature", "properties": {}, "geometry": mapping(geometry)}
    (site / f"content/areas/{slug}/boundary.geojson").write_text(json.dumps(feature))


# ---------------------------------------------------------------- import-wards


def test_import_wards_attaches_each_boundary_and_keeps_one_already_there(make_site, tmp_path):
    site = make_site()
    (tmp_path / "wards.csv").write_text(CSV)
    args = ("import-wards", str(tmp_path / "wards.csv"), "--site", str(site), "--boundaries", str(FIXTURE))
    result = run_cli(*args)
    assert result.exit_code == 0, result.output
    assert "3 written, 0 already there" in result.output
    for slug, code in (("abbey", "E05000026"), ("eastbury", "E05000031"), ("gascoigne", "E05000032")):
        written = boundary(site, slug)
        assert written["properties"]["code"] == code
        assert "Ordnance Survey" in written["properties"]["attribution"]
        problems = Problems()
        assert parse_boundary(json.dumps(written), "x", problems) is not None and not problems
        ring = written["geometry"]["coordinates"][0] if written["geometry"]["type"] == "Polygon" \
            else written["geometry"]["coordinates"][0][0]
        assert all(len(repr(v).split(".")[-1]) <= 6 for position in ring for v in position)
    before = areas_files(site)
    again = run_cli(*args)
    assert again.exit_code == 0 and "0 written, 3 already there and kept" in again.output
    assert areas_files(site) == before
    assert run_cli("check", "--site", str(site)).exit_code == 0


def test_the_example_boundaries_are_what_import_wards_writes_by_default(make_site):
    site = make_site("example")
    committed = {slug: (site / f"content/areas/{slug}/boundary.geojson").read_bytes()
                 for slug in ("alibon", "village-barking-and-dagenham")}
    for slug in committed:
        (site / f"content/areas/{slug}/boundary.geojson").unlink()
    (site / "data").mkdir()
    shutil.copy(ROOT / "data/london-wards.geojson", site / "data")
    result = run_cli("import-wards", str(ROOT / "data/london-wards.csv"), "--borough", "Barking and Dagenham",
                     "--site", str(site))
    assert result.exit_code == 0, result.output
    assert "2 written, 15 already there and kept, 0 wards without one" in result.output
    for slug, data in committed.items():
        assert (site / f"content/areas/{slug}/boundary.geojson").read_bytes() == data


def _features() -> list[dict]:
    return json.loads(FIXTURE.read_text())["features"]


def _unclosed(features: list[dict]) -> list[dict]:
    ring = features[1]["geometry"]["coordinates"][0][0] if features[1]["geometry"]["type"] == "MultiPolygon" \
        else features[1]["geometry"]["coordinates"][0]
    ring.pop()
    return features


def _code(value):
    def change(features: list[dict]) -> list[dict]:
        features[1]["properties"]["ons_code"] = value
        return features
    return change


@pytest.mark.parametrize("spoil, message", [
    (_code(None), "features[2]: properties.ons_code is missing or not an ONS ward code"),
    (_code("E0500003"), "features[2]: properties.ons_code is missing or not an ONS ward code"),
    (_code("E05000026"), "features[2] (ons_code E05000026): another feature has this ons_code"),
    (_unclosed, "features[2] (ons_code E05000031): geometry.coordinates"),
])
def test_a_bad_feature_is_refused_at_its_line_and_nothing_is_written(make_site, tmp_path, spoil, message):
    site = make_site()
    (tmp_path / "wards.csv").write_text(CSV)
    features = spoil(_features())
    bad = tmp_path / "bad.geojson"
    bad.write_text('{"type":"FeatureCollection","features":[\n'
                   + ",\n".join(json.dumps(f) for f in features) + "\n]}\n")
    before = areas_files(site)
    result = run_cli("import-wards", str(tmp_path / "wards.csv"), "--site", str(site), "--boundaries", str(bad))
    assert result.exit_code == 1
    assert f"{bad}:3:1: {message}" in result.output, result.output
    assert "Traceback" not in result.output
    assert areas_files(site) == before


@pytest.mark.parametrize("text, where", [
    ('{"type": "FeatureCollection",\n "features": [}', ":2:15: not valid JSON"),
    ('{"type": "Feature", "geometry": null}', ":1:1: expected a GeoJSON FeatureCollection"),
])
def test_a_file_that_is_no_feature_collection_is_refused(make_site, tmp_path, text, where):
    site = make_site()
    (tmp_path / "wards.csv").write_text(CSV)
    (tmp_path / "bad.geojson").write_text(text)
    result = run_cli("import-wards", str(tmp_path / "wards.csv"), "--site", str(site),
                     "--boundaries", str(tmp_path / "bad.geojson"))
    assert result.exit_code == 1 and f"bad.geojson{where}" in result.output, result.output
    assert not (site / "content/areas/abbey").exists()


# ---------------------------------------------------------------- pages


def _desc(page: str) -> str:
    found = re.search(r'<desc id="map-desc">(.*?)</desc>', page)
    assert found, "no text alternative"
    return found.group(1)


def test_each_ward_map_names_the_wards_whose_boundaries_touch_it(example_build):
    slugs = sorted(p.name for p in (ROOT / "content/areas").iterdir())
    shapes = {slug: shape(boundary(ROOT, slug)["geometry"]) for slug in slugs}
    names = {slug: re.search(r"^name: (.*)$", (ROOT / f"content/areas/{slug}/area.yaml").read_text(),
                             re.M).group(1) for slug in slugs}
    for slug in slugs:
        touching = sorted(other for other in slugs if other != slug and shapes[slug].distance(shapes[other]) < 1e-6)
        assert touching, slug   # every ward of a borough touches another
        page = (example_build / f"areas/{slug}/index.html").read_text()
        desc = _desc(page)
        assert desc.startswith(f"{names[slug]} borders ")
        for other in slugs:
            named = re.search(rf"[ ,]{re.escape(names[other])}[,. ]", " " + desc.split(" borders ", 1)[1])
            assert bool(named) == (other in touching), (slug, other, desc)
            assert (f'href="/areas/{other}/"' in page.split('id="neighbours"')[1]) == (other in touching)
    assert _desc((example_build / "areas/alibon/index.html").read_text()) == \
        "Alibon borders Eastbrook, Goresbrook, Heath, Mayesbrook, Parsloes, River and Village."


def _map_links(page: str) -> dict[str, str]:
    svg = re.search(r'<svg class="sitegen-map__svg"[^>]*role="group".*?</svg>', page, re.S)
    assert svg, "no map of links"
    return dict(re.findall(r'<a href="([^"]+)" aria-label="([^"]+)">', svg.group(0)))


def test_the_borough_and_home_maps_link_every_ward_by_name(example_build):
    slugs = sorted(p.name for p in (ROOT / "content/areas").iterdir())
    for path in (BOROUGH_PAGE, "index.html"):
        page = (example_build / path).read_text()
        links = _map_links(page)
        assert sorted(links) == sorted(f"/areas/{slug}/" for slug in slugs)
        for url, name in links.items():
            assert (example_build / url.strip("/") / "index.html").is_file()
            assert f'<a class="govuk-link" href="{url}">{name}</a>' in page   # the list beside says the same
        assert "map." in page and " style=" not in page


def test_with_several_boroughs_the_home_map_links_each_borough(make_site, tmp_path):
    site = make_site("example")
    for slug in ("chadwell-heath", "whalebone"):
        path = site / f"content/areas/{slug}/area.yaml"
        path.write_text(path.read_text().replace("borough: Barking and Dagenham", "borough: Dagenham North", 1))
    out = tmp_path / "out"
    build(site, out, tmp_path / "state", BUILD_DATE)
    links = _map_links((out / "index.html").read_text())
    assert links == {"/boroughs/barking-and-dagenham/": "Barking and Dagenham",
                     "/boroughs/dagenham-north/": "Dagenham North"}
    assert sorted(_map_links((out / "boroughs/dagenham-north/index.html").read_text()).values()) == \
        ["Chadwell Heath", "Whalebone"]


def test_the_borough_map_is_small(example_build):
    page = (example_build / BOROUGH_PAGE).read_text()
    svg = re.search(r'<svg class="sitegen-map__svg".*?</svg>', page, re.S).group(0)
    assert len(svg.encode()) < 12_000


# ---------------------------------------------------------------- checks


def test_a_ward_without_a_boundary_beside_wards_with_one_is_refused(make_site):
    site = make_site("example")
    (site / "content/areas/abbey-barking-and-dagenham/boundary.geojson").unlink()
    result = run_cli("check", "--site", str(site))
    assert result.exit_code == 1
    assert ("content/areas/abbey-barking-and-dagenham/area.yaml: has no boundary.geojson while 16 other wards"
            " of Barking and Dagenham have one") in result.output


def test_boundaries_overlapping_by_more_than_a_sliver_are_refused_at_both_files(make_site):
    site = make_site("example")
    shutil.copy(site / "content/areas/alibon/boundary.geojson", site / "content/areas/eastbrook/boundary.geojson")
    result = run_cli("check", "--site", str(site))
    assert result.exit_code == 1
    assert ("content/areas/eastbrook/boundary.geojson: overlaps the boundary of Alibon"
            " (content/areas/alibon/boundary.geojson) by 100% of the smaller ward") in result.output
    assert "content/areas/alibon/boundary.geojson: overlaps the boundary of Eastbrook" in result.output


class _Area:
    def __init__(self, slug: str, geometry):
        problems = Problems()
        self.slug, self.name, self.borough = slug, slug.title(), "B"
        self.source = f"content/areas/{slug}/area.yaml"
        self.boundary = parse_boundary(json.dumps(mapping(geometry)), f"content/areas/{slug}/boundary.geojson",
                                       problems)


@pytest.mark.parametrize("overlap, refused", [(0.0, False), (0.5 * SLIVER, False), (2 * SLIVER, True)])
def test_the_sliver_threshold_is_a_share_of_the_smaller_ward(overlap, refused):
    from shapely.geometry import box
    size = 0.01
    left = _Area("left", box(0, 51, size, 51 + size))
    right = _Area("right", box(size * (1 - overlap), 51, 2 * size, 51 + size))
    assert bool(boundary_problems([left, right])) == refused   # type: ignore[list-item]


# ---------------------------------------------------------------- incremental == clean


def _shrunk(site: Path, slug: str):
    return scale(shape(boundary(site, slug)["geometry"]), 0.5, 0.5, origin="centroid")


def test_incremental_builds_follow_renamed_neighbours_and_edited_boundaries(make_site, tmp_path):
    site = make_site("example")
    out, state = tmp_path / "out", tmp_path / "state"
    build(site, out, state, BUILD_DATE)
    alibon = site / "content/areas/alibon/area.yaml"
    alibon.write_text(alibon.read_text().replace("summary: '", "summary: 'Edited. ", 1))   # a narrow build
    build(site, out, state, BUILD_DATE)
    assert_same_as_clean(site, tmp_path, BUILD_DATE)
    assert "River and Village." in _desc((out / "areas/alibon/index.html").read_text())

    eastbrook = site / "content/areas/eastbrook/area.yaml"
    eastbrook.write_text(eastbrook.read_text().replace("name: Eastbrook", "name: Eastbrook End", 1))
    build(site, out, state, BUILD_DATE)
    assert_same_as_clean(site, tmp_path, BUILD_DATE)
    assert "Alibon borders Eastbrook End, Goresbrook" in (out / "areas/alibon/index.html").read_text()

    write_boundary(site, "eastbrook", _shrunk(site, "eastbrook"))   # no longer touches Alibon
    build(site, out, state, BUILD_DATE)
    assert_same_as_clean(site, tmp_path, BUILD_DATE)
    assert "Eastbrook" not in _desc((out / "areas/alibon/index.html").read_text())
    assert "aria-label=\"Eastbrook End\"" in (out / BOROUGH_PAGE).read_text()


# ---------------------------------------------------------------- in a browser


@pytest.mark.browser
def test_the_maps_pass_axe_and_a_ward_is_reached_from_the_borough_map_by_keyboard(page, example_build, serve_dir):
    from browser import axe_violations, describe
    base = serve_dir(example_build)
    page.goto(base + "/areas/alibon/")
    violations = axe_violations(page)
    assert not violations, describe(violations)
    page.goto(base + "/boroughs/barking-and-dagenham/")
    link = page.locator('svg a[aria-label="Heath"]')
    link.focus()
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Heath"
    violations = axe_violations(page)
    assert not violations, describe(violations)
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/areas/heath/")
