"""Issue 17, parts 4 and 5: finding a ward by name (boroughs, places), and the
home page laid out for a force (the finder first, boroughs listed once there are
several, the header's link to the finder)."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from browser import axe_violations, describe
from conftest import SITES, run_cli
from test_incremental import assert_same_as_clean, build

NORTH = "content/areas/north-ward/area.yaml"


def add_places(site: Path, places: str, slug: str = "north-ward") -> None:
    """Append a `places:` block (YAML text PLACES, its lines indented) to the area SLUG."""
    path = site / f"content/areas/{slug}/area.yaml"
    path.write_text(path.read_text() + "places:\n" + places)


def test_places_are_checked_with_their_location(make_site):
    site = make_site()
    lines = (site / NORTH).read_text().count("\n")
    add_places(site, "  - Becontree Heath\n  - [not, a, name]\n  - " + "x" * 81 + "\n")
    result = run_cli("check", "--site", str(site))
    assert result.exit_code == 1
    out = result.output + result.stderr
    assert f"{NORTH}:{lines + 3}:5:" in out
    assert f"{NORTH}:{lines + 4}:5:" in out and "keep it under 80" in out
    assert "Becontree" not in out


def test_places_not_a_list_is_located(make_site):
    site = make_site()
    path = site / NORTH
    path.write_text(path.read_text() + "places: Becontree Heath\n")
    result = run_cli("check", "--site", str(site))
    assert result.exit_code == 1
    assert f"{NORTH}:" in result.output + result.stderr and "a list" in result.output + result.stderr


def test_editing_places_rebuilds_home_and_borough_pages_exactly(make_site, tmp_path):
    site = make_site()
    build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    add_places(site, "  - Becontree Heath\n")
    build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    assert "becontree heath" in (tmp_path / "out/index.html").read_text().lower()
    assert_same_as_clean(site, tmp_path)
    path = site / NORTH
    path.write_text(path.read_text().replace("Becontree Heath", "Chadwell Heath"))
    build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    home = (tmp_path / "out/index.html").read_text().lower()
    assert "chadwell heath" in home and "becontree" not in home
    assert_same_as_clean(site, tmp_path)


# A force's site: 33 boroughs, one ward each (two in Testshire, from the minimal
# site), with accents, apostrophes, "St" and places to find them by.
SPECIAL = {
    "becontree": ("Becontree", "Barking and Dagenham", ["Becontree Heath", "Valence Park"]),
    "st-heliers": ("St Helier's", "Sutton", []),
    "leon": ("Léon", "Hounslow", []),
}


def force_site(root: Path) -> Path:
    """tests/sites/minimal with 33 boroughs in all (SPECIAL, then 'Borough N' with one ward each)."""
    site = root / "force"
    shutil.copytree(SITES / "minimal", site, ignore=shutil.ignore_patterns("expected", ".cache"))
    wards = dict(SPECIAL)
    for n in range(1, 33 - len(SPECIAL)):
        wards[f"ward-{n}"] = (f"Ward {n}", f"Borough {n}", [])
    for slug, (name, borough, places) in wards.items():
        folder = site / "content/areas" / slug
        folder.mkdir()
        listed = "".join(f"  - {place}\n" for place in places)
        (folder / "area.yaml").write_text(f'name: "{name}"\nborough: {borough}\n'
                                          + (f"places:\n{listed}" if listed else ""))
    return site


@pytest.fixture(scope="module")
def force_build(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("force")
    site = force_site(root)
    build(site, root / "out", root / "state", "2026-11-28")
    return root / "out"


def test_a_force_home_page_lists_boroughs_not_wards(force_build):
    home = (force_build / "index.html").read_text()
    soup_boroughs = re.findall(r'<li data-group="([^"]*)"><a class="govuk-link" href="/boroughs/', home)
    assert len(soup_boroughs) == 33 and "Testshire" in soup_boroughs
    # Every ward is there for the filter, but in lists hidden until something is typed.
    listed = home[home.index('id="area-list"'):]
    lists = re.findall(r"<ul class=\"govuk-list sitegen-area-list\"([^>]*)>", listed)
    assert lists.count(" data-collapsed hidden") == 33
    assert len(lists) == 34 and "Other areas" in listed   # South Ward has no borough, so it stays listed
    assert 'data-places="Becontree Heath|Valence Park"' in home
    # The finder comes first in the main content, before the report links.
    assert home.index('id="find"') < home.index('id="report"')


def test_one_borough_keeps_its_ward_list(make_site, tmp_path):
    site = make_site()
    build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    home = (tmp_path / "out/index.html").read_text()
    assert "data-collapsed" not in home and 'data-name="North Ward"' in home


@pytest.mark.browser
def test_the_header_links_to_the_finder_without_javascript(force_build, serve_dir, page_without_js):
    url = serve_dir(force_build)
    page_without_js.goto(url + "/areas/leon/")
    page_without_js.get_by_role("link", name="Find your local team").click()
    page_without_js.wait_for_url(url + "/#find")
    expect(page_without_js.get_by_role("heading", name="Find your local team")).to_be_in_viewport()
    expect(page_without_js.get_by_role("link", name="Barking and Dagenham")).to_be_visible()
    # No link to a postcode finder until the site publishes one (issue 17, part 3).
    assert page_without_js.locator('a[href^="/find"]').count() == 0


def visible_wards(page) -> list[str]:
    return [t.strip() for t in page.locator("#area-list li[data-name]:visible").all_inner_texts()]


@pytest.mark.browser
def test_the_filter_finds_boroughs_places_and_names_as_typed(force_build, serve_dir, page):
    page.goto(serve_dir(force_build) + "/")
    box = page.get_by_label("Filter wards by name")
    status = page.locator("#area-filter-status")
    assert visible_wards(page) == ["South Ward"]   # boroughs only, and the one ward without a borough
    box.fill("barking")
    assert visible_wards(page) == ["Becontree"]
    box.fill("becontree  HEATH")
    assert visible_wards(page) == ["Becontree (Becontree Heath is in Becontree ward)"]
    expect(status).to_contain_text('1 ward matches "becontree  HEATH"')
    for typed, ward in [("LEON", "Léon"), ("léon", "Léon"), ("saint heliers", "St Helier's"),
                        ("st. helier", "St Helier's"), ("valence-park", "Becontree (Valence Park is in Becontree ward)")]:
        box.fill(typed)
        assert visible_wards(page) == [ward], typed
    box.fill("zzqx")
    assert visible_wards(page) == []
    none = page.locator("#area-filter-none")
    expect(none).to_be_visible()
    expect(status).to_contain_text("No wards match")
    expect(none).to_contain_text("Check the spelling")
    expect(none.get_by_role("link", name="Sutton")).to_have_attribute("href", "/boroughs/sutton/")
    assert describe(axe_violations(page)) == ""
    box.fill("")
    expect(none).to_be_hidden()
    assert visible_wards(page) == ["South Ward"]
    assert describe(axe_violations(page)) == ""


def test_the_ward_page_gives_its_contact_before_the_report_links(force_build):
    page = (force_build / "areas/north-ward/index.html").read_text()
    assert page.index('id="contact"') < page.index('id="report"')


@pytest.mark.browser
def test_the_borough_page_filter_finds_places(force_build, serve_dir, page):
    page.goto(serve_dir(force_build) + "/boroughs/barking-and-dagenham/")
    box = page.get_by_label("Filter wards by name")
    box.fill("valence park")
    assert visible_wards(page) == ["Becontree (Valence Park is in Becontree ward)"]
    box.fill("stepney")
    assert visible_wards(page) == []
    expect(page.locator("#area-filter-none").get_by_role("link", name="look in every borough")).to_be_visible()
