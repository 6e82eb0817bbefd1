"""Issue 17's "Done when": from the home page of the bundled example site, a resident
reaches the right ward page in at most three steps (clicks and submits counted) by
location (inside three wards, on a border, outside London), by postcode in several
spellings (with JavaScript and without it), and by the list of ward names; axe finds
no violations on the finder pages, the maps and each result state; and no request
leaves the site's origin (every request URL of every page is recorded)."""
from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from shapely.geometry import shape

from browser import axe_violations, describe
from conftest import BUILD_DATE, ROOT, run_cli

pytestmark = pytest.mark.browser

WARDS_INSIDE = ("heath", "eastbury", "thames")        # three wards of the example, far apart
BORDER = ("becontree", "valence")                      # two example wards with a common border
MANCHESTER = (-2.2426, 53.4808)                        # outside London, in no ward of the site


def boundary(slug: str):
    """The example ward SLUG's boundary, as shapely reads content/areas/<slug>/boundary.geojson."""
    data = json.loads((ROOT / "content/areas" / slug / "boundary.geojson").read_text(encoding="utf-8"))
    return shape(data.get("geometry", data))


def ward_name(slug: str) -> str:
    for line in (ROOT / "content/areas" / slug / "area.yaml").read_text(encoding="utf-8").splitlines():
        if line.startswith("name:"):
            return line.split(":", 1)[1].strip()
    raise AssertionError(f"{slug} has no name")


