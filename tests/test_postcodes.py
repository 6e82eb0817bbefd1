"""Issue 17, part 3: finding a ward by postcode.

`sitegen import-postcodes` over a small ONSPD-layout file (tests/data/postcodes/onspd-sample.csv:
live, terminated and grid-less postcodes, a postcode in two wards, other wards' rows), the
lookup it writes, what the build publishes from it (/find/, /find/<DISTRICT>/,
/find/<DISTRICT>.json), `check` on a lookup naming no ward, incremental builds after
editing the lookup, the spellings the normaliser accepts, and the finder in Chromium
with and without JavaScript."""
from __future__ import annotations

import json
import re
import string
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from playwright.sync_api import expect

from browser import axe_violations, describe
from conftest import ROOT, run_cli
from sitegen.content.postcodes import POSTCODE, normalise
from test_incremental import assert_same_as_clean, build, tree

SAMPLE = Path(__file__).parent / "data" / "postcodes" / "onspd-sample.csv"
AB1 = ("postcode,ward\n"
       "AB1 2CD,north-ward\n"
       "AB1 2CE,south-ward\n"
       "AB1 2CF,north-ward\n"
       "AB1 2CF,south-ward\n"
       "AB1 3AB,north-ward\n")


def coded_site(make_site) -> Path:
    """The minimal site, its South Ward given an ONS code too."""
    site = make_site()
    path = site / "content/areas/south-ward/area.yaml"
    path.write_text(path.read_text().replace("name: South Ward\n", "name: South Ward\ncode: E05999002\n", 1))
    return site


def import_into(site: Path, source: Path = SAMPLE):
    return run_cli("import-postcodes", "--site", str(site), str(source))


def lookup_files(site: Path) -> dict[str, str]:
    folder = site / "content/postcodes"
    return {p.name: p.read_text() for p in sorted(folder.iterdir())} if folder.is_dir() else {}


def test_import_keeps_the_live_postcodes_of_the_sites_wards(make_site):
    site = coded_site(make_site)
    result = import_into(site)
    assert result.exit_code == 0, result.output
    assert re.search(r"Read 10 rows in [0-9.]+ s \([0-9,]+ rows/s\); kept 6 postcodes of the site's wards"
                     r" in 2 districts \(2 terminated skipped\)", result.output), result.output
    # Terminated (AB1 3AA, AB2 9ZZ) and other wards' rows (ZZ9) are left out; AB1 2CF is in both wards.
    assert lookup_files(site) == {"AB1.csv": AB1, "AB10.csv": "postcode,ward\nAB10 1AA,north-ward\n"}


def test_import_reads_the_nspl_ward_column_and_newer_names(make_site, tmp_path):
    site = coded_site(make_site)
    text = SAMPLE.read_text()
    for header in ("ward", "wd25cd"):
        nspl = tmp_path / f"nspl-{header}.csv"
        nspl.write_text(text.replace(",osward,", f",{header.upper()},", 1))
        result = import_into(site, nspl)
        assert result.exit_code == 0, result.output
        assert lookup_files(site)["AB1.csv"] == AB1


def test_a_file_without_the_columns_is_refused_and_nothing_written(make_site, tmp_path):
    site = coded_site(make_site)
    cut = tmp_path / "cut.csv"
    cut.write_text(SAMPLE.read_text().replace(",osward,", ",osw,", 1).replace("pcds,", "postcode,", 1))
    result = import_into(site, cut)
    assert result.exit_code == 1
    assert f"{cut}:1: has no column pcds, osward (or ward); give the ONSPD or NSPL CSV" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert lookup_files(site) == {}


def test_bad_rows_of_the_sites_wards_are_located_and_nothing_written(make_site, tmp_path):
    site = coded_site(make_site)
    import_into(site)
    before = lookup_files(site)
    lines = SAMPLE.read_text().splitlines()
    lines[1] = lines[1].replace('"AB1 2CD","198001"', '"AB1 2C","198001"')          # a pcds that is no postcode
    lines[2] = lines[2].replace('"51.540001"', '"north"')                           # a lat that is no number
    lines[3] = ",".join(lines[3].split(",")[:13])                                   # a line cut short
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines) + "\n")
    result = import_into(site, bad)
    assert result.exit_code == 1
    col = lines[1].index('"AB1 2C"') + 1
    assert f"{bad}:2:{col}: pcds 'AB1 2C' is not a postcode" in result.stderr
    assert re.search(rf"{re.escape(str(bad))}:3:\d+: lat 'north' is not a number of degrees", result.stderr)
    assert f"{bad}:4: has 13 columns; the header has 53" in result.stderr
    assert lookup_files(site) == before


