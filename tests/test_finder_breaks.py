"""Issue 17, review: inputs that broke the finder (each test failed before its fix), and
odd inputs it already handles, kept so it goes on handling them."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import ROOT, run_cli
from test_incremental import assert_same_as_clean, build
from test_postcodes import SAMPLE, coded_site, import_into, lookup_files

HEADER = SAMPLE.read_text(encoding="utf-8").splitlines()[0]


def test_a_file_with_no_postcode_of_the_sites_wards_keeps_the_lookup(make_site, tmp_path):
    """The wrong region's file (or a header alone) used to remove every district file and exit 0."""
    site = coded_site(make_site)
    assert import_into(site).exit_code == 0
    before = lookup_files(site)
    for body in (HEADER + "\n", HEADER + "\r\n" + SAMPLE.read_text(encoding="utf-8").splitlines()[1]
                 .replace("E05999001", "E05000001").replace("E05999002", "E05000001") + "\r\n"):
        other = tmp_path / "other-region.csv"
        other.write_text(body, encoding="utf-8")
        result = import_into(site, other)
        assert result.exit_code == 1, result.output
        assert "no live postcode of the site's wards" in result.output and "Traceback" not in result.output
        assert lookup_files(site) == before


def reordered(source: Path, target: Path) -> None:
    """SOURCE's rows with its columns reversed, an extra quoted column, a BOM and CRLF line ends,
    postcodes lower case without their space, each row twice."""
    rows = list(csv.reader(io.StringIO(source.read_text(encoding="utf-8"))))
    header, body = rows[0], rows[1:]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow(list(reversed(header)) + ["extra"])
    pcds = header.index("pcds")
    for row in body:
        row = list(row)
        row[pcds] = row[pcds].lower().replace(" ", "")
        writer.writerow(list(reversed(row)) + ['a, "b"'])
        writer.writerow(list(reversed(row)) + ['a, "b"'])
    target.write_bytes(b"\xef\xbb\xbf" + out.getvalue().encode("utf-8"))


def test_another_column_order_bom_crlf_quotes_spellings_and_duplicates_import_the_same(make_site, tmp_path):
    site = coded_site(make_site)
    assert import_into(site).exit_code == 0
    before = lookup_files(site)
    odd = tmp_path / "odd.csv"
    reordered(SAMPLE, odd)
    result = import_into(site, odd)
    assert result.exit_code == 0, result.output
    assert lookup_files(site) == before


def test_bad_bytes_and_wrong_columns_are_located_without_a_traceback(make_site, tmp_path):
    site = coded_site(make_site)
    bad = tmp_path / "bad.csv"
    for body, where in ((SAMPLE.read_bytes().replace(b"AB1 2CD", b"AB1 2C\xe9", 1), ":2:"),
                        (b"a,b,c\n1,2,3\n", ":1:"), (b"", ":1:")):
        bad.write_bytes(body)
        result = import_into(site, bad)
        assert result.exit_code == 1 and where in result.output and "Traceback" not in result.output, \
            result.output


def test_names_with_markup_are_escaped_on_the_finder_pages(make_site, tmp_path):
    site = coded_site(make_site)
    assert import_into(site).exit_code == 0
    name = '<script>alert(1)</script> & "Co"'
    path = site / "content/areas/north-ward/area.yaml"
    path.write_text(path.read_text().replace("name: North Ward", f"name: '{name}'", 1))
    out = tmp_path / "out"
    build(site, out, tmp_path / "state", "2026-11-28")
    for page in ("find/AB1/index.html", "find/index.html", "index.html"):
        assert "<script>alert" not in (out / page).read_text(encoding="utf-8"), page
    assert json.loads((out / "find/AB1.json").read_text())["wards"]["north-ward"] == name


def test_lookup_edits_deletions_and_a_rename_build_as_a_clean_build_would(make_site, tmp_path):
    site = coded_site(make_site)
    assert import_into(site).exit_code == 0
    out, state = tmp_path / "out", tmp_path / "state"
    build(site, out, state, "2026-11-28")
    folder = site / "content/postcodes"
    (folder / "AB1.csv").write_text((folder / "AB1.csv").read_text() + "AB1 9ZZ,south-ward\n")
    build(site, out, state, "2026-11-28")
    assert_same_as_clean(site, tmp_path)
    (folder / "AB10.csv").unlink()
    build(site, out, state, "2026-11-28")
    assert not (out / "find/AB10.json").exists()
    assert_same_as_clean(site, tmp_path)
    path = site / "content/areas/south-ward/area.yaml"
    path.write_text(path.read_text().replace("name: South Ward", "name: Southmost", 1))
    build(site, out, state, "2026-11-28")
    assert "Southmost" in (out / "find/AB1/index.html").read_text()
    assert_same_as_clean(site, tmp_path)