def postcodes() -> dict[str, list[str]]:
    """Postcode -> ward slugs, from the example's content/postcodes/*.csv."""
    found: dict[str, list[str]] = {}
    for path in sorted((ROOT / "content/postcodes").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as stream:
            for row in csv.DictReader(stream):
                found.setdefault(row["postcode"], []).append(row["ward"])
    return found


def common_point(a: str, b: str) -> tuple[float, float]:
    """A point on the border of wards A and B (on both outlines)."""
    shared = boundary(a).boundary.intersection(boundary(b).boundary)
    assert not shared.is_empty, f"{a} and {b} share no border"
    point = shared.representative_point()
    return point.x, point.y


@pytest.fixture(scope="module")
def site_url(tmp_path_factory, serve_dir) -> str:
    """The bundled example site, built once and served on 127.0.0.1."""
    root = tmp_path_factory.mktemp("walk")
    result = run_cli("build", "--site", str(ROOT), "--out", str(root / "out"), "--build-date", BUILD_DATE,
                     "--state", str(root / "state"))
    assert result.exit_code == 0, result.output
    return serve_dir(root / "out")


class Walk:
    """A tab counting the resident's steps (clicks and submits) and every request it makes."""

    def __init__(self, browser, site_url: str, **options):
        self.context = browser.new_context(**options)
        self.page = self.context.new_page()
        self.page.set_default_timeout(10_000)
        self.origin = site_url
        self.requests: list[str] = []
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.steps = 0

    def home(self) -> None:
        self.steps = 0
        self.page.goto(self.origin + "/")

    def click(self, locator) -> None:
        self.steps += 1
        locator.click()

    def submit(self, field, text: str) -> None:
        field.fill(text)
        self.steps += 1
        field.press("Enter")

    def arrived(self, slug: str) -> None:
        """On SLUG's ward page, in at most three steps."""
        expect(self.page).to_have_url(f"{self.origin}/areas/{slug}/")
        expect(self.page.locator("h1")).to_contain_text(ward_name(slug))
        assert self.steps <= 3, (slug, self.steps)

    def axe_clean(self) -> None:
        assert describe(axe_violations(self.page)) == "", self.page.url

    def close(self) -> None:
        others = [url for url in self.requests if not url.startswith(self.origin + "/")]
        self.context.close()
        assert self.requests and not others, others


def use_location(walk: Walk, lon: float, lat: float):
    walk.context.set_geolocation({"longitude": lon, "latitude": lat, "accuracy": 10})
    result = walk.page.locator("#locate-result")
    result.evaluate("element => { element.dataset.state = 'before'; }")
    walk.click(walk.page.get_by_role("button", name="Use my location"))
    expect(result).to_have_attribute("data-state", re.compile(r"^(inside|border|outside|failed)$"))
    return result


def test_by_location_inside_on_a_border_and_outside_london(browser, site_url):
    walk = Walk(browser, site_url, permissions=["geolocation"])
    for slug in WARDS_INSIDE:
        point = boundary(slug).representative_point()
        walk.home()
        result = use_location(walk, point.x, point.y)
        expect(result).to_have_attribute("data-state", "inside")
        expect(result).to_contain_text(f"You are in {ward_name(slug)} ward")
        if slug == WARDS_INSIDE[0]:
            walk.axe_clean()
        walk.click(result.get_by_role("link", name=f"{ward_name(slug)} ward"))
        walk.arrived(slug)

    walk.home()
    result = use_location(walk, *common_point(*BORDER))
    expect(result).to_have_attribute("data-state", "border")
    expect(result).to_contain_text("on or near the border")
    hrefs = result.get_by_role("link").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert {f"/areas/{slug}/" for slug in BORDER} <= set(hrefs), hrefs
    walk.axe_clean()
    walk.click(result.locator(f'a[href="/areas/{BORDER[1]}/"]').first)
    walk.arrived(BORDER[1])

    walk.home()
    result = use_location(walk, *MANCHESTER)
    expect(result).to_have_attribute("data-state", "outside")
    expect(result).to_contain_text("Your location is not in any ward this site covers.")
    expect(result.get_by_role("listitem")).to_have_count(3)
    expect(result.get_by_role("listitem").first).to_contain_text("km away")
    walk.axe_clean()
    walk.close()


# A one-ward postcode and a two-ward postcode of the example, each in several spellings.
SPELLINGS = {"RM8 1AD": ("rm8 1ad", "RM81AD", "  RM8    1AD  ", "rM81aD"),
             "RM8 3HS": ("rm83hs",)}


def test_by_postcode_with_javascript_in_several_spellings(browser, site_url):
    lookup = postcodes()
    walk = Walk(browser, site_url)
    for postcode, spellings in SPELLINGS.items():
        wards = lookup[postcode]
        for number, typed in enumerate(spellings):
            walk.home()
            walk.click(walk.page.locator("#find").get_by_role("link", name="postcode", exact=True))
            expect(walk.page).to_have_url(site_url + "/find/")
            if number == 0 and postcode == "RM8 1AD":
                walk.axe_clean()
            walk.submit(walk.page.get_by_label("Your postcode"), typed)
            result = walk.page.locator("#postcode-result")
            expect(result).to_contain_text(postcode)
            for slug in wards:
                expect(result.get_by_role("link", name=ward_name(slug), exact=True)).to_have_attribute(
                    "href", f"/areas/{slug}/")
            if len(wards) > 1:
                expect(result).to_contain_text(f"lies in {len(wards)} wards")
            if number == 0:
                walk.axe_clean()
            walk.click(result.get_by_role("link", name=ward_name(wards[-1]), exact=True))
            walk.arrived(wards[-1])
    # A postcode that is not ours, and an O typed for a zero: clear answers, axe clean.
    walk.page.goto(site_url + "/find/")
    field = walk.page.get_by_label("Your postcode")
    for typed, words in (("SW1A 1AA", "We do not cover SW1A 1AA"), ("RM8 OAD", "Did you mean RM8 0AD")):
        field.fill(typed)
        field.press("Enter")
        expect(walk.page.locator("#postcode-result")).to_contain_text(words)
        walk.axe_clean()
    walk.close()


def test_without_javascript_by_postcode_lists_and_by_name(browser, site_url):
    lookup = postcodes()
    walk = Walk(browser, site_url, java_script_enabled=False)
    for postcode in ("RM8 1AD", "IG11 0AY", "RM8 3HS"):
        district, sector = postcode.split()[0], postcode[:-2]
        slug = lookup[postcode][-1]
        walk.home()
        walk.click(walk.page.locator("#find").get_by_role("link", name="postcode", exact=True))
        walk.click(walk.page.locator(".sitegen-district-list").get_by_role("link", name=district, exact=True))
        expect(walk.page).to_have_url(f"{site_url}/find/{district}/")
        row = walk.page.locator(f"#sector-{sector.replace(' ', '-')}")
        if len(lookup[postcode]) > 1:
            row.locator("summary").last.click()   # opening the list of postcodes is not a step
            expect(row).to_contain_text(postcode)
        walk.click(row.get_by_role("link", name=ward_name(slug), exact=True))
        walk.arrived(slug)
    # By name: the home page lists every ward, one tap away.
    for slug in ("alibon", "village-barking-and-dagenham"):
        walk.home()
        walk.click(walk.page.locator(f'#area-list a[href="/areas/{slug}/"]').first)
        walk.arrived(slug)
    walk.close()


def test_the_maps_and_the_district_pages_are_accessible(browser, site_url):
    """axe on the home map, a ward's map, the borough map and a district page with its lists open
    (axe runs as page script, so it checks the no-JavaScript pages here, with JavaScript on)."""
    walk = Walk(browser, site_url)
    walk.page.goto(site_url + "/find/RM8/")
    walk.page.locator("#sector-RM8-3 summary").first.click()
    walk.axe_clean()
    walk.home()
    walk.axe_clean()
    walk.click(walk.page.locator('svg a[href="/areas/goresbrook/"]').first)
    walk.arrived("goresbrook")
    expect(walk.page.locator("svg.sitegen-map__svg")).to_have_count(1)
    walk.axe_clean()
    walk.page.goto(site_url + "/boroughs/barking-and-dagenham/")
    expect(walk.page.locator("svg.sitegen-map__svg")).to_have_count(1)
    walk.axe_clean()
    walk.close()


def test_the_example_postcodes_are_real_format_and_cover_the_walk():
    """The spellings above are of postcodes the example's lookup has."""
    lookup = postcodes()
    assert all(re.fullmatch(r"[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}", p) for p in lookup)
    assert set(SPELLINGS) <= set(lookup) and len(lookup["RM8 3HS"]) == 2
    assert Path(ROOT / "content/areas" / BORDER[0]).is_dir()