def test_a_file_that_is_not_utf8_is_located(make_site, tmp_path):
    site = coded_site(make_site)
    bad = tmp_path / "latin1.csv"
    bad.write_bytes(SAMPLE.read_bytes().replace(b"AB1 2CE", b"AB1 2C\xc9"))
    result = import_into(site, bad)
    assert result.exit_code == 1
    assert re.search(rf"{re.escape(str(bad))}:3:\d+: byte 0xC9 is not UTF-8", result.stderr)


def test_a_file_without_line_ends_is_refused_unread(make_site, tmp_path):
    site = coded_site(make_site)
    blob = tmp_path / "blob.csv"
    blob.write_bytes(SAMPLE.read_bytes().splitlines()[0] + b"\n" + b"x" * 50_000)
    result = import_into(site, blob)
    assert result.exit_code == 1
    assert f"{blob}:2: is longer than 10000 bytes; this is not the ONSPD or NSPL CSV" in result.stderr


def test_a_refresh_removes_districts_no_longer_given(make_site, tmp_path):
    site = coded_site(make_site)
    import_into(site)
    smaller = tmp_path / "smaller.csv"
    smaller.write_text("\n".join(line for line in SAMPLE.read_text().splitlines() if "AB10" not in line) + "\n")
    result = import_into(site, smaller)
    assert "removed 1 district files" in result.output
    assert list(lookup_files(site)) == ["AB1.csv"]


@pytest.fixture
def finder_site(make_site, tmp_path):
    """The minimal site with the sample's lookup, built into tmp_path/out."""
    site = coded_site(make_site)
    assert import_into(site).exit_code == 0
    build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    return site


def test_the_build_publishes_a_small_file_per_district(finder_site, tmp_path):
    out = tmp_path / "out"
    assert (out / "find/AB1.json").read_bytes() == (
        b'{"postcodes":{"AB12CD":["north-ward"],"AB12CE":["south-ward"],"AB12CF":["north-ward","south-ward"],'
        b'"AB13AB":["north-ward"]},"wards":{"north-ward":"North Ward","south-ward":"South Ward"}}\n')
    assert json.loads((out / "find/AB10.json").read_text()) == {
        "postcodes": {"AB101AA": ["north-ward"]}, "wards": {"north-ward": "North Ward"}}
    index = (out / "find/index.html").read_text()
    assert re.findall(r'href="(/find/[^"]+)"', index) == ["/find/AB1/", "/find/AB10/"]
    assert 'action="/find/#districts"' in index and "finder." in index
    district = (out / "find/AB1/index.html").read_text()
    assert re.findall(r"<dt [^>]*>([^<]+)</dt>", district) == ["AB1 2", "AB1 3"]
    sector_2 = district.split('id="sector-AB1-2"')[1].split("</dd>")[0]
    assert re.findall(r'href="(/areas/[^"]+)"', sector_2) == ["/areas/north-ward/", "/areas/south-ward/"]
    assert "AB1 2CD, AB1 2CF" in sector_2 and "AB1 2CE, AB1 2CF" in sector_2   # AB1 2CF under both
    assert "finder." not in district   # the script only where the form is
    sitemap = (out / "sitemap.xml").read_text()
    assert all(f"/find/{p}</loc>" in sitemap for p in ("", "AB1/", "AB10/"))
    assert 'href="/find/">postcode</a>' in (out / "index.html").read_text()
    assert 'href="/find/">searching by postcode</a>' in (out / "boroughs/testshire/index.html").read_text()


def test_a_site_without_a_lookup_publishes_no_finder_and_no_link_to_it(make_site, tmp_path):
    build(make_site(), tmp_path / "out", tmp_path / "state", "2026-11-28")
    assert not list((tmp_path / "out").glob("find/*.html")) and not list((tmp_path / "out").glob("find/[A-Z]*"))
    for page in (tmp_path / "out").rglob("*.html"):
        assert 'href="/find/' not in page.read_text(), page


def test_check_names_rows_whose_ward_is_no_ward_of_the_site(make_site):
    site = coded_site(make_site)
    (site / "content/postcodes").mkdir(parents=True)
    (site / "content/postcodes/AB1.csv").write_text(
        "postcode,ward\nAB1 2CD,north-ward\nAB1 2CE,nowhere\nab12cf,north-ward\nAB2 1AA,north-ward\n")
    (site / "content/postcodes/ab3.csv").write_text("postcode,ward\n")
    result = run_cli("check", "--site", str(site))
    assert result.exit_code == 1
    assert ("content/postcodes/AB1.csv:3:9: ward 'nowhere' of AB1 2CE is no ward of this site; import the"
            " postcodes again, or write the slug of a folder in content/areas/") in result.stderr
    assert "content/postcodes/AB1.csv:4:1: 'ab12cf' is not a postcode as the lookup writes it;" \
           " write it 'AB1 2CF'" in result.stderr
    assert "content/postcodes/AB1.csv:5:1: 'AB2 1AA' is not in AB1; move the row to" \
           " content/postcodes/AB2.csv" in result.stderr
    assert "content/postcodes/ab3.csv: is not named after a postcode district" in result.stderr