def test_check_names_a_lookup_row_of_no_ward_plainly(make_site):
    site = coded_site(make_site)
    assert import_into(site).exit_code == 0
    path = site / "content/postcodes/AB1.csv"
    path.write_text(path.read_text() + "AB1 9ZZ,no-such-ward\n")
    result = run_cli("check", "--site", str(site))
    assert result.exit_code == 1, result.output
    assert "content/postcodes/AB1.csv:7:" in result.output and "Traceback" not in result.output
    assert str(ROOT) not in result.output


def test_a_doterm_that_is_not_a_month_is_located_not_taken_for_terminated(make_site, tmp_path):
    """doterm 'NULL' or '0' (a database export's empty) used to drop the live postcode silently."""
    site = coded_site(make_site)
    rows = SAMPLE.read_text(encoding="utf-8").splitlines()
    col = rows[1].index('"198001",""') + len('"198001",') + 1
    for value in ("NULL", "0", "2000-12"):
        odd = tmp_path / "odd.csv"
        odd.write_text("\n".join([rows[0], rows[1].replace('"198001",""', f'"198001","{value}"', 1)]
                                 + rows[2:]) + "\n", encoding="utf-8")
        result = import_into(site, odd)
        assert result.exit_code == 1, result.output
        assert f"odd.csv:2:{col}: doterm '{value}' is not" in result.output, result.output
        assert lookup_files(site) == {}


@pytest.mark.browser
def test_the_finder_s_examples_are_the_sites_own_postcodes(make_site, tmp_path, serve_dir, page):
    """finder.js said 'like RM8 3HR' on every site: a force elsewhere gets its own district."""
    site = coded_site(make_site)
    assert import_into(site).exit_code == 0
    build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    page.goto(serve_dir(tmp_path / "out") + "/find/")
    field = page.get_by_label("Your postcode")
    result = page.locator("#postcode-result")
    for typed, words in (("AB1", "Type your whole postcode, like AB1 3HR."), ("AB1 2CD!", "looks like AB1 3HR")):
        field.fill(typed)
        field.press("Enter")
        expect(result).to_contain_text(words)
        expect(result).not_to_contain_text("RM8")


DEEP = '{"type": "Polygon", "coordinates": ' + "[" * 100_000 + "]" * 100_000 + "}"


def test_a_deeply_nested_boundary_is_refused_without_a_traceback(make_site):
    """JSON nested 100,000 deep used to raise RecursionError out of check."""
    site = make_site()
    (site / "content/areas/north-ward/boundary.geojson").write_text(DEEP)
    result = run_cli("check", "--site", str(site))
    assert result.exit_code == 1, result.output
    assert "content/areas/north-ward/boundary.geojson:" in result.output and "nested" in result.output


def test_a_deeply_nested_boundaries_file_is_refused_by_import_wards(make_site, tmp_path):
    site = make_site("example")
    deep = tmp_path / "deep.geojson"
    deep.write_text('{"type": "FeatureCollection", "features": ' + DEEP + "}")
    result = run_cli("import-wards", "--site", str(site), "--boundaries", str(deep),
                     str(ROOT / "data/london-wards.csv"), "--borough", "Havering")
    assert result.exit_code == 1, result.output
    assert "deep.geojson:" in result.output and "nested" in result.output
    assert not any((site / "content/areas").glob("*/boundary.geojson.tmp*"))


def test_a_lookup_saved_with_a_byte_order_mark_is_read(make_site):
    """Excel's "CSV UTF-8" starts the file with U+FEFF; the header then read as not 'postcode,ward'."""
    site = coded_site(make_site)
    assert import_into(site).exit_code == 0
    path = site / "content/postcodes/AB1.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    result = run_cli("check", "--site", str(site))
    assert result.exit_code == 0, result.output


def test_a_broken_boundary_is_named_once_not_also_called_missing(make_site):
    site = make_site("example")
    (site / "content/areas/abbey-barking-and-dagenham/boundary.geojson").write_text('{"type": "Polygon"}')
    result = run_cli("check", "--site", str(site))
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if "abbey-barking-and-dagenham" in line]
    assert len(lines) == 1 and "boundary.geojson" in lines[0] and "has no boundary.geojson" not in lines[0]
    (site / "content/areas/abbey-barking-and-dagenham/boundary.geojson").unlink()
    missing = run_cli("check", "--site", str(site))
    assert missing.exit_code == 1 and "has no boundary.geojson while 16 other wards" in missing.output