def test_a_district_file_linked_from_outside_the_site_is_named_not_read(make_site, tmp_path):
    site = coded_site(make_site)
    outside = tmp_path / "outside.csv"
    outside.write_text("postcode,ward\nAB1 2CD,north-ward\n")
    (site / "content/postcodes").mkdir(parents=True)
    (site / "content/postcodes/AB1.csv").symlink_to(outside)
    result = run_cli("check", "--site", str(site))
    assert result.exit_code == 1
    assert "content/postcodes/AB1.csv: is a link to a file outside the site" in result.stderr
    assert "1 problems found" not in result.stderr and result.stderr.count("AB1.csv") == 1, result.stderr


def test_editing_the_lookup_rebuilds_exactly_what_a_clean_build_makes(finder_site, tmp_path):
    site, out = finder_site, tmp_path / "out"
    lookup = site / "content/postcodes"
    steps = [
        lambda: (lookup / "AB1.csv").write_text(AB1 + "AB1 4AA,south-ward\n"),          # a new sector
        lambda: (lookup / "AB2.csv").write_text("postcode,ward\nAB2 1AA,south-ward\n"),  # a new district
        lambda: (lookup / "AB10.csv").unlink(),                                          # a district gone
        lambda: rename(site, "South Ward", "Southern Ward"),                             # a ward's name
    ]
    for step in steps:
        before = tree(out)
        step()
        build(site, out, tmp_path / "state", "2026-11-28")
        assert tree(out) != before
        assert_same_as_clean(site, tmp_path)
    assert json.loads((out / "find/AB1.json").read_text())["wards"]["south-ward"] == "Southern Ward"
    assert not (out / "find/AB10.json").exists() and not (out / "find/AB10").exists()
    (lookup / "AB1.csv").unlink()
    (lookup / "AB2.csv").unlink()
    build(site, out, tmp_path / "state", "2026-11-28")
    assert not (out / "find/index.html").exists() and not list(out.glob("find/[A-Z]*"))
    assert 'href="/find/' not in (out / "index.html").read_text()
    assert_same_as_clean(site, tmp_path)


def rename(site: Path, old: str, new: str) -> None:
    path = site / "content/areas/south-ward/area.yaml"
    path.write_text(path.read_text().replace(f"name: {old}", f"name: {new}"))


OUTWARDS = st.one_of(
    st.tuples(st.sampled_from(string.ascii_uppercase), st.integers(0, 99)).map(lambda t: f"{t[0]}{t[1]}"),
    st.tuples(st.sampled_from(["RM", "IG", "SW", "EC"]), st.integers(0, 99)).map(lambda t: f"{t[0]}{t[1]}"),
    st.tuples(st.sampled_from(["E", "W", "SW", "EC"]), st.integers(1, 9), st.sampled_from("ABW"))
    .map(lambda t: f"{t[0]}{t[1]}{t[2]}"))
INWARDS = st.tuples(st.integers(0, 9), st.sampled_from("ABDEFGHJLNPQRSTUWXYZ"),
                    st.sampled_from("ABDEFGHJLNPQRSTUWXYZ")).map(lambda t: f"{t[0]}{t[1]}{t[2]}")


@st.composite
def spellings(draw):
    """(a postcode as the lookup writes it, a way a person might type it)."""
    written = f"{draw(OUTWARDS)} {draw(INWARDS)}"
    compact = written.replace(" ", "")
    typed = "".join(c.lower() if draw(st.booleans()) else c for c in compact)
    cut = draw(st.integers(0, len(typed)))
    gap = draw(st.sampled_from(["", " ", "  ", "\t", "\u00a0"]))
    return written, draw(st.sampled_from(["", " ", "  "])) + typed[:cut] + gap + typed[cut:] + \
        draw(st.sampled_from(["", " ", "\n"]))


@settings(max_examples=50, deadline=None)
@given(spellings())
def test_any_case_and_spacing_reads_as_the_written_postcode(pair):
    written, typed = pair
    assert normalise(typed) == written


@settings(max_examples=50, deadline=None)
@given(st.text(alphabet=string.ascii_letters + string.digits + " O0", max_size=10))
def test_anything_else_reads_as_a_postcode_or_none(text):
    found = normalise(text)
    assert found is None or (POSTCODE.fullmatch(found) and found.replace(" ", "") == text.replace(" ", "").upper())


@pytest.fixture(scope="module")
def example_site_build(tmp_path_factory):
    """The bundled example site (with its example lookup), built once."""
    out = tmp_path_factory.mktemp("postcodes") / "build"
    result = run_cli("build", "--site", str(ROOT), "--out", str(out), "--build-date", "2026-11-28",
                     "--state", str(out.parent / "state"))
    assert result.exit_code == 0, result.output
    return out


def test_the_example_lookup_is_what_the_importer_makes_of_the_example_file(make_site):
    site = make_site("example")
    committed = lookup_files(site)
    result = import_into(site, ROOT / "data" / "example-onspd.csv")
    assert result.exit_code == 0, result.output
    assert "kept 173 postcodes of the site's wards in 5 districts (2 terminated skipped)" in result.output
    assert lookup_files(site) == committed


def test_the_example_site_publishes_its_lookup(example_site_build):
    sizes = {p.name: p.stat().st_size for p in sorted((example_site_build / "find").glob("[A-Z]*.json"))}
    assert set(sizes) == {"IG11.json", "RM10.json", "RM6.json", "RM8.json", "RM9.json"}
    assert all(size < 4000 for size in sizes.values()), sizes
    rm8 = json.loads((example_site_build / "find/RM8.json").read_text())
    assert rm8["postcodes"]["RM83HR"] == ["becontree"]
    assert rm8["postcodes"]["RM83HS"] == ["becontree", "valence"]


@pytest.mark.browser
def test_typing_a_postcode_finds_the_ward(example_site_build, serve_dir, page):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    base = serve_dir(example_site_build)
    page.goto(base + "/find/")
    box = page.get_by_label("Your postcode")
    result = page.locator("#postcode-result")
    for typed in ("rm83hr", " RM8  3HR ", "RM8 3HR"):
        box.fill(typed)
        expect(result).to_contain_text("RM8 3HR is in Becontree ward")
        expect(result.get_by_role("link", name="Becontree")).to_have_attribute("href", "/areas/becontree/")
    box.fill("RM8 3H0")
    expect(result).to_contain_text("Postcodes have a letter O, not a zero, there. Did you mean RM8 3HO?")
    box.fill("RMB 3HR")
    box.press("Enter")
    expect(result).to_contain_text('"RMB 3HR" is not a postcode')
    box.fill("e1o 6an")
    expect(result).to_contain_text("Postcodes have a zero (0) there, not the letter O. Did you mean E10 6AN?")
    box.fill("rm8 3hs")
    expect(result).to_contain_text("RM8 3HS lies in 2 wards: Becontree and Valence.")
    assert describe(axe_violations(page)) == ""
    page.route("**/find/RM10.json", lambda route: route.abort())   # the network fails
    box.fill("RM10 9ZZ")
    expect(result).to_contain_text("We could not look up RM10 9ZZ just now.")
    expect(result.get_by_role("link")).to_have_attribute("href", "/find/RM10/")
    page.unroute("**/find/RM10.json")
    box.fill("RM8 3ZZ")
    expect(result).to_contain_text("We cannot find RM8 3ZZ.")
    result.get_by_role("link", name="choose from the postcodes starting RM8").click()
    page.wait_for_url(base + "/find/RM8/")
    assert describe(axe_violations(page)) == ""
    page.goto(base + "/")   # the name filter offers the postcode finder when nothing matches
    page.get_by_label("Filter wards by name").fill("zzqx")
    expect(page.locator("#area-filter-status")).to_contain_text('No wards match "zzqx". Try a postcode')
    expect(page.locator("#area-filter-none").get_by_role("link", name="searching by postcode")) \
        .to_have_attribute("href", "/find/")
    assert all(url.startswith(base) for url in requests), [u for u in requests if not u.startswith(base)]
    assert sum(url.endswith("/find/RM8.json") for url in requests) == 1   # fetched once, kept


@pytest.mark.browser
def test_without_javascript_a_resident_reaches_the_ward_in_three_taps(example_site_build, serve_dir,
                                                                      page_without_js):
    page = page_without_js
    base = serve_dir(example_site_build)
    page.goto(base + "/")
    page.get_by_role("link", name="postcode", exact=True).click()           # 1
    page.wait_for_url(base + "/find/")
    page.get_by_label("Your postcode").fill("RM8 3HR")
    page.get_by_role("button", name="Find your team").click()               # the form: to the districts
    page.wait_for_url(re.compile(r".*/find/\?postcode=RM8\+3HR#districts$"))
    page.get_by_role("link", name="RM8", exact=True).click()                # 2
    page.wait_for_url(base + "/find/RM8/")
    sector = page.locator("#sector-RM8-3")
    sector.get_by_text("RM8 3 postcodes in Becontree").click()
    expect(sector).to_contain_text("RM8 3HR")
    sector.get_by_role("link", name="Becontree").click()                    # 3
    page.wait_for_url(base + "/areas/becontree/")
